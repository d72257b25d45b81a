// The H5 chat page (/chat?siteKey=default#userId=..&name=..&signature=..). Also the widget's panel
// (embed=1, inside the loader's iframe). Plain TypeScript and DOM; every user-supplied string is
// written with text nodes only.
import {
  createVisitorSession, isAttachmentKind, KefuClient, wsUrlFor,
  type AckFrame, type ConversationInfo, type Message, type OutboxEntry, type PageContext, type VisitorSession,
} from '@kefu/sdk';
import './chat.css';
import { attachmentBody, pendingBody, pendingFromOutbox, pendingFromUpload, updatePending, type PendingView } from './attachments';
import { acceptDrops, fileControls, type FileSend } from './composer-files';
import { EMOJI, h, richText } from './dom';
import { texts } from './i18n';
import { eventName, eventText, OFFLINE_EVENTS, routingFrom } from './logic';
import { askPreChat } from './prechat';
import { cardBody, quickRepliesBody } from './rich';

const query = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));
const siteKey = query.get('siteKey') || 'default';
const embedded = query.get('embed') === '1' && window.parent !== window;
const { t, lang } = texts(query.get('lang'));
document.documentElement.lang = lang;
document.title = t.title;
const color = query.get('color');
if (color && /^#[0-9a-f]{3,8}$/i.test(color)) document.documentElement.style.setProperty('--kefu-color', color);

// The page the visitor is on: the embedding page (passed by the loader) or this page itself.
let context: PageContext = {
  pageUrl: fragment.get('pageUrl') || location.href.split('#')[0],
  referrer: fragment.get('referrer') ?? document.referrer,
  title: fragment.get('title') ?? document.title,
  locale: fragment.get('locale') || navigator.language,
};
// The entry point's team and skills (widget data-team/data-skills, or the H5 link).
const routing = routingFrom(query, fragment);
const userId = fragment.get('userId');
const identity = userId
  ? {
    userId,
    ...(fragment.get('name') ? { name: fragment.get('name')! } : {}),
    ...(fragment.get('email') ? { email: fragment.get('email')! } : {}),
    ...(fragment.get('signature') ? { signature: fragment.get('signature')! } : {}),
  }
  : undefined;
// Identity must not linger in the address bar or history.
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

// ------------------------------------------------------------------ DOM

const banner = h('div', { class: 'banner', role: 'status', hidden: true });
const queueInfo = h('div', { class: 'queue', role: 'status', hidden: true });
const subtitle = h('div', { class: 'subtitle' });
const list = h('ol', { class: 'messages', 'aria-label': t.title, 'aria-live': 'polite' });
const scroller = h('div', { class: 'scroller' }, list);
const typingLine = h('div', { class: 'typing', 'aria-live': 'polite', hidden: true }, t.typing);
const input = h('textarea', { class: 'input', rows: '1', 'aria-label': t.message, placeholder: t.message, maxlength: '4000' });
const sendButton = h('button', { class: 'send', type: 'submit', 'aria-label': t.send }, t.send);
const emojiButton = h('button', { class: 'emoji-toggle', type: 'button', 'aria-label': t.emoji, 'aria-expanded': 'false' }, '😊');
const emojiPanel = h('div', { class: 'emoji-panel', role: 'group', 'aria-label': t.emoji, hidden: true },
  ...EMOJI.map((e) => h('button', { type: 'button', 'aria-label': e, 'data-emoji': e }, e)));
const files = fileControls(t, (f) => sendFile(f), () => !!client);
const form = h('form', { class: 'composer' }, emojiButton, files.attachButton, files.fileInput, input, files.voiceButton, sendButton);
// Leave-a-message: offered while no agent serves the visitor, opened by itself on offline events.
const leaveToggle = h('button', { class: 'leave-toggle', type: 'button', hidden: true }, t.leave);
const leaveName = h('input', { name: 'name', 'aria-label': t.leaveName, placeholder: t.leaveName, maxlength: '100', required: true, autocomplete: 'name' });
const leaveContact = h('input', { name: 'contact', 'aria-label': t.leaveContact, placeholder: t.leaveHint, maxlength: '200', required: true, autocomplete: 'email' });
const leaveText = h('textarea', { name: 'message', 'aria-label': t.leaveMessage, placeholder: t.leaveMessage, maxlength: '4000', rows: '3', required: true });
const leaveStatus = h('div', { class: 'leave-status', role: 'status' });
const leaveSubmit = h('button', { class: 'send', type: 'submit' }, t.leave);
const leaveCancel = h('button', { class: 'leave-cancel', type: 'button' }, t.cancel);
const leaveForm = h('form', { class: 'leave', 'aria-labelledby': 'kefu-leave-h', hidden: true },
  h('h2', { id: 'kefu-leave-h' }, t.leave), leaveName, leaveContact, leaveText,
  h('div', { class: 'leave-actions' }, leaveCancel, leaveSubmit), leaveStatus);
const leaveDone = h('div', { class: 'leave-done', role: 'status', hidden: true });
const header = h('header', { class: 'header' },
  h('div', { class: 'heading' }, h('h1', {}, t.title), subtitle),
  embedded ? h('button', { class: 'close', type: 'button', 'aria-label': t.close }, '×') : null);
document.getElementById('app')!.append(h('div', { class: 'chat' }, header, banner, queueInfo, leaveToggle, scroller, typingLine, leaveDone, leaveForm, emojiPanel, files.notice, files.recordingBar, form));
acceptDrops(document.querySelector<HTMLElement>('.chat')!, input, t, (f) => sendFile(f), () => !!client && !form.hidden);

// ------------------------------------------------------------------ state

const messages = new Map<number, Message>();
const failed = new Map<string, OutboxEntry>();
let conversationId: string | undefined;
let info: ConversationInfo | undefined;
let hasOlder = false;
let loadingOlder = false;
let visible = !embedded;
let unread = 0;
let client: KefuClient | undefined;

let welcomed: () => void = () => {};
const firstWelcome = new Promise<void>((resolve) => { welcomed = resolve; });

const sessionKey = `kefu.visitor.${siteKey}`;
let session: VisitorSession | undefined;

function storedToken(): string | undefined {
  try {
    return (JSON.parse(localStorage.getItem(sessionKey) || 'null') as VisitorSession | null)?.token;
  } catch {
    return undefined;
  }
}

/** POSTs the previous token back: it renews the same visitor, so history survives reloads and expiry. */
async function renewSession(): Promise<VisitorSession> {
  const s = await createVisitorSession(location.origin, { siteKey, token: storedToken(), identity, context });
  try { localStorage.setItem(sessionKey, JSON.stringify(s)); } catch { /* private mode */ }
  session = s;
  return s;
}

function isMine(m: Message): boolean {
  return m.sender?.type === 'visitor';
}

// ------------------------------------------------------------------ rendering

const rows = new Map<string, HTMLLIElement>();

function tickFor(seq: number | undefined, pending: boolean, isFailed: boolean): [string, string, string] {
  if (isFailed) return ['failed', '!', t.failed];
  if (pending || seq === undefined) return ['sending', '🕓', t.sending];
  if (info && seq <= info.peerReadSeq) return ['read', '✓✓', t.read];
  if (info && seq <= info.peerDeliveredSeq) return ['delivered', '✓✓', t.delivered];
  return ['sent', '✓', t.sent];
}

function body(m: { kind: string; text?: string | null; meta?: Record<string, unknown> | null; attachment?: Message['attachment'] }): Node {
  if (m.kind === 'text') return richText(m.text ?? '');
  if (m.kind === 'quickReplies') return quickRepliesBody(m.text ?? '', m.meta, pickQuickReply);
  if (isAttachmentKind(m.kind)) return attachmentBody(t, m);
  if (m.kind === 'card') return cardBody(t, m.text, m.meta);
  return document.createTextNode(m.text ?? t.unsupported);
}


function row(key: string, build: () => HTMLLIElement): HTMLLIElement {
  let el = rows.get(key);
  if (!el) rows.set(key, (el = build()));
  return el;
}

function bubble(key: string, mine: boolean, content: Node, name: string | null | undefined): HTMLLIElement {
  return row(key, () => h('li', { class: `msg ${mine ? 'mine' : 'theirs'}`, 'data-key': key },
    mine || !name ? null : h('div', { class: 'name' }, name),
    h('div', { class: 'bubble' }, h('div', { class: 'text' }, content)),
    mine ? h('span', { class: 'tick' }) : null));
}

/** Local previews (object URLs) of images being sent, by clientMsgId. */
const previews = new Map<string, string>();

function pendingBubble(p: PendingView): HTMLLIElement {
  const key = `p${p.clientMsgId}`;
  const existing = rows.get(key);
  if (existing) {
    const box = existing.querySelector<HTMLElement>('.upload');
    if (box) updatePending(t, box, p);
    return existing;
  }
  return bubble(key, true, pendingBody(t, p, () => client?.retryUpload(p.clientMsgId), () => client?.cancelUpload(p.clientMsgId)), null);
}

function setTick(el: HTMLLIElement, state: [string, string, string]): void {
  const tick = el.querySelector<HTMLElement>('.tick');
  if (!tick || tick.dataset.status === state[0]) return;
  tick.dataset.status = state[0];
  tick.textContent = state[1];
  tick.setAttribute('aria-label', state[2]);
  tick.title = state[2];
}

let renderQueued = false;
function render(): void {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    const els: HTMLLIElement[] = [];
    const greeting = query.get('greeting');
    if (greeting) els.push(bubble('greeting', false, richText(greeting), t.agent));
    const seen = new Set<string>();
    for (const m of [...messages.values()].sort((a, b) => a.seq - b.seq)) {
      if (m.kind === 'hidden') continue;
      if (m.clientMsgId) seen.add(m.clientMsgId);
      if (m.kind === 'event') {
        els.push(row(`s${m.seq}`, () => h('li', { class: 'event', 'data-event': eventName(m.meta) }, eventText(t, m.meta, m.text))));
        if (OFFLINE_EVENTS.includes(eventName(m.meta)) && !offeredFor.has(m.seq)) {
          offeredFor.add(m.seq);
          showLeave(true);
        }
        continue;
      }
      const mine = isMine(m);
      const el = bubble(`s${m.seq}`, mine, body(m), m.sender?.name || (m.sender?.type === 'bot' ? 'Bot' : t.agent));
      if (mine) setTick(el, tickFor(m.seq, false, false));
      els.push(el);
    }
    for (const p of client?.uploads ?? []) {
      if (p.conversationId === undefined || p.conversationId === conversationId) els.push(pendingBubble(pendingFromUpload(p, previews.get(p.clientMsgId))));
    }
    for (const e of [...(client?.outbox ?? []), ...failed.values()]) {
      if (seen.has(e.clientMsgId)) continue;
      const el = e.attachment
        ? pendingBubble(pendingFromOutbox(e, failed.has(e.clientMsgId), previews.get(e.clientMsgId)))
        : bubble(`p${e.clientMsgId}`, true, body({ kind: e.kind, text: e.text, meta: e.meta }), null);
      setTick(el, tickFor(undefined, true, failed.has(e.clientMsgId)));
      els.push(el);
    }
    // Move only what changed: re-inserting every row would pause a playing voice message.
    els.forEach((el, i) => { if (list.children[i] !== el) list.insertBefore(el, list.children[i] ?? null); });
    while (list.children.length > els.length) list.lastElementChild!.remove();
    for (const key of [...rows.keys()]) {
      if (els.includes(rows.get(key)!)) continue;
      rows.delete(key);
      const preview = previews.get(key.slice(1));
      if (key.startsWith('p') && preview) {
        URL.revokeObjectURL(preview);
        previews.delete(key.slice(1));
      }
    }
    if (nearBottom) scroller.scrollTop = scroller.scrollHeight;
  });
}

