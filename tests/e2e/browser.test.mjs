// Browser end-to-end test: a real `sanad` server on a fresh SQLite database, driven through Debian's
// Chromium by playwright-core. Run with `node --test tests/e2e/` (ctest: `ctest -L e2e`).
//
// Environment:
//   SANAD_BIN        the sanad binary (default: bin/sanad, then build/release/src/app/sanad)
//   SANAD_WEB_ROOT   the built web files (default: web/dist; build them with `npm ci && npm run build` in web/)
//   CHROMIUM         the browser (default: /usr/bin/chromium)
//   SANAD_E2E_KEEP=1 keep the temporary folder (database, server log, screenshots) after a passing run
//
// Screenshots go to the temporary folder; the last one is also copied to /tmp/sanad-e2e-last.png.
// The server and the browser are always stopped, also when a step fails.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAST_SCREENSHOT = '/tmp/sanad-e2e-last.png';
const PASSWORD = 'e2e-Password-1234';
const USERNAME = 'e2e_admin';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------------------------------------------------------------------------------------------------
// Locating what the test needs, with messages that say how to fix a missing piece.

function findSanadBin() {
  if (process.env.SANAD_BIN) return path.resolve(process.env.SANAD_BIN);
  for (const candidate of ['bin/sanad', 'build/release/src/app/sanad', 'build/debug/src/app/sanad']) {
    const p = path.join(repoRoot, candidate);
    if (existsSync(p)) return p;
  }
  return path.join(repoRoot, 'bin/sanad');
}

function loadPlaywright() {
  // playwright-core is a devDependency of web/ (installed by `npm ci` there from web/package-lock.json).
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// Fixture: temporary folder, database, user, server, browser.

const sanadBin = findSanadBin();
const webRoot = path.resolve(process.env.SANAD_WEB_ROOT || path.join(repoRoot, 'web/dist'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let tmp;
let dbUrl;
let server; // ChildProcess
let serverExited = null; // {code, signal} once the server is gone
let serverLogPath;
let context; // playwright BrowserContext (persistent, fresh user-data-dir)
let page;
let baseUrl;
let shotIndex = 0;
let lastShot = null;
let failed = false;
const pageErrors = [];
const foreignRequests = [];
const apiWithoutRequestId = [];

function serverLogTail(lines = 40) {
  try {
    return readFileSync(serverLogPath, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

function runSanad(args, input) {
  const r = spawnSync(sanadBin, args, { input, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`could not run ${sanadBin} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(
      `\`sanad ${args.join(' ')}\` exited with ${r.status ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
  return r;
}

async function startServer() {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  serverLogPath = path.join(tmp, 'server.log');
  const log = createWriteStream(serverLogPath);
  server = spawn(
    sanadBin,
    ['serve', '--db', dbUrl, '--port', String(port), '--bind', '127.0.0.1', '--web-root', webRoot],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  server.on('exit', (code, signal) => {
    serverExited = { code, signal };
  });

  const deadline = Date.now() + 60_000;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (serverExited) {
      throw new Error(
        `sanad serve exited early (code ${serverExited.code}, signal ${serverExited.signal}); log:\n${serverLogTail()}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      lastProblem = `GET /healthz answered ${res.status}`;
    } catch (e) {
      lastProblem = e.cause?.code ?? e.message;
    }
    await sleep(150);
  }
  throw new Error(`sanad serve did not answer GET /healthz with 200 within 60 s (${lastProblem}); log:\n${serverLogTail()}`);
}

async function stopServer() {
  if (!server || serverExited) return;
  server.kill('SIGTERM');
  for (let i = 0; i < 50 && !serverExited; i++) await sleep(100);
  if (!serverExited) {
    server.kill('SIGKILL');
    for (let i = 0; i < 20 && !serverExited; i++) await sleep(100);
  }
}

// Last resort if the runner itself is torn down: never leave a server behind.
process.on('exit', () => {
  if (server && !serverExited) server.kill('SIGKILL');
});

async function screenshot(name) {
  if (!page) return;
  shotIndex += 1;
  const file = path.join(tmp, `${String(shotIndex).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
    lastShot = file;
    copyFileSync(file, LAST_SCREENSHOT);
  } catch (e) {
    console.error(`# screenshot ${name} failed: ${e.message}`);
  }
}

/** Runs one step; on failure, names the step, saves a screenshot and adds the page's state. */
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    failed = true;
    await screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}`);
    let where = '';
    try {
      where = `\npage url: ${page?.url()}\nhtml lang/dir: ${await page?.evaluate(
        () => `${document.documentElement.lang}/${document.documentElement.dir}`,
      )}`;
    } catch {
      /* page gone */
    }
    const errors = pageErrors.length ? `\npage errors:\n  ${pageErrors.join('\n  ')}` : '';
    e.message = `step "${name}" failed: ${e.message}${where}${errors}\nscreenshot: ${lastShot}\nserver log (tail):\n${serverLogTail(15)}`;
    throw e;
  }
}

before(async () => {
  assert.ok(
    existsSync(sanadBin),
    `sanad binary not found at ${sanadBin}: build it (make build) or set SANAD_BIN`,
  );
  assert.ok(
    existsSync(path.join(webRoot, 'index.html')),
    `no web build in ${webRoot}: run \`npm ci && npm run build\` in web/ or set SANAD_WEB_ROOT`,
  );
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install chromium)`);
  const { chromium } = loadPlaywright();

  tmp = mkdtempSync(path.join(os.tmpdir(), 'sanad-e2e-'));
  dbUrl = `sqlite:${path.join(tmp, 'e2e.db')}`;
  console.log(`# e2e temporary folder: ${tmp}`);

  runSanad(['migrate', '--db', dbUrl]);
  runSanad(['user', 'add', '--db', dbUrl, '--username', USERNAME, '--role', 'admin'], `${PASSWORD}\n`);
  await startServer();

  const profile = path.join(tmp, 'chromium-profile');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.startsWith('/api/') && !res.headers()['x-request-id']) {
      apiWithoutRequestId.push(`${res.request().method()} ${res.url()} -> ${res.status()}`);
    }
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) {
      foreignRequests.push(req.url());
    }
  });
});

