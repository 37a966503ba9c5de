#!/usr/bin/env node
// Takes screenshots of the main views, for looking at the app during development.
//   node dev/screenshots.mjs http://127.0.0.1:8080 USER PASSWORD OUTDIR
// Uses playwright-core with Debian's Chromium (never downloads a browser).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:8080', user = 'admin', password = 'password123', out = '/tmp/sanad-shots'] =
  process.argv.slice(2);
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
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: full });
    console.log(path.join(out, `${name}.png`));
  };
  const setLang = async (lang) => {
    await page.getByTestId(`lang-${lang}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };
  await page.goto(base);
  await page.getByTestId('login-username').waitFor();
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  await shot('login-ar-error');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu-button').waitFor();
  await page.waitForTimeout(500);
  await shot('home-ar');
  await page.getByTestId('user-menu-button').click();
  await shot('user-menu-ar', false);
  await page.keyboard.press('Escape');
  await page.goto(`${base}/#/areas?country=MA&area=MA-04`);
  await page.locator('[data-testid="area-row"]').first().waitFor();
  await shot('areas-region-ar');
  await page.locator('[data-testid="area-link"]').first().click();
  await page.locator('[data-testid="area-detail"][data-level="province"]').waitFor();
  await page.locator('[data-testid="area-row"]').first().waitFor();
  await shot('areas-province-ar');
  await setLang('fr');
  await page.goto(`${base}/#/areas?country=DZ&level=commune`);
  await page.locator('[data-testid="area-row"]').first().waitFor();
  await page.getByTestId('load-more').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="area-row"]').length > 100);
  await page.getByTestId('area-filter').fill('bordj');
  await shot('areas-dz-communes-filter-fr');
  await page.goto(`${base}/#/areas?country=DZ&as_of=2027-01-01`);
  await page.locator('[data-testid="area-row"]').first().waitFor();
  await shot('areas-dz-2027-fr', false);
  await setLang('en');
  await page.goto(`${base}/#/areas?country=DZ&area=DZ-1607`);
  await page.locator('[data-testid="area-detail"]').waitFor();
  await shot('commune-dz-en');
  await setLang('ar');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/areas?country=MA&area=MA-04.421.01.0`);
  await page.locator('[data-testid="area-detail"]').waitFor();
  await shot('commune-mobile-ar');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