function renderStatus(): void {
  const status = info?.status;
  queueInfo.hidden = status !== 'queued' && status !== 'closed';
  if (status === 'queued') {
    queueInfo.textContent = info?.queuePosition ? t.queue(info.queuePosition, info.estimatedWaitSeconds) : t.queued;
  } else if (status === 'closed') {
    queueInfo.textContent = t.closed;
  }
  subtitle.textContent = status === 'open' && info?.assignee?.name ? t.serving(info.assignee.name) : '';
  leaveToggle.hidden = status === 'open' || !leaveForm.hidden;
}

// ------------------------------------------------------------------ routing and leave-a-message

async function api(method: string, path: string, body: unknown): Promise<Response> {
  const token = session?.token ?? (await renewSession()).token;
  return fetch(new URL(path, location.origin), {
    method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
}

// PUT /api/v1/visitor/routing once, before the first send (an unknown team is refused: the default routing applies).
let routed: Promise<unknown> | undefined;
function route(): Promise<unknown> {
  if (!routing) return Promise.resolve();
  return (routed ??= api('PUT', '/api/v1/visitor/routing', routing).catch(() => undefined));
}

const offeredFor = new Set<number>();
function showLeave(show: boolean): void {
  leaveForm.hidden = !show;
  form.hidden = show;
  if (show) {
    emojiPanel.hidden = true;
    leaveDone.hidden = true;
    leaveStatus.textContent = '';
  }
  renderStatus();
}
leaveToggle.addEventListener('click', () => {
  showLeave(true);
  leaveName.focus();
});
leaveCancel.addEventListener('click', () => showLeave(false));
leaveForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const body = { name: leaveName.value.trim(), contact: leaveContact.value.trim(), message: leaveText.value.trim() };
  if (!body.name || !body.contact || !body.message) return;
  leaveSubmit.disabled = true;
  leaveStatus.textContent = '';
  void route()
    .then(() => api('POST', '/api/v1/visitor/messages', body))
    .then((res) => {
      if (!res.ok) throw new Error(String(res.status));
      leaveText.value = '';
      showLeave(false);
      leaveDone.textContent = t.leaveDone;
      leaveDone.hidden = false;
    })
    .catch(() => { leaveStatus.textContent = t.leaveFailed; })
    .finally(() => { leaveSubmit.disabled = false; });
});

