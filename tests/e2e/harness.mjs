// Shared e2e plumbing: start the real Kefu server on a free port with a temp data dir, launch the
// system Chromium through playwright-core, and give every wait a bound.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
// playwright-core is a dev dependency of web/ (the e2e runner is `npm run test:e2e` there).
const require = createRequire(join(repoRoot, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const ADMIN = { username: 'admin', password: 'e2e-Passw0rd!' };
const CHROMIUM = process.env.KEFU_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** A reason to skip when the browser is not installed, else false. */
export function browserMissing() {
  return existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (set KEFU_E2E_CHROMIUM): browser tests skipped`;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function until(check, { timeoutMs = 15_000, intervalMs = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      if (err?.fatal) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message} (last: ${last})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Starts Kefu.Server: `dotnet run` (which builds the web assets when their sources changed), or the
 * built dll given in KEFU_E2E_SERVER_DLL. Resolves once GET /healthz answers 200.
 */
export async function startServer() {
  if (process.env.KEFU_E2E_BASE_URL) {
    // Development shortcut: reuse a server that is already running (with the same admin password).
    const baseUrl = process.env.KEFU_E2E_BASE_URL;
    return { baseUrl, port: Number(new URL(baseUrl).port), dataDir: '', stop: async () => {}, log: () => '' };
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    Kefu__DataDir: dataDir,
    Kefu__Admin__Username: ADMIN.username,
    Kefu__Admin__Password: ADMIN.password,
    // On in production; off here unless a test turns it on, so the pages see only the messages they send.
    Kefu__Routing__AnnounceAgentsAway: process.env.Kefu__Routing__AnnounceAgentsAway ?? 'false',
    DOTNET_NOLOGO: '1',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
  };
  const dll = process.env.KEFU_E2E_SERVER_DLL;
  // Reuse the configuration already built (CI builds Release first); `dotnet run` still rebuilds what changed.
  const configuration = process.env.KEFU_E2E_CONFIGURATION
    ?? (existsSync(join(repoRoot, 'src/Kefu.Server/bin/Release/net10.0/Kefu.Server.dll')) ? 'Release' : 'Debug');
  const [cmd, args] = dll
    ? ['dotnet', [dll, '--urls', baseUrl]]
    : ['dotnet', ['run', '--project', 'src/Kefu.Server', '-c', configuration, '--no-launch-profile', '--', '--urls', baseUrl]];
  const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (chunk) => {
    log += chunk;
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code) => { exited = code; });

  try {
    await until(async () => {
      if (exited !== null) throw Object.assign(new Error(`server exited with ${exited}`), { fatal: true });
      const res = await fetch(`${baseUrl}/healthz`).catch(() => null);
      return res?.status === 200;
    }, { timeoutMs: Number(process.env.KEFU_E2E_START_TIMEOUT_MS ?? 420_000), intervalMs: 500, message: 'GET /healthz == 200' });
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\n--- server output ---\n${log.slice(-6000)}`);
  }

  async function stop() {
    if (exited === null) {
      // The process group: `dotnet run` starts the server as a child process.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      await until(() => exited !== null, { timeoutMs: 15_000, message: 'server exit' }).catch(() => {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      });
    }
    await rm(dataDir, { recursive: true, force: true });
  }
  return { baseUrl, port, dataDir, stop, log: () => log };
}

/** `args`: extra Chromium switches (e.g. a fake microphone for voice messages). */
export async function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
}

/** Records desktop notifications instead of showing them. */
export const NOTIFICATION_SPY = () => {
  window.__notes = [];
  function Spy(title, options) {
    window.__notes.push({ title, body: options && options.body });
    return { close() {}, onclick: null };
  }
  Spy.permission = 'granted';
  Spy.requestPermission = async () => 'granted';
  window.Notification = Spy;
};

export async function loginAgent(browser, baseUrl, { locale = 'en-US' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 900 } });
  await context.addInitScript(NOTIFICATION_SPY);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.conn[data-state="open"]').waitFor({ timeout: 20_000 });
  return { context, page };
}

/** Texts of the chat bubbles in order (H5 page, widget frame or console). */
export async function bubbleTexts(scope) {
  return scope.locator('.msg .bubble').allInnerTexts();
}

/**
 * A JSON REST caller for `baseUrl()` with the token from `token()` (read at each call, so a test can log in
 * after creating it). Throws on a non-2xx answer with the method, path, status and body.
 */
export function restClient(baseUrl, token) {
  return async function api(method, path, body) {
    const bearer = token();
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}
