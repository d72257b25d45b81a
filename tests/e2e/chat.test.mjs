// Browser tests of the widget, the H5 chat page and the agent console against the real server.
// One server for the file; each scenario uses its own visitor (browser context) so they do not mix.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { bubbleTexts, browserMissing, launchBrowser, loginAgent, startServer, until } from './harness.mjs';

const T = 20_000; // bound for every UI wait

// Skips (and says why) on a machine without Chromium, as the project's tests do for missing services.
describe('kefu web e2e', { skip: browserMissing() }, () => {
  let server;
  let browser;
  let agent; // { context, page }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    agent = await loginAgent(browser, server.baseUrl);
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  /** Opens a conversation in the console by a text it contains, from any tab. */
  async function openInConsole(page, text, bubbleText = text) {
    for (const tab of ['mine', 'queued', 'open']) {
      await page.locator(`.tabs [data-tab="${tab}"]`).click();
      const item = page.locator('.conv-list').getByRole('listitem').filter({ hasText: text });
      if (await item.count().catch(() => 0)) {
        await item.first().getByRole('button').click();
        break;
      }
    }
    await page.locator('.chat .bubble', { hasText: bubbleText }).first().waitFor({ timeout: T });
  }

  /** Waits until the console lists a conversation whose last message contains `text`. */
  async function waitForListed(page, text) {
    await until(async () => {
      for (const tab of ['mine', 'queued', 'open']) {
        await page.locator(`.tabs [data-tab="${tab}"]`).click();
        if (await page.locator('.conv-list').getByRole('listitem').filter({ hasText: text }).count()) return true;
      }
      return false;
    }, { timeoutMs: T, message: `conversation "${text}" listed in the console` });
  }

  /** Closes the conversation open in the console (keeps the agent under its capacity for the next scenario). */
  async function closeInConsole() {
    const console = agent.page;
    await console.getByRole('button', { name: 'Close conversation' }).click();
    await console.locator('.chat-head .status[data-status="closed"]').waitFor({ timeout: T });
  }

  async function notes(page) {
    return page.evaluate(() => window.__notes.length);
  }

  /** The full visitor <-> agent exchange the issue asks for, from any visitor surface. */
  async function converse(visitor, label) {
    const console = agent.page;
    const notesBefore = await notes(console);
    const first = `Hello from ${label} ${Date.now()}`;
    const box = visitor.getByRole('textbox', { name: 'Message' });
    await box.fill(first);
    await box.press('Enter');
    await visitor.locator('.msg.mine .bubble', { hasText: first }).waitFor({ timeout: T });

    // The console learns about it without a reload, and notifies.
    await waitForListed(console, first);
    await until(async () => (await notes(console)) > notesBefore, { timeoutMs: T, message: 'a desktop notification' });
    await openInConsole(console, first);
    const claim = console.getByRole('button', { name: 'Claim' });
    if (await claim.isVisible()) {
      await claim.click();
      await claim.waitFor({ state: 'hidden', timeout: T });
    }

    // Agent typing reaches the visitor.
    const reply = console.getByRole('textbox', { name: 'Message' });
    await reply.pressSequentially('Hi, how can', { delay: 20 });
    await visitor.getByText('Agent is typing…').waitFor({ timeout: T });

    // Shift+Enter is a new line, Enter sends.
    await reply.press('Shift+Enter');
    await reply.pressSequentially('I help?');
    assert.equal(await reply.inputValue(), 'Hi, how can\nI help?');
    await reply.press('Enter');
    await visitor.locator('.msg.theirs .bubble', { hasText: 'I help?' }).waitFor({ timeout: T });

    // Visitor typing reaches the agent.
    await box.pressSequentially('thanks', { delay: 20 });
    await console.getByText('Visitor is typing…').waitFor({ timeout: T });
    await box.press('Enter');
    await console.locator('.chat .bubble', { hasText: 'thanks' }).waitFor({ timeout: T });

    // Read ticks both ways: the agent has the conversation open, the visitor's panel is visible.
    await visitor.locator('.msg.mine', { hasText: first }).locator('.tick[data-status="read"]').waitFor({ timeout: T });
    await console.locator('.chat .msg.mine', { hasText: 'I help?' }).locator('.tick[data-status="read"]').waitFor({ timeout: T });
    return first;
  }

  describe('widget on /demo', () => {
    let context;
    let page;

    it('loads only the small loader until the bubble is clicked', async () => {
      context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 850 } });
      page = await context.newPage();
      const requested = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      await page.goto(`${server.baseUrl}/demo`);
      await page.getByRole('button', { name: 'Open chat' }).waitFor({ timeout: T });
      assert.ok(requested.includes('/widget.js'));
      assert.ok(!requested.some((p) => p.startsWith('/chat')), `chat bundle loaded before opening: ${requested}`);
    });

    it('opens the panel in an isolated iframe and chats with an agent (typing, answer, read ticks)', async () => {
      await page.getByRole('button', { name: 'Open chat' }).click();
      const frame = page.frameLocator('iframe[title="Chat"]');
      await frame.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: T });
      await frame.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      await converse(frame, 'demo');
    });

    it('shows the agent where the visitor is, and follows single-page navigation', async () => {
      const console = agent.page;
      await console.locator('.visitor .v-page', { hasText: '/demo' }).waitFor({ timeout: T });
      await console.locator('.visitor .v-ua', { hasText: /Chrom/ }).waitFor({ timeout: T });
      await page.locator('#nav-specs').click();
      await console.locator('.visitor .v-page', { hasText: '/demo#specs' }).waitFor({ timeout: T });
    });

    it('the agent closes the conversation and the visitor is told', async () => {
      await closeInConsole();
      const frame = page.frameLocator('iframe[title="Chat"]');
      await frame.getByText('The conversation has ended', { exact: false }).first().waitFor({ timeout: T });
    });

    after(async () => context?.close());
  });

  describe('H5 page in a mobile viewport', () => {
    let context;
    let page;
    let first;

    before(async () => {
      context = await browser.newContext({
        locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
      });
      page = await context.newPage();
      await page.goto(`${server.baseUrl}/chat?siteKey=default`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
    });
    after(async () => context?.close());

    it('chats with an agent: typing both ways, answer, read ticks', async () => {
      first = await converse(page, 'h5');
      const box = await page.locator('.chat').boundingBox();
      assert.ok(box && box.width <= 390 && box.height >= 700, `full screen layout: ${JSON.stringify(box)}`);
    });

    it('delivers messages typed offline exactly once and in order, and the agent still reaches the visitor', async () => {
      const console = agent.page;
      await context.setOffline(true);
      await page.getByText('Reconnecting…').waitFor({ timeout: T });
      const box = page.getByRole('textbox', { name: 'Message' });
      const offline = ['offline one', 'offline two', 'offline three'];
      for (const text of offline) {
        await box.fill(text);
        await box.press('Enter');
      }
      await page.locator('.msg.mine .tick[data-status="sending"]').nth(2).waitFor({ timeout: T });
      // The agent writes while the visitor is away.
      const reply = console.getByRole('textbox', { name: 'Message' });
      await reply.fill('are you still there?');
      await reply.press('Enter');
      await console.locator('.chat .msg.mine', { hasText: 'are you still there?' }).locator('.tick:not([data-status="sending"])').waitFor({ timeout: T });

      await context.setOffline(false);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: 30_000 });
      await page.locator('.msg.theirs .bubble', { hasText: 'are you still there?' }).waitFor({ timeout: T });
      await console.locator('.chat .bubble', { hasText: 'offline three' }).waitFor({ timeout: T });
      await until(async () => (await page.locator('.tick[data-status="sending"]').count()) === 0, { timeoutMs: T, message: 'outbox drained' });

      const agentView = await bubbleTexts(console.locator('.chat'));
      for (const text of offline) assert.equal(agentView.filter((t) => t === text).length, 1, `"${text}" once in the console: ${agentView}`);
      const positions = offline.map((t) => agentView.indexOf(t));
      assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in order');
      const visitorView = await bubbleTexts(page);
      for (const text of offline) assert.equal(visitorView.filter((t) => t === text).length, 1, `"${text}" once on the H5 page`);
    });

    it('the console recovers from a network drop without a reload', async () => {
      const console = agent.page;
      await agent.context.setOffline(true);
      await console.getByText('Connection lost. Reconnecting…').waitFor({ timeout: T });
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('sent while the agent was offline');
      await box.press('Enter');
      await page.locator('.msg.mine', { hasText: 'sent while the agent was offline' }).locator('.tick[data-status="sent"], .tick[data-status="delivered"]').first().waitFor({ timeout: T });
      await agent.context.setOffline(false);
      await console.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden', timeout: 30_000 });
      await console.locator('.chat .bubble', { hasText: 'sent while the agent was offline' }).waitFor({ timeout: T });
      const view = await bubbleTexts(console.locator('.chat'));
      assert.equal(view.filter((t) => t === 'sent while the agent was offline').length, 1);
    });

    it('a reload of the H5 page and of the console shows the full history, nothing missing or doubled', async () => {
      const console = agent.page;
      const visitorBefore = await bubbleTexts(page);
      const agentBefore = await bubbleTexts(console.locator('.chat'));
      assert.ok(visitorBefore.length >= 8, `history so far: ${visitorBefore}`);

      await page.reload();
      await page.locator('.msg .bubble', { hasText: first }).waitFor({ timeout: T });
      await until(async () => (await bubbleTexts(page)).length >= visitorBefore.length, { timeoutMs: T, message: 'H5 history loaded' });
      assert.deepEqual(await bubbleTexts(page), visitorBefore);

      await console.reload();
      await console.locator('.conn[data-state="open"]').waitFor({ timeout: T });
      await openInConsole(console, 'sent while the agent was offline');
      await until(async () => (await bubbleTexts(console.locator('.chat'))).length >= agentBefore.length, { timeoutMs: T, message: 'console history loaded' });
      assert.deepEqual(await bubbleTexts(console.locator('.chat')), agentBefore);
      await closeInConsole();
    });
  });

  describe('history on scroll-up', () => {
    const SOCKETS = 4;
    const PER_SOCKET = 18; // under the 20 sends per 10 s per connection limit

    /** Scrolls `scroller` to the top until `done` holds, each time waiting for the next page to arrive. */
    async function scrollBack(page, scroller, done) {
      await until(async () => {
        if (await done()) return true;
        await page.locator(scroller).evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
        return false;
      }, { timeoutMs: 30_000, intervalMs: 300, message: 'older pages loaded by scrolling up' });
    }

    function assertComplete(texts, who) {
      const bulk = texts.filter((t) => /^bulk s\d/.test(t));
      assert.equal(bulk.length, SOCKETS * PER_SOCKET, `${who}: every message once (${bulk.length})`);
      assert.equal(new Set(bulk).size, bulk.length, `${who}: no duplicates`);
      for (let s = 0; s < SOCKETS; s++) {
        const mine = bulk.filter((t) => t.startsWith(`bulk s${s}-`)).map((t) => Number(t.split('-')[1]));
        assert.deepEqual(mine, [...mine].sort((a, b) => a - b), `${who}: socket ${s} in send order`);
      }
    }

    it('loads older pages in the H5 page and in the console, each message once and in order', async () => {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/chat?siteKey=default`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('bulk start');
      await box.press('Enter');
      await page.locator('.msg.mine .tick[data-status="sent"], .msg.mine .tick[data-status="delivered"], .msg.mine .tick[data-status="read"]').first().waitFor({ timeout: T });

      // Several more connections of the same visitor write a long history quickly.
      const acked = await page.evaluate(async ({ sockets, perSocket }) => {
        const token = JSON.parse(localStorage.getItem('kefu.visitor.default')).token;
        const one = (s) => new Promise((resolve, reject) => {
          const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws`, 'kefu.v1');
          let i = 0;
          const next = () => ws.send(JSON.stringify({ type: 'send', rid: `b${s}-${i}`, clientMsgId: `bulk-${s}-${i}-${Date.now()}`, kind: 'text', text: `bulk s${s}-${String(i).padStart(2, '0')}` }));
          ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', rid: 'h', token }));
          ws.onmessage = (e) => {
            const f = JSON.parse(e.data);
            if (f.type === 'welcome') next();
            else if (f.type === 'ack') {
              if (++i === perSocket) { ws.close(); resolve(i); } else next();
            } else if (f.type === 'error') reject(new Error(`${f.code}: ${f.message}`));
          };
          setTimeout(() => reject(new Error('bulk send timed out')), 30_000);
        });
        const counts = await Promise.all(Array.from({ length: sockets }, (_, s) => one(s)));
        return counts.reduce((a, b) => a + b, 0);
      }, { sockets: SOCKETS, perSocket: PER_SOCKET });
      assert.equal(acked, SOCKETS * PER_SOCKET);

      await page.reload();
      await page.locator('.msg .bubble', { hasText: `bulk s${SOCKETS - 1}-${PER_SOCKET - 1}` }).first().waitFor({ timeout: T });
      assert.ok((await bubbleTexts(page)).length < SOCKETS * PER_SOCKET, 'the first screen is one page, not everything');
      await scrollBack(page, '.scroller', async () => (await bubbleTexts(page)).includes('bulk start'));
      assertComplete(await bubbleTexts(page), 'H5');

      const console = agent.page;
      await waitForListed(console, `bulk s`);
      await openInConsole(console, 'bulk s', `bulk s`);
      await scrollBack(console, '.chat .scroller', async () => (await bubbleTexts(console.locator('.chat'))).includes('bulk start'));
      assertComplete(await bubbleTexts(console.locator('.chat')), 'console');
      const claim = console.getByRole('button', { name: 'Claim' });
      if (await claim.isVisible()) await claim.click();
      await closeInConsole();
      await context.close();
    });
  });

  describe('hostile text stays text', () => {
    const corpus = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      'javascript:window.__xss=3',
      '<a href="javascript:window.__xss=4">click me</a>',
      '<svg onload="window.__xss=5"></svg> and https://example.com/safe?x=1',
    ];
    const hostileName = '<img src=x onerror="window.__xss=6">Mallory';

    it('in the H5 page and in the console, as message text and as the visitor name', async () => {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      const fragment = new URLSearchParams({ userId: `evil-${Date.now()}`, name: hostileName });
      await page.goto(`${server.baseUrl}/chat?siteKey=default#${fragment}`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      const box = page.getByRole('textbox', { name: 'Message' });
      for (const text of corpus) {
        await box.fill(text);
        await box.press('Enter');
      }
      for (const text of corpus) await page.locator('.msg.mine .bubble', { hasText: text }).waitFor({ timeout: T });

      const console = agent.page;
      await waitForListed(console, corpus[corpus.length - 1].slice(0, 20));
      await openInConsole(console, corpus[corpus.length - 1], corpus[0]);
      for (const text of corpus) await console.locator('.chat .bubble', { hasText: text }).first().waitFor({ timeout: T });
      await console.locator('.conv-list').getByRole('listitem').filter({ hasText: hostileName }).first().waitFor({ timeout: T });
      await console.locator('.visitor .v-name', { hasText: hostileName }).waitFor({ timeout: T });

      for (const [who, p, scope] of [['H5', page, '.messages'], ['console', console, '.app']]) {
        assert.equal(await p.evaluate(() => window.__xss), undefined, `${who}: no script ran`);
        assert.equal(await p.locator(`${scope} img, ${scope} script, ${scope} svg:not([aria-hidden])`).count(), 0, `${who}: no injected elements`);
        const links = await p.locator(`${scope} .bubble a`).evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel')]));
        assert.ok(links.length >= 1, `${who}: the https link is clickable`);
        for (const [href, rel] of links) {
          assert.match(href, /^https?:\/\//, `${who}: only http(s) links`);
          assert.equal(rel, 'noopener noreferrer');
        }
      }
      await closeInConsole();
      await context.close();
    });
  });

  describe('size budgets on the served assets', () => {
    it('widget.js <= 5 KB and the chat bundle <= 30 KB gzipped', async () => {
      const get = async (path) => Buffer.from(await (await fetch(`${server.baseUrl}${path}`)).arrayBuffer());
      const loader = gzipSync(await get('/widget.js'), { level: 9 }).length;
      const html = (await get('/chat')).toString();
      const assets = [...html.matchAll(/(?:src|href)="(\/chat\/assets\/[^"]+)"/g)].map((m) => m[1]);
      assert.ok(assets.length >= 1, 'chat page references its bundle');
      let chat = gzipSync(Buffer.from(html), { level: 9 }).length;
      for (const a of assets) chat += gzipSync(await get(a), { level: 9 }).length;
      console.log(`served sizes: widget.js ${loader} B gz, chat bundle ${chat} B gz`);
      assert.ok(loader <= 5 * 1024, `loader ${loader}`);
      assert.ok(chat <= 30 * 1024, `chat ${chat}`);
    });
  });

  describe('accessibility names', () => {
    it('console login and the conversation list have the names the issue requires (zh-CN too)', async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/console`);
      await page.getByLabel('用户名').waitFor({ timeout: T });
      await page.getByLabel('密码').waitFor({ timeout: T });
      await page.getByRole('button', { name: '登录' }).waitFor({ timeout: T });
      await page.getByLabel('语言').selectOption('en');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor({ timeout: T });
      await context.close();
      assert.ok(await agent.page.getByRole('list', { name: 'Conversations' }).count() >= 1);
      const h5 = await browser.newContext({ locale: 'zh-CN' });
      const p = await h5.newPage();
      await p.goto(`${server.baseUrl}/chat?siteKey=default`);
      await p.getByRole('textbox', { name: '消息' }).waitFor({ timeout: T });
      await h5.close();
    });
  });

  describe('queue and claim', () => {
    it('with no agent online the visitor waits in the queue; an agent who logs in claims and answers', async () => {
      await agent.context.close();
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/chat?siteKey=default`);
      await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
      const text = `anyone there? ${Date.now()}`;
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill(text);
      await box.press('Enter');
      // The queued state is shown while it lasts (the server may assign the conversation at once if it
      // still counts the agent as online); its text is set only for a queued conversation.
      await until(async () => /queue|Waiting for an agent/.test(await page.locator('.queue').textContent()), { timeoutMs: T, message: 'queue notice' });

      agent = await loginAgent(browser, server.baseUrl);
      const console = agent.page;
      await waitForListed(console, text);
      await openInConsole(console, text);
      const claim = console.getByRole('button', { name: 'Claim' });
      if (await claim.isVisible()) {
        await claim.click();
        await console.locator('.chat-head .status[data-status="open"]').waitFor({ timeout: T });
      }
      await console.locator('.tabs [data-tab="mine"]').click();
      await console.locator('.conv-list').getByRole('listitem').filter({ hasText: text }).waitFor({ timeout: T });
      const reply = console.getByRole('textbox', { name: 'Message' });
      await reply.fill('Sorry for the wait!');
      await reply.press('Enter');
      await page.locator('.msg.theirs .bubble', { hasText: 'Sorry for the wait!' }).waitFor({ timeout: T });
      await page.locator('.queue').waitFor({ state: 'hidden', timeout: T });
      await closeInConsole();
      await context.close();
    });
  });
});
