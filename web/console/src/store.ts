import { reactive } from 'vue';
import {
  HttpError, KefuClient, wsUrlFor,
  type AttachmentKind, type ConnectionState, type ConversationFrame, type ConversationSummary, type Message, type OutboxEntry,
  type PendingUpload,
} from '@kefu/sdk';
import { api, setToken, type Agent, type ConversationItem, type VisitorDetails } from './api';
import { chime, desktop } from './notify';
import { messagePreview, t } from './i18n';

export type Tab = 'queued' | 'mine' | 'open';

interface ConvMessages {
  bySeq: Record<number, Message>;
  hasOlder: boolean;
  loading: boolean;
  loaded: boolean;
}

const TOKEN_KEY = 'kefu.console.token';

export const store = reactive({
  me: null as Agent | null,
  booting: true,
  connection: 'idle' as ConnectionState,
  everConnected: false,
  convs: {} as Record<string, ConversationItem>,
  tab: 'mine' as Tab,
  selectedId: null as string | null,
  messages: {} as Record<string, ConvMessages>,
  outbox: [] as OutboxEntry[],
  failed: {} as Record<string, OutboxEntry>,
  /** Attachments still uploading (without their Blob), and local previews of images being sent. */
  uploads: [] as Array<Omit<PendingUpload, 'file'>>,
  previews: {} as Record<string, string>,
  peerRead: {} as Record<string, number>,
  peerDelivered: {} as Record<string, number>,
  typing: {} as Record<string, boolean>,
  visitors: {} as Record<string, VisitorDetails>,
  toast: '' as string,
  sound: localStorage.getItem('kefu.console.sound') !== 'off',
});

let client: KefuClient | null = null;
const watching = new Set<string>();
const typingTimers: Record<string, ReturnType<typeof setTimeout>> = {};

export function inTab(c: ConversationItem, tab: Tab): boolean {
  if (tab === 'queued') return c.status === 'queued';
  if (tab === 'mine') return c.status !== 'closed' && c.assignee?.id === store.me?.id;
  return c.status !== 'closed';
}

export function isMine(m: { sender?: Message['sender'] }): boolean {
  return m.sender?.type === 'agent' && m.sender.id === store.me?.id;
}

function toast(text: string): void {
  store.toast = text;
  setTimeout(() => { if (store.toast === text) store.toast = ''; }, 5000);
}

// ------------------------------------------------------------------ session

export async function boot(): Promise<void> {
  const saved = localStorage.getItem(TOKEN_KEY);
  if (saved) {
    setToken(saved);
    try {
      store.me = await api.me();
      start(saved);
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) logout();
      else {
        // Server unreachable: keep the token and try again shortly.
        setTimeout(() => void boot(), 3000);
        return;
      }
    }
  }
  store.booting = false;
}

export async function login(username: string, password: string): Promise<void> {
  const res = await api.login(username, password);
  localStorage.setItem(TOKEN_KEY, res.token);
  setToken(res.token);
  store.me = res.agent;
  start(res.token);
}

export function logout(): void {
  client?.close();
  client = null;
  localStorage.removeItem(TOKEN_KEY);
  setToken(null);
  store.me = null;
  store.convs = {};
  store.messages = {};
  store.selectedId = null;
  store.everConnected = false;
}

