// Size budgets: the loader every host page pays for, and the chat bundle loaded when the panel opens.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

const LOADER_BUDGET = 5 * 1024;
const CHAT_BUDGET = 30 * 1024;
// tus-js-client, fetched only when the visitor sends a file.
const UPLOAD_CHUNK_BUDGET = 25 * 1024;
const widget = resolve(__dirname, '..');
let out = '';

const gz = async (file: string) => gzipSync(await readFile(file), { level: 9 }).length;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'kefu-budget-'));
  process.env.KEFU_WEB_OUT = out;
  await build({ configFile: resolve(widget, 'vite.loader.config.ts'), logLevel: 'silent' });
  await build({ configFile: resolve(widget, 'vite.chat.config.ts'), logLevel: 'silent' });
}, 120_000);

afterAll(async () => {
  delete process.env.KEFU_WEB_OUT;
  if (out) await rm(out, { recursive: true, force: true });
});

describe('size budgets', () => {
  it(`widget.js loader is at most ${LOADER_BUDGET} bytes gzipped`, async () => {
    const size = await gz(join(out, 'widget.js'));
    console.log(`widget.js: ${size} B gzipped (budget ${LOADER_BUDGET})`);
    expect(size).toBeLessThanOrEqual(LOADER_BUDGET);
  });

  it(`chat bundle (html, js, css the page loads) is at most ${CHAT_BUDGET} bytes gzipped`, async () => {
    const html = await readFile(join(out, 'chat', 'index.html'), 'utf8');
    const initial = (await readdir(join(out, 'chat', 'assets'))).filter((a) => html.includes(`/chat/assets/${a}`));
    let total = await gz(join(out, 'chat', 'index.html'));
    for (const a of initial) total += await gz(join(out, 'chat', 'assets', a));
    console.log(`chat bundle: ${total} B gzipped in ${initial.length + 1} files (budget ${CHAT_BUDGET})`);
    expect(initial.some((a) => a.endsWith('.js'))).toBe(true);
    expect(total).toBeLessThanOrEqual(CHAT_BUDGET);
  });

  it(`the upload code loads on demand and is at most ${UPLOAD_CHUNK_BUDGET} bytes gzipped`, async () => {
    const html = await readFile(join(out, 'chat', 'index.html'), 'utf8');
    const lazy = (await readdir(join(out, 'chat', 'assets'))).filter((a) => !html.includes(`/chat/assets/${a}`));
    let total = 0;
    for (const a of lazy) total += await gz(join(out, 'chat', 'assets', a));
    console.log(`on-demand chunks: ${total} B gzipped in ${lazy.length} files (budget ${UPLOAD_CHUNK_BUDGET})`);
    expect(lazy).toHaveLength(1);
    expect(await readFile(join(out, 'chat', 'assets', lazy[0]!), 'utf8')).toMatch(/Tus-Resumable/);
    expect(total).toBeLessThanOrEqual(UPLOAD_CHUNK_BUDGET);
  });

  it('the loader does not pull in the chat code or the SDK', async () => {
    const code = await readFile(join(out, 'widget.js'), 'utf8');
    expect(code).not.toMatch(/kefu\.v1|WebSocket/);
  });
});
