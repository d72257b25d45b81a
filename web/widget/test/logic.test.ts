import { describe, expect, it } from 'vitest';
import { texts } from '../src/chat/i18n';
import { cardFields, eventText, OFFLINE_EVENTS, quickOptions, routingFrom } from '../src/chat/logic';

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

describe('quickOptions', () => {
  it('reads labels and values, the value defaulting to the label', () => {
    expect(quickOptions({ options: [{ label: '人工客服', value: '转人工' }, { label: ' Pricing ' }] }))
      .toEqual([{ label: '人工客服', value: '转人工' }, { label: 'Pricing', value: 'Pricing' }]);
  });
  it('drops what is not a labelled option and keeps at most ten', () => {
    expect(quickOptions({ options: [null, 3, { value: 'x' }, { label: '' }, { label: 'ok' }] })).toEqual([{ label: 'ok', value: 'ok' }]);
    expect(quickOptions({ options: Array.from({ length: 15 }, (_, i) => ({ label: `o${i}` })) })).toHaveLength(10);
    expect(quickOptions(null)).toEqual([]);
    expect(quickOptions({ options: 'nope' })).toEqual([]);
  });
  it('keeps a payload only when it is a short token', () => {
    expect(quickOptions({ options: [
      { label: '转人工', value: '转人工', payload: 'handoff' },
      { label: 'a', payload: 'has space' },
      { label: 'b', payload: 'x'.repeat(65) },
      { label: 'c', payload: 7 },
    ] })).toEqual([
      { label: '转人工', value: '转人工', payload: 'handoff' },
      { label: 'a', value: 'a' }, { label: 'b', value: 'b' }, { label: 'c', value: 'c' },
    ]);
  });
});

describe('cardFields', () => {
  const onlyHttp = (raw: string) => (/^https?:\/\//.test(raw) ? raw : null);
  it('keeps text fields and only http(s) links and images', () => {
    expect(cardFields({ title: 'VIP', description: 'Plan', url: 'javascript:alert(1)', imageUrl: 'https://x.example/a.png' }, onlyHttp))
      .toEqual({ title: 'VIP', description: 'Plan', url: null, imageUrl: 'https://x.example/a.png' });
    expect(cardFields({ title: 5 }, onlyHttp)).toEqual({ title: '', description: '', url: null, imageUrl: null });
  });
});
