// Resumable uploads to Kefu's tus 1.0 endpoint (/api/v1/uploads) with tus-js-client. A dropped
// connection is retried and resumed from the offset the server reports (HEAD), never restarted.
// tus-js-client is loaded on the first upload, so pages that never upload do not pay for it.
import type { DetailedError, HttpStack, Upload } from 'tus-js-client';

/** `waiting`: the network or the server is away; the upload resumes by itself. `failed`: it needs `retry()`. */
export type UploadStatus = 'uploading' | 'waiting' | 'failed' | 'done';

export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadTuning {
  /** Where tus uploads are created; the default derives it from the WebSocket URL. */
  endpoint?: string;
  /** Bytes per PATCH (default 8 MiB): a drop costs at most one chunk, and proxies with body limits pass. */
  chunkSize?: number;
  /** tus-js-client's retry delays before the upload waits for the network (`online`) or `resumeDelayMs`. */
  retryDelays?: number[];
  resumeDelayMs?: number;
  /** The network boundary; tests pass a fake, browsers use XMLHttpRequest. */
  httpStack?: HttpStack;
}

export interface UploadOptions extends UploadTuning {
  endpoint: string;
  file: Blob;
  name: string;
  contentType: string;
  getToken: (reason: 'connect' | 'expired') => string | Promise<string>;
  onProgress?: (sent: number, total: number) => void;
  onStatus?: (status: UploadStatus, error?: UploadError) => void;
}

export interface UploadResult { id: string; url: string }

export interface UploadTask {
  /** Resolves when the server holds every byte; rejects only after `abort()`. */
  readonly done: Promise<UploadResult>;
  /** Tries again now (after `failed`, or to skip the wait of `waiting`). */
  retry(): void;
  /** Stops and deletes the partial upload on the server (tus termination). */
  abort(): void;
}

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];

function statusOf(err: Error): number {
  return (err as Partial<DetailedError>).originalResponse?.getStatus() ?? 0;
}

/** No answer (network), a server error, a lock or an offset conflict: resuming can fix these. */
export function isTransientUploadError(status: number): boolean {
  return status === 0 || status >= 500 || status === 408 || status === 409 || status === 423 || status === 429;
}

/** The upload id is the last segment of the tus `Location`. */
export function uploadIdFromUrl(url: string): string {
  const path = new URL(url, 'http://x').pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** Derives http(s)://host/api/v1/uploads from ws(s)://host/ws. */
export function uploadEndpointFor(wsUrl: string): string {
  const url = new URL('/api/v1/uploads', wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  return url.href;
}

let tus: Promise<typeof import('tus-js-client')> | undefined;
function loadTus(): Promise<typeof import('tus-js-client')> {
  tus ??= import('tus-js-client').catch((err: unknown) => {
    tus = undefined; // a failed chunk load (offline) is tried again on the next retry
    throw err;
  });
  return tus;
}

export function startUpload(o: UploadOptions): UploadTask {
  let settle!: { resolve: (r: UploadResult) => void; reject: (e: Error) => void };
  const done = new Promise<UploadResult>((resolve, reject) => { settle = { resolve, reject }; });
  let tokenReason: 'connect' | 'expired' = 'connect';
  let renewed = false;
  let stopped = false;
  /** True while tus is not working on it: waiting for the network, or failed. */
  let idle = false;
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;
  const g = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };

  const onOnline = () => resume();
  function clearWait(): void {
    clearTimeout(resumeTimer);
    resumeTimer = undefined;
    g.removeEventListener?.('online', onOnline);
  }
  let upload: Upload | undefined;
  function resume(): void {
    clearWait();
    if (stopped) return;
    idle = false;
    o.onStatus?.('uploading');
    if (upload) upload.start();
    else void create();
  }
  function waitAndResume(): void {
    clearWait();
    idle = true;
    o.onStatus?.('waiting');
    g.addEventListener?.('online', onOnline);
    resumeTimer = setTimeout(resume, o.resumeDelayMs ?? 15_000);
  }

  async function create(): Promise<void> {
    let Tus: typeof import('tus-js-client');
    try {
      Tus = await loadTus();
    } catch {
      waitAndResume();
      return;
    }
    if (stopped || upload) return;
    const created: Upload = new Tus.Upload(o.file, {
      endpoint: o.endpoint,
      metadata: { filename: o.name, filetype: o.contentType },
      chunkSize: o.chunkSize ?? DEFAULT_CHUNK_SIZE,
      retryDelays: o.retryDelays ?? RETRY_DELAYS,
      // The File object does not survive a reload, so there is nothing to resume across page loads.
      storeFingerprintForResuming: false,
      ...(o.httpStack ? { httpStack: o.httpStack } : {}),
      onBeforeRequest: async (req) => {
        const token = await o.getToken(tokenReason);
        tokenReason = 'connect';
        req.setHeader('Authorization', `Bearer ${token}`);
      },
      onShouldRetry: (err) => {
        const transient = isTransientUploadError(statusOf(err));
        if (transient) o.onStatus?.('waiting');
        return transient;
      },
      // Only bytes the server accepted prove the token works again (a 401 loop must not spin).
      onChunkComplete: () => { renewed = false; },
      onProgress: (sent, total) => {
        o.onStatus?.('uploading');
        o.onProgress?.(sent, total);
      },
      onSuccess: () => {
        stopped = true;
        clearWait();
        o.onStatus?.('done');
        settle.resolve({ id: uploadIdFromUrl(created.url!), url: created.url! });
      },
      onError: (err) => {
        if (stopped) return;
        const status = statusOf(err);
        if (status === 401 && !renewed) {
          // The token expired during a long upload: renew it once and carry on from the server's offset.
          renewed = true;
          tokenReason = 'expired';
          resume();
        } else if (isTransientUploadError(status)) {
          waitAndResume();
        } else {
          idle = true;
          o.onStatus?.('failed', new UploadError(status, err.message));
        }
      },
    });
    upload = created;
    created.start();
  }
  o.onStatus?.('uploading');
  void create();

  return {
    done,
    retry: () => {
      if (stopped || !idle) return;
      renewed = false;
      resume();
    },
    abort: () => {
      if (stopped) return;
      stopped = true;
      clearWait();
      // Termination is best effort: an abandoned partial upload also expires on the server.
      upload?.abort(!!upload.url).catch(() => undefined);
      settle.reject(new UploadError(0, 'aborted'));
    },
  };
}
