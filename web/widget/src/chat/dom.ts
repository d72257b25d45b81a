import { splitLinks } from '@kefu/sdk';

type Attrs = Record<string, string | boolean | undefined>;

/** Builds an element; children strings become text nodes. There is no HTML path on purpose. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Attrs = {}, ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c != null) el.append(c);
  return el;
}

/** Message text with http(s) URLs as links; everything else stays text. */
export function richText(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const seg of splitLinks(text)) {
    if (seg.type === 'text') frag.append(seg.text);
    else frag.append(h('a', { href: seg.href, target: '_blank', rel: 'noopener noreferrer' }, seg.text));
  }
  return frag;
}

export const EMOJI = ['😀', '😂', '😊', '😍', '🤔', '😅', '😭', '😡', '👍', '👎', '👏', '🙏', '💪', '🎉', '❤️', '🔥', '✅', '❌', '👌', '🤝', '😉', '😎', '🥰', '😴'];
