#!/usr/bin/env node
// Screenshots of the registry pages (search, household, new household, inbox, import), in Arabic and
// French, for looking at them during development.
//   node dev/registry-screenshots.mjs http://127.0.0.1:8080 AGENT:PASSWORD COORDINATOR:PASSWORD OUTDIR [HOUSEHOLD_ID]
// AGENT is a data_entry user (files requests, imports), COORDINATOR a regional_coordinator (approves).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, agent, coordinator, out = '/tmp/sanad-registry-shots', householdId = '1'] = process.argv.slice(2);
if (!base || !agent || !coordinator) {
  console.error('usage: registry-screenshots.mjs BASE AGENT:PASSWORD COORDINATOR:PASSWORD [OUTDIR] [HOUSEHOLD_ID]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const profile = mkdtempSync(path.join(os.tmpdir(), 'sanad-shots-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const shot = async (name, full = true) => {
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: full });
    console.log(path.join(out, `${name}.png`));
  };
  const login = async (cred) => {
    const [user, password] = cred.split(':');
    await page.goto(`${base}/#/`);
    if (await page.getByTestId('user-menu-button').isVisible().catch(() => false)) {
      await page.getByTestId('user-menu-button').click();
      await page.getByTestId('logout').click();
    }
    await page.getByTestId('login-username').waitFor();
    await page.getByTestId('login-username').fill(user);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu-button').waitFor();
  };
  const setLang = async (lang) => {
    await page.getByTestId(`lang-${lang}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };

  await login(agent);
  for (const lang of ['ar', 'fr']) {
    await setLang(lang);
    await page.goto(`${base}/#/registry?q=Mohamed%20Benali`);
    await page.waitForTimeout(800);
    await shot(`search-name-${lang}`);
    await page.goto(`${base}/#/registry?q=AB123456`);
    await page.getByTestId('search-results').waitFor();
    await shot(`search-id-${lang}`);
    await page.goto(`${base}/#/households/${householdId}`);
    await page.getByTestId('household-title').waitFor();
    await page.getByTestId('history-item').first().waitFor();
    await shot(`household-${lang}`);
    await page.getByTestId('action-edit').click();
    await shot(`household-edit-${lang}`);
    await page.goto(`${base}/#/households/${householdId}?as_of=2020-01-01`);
    await page.getByTestId('as-of-missing').waitFor();
    await shot(`household-asof-missing-${lang}`, false);
    await page.goto(`${base}/#/households/new`);
    await page.getByTestId('new-household-page').waitFor();
    await page.getByTestId('submit-household').click();
    await page.getByTestId('form-error').waitFor();
    await shot(`new-household-errors-${lang}`);
    await page.goto(`${base}/#/import`);
    await page.getByTestId('import-page').waitFor();
    const csv = path.join(profile, 'bad.csv');
    writeFileSync(csv, 'household_ref,commune_code,urban\nH1,MA-03.231.01.0,1\n');
    await page.getByTestId('import-file').setInputFiles(csv);
    await page.getByTestId('import-submit').click();
    await page.waitForTimeout(1000);
    await shot(`import-${lang}`);
  }
  await login(coordinator);
  for (const lang of ['ar', 'fr']) {
    await setLang(lang);
    await page.goto(`${base}/#/change-requests`);
    await page.waitForTimeout(800);
    await shot(`inbox-${lang}`);
    const first = page.getByTestId('inbox-link').first();
    if (await first.isVisible().catch(() => false)) {
      await first.click();
      await page.getByTestId('cr-detail').waitFor();
      await shot(`inbox-detail-${lang}`);
    }
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
