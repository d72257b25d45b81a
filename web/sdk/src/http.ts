import type { PageContext } from './protocol.js';

export interface VisitorIdentity { userId: string; name?: string; email?: string; signature?: string }
export interface VisitorSessionRequest { siteKey: string; token?: string; identity?: VisitorIdentity; context?: PageContext }
export interface VisitorSession { visitorId: string; token: string; expiresAt: string }

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** The WebSocket endpoint of a server given its HTTP origin (e.g. https://chat.example.com). */
export function wsUrlFor(origin: string): string {
  const url = new URL('/ws', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new HttpError(res.status, data);
  return data as T;
}

/** Starts or renews a visitor session; a previous token (even expired) keeps the same visitor. */
export function createVisitorSession(origin: string, request: VisitorSessionRequest): Promise<VisitorSession> {
  return postJson<VisitorSession>(new URL('/api/v1/visitor/sessions', origin).href, request);
}