after(async () => {
  try {
    await context?.close();
  } catch (e) {
    console.error(`# closing the browser failed: ${e.message}`);
  }
  await stopServer();
  if (lastShot) console.log(`# last screenshot: ${LAST_SCREENSHOT} (from ${lastShot})`);
  if (tmp && !failed && process.env.SANAD_E2E_KEEP !== '1') {
    rmSync(tmp, { recursive: true, force: true });
  } else if (tmp) {
    console.log(`# kept ${tmp} (server.log, screenshots, database)`);
  }
});

// ---------------------------------------------------------------------------------------------------
// Helpers over the page.

const ARABIC = /[\u0600-\u06FF]/;

async function htmlLangDir() {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
}

async function waitForSignedIn() {
  await page.getByTestId('user-menu-button').waitFor({ state: 'visible' });
}

/** Waits for the areas list of `level` to have rows, and returns them as {code, name}. */
async function listRows(level) {
  const list = page.locator(`[data-testid="area-list"][data-level="${level}"]`);
  await list.waitFor({ state: 'visible' });
  await list.locator('[data-testid="area-row"]').first().waitFor({ state: 'visible' });
  return list.locator('[data-testid="area-row"]').evaluateAll((rows) =>
    rows.map((r) => ({
      code: r.getAttribute('data-code'),
      name: r.querySelector('[data-testid="area-link"]')?.textContent?.trim() ?? '',
    })),
  );
}

async function openArea(code, level) {
  await page.locator(`[data-testid="area-row"][data-code="${code}"] [data-testid="area-link"]`).click();
  const detail = page.locator(`[data-testid="area-detail"][data-level="${level}"]`);
  await detail.waitFor({ state: 'visible' });
  const shown = (await detail.getByTestId('detail-code').textContent())?.trim();
  assert.equal(shown, code, `the detail view shows code ${shown}, expected ${code}`);
  return detail;
}

// ---------------------------------------------------------------------------------------------------
// The scenario. One test, in steps: each step needs the state left by the previous one.

