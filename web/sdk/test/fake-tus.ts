// The network boundary for upload tests: an in-memory tus 1.0 server behind tus-js-client's HttpStack
// interface. It can cut a PATCH mid-body (keeping the bytes it got, as Kefu's server does) and refuse
// requests while "offline".
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';

interface StoredUpload { length: number; bytes: Uint8Array; offset: number; metadata: string; auth: string }

export interface Logged { method: string; url: string; headers: Record<string, string>; status: number; bodyBytes: number }

export class FakeTusServer implements HttpStack {
  readonly uploads = new Map<string, StoredUpload>();
  readonly log: Logged[] = [];
  offline = false;
  /** The next PATCH stops after this many bytes and the connection "drops" (no response). */
  cutNextPatchAfter: number | null = null;
  /** Answer the next request with this status. */
  failNextWith: number | null = null;
  validToken = 'tok';
  /** Called after each PATCH the server handled (its count), and when a PATCH was cut. */
  afterPatch: ((count: number) => void) | null = null;
  onCut: (() => void) | null = null;
  private patchCount = 0;
  private counter = 0;

  getName(): string { return 'fake-tus'; }

  createRequest(method: string, url: string): HttpRequest {
    const headers: Record<string, string> = {};
    let progress: (n: number) => void = () => {};
    const server = this;
    return {
      getMethod: () => method,
      getURL: () => url,
      setHeader: (k, v) => { headers[k.toLowerCase()] = v; },
      getHeader: (k) => headers[k.toLowerCase()],
      setProgressHandler: (h) => { progress = h; },
      send: (body?: Blob) => server.handle(method, url, headers, body, progress),
      abort: async () => {},
      getUnderlyingObject: () => null,
    };
  }

  private async handle(method: string, url: string, headers: Record<string, string>, body: Blob | undefined, progress: (n: number) => void): Promise<HttpResponse> {
    await Promise.resolve();
    const entry: Logged = { method, url, headers: { ...headers }, status: 0, bodyBytes: body?.size ?? 0 };
    this.log.push(entry);
    if (this.offline) throw new Error('network down');
    const respond = (status: number, out: Record<string, string> = {}): HttpResponse => {
      entry.status = status;
      const h = Object.fromEntries(Object.entries({ 'Tus-Resumable': '1.0.0', ...out }).map(([k, v]) => [k.toLowerCase(), v]));
      return { getStatus: () => status, getHeader: (k) => h[k.toLowerCase()], getBody: () => '', getUnderlyingObject: () => null };
    };
    if (this.failNextWith !== null) {
      const status = this.failNextWith;
      this.failNextWith = null;
      return respond(status);
    }
    if (headers.authorization !== `Bearer ${this.validToken}`) return respond(401);
    const id = url.split('/').pop()!;
    const up = this.uploads.get(id);
    switch (method) {
      case 'POST': {
        const newId = `u${++this.counter}`;
        const length = Number(headers['upload-length']);
        this.uploads.set(newId, { length, bytes: new Uint8Array(length), offset: 0, metadata: headers['upload-metadata'] ?? '', auth: headers.authorization });
        return respond(201, { Location: `/api/v1/uploads/${newId}` });
      }
      case 'HEAD':
        if (!up) return respond(404);
        return respond(200, { 'Upload-Offset': String(up.offset), 'Upload-Length': String(up.length) });
      case 'PATCH': {
        if (!up) return respond(404);
        if (Number(headers['upload-offset']) !== up.offset) return respond(409);
        const data = new Uint8Array(await body!.arrayBuffer());
        const cut = this.cutNextPatchAfter;
        const take = cut !== null ? Math.min(cut, data.length) : data.length;
        up.bytes.set(data.subarray(0, take), up.offset);
        up.offset += take;
        progress(take);
        if (cut !== null) {
          this.cutNextPatchAfter = null;
          this.onCut?.();
          throw new Error('connection reset');
        }
        this.afterPatch?.(++this.patchCount);
        return respond(204, { 'Upload-Offset': String(up.offset) });
      }
      case 'DELETE':
        this.uploads.delete(id);
        return respond(204);
      default:
        return respond(405);
    }
  }

  patches(): Logged[] { return this.log.filter((l) => l.method === 'PATCH'); }
}
