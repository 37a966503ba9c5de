// Browser end-to-end test: the public programme simulator, without an account, in Arabic (the
// default) and in French. The sign-in page links to it; the ASD example (a widowed mother and a child,
// index 9.61, March 2026) is eligible for 500 DH a month; a wrong birth date shows the server's message,
// in the page's language, under the member's field with its label. Screenshots of both languages are kept.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('simulator');

before(async () => {
  await h.init();
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

const ARABIC = /[\u0600-\u06ff]/;

/** Fails with `what` unless `locator` leaves the page within a second. */
async function gone(locator, what) {
  await locator.waitFor({ state: 'detached', timeout: 1000 }).catch(() => assert.fail(what));
}

async function fillAsdExample(page) {
  await page.getByTestId('sim-program').selectOption('ASD');
  await page.getByTestId('sim-period-year').selectOption('2026');
  await page.getByTestId('sim-period-month').selectOption('03');
  await page.getByTestId('sim-index').fill('9.61');
  await page.getByTestId('field-sim-m0-relationship').selectOption('head');
  await page.getByTestId('field-sim-m0-sex').selectOption('F');
  await page.getByTestId('field-sim-m0-birth_date').fill('1980-05-01');
  await page.getByTestId('field-sim-m0-marital_status').selectOption('widowed');
  if ((await page.getByTestId('sim-member').count()) < 2) await page.getByTestId('sim-add-member').click();
  await page.getByTestId('field-sim-m1-relationship').selectOption('child');
  await page.getByTestId('field-sim-m1-sex').selectOption('M');
  await page.getByTestId('field-sim-m1-birth_date').fill('2019-02-10');
  await page.getByTestId('field-sim-m1-schooling').selectOption('not_applicable');
}

for (const lang of ['ar', 'fr']) {
  test(`simulator (${lang}): public, ASD example eligible for 500, an impossible birth date named under its field`, { timeout: 120_000 }, async () => {
    const page = h.page;

    await h.step(`${lang}: open the simulator from the sign-in page, without an account`, async () => {
      await h.context.clearCookies();
      await page.goto(`${h.baseUrl}/#/`);
      await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
      await page.reload();
      await page.getByTestId('login-simulator-link').click();
      await page.getByTestId('simulator-page').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
      // The programmes arrive from GET /api/v1/programs after the page shows.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="sim-program"] option').length >= 4);
      const options = await page.getByTestId('sim-program').locator('option').allTextContents();
      assert.ok(options.length >= 4, `programmes: ${options.join(' | ')}`);
      for (const o of options) {
        if (lang === 'ar') assert.match(o, ARABIC, `programme name not in Arabic: ${o}`);
        else assert.doesNotMatch(o, ARABIC, `programme name in Arabic on a French page: ${o}`);
      }
    });

    await h.step(`${lang}: the ASD example is eligible for 500 a month`, async () => {
      await fillAsdExample(page);
      await page.getByTestId('sim-submit').click();
      await page.getByTestId('sim-result').waitFor();
      const verdict = await page.getByTestId('sim-verdict').textContent();
      assert.equal(verdict, lang === 'ar' ? 'الأسرة مؤهلة' : 'Le ménage est éligible');
      const amount = (await page.getByTestId('sim-amount').textContent()) ?? '';
      // The app formats numbers with Western digits in every language (LANGS' intl tags).
      assert.match(amount, /500/, `amount: ${amount}`);
      const lines = await page.getByTestId('sim-lines').locator('th').allTextContents();
      assert.ok(lines.length > 0, 'no amount lines');
      for (const l of lines) {
        if (lang === 'ar') assert.match(l, ARABIC, `line label not in Arabic: ${l}`);
        else assert.doesNotMatch(l, ARABIC, `line label in Arabic: ${l}`);
      }
      await h.screenshot(`simulator-${lang}-result`);
    });

    await h.step(`${lang}: an impossible birth date is named under the child's field`, async () => {
      await page.getByTestId('field-sim-m1-birth_date').fill('2019-02-30');
      await page.getByTestId('sim-submit').click();
      const error = page.getByTestId('error-sim-m1-birth_date');
      await error.waitFor();
      const text = (await error.textContent()) ?? '';
      assert.ok(text.includes(lang === 'ar' ? 'تاريخ الازدياد' : 'Date de naissance'), `error does not name the field: ${text}`);
      assert.ok(!text.includes('household.'), `error shows the server's field path: ${text}`);
      if (lang === 'ar') assert.match(text, ARABIC, `error not in Arabic: ${text}`);
      else assert.doesNotMatch(text, ARABIC, `error in Arabic on a French page: ${text}`);
      assert.equal(await page.getByTestId('sim-result').count(), 0, 'a stale result is still shown');
      await page.getByTestId('sim-error').waitFor();
      await h.screenshot(`simulator-${lang}-error`);
    });

    await h.step(`${lang}: narrow screen, no horizontal scrolling`, async () => {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.getByTestId('field-sim-m1-birth_date').fill('2019-02-10');
      await page.getByTestId('sim-submit').click();
      await page.getByTestId('sim-result').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 360px`);
      await h.screenshot(`simulator-${lang}-narrow`);
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    if (lang === 'ar') {
      await h.step('ar: an index typed in Arabic-Indic digits with the Arabic decimal separator is read', async () => {
        await page.getByTestId('sim-index').fill('٩٫٦١');
        const answered = page.waitForResponse((r) => r.url().endsWith('/simulate'));
        await page.getByTestId('sim-submit').click();
        assert.equal((await answered).status(), 200, 'the index was not sent as a number');
        await page.getByTestId('sim-result').waitFor();
        assert.equal(await page.getByTestId('sim-verdict').textContent(), 'الأسرة مؤهلة');
        assert.equal(await page.getByTestId('error-sim-socio_economic_index').count(), 0);
      });

      await h.step('ar → fr: the answer shown is asked again in French', async () => {
        await page.getByTestId('lang-fr').click();
        await page.waitForFunction(() => {
          const labels = [...document.querySelectorAll('[data-testid="sim-lines"] th')].map((e) => e.textContent);
          return labels.length > 0 && labels.every((l) => !/[\u0600-\u06ff]/.test(l));
        });
        assert.equal(await page.getByTestId('sim-verdict').textContent(), 'Le ménage est éligible');
        await h.screenshot('simulator-ar-to-fr');
      });

      await h.step('fr: choosing another programme clears the answer', async () => {
        await page.getByTestId('sim-program').selectOption('AFS');
        await gone(page.getByTestId('sim-result'), 'the ASD answer is still shown under AFS');
      });
    } else {
      await h.step('fr: changing the household clears the answer', async () => {
        await page.getByTestId('sim-index').fill('9.7');
        await gone(page.getByTestId('sim-result'), 'the answer for the index 9.61 is still shown');
      });

      await h.step('fr: an answer asked before the programme changed is not shown when it comes', async () => {
        const simulate = '**/api/v1/programs/*/simulate';
        const release = await h.holdAnswer(simulate, 'POST');
        const answered = page.waitForResponse((r) => r.url().endsWith('/simulate'));
        await page.getByTestId('sim-submit').click();
        await page.getByTestId('sim-program').selectOption('AFS');
        release();
        await answered;
        await page.waitForTimeout(500);
        assert.equal(await page.getByTestId('sim-result').count(), 0, 'the ASD answer, come late, is shown under AFS');
        await page.unroute(simulate);
      });
    }

    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(h.foreignRequests, []);
  });
}

test('simulator: too many requests from one address, the page says to wait', { timeout: 60_000 }, async () => {
  const page = h.page;
  await h.step('burst of simulations, then one from the form', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    // More than the limiter's burst (10 at once) empties the address's bucket; it refills by fractions
    // of a token, so the form's own request may still slip through: then empty it again.
    let text = '';
    for (let attempt = 0; attempt < 5 && !/Trop de demandes/.test(text); attempt++) {
      const statuses = await page.evaluate(async () => {
        const body = JSON.stringify({ period: '2026-03', household: { country: 'MA', members: [{ relationship: 'head', sex: 'F' }] } });
        const send = () => fetch('/api/v1/programs/ASD/simulate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then((r) => r.status);
        return Promise.all(Array.from({ length: 40 }, send));
      });
      assert.ok(statuses.includes(429), `no 429 among ${statuses.join(',')}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/simulate'));
      await page.getByTestId('sim-submit').click();
      const status = (await answered).status();
      if (status === 429) text = (await page.getByTestId('sim-error').textContent()) ?? '';
    }
    assert.match(text, /Trop de demandes/, `throttled notice: ${text}`);
    await h.screenshot('simulator-fr-throttled');
  });
});
