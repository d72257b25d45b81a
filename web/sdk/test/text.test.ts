import { describe, expect, it } from 'vitest';
import { backoffDelay, codePointLength, splitLinks } from '../src';

describe('splitLinks', () => {
  it('links only http and https URLs', () => {
    expect(splitLinks('see https://example.com/a?b=1, ok')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { type: 'text', text: ', ok' },
    ]);
  });

  it('keeps javascript: and markup as plain text', () => {
    for (const s of ['javascript:alert(1)', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>']) {
      expect(splitLinks(s)).toEqual([{ type: 'text', text: s }]);
    }
  });
});

describe('backoffDelay', () => {
  it('grows exponentially within jitter bounds and caps', () => {
    expect(backoffDelay(0, { baseMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, { baseMs: 100, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { baseMs: 100, random: () => 1 })).toBe(800);
    expect(backoffDelay(30, { baseMs: 100, maxMs: 5000, random: () => 1 })).toBe(5000);
  });
});

describe('codePointLength', () => {
  it('counts emoji as one', () => expect(codePointLength('a😀')).toBe(2));
});
