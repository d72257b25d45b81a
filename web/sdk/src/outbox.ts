import type { AttachmentRef, LocalFile, MessageKind } from './protocol.js';

/** A send the server has not acknowledged yet. Retried with the same clientMsgId until acked. */
export interface OutboxEntry {
  clientMsgId: string;
  conversationId?: string;
  /** Set when this send starts the visitor's conversation; shared by every send queued before the first ack. */
  clientConvId?: string;
  kind: MessageKind;
  text?: string;
  attachment?: AttachmentRef;
  /** Name, size and type of an attachment, for the pending bubble (not sent). */
  file?: LocalFile;
  meta?: Record<string, unknown>;
  createdAt: string;
}

/** The subset of the Web Storage API the outbox needs; localStorage fits, so does a Map-backed fake. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): StorageLike {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

export function defaultStorage(): StorageLike {
  try {
    const ls = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (ls) {
      const probe = '__kefu_probe__';
      ls.setItem(probe, '1');
      ls.removeItem(probe);
      return ls;
    }
  } catch {
    // Private mode or a sandboxed iframe: fall back to memory (the outbox then lives as long as the page).
  }
  return memoryStorage();
}

/** Unacked sends in send order, written through to storage on every change so a reload keeps them. */
export class Outbox {
  private entries: OutboxEntry[];

  constructor(private readonly storage: StorageLike, private readonly key: string) {
    this.entries = Outbox.read(storage, key);
  }

  private static read(storage: StorageLike, key: string): OutboxEntry[] {
    try {
      const raw = storage.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter((e): e is OutboxEntry => !!e && typeof e.clientMsgId === 'string') : [];
    } catch {
      return [];
    }
  }

  list(): readonly OutboxEntry[] { return this.entries; }

  get(clientMsgId: string): OutboxEntry | undefined {
    return this.entries.find((e) => e.clientMsgId === clientMsgId);
  }

  add(entry: OutboxEntry): void {
    this.entries.push(entry);
    this.persist();
  }

  remove(clientMsgId: string): OutboxEntry | undefined {
    const i = this.entries.findIndex((e) => e.clientMsgId === clientMsgId);
    if (i < 0) return undefined;
    const [removed] = this.entries.splice(i, 1);
    this.persist();
    return removed;
  }

  /** Once the server has named the conversation a pending start created, later sends target it directly. */
  bindConversation(clientConvId: string, conversationId: string): void {
    let changed = false;
    for (const e of this.entries) {
      if (e.clientConvId === clientConvId && !e.conversationId) {
        e.conversationId = conversationId;
        delete e.clientConvId;
        changed = true;
      }
    }
    if (changed) this.persist();
  }

  private persist(): void {
    try {
      if (this.entries.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(this.entries));
    } catch {
      // Quota exceeded: the entries stay in memory and are still retried while the page lives.
    }
  }
}
