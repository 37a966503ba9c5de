// Browser end-to-end test of the review of an import: a households-with-members file filed through the
// CLI (`sanad import both`) shows its reviewer the staged rows (per-commune counts, each row's warnings)
// instead of the request's bare payload; once approved, a persons import that adds a member to one of
// its households shows on that household's page among its pending requests.
// Run with `node --test tests/e2e/` (ctest: `ctest -L e2e`). Fixture: harness.mjs.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('import-review');
const AGENT = { username: 'e2e_import_agent', password: 'e2e-Import-Agent-1234' };
const COORDINATOR = { username: 'e2e_import_coord', password: 'e2e-Import-Coord-1234' };
let requestId;

function fileThroughCli(kind, name, text) {
  const file = path.join(h.tmp, name);
  writeFileSync(file, text);
  const r = h.sanad(['import', kind, file, '--db', h.dbUrl, '--user', AGENT.username]);
  const m = /change request (\d+) filed/.exec(r.stdout);
  assert.ok(m, `no change request filed: ${r.stdout}\n${r.stderr}`);
  return m[1];
}

before(async () => {
  await h.init();
  h.addUser(AGENT.username, AGENT.password, 'data_entry', 'MA-03.231');
  h.addUser(COORDINATOR.username, COORDINATOR.password, 'regional_coordinator', 'MA-03');
  requestId = fileThroughCli(
    'both',
    'households_members.csv',
    'household_ref,commune_code,urban,address,record_id,relationship,given_name_ar,family_name_ar,sex,birth_date,national_id\n' +
      'E2E-1,MA-03.231.01.03,1,12 Derb Sidi Ali,E2E-1-1,head,محمد,العلوي,M,1970-03-02,AB123456\n' +
      'E2E-1,,,,E2E-1-2,spouse,فاطمة,بناني,F,1975,AB123456\n' +
      'E2E-2,MA-03.231.01.15,0,Douar Tazi,E2E-2-1,head,أحمد,التازي,M,1980,CD654321\n',
  );
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('import review: the reviewer sees the rows of an import, and the household its pending imports', { timeout: 90_000 }, async () => {
  const page = h.page;
  await h.step('the coordinator opens the import request and sees its rows', async () => {
    await h.login(COORDINATOR.username, COORDINATOR.password);
    await page.goto(`${h.baseUrl}/#/change-requests?status=pending&id=${requestId}`);
    await page.getByTestId('import-rows').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-testid=diff] pre.payload').count(), 0, 'no bare payload');
    assert.equal(await page.getByTestId('import-row').count(), 3);
    assert.equal(await page.getByTestId('import-commune').count(), 2);
    const communes = await page.getByTestId('import-communes').innerText();
    assert.match(communes, /2/);
    const first = await page.locator('[data-testid=import-row][data-row="1"]').innerText();
    assert.match(first, /محمد|Derb Sidi Ali/);
    // The national ID given twice in the file is flagged on both rows.
    assert.equal(await page.locator('[data-testid=import-row-warning][data-reason="import.national_id_repeated"]').count(), 2);
    await page.getByTestId('import-rows-warned').waitFor();
    await h.screenshot('import-rows-ar');
  });
  await h.step('the coordinator approves it with the national-ID decision', async () => {
    // Two rows share a national ID: approval needs the reviewer's documented decision.
    await page.getByTestId('nid-decision').waitFor();
    assert.equal(await page.getByTestId('nid-import').count(), 1);
    // The import's own intro, not the single-person one ("the national ID in this request…").
    assert.equal(await page.getByTestId('nid-intro').getAttribute('data-intro'), 'import');
    assert.match(await page.getByTestId('nid-intro').innerText(), /هذا الاستيراد/);
    await page.getByTestId('nid-not-same').check();
    await page.getByTestId('review-comment').fill('الزوجان بنفس الرقم خطأً في الاستمارة');
    await page.getByTestId('approve').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=cr-detail]')?.getAttribute('data-status') === 'applied', null, { timeout: 20_000 });
  });
  await h.step("a persons import for one of its households shows on the household's page", async () => {
    const persons = fileThroughCli(
      'persons',
      'persons.csv',
      'record_id,household_ref,relationship,given_name_ar,family_name_ar,sex,birth_date\nE2E-1-3,E2E-1,child,يوسف,العلوي,M,2010-09-01\n',
    );
    // Both members of E2E-1 hold AB123456 (the warning the reviewer saw).
    const id = await page.evaluate(async () => {
      const r = await fetch('/api/v1/persons?national_id=AB123456', { headers: { Accept: 'application/json' } });
      return (await r.json()).items[0]?.household_id;
    });
    assert.ok(id, 'the new household is found');
    await page.goto(`${h.baseUrl}/#/households/${id}`);
    await page.getByTestId('pending-requests').waitFor();
    const item = page.locator('[data-testid=pending-item][data-kind=import_persons]');
    await item.waitFor({ timeout: 20_000 });
    assert.match(await item.innerText(), new RegExp(`#${persons}`));
    await h.screenshot('household-pending-import-ar');
  });
});
