import { HttpError } from '@kefu/sdk';

export interface Agent { id: string; username: string; displayName: string; isAdmin: boolean; tenantId?: string }
export interface LoginResult { token: string; expiresAt: string; agent: Agent }
export interface ConversationItem {
  conversationId: string;
  status: 'bot' | 'queued' | 'open' | 'closed';
  visitor: { id: string; name?: string | null };
  assignee?: { id: string; name?: string | null } | null;
  lastSeq: number;
  readSeq: number;
  unread: number;
  updatedAt: string;
  lastMessage?: { kind: string; text?: string | null; createdAt: string } | null;
}
export interface VisitorDetails {
  id: string; name?: string | null; email?: string | null; externalId?: string | null;
  context?: { pageUrl?: string; referrer?: string; title?: string; locale?: string; userAgent?: string; ip?: string } | null;
  firstSeen?: string;
  conversations?: Array<{ conversationId: string; status: string; createdAt: string }>;
  /** What the entry point chose: team, skills, and the pre-chat form's name and contact. */
  entry?: { teamId?: string | null; skills?: string[]; name?: string | null; contact?: string | null } | null;
}

let token: string | null = null;
export function setToken(value: string | null): void { token = value; }

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data: unknown;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = text; }
  if (!res.ok) throw new HttpError(res.status, data);
  return data as T;
}

export const api = {
  login: (username: string, password: string) => call<LoginResult>('POST', '/api/v1/auth/login', { username, password }),
  me: () => call<Agent>('GET', '/api/v1/me'),
  conversations: (view: 'queued' | 'mine' | 'open') => call<ConversationItem[]>('GET', `/api/v1/conversations?view=${view}`),
  conversation: (id: string) => call<ConversationItem>('GET', `/api/v1/conversations/${encodeURIComponent(id)}`),
  claim: (id: string) => call<ConversationItem>('POST', `/api/v1/conversations/${encodeURIComponent(id)}/claim`),
  close: (id: string) => call<void>('POST', `/api/v1/conversations/${encodeURIComponent(id)}/close`),
  reopen: (id: string) => call<ConversationItem>('POST', `/api/v1/conversations/${encodeURIComponent(id)}/reopen`),
  visitor: (id: string) => call<VisitorDetails>('GET', `/api/v1/visitors/${encodeURIComponent(id)}`),
};
