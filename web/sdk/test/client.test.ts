import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KefuClient, memoryStorage, type Message, type StorageLike } from '../src';
import { FakeSocket, msg } from './fake-socket';

let ids = 0;
function makeClient(storage: StorageLike = memoryStorage(), extra: Partial<ConstructorParameters<typeof KefuClient>[0]> = {}) {
  const getToken = vi.fn(async (_reason: 'connect' | 'expired') => 'tok');
  const client = new KefuClient({
    url: 'ws://test/ws', getToken, storage, storageKey: 'ob', WebSocket: FakeSocket,
    createId: () => `id${++ids}`, backoff: { baseMs: 100, maxMs: 1000, random: () => 0.5 }, ...extra,
  });
  const messages: Message[] = [];
  client.on('message', (m) => messages.push(m));
  return { client, getToken, messages };
}

async function connected(client: KefuClient, welcome: Record<string, unknown> = {}): Promise<FakeSocket> {
  client.connect();
  await vi.advanceTimersByTimeAsync(0);
  const ws = FakeSocket.last;
  ws.open();
  ws.welcome(welcome);
  return ws;
}

async function dropAndReconnect(ws: FakeSocket, welcome: Record<string, unknown> = {}): Promise<FakeSocket> {
  ws.serverClose(1006);
  await vi.advanceTimersByTimeAsync(2000);
  const next = FakeSocket.last;
  expect(next).not.toBe(ws);
  next.open();
  next.welcome(welcome);
  return next;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
  ids = 0;
});
afterEach(() => vi.useRealTimers());

