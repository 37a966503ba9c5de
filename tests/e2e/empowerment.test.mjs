// Browser end-to-end test of the empowerment platform's public pages: without an account, on a phone-
// sized screen, a woman registers in Arabic (the default, right to left), gets her tracking code, opens
// her status page by it, completes her file and sees it complete. A wrong phone is named under its
// field in Arabic first. The French status page is screenshotted too.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('empowerment');
const ARABIC = /[\u0600-\u06ff]/;

before(async () => {
  await h.init();
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('empowerment (ar): public registration in Arabic, tracking code, completion by code', { timeout: 120_000 }, async () => {
  const page = h.page;
  await page.setViewportSize({ width: 390, height: 844 });
  let code;

  await h.step('ar: the registration page opens without an account, right to left', async () => {
    await h.context.clearCookies();
    await page.goto(`${h.baseUrl}/#/women`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.reload();
    await page.getByTestId('empowerment-page').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  });

  await h.step('ar: a wrong phone is named under its field, in Arabic', async () => {
    await page.getByTestId('emp-given_name').fill('فاطمة');
    await page.getByTestId('emp-family_name').fill('العلوي');
    await page.getByTestId('emp-birth_date').fill('1988-04-12');
    await page.getByTestId('emp-phone').fill('12');
    // Her commune by name from the public list (no account), not by its code.
    await page.getByTestId('es-commune-search').fill('المشور فاس');
    await page.getByTestId('es-commune-option').first().click();
    await page.getByTestId('es-commune-chosen').waitFor();
    await page.getByTestId('emp-situation-widow').check();
    await page.getByTestId('emp-submit').click();
    const error = page.getByTestId('emp-error-phone');
    await error.waitFor();
    assert.match(await error.textContent(), ARABIC);
    await h.screenshot('ar-registration-error');
  });

  await h.step('ar: registered, with a tracking code', async () => {
    await page.getByTestId('emp-phone').fill('0661234567');
    await page.getByTestId('emp-submit').click();
    await page.getByTestId('emp-registered').waitFor();
    code = (await page.getByTestId('emp-tracking-code').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await h.screenshot('ar-registered');
  });

  await h.step('ar: her status page by code, then her file completed', async () => {
    await page.getByTestId('emp-follow').click();
    await page.getByTestId('emp-status').waitFor();
    assert.equal(await page.getByTestId('emp-status-value').textContent(), 'غير مكتمل');
    await page.getByTestId('emp-education').selectOption('secondary');
    await page.getByTestId('emp-skills').fill('خياطة، تسويق رقمي');
    await page.getByTestId('emp-project_idea').fill('ورشة خياطة للملابس التقليدية في الحي مع بيع عبر الإنترنت');
    await page.getByTestId('emp-save').click();
    await page.getByTestId('emp-saved').waitFor();
    assert.equal(await page.getByTestId('emp-status-value').textContent(), 'مكتمل');
    await h.screenshot('ar-status-complete');
  });

  await h.step('fr: the same status page in French, left to right', async () => {
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.goto(`${h.baseUrl}/#/women/status?code=${encodeURIComponent(code)}`);
    await page.reload();
    await page.getByTestId('emp-status').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.equal(await page.getByTestId('emp-status-value').textContent(), 'Complet');
    await h.screenshot('fr-status-complete');
  });
});
