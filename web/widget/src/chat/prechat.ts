// The pre-chat form (off by default; an admin turns it on per site): name, contact and the team to talk
// to, asked once before the visitor's first message. GET/POST /api/v1/visitor/prechat.
import { h } from './dom';
import type { Texts } from './i18n';
import { preChatPayload, type PreChatView } from './logic';

export interface PreChatHost {
  /** Calls /api/v1/visitor/prechat with the visitor's token. */
  api: (method: 'GET' | 'POST', body?: unknown) => Promise<Response>;
  /** Remembers that this visitor has answered (localStorage key). */
  doneKey: string;
  t: Texts;
  /** The composer, hidden while the form shows; the form goes right before it. */
  composer: HTMLElement;
}

/** Shows the form when the site has one and this visitor has not answered it; resolves when it may chat. */
export async function askPreChat(host: PreChatHost): Promise<void> {
  const { t } = host;
  try { if (localStorage.getItem(host.doneKey)) return; } catch { /* private mode: ask again */ }
  let view: PreChatView;
  try {
    const res = await host.api('GET');
    if (!res.ok) return;
    view = await res.json() as PreChatView;
  } catch {
    return; // Never keep a visitor from chatting because the form could not load.
  }
  if (!view.enabled) return;
  const name = h('input', { name: 'name', 'aria-label': t.leaveName, placeholder: t.leaveName, maxlength: '100', autocomplete: 'name', hidden: !view.askName });
  const contact = h('input', {
    name: 'contact', 'aria-label': t.leaveContact, placeholder: t.leaveHint, maxlength: '200', autocomplete: 'email',
    'aria-required': view.contactRequired ? 'true' : undefined, hidden: !view.askContact,
  });
  const team = h('select', { name: 'team', 'aria-label': t.preChatTeam, hidden: view.teams.length < 2 },
    h('option', { value: '' }, t.preChatAnyTeam), ...view.teams.map((x) => h('option', { value: x.id }, x.name)));
  const status = h('div', { class: 'leave-status', role: 'status' });
  const form = h('form', { class: 'leave prechat', 'aria-labelledby': 'kefu-prechat-h' },
    h('h2', { id: 'kefu-prechat-h' }, t.preChatTitle), name, contact, team,
    h('div', { class: 'leave-actions' }, h('button', { class: 'send', type: 'submit' }, t.preChatStart)), status);
  host.composer.before(form);
  host.composer.hidden = true;
  (view.askName ? name : contact).focus();
  await new Promise<void>((resolve) => {
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const payload = preChatPayload(view, { name: name.value, contact: contact.value, team: team.value }, t);
      if (typeof payload === 'string') {
        status.textContent = payload;
        return;
      }
      status.textContent = '';
      void host.api('POST', payload).then((res) => {
        // 404: the site turned its form off meanwhile; chatting goes on.
        if (!res.ok && res.status !== 404) throw new Error(String(res.status));
        try { localStorage.setItem(host.doneKey, '1'); } catch { /* private mode */ }
        form.remove();
        host.composer.hidden = false;
        resolve();
      }).catch(() => { status.textContent = t.leaveFailed; });
    });
  });
}
