// Browser end-to-end test of the targeting simulation (#/targeting). A demo registry scored with the
// illustrative model; a national analyst raises the ASD threshold, runs the simulation and sees the
// table (baseline vs candidate by region) and the ECharts bar charts drawn from the app's own bundle;
// the CSV export link answers. The Arabic and French pages are screenshotted. Run with
// `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Harness, repoRoot } from './harness.mjs';

const h = new Harness('targeting');
const ANALYST = { username: 'e2e_analyst', password: 'e2e-Analyst-Pass-1234' };

before(async () => {
  await h.init();
  h.sanad(['demo', '--db', h.dbUrl, '--households', '600', '--duplicates', '0', '--seed', '4']);
  h.sanad(['score', '--db', h.dbUrl, '--model', path.join(repoRoot, 'data/models/rsu-illustrative-2026.json')]);
  h.addUser(ANALYST.username, ANALYST.password, 'national_analyst');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('targeting: candidate threshold → table and charts by region → CSV', { timeout: 120_000 }, async () => {
  const page = h.page;

  await h.step('the analyst opens the page with the parameters in force', async () => {
    await h.login(ANALYST.username, ANALYST.password);
    await page.getByTestId('nav-targeting').click();
    await page.getByTestId('targeting-page').waitFor();
    await page.getByTestId('tsim-program').selectOption('ASD');
    await page.getByTestId('tsim-period-year').selectOption('2026');
    await page.getByTestId('tsim-period-month').selectOption('03');
    const threshold = page.getByTestId('tsim-param-asd.index_threshold');
    await page.waitForFunction(() => document.querySelector('[data-testid="tsim-param-asd.index_threshold"]')?.value === '9.743001');
    await threshold.fill('11');
  });

  await h.step('a run shows the table and the charts', async () => {
    await page.getByTestId('tsim-run').click();
    await page.getByTestId('tsim-table').waitFor({ timeout: 60_000 });
    const regions = await page.locator('[data-testid="tsim-table"] tbody tr').count();
    assert.ok(regions >= 3, `a row per region and the total (${regions} rows)`);
    const covered = async (col) => Number((await page.locator(`tr[data-region="total"] td[data-col="${col}"]`).textContent()).replace(/\D/g, ''));
    assert.ok((await covered('covered-candidate')) >= (await covered('covered-baseline')), 'a higher threshold covers at least as many');
    // ECharts draws SVG inside each chart.
    for (const chart of ['tsim-chart-coverage', 'tsim-chart-cost', 'tsim-chart-errors']) {
      await page.locator(`[data-testid="${chart}"] svg`).waitFor();
      assert.ok((await page.locator(`[data-testid="${chart}"] svg path`).count()) > 3, `${chart} has bars`);
    }
    assert.deepEqual(h.foreignRequests, [], 'no request leaves the server (no CDN)');
    await h.screenshot('targeting-ar');
  });

  await h.step('ar: the period in the results heading is isolated, not reversed', async () => {
    const title = (await page.locator('#tsim-result-title').textContent()) ?? '';
    assert.ok(title.includes('\u20682026-03\u2069'), `heading: ${JSON.stringify(title)}`);
  });

  await h.step('the CSV export answers with the table', async () => {
    const href = await page.getByTestId('tsim-csv').getAttribute('href');
    const csv = await page.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).text(), href);
    assert.match(csv, /^\uFEFF?region,scenario,households,/);
    assert.match(csv, /\r\ntotal,candidate,600,/);
  });

  await h.step('in French the page and the charts change language', async () => {
    await page.getByTestId('lang-fr').click();
    await page.getByText('Taux de couverture par région').waitFor();
    await page.locator('[data-testid="tsim-chart-coverage"] svg').waitFor();
    await h.screenshot('targeting-fr');
  });

  await h.step('choosing another programme clears the results and their export', async () => {
    await page.getByTestId('tsim-program').selectOption('AFS');
    await page.waitForFunction(() => document.querySelector('[data-testid="tsim-param-afs.full_disability_percent"]') !== null);
    assert.equal(await page.getByTestId('tsim-result').count(), 0, 'the ASD results are still shown under AFS');
    assert.equal(await page.getByTestId('tsim-csv').count(), 0, 'the ASD export is still offered under AFS');
  });
  assert.deepEqual(h.pageErrors, []);
});