function renderConnection(): void {
  const state = client?.state ?? 'connecting';
  banner.hidden = state === 'open';
  banner.textContent = state === 'reconnecting' ? t.reconnecting : t.connecting;
  banner.dataset.state = state;
}

// ------------------------------------------------------------------ behaviour

function markSeen(): void {
  if (!client || !conversationId || !info) return;
  let last = 0;
  for (const m of messages.values()) if (!isMine(m) && m.seq > last) last = m.seq;
  if (last === 0) return;
  client.markDelivered(conversationId, last);
  if (visible && document.visibilityState === 'visible') {
    client.markRead(conversationId, last);
    unread = 0;
  }
  if (embedded) parent.postMessage({ type: 'kefu:unread', count: unread }, '*');
}

async function loadOlder(): Promise<void> {
  if (!client || !conversationId || loadingOlder) return;
  const last = info?.lastSeq ?? 0;
  const oldest = Math.min(...messages.keys(), last > 0 ? last + 1 : Number.MAX_SAFE_INTEGER);
  if (oldest <= 1) {
    hasOlder = false;
    return;
  }
  loadingOlder = true;
  const before = scroller.scrollHeight - scroller.scrollTop;
  try {
    const page = await client.history(conversationId, oldest, 50);
    for (const m of page.items) if (!messages.has(m.seq)) messages.set(m.seq, m);
    hasOlder = page.hasMore;
    render();
    await new Promise<void>((r) => queueMicrotask(r));
    scroller.scrollTop = scroller.scrollHeight - before;
  } catch {
    // Offline: the next scroll or reconnect tries again.
  } finally {
    loadingOlder = false;
  }
}

