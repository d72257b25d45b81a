// The leave-a-message form opens by itself on an `agentsAway` event; this file's server announces
// that event (Kefu:Routing:AnnounceAgentsAway, on by default but off in the other tests' servers), so it has
// a server of its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, browserMissing, launchBrowser, startServer } from './harness.mjs';

const T = 20_000;

describe('kefu web e2e: agentsAway offers leave-a-message', { skip: browserMissing() }, () => {
  let server;
  let browser;
  let adminToken;

  async function createTeam(name) {
    const res = await fetch(`${server.baseUrl}/api/v1/teams`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name }),
    });
    assert.equal(res.status, 201);
    return res.json();
  }

  before(async () => {
    process.env.Kefu__Routing__AnnounceAgentsAway = 'true';
    try {
      server = await startServer();
    } finally {
      delete process.env.Kefu__Routing__AnnounceAgentsAway;
    }
    browser = await launchBrowser();
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN),
    });
    adminToken = (await login.json()).token;
    assert.ok(adminToken);
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('an agentsAway event reads as a system line and opens the leave-a-message form by itself', { skip: !!process.env.KEFU_E2E_BASE_URL && 'reused server' }, async () => {
    const team = await createTeam(`E2E Away ${Date.now()}`);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/chat?siteKey=default&team=${encodeURIComponent(team.id)}`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      const form = page.getByRole('form', { name: 'Leave a message' });
      assert.equal(await form.isVisible(), false);
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill(`Anyone there? ${Date.now()}`);
      await box.press('Enter');
      await page.locator('.event[data-event="agentsAway"]', { hasText: 'No agent is available right now' }).waitFor({ timeout: T });
      await form.waitFor({ timeout: T });
      await form.getByRole('textbox', { name: 'Name' }).waitFor({ timeout: T });
      await form.getByRole('textbox', { name: 'Contact' }).waitFor({ timeout: T });
      await form.getByRole('button', { name: 'Cancel' }).click();
      await form.waitFor({ state: 'hidden', timeout: T });
      await page.getByRole('button', { name: 'Leave a message' }).waitFor({ timeout: T });
      await box.waitFor({ timeout: T });
    } finally {
      await context.close();
    }
  });

});
