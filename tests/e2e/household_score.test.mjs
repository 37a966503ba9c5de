// Browser end-to-end test of the household page's socio-economic index and programme eligibility: a
// demo registry scored with the illustrative model (`sanad score`), a server with that model active; a
// coordinator opens a household and sees its index with the model, the date and "why this score" (the
// contributions, largest first, labelled in the page's language), then each programme of Morocco with
// its verdict, amount or reasons in the page's language. A score whose model version the database does not
// keep says why it cannot be explained, in the page's language. Arabic and French pages are screenshotted.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Harness, repoRoot } from './harness.mjs';

const h = new Harness('household-score');
const COORDINATOR = { username: 'e2e_coord', password: 'e2e-Coord-Pass-1234' };
const MODEL = path.join(repoRoot, 'data/models/rsu-illustrative-2026.json');
const ARABIC = /[\u0600-\u06ff]/;

before(async () => {
  await h.init();
  h.sanad(['demo', '--db', h.dbUrl, '--households', '40', '--region', 'MA-03', '--seed', '7']);
  h.sanad(['score', '--db', h.dbUrl, '--model', MODEL]);
  h.addUser(COORDINATOR.username, COORDINATOR.password, 'regional_coordinator', 'MA-03');
  await h.startServer(['--score-model', MODEL]);
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('household page: the index with why, and each programme with its amount or reasons', { timeout: 120_000 }, async () => {
  const page = h.page;
  let id;

  await h.step('sign in and find a household', async () => {
    await h.login(COORDINATOR.username, COORDINATOR.password);
    id = await page.evaluate(async () => {
      const r = await fetch('/api/v1/households?limit=1', { headers: { Accept: 'application/json' } });
      return (await r.json()).items[0].id;
    });
    assert.ok(id, 'no household');
  });

  for (const lang of ['ar', 'fr']) {
    await h.step(`${lang}: the index, its model and why`, async () => {
      await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
      await page.goto(`${h.baseUrl}/#/households/${id}`);
      await page.reload();
      await page.getByTestId('household-page').waitFor();
      await page.getByTestId('score').waitFor();
      const value = (await page.getByTestId('score-value').textContent()) ?? '';
      assert.match(value, /^\d+[.,]\d{4,}$/, `score value: ${value}`);
      assert.match((await page.getByTestId('score-model').textContent()) ?? '', /rsu-illustrative/);
      const parts = page.getByTestId('score-part');
      assert.ok((await parts.count()) >= 2, 'fewer than two contributions');
      const labels = await parts.locator('.score__label').allTextContents();
      for (const l of labels) {
        if (lang === 'ar') assert.match(l, ARABIC, `contribution label not in Arabic: ${l}`);
        else assert.doesNotMatch(l, ARABIC, `contribution label in Arabic on a French page: ${l}`);
        assert.doesNotMatch(l, /_/, `raw variable name shown: ${l}`);
      }
      // Largest first.
      const amounts = (await parts.locator('.score__amount').allTextContents()).map((t) => Math.abs(Number(t.replace(',', '.').replace(/[^\d.-]/g, ''))));
      for (let i = 1; i < amounts.length; i++) assert.ok(amounts[i - 1] >= amounts[i], `not sorted: ${amounts.join(' ')}`);
    });

    await h.step(`${lang}: eligibility for each programme of Morocco`, async () => {
      await page.getByTestId('eligibility').waitFor();
      const cards = page.getByTestId('eligibility-programme');
      const codes = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      assert.deepEqual(codes.sort(), ['AMO_ACHAMIL', 'AMO_TADAMON', 'ASD'], `programmes: ${codes.join(', ')}`);
      for (let i = 0; i < (await cards.count()); i++) {
        const card = cards.nth(i);
        const verdict = (await card.getByTestId('eligibility-verdict').textContent()) ?? '';
        if (lang === 'ar') assert.match(verdict, ARABIC);
        const reasons = await card.getByTestId('eligibility-reasons').locator('li').allTextContents().catch(() => []);
        for (const r of reasons) {
          if (lang === 'ar') assert.match(r, ARABIC, `reason not in Arabic: ${r}`);
          else assert.doesNotMatch(r, ARABIC, `reason in Arabic on a French page: ${r}`);
        }
      }
      await page.getByTestId('score').scrollIntoViewIfNeeded();
      await h.screenshot(`household-score-${lang}`);
    });
  }

  await h.step('fr → ar: the eligibility reasons, written by the server, follow the language switch', async () => {
    // The page is in French from the loop above.
    const reasons = page.getByTestId('eligibility-reasons').first();
    await reasons.waitFor();
    assert.doesNotMatch((await reasons.textContent()) ?? '', ARABIC);
    await page.getByTestId('lang-ar').click();
    await page.waitForFunction(() => {
      const all = [...document.querySelectorAll('[data-testid="eligibility-reasons"] li')].map((e) => e.textContent);
      return all.length > 0 && all.every((t) => /[\u0600-\u06ff]/.test(t));
    });
    await h.screenshot('household-eligibility-fr-to-ar');
  });

  await h.step('a score from a model version the database does not keep says why it has no parts', async () => {
    // As a score computed before the database kept its models: its version is not in score_models.
    const r = spawnSync('sqlite3', ['-batch', h.dbUrl.slice('sqlite:'.length)], {
      input: `UPDATE household_scores SET model_version = '2025.0' WHERE household_id = ${id};`,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
    for (const lang of ['ar', 'fr']) {
      await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
      await page.reload();
      await page.getByTestId('score').waitFor();
      const why = (await page.getByTestId('score-why-unavailable').textContent()) ?? '';
      if (lang === 'ar') assert.match(why, /صيغة النموذج التي حسبته غير محفوظة/, `ar: ${why}`);
      else assert.match(why, /la version du modèle qui l'a calculé n'est pas conservée/, `fr: ${why}`);
      assert.equal(await page.getByTestId('score-part').count(), 0, 'parts shown for a score that cannot be explained');
      await page.getByTestId('score').scrollIntoViewIfNeeded();
      await h.screenshot(`household-score-unexplained-${lang}`);
    }
  });
});
