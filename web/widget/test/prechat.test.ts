import { describe, expect, it } from 'vitest';
import { texts } from '../src/chat/i18n';
import { preChatPayload, type PreChatView } from '../src/chat/logic';

const { t } = texts('en');
const view: PreChatView = { enabled: true, askName: true, askContact: true, contactRequired: false, teams: [] };

describe('preChatPayload', () => {
  it('trims the answers and leaves out empty ones', () => {
    expect(preChatPayload(view, { name: '  Li Lei ', contact: '', team: '' }, t)).toEqual({ name: 'Li Lei' });
    expect(preChatPayload(view, { name: '', contact: ' li@example.com', team: 't_1' }, t)).toEqual({ contact: 'li@example.com', team: 't_1' });
  });
  it('asks for a contact when the site requires one', () => {
    expect(preChatPayload({ ...view, contactRequired: true }, { name: 'Li', contact: '  ', team: '' }, t)).toBe(t.preChatContactRequired);
  });
  it('sends only the fields the site asks for, bounded in length', () => {
    expect(preChatPayload({ ...view, askName: false }, { name: 'Li', contact: 'x', team: '' }, t)).toEqual({ contact: 'x' });
    const long = preChatPayload(view, { name: 'n'.repeat(300), contact: 'c'.repeat(300), team: '' }, t) as { name: string; contact: string };
    expect([long.name.length, long.contact.length]).toEqual([100, 200]);
  });
});