function adopt(id: string): void {
  if (conversationId === id) return;
  conversationId = id;
  info = client?.getConversation(id);
  messages.clear();
  hasOlder = true;
  void loadOlder().then(markSeen);
  renderStatus();
}

function start(s: VisitorSession): void {
  const c = new KefuClient({
    url: wsUrlFor(location.origin),
    getToken: async (reason) => (reason === 'expired' || !session ? (await renewSession()).token : session.token),
    storageKey: `kefu.outbox.${siteKey}.${s.visitorId}`,
    client: { name: embedded ? 'kefu-widget' : 'kefu-h5', version: '1.0.0' },
    context,
    watchNetwork: true,
  });
  client = c;
  c.on('state', () => {
    renderConnection();
    if (c.state === 'open') void session; // token already fresh
  });
  c.on('welcome', (w) => {
    welcomed();
    const convs = w.conversations ?? [];
    const current = convs.find((x) => x.status !== 'closed') ?? convs[convs.length - 1];
    if (current) adopt(current.conversationId);
    if (conversationId && !messages.size) void loadOlder().then(markSeen);
    render();
  });
  c.on('conversation', (ci) => {
    if (ci.conversationId !== conversationId && ci.status !== 'closed' && (!conversationId || info?.status === 'closed')) adopt(ci.conversationId);
    if (ci.conversationId === conversationId) {
      info = ci;
      renderStatus();
      render();
    }
  });
  c.on('message', (m) => {
    if (!conversationId || (m.conversationId !== conversationId && info?.status === 'closed')) adopt(m.conversationId);
    if (m.conversationId !== conversationId) return;
    messages.set(m.seq, m);
    if (!isMine(m)) {
      typingLine.hidden = true;
      if (!visible) unread++;
    }
    render();
    markSeen();
  });
  c.on('ack', (ack: AckFrame, entry) => {
    if (!conversationId || info?.status === 'closed') adopt(ack.conversationId);
    // Keep the bubble in place until the message frame with this seq arrives.
    if (ack.conversationId === conversationId && !messages.has(ack.seq)) {
      messages.set(ack.seq, {
        conversationId: ack.conversationId, seq: ack.seq, msgId: ack.msgId, clientMsgId: ack.clientMsgId,
        sender: { type: 'visitor', id: c.userId }, kind: entry.kind, text: entry.text, createdAt: ack.createdAt,
      });
    }
    render();
  });
  c.on('outbox', render);
  c.on('uploads', render);
  c.on('sendFailed', (entry) => {
    failed.set(entry.clientMsgId, entry);
    render();
  });
  c.on('receipt', (_r, ci) => {
    if (ci.conversationId === conversationId) {
      info = ci;
      render();
    }
  });
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  c.on('typing', (f) => {
    if (f.conversationId !== conversationId || f.userId === c.userId) return;
    typingLine.hidden = !f.active;
    clearTimeout(typingTimer);
    if (f.active) typingTimer = setTimeout(() => (typingLine.hidden = true), 8000);
  });
  renderConnection();
  c.connect();
}