function start(token: string): void {
  client?.close();
  const c = new KefuClient({
    url: wsUrlFor(location.origin),
    getToken: async (reason) => {
      if (reason === 'expired') {
        // Agents log in again; a refused token means the session is over.
        try { await api.me(); } catch (err) {
          if (err instanceof HttpError && err.status === 401) {
            logout();
            throw err;
          }
        }
      }
      return token;
    },
    storageKey: `kefu.console.outbox.${store.me?.id ?? ''}`,
    client: { name: 'kefu-console', version: '1.0.0' },
    watchNetwork: true,
  });
  client = c;
  store.outbox = [...c.outbox];
  c.on('state', (s) => {
    store.connection = s;
    if (s === 'open') store.everConnected = true;
  });
  c.on('welcome', () => {
    for (const id of watching) c.watch(id, true);
    void refreshLists();
    for (const [id, conv] of Object.entries(store.convs)) if (!hasPreview(conv)) schedulePreview(id, true);
    // Anything the selected conversation missed while away is resumed by the SDK; make sure it is loaded.
    if (store.selectedId) void ensureLoaded(store.selectedId);
  });
  c.on('conversation', (_info, frame) => onConversation(frame));
  c.on('message', onMessage);
  c.on('ack', (ack, entry) => {
    const cm = store.messages[ack.conversationId];
    // An attachment's links come with its message frame; until then its pending bubble stays.
    if (cm && !cm.bySeq[ack.seq] && !entry.attachment) {
      cm.bySeq[ack.seq] = {
        conversationId: ack.conversationId, seq: ack.seq, msgId: ack.msgId, clientMsgId: ack.clientMsgId,
        sender: { type: 'agent', id: store.me?.id ?? '', name: store.me?.displayName }, kind: entry.kind, text: entry.text,
        createdAt: ack.createdAt,
      };
    }
  });
  c.on('outbox', (entries) => {
    store.outbox = [...entries];
    forgetPreviews();
  });
  c.on('uploads', (list) => {
    store.uploads = list.map(({ file: _file, ...rest }) => rest);
    forgetPreviews();
  });
  c.on('sendFailed', (entry, err) => {
    store.failed[entry.clientMsgId] = entry;
    toast(`${t('failed')}: ${err.message}`);
  });
  c.on('receipt', (r) => {
    const visitorId = store.convs[r.conversationId]?.visitor?.id;
    if (r.userId === store.me?.id || (visitorId && r.userId !== visitorId)) return;
    const map = r.kind === 'read' ? store.peerRead : store.peerDelivered;
    map[r.conversationId] = Math.max(map[r.conversationId] ?? 0, r.seq);
  });
  c.on('typing', (f) => {
    if (f.userId === store.me?.id) return;
    store.typing[f.conversationId] = f.active;
    clearTimeout(typingTimers[f.conversationId]);
    if (f.active) typingTimers[f.conversationId] = setTimeout(() => { store.typing[f.conversationId] = false; }, 8000);
  });
  c.on('page', (f) => {
    const visitorId = f.visitorId ?? (f.conversationId ? store.convs[f.conversationId]?.visitor.id : undefined);
    const v = visitorId ? store.visitors[visitorId] : undefined;
    if (v) v.context = { ...(v.context ?? {}), ...f.context };
  });
  c.on('fatal', () => logout());
  c.connect();
}

// ------------------------------------------------------------------ conversations

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRefresh(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshLists(), 250);
}

export async function refreshLists(): Promise<void> {
  try {
    const views = await Promise.all((['open', 'queued', 'mine'] as const).map((v) => api.conversations(v)));
    const next: Record<string, ConversationItem> = {};
    for (const list of views) for (const item of list) next[item.conversationId] = item;
    for (const [id, old] of Object.entries(store.convs)) {
      if (!next[id] && (id === store.selectedId)) next[id] = old;
      // A message that arrived while the list was in flight is newer than the list.
      if (next[id] && old.lastSeq > next[id].lastSeq) next[id] = { ...next[id], lastSeq: old.lastSeq, lastMessage: old.lastMessage, unread: old.unread };
      else if (next[id] && !hasPreview(next[id]) && hasPreview(old)) next[id] = { ...next[id], lastMessage: old.lastMessage };
    }
    for (const [id, conv] of Object.entries(next)) if (!hasPreview(conv) && conv.lastSeq > 0) schedulePreview(id, true);
    if (store.selectedId && next[store.selectedId] && isViewing(store.selectedId)) next[store.selectedId].unread = 0;
    store.convs = next;
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) logout();
  }
}

function isViewing(id: string): boolean {
  return store.selectedId === id && document.visibilityState === 'visible';
}

function notify(kind: 'newConversation' | 'newMessage', id: string, body: string): void {
  if (store.sound) chime();
  desktop(t(kind), body, `kefu-${id}`, () => void select(id));
}

function onConversation(frame: ConversationFrame | ConversationSummary): void {
  const id = frame.conversationId;
  const isFrame = 'type' in frame;
  if (!isFrame) {
    // From welcome: conversations assigned to us, with their receipt state.
    store.peerRead[id] = Math.max(store.peerRead[id] ?? 0, frame.peerReadSeq ?? 0);
    store.peerDelivered[id] = Math.max(store.peerDelivered[id] ?? 0, frame.peerDeliveredSeq ?? 0);
  }
  const existing = store.convs[id];
  if (existing) {
    existing.status = frame.status;
    existing.assignee = frame.assignee ?? null;
    existing.lastSeq = Math.max(existing.lastSeq, frame.lastSeq ?? 0);
    // Queued conversations' messages are not pushed to us: fetch the preview when it moved on.
    if ((frame.lastSeq ?? 0) > (absorbed[id] ?? 0)) schedulePreview(id);
  } else if (frame.status !== 'closed') {
    store.convs[id] = {
      conversationId: id, status: frame.status, visitor: { id: '', name: null }, assignee: frame.assignee ?? null,
      lastSeq: frame.lastSeq ?? 0, readSeq: 0, unread: 0, updatedAt: new Date().toISOString(),
    };
    if (isFrame) notify('newConversation', id, t('newConversation'));
    void preview(id);
    // A conversation announced before its first message was committed: look again shortly.
    if (!frame.lastSeq) for (const delay of [700, 2500]) setTimeout(() => { const c = store.convs[id]; if (c && !hasPreview(c)) void preview(id); }, delay);
  }
  if (isFrame) scheduleRefresh();
}

