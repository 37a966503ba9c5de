// Shared fixture for the browser end-to-end tests: a real `sanad` server on a fresh SQLite database in
// a temporary folder, and Debian's Chromium driven by playwright-core. Each *.test.mjs creates one
// harness; `close()` always stops the server and the browser and removes the folder after a pass.
//
// Environment: SANAD_BIN, SANAD_WEB_ROOT, CHROMIUM, SANAD_E2E_KEEP=1 (see browser.test.mjs).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function findSanadBin() {
  if (process.env.SANAD_BIN) return path.resolve(process.env.SANAD_BIN);
  for (const candidate of ['bin/sanad', 'build/release/src/app/sanad', 'build/debug/src/app/sanad']) {
    const p = path.join(repoRoot, candidate);
    if (existsSync(p)) return p;
  }
  return path.join(repoRoot, 'bin/sanad');
}

function loadPlaywright() {
  const requireFromWeb = createRequire(path.join(repoRoot, 'web/package.json'));
  try {
    return requireFromWeb('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core is not installed: run \`npm ci\` in ${path.join(repoRoot, 'web')} (${e.message})`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export class Harness {
  constructor(name) {
    this.name = name;
    this.sanadBin = findSanadBin();
    this.webRoot = path.resolve(process.env.SANAD_WEB_ROOT || path.join(repoRoot, 'web/dist'));
    this.chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
    this.lastScreenshot = `/tmp/sanad-e2e-${name}-last.png`;
    this.server = null;
    this.serverExited = null;
    this.context = null;
    this.page = null;
    this.shotIndex = 0;
    this.lastShot = null;
    this.failed = false;
    this.pageErrors = [];
    this.foreignRequests = [];
  }

  /** Checks the prerequisites, creates the folder and the database (migrated). */
  async init() {
    assert.ok(existsSync(this.sanadBin), `sanad binary not found at ${this.sanadBin}: build it (make build) or set SANAD_BIN`);
    assert.ok(
      existsSync(path.join(this.webRoot, 'index.html')),
      `no web build in ${this.webRoot}: run \`npm ci && npm run build\` in web/ or set SANAD_WEB_ROOT`,
    );
    assert.ok(existsSync(this.chromiumPath), `Chromium not found at ${this.chromiumPath} (apt-get install chromium)`);
    this.tmp = mkdtempSync(path.join(os.tmpdir(), `sanad-e2e-${this.name}-`));
    this.dbUrl = `sqlite:${path.join(this.tmp, 'e2e.db')}`;
    console.log(`# e2e temporary folder: ${this.tmp}`);
    this.sanad(['migrate', '--db', this.dbUrl]);
  }

  sanad(args, input) {
    const r = spawnSync(this.sanadBin, args, { input, encoding: 'utf8', timeout: 120_000 });
    if (r.error) throw new Error(`could not run ${this.sanadBin} ${args.join(' ')}: ${r.error.message}`);
    if (r.status !== 0) {
      throw new Error(`\`sanad ${args.join(' ')}\` exited with ${r.status ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    }
    return r;
  }

  addUser(username, password, role, area) {
    const args = ['user', 'add', '--db', this.dbUrl, '--username', username, '--role', role];
    if (area) args.push('--area', area);
    this.sanad(args, `${password}\n`);
  }

  serverLogTail(lines = 40) {
    try {
      return readFileSync(this.serverLogPath, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }

  /** Starts `sanad serve` on the test database; `extraArgs` are added to its command line. */
  async startServer(extraArgs = []) {
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.serverLogPath = path.join(this.tmp, 'server.log');
    const log = createWriteStream(this.serverLogPath);
    this.server = spawn(
      this.sanadBin,
      ['serve', '--db', this.dbUrl, '--port', String(port), '--bind', '127.0.0.1', '--web-root', this.webRoot, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server.stdout.pipe(log);
    this.server.stderr.pipe(log);
    this.server.on('exit', (code, signal) => {
      this.serverExited = { code, signal };
    });
    process.on('exit', () => {
      if (this.server && !this.serverExited) this.server.kill('SIGKILL');
    });
    const deadline = Date.now() + 60_000;
    let lastProblem = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.serverExited) throw new Error(`sanad serve exited early; log:\n${this.serverLogTail()}`);
      try {
        const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
        lastProblem = `GET /healthz answered ${res.status}`;
      } catch (e) {
        lastProblem = e.cause?.code ?? e.message;
      }
      await sleep(150);
    }
    throw new Error(`sanad serve did not answer GET /healthz within 60 s (${lastProblem}); log:\n${this.serverLogTail()}`);
  }

  async startBrowser() {
    const { chromium } = loadPlaywright();
    this.context = await chromium.launchPersistentContext(path.join(this.tmp, 'chromium-profile'), {
      executablePath: this.chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timeout: 60_000,
    });
    this.context.setDefaultTimeout(15_000);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.on('pageerror', (err) => this.pageErrors.push(err.message));
    this.page.on('request', (req) => {
      const url = new URL(req.url());
      if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) {
        this.foreignRequests.push(req.url());
      }
    });
    return this.page;
  }

  async screenshot(name) {
    if (!this.page) return;
    this.shotIndex += 1;
    const file = path.join(this.tmp, `${String(this.shotIndex).padStart(2, '0')}-${name}.png`);
    try {
      await this.page.screenshot({ path: file, fullPage: true });
      this.lastShot = file;
      copyFileSync(file, this.lastScreenshot);
    } catch (e) {
      console.error(`# screenshot ${name} failed: ${e.message}`);
    }
  }

  /** Holds back the answer to the page's `method` requests to `url` (a route pattern) until the returned
   *  function is called: the server answers at once, only the answer waits, so that a test can move the
   *  page on meanwhile and see what the answer, come late, does to it. Other methods pass. */
  async holdAnswer(url, method) {
    let release;
    const released = new Promise((done) => (release = done));
    await this.page.route(url, async (r) => {
      if (r.request().method() !== method) return r.continue();
      try {
        const response = await r.fetch();
        await released;
        await r.fulfill({ response });
      } catch {
        // the page went away meanwhile
      }
    });
    return release;
  }

  /** Runs one step; on failure names it, saves a screenshot and adds the page's state and server log. */
  async step(name, fn) {
    try {
      await fn();
    } catch (e) {
      this.failed = true;
      await this.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}`);
      const errors = this.pageErrors.length ? `\npage errors:\n  ${this.pageErrors.join('\n  ')}` : '';
      e.message = `step "${name}" failed: ${e.message}\npage url: ${this.page?.url()}${errors}\nscreenshot: ${this.lastShot}\nserver log (tail):\n${this.serverLogTail(15)}`;
      throw e;
    }
  }

  async close() {
    try {
      await this.context?.close();
    } catch (e) {
      console.error(`# closing the browser failed: ${e.message}`);
    }
    if (this.server && !this.serverExited) {
      this.server.kill('SIGTERM');
      for (let i = 0; i < 50 && !this.serverExited; i++) await sleep(100);
      if (!this.serverExited) this.server.kill('SIGKILL');
    }
    if (this.lastShot) console.log(`# last screenshot: ${this.lastScreenshot} (from ${this.lastShot})`);
    if (this.tmp && !this.failed && process.env.SANAD_E2E_KEEP !== '1') rmSync(this.tmp, { recursive: true, force: true });
    else if (this.tmp) console.log(`# kept ${this.tmp} (server.log, screenshots, database)`);
  }

  // Page helpers ----------------------------------------------------------------------------------

  async login(username, password) {
    const page = this.page;
    await page.goto(`${this.baseUrl}/#/`);
    await page.getByTestId('login-username').waitFor({ state: 'visible' });
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu-button').waitFor({ state: 'visible' });
  }

  async logout() {
    const page = this.page;
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor({ state: 'visible' });
  }
}
