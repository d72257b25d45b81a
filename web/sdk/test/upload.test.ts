import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { KefuClient, memoryStorage, startUpload, uploadEndpointFor, uploadIdFromUrl, type PendingUpload, type UploadStatus } from '../src';
import { FakeSocket } from './fake-socket';
import { FakeTusServer } from './fake-tus';

const ENDPOINT = 'http://test/api/v1/uploads';

function bytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await vi.advanceTimersByTimeAsync(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let server: FakeTusServer;
// The SDK loads tus-js-client on the first upload; load it once up front so fake timers need no real I/O.
beforeAll(async () => { await import('tus-js-client'); });
beforeEach(() => {
  vi.useFakeTimers();
  server = new FakeTusServer();
  FakeSocket.reset();
});
afterEach(() => vi.useRealTimers());

function upload(data: Uint8Array<ArrayBuffer>, extra: Partial<Parameters<typeof startUpload>[0]> = {}) {
  const statuses: UploadStatus[] = [];
  const progress: number[] = [];
  const getToken = vi.fn(async (_r: 'connect' | 'expired') => 'tok');
  const task = startUpload({
    endpoint: ENDPOINT, file: new Blob([data], { type: 'image/png' }), name: 'shot.png', contentType: 'image/png',
    getToken, httpStack: server, chunkSize: 1000, resumeDelayMs: 5000, ...extra,
    onStatus: (s) => statuses.push(s),
    onProgress: (sent) => progress.push(sent),
  });
  let result: { id: string } | undefined;
  task.done.then((r) => { result = r; }, () => undefined);
  return { task, statuses, progress, getToken, result: () => result };
}

describe('startUpload (tus)', () => {
  it('creates the upload with filename/filetype metadata and the bearer token, then PATCHes it in chunks', async () => {
    const data = bytes(2500);
    const u = upload(data);
    await until(() => !!u.result(), 'upload done');
    const post = server.log[0]!;
    expect(post.method).toBe('POST');
    expect(post.headers['upload-length']).toBe('2500');
    expect(post.headers.authorization).toBe('Bearer tok');
    expect(post.headers['tus-resumable']).toBe('1.0.0');
    expect(post.headers['upload-metadata']).toBe(`filename ${btoa('shot.png')},filetype ${btoa('image/png')}`);
    expect(server.patches().map((p) => p.headers['upload-offset'])).toEqual(['0', '1000', '2000']);
    expect(u.result()!.id).toBe('u1');
    expect(server.uploads.get('u1')!.bytes).toEqual(data);
    expect(u.statuses.at(-1)).toBe('done');
  });

  it('resumes from the server offset after the connection drops mid-chunk, and the bytes match', async () => {
    const data = bytes(3000);
    server.cutNextPatchAfter = 400; // the first PATCH dies after 400 bytes
    const u = upload(data);
    await until(() => !!u.result(), 'upload done');
    const patches = server.patches();
    expect(patches[0]!.status).toBe(0);
    // tus asks the server where it stands (HEAD) and continues at 400, not at 0.
    const head = server.log.findIndex((l) => l.method === 'HEAD');
    expect(head).toBeGreaterThan(0);
    expect(patches[1]!.headers['upload-offset']).toBe('400');
    expect(server.uploads.get('u1')!.bytes).toEqual(data);
    expect(u.statuses).toContain('waiting');
  });

  it('waits while offline past its retries and completes when the network is back', async () => {
    const data = bytes(2000);
    server.cutNextPatchAfter = 1000;
    server.onCut = () => { server.offline = true; };
    const u = upload(data, { retryDelays: [0, 100], resumeDelayMs: 60_000 });
    await until(() => u.statuses.at(-1) === 'waiting' && server.log.filter((l) => l.method === 'HEAD').length >= 2, 'retries spent');
    await vi.advanceTimersByTimeAsync(1000);
    const tries = server.log.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.log.length).toBe(tries); // idle until the network returns or the resume delay passes
    server.offline = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await until(() => !!u.result(), 'upload done');
    expect(server.uploads.get('u1')!.bytes).toEqual(data);
    expect(server.patches().filter((p) => p.status === 204).map((p) => p.headers['upload-offset'])).toEqual(['1000']);
  });

  it('renews an expired token once (getToken("expired")) and carries on', async () => {
    server.afterPatch = (n) => { if (n === 1) server.validToken = 'tok2'; };
    const u = upload(bytes(1500));
    let current = 'tok';
    u.getToken.mockImplementation(async (reason) => (reason === 'expired' ? (current = 'tok2') : current));
    await until(() => !!u.result(), 'upload done');
    expect(u.getToken.mock.calls.some(([r]) => r === 'expired')).toBe(true);
  });

  it('gives up (failed) when a renewed token is refused too, without looping', async () => {
    server.validToken = 'other';
    const u = upload(bytes(100));
    await until(() => u.statuses.at(-1) === 'failed', 'failed');
    expect(u.getToken.mock.calls.filter(([r]) => r === 'expired')).toHaveLength(1);
    expect(server.log.every((l) => l.status === 401)).toBe(true);
  });

  it('reports a refused upload (413) as failed without retrying, and retry() tries again', async () => {
    server.failNextWith = 413;
    const u = upload(bytes(100));
    await until(() => u.statuses.at(-1) === 'failed', 'failed');
    expect(server.log).toHaveLength(1);
    u.task.retry();
    await until(() => !!u.result(), 'upload done after retry');
  });

  it('abort() terminates the partial upload on the server', async () => {
    server.cutNextPatchAfter = 10;
    const u = upload(bytes(5000), { retryDelays: [] });
    await until(() => u.statuses.at(-1) === 'waiting', 'waiting');
    u.task.abort();
    await vi.advanceTimersByTimeAsync(10);
    expect(server.log.at(-1)!.method).toBe('DELETE');
    expect(server.uploads.size).toBe(0);
  });

  it('derives the endpoint and the id', () => {
    expect(uploadEndpointFor('wss://chat.example.com/ws')).toBe('https://chat.example.com/api/v1/uploads');
    expect(uploadEndpointFor('ws://127.0.0.1:5000/ws')).toBe('http://127.0.0.1:5000/api/v1/uploads');
    expect(uploadIdFromUrl('https://h/api/v1/uploads/up_01abc')).toBe('up_01abc');
  });
});

