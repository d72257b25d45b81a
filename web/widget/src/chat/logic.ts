// Pure helpers of the chat page (no DOM): the routing chosen by the entry point, the texts of
// system events and the pre-chat form's answers. Unit-tested in widget/test/logic.test.ts and prechat.test.ts.
import type { Texts } from './i18n';

export interface Routing { team?: string; skills?: string[] }

/** `team` and `skills` (comma-separated) from the query string, else the fragment; undefined when neither is set. */
export function routingFrom(query: URLSearchParams, fragment: URLSearchParams): Routing | undefined {
  const team = (query.get('team') ?? fragment.get('team') ?? '').trim().slice(0, 100);
  const skills = [...new Set((query.get('skills') ?? fragment.get('skills') ?? '')
    .split(',').map((s) => s.trim().slice(0, 100)).filter(Boolean))].slice(0, 20);
  if (!team && !skills.length) return undefined;
  return { ...(team ? { team } : {}), ...(skills.length ? { skills } : {}) };
}

/** Events after which the visitor is offered the leave-a-message form. */
export const OFFLINE_EVENTS: readonly string[] = ['outsideBusinessHours', 'agentsAway'];

export function eventName(meta: Record<string, unknown> | null | undefined): string {
  return String(meta?.event ?? '');
}

/** A readable line for a system event message. */
export function eventText(t: Texts, meta: Record<string, unknown> | null | undefined, text?: string | null): string {
  const m = meta ?? {};
  const assignee = m.assignee as { name?: unknown } | undefined;
  const name = m.agentName ?? m.name ?? assignee?.name ?? m.teamName;
  const who = typeof name === 'string' && name ? name : '';
  switch (eventName(m)) {
    case 'closed': return t.closed;
    case 'assigned': return t.assigned(who || t.agent);
    case 'transferred': return t.transferred(who);
    case 'unassigned': return t.unassigned;
    case 'reopened': return t.reopened;
    case 'inactivityWarning': return t.inactivityWarning;
    case 'outsideBusinessHours': return t.outsideBusinessHours;
    case 'agentsAway': return t.agentsAway;
    default: return text || t.event;
  }
}

/** A site's pre-chat form as GET /api/v1/visitor/prechat describes it. */
export interface PreChatView {
  enabled: boolean;
  askName: boolean;
  askContact: boolean;
  contactRequired: boolean;
  teams: Array<{ id: string; name: string }>;
}

export interface PreChatAnswers { name?: string; contact?: string; team?: string }

/** The body to POST, or the text of what is missing. */
export function preChatPayload(view: PreChatView, values: { name: string; contact: string; team: string }, t: Texts): PreChatAnswers | string {
  const name = values.name.trim().slice(0, 100);
  const contact = values.contact.trim().slice(0, 200);
  if (view.askContact && view.contactRequired && !contact) return t.preChatContactRequired;
  return {
    ...(view.askName && name ? { name } : {}),
    ...(view.askContact && contact ? { contact } : {}),
    ...(values.team ? { team: values.team } : {}),
  };
}

export interface QuickOption { label: string; value: string; payload?: string }

const PAYLOAD = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A quick-replies message's buttons from `meta.options` (strings only, at most 10); the value defaults to the label.
 * A button's `payload` (a short token) is kept only when valid: the pick sends it back as `meta.quickReply`.
 */
export function quickOptions(meta: Record<string, unknown> | null | undefined): QuickOption[] {
  const options = Array.isArray(meta?.options) ? (meta.options as unknown[]) : [];
  const result: QuickOption[] = [];
  for (const o of options) {
    if (result.length === 10 || !o || typeof o !== 'object') continue;
    const { label, value } = o as { label?: unknown; value?: unknown };
    if (typeof label !== 'string' || !label.trim()) continue;
    const { payload } = o as { payload?: unknown };
    result.push({
      label: label.trim().slice(0, 100),
      value: (typeof value === 'string' && value.trim() ? value : label).trim().slice(0, 4000),
      ...(typeof payload === 'string' && PAYLOAD.test(payload) ? { payload } : {}),
    });
  }
  return result;
}

export interface CardFields { title: string; description: string; imageUrl: string | null; url: string | null }

/** A card's fields from `meta`; links and images only when they are http(s) URLs (given by `safeUrl`). */
export function cardFields(meta: Record<string, unknown> | null | undefined, safeUrl: (raw: string) => string | null): CardFields {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    title: text(meta?.title),
    description: text(meta?.description),
    imageUrl: text(meta?.imageUrl) ? safeUrl(text(meta?.imageUrl)) : null,
    url: text(meta?.url) ? safeUrl(text(meta?.url)) : null,
  };
}
