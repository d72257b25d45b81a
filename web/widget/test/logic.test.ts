import { describe, expect, it } from 'vitest';
import { texts } from '../src/chat/i18n';
import { eventText, OFFLINE_EVENTS, routingFrom } from '../src/chat/logic';

const q = (s: string) => new URLSearchParams(s);

describe('routingFrom', () => {
  it('is undefined without team or skills', () => {
    expect(routingFrom(q('siteKey=default'), q(''))).toBeUndefined();
    expect(routingFrom(q('team=&skills=,,'), q(''))).toBeUndefined();
  });
  it('reads team and comma-separated skills from the query', () => {
    expect(routingFrom(q('team=sales&skills=zh,%20vip,zh'), q(''))).toEqual({ team: 'sales', skills: ['zh', 'vip'] });
  });
  it('falls back to the fragment, the query wins', () => {
    expect(routingFrom(q(''), q('team=support'))).toEqual({ team: 'support' });
    expect(routingFrom(q('team=a'), q('team=b&skills=en'))).toEqual({ team: 'a', skills: ['en'] });
  });
  it('bounds lengths and counts', () => {
    const r = routingFrom(q(`team=${'x'.repeat(300)}&skills=${Array.from({ length: 30 }, (_, i) => `s${i}`).join(',')}`), q(''))!;
    expect(r.team).toHaveLength(100);
    expect(r.skills).toHaveLength(20);
  });
});

describe('eventText', () => {
  const en = texts('en').t;
  const zh = texts('zh-CN').t;
  it('names every server event in both languages', () => {
    for (const ev of ['outsideBusinessHours', 'agentsAway', 'transferred', 'unassigned', 'inactivityWarning', 'reopened', 'assigned', 'closed']) {
      for (const t of [en, zh]) {
        const line = eventText(t, { event: ev, agentName: 'Ann' });
        expect(line).not.toBe(t.event);
        expect(line.length).toBeGreaterThan(3);
      }
    }
    expect(eventText(en, { event: 'outsideBusinessHours' })).toMatch(/business hours/);
    expect(eventText(zh, { event: 'agentsAway' })).toMatch(/留言/);
  });
  it('uses the name when there is one', () => {
    expect(eventText(en, { event: 'assigned', agentName: 'Ann' })).toBe('Ann joined the conversation');
    expect(eventText(en, { event: 'assigned' })).toBe('Agent joined the conversation');
    expect(eventText(zh, { event: 'transferred', assignee: { name: '小王' } })).toBe('会话已转接给 小王');
    expect(eventText(en, { event: 'transferred' })).toMatch(/another agent/);
  });
  it('falls back to the text, then a generic line', () => {
    expect(eventText(en, { event: 'somethingNew' }, 'Custom')).toBe('Custom');
    expect(eventText(en, null)).toBe('Conversation updated');
  });
  it('offers leave-a-message on the offline events only', () => {
    expect([...OFFLINE_EVENTS].sort()).toEqual(['agentsAway', 'outsideBusinessHours']);
  });
});