test('web shell: Arabic login, French switch remembered, browse Morocco down to a commune', { timeout: 180_000 }, async () => {
  await step('login page is in Arabic, right to left', async () => {
    const res = await page.goto(`${baseUrl}/`);
    assert.equal(res?.status(), 200, `GET / answered ${res?.status()}`);
    await page.getByTestId('login-username').waitFor({ state: 'visible' });
    const { lang, dir } = await htmlLangDir();
    assert.equal(lang, 'ar', `<html lang> is "${lang}" on first visit, expected "ar"`);
    assert.equal(dir, 'rtl', `<html dir> is "${dir}" on first visit, expected "rtl"`);
    const title = await page.locator('h1').first().textContent();
    assert.match(title ?? '', ARABIC, `the login title "${title}" is not in Arabic`);
    await screenshot('login-ar');
  });

  await step('a wrong password is refused with a message', async () => {
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor({ state: 'visible' });
    assert.match((await error.textContent()) ?? '', ARABIC, 'the login error is not in Arabic');
  });

  await step('log in', async () => {
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await waitForSignedIn();
    assert.equal((await htmlLangDir()).dir, 'rtl', 'the shell is not right to left in Arabic');
    const user = (await page.getByTestId('user-menu-button').textContent()) ?? '';
    assert.ok(user.includes(USERNAME), `the user menu shows "${user}", expected the user name ${USERNAME}`);
    await page.getByTestId('nav-areas').waitFor({ state: 'visible' });
    await screenshot('home-ar');
  });

  await step('switch to French: left to right, remembered after reload', async () => {
    await page.getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.deepEqual(await htmlLangDir(), { lang: 'fr', dir: 'ltr' });
    assert.equal((await page.getByTestId('nav-home').textContent())?.trim(), 'Accueil');
    await page.reload();
    await waitForSignedIn();
    assert.deepEqual(await htmlLangDir(), { lang: 'fr', dir: 'ltr' }, 'the French choice was not remembered after reload');
    assert.equal(await page.evaluate(() => localStorage.getItem('sanad.lang')), 'fr');
    await screenshot('home-fr');
  });

  let region;
  let province;
  let commune;
  await step('open Areas: the regions of Morocco', async () => {
    await page.getByTestId('nav-areas').click();
    await page.getByTestId('areas-page').waitFor({ state: 'visible' });
    const regions = await listRows('region');
    assert.ok(regions.length >= 12, `${regions.length} regions listed for Morocco, expected 12`);
    region = regions.find((r) => r.code === 'MA-04') ?? regions[0];
    assert.ok(region.name && !ARABIC.test(region.name), `region name "${region.name}" should be French in fr`);
    await screenshot('areas-regions-fr');
  });

  await step(`open region ${region?.code}: its provinces`, async () => {
    await openArea(region.code, 'region');
    const provinces = await listRows('province');
    assert.ok(provinces.length > 0, `no province listed under ${region.code}`);
    province = provinces[0];
    assert.ok(province.code.startsWith(`${region.code}.`), `province ${province.code} is not under ${region.code}`);
  });

  await step(`open province ${province?.code}: its communes`, async () => {
    await openArea(province.code, 'province');
    const communes = await listRows('commune');
    assert.ok(communes.length > 0, `no commune listed under ${province.code}`);
    commune = communes[0];
    assert.ok(commune.code.startsWith(`${province.code}.`), `commune ${commune.code} is not under ${province.code}`);
  });

  await step(`open commune ${commune?.code}: code, names and parent chain`, async () => {
    const detail = await openArea(commune.code, 'commune');
    const nameFr = (await detail.getByTestId('detail-name-fr').textContent())?.trim() ?? '';
    const nameAr = (await detail.getByTestId('detail-name-ar').textContent())?.trim() ?? '';
    assert.equal(nameFr, commune.name, `French name "${nameFr}" differs from the list's "${commune.name}"`);
    assert.match(nameAr, ARABIC, `Arabic name "${nameAr}" is not in Arabic script`);
    assert.equal((await detail.getByTestId('area-title').textContent())?.trim(), commune.name);
    const crumbs = await page.getByTestId('breadcrumb').locator('li').allTextContents();
    assert.equal(crumbs.length, 4, `breadcrumb has ${crumbs.length} entries (${crumbs.join(' > ')}), expected Maroc > region > province > commune`);
    assert.equal(crumbs[0].trim(), 'Maroc');
    assert.equal(crumbs[3].trim(), commune.name);
    const parents = (await detail.getByTestId('detail-parents').textContent()) ?? '';
    assert.ok(parents.includes(region.code) && parents.includes(province.code), `parent chain "${parents}" lacks ${region.code} or ${province.code}`);
    await screenshot('commune-fr');
  });

  await step('Algeria: 58 wilayas before 2027, 69 from 2027-01-01', async () => {
    await page.goto(`${baseUrl}/#/areas?country=DZ&as_of=2026-06-01`);
    await listRows('province');
    let rows = await listRows('province');
    assert.equal(rows.length, 58, `${rows.length} wilayas listed as of 2026-06-01, expected 58`);
    await page.goto(`${baseUrl}/#/areas?country=DZ&as_of=2027-01-01`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="area-row"]').length > 58);
    rows = await listRows('province');
    assert.equal(rows.length, 69, `${rows.length} wilayas listed as of 2027-01-01, expected 69`);
  });

  await step('log out from the user menu', async () => {
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('user-menu-panel').waitFor({ state: 'visible' });
    const logoutResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await page.getByTestId('logout').click();
    assert.equal((await logoutResponse).status(), 204, 'POST /api/v1/auth/logout (with X-CSRF-Token) did not answer 204');
    await page.getByTestId('login-username').waitFor({ state: 'visible' });
    assert.deepEqual(await htmlLangDir(), { lang: 'fr', dir: 'ltr' });
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
    assert.equal(me, 401, `GET /api/v1/auth/me answered ${me} after logout, expected 401`);
    await screenshot('logged-out-fr');
  });

  await step('no page errors and nothing loaded from outside the server', async () => {
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(foreignRequests, [], 'the page requested resources outside the server');
    assert.deepEqual(apiWithoutRequestId, [], 'API responses without an X-Request-Id header');
  });
});