describe('KefuClient.sendAttachment', () => {
  async function connectedClient() {
    let n = 0;
    const client = new KefuClient({
      url: 'ws://test/ws', getToken: async () => 'tok', storage: memoryStorage(), WebSocket: FakeSocket,
      createId: () => `c${++n}`, upload: { httpStack: server, chunkSize: 1000 },
    });
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeSocket.last;
    ws.open();
    ws.welcome();
    return { client, ws };
  }

  it('shows a pending upload, then sends kind/attachment/caption once with one clientMsgId', async () => {
    const { client, ws } = await connectedClient();
    const seen: number[] = [];
    client.on('uploads', (u: readonly PendingUpload[]) => seen.push(...u.map((x) => x.sent)));
    const file = new File([bytes(1800)], 'photo.png', { type: 'image/png' });
    const pending = client.sendAttachment({ conversationId: 'c_1', file, text: 'my order <b>' });
    expect(pending).toMatchObject({ kind: 'image', name: 'photo.png', size: 1800, status: 'uploading' });
    expect(client.uploads).toHaveLength(1);
    expect(ws.ofType('send')).toHaveLength(0); // nothing is sent before the upload completes
    await until(() => ws.ofType('send').length === 1, 'send frame');
    const send = ws.ofType('send')[0]!;
    expect(send).toMatchObject({
      type: 'send', clientMsgId: pending.clientMsgId, conversationId: 'c_1', kind: 'image',
      text: 'my order <b>', attachment: { id: 'u1' },
    });
    expect(Object.keys(send.attachment)).toEqual(['id']);
    expect(client.uploads).toHaveLength(0);
    expect(client.outbox[0]).toMatchObject({ clientMsgId: pending.clientMsgId, file: { name: 'photo.png', size: 1800, contentType: 'image/png' } });
    expect(seen).toContain(1000);
    expect(seen.at(-1)).toBe(1800);

    // Not acked: the retry after a reconnect reuses the clientMsgId; the ack empties the outbox.
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(3000);
    const ws2 = FakeSocket.last;
    ws2.open();
    ws2.welcome();
    const again = ws2.ofType('send')[0]!;
    expect(again.clientMsgId).toBe(pending.clientMsgId);
    ws2.ack(again, 'c_1', 7);
    expect(client.outbox).toHaveLength(0);
  });

  it('sends a voice clip with its duration, and a non-image file as kind file', async () => {
    const { client, ws } = await connectedClient();
    client.sendAttachment({ conversationId: 'c_1', file: new Blob([bytes(300)], { type: 'audio/webm' }), name: 'voice.webm', kind: 'voice', durationSeconds: 4 });
    client.sendAttachment({ conversationId: 'c_1', file: new File([bytes(10)], 'notes.html', { type: 'text/html' }) });
    await until(() => ws.ofType('send').length === 2, 'two sends');
    const [voice, file] = ws.ofType('send');
    expect(voice).toMatchObject({ kind: 'voice', attachment: { id: 'u1', durationSeconds: 4 } });
    expect(file).toMatchObject({ kind: 'file', attachment: { id: 'u2' } });
  });

  it('a refused upload (413) stays as a failed bubble with its status, and nothing is sent', async () => {
    const { client, ws } = await connectedClient();
    server.failNextWith = 413;
    const p = client.sendAttachment({ conversationId: 'c_1', file: new Blob([bytes(100)], { type: 'image/png' }) });
    await until(() => client.uploads[0]?.status === 'failed', 'failed');
    expect(client.uploads[0]).toMatchObject({ clientMsgId: p.clientMsgId, errorStatus: 413 });
    expect(ws.ofType('send')).toHaveLength(0);
  });

  it('cancelUpload drops the pending bubble and sends nothing', async () => {
    const { client, ws } = await connectedClient();
    server.offline = true;
    const p = client.sendAttachment({ conversationId: 'c_1', file: new Blob([bytes(100)], { type: 'image/png' }) });
    await vi.advanceTimersByTimeAsync(100);
    client.cancelUpload(p.clientMsgId);
    expect(client.uploads).toHaveLength(0);
    server.offline = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ws.ofType('send')).toHaveLength(0);
  });
});
