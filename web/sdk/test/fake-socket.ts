import type { WebSocketLike } from '../src/client';

/** An in-memory WebSocket the tests drive by hand: open it, push server frames, close it. */
export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  static get last(): FakeSocket { return FakeSocket.instances[FakeSocket.instances.length - 1]!; }
  static reset(): void { FakeSocket.instances = []; }

  readyState = 0;
  readonly sent: Record<string, any>[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closedWith?: number;

  constructor(readonly url: string, readonly protocols?: string | string[]) {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // ---- test side
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  push(frame: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  ofType(type: string): Record<string, any>[] {
    return this.sent.filter((f) => f.type === type);
  }

  get hello(): Record<string, any> {
    return this.ofType('hello')[0]!;
  }

  welcome(extra: Record<string, unknown> = {}): void {
    this.push({
      type: 'welcome', rid: this.hello.rid, sessionId: 's1', role: 'visitor', userId: 'v1',
      serverTime: new Date().toISOString(), heartbeatSeconds: 30,
      limits: { maxTextLength: 4000, sendsPer10Seconds: 20, maxFrameBytes: 65536 },
      conversations: [], ...extra,
    });
  }

  ack(send: Record<string, any>, conversationId: string, seq: number): void {
    this.push({
      type: 'ack', rid: send.rid, clientMsgId: send.clientMsgId, conversationId,
      msgId: `m${seq}`, seq, createdAt: new Date().toISOString(),
    });
  }
}

export function msg(conversationId: string, seq: number, text = `t${seq}`, senderType = 'agent'): Record<string, unknown> {
  return {
    type: 'message', conversationId, seq, msgId: `m${seq}`, kind: 'text', text,
    sender: { type: senderType, id: senderType === 'agent' ? 'a1' : 'v1' }, createdAt: new Date().toISOString(),
  };
}
