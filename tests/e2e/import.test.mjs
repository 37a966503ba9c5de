// Browser end-to-end test of the import page: a households file with two bad rows is
// rejected with each row, column, value and reason shown and a downloadable report, nothing written; the
// corrected file becomes one change request. Regression test for the page reading the wrong fields of
// the server's 422 answer. Run with `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('import');
const AGENT = { username: 'e2e_importer', password: 'e2e-Import-Pass-1234' };
let good;
let bad;

before(async () => {
  await h.init();
  h.sanad(['migrate', '--db', h.dbUrl]);
  h.addUser(AGENT.username, AGENT.password, 'data_entry', 'MA-03.231');
  const out = path.join(h.tmp, 'synth');
  h.sanad(['synth', '--households', '30', '--country', 'MA', '--region', 'MA-03.231', '--seed', '5', '--out-dir', out]);
  good = path.join(out, 'households.csv');
  const lines = readFileSync(good, 'utf8').trimEnd().split('\n');
  // Row 4 of the file (third data row): an unknown commune; row 6: a boolean that is not one.
  lines[3] = lines[3].replace(/MA-03\.231\.[0-9.]+/, 'MA-99.999.99.99');
  lines[5] = lines[5].replace(/^([^,]*,[^,]*,)[01],/, '$1maybe,');
  bad = path.join(h.tmp, 'bad_households.csv');
  writeFileSync(bad, lines.join('\n') + '\n');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('import: a bad file is rejected row by row, the corrected file becomes one change request', { timeout: 60_000 }, async () => {
  const page = h.page;
  await h.step('the agent uploads a file with two bad rows', async () => {
    await h.login(AGENT.username, AGENT.password);
    await page.goto(`${h.baseUrl}/#/import`);
    await page.getByTestId('import-page').waitFor();
    await page.getByTestId('import-kind-households').check();
    await page.getByTestId('import-file').setInputFiles(bad);
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-rejected').waitFor({ timeout: 20_000 });
  });
  await h.step('each bad row is shown with its column and reason, and the report can be downloaded', async () => {
    const rows = page.locator('[data-testid=import-errors] tbody tr');
    assert.equal(await rows.count(), 2);
    const text = await page.getByTestId('import-errors').innerText();
    assert.match(text, /commune_code/);
    assert.match(text, /MA-99\.999\.99\.99/);
    assert.match(text, /urban/);
    // Two rows: Arabic's dual says it without a digit.
    assert.match(await page.getByTestId('import-rejected-count').innerText(), /سطران غير صالحين/);
    const href = await page.getByTestId('import-report').getAttribute('href');
    const report = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    assert.match(report, /row,column,value,reason/);
    assert.equal(report.trim().split('\n').length, 3);
  });
  await h.step('the corrected file becomes one change request awaiting approval', async () => {
    await page.getByTestId('import-file').setInputFiles(good);
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-accepted').waitFor({ timeout: 20_000 });
    assert.match(await page.getByTestId('import-accepted').innerText(), /30/);
  });
});