const absorbed: Record<string, number> = {};
const previewTimers: Record<string, ReturnType<typeof setTimeout>> = {};
const previewedAt: Record<string, number> = {};
function schedulePreview(id: string, force = false): void {
  clearTimeout(previewTimers[id]);
  previewTimers[id] = setTimeout(() => {
    const lastSeq = store.convs[id]?.lastSeq ?? 0;
    if (force ? previewedAt[id] !== lastSeq : lastSeq > (absorbed[id] ?? 0)) void preview(id);
  }, 300);
}

/** Fills a conversation's preview (last text, visitor id, unread) from its latest messages. */
async function preview(id: string): Promise<void> {
  if (!client || client.state !== 'open') return;
  const conv = store.convs[id];
  if (!conv) return;
  try {
    const last = Math.max(conv.lastSeq, client.getConversation(id)?.lastSeq ?? 0);
    previewedAt[id] = conv.lastSeq;
    const page = await client.history(id, last > 0 ? last + 1 : Number.MAX_SAFE_INTEGER, 20);
    const c = store.convs[id];
    if (!c) return;
    for (const m of page.items) absorb(c, m);
    if (!isViewing(id)) c.unread = Math.max(c.unread, page.items.filter((m) => m.sender?.type === 'visitor' && m.seq > c.readSeq).length);
  } catch {
    // Not allowed to read it (yet): the list still shows it.
  }
}

/** The list previews what people wrote, not system events (the REST list's lastMessage may be one). */
function hasPreview(conv: ConversationItem): boolean {
  return !!conv.lastMessage && conv.lastMessage.kind !== 'event' && conv.lastMessage.kind !== 'hidden';
}

/** Updates a list item from a message: last seq, preview text, who the visitor is. */
function absorb(conv: ConversationItem, m: Message): void {
  conv.lastSeq = Math.max(conv.lastSeq, m.seq);
  absorbed[conv.conversationId] = Math.max(absorbed[conv.conversationId] ?? 0, m.seq);
  if (m.sender?.type === 'visitor' && !conv.visitor.id) conv.visitor = { ...conv.visitor, id: m.sender.id, name: conv.visitor.name ?? m.sender.name ?? null };
  if (m.kind === 'event' || m.kind === 'hidden') return;
  const at = m.createdAt ?? new Date().toISOString();
  if (!hasPreview(conv) || (conv.lastMessage!.createdAt ?? '') <= at) {
    conv.lastMessage = { kind: m.kind, text: m.text, createdAt: at };
    conv.updatedAt = at;
  }
}

function onMessage(m: Message): void {
  const id = m.conversationId;
  const cm = store.messages[id];
  if (cm) cm.bySeq[m.seq] = m;
  const conv = store.convs[id];
  const fromVisitor = m.sender?.type === 'visitor';
  if (conv) {
    absorb(conv, m);
    if (!hasPreview(conv)) schedulePreview(id, true);
  } else scheduleRefresh();
  if (fromVisitor) store.typing[id] = false;
  if (!fromVisitor || !client) return;
  client.markDelivered(id, m.seq);
  if (isViewing(id)) {
    client.markRead(id, m.seq);
    if (conv) conv.unread = 0;
  } else if (conv) {
    conv.unread += 1;
  }
  if (!conv) notify('newConversation', id, messagePreview(m));
  else if (document.visibilityState === 'hidden') notify('newMessage', id, `${conv.visitor.name || t('anonymous')}: ${messagePreview(m)}`);
}

export async function openConversation(id: string): Promise<void> {
  if (!store.convs[id]) {
    try { store.convs[id] = await api.conversation(id); } catch { return; }
  }
  await select(id);
}

export async function select(id: string): Promise<void> {
  if (store.selectedId && store.selectedId !== id && watching.has(store.selectedId)) {
    client?.watch(store.selectedId, false);
    watching.delete(store.selectedId);
  }
  store.selectedId = id;
  const conv = store.convs[id];
  if (conv && conv.assignee?.id !== store.me?.id && client) {
    watching.add(id);
    client.watch(id, true);
  }
  await ensureLoaded(id);
  markRead(id);
  const visitorId = store.convs[id]?.visitor.id;
  if (visitorId) {
    api.visitor(visitorId).then((v) => { store.visitors[visitorId] = v; }, () => undefined);
  }
}

