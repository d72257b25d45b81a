import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('localStorage', { getItem: () => null });
const { formatOptions, lines, parseOptions, welcomeFor, withWelcomes } = await import('../src/bot/botApi');

describe('bot page form helpers', () => {
  it('reads buttons as label=value lines, a bare line being both', () => {
    expect(parseOptions('Personal=personal invoice\n\n  Company  \n')).toEqual([
      { label: 'Personal', value: 'personal invoice' },
      { label: 'Company', value: 'Company' },
    ]);
  });

  it('writes buttons back so that reading them again gives the same buttons', () => {
    const options = [{ label: '个人', value: '个人发票' }, { label: 'same', value: 'same' }];
    expect(formatOptions(options)).toBe('个人=个人发票\nsame');
    expect(parseOptions(formatOptions(options))).toEqual(options);
  });

  it('drops blank pattern lines and trims the others', () => {
    expect(lines(' 发票 \n\n invoice\n')).toEqual(['发票', 'invoice']);
  });

  it('edits the Chinese and English welcomes and keeps the other languages as they were', () => {
    const before = { 'zh-cn': '旧的', EN: 'Old', ja: 'ようこそ' };
    expect(welcomeFor(before, 'zh-CN')).toBe('旧的');
    expect(welcomeFor(before, 'en')).toBe('Old');
    expect(welcomeFor(undefined, 'en')).toBe('');
    expect(withWelcomes(before, { 'zh-CN': ' 您好 ', en: '  ' })).toEqual({ ja: 'ようこそ', 'zh-CN': '您好' });
  });
});
