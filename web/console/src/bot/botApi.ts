// The bot admin API (/api/v1/bot/*). Uses the console's session token (kept under the same storage key).
const TOKEN_KEY = 'kefu.console.token';

export interface FaqEntry { id: string; siteId: string; question: string; alternates: string[]; answer: string; category?: string | null }
export interface QuickReply { label: string; value: string }
export interface Card { title: string; description?: string | null; imageUrl?: string | null; url?: string | null }
export interface RuleReply { kind: 'text' | 'quickReplies' | 'card'; text?: string | null; options?: QuickReply[]; card?: Card | null }
export interface Rule { id: string; siteId: string; teamId?: string | null; match: 'keyword' | 'phrase' | 'regex'; patterns: string[]; priority: number; enabled: boolean; reply: RuleReply }
export interface RuleInput { siteKey: string; team?: string | null; match: Rule['match']; patterns: string[]; priority: number; enabled: boolean; reply: RuleReply }
export interface Suggestion { id: string; siteId: string; question: string; answer: string; targetEntryId?: string | null; status: string | number; createdAt: string }
export interface AskResult { answer: string | null; faqId: string | null; confidence: number; band: string; suggestions: Array<{ faqId: string; question: string; confidence: number }> }
export type Mode = 'auto' | 'botFirst' | 'humanFirst' | 'botWhenNoAgent';
export interface Settings {
  siteId: string; mode: Mode; effectiveMode: Mode; welcome: string | null; welcomes: Record<string, string>; failuresBeforeHandoff: number; botName: string | null;
}
export type SettingsInput = Pick<Settings, 'mode' | 'welcome' | 'welcomes' | 'failuresBeforeHandoff' | 'botName'>;
export interface Numbers { from: string; to: string; conversations: number; resolved: number; handedOff: number; resolutionRate: number; handoffRate: number; answered: number; unanswered: number }

export class BotApiError extends Error {
  constructor(public status: number, message: string) { super(message); this.name = 'BotApiError'; }
}

async function call<T>(method: string, path: string, body?: unknown, raw?: { text: string; type: string }): Promise<T> {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw) headers['Content-Type'] = raw.type;
  const res = await fetch(path, { method, headers, body: raw ? raw.text : body !== undefined ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) {
    let title = `${res.status}`;
    try { title = (JSON.parse(text) as { title?: string }).title ?? title; } catch { /* not JSON */ }
    throw new BotApiError(res.status, title);
  }
  return (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

const q = (siteKey: string) => `siteKey=${encodeURIComponent(siteKey)}`;

export const botApi = {
  settings: (siteKey: string) => call<Settings>('GET', `/api/v1/bot/settings?${q(siteKey)}`),
  saveSettings: (siteKey: string, s: SettingsInput) =>
    call<Settings>('PUT', '/api/v1/bot/settings', { siteKey, ...s }),
  faq: (siteKey: string) => call<FaqEntry[]>('GET', `/api/v1/bot/faq?${q(siteKey)}`),
  addFaq: (siteKey: string, e: Omit<FaqEntry, 'id' | 'siteId'>) => call<FaqEntry>('POST', '/api/v1/bot/faq', { siteKey, ...e }),
  updateFaq: (id: string, e: Omit<FaqEntry, 'id' | 'siteId'>) => call<FaqEntry>('PUT', `/api/v1/bot/faq/${encodeURIComponent(id)}`, e),
  deleteFaq: (id: string) => call<void>('DELETE', `/api/v1/bot/faq/${encodeURIComponent(id)}`),
  importFaq: (siteKey: string, format: 'csv' | 'json', text: string) =>
    call<{ imported: number }>('POST', `/api/v1/bot/faq/import?${q(siteKey)}&format=${format}`, undefined, { text, type: format === 'csv' ? 'text/csv' : 'application/json' }),
  exportFaq: (siteKey: string, format: 'csv' | 'json') => call<unknown>('GET', `/api/v1/bot/faq/export?${q(siteKey)}&format=${format}`),
  rules: (siteKey: string) => call<Rule[]>('GET', `/api/v1/bot/rules?${q(siteKey)}`),
  addRule: (r: RuleInput) => call<Rule>('POST', '/api/v1/bot/rules', r),
  updateRule: (id: string, r: RuleInput) => call<Rule>('PUT', `/api/v1/bot/rules/${encodeURIComponent(id)}`, r),
  deleteRule: (id: string) => call<void>('DELETE', `/api/v1/bot/rules/${encodeURIComponent(id)}`),
  suggestions: (siteKey: string, status: string) => call<Suggestion[]>('GET', `/api/v1/bot/suggestions?${q(siteKey)}&status=${status}`),
  editSuggestion: (id: string, question: string, answer: string, targetEntryId: string | null) =>
    call<Suggestion>('PUT', `/api/v1/bot/suggestions/${encodeURIComponent(id)}`, { question, answer, targetEntryId }),
  approve: (id: string) => call<FaqEntry>('POST', `/api/v1/bot/suggestions/${encodeURIComponent(id)}/approve`),
  reject: (id: string) => call<void>('POST', `/api/v1/bot/suggestions/${encodeURIComponent(id)}/reject`),
  ask: (siteKey: string, text: string) => call<AskResult>('POST', '/api/v1/bot/ask', { siteKey, text }),
  numbers: (siteKey: string, from: string, to: string) =>
    call<Numbers>('GET', `/api/v1/bot/numbers?${q(siteKey)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
};

/** "label=value" lines to buttons and back (a line without "=" uses itself for both). */
export function parseOptions(text: string): QuickReply[] {
  return text.split('\n').map(l => l.trim()).filter(Boolean).map(l => {
    const at = l.indexOf('=');
    return at < 0 ? { label: l, value: l } : { label: l.slice(0, at).trim(), value: l.slice(at + 1).trim() };
  });
}

export function formatOptions(options: QuickReply[] | undefined): string {
  return (options ?? []).map(o => (o.label === o.value ? o.label : `${o.label}=${o.value}`)).join('\n');
}

export function lines(text: string): string[] {
  return text.split('\n').map(l => l.trim()).filter(Boolean);
}

/** The page edits these languages' welcomes; others the API holds are kept as they are. */
export const WELCOME_LANGUAGES = ['zh-CN', 'en'] as const;

/** The welcome the site has for a language tag (matched without regard to case), or ''. */
export function welcomeFor(welcomes: Record<string, string> | undefined, tag: string): string {
  const key = Object.keys(welcomes ?? {}).find((k) => k.toLowerCase() === tag.toLowerCase());
  return key ? welcomes![key] : '';
}

/**
 * The welcomes to save: the other languages as they were, then the edited ones; a blank text leaves that language
 * to the welcome for other languages.
 */
export function withWelcomes(before: Record<string, string> | undefined, edited: Record<string, string>): Record<string, string> {
  const editedTags = Object.keys(edited).map((t) => t.toLowerCase());
  const result: Record<string, string> = {};
  for (const [tag, text] of Object.entries(before ?? {})) if (!editedTags.includes(tag.toLowerCase())) result[tag] = text;
  for (const [tag, text] of Object.entries(edited)) if (text.trim()) result[tag] = text.trim();
  return result;
}
