// Attachments in the chat page: image thumbnails with a lightbox, file download links, voice players,
// and the pending bubble of an upload. Names and captions are only ever text nodes; URLs pass
// attachmentUrl (http/https only) before they reach src or href.
import { formatBytes, viewAttachment, type Message, type OutboxEntry, type PendingUpload } from '@kefu/sdk';
import { h, richText } from './dom';
import type { Texts } from './i18n';

type Shown = Pick<Message, 'kind' | 'text' | 'attachment'>;

let lightbox: HTMLDialogElement | undefined;

/** The full image in a modal dialog (Escape, the close button or a click beside the image close it). */
export function openLightbox(t: Texts, url: string, name: string): void {
  if (!lightbox) {
    lightbox = h('dialog', { class: 'lightbox', 'aria-label': t.image });
    lightbox.addEventListener('click', (ev) => { if (ev.target === lightbox) lightbox!.close(); });
    document.body.append(lightbox);
  }
  const close = h('button', { type: 'button', class: 'lightbox-close', 'aria-label': t.closeImage }, '×');
  close.addEventListener('click', () => lightbox!.close());
  lightbox.replaceChildren(
    h('img', { src: url, alt: name }),
    h('div', { class: 'lightbox-bar' }, h('span', { class: 'lightbox-name' }, name),
      h('a', { href: url, download: name, target: '_blank', rel: 'noopener noreferrer' }, t.download), close));
  lightbox.showModal();
  close.focus();
}

function caption(text: string | null | undefined): Node | null {
  return text ? h('div', { class: 'caption' }, richText(text)) : null;
}

/** The body of an image, file or voice message. */
export function attachmentBody(t: Texts, m: Shown): Node {
  const a = viewAttachment(m.attachment, location.href);
  if (!a) return document.createTextNode(m.text || t.unsupported);
  const frag = document.createDocumentFragment();
  if (m.kind === 'image' && a.thumbnailUrl) {
    const scale = a.width && a.height ? Math.min(1, 220 / a.width, 220 / a.height) : 0;
    const img = h('img', {
      src: a.thumbnailUrl, alt: a.name, loading: 'lazy',
      width: scale ? String(Math.round(a.width! * scale)) : undefined,
      height: scale ? String(Math.round(a.height! * scale)) : undefined,
    });
    const button = h('button', { type: 'button', class: 'thumb', 'aria-label': `${t.viewImage}: ${a.name}` }, img);
    button.addEventListener('click', () => openLightbox(t, a.url ?? a.thumbnailUrl!, a.name));
    frag.append(button);
  } else if (m.kind === 'voice' && a.url) {
    frag.append(h('div', { class: 'voice' },
      h('audio', { controls: true, preload: 'metadata', src: a.url, 'aria-label': t.voiceMessage }),
      a.duration ? h('span', { class: 'duration' }, a.duration) : null));
  } else if (a.url) {
    frag.append(h('a', { class: 'file', href: a.url, download: a.name, target: '_blank', rel: 'noopener noreferrer' },
      h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
      h('span', { class: 'file-name' }, a.name), h('span', { class: 'file-size' }, a.size)));
  } else {
    frag.append(h('span', { class: 'file' }, h('span', { class: 'file-name' }, a.name), h('span', { class: 'file-size' }, a.size)));
  }
  const c = caption(m.text);
  if (c) frag.append(c);
  return frag;
}

export interface PendingView {
  clientMsgId: string;
  name: string;
  size: number;
  sent: number;
  /** `sending`: uploaded, waiting for the ack; `refused`: the server refused the message. */
  status: PendingUpload['status'] | 'sending' | 'refused';
  errorStatus?: number;
  previewUrl?: string;
  text?: string;
}

export function pendingFromUpload(p: PendingUpload, previewUrl?: string): PendingView {
  return { clientMsgId: p.clientMsgId, name: p.name, size: p.size, sent: p.sent, status: p.status, errorStatus: p.errorStatus, previewUrl, text: p.text };
}

export function pendingFromOutbox(e: OutboxEntry, refused: boolean, previewUrl?: string): PendingView {
  const size = e.file?.size ?? 0;
  return { clientMsgId: e.clientMsgId, name: e.file?.name ?? '', size, sent: size, status: refused ? 'refused' : 'sending', previewUrl, text: e.text };
}

/** The pending bubble's content, built once per upload; `updatePending` refreshes it in place. */
export function pendingBody(t: Texts, p: PendingView, onRetry: () => void, onCancel: () => void): HTMLElement {
  const retry = h('button', { type: 'button', class: 'link-button retry', hidden: true }, t.retry);
  const cancel = h('button', { type: 'button', class: 'link-button cancel', 'aria-label': `${t.cancelUpload}: ${p.name}` }, t.cancel);
  retry.addEventListener('click', onRetry);
  cancel.addEventListener('click', onCancel);
  const el = h('div', { class: 'upload', 'data-client-msg-id': p.clientMsgId },
    p.previewUrl ? h('img', { class: 'upload-preview', src: p.previewUrl, alt: p.name }) : null,
    h('div', { class: 'file-line' }, h('span', { class: 'file-name' }, p.name), h('span', { class: 'file-size' }, formatBytes(p.size))),
    h('progress', { max: '100', value: '0', 'aria-label': `${t.uploadProgress}: ${p.name}` }),
    h('div', { class: 'upload-status', role: 'status' }),
    h('div', { class: 'upload-actions' }, retry, cancel),
    caption(p.text));
  updatePending(t, el, p);
  return el;
}

export function updatePending(t: Texts, el: HTMLElement, p: PendingView): void {
  const pct = p.size > 0 ? Math.min(100, Math.floor((p.sent / p.size) * 100)) : 100;
  el.dataset.status = p.status;
  el.querySelector('progress')!.value = pct;
  const line = p.status === 'waiting' ? t.uploadWaiting
    : p.status === 'failed' ? (p.errorStatus === 413 ? t.uploadTooLarge : p.errorStatus === 415 ? t.uploadTypeRefused : t.uploadFailed)
      : p.status === 'refused' ? t.failed
        : p.status === 'sending' || p.status === 'done' ? t.sending
        : t.uploading(pct);
  const status = el.querySelector<HTMLElement>('.upload-status')!;
  if (status.textContent !== line) status.textContent = line;
  // Retrying cannot help a file that is too large or of a refused type.
  el.querySelector<HTMLElement>('.retry')!.hidden = (p.status !== 'failed' && p.status !== 'waiting') || p.errorStatus === 413 || p.errorStatus === 415;
  el.querySelector<HTMLElement>('.cancel')!.hidden = p.status === 'sending' || p.status === 'done' || p.status === 'refused';
}
