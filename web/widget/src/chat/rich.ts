// Structured messages from agents and the bot: quick replies as buttons (a pick is sent back as text,
// with the button's payload when it has one)
// and cards with a title, description, image and link. Everything is written as text nodes.
import { safeHttpUrl } from '@kefu/sdk';
import { h, richText } from './dom';
import type { Texts } from './i18n';
import { cardFields, quickOptions } from './logic';

export function quickRepliesBody(text: string, meta: Record<string, unknown> | null | undefined, pick: (value: string, payload?: string) => void): Node {
  const frag = document.createDocumentFragment();
  frag.append(richText(text));
  const options = quickOptions(meta);
  if (options.length) {
    frag.append(h('div', { class: 'quick', role: 'group' },
      ...options.map((o) => {
        const button = h('button', { type: 'button', class: 'quick-option' }, o.label);
        button.addEventListener('click', () => pick(o.value, o.payload));
        return button;
      })));
  }
  return frag;
}

export function cardBody(t: Texts, text: string | null | undefined, meta: Record<string, unknown> | null | undefined): Node {
  const card = cardFields(meta, safeHttpUrl);
  return h('div', { class: 'card' },
    card.imageUrl ? h('img', { class: 'card-image', src: card.imageUrl, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer' }) : null,
    h('div', { class: 'card-title' }, card.title || text || ''),
    card.description ? h('div', { class: 'card-description' }, card.description) : null,
    card.url ? h('a', { class: 'card-link', href: card.url, target: '_blank', rel: 'noopener noreferrer' }, t.openLink) : null);
}