// Typing: tell the agent at most every 3 s while keys are pressed, and stop after 3 s idle.
let typingSentAt = 0;
let typingIdle: ReturnType<typeof setTimeout> | undefined;
function stopTyping(): void {
  clearTimeout(typingIdle);
  if (typingSentAt && client && conversationId) client.typing(conversationId, false);
  typingSentAt = 0;
}
input.addEventListener('input', () => {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  if (!client || !conversationId || info?.status === 'closed') return;
  if (!input.value.trim()) return stopTyping();
  if (Date.now() - typingSentAt > 3000) {
    client.typing(conversationId, true);
    typingSentAt = Date.now();
  }
  clearTimeout(typingIdle);
  typingIdle = setTimeout(stopTyping, 3000);
});

/** A quick-reply button sends its value as the visitor's text, and its payload (if any) as `meta.quickReply`. */
function pickQuickReply(value: string, payload?: string): void {
  input.value = value;
  submit(payload ? { quickReply: payload } : undefined);
}

function submit(meta?: Record<string, unknown>): void {
  const text = input.value.trim();
  if (!text || !client) return;
  stopTyping();
  const c = client;
  const target = info?.status === 'closed' ? undefined : conversationId;
  input.value = '';
  input.style.height = 'auto';
  leaveDone.hidden = true;
  // A new conversation takes the entry point's team and skills: set them first (once).
  const send = () => {
    c.send({ conversationId: target, kind: 'text', text, ...(meta ? { meta } : {}) });
    render();
    scroller.scrollTop = scroller.scrollHeight;
  };
  if (routing && !target) void route().then(send);
  else send();
}
function sendFile(f: FileSend): void {
  const c = client;
  if (!c) return;
  const target = info?.status === 'closed' ? undefined : conversationId;
  leaveDone.hidden = true;
  // What is typed in the composer goes with the file as its caption (with the first of several; never with a voice message).
  const caption = f.kind === 'voice' ? '' : input.value.trim();
  if (caption) {
    input.value = '';
    input.style.height = 'auto';
    stopTyping();
  }
  const go = () => {
    const p = c.sendAttachment({ conversationId: target, ...f, text: caption || undefined });
    if (p.kind === 'image') previews.set(p.clientMsgId, URL.createObjectURL(f.file));
    render();
    scroller.scrollTop = scroller.scrollHeight;
  };
  if (routing && !target) void route().then(go);
  else go();
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  submit();
});
input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    submit();
  }
});
emojiButton.addEventListener('click', () => {
  emojiPanel.hidden = !emojiPanel.hidden;
  emojiButton.setAttribute('aria-expanded', String(!emojiPanel.hidden));
});
emojiPanel.addEventListener('click', (ev) => {
  const emoji = (ev.target as HTMLElement).closest<HTMLElement>('[data-emoji]')?.dataset.emoji;
  if (!emoji) return;
  const at = input.selectionStart ?? input.value.length;
  input.setRangeText(emoji, at, input.selectionEnd ?? at, 'end');
  input.focus();
  input.dispatchEvent(new Event('input'));
});
scroller.addEventListener('scroll', () => {
  if (scroller.scrollTop < 60 && hasOlder) void loadOlder();
});
document.addEventListener('visibilitychange', markSeen);
header.querySelector('.close')?.addEventListener('click', () => parent.postMessage({ type: 'kefu:close' }, '*'));