async function ensureLoaded(id: string): Promise<void> {
  const cm = (store.messages[id] ??= { bySeq: {}, hasOlder: true, loading: false, loaded: false });
  if (cm.loaded) return;
  await loadOlder(id);
}

export async function loadOlder(id: string): Promise<void> {
  const cm = store.messages[id];
  if (!cm || cm.loading || !client) return;
  const seqs = Object.keys(cm.bySeq).map(Number);
  const last = Math.max(store.convs[id]?.lastSeq ?? 0, client.getConversation(id)?.lastSeq ?? 0, ...seqs);
  // Without a known end, ask for the newest page ("before infinity").
  const oldest = seqs.length ? Math.min(...seqs) : last > 0 ? last + 1 : Number.MAX_SAFE_INTEGER;
  if (oldest <= 1 && cm.loaded) {
    cm.hasOlder = false;
    return;
  }
  cm.loading = true;
  try {
    const page = await client.history(id, oldest, 50);
    for (const m of page.items) cm.bySeq[m.seq] ??= m;
    const conv = store.convs[id];
    if (conv) for (const m of page.items) absorb(conv, m);
    cm.hasOlder = page.hasMore;
    if (!cm.loaded) {
      cm.loaded = true;
      // From here on the live stream continues where this page ends, in order, across reconnects.
      client.follow(id, Math.max(last, ...page.items.map((m) => m.seq)));
    }
  } catch {
    // Disconnected: welcome triggers ensureLoaded again.
  } finally {
    cm.loading = false;
  }
}

export function markRead(id: string): void {
  if (!client || !isViewing(id)) return;
  const cm = store.messages[id];
  if (!cm) return;
  let last = 0;
  for (const m of Object.values(cm.bySeq)) if (m.sender?.type === 'visitor' && m.seq > last) last = m.seq;
  if (last) {
    client.markDelivered(id, last);
    client.markRead(id, last);
  }
  const conv = store.convs[id];
  if (conv) conv.unread = 0;
}

export function send(id: string, text: string): void {
  client?.send({ conversationId: id, kind: 'text', text });
}

export interface FileSend { file: Blob; name?: string; kind?: AttachmentKind; durationSeconds?: number; text?: string }

/** Uploads (resumable) and then sends a file, image or voice message to the conversation. */
export function sendFile(id: string, f: FileSend): void {
  if (!client) return;
  const p = client.sendAttachment({ conversationId: id, ...f });
  if (p.kind === 'image') store.previews[p.clientMsgId] = URL.createObjectURL(f.file);
}
export function retryUpload(clientMsgId: string): void { client?.retryUpload(clientMsgId); }
export function cancelUpload(clientMsgId: string): void { client?.cancelUpload(clientMsgId); }

/** Drops the local preview of an image once its message (with the server's thumbnail) replaced it. */
function forgetPreviews(): void {
  const pending = new Set([...store.uploads.map((u) => u.clientMsgId), ...store.outbox.map((e) => e.clientMsgId)]);
  for (const [id, url] of Object.entries(store.previews)) {
    if (pending.has(id)) continue;
    URL.revokeObjectURL(url);
    delete store.previews[id];
  }
}

let typingSentAt = 0;
let typingIdle: ReturnType<typeof setTimeout> | undefined;
export function typed(id: string, hasText: boolean): void {
  if (!client) return;
  clearTimeout(typingIdle);
  if (!hasText) return stopTyping(id);
  if (Date.now() - typingSentAt > 3000) {
    client.typing(id, true);
    typingSentAt = Date.now();
  }
  typingIdle = setTimeout(() => stopTyping(id), 3000);
}
export function stopTyping(id: string): void {
  clearTimeout(typingIdle);
  if (typingSentAt) client?.typing(id, false);
  typingSentAt = 0;
}

export async function claim(id: string): Promise<void> {
  try {
    store.convs[id] = await api.claim(id);
    watching.delete(id);
    store.tab = 'mine';
  } catch (err) {
    if (err instanceof HttpError && err.status === 409) toast(t('claimTaken'));
    else toast(String(err));
  }
  scheduleRefresh();
}

export async function closeConversation(id: string): Promise<void> {
  try {
    await api.close(id);
    const conv = store.convs[id];
    if (conv) conv.status = 'closed';
  } catch (err) {
    toast(String(err));
  }
  scheduleRefresh();
}

export function setSound(on: boolean): void {
  store.sound = on;
  localStorage.setItem('kefu.console.sound', on ? 'on' : 'off');
}

document.addEventListener('visibilitychange', () => {
  if (store.selectedId) markRead(store.selectedId);
});