describe('connecting', () => {
  it('sends hello with the token and the kefu.v1 subprotocol, then is open after welcome', async () => {
    const { client } = makeClient();
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    const ws = await connected(client);
    expect(ws.protocols).toBe('kefu.v1');
    expect(ws.hello).toMatchObject({ type: 'hello', token: 'tok' });
    expect(ws.hello.rid).toBeTruthy();
    expect(client.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
  });

  it('pings every heartbeatSeconds', async () => {
    const { client } = makeClient();
    const ws = await connected(client, { heartbeatSeconds: 5 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ws.ofType('ping')).toHaveLength(1);
    ws.push({ type: 'pong', rid: ws.ofType('ping')[0]!.rid, serverTime: '' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ws.ofType('ping')).toHaveLength(2);
  });

  it('drops a silent connection after missing heartbeats and reconnects', async () => {
    const { client } = makeClient();
    const ws = await connected(client, { heartbeatSeconds: 2 });
    await vi.advanceTimersByTimeAsync(6_500);
    expect(ws.closedWith).toBeDefined();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(FakeSocket.instances.length).toBe(2);
  });

  it('reconnects with growing jittered backoff and resets it after welcome', async () => {
    const { client } = makeClient(memoryStorage(), { backoff: { baseMs: 100, maxMs: 10_000, random: () => 1 } });
    const ws = await connected(client);
    ws.serverClose(1001);
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(99);
    expect(FakeSocket.instances.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances.length).toBe(2);
    FakeSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(199);
    expect(FakeSocket.instances.length).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances.length).toBe(3);
  });

  it('renews the token after a 4401 close', async () => {
    const { client, getToken } = makeClient();
    const ws = await connected(client);
    ws.serverClose(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(getToken).toHaveBeenLastCalledWith('expired');
    expect(FakeSocket.instances.length).toBe(2);
  });

  it('stops for good after a 4403 close', async () => {
    const { client } = makeClient();
    const fatal = vi.fn();
    client.on('fatal', fatal);
    const ws = await connected(client);
    ws.serverClose(4403);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fatal).toHaveBeenCalledWith(4403, '');
    expect(FakeSocket.instances.length).toBe(1);
    expect(client.state).toBe('closed');
  });
});

describe('sending', () => {
  it('keeps a send in the outbox until its ack', async () => {
    const storage = memoryStorage();
    const { client } = makeClient(storage);
    const ws = await connected(client, { conversations: [{ conversationId: 'c1', status: 'open', lastSeq: 0, readSeq: 0, peerReadSeq: 0, peerDeliveredSeq: 0 }] });
    const entry = client.send({ conversationId: 'c1', text: 'hi' });
    const send = ws.ofType('send')[0]!;
    expect(send).toMatchObject({ clientMsgId: entry.clientMsgId, conversationId: 'c1', kind: 'text', text: 'hi' });
    expect(JSON.parse(storage.getItem('ob')!)).toHaveLength(1);
    ws.ack(send, 'c1', 1);
    expect(client.outbox).toHaveLength(0);
    expect(storage.getItem('ob')).toBeNull();
  });

  it('queues sends while offline and sends each once, in order, with the same ids after reconnect', async () => {
    const { client } = makeClient();
    const ws = await connected(client);
    const first = client.send({ text: 'one' });
    const firstFrame = ws.ofType('send')[0]!;
    ws.serverClose(1006);
    const second = client.send({ text: 'two' });
    const third = client.send({ text: 'three' });
    expect(client.outbox).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2_000);
    const ws2 = FakeSocket.last;
    expect(ws2).not.toBe(ws);
    ws2.open();
    ws2.welcome();
    const sends = ws2.ofType('send');
    expect(sends.map((s) => s.clientMsgId)).toEqual([first.clientMsgId, second.clientMsgId, third.clientMsgId]);
    expect(sends.map((s) => s.text)).toEqual(['one', 'two', 'three']);
    // All three share the conversation start key, so they land in one new conversation.
    expect(new Set(sends.map((s) => s.clientConvId)).size).toBe(1);
    expect(sends[0]!.clientConvId).toBe(firstFrame.clientConvId);
  });

  it('binds later queued sends to the conversation the first ack names', async () => {
    const { client } = makeClient();
    const ws = await connected(client);
    client.send({ text: 'one' });
    client.send({ text: 'two' });
    ws.ack(ws.ofType('send')[0]!, 'c9', 1);
    expect(client.outbox[0]).toMatchObject({ text: 'two', conversationId: 'c9' });
    expect(client.outbox[0]!.clientConvId).toBeUndefined();
  });

  it('retries an unacked send on the same socket after the ack timeout, same clientMsgId', async () => {
    const { client } = makeClient(memoryStorage(), { ackTimeoutMs: 5_000 });
    const ws = await connected(client);
    const e = client.send({ conversationId: 'c1', text: 'x' });
    await vi.advanceTimersByTimeAsync(5_000);
    const sends = ws.ofType('send');
    expect(sends).toHaveLength(2);
    expect(sends[1]!.clientMsgId).toBe(e.clientMsgId);
    ws.ack(sends[1]!, 'c1', 1);
    ws.ack(sends[0]!, 'c1', 1); // the duplicate ack is harmless
    expect(client.outbox).toHaveLength(0);
  });

  it('survives a reload: a new client sends what the old one left in storage', async () => {
    const storage = memoryStorage();
    const a = makeClient(storage).client;
    const entry = a.send({ conversationId: 'c1', text: 'persisted' });
    a.close();
    const b = makeClient(storage).client;
    const ws = await connected(b);
    expect(ws.ofType('send')[0]).toMatchObject({ clientMsgId: entry.clientMsgId, text: 'persisted' });
  });

  it('drops a send the server refuses for good and reports it', async () => {
    const { client } = makeClient();
    const failed = vi.fn();
    client.on('sendFailed', failed);
    const ws = await connected(client);
    client.send({ conversationId: 'c1', text: 'x'.repeat(5000) });
    ws.push({ type: 'error', rid: ws.ofType('send')[0]!.rid, code: 'too_large', message: 'too long' });
    expect(client.outbox).toHaveLength(0);
    expect(failed).toHaveBeenCalledOnce();
  });

  it('holds sends after rate_limited and resends them in order', async () => {
    const { client } = makeClient();
    const ws = await connected(client);
    client.send({ conversationId: 'c1', text: 'a' });
    client.send({ conversationId: 'c1', text: 'b' });
    const [a, b] = ws.ofType('send');
    ws.push({ type: 'error', rid: a!.rid, code: 'rate_limited', message: '' });
    ws.push({ type: 'error', rid: b!.rid, code: 'rate_limited', message: '' });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(ws.ofType('send').slice(2).map((s) => s.text)).toEqual(['a', 'b']);
  });
});

describe('receiving', () => {
  const conv = (lastSeq: number) => ({ conversations: [{ conversationId: 'c1', status: 'open', lastSeq, readSeq: 0, peerReadSeq: 0, peerDeliveredSeq: 0 }] });

  it('delivers each seq once and in order, dropping duplicates', async () => {
    const { client, messages } = makeClient();
    const ws = await connected(client, conv(0));
    ws.push(msg('c1', 1));
    ws.push(msg('c1', 1));
    ws.push(msg('c1', 2));
    ws.push(msg('c1', 2));
    expect(messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('syncs a gap before delivering what came after it', async () => {
    const { client, messages } = makeClient();
    const ws = await connected(client, conv(0));
    ws.push(msg('c1', 1));
    ws.push(msg('c1', 4));
    const sync = ws.ofType('sync')[0]!;
    expect(sync).toMatchObject({ conversationId: 'c1', afterSeq: 1 });
    expect(messages.map((m) => m.seq)).toEqual([1]);
    ws.push({ type: 'messages', rid: sync.rid, conversationId: 'c1', items: [msg('c1', 3), msg('c1', 2)], hasMore: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('resumes after a reconnect from the last seq it delivered', async () => {
    const { client, messages } = makeClient();
    const ws = await connected(client, conv(2));
    ws.push(msg('c1', 3));
    const ws2 = await dropAndReconnect(ws, conv(5));
    expect(ws2.hello.resume).toEqual([{ conversationId: 'c1', afterSeq: 3 }]);
    ws2.push(msg('c1', 4));
    ws2.push(msg('c1', 5));
    expect(messages.map((m) => m.seq)).toEqual([3, 4, 5]);
  });

  it('fetches the rest when the resume replay says hasMore', async () => {
    const { client, messages } = makeClient();
    const ws = await connected(client, conv(0));
    const ws2 = await dropAndReconnect(ws, conv(300));
    ws2.push(msg('c1', 1));
    ws2.push({ type: 'messages', rid: ws2.hello.rid, conversationId: 'c1', items: [], hasMore: true });
    const sync = ws2.ofType('sync')[0]!;
    expect(sync).toMatchObject({ conversationId: 'c1', afterSeq: 1, limit: 200 });
    ws2.push({ type: 'messages', rid: sync.rid, conversationId: 'c1', items: [msg('c1', 2), msg('c1', 3)], hasMore: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('syncs when a conversation frame announces a seq that never arrives', async () => {
    const { client, messages } = makeClient(memoryStorage(), { gapCheckDelayMs: 500 });
    const ws = await connected(client, conv(1));
    ws.push({ type: 'conversation', conversationId: 'c1', status: 'open', lastSeq: 2 });
    await vi.advanceTimersByTimeAsync(500);
    const sync = ws.ofType('sync')[0]!;
    expect(sync).toMatchObject({ afterSeq: 1 });
    ws.push({ type: 'messages', rid: sync.rid, conversationId: 'c1', items: [msg('c1', 2)], hasMore: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(messages.map((m) => m.seq)).toEqual([2]);
  });

  it('tracks receipts of the other side and typed events', async () => {
    const { client } = makeClient();
    const ws = await connected(client, conv(3));
    const typing = vi.fn();
    client.on('typing', typing);
    ws.push({ type: 'receipt', conversationId: 'c1', userId: 'a1', kind: 'delivered', seq: 3 });
    ws.push({ type: 'receipt', conversationId: 'c1', userId: 'a1', kind: 'read', seq: 2 });
    ws.push({ type: 'receipt', conversationId: 'c1', userId: 'a1', kind: 'read', seq: 1 });
    ws.push({ type: 'typing', conversationId: 'c1', userId: 'a1', active: true });
    expect(client.getConversation('c1')).toMatchObject({ peerDeliveredSeq: 3, peerReadSeq: 2 });
    expect(typing).toHaveBeenCalledWith(expect.objectContaining({ active: true }));
  });

  it('sends cumulative read receipts only forward', async () => {
    const { client } = makeClient();
    const ws = await connected(client, conv(3));
    client.markRead('c1', 2);
    client.markRead('c1', 1);
    client.markRead('c1', 3);
    expect(ws.ofType('read').map((r) => r.seq)).toEqual([2, 3]);
  });

  it('answers history requests without touching the live stream', async () => {
    const { client, messages } = makeClient();
    const ws = await connected(client, conv(10));
    const p = client.history('c1', 11, 2);
    const sync = ws.ofType('sync')[0]!;
    expect(sync).toMatchObject({ beforeSeq: 11, limit: 2 });
    ws.push({ type: 'messages', rid: sync.rid, conversationId: 'c1', items: [msg('c1', 10), msg('c1', 9)], hasMore: true });
    const res = await p;
    expect(res.items.map((m) => m.seq)).toEqual([9, 10]);
    expect(messages).toHaveLength(0);
  });

  it('re-sends watch after reconnecting', async () => {
    const { client } = makeClient();
    const ws = await connected(client);
    client.watch('c7', true);
    const ws2 = await dropAndReconnect(ws);
    expect(ws2.ofType('watch')).toEqual([{ type: 'watch', conversationId: 'c7', active: true }]);
  });
});

describe('network and context', () => {
  it('drops the socket when the browser goes offline and reconnects as soon as it is back', async () => {
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    try {
      const { client } = makeClient(memoryStorage(), { watchNetwork: true, backoff: { baseMs: 60_000, maxMs: 60_000 } });
      const ws = await connected(client);
      target.dispatchEvent(new Event('offline'));
      expect(ws.closedWith).toBeDefined();
      expect(client.state).toBe('reconnecting');
      client.send({ conversationId: 'c1', text: 'typed offline' });
      target.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(0);
      const ws2 = FakeSocket.last;
      expect(ws2).not.toBe(ws);
      ws2.open();
      ws2.welcome();
      expect(ws2.ofType('send').map((s) => s.text)).toEqual(['typed offline']);
      client.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('follows a conversation it started from seq 1, even when the ack comes before its own message', async () => {
    const { client, messages } = makeClient(memoryStorage(), { gapCheckDelayMs: 100 });
    const ws = await connected(client);
    client.send({ text: 'first' });
    const send = ws.ofType('send')[0]!;
    ws.ack(send, 'c5', 2); // a system event took seq 1
    ws.push(msg('c5', 2, 'first', 'visitor'));
    expect(messages).toHaveLength(0); // seq 1 is missing: it is fetched first
    const sync = ws.ofType('sync')[0]!;
    expect(sync).toMatchObject({ conversationId: 'c5', afterSeq: 0 });
    ws.push({ type: 'messages', rid: sync.rid, conversationId: 'c5', items: [msg('c5', 1, 'joined'), msg('c5', 2, 'first', 'visitor')], hasMore: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('reports page changes and sends the latest context in the next hello', async () => {
    const { client } = makeClient(memoryStorage(), { context: { pageUrl: 'https://shop/a' } });
    const ws = await connected(client);
    expect(ws.hello.context).toEqual({ pageUrl: 'https://shop/a' });
    client.page({ pageUrl: 'https://shop/b', title: 'B' });
    expect(ws.ofType('page')).toEqual([{ type: 'page', context: { pageUrl: 'https://shop/b', title: 'B' } }]);
    const ws2 = await dropAndReconnect(ws);
    expect(ws2.hello.context).toEqual({ pageUrl: 'https://shop/b', title: 'B' });
  });

  it('ignores unknown frame types and tolerates unknown fields', async () => {
    const { client, messages } = makeClient();
    const ws = await connected(client, { conversations: [{ conversationId: 'c1', status: 'open', lastSeq: 0, readSeq: 0, peerReadSeq: 0, peerDeliveredSeq: 0, future: 1 }] });
    ws.push({ type: 'presence', who: 'x' });
    ws.push({ ...msg('c1', 1), kind: 'sticker', extra: { a: 1 } });
    expect(messages.map((m) => m.kind)).toEqual(['sticker']);
  });
});
