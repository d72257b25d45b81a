// Browser test of the console's Bot page and a bot-first chat, against the real server: an admin sets the
// site's mode and welcomes in Chinese and English, adds an FAQ entry and a rule, tries the bot, and a visitor on the
// H5 page is welcomed in English and gets the bot's answer, quick-reply buttons, a card, and a person through the
// bot's "talk to an agent" button.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, browserMissing, launchBrowser, loginAgent, startServer, until, restClient } from './harness.mjs';

const T = 20_000;

describe('kefu web e2e: the bot', { skip: browserMissing() }, () => {
  let server;
  let browser;
  let adminToken;

  const api = restClient(() => server.baseUrl, () => adminToken);

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    adminToken = (await api('POST', '/api/v1/auth/login', ADMIN)).token;
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('an admin sets the bot up in the console and a visitor is answered by it', async () => {
    const { context, page } = await loginAgent(browser, server.baseUrl);
    try {
      await page.getByRole('button', { name: 'Bot', exact: true }).click();

      await page.getByLabel('Mode').selectOption('botFirst');
      await page.getByLabel('Welcome message for Chinese visitors (zh-CN)').fill('您好，我是机器人。');
      await page.getByLabel('Welcome message for English visitors (en)').fill('Hello, I am the bot.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ timeout: T });
      const settings = await api('GET', '/api/v1/bot/settings');
      assert.equal(settings.mode, 'botFirst');
      assert.deepEqual(settings.welcomes, { 'zh-CN': '您好，我是机器人。', en: 'Hello, I am the bot.' });

      await page.getByRole('tab', { name: 'FAQ' }).click();
      await page.getByLabel('Question').fill('How long does shipping take?');
      await page.getByLabel('Other phrasings (one per line)').fill('When will my parcel arrive?');
      await page.getByLabel('Answer').fill('Two to four working days.');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.getByRole('cell', { name: 'Two to four working days.' }).waitFor({ timeout: T });

      await page.getByRole('tab', { name: 'Rules' }).click();
      await page.getByLabel('Patterns (one per line)').fill('invoice');
      await page.getByLabel('Text', { exact: true }).fill('Invoices are under Orders.');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.getByRole('cell', { name: 'invoice', exact: true }).waitFor({ timeout: T });
      assert.equal((await api('GET', '/api/v1/bot/rules'))[0].reply.text, 'Invoices are under Orders.');

      await page.getByRole('tab', { name: 'Try it' }).click();
      await page.getByPlaceholder('Type a visitor question').fill('when will my parcel arrive');
      await page.getByRole('button', { name: 'Ask' }).click();
      await page.getByText('Two to four working days.').waitFor({ timeout: T });
    } finally {
      await context.close();
    }

    const visitor = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    try {
      const chat = await visitor.newPage();
      await chat.goto(`${server.baseUrl}/chat?siteKey=default`);
      await chat.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      const box = chat.getByRole('textbox', { name: 'Message' });
      await box.fill('How long does shipping take?');
      await box.press('Enter');
      // The browser speaks English: the English welcome.
      await chat.locator('.msg .bubble', { hasText: 'Hello, I am the bot.' }).waitFor({ timeout: T });
      await chat.locator('.msg .bubble', { hasText: 'Two to four working days.' }).waitFor({ timeout: T });
      await box.fill('I need an invoice');
      await box.press('Enter');
      await chat.locator('.msg .bubble', { hasText: 'Invoices are under Orders.' }).waitFor({ timeout: T });

      const numbers = await until(async () => {
        const n = await api('GET', '/api/v1/bot/numbers');
        return n.answered === 2 ? n : null;
      }, { timeoutMs: T, message: 'two answered questions in the numbers' });
      assert.equal(numbers.conversations, 1);

      // Quick replies are buttons (a pick is sent as the visitor's text); a card shows its title and a safe link.
      await api('POST', '/api/v1/bot/rules', {
        match: 'keyword', patterns: ['plans'],
        reply: { kind: 'quickReplies', text: 'Which plan?', options: [{ label: 'Basic', value: 'basic plan' }, { label: 'VIP', value: 'VIP' }] },
      });
      await api('POST', '/api/v1/bot/rules', {
        match: 'keyword', patterns: ['brochure'],
        reply: { kind: 'card', card: { title: 'Our brochure', description: 'All plans', url: 'https://example.com/brochure' } },
      });
      await box.fill('show me your plans');
      await box.press('Enter');
      const options = chat.locator('.msg .quick');
      await options.getByRole('button', { name: 'VIP' }).click();
      await chat.locator('.msg.mine .bubble', { hasText: 'VIP' }).waitFor({ timeout: T });
      await box.fill('a brochure please');
      await box.press('Enter');
      const card = chat.locator('.msg .card', { hasText: 'Our brochure' });
      await card.waitFor({ timeout: T });
      assert.equal(await card.getByRole('link', { name: 'Open' }).getAttribute('href'), 'https://example.com/brochure');

      // A question the bot cannot answer offers a person; the button (words plus its payload) hands over.
      await box.fill('zxqv wplk');
      await box.press('Enter');
      await chat.locator('.msg .quick').last().getByRole('button', { name: 'Talk to an agent' }).click();
      await chat.locator('.msg .bubble', { hasText: 'connecting you with an agent' }).waitFor({ timeout: T });
      await until(async () => (await api('GET', '/api/v1/bot/numbers')).handedOff === 1 || null,
        { timeoutMs: T, message: 'the conversation handed over' });
    } finally {
      await visitor.close();
    }
  });
});
