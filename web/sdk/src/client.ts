import { backoffDelay, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { attachmentKindFor, type AttachmentKind } from './attachments.js';
import { defaultStorage, Outbox, type OutboxEntry, type StorageLike } from './outbox.js';
import { startUpload, uploadEndpointFor, type UploadStatus, type UploadTask, type UploadTuning } from './upload.js';
import {
  CloseCodes, PERMANENT_SEND_ERRORS, SUBPROTOCOL,
  type AckFrame, type ConversationFrame, type ConversationStatus, type ConversationSummary, type ErrorFrame,
  type Message, type MessagesFrame, type PageContext, type PageFrame, type Participant, type ReceiptFrame,
  type Role, type SendInput, type ServerFrame, type TypingFrame, type WelcomeFrame,
} from './protocol.js';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What the client knows about one conversation, merged from welcome, conversation and receipt frames. */
export interface ConversationInfo {
  conversationId: string;
  status?: ConversationStatus;
  lastSeq: number;
  assignee?: Participant | null;
  team?: string | null;
  queuePosition?: number | null;
  estimatedWaitSeconds?: number | null;
  readSeq: number;
  deliveredSeq: number;
  peerReadSeq: number;
  peerDeliveredSeq: number;
}

export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol?: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface KefuClientOptions {
  /** WebSocket URL, e.g. wss://chat.example.com/ws. */
  url: string;
  /** Returns a bearer token; `expired` after the server closed with 4401, so the caller renews it. */
  getToken: (reason: 'connect' | 'expired') => string | Promise<string>;
  /** Where unacked sends survive a reload; localStorage by default. */
  storage?: StorageLike;
  storageKey?: string;
  WebSocket?: WebSocketCtor;
  client?: { name: string; version: string };
  /** Sent in `hello` (visitor page context). */
  context?: PageContext;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  /** Resend an unacked send on the same socket after this long. */
  ackTimeoutMs?: number;
  /** Wait this long for a message a `conversation`/`ack` frame announced before syncing. */
  gapCheckDelayMs?: number;
  /** Reconnect on the browser's `online` event and drop the socket on `offline`. */
  watchNetwork?: boolean;
  createId?: () => string;
  /** Attachment uploads (tus): endpoint (default: /api/v1/uploads on the WebSocket's host), chunk size, retries. */
  upload?: UploadTuning;
}

/** An attachment on its way: uploading (or waiting for the network) before its message is sent. */
export interface PendingUpload {
  clientMsgId: string;
  conversationId?: string;
  kind: AttachmentKind;
  name: string;
  size: number;
  contentType: string;
  text?: string;
  durationSeconds?: number;
  file: Blob;
  /** Bytes sent so far (including the part the server already had when it resumed). */
  sent: number;
  status: UploadStatus;
  error?: string;
  /** The HTTP status that failed the upload: 413 too large (or over the site's quota), 415 a type the site refuses. */
  errorStatus?: number;
}

export interface AttachmentInput {
  conversationId?: string;
  file: Blob;
  /** Defaults to the File's name. */
  name?: string;
  /** Defaults to `image` for PNG, JPEG, GIF and WebP, else `file`. */
  kind?: AttachmentKind;
  /** A caption. */
  text?: string;
  durationSeconds?: number;
}

export interface KefuClientEvents {
  state: (state: ConnectionState) => void;
  welcome: (frame: WelcomeFrame) => void;
  /** Live messages: each seq once, in seq order per conversation (gaps are synced before later ones). */
  message: (message: Message) => void;
  ack: (ack: AckFrame, entry: OutboxEntry) => void;
  sendFailed: (entry: OutboxEntry, error: ErrorFrame) => void;
  outbox: (entries: readonly OutboxEntry[]) => void;
  /** Uploads in progress changed (added, progress, status, finished and handed to the outbox). */
  uploads: (uploads: readonly PendingUpload[]) => void;
  conversation: (info: ConversationInfo, frame: ConversationFrame | ConversationSummary) => void;
  receipt: (frame: ReceiptFrame, info: ConversationInfo) => void;
  typing: (frame: TypingFrame) => void;
  page: (frame: PageFrame) => void;
  /** An `error` frame that answers no pending request. */
  error: (frame: ErrorFrame) => void;
  /** The server refused this client for good (4403); no more reconnects. */
  fatal: (code: number, reason: string) => void;
}

export class RequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

interface Tracker {
  /** Highest seq delivered to the app with every lower one (above the baseline) delivered too. */
  seen: number;
  pending: Map<number, Message>;
  syncing: boolean;
  gapTimer?: ReturnType<typeof setTimeout>;
}

interface PendingRequest {
  resolve: (frame: ServerFrame) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;
const MAX_IN_FLIGHT = 10;
const SYNC_PAGE = 200;

function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * A protocol v1 connection that survives network drops: it reconnects with jittered backoff, resumes
 * every conversation it follows, retries unacked sends with the same clientMsgId, and hands the app
 * each message exactly once and in seq order.
 */
export class KefuClient extends Emitter<KefuClientEvents> {
  private readonly opts: Required<Pick<KefuClientOptions,
    'requestTimeoutMs' | 'ackTimeoutMs' | 'gapCheckDelayMs' | 'createId'>> & KefuClientOptions;
  private readonly outboxStore: Outbox;
  private readonly WS: WebSocketCtor;
  private ws: WebSocketLike | null = null;
  private _state: ConnectionState = 'idle';
  private attempt = 0;
  private everOpened = false;
  private tokenExpired = false;
  private stopped = true;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private heartbeatTimer?: ReturnType<typeof setInterval>;
  private flushTimer?: ReturnType<typeof setTimeout>;
  private lastFrameAt = 0;
  private heartbeatMs = 30_000;
  private ridCounter = 0;
  private helloRid = '';
  private readonly requests = new Map<string, PendingRequest>();
  /** clientMsgId -> time the send was last written to the current socket. */
  private readonly inFlight = new Map<string, number>();
  private readonly sendRids = new Map<string, string>();
  private rateLimitedUntil = 0;
  private pendingClientConvId?: string;
  private readonly trackers = new Map<string, Tracker>();
  private readonly convs = new Map<string, ConversationInfo>();
  private readonly watched = new Set<string>();
  private context?: PageContext;
  private detachNetwork?: () => void;
  private readonly ackWaiters = new Map<string, Array<(ack: AckFrame) => void>>();
  private readonly uploadTasks = new Map<string, { pending: PendingUpload; task: UploadTask }>();

  userId = '';
  role: Role | '' = '';
  sessionId = '';

  constructor(options: KefuClientOptions) {
    super();
    this.opts = {
      requestTimeoutMs: 15_000,
      ackTimeoutMs: 10_000,
      gapCheckDelayMs: 1_000,
      createId: randomId,
      ...options,
    };
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!WS) throw new Error('No WebSocket implementation available');
    this.WS = WS;
    this.context = options.context;
    this.outboxStore = new Outbox(options.storage ?? defaultStorage(), options.storageKey ?? 'kefu.outbox');
    const pendingStart = this.outboxStore.list().find((e) => e.clientConvId && !e.conversationId);
    this.pendingClientConvId = pendingStart?.clientConvId;
  }

  get state(): ConnectionState { return this._state; }
  get outbox(): readonly OutboxEntry[] { return this.outboxStore.list(); }
  get uploads(): readonly PendingUpload[] { return [...this.uploadTasks.values()].map((u) => u.pending); }
  get conversations(): ReadonlyMap<string, ConversationInfo> { return this.convs; }
  getConversation(id: string): ConversationInfo | undefined { return this.convs.get(id); }

  // ---------------------------------------------------------------- lifecycle

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.opts.watchNetwork) this.attachNetwork();
    void this.openSocket();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.detachNetwork?.();
    this.detachNetwork = undefined;
    this.dropSocket(1000, 'client closed');
    this.setState('closed');
  }

  /** Reconnect now instead of waiting for the backoff timer (e.g. when the network comes back). */
  reconnectNow(): void {
    if (this.stopped || this.ws) return;
    clearTimeout(this.reconnectTimer);
    this.attempt = 0;
    void this.openSocket();
  }

  /** Treat the current socket as dead (e.g. the browser went offline) and start reconnecting. */
  dropConnection(): void {
    if (!this.ws) return;
    this.dropSocket(4000, 'connection dropped');
    this.scheduleReconnect();
  }

  private attachNetwork(): void {
    const g = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
    if (!g.addEventListener || !g.removeEventListener) return;
    const online = () => this.reconnectNow();
    const offline = () => this.dropConnection();
    g.addEventListener('online', online);
    g.addEventListener('offline', offline);
    this.detachNetwork = () => {
      g.removeEventListener!('online', online);
      g.removeEventListener!('offline', offline);
    };
  }

  private setState(state: ConnectionState): void {
    if (this._state === state) return;
    this._state = state;
    this.emit('state', state);
  }

  private async openSocket(): Promise<void> {
    this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    let token: string;
    try {
      token = await this.opts.getToken(this.tokenExpired ? 'expired' : 'connect');
    } catch {
      if (!this.stopped) this.scheduleReconnect();
      return;
    }
    if (this.stopped || this.ws) return;
    let ws: WebSocketLike;
    try {
      ws = new this.WS(this.opts.url, SUBPROTOCOL);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.lastFrameAt = Date.now();
      this.helloRid = this.nextRid('h');
      const resume = [...this.trackers].map(([conversationId, t]) => ({ conversationId, afterSeq: t.seen }));
      this.write({
        type: 'hello', rid: this.helloRid, token,
        ...(resume.length ? { resume } : {}),
        ...(this.context ? { context: this.context } : {}),
        ...(this.opts.client ? { client: this.opts.client } : {}),
      });
    };
    ws.onmessage = (ev) => {
      this.lastFrameAt = Date.now();
      if (typeof ev.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(ev.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame && typeof frame === 'object') this.handleFrame(frame);
    };
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.detach();
      this.onClosed(ev.code, ev.reason ?? '');
    };
  }

  private detach(): void {
    const ws = this.ws;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    }
    this.ws = null;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.flushTimer);
    this.inFlight.clear();
    this.sendRids.clear();
    for (const [rid, req] of this.requests) {
      clearTimeout(req.timer);
      req.reject(new RequestError('disconnected', 'connection closed'));
      this.requests.delete(rid);
    }
    for (const t of this.trackers.values()) {
      clearTimeout(t.gapTimer);
      t.syncing = false;
    }
  }

  private dropSocket(code: number, reason: string): void {
    const ws = this.ws;
    if (!ws) return;
    this.detach();
    try { ws.close(code, reason); } catch { /* already closing */ }
  }

  private onClosed(code: number, reason: string): void {
    if (this.stopped) return;
    if (code === CloseCodes.Forbidden) {
      this.stopped = true;
      this.setState('closed');
      this.emit('fatal', code, reason);
      return;
    }
    if (code === CloseCodes.BadToken) {
      // Renew once right away; a second 4401 in a row backs off like any failure.
      const firstExpiry = !this.tokenExpired;
      this.tokenExpired = true;
      if (firstExpiry) {
        this.setState('reconnecting');
        this.reconnectTimer = setTimeout(() => void this.openSocket(), 0);
        return;
      }
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(this.attempt++, this.opts.backoff);
    this.reconnectTimer = setTimeout(() => void this.openSocket(), delay);
  }

  private write(frame: Record<string, unknown>): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private nextRid(prefix: string): string {
    return `${prefix}${++this.ridCounter}`;
  }

  private request<T extends ServerFrame>(frame: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this._state !== 'open') {
        reject(new RequestError('disconnected', 'not connected'));
        return;
      }
      const rid = this.nextRid('r');
      const timer = setTimeout(() => {
        this.requests.delete(rid);
        reject(new RequestError('timeout', 'request timed out'));
      }, this.opts.requestTimeoutMs);
      this.requests.set(rid, { resolve: resolve as (f: ServerFrame) => void, reject, timer });
      if (!this.write({ ...frame, rid })) {
        clearTimeout(timer);
        this.requests.delete(rid);
        reject(new RequestError('disconnected', 'not connected'));
      }
    });
  }

  // ---------------------------------------------------------------- frames

  private handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome': return this.onWelcome(frame);
      case 'ack': return this.onAck(frame);
      case 'message': return this.deliver(frame);
      case 'messages': return this.onMessages(frame);
      case 'conversation': return this.onConversation(frame);
      case 'receipt': return this.onReceipt(frame);
      case 'typing': return this.emit('typing', frame);
      case 'page': return this.emit('page', frame);
      case 'pong': this.settle(frame.rid, frame); return;
      case 'error': return this.onError(frame);
      default: return; // unknown frame types are ignored (protocol rule: extend freely)
    }
  }

  private settle(rid: string | undefined, frame: ServerFrame): boolean {
    if (!rid) return false;
    const req = this.requests.get(rid);
    if (!req) return false;
    this.requests.delete(rid);
    clearTimeout(req.timer);
    if (frame.type === 'error') req.reject(new RequestError(frame.code, frame.message));
    else req.resolve(frame);
    return true;
  }

  private onWelcome(frame: WelcomeFrame): void {
    this.userId = frame.userId;
    this.role = frame.role;
    this.sessionId = frame.sessionId;
    this.heartbeatMs = Math.max(1, frame.heartbeatSeconds || 30) * 1000;
    this.attempt = 0;
    this.tokenExpired = false;
    this.everOpened = true;
    // Open before announcing conversations, so listeners can already make requests.
    this.setState('open');
    for (const summary of frame.conversations ?? []) {
      const info = this.info(summary.conversationId);
      const localRead = info.readSeq;
      Object.assign(info, {
        status: summary.status,
        assignee: summary.assignee,
        lastSeq: Math.max(info.lastSeq, summary.lastSeq),
        readSeq: Math.max(info.readSeq, summary.readSeq),
        peerReadSeq: Math.max(info.peerReadSeq, summary.peerReadSeq ?? 0),
        peerDeliveredSeq: Math.max(info.peerDeliveredSeq, summary.peerDeliveredSeq ?? 0),
      });
      // A conversation first seen now starts at its current end; its past is history, fetched on demand.
      if (!this.trackers.has(summary.conversationId)) this.track(summary.conversationId, summary.lastSeq);
      this.emit('conversation', info, summary);
      if (localRead > summary.readSeq) this.write({ type: 'read', conversationId: info.conversationId, seq: localRead });
    }
    this.startHeartbeat();
    for (const id of this.watched) this.write({ type: 'watch', conversationId: id, active: true });
    this.emit('welcome', frame);
    for (const [id, t] of this.trackers) {
      const info = this.convs.get(id);
      if (info && info.lastSeq > t.seen) this.scheduleGapCheck(id, this.opts.gapCheckDelayMs);
    }
    this.flush();
  }

  private startHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      // Browsers cannot send protocol pings, so silence is detected here: 2.5 heartbeats without a frame.
      if (Date.now() - this.lastFrameAt > this.heartbeatMs * 2.5) {
        this.dropConnection();
        return;
      }
      this.write({ type: 'ping', rid: this.nextRid('p') });
    }, this.heartbeatMs);
  }

  private onAck(frame: AckFrame): void {
    this.settle(frame.rid, frame);
    this.inFlight.delete(frame.clientMsgId);
    this.sendRids.delete(frame.clientMsgId);
    const entry = this.outboxStore.remove(frame.clientMsgId);
    if (!entry) return; // a duplicate ack of a retried send
    if (entry.clientConvId) {
      this.outboxStore.bindConversation(entry.clientConvId, frame.conversationId);
      if (this.pendingClientConvId === entry.clientConvId) this.pendingClientConvId = undefined;
    }
    // A conversation this send started is followed from its very beginning.
    if (!this.trackers.has(frame.conversationId)) this.track(frame.conversationId, entry.conversationId ? frame.seq - 1 : 0);
    this.hint(frame.conversationId, frame.seq);
    this.emit('ack', frame, entry);
    this.emit('outbox', this.outboxStore.list());
    for (const waiter of this.ackWaiters.get(frame.clientMsgId) ?? []) waiter(frame);
    this.ackWaiters.delete(frame.clientMsgId);
    this.flush();
  }

  private onMessages(frame: MessagesFrame): void {
    if (this.settle(frame.rid, frame)) return;
    // Replay after `hello` stopped at its cap: fetch the rest.
    if (frame.rid === this.helloRid) {
      for (const item of frame.items ?? []) this.deliver(item);
      if (frame.hasMore) void this.catchUp(frame.conversationId);
    }
  }

  private onConversation(frame: ConversationFrame): void {
    const info = this.info(frame.conversationId);
    info.status = frame.status;
    info.lastSeq = Math.max(info.lastSeq, frame.lastSeq ?? 0);
    info.assignee = frame.assignee;
    info.team = frame.team;
    info.queuePosition = frame.queuePosition;
    info.estimatedWaitSeconds = frame.estimatedWaitSeconds;
    this.emit('conversation', info, frame);
    this.hint(frame.conversationId, frame.lastSeq ?? 0);
  }

  private onReceipt(frame: ReceiptFrame): void {
    const info = this.info(frame.conversationId);
    const mine = frame.userId === this.userId;
    if (frame.kind === 'read') {
      if (mine) info.readSeq = Math.max(info.readSeq, frame.seq);
      else info.peerReadSeq = Math.max(info.peerReadSeq, frame.seq);
    } else if (frame.kind === 'delivered') {
      if (mine) info.deliveredSeq = Math.max(info.deliveredSeq, frame.seq);
      else info.peerDeliveredSeq = Math.max(info.peerDeliveredSeq, frame.seq);
    }
    this.emit('receipt', frame, info);
  }

  private onError(frame: ErrorFrame): void {
    const clientMsgId = frame.rid ? [...this.sendRids].find(([, rid]) => rid === frame.rid)?.[0] : undefined;
    if (clientMsgId) {
      this.sendRids.delete(clientMsgId);
      this.inFlight.delete(clientMsgId);
      if (PERMANENT_SEND_ERRORS.has(frame.code)) {
        const entry = this.outboxStore.remove(clientMsgId);
        if (entry) {
          this.emit('sendFailed', entry, frame);
          this.emit('outbox', this.outboxStore.list());
        }
      } else if (frame.code === 'rate_limited') {
        // Everything after it was refused as well; hold all sends so they go out again in order.
        this.rateLimitedUntil = Date.now() + 3_000;
        this.inFlight.clear();
        this.sendRids.clear();
      }
      this.scheduleFlush(frame.code === 'rate_limited' ? 3_000 : this.opts.ackTimeoutMs);
      return;
    }
    if (this.settle(frame.rid, frame)) return;
    this.emit('error', frame);
  }

  // ---------------------------------------------------------------- ordered delivery

  private info(id: string): ConversationInfo {
    let info = this.convs.get(id);
    if (!info) {
      info = { conversationId: id, lastSeq: 0, readSeq: 0, deliveredSeq: 0, peerReadSeq: 0, peerDeliveredSeq: 0 };
      this.convs.set(id, info);
    }
    return info;
  }

  private track(id: string, baseline: number): Tracker {
    let t = this.trackers.get(id);
    if (!t) {
      t = { seen: Math.max(0, baseline), pending: new Map(), syncing: false };
      this.trackers.set(id, t);
    }
    return t;
  }

  /**
   * Follows a conversation from `afterSeq` on: later messages arrive as `message` events, in order,
   * also across reconnects (resume). Used for conversations an agent watches.
   */
  follow(conversationId: string, afterSeq: number): void {
    this.track(conversationId, afterSeq);
    this.hint(conversationId, this.convs.get(conversationId)?.lastSeq ?? 0);
  }

  /** The highest seq delivered in order for a followed conversation. */
  seenSeq(conversationId: string): number | undefined {
    return this.trackers.get(conversationId)?.seen;
  }

  private deliver(msg: Message): void {
    if (!msg || typeof msg.seq !== 'number' || !msg.conversationId) return;
    const t = this.trackers.get(msg.conversationId) ?? this.track(msg.conversationId, msg.seq - 1);
    if (msg.seq <= t.seen || t.pending.has(msg.seq)) return;
    if (msg.seq === t.seen + 1) {
      this.emitInOrder(msg.conversationId, t, msg);
    } else {
      // A jump: something was missed. Hold this one and fetch the gap now.
      t.pending.set(msg.seq, msg);
      void this.catchUp(msg.conversationId);
    }
  }

  private emitInOrder(id: string, t: Tracker, msg: Message): void {
    let next: Message | undefined = msg;
    while (next) {
      t.pending.delete(next.seq);
      t.seen = next.seq;
      const info = this.info(id);
      info.lastSeq = Math.max(info.lastSeq, next.seq);
      this.emit('message', next);
      next = t.pending.get(t.seen + 1);
    }
  }

  /** A frame says the conversation reached `seq`; if that message does not show up soon, sync. */
  private hint(id: string, seq: number): void {
    const t = this.trackers.get(id);
    if (!t || seq <= t.seen) return;
    const info = this.info(id);
    info.lastSeq = Math.max(info.lastSeq, seq);
    this.scheduleGapCheck(id, this.opts.gapCheckDelayMs);
  }

  private scheduleGapCheck(id: string, delay: number): void {
    const t = this.trackers.get(id);
    if (!t || t.gapTimer) return;
    t.gapTimer = setTimeout(() => {
      t.gapTimer = undefined;
      if ((this.convs.get(id)?.lastSeq ?? 0) > t.seen) void this.catchUp(id);
    }, delay);
  }

  private async catchUp(id: string): Promise<void> {
    const t = this.trackers.get(id);
    if (!t || t.syncing || this._state !== 'open') return;
    t.syncing = true;
    let complete = false;
    try {
      for (let page = 0; page < 1000; page++) {
        const res = await this.request<MessagesFrame>({ type: 'sync', conversationId: id, afterSeq: t.seen, limit: SYNC_PAGE });
        const before = t.seen;
        for (const item of [...(res.items ?? [])].sort((a, b) => a.seq - b.seq)) this.deliver(item);
        if (!res.hasMore || t.seen === before) {
          complete = true;
          break;
        }
      }
    } catch {
      // Disconnected or refused: resume on the next welcome heals it.
    } finally {
      t.syncing = false;
    }
    if (complete && t.pending.size > 0) {
      // The store says nothing more exists below what we hold: do not stall on a hole forever.
      const first = Math.min(...t.pending.keys());
      t.seen = first - 1;
      this.emitInOrder(id, t, t.pending.get(first)!);
    }
  }

  // ---------------------------------------------------------------- sends

  /**
   * Queues a message. It is stored in the outbox first and sent whenever connected, with the same
   * clientMsgId on every try, until the server acks it. Without conversationId a visitor's send goes
   * to its open conversation, started if none.
   */
  send(input: SendInput): OutboxEntry {
    const existing = input.clientMsgId ? this.outboxStore.get(input.clientMsgId) : undefined;
    if (existing) return existing;
    const entry: OutboxEntry = {
      clientMsgId: input.clientMsgId ?? this.opts.createId(),
      kind: input.kind ?? 'text',
      createdAt: new Date().toISOString(),
    };
    if (input.conversationId) entry.conversationId = input.conversationId;
    else entry.clientConvId = this.pendingClientConvId ??= this.opts.createId();
    if (input.text !== undefined) entry.text = input.text;
    if (input.attachment) {
      entry.attachment = { id: input.attachment.id };
      if (input.attachment.durationSeconds !== undefined) entry.attachment.durationSeconds = input.attachment.durationSeconds;
    }
    if (input.file) entry.file = { name: input.file.name, size: input.file.size, contentType: input.file.contentType };
    if (input.meta) entry.meta = input.meta;
    this.outboxStore.add(entry);
    this.emit('outbox', this.outboxStore.list());
    this.flush();
    return entry;
  }

  /**
   * Uploads a file (tus, resumed after network drops from the server's offset), then sends it as an
   * `image`, `file` or `voice` message through the outbox, with one clientMsgId from start to ack.
   * Until the upload completes it is listed in `uploads` (a pending bubble).
   */
  sendAttachment(input: AttachmentInput): PendingUpload {
    const clientMsgId = this.opts.createId();
    const name = input.name ?? (input.file as Partial<File>).name ?? 'file';
    const contentType = input.file.type || 'application/octet-stream';
    const pending: PendingUpload = {
      clientMsgId, kind: input.kind ?? attachmentKindFor(contentType), name, size: input.file.size, contentType,
      file: input.file, sent: 0, status: 'uploading',
      ...(input.conversationId ? { conversationId: input.conversationId } : {}),
      ...(input.text ? { text: input.text } : {}),
      ...(input.durationSeconds !== undefined ? { durationSeconds: input.durationSeconds } : {}),
    };
    const changed = () => this.emit('uploads', this.uploads);
    const task = startUpload({
      ...this.opts.upload,
      endpoint: this.opts.upload?.endpoint ?? uploadEndpointFor(this.opts.url),
      file: input.file, name, contentType, getToken: this.opts.getToken,
      onProgress: (sent) => { pending.sent = sent; changed(); },
      onStatus: (status, err) => {
        pending.status = status;
        if (err) {
          pending.error = err.message;
          pending.errorStatus = err.status;
        } else {
          delete pending.error;
          delete pending.errorStatus;
        }
        changed();
      },
    });
    this.uploadTasks.set(clientMsgId, { pending, task });
    changed();
    task.done.then(({ id }) => {
      this.uploadTasks.delete(clientMsgId);
      this.send({
        clientMsgId, conversationId: pending.conversationId, kind: pending.kind, text: pending.text,
        attachment: { id, ...(pending.durationSeconds !== undefined ? { durationSeconds: pending.durationSeconds } : {}) },
        file: { name, size: pending.size, contentType },
      });
      changed();
    }, () => { /* cancelled */ });
    return pending;
  }

  /** Tries a failed (or waiting) upload again now. */
  retryUpload(clientMsgId: string): void {
    this.uploadTasks.get(clientMsgId)?.task.retry();
  }

  /** Stops an upload and forgets it (the partial file is deleted on the server). */
  cancelUpload(clientMsgId: string): void {
    const u = this.uploadTasks.get(clientMsgId);
    if (!u) return;
    this.uploadTasks.delete(clientMsgId);
    u.task.abort();
    this.emit('uploads', this.uploads);
  }

  /** Resolves when the server acks the send (it may take several reconnects). */
  waitForAck(clientMsgId: string): Promise<AckFrame> {
    return new Promise((resolve) => {
      const list = this.ackWaiters.get(clientMsgId) ?? [];
      list.push(resolve);
      this.ackWaiters.set(clientMsgId, list);
    });
  }

  private scheduleFlush(delay: number): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    if (this._state !== 'open') return;
    const now = Date.now();
    if (now < this.rateLimitedUntil) {
      this.scheduleFlush(this.rateLimitedUntil - now);
      return;
    }
    let nextCheck = Infinity;
    for (const entry of this.outboxStore.list()) {
      const sentAt = this.inFlight.get(entry.clientMsgId);
      if (sentAt !== undefined && now - sentAt < this.opts.ackTimeoutMs) {
        nextCheck = Math.min(nextCheck, sentAt + this.opts.ackTimeoutMs - now);
        continue;
      }
      if (sentAt === undefined && this.inFlight.size >= MAX_IN_FLIGHT) break;
      const rid = this.nextRid('s');
      const ok = this.write({
        type: 'send', rid, clientMsgId: entry.clientMsgId,
        ...(entry.conversationId ? { conversationId: entry.conversationId } : {}),
        ...(entry.clientConvId && !entry.conversationId ? { clientConvId: entry.clientConvId } : {}),
        kind: entry.kind,
        ...(entry.text !== undefined ? { text: entry.text } : {}),
        ...(entry.attachment ? { attachment: { id: entry.attachment.id, ...(entry.attachment.durationSeconds !== undefined ? { durationSeconds: entry.attachment.durationSeconds } : {}) } } : {}),
        ...(entry.meta ? { meta: entry.meta } : {}),
      });
      if (!ok) return;
      this.inFlight.set(entry.clientMsgId, now);
      this.sendRids.set(entry.clientMsgId, rid);
      nextCheck = Math.min(nextCheck, this.opts.ackTimeoutMs);
    }
    if (nextCheck !== Infinity) this.scheduleFlush(nextCheck);
  }

  // ---------------------------------------------------------------- other client frames

  /** Older messages for scrolling back; not part of the live stream. */
  async history(conversationId: string, beforeSeq: number, limit = 50): Promise<MessagesFrame> {
    const res = await this.request<MessagesFrame>({ type: 'sync', conversationId, beforeSeq, limit });
    return { ...res, items: [...(res.items ?? [])].sort((a, b) => a.seq - b.seq) };
  }

  /** Messages after `afterSeq`, not part of the live stream (use `follow` for that). */
  async fetchAfter(conversationId: string, afterSeq: number, limit = 50): Promise<MessagesFrame> {
    const res = await this.request<MessagesFrame>({ type: 'sync', conversationId, afterSeq, limit });
    return { ...res, items: [...(res.items ?? [])].sort((a, b) => a.seq - b.seq) };
  }

  markRead(conversationId: string, seq: number): void {
    const info = this.info(conversationId);
    if (seq <= info.readSeq) return;
    info.readSeq = seq;
    if (seq > info.deliveredSeq) info.deliveredSeq = seq;
    this.write({ type: 'read', conversationId, seq });
  }

  markDelivered(conversationId: string, seq: number): void {
    const info = this.info(conversationId);
    if (seq <= info.deliveredSeq) return;
    info.deliveredSeq = seq;
    this.write({ type: 'delivered', conversationId, seq });
  }

  typing(conversationId: string, active: boolean): void {
    this.write({ type: 'typing', conversationId, active });
  }

  /** Agents: receive live frames of a conversation not assigned to them (renewed after reconnects). */
  watch(conversationId: string, active: boolean): void {
    if (active) this.watched.add(conversationId);
    else this.watched.delete(conversationId);
    this.write({ type: 'watch', conversationId, active });
  }

  /** Visitors: the page changed (single-page app navigation). Also used in the next `hello`. */
  page(context: PageContext): void {
    this.context = context;
    this.write({ type: 'page', context });
  }

  ping(): Promise<ServerFrame> {
    return this.request({ type: 'ping' });
  }
}
