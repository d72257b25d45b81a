// The pre-chat form: off by default; once an admin turns it on for the site, a new visitor answers it
// (name, contact, team) before the first message, and the conversation lands in the chosen team.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, browserMissing, launchBrowser, startServer, until } from './harness.mjs';

const T = 20_000;

describe('kefu web e2e: pre-chat form', { skip: browserMissing() }, () => {
  let server;
  let browser;
  let adminToken;

  async function api(method, path, body) {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(adminToken ? { Authorization: `Bearer ${adminToken}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    adminToken = (await api('POST', '/api/v1/auth/login', ADMIN)).token;
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('without the form the composer shows at once; with it, the answers choose the team', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    try {
      const first = await context.newPage();
      await first.goto(`${server.baseUrl}/chat?siteKey=default`);
      await first.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      await first.getByRole('textbox', { name: '消息' }).waitFor({ timeout: T });
      assert.equal(await first.locator('form.prechat').count(), 0);
      await first.close();
    } finally {
      await context.close();
    }

    const team = await api('POST', '/api/v1/teams', { name: `E2E 售前 ${Date.now()}` });
    await api('PUT', '/api/v1/sites/default/prechat', { enabled: true, contactRequired: true });
    const fresh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    try {
      const page = await fresh.newPage();
      await page.goto(`${server.baseUrl}/chat?siteKey=default`);
      const form = page.getByRole('form', { name: '开始咨询前' });
      await form.waitFor({ timeout: T });
      assert.equal(await page.locator('form.composer').isVisible(), false);

      await form.getByRole('textbox', { name: '姓名' }).fill('韩梅梅');
      await form.getByRole('button', { name: '开始咨询' }).click();
      await form.getByRole('status').filter({ hasText: '联系方式' }).waitFor({ timeout: T });
      await form.getByRole('textbox', { name: '联系方式' }).fill('meimei@example.com');
      await form.getByRole('combobox').selectOption({ label: team.name });
      await form.getByRole('button', { name: '开始咨询' }).click();
      await form.waitFor({ state: 'detached', timeout: T });

      const text = `想了解企业版价格 ${Date.now()}`;
      const box = page.getByRole('textbox', { name: '消息' });
      await box.fill(text);
      await box.press('Enter');
      const listed = await until(async () => {
        const items = await api('GET', '/api/v1/conversations?view=queued');
        return items.find((c) => c.lastMessage?.text === text);
      }, { timeoutMs: T, message: `a queued conversation with "${text}"` });
      const conversation = await api('GET', `/api/v1/conversations/${listed.conversationId}`);
      assert.equal(conversation.team, team.id);
      const visitor = await api('GET', `/api/v1/visitors/${conversation.visitor.id}`);
      assert.deepEqual([visitor.entry.name, visitor.entry.contact], ['韩梅梅', 'meimei@example.com']);

      // Answered once: a reload goes straight to the chat.
      await page.reload();
      await page.getByRole('textbox', { name: '消息' }).waitFor({ timeout: T });
      assert.equal(await page.locator('form.prechat').count(), 0);
    } finally {
      await fresh.close();
      await api('PUT', '/api/v1/sites/default/prechat', { enabled: false });
    }
  });
});
