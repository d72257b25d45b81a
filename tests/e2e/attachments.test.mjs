// Attachments end to end against the real server: a visitor on the H5 page sends images (file picker
// and paste, with a caption typed first), the agent sees the thumbnails and the full image; the agent drops a file and the visitor
// downloads it; an upload whose connection drops between chunks resumes from the server's offset and
// arrives intact.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { browserMissing, launchBrowser, loginAgent, startServer, until } from './harness.mjs';

const T = 20_000;
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

describe('kefu web e2e: attachments', { skip: browserMissing() }, () => {
  let server;
  let browser;
  let agent;
  let context;
  let page;

  before(async () => {
    server = await startServer();
    // A fake microphone (a beep) that needs no permission prompt, for voice messages.
    browser = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    agent = await loginAgent(browser, server.baseUrl);
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/chat?siteKey=default`);
    await page.locator('.banner').waitFor({ state: 'hidden', timeout: T });
  }, { timeout: 600_000 });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  /** A real PNG drawn by the browser (the server checks the bytes and makes a thumbnail). */
  async function png(width, height, color) {
    const dataUrl = await page.evaluate(([w, h, c]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const g = canvas.getContext('2d');
      g.fillStyle = c;
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#fff';
      g.fillRect(w / 4, h / 4, w / 2, h / 2);
      return canvas.toDataURL('image/png');
    }, [width, height, color]);
    return Buffer.from(dataUrl.split(',')[1], 'base64');
  }

  async function openInConsole(text) {
    const console = agent.page;
    await until(async () => {
      for (const tab of ['queued', 'mine', 'open']) {
        await console.locator(`.tabs [data-tab="${tab}"]`).click();
        const item = console.locator('.conv-list').getByRole('listitem').filter({ hasText: text });
        if (await item.count()) {
          await item.first().getByRole('button').click();
          return true;
        }
      }
      return false;
    }, { timeoutMs: T, message: `conversation "${text}" in the console` });
    await console.locator('.chat .bubble', { hasText: text }).first().waitFor({ timeout: T });
    const claim = console.getByRole('button', { name: 'Claim' });
    if (await claim.isVisible()) {
      await claim.click();
      await claim.waitFor({ state: 'hidden', timeout: T });
    }
  }

  const loaded = (img) => img.evaluate((el) => el.complete && el.naturalWidth > 0);

  it('a visitor sends an image from the H5 page; the agent sees its thumbnail and opens the full image', async () => {
    const console = agent.page;
    const hello = `Photo of the part ${Date.now()}`;
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(hello);
    await box.press('Enter');
    await openInConsole(hello);

    const image = await png(800, 600, '#d4380d');
    await page.locator('input[type="file"]').setInputFiles({ name: 'broken-part.png', mimeType: 'image/png', buffer: image });
    // The visitor's own bubble turns from the upload into the server's thumbnail.
    const mine = page.locator('.msg.mine .thumb img[alt="broken-part.png"]');
    await mine.waitFor({ timeout: T });
    await until(() => loaded(mine), { timeoutMs: T, message: 'visitor thumbnail loaded' });

    const thumb = console.locator('.chat .msg.theirs .thumb img[alt="broken-part.png"]');
    await thumb.waitFor({ timeout: T });
    await until(() => loaded(thumb), { timeoutMs: T, message: 'agent thumbnail loaded' });
    assert.match(await thumb.getAttribute('src'), /\/api\/v1\/uploads\/[^/]+\/thumbnail\?/);
    const natural = await thumb.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
    assert.ok(natural[0] <= 320 && natural[0] > 0, `a thumbnail, not the full image: ${natural}`);

    // The lightbox shows the full image (800 x 600) and closes with Escape.
    await console.getByRole('button', { name: 'View image: broken-part.png' }).click();
    const dialog = console.getByRole('dialog', { name: 'Image' });
    await dialog.waitFor({ timeout: T });
    const full = dialog.locator('img');
    await until(() => loaded(full), { timeoutMs: T, message: 'full image loaded' });
    assert.deepEqual(await full.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [800, 600]);
    await console.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: T });
  });

  it('a pasted screenshot is sent as an image too', async () => {
    const shot = await png(300, 200, '#237804');
    await page.getByRole('textbox', { name: 'Message' }).evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, shot.toString('base64'));
    const thumb = agent.page.locator('.chat .msg.theirs .thumb img[alt="screenshot.png"]');
    await thumb.waitFor({ timeout: T });
    await until(() => loaded(thumb), { timeoutMs: T, message: 'pasted image thumbnail loaded' });
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '');
  });

  it('text typed before attaching goes with the file as its caption, from the H5 page and from the console', async () => {
    const console = agent.page;
    const box = page.getByRole('textbox', { name: 'Message' });
    const caption = `The serial number is on the back ${Date.now()}`;
    await box.fill(caption);
    await page.locator('input[type="file"]').setInputFiles({ name: 'back.png', mimeType: 'image/png', buffer: await png(200, 100, '#096dd9') });
    assert.equal(await box.inputValue(), '', 'the caption left the composer with the file');
    const seen = console.locator('.chat .msg.theirs', { has: console.locator('img[alt="back.png"]') });
    await seen.locator('.caption', { hasText: caption }).waitFor({ timeout: T });

    const reply = `Here is the manual ${Date.now()}`;
    const consoleBox = console.locator('.composer').getByRole('textbox', { name: 'Message' });
    await consoleBox.fill(reply);
    await console.locator('.composer input[type="file"]').setInputFiles({ name: 'manual.txt', mimeType: 'text/plain', buffer: Buffer.from('Kefu manual') });
    assert.equal(await consoleBox.inputValue(), '');
    const got = page.locator('.msg.theirs', { has: page.locator('a.file', { hasText: 'manual.txt' }) });
    await got.locator('.caption', { hasText: reply }).waitFor({ timeout: T });
    assert.match(await page.getByRole('button', { name: 'Attach a file' }).getAttribute('title'), /caption/);
  });

  it('the agent drops a file into the console; the visitor gets a download link with its name and size', async () => {
    const console = agent.page;
    const text = 'Kefu order notes <b>not html</b>\n'.repeat(100);
    await console.locator('.chat').evaluate((el, body) => {
      const data = new DataTransfer();
      data.items.add(new File([body], 'order notes (v2).txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    const link = page.locator('.msg.theirs a.file', { hasText: 'order notes (v2).txt' });
    await link.waitFor({ timeout: T });
    assert.equal(await link.getAttribute('download'), 'order notes (v2).txt');
    assert.match(await link.innerText(), /3\.2 KB/);
    assert.equal(await page.locator('.msg.theirs b').count(), 0, 'the name is text, never markup');
    const res = await page.request.get(await link.getAttribute('href'));
    assert.equal(res.status(), 200);
    assert.equal(await res.text(), text);
  });

  it('a visitor records a voice message; the agent gets a player with its duration', async () => {
    const console = agent.page;
    await page.getByRole('button', { name: 'Record a voice message' }).click();
    const recording = page.getByRole('group', { name: 'Record a voice message' });
    await recording.getByText(/Recording… 0:0[1-9]/).waitFor({ timeout: T });
    await page.waitForTimeout(1000); // a recording of about two seconds
    await recording.getByRole('button', { name: 'Send voice message' }).click();
    await recording.waitFor({ state: 'hidden', timeout: T });

    const player = console.locator('.chat .msg.theirs .voice audio');
    await player.waitFor({ timeout: T });
    assert.match(await console.locator('.chat .msg.theirs .voice .duration').last().innerText(), /^0:0[1-9]$/);
    const res = await console.request.get(await player.last().getAttribute('src'));
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^audio\/webm/); // a recording with only an audio track is audio
    await until(() => player.last().evaluate((el) => el.readyState >= 1), { timeoutMs: T, message: 'the player read the audio' });
  });

  it('without MediaRecorder the voice button explains the fallback instead of failing', async () => {
    const old = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    try {
      await old.addInitScript(() => { delete window.MediaRecorder; });
      const p = await old.newPage();
      await p.goto(`${server.baseUrl}/chat?siteKey=default`);
      await p.getByRole('button', { name: '录制语音消息' }).click();
      await p.getByRole('alert').filter({ hasText: '当前浏览器不支持录制语音消息' }).waitFor({ timeout: T });
      assert.equal(await p.getByRole('button', { name: '发送文件' }).isVisible(), true);
    } finally {
      await old.close();
    }
  });

  it('an upload whose connection drops mid-way resumes from the server offset and arrives intact', async () => {
    const console = agent.page;
    const data = randomBytes(9 * 1024 * 1024 + 12345); // two PATCHes: 8 MiB, then the rest
    // From a file on disk: the browser reads it itself (a buffer would travel through the driver).
    const dir = await mkdtemp(join(tmpdir(), 'kefu-e2e-upload-'));
    const path = join(dir, 'big.bin');
    await writeFile(path, data);
    const patches = [];
    let heads = 0;
    let blocked = true;
    let aborted = 0;
    await page.route('**/api/v1/uploads/**', async (route) => {
      const req = route.request();
      if (req.method() === 'HEAD') heads++;
      if (req.method() !== 'PATCH') return route.continue();
      const offset = Number(req.headers()['upload-offset']);
      // The first chunk goes through, then the network is gone until the test brings it back.
      if (patches.length >= 1 && blocked) {
        aborted++;
        return route.abort('internetdisconnected');
      }
      patches.push(offset);
      return route.continue();
    });
    try {
      await page.locator('input[type="file"]').setInputFiles(path);
      const bubble = page.locator('.msg.mine .upload', { hasText: 'big.bin' });
      await bubble.locator('progress').waitFor({ timeout: T });
      await page.locator('.msg.mine .upload[data-status="waiting"]', { hasText: 'Connection lost' }).waitFor({ timeout: 60_000 });
      assert.ok(aborted >= 1);
      const progress = Number(await bubble.locator('progress').getAttribute('value'));
      assert.ok(progress > 0 && progress < 100, `part of the file was sent: ${progress}%`);
      blocked = false;
      await page.locator('.msg.mine a.file', { hasText: 'big.bin' }).waitFor({ timeout: 60_000 });
    } finally {
      await page.unroute('**/api/v1/uploads/**');
      await rm(dir, { recursive: true, force: true });
    }
    // After the drop tus asked the server where it stood and went on from there, not from 0.
    assert.ok(heads >= 1, 'HEAD asked for the offset');
    assert.equal(patches[0], 0);
    assert.equal(patches[1], 8 * 1024 * 1024, `resumed at the server offset: ${patches}`);
    assert.ok(!patches.slice(1).includes(0), `never restarted: ${patches}`);

    const link = console.locator('.chat .msg.theirs a.file', { hasText: 'big.bin' });
    await link.waitFor({ timeout: T });
    const res = await console.request.get(await link.getAttribute('href'));
    assert.equal(res.status(), 200);
    assert.equal(sha256(await res.body()), sha256(data), 'the downloaded bytes match');
  });
});
