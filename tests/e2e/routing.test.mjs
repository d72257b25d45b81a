// Browser tests of the entry point's routing (team/skills on the H5 link, the pre-chat form) and leave-a-message,
// against the real server. Checks go through the admin REST API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, browserMissing, launchBrowser, startServer, until, restClient } from './harness.mjs';

const T = 20_000;

describe('kefu web e2e: routing and leave-a-message', { skip: browserMissing() }, () => {
  let server;
  let browser;
  let adminToken;

  const api = restClient(() => server.baseUrl, () => adminToken);

  async function createTeam(name) {
    const team = await api('POST', '/api/v1/teams', { name });
    assert.ok(team.id, `team created: ${JSON.stringify(team)}`);
    return team;
  }

  /** The queued conversation (seen by an agent) whose last message is `text`. */
  async function queuedWith(text) {
    return until(async () => {
      const items = await api('GET', '/api/v1/conversations?view=queued');
      return items.find((c) => c.lastMessage?.text === text);
    }, { timeoutMs: T, message: `a queued conversation with "${text}"` });
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    adminToken = (await api('POST', '/api/v1/auth/login', ADMIN)).token;
    assert.ok(adminToken);
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the H5 link chooses the team: the conversation lands in it', async () => {
    const team = await createTeam(`E2E Sales ${Date.now()}`);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      const routed = page.waitForRequest((r) => r.url().endsWith('/api/v1/visitor/routing') && r.method() === 'PUT', { timeout: T });
      await page.goto(`${server.baseUrl}/chat?siteKey=default&team=${encodeURIComponent(team.id)}&skills=en`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      assert.deepEqual((await routed).postDataJSON(), { team: team.id, skills: ['en'] });

      const text = `Which plan fits me? ${Date.now()}`;
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill(text);
      await box.press('Enter');
      await page.locator('.msg.mine .bubble', { hasText: text }).waitFor({ timeout: T });

      const listed = await queuedWith(text);
      const conversation = await api('GET', `/api/v1/conversations/${listed.conversationId}`);
      assert.equal(conversation.team, team.id);
    } finally {
      await context.close();
    }
  });

  it('leave-a-message (zh-CN): the form posts and an agent sees the message in the queue', async () => {
    // A team nobody is in: whatever else is online, the conversation waits in the queue.
    const team = await createTeam(`E2E Night ${Date.now()}`);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/chat?siteKey=default#team=${encodeURIComponent(team.name)}`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });

      await page.getByRole('button', { name: '留言' }).click();
      const form = page.getByRole('form', { name: '留言' });
      await form.waitFor({ timeout: T });
      // The form takes the composer's place.
      assert.equal(await page.locator('form.composer').isVisible(), false);
      const text = `请明天上午回电 ${Date.now()}`;
      await form.getByRole('textbox', { name: '姓名' }).fill('李雷');
      await form.getByRole('textbox', { name: '联系方式' }).fill('lilei@example.com');
      await form.getByRole('textbox', { name: '留言内容' }).fill(text);
      await form.getByRole('button', { name: '留言' }).click();
      await page.getByText('感谢留言', { exact: false }).waitFor({ timeout: T });
      await form.waitFor({ state: 'hidden', timeout: T });
      // The visitor sees what it left in its history.
      await page.locator('.msg.mine .bubble', { hasText: text }).waitFor({ timeout: T });

      const listed = await queuedWith(text);
      assert.equal(listed.status, 'queued');
      const conversation = await api('GET', `/api/v1/conversations/${listed.conversationId}`);
      assert.equal(conversation.team, team.id);
    } finally {
      await context.close();
    }
  });

  // Last in this file: it turns the site's form on (and off again at the end).
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

    const team = await createTeam(`E2E 售前 ${Date.now()}`);
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
      const listed = await queuedWith(text);
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