// The loader tells the panel when it is shown and where the host page navigated to.
addEventListener('message', (ev: MessageEvent) => {
  if (!embedded || ev.source !== parent) return;
  const msg = ev.data as { type?: string; visible?: boolean; context?: PageContext } | null;
  if (msg?.type === 'kefu:visible') {
    visible = !!msg.visible;
    if (visible) markSeen();
  } else if (msg?.type === 'kefu:page' && msg.context && typeof msg.context === 'object') {
    context = {
      pageUrl: String(msg.context.pageUrl ?? ''), referrer: String(msg.context.referrer ?? ''),
      title: String(msg.context.title ?? ''), locale: String(msg.context.locale ?? ''),
    };
    client?.page(context);
  }
});
if (embedded) parent.postMessage({ type: 'kefu:ready' }, '*');

// Start: get (or renew) the visitor session, retrying with backoff while offline.
renderConnection();
renderStatus();
void (async function boot(attempt = 0): Promise<void> {
  try {
    const s = await renewSession();
    start(s);
    // A visitor without a conversation answers the site's pre-chat form (if it has one) first.
    void Promise.all([firstWelcome, route()]).then(() => conversationId ? undefined : askPreChat({
      api: (method, body) => api(method, '/api/v1/visitor/prechat', body), doneKey: `kefu.prechat.${siteKey}.${s.visitorId}`, t, composer: form,
    }));
  } catch {
    setTimeout(() => void boot(attempt + 1), Math.min(15_000, 500 * 2 ** attempt));
  }
})();
