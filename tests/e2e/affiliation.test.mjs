// Browser end-to-end test of the affiliation pages in Arabic (the queue also in French): a coordinator
// of Oran imports a chamber of crafts' list built from registry persons, the matching job proposes them,
// the review card shows the list's row beside the registry person, one is accepted (a worker appears,
// declares 2026 and pays), and the contribution preview computes CASNOS 2026 for a 300,000 DA base
// (45,000 DA, decree 15-289). Screenshots kept.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('affiliation');
const REVIEWER = { username: 'e2e_affil', password: 'e2e-Affil-Pass-1234' };
const ARABIC = /[\u0600-\u06ff]/;

function sql(statements) {
  const r = spawnSync('sqlite3', ['-batch', '-separator', ',', h.dbUrl.slice('sqlite:'.length)], { input: statements, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

before(async () => {
  await h.init();
  h.sanad(['demo', '--db', h.dbUrl, '--households', '150', '--country', 'DZ', '--region', 'DZ-31', '--seed', '9']);
  h.addUser(REVIEWER.username, REVIEWER.password, 'regional_coordinator', 'DZ-31');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('affiliation (ar): a list is matched, reviewed side by side and accepted; the preview computes CASNOS', { timeout: 120_000 }, async () => {
  const page = h.page;
  const persons = sql(
    `SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.sex, p.birth_date, p.national_id
     FROM persons p WHERE p.status = 'active' AND p.national_id IS NOT NULL AND p.given_name_lat IS NOT NULL
     AND p.birth_date < '1990-01-01' ORDER BY p.id LIMIT 2;`,
  )
    .split('\n')
    .map((l) => l.split(','));
  assert.equal(persons.length, 2);

  await h.step('ar: the coordinator imports a list and sees two proposals', async () => {
    await page.goto(`${h.baseUrl}/#/`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.reload();
    await h.login(REVIEWER.username, REVIEWER.password);
    await page.goto(`${h.baseUrl}/#/affiliation`);
    await page.getByTestId('affiliation-import').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    const file = path.join(h.tmp, 'chamber.csv');
    let csv = 'record_id,activity,registration_number,given_name_ar,family_name_ar,given_name_lat,family_name_lat,sex,birth_date,national_id\n';
    persons.forEach((p, i) => {
      csv += `CAM-${i + 1},artisan,31/A/${i + 1},${p.slice(1).join(',')}\n`;
    });
    writeFileSync(file, csv);
    await page.locator('[data-testid="affiliation-import"] input:not([type])').fill('غرفة الصناعة التقليدية وهران');
    await page.locator('[data-testid="affiliation-import"] input[type="file"]').setInputFiles(file);
    await page.locator('[data-testid="affiliation-import"] button[type="submit"]').click();
    // The job runs in the background: reload the queue until the proposals are there.
    for (let i = 0; i < 100; i++) {
      if ((await page.getByTestId('affiliation-proposal').count()) === 2) break;
      await page.waitForTimeout(200);
      await page.goto(`${h.baseUrl}/#/affiliation?tab=workers`);
      await page.goto(`${h.baseUrl}/#/affiliation`);
      await page.getByTestId('affiliation-import').waitFor();
    }
    const cards = page.getByTestId('affiliation-proposal');
    assert.equal(await cards.count(), 2);
    const first = page.locator('[data-testid="affiliation-proposal"][data-record="CAM-1"]');
    const text = await first.textContent();
    assert.match(text, ARABIC);
    assert.ok(text.includes(persons[0][7]), 'the national id is shown on both sides');
    await h.screenshot('affiliation-queue-ar');
  });

  await h.step('ar: accepting one makes a worker', async () => {
    await page.locator('[data-testid="affiliation-proposal"][data-record="CAM-1"] [data-testid="accept"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="affiliation-proposal"]').length === 1);
    assert.equal(sql(`SELECT COUNT(*) FROM affiliation_workers WHERE person_id = ${persons[0][0]};`), '1');
    await page.getByTestId('tab-workers').click();
    await page.getByTestId('affiliation-workers').waitFor();
    assert.equal(await page.locator('[data-testid="affiliation-workers"] tbody tr').count(), 1);
  });

  await h.step('ar: the worker page records a 2026 declaration and its payment', async () => {
    await page.locator('[data-testid="affiliation-workers"] tbody a').first().click();
    await page.getByTestId('affiliation-worker').waitFor();
    const form = page.locator('[data-testid="affiliation-worker"] form');
    await form.locator('input[type="number"]').nth(0).fill('2026');
    await form.locator('input[type="number"]').nth(1).fill('300000');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('affiliation-declarations').waitFor();
    assert.equal(sql(`SELECT contribution_minor FROM affiliation_declarations;`), '4500000');
    await page.getByTestId('pay-2026').click();
    await page.locator('[data-testid="affiliation-declarations"] tr[data-status="paid"]').waitFor();
    assert.equal(sql(`SELECT paid_minor FROM affiliation_declarations;`), '4500000');
    await h.screenshot('affiliation-worker-ar');
  });

  await h.step('ar: a reload answered late does not bring back the worker as before a later declaration', async () => {
    // The worker is reloaded after each declaration: the answer to the reload after 2027's is held back
    // while 2028 is declared; when it came last, the page showed the worker without 2028's declaration.
    // The server answers at once and only the answer waits: a request held back would be read after 2028
    // was declared and hold it too.
    const worker = (url) => /\/api\/v1\/affiliation\/workers\/\d+$/.test(url.pathname);
    let holdNext = true;
    await page.route(worker, async (r) => {
      if (!holdNext) return r.continue();
      holdNext = false;
      try {
        const response = await r.fetch();
        await new Promise((done) => setTimeout(done, 1500));
        await r.fulfill({ response });
      } catch {
        // the page aborted it meanwhile
      }
    });
    const form = page.locator('[data-testid="affiliation-worker"] form');
    const held = page.waitForRequest((r) => r.method() === 'GET' && worker(new URL(r.url())));
    await form.locator('input[type="number"]').nth(0).fill('2027');
    await form.locator('button[type="submit"]').click();
    await held;
    const answered = page.waitForResponse((r) => r.request().method() === 'GET' && worker(new URL(r.url())));
    await form.locator('input[type="number"]').nth(0).fill('2028');
    await form.locator('button[type="submit"]').click();
    await answered;
    await page.waitForTimeout(2500);
    assert.equal(sql(`SELECT COUNT(*) FROM affiliation_declarations;`), '3');
    const years = await page.locator('[data-testid="affiliation-declarations"] tbody td:first-child').allTextContents();
    assert.deepEqual(years, ['2028', '2027', '2026'], "the reload after 2027's declaration, answered late, hid 2028's");
    await page.unroute(worker);
  });

  await h.step('ar: the preview computes 45,000 DA for a 300,000 DA base in 2026', async () => {
    await page.getByTestId('tab-preview').click();
    await page.getByTestId('affiliation-preview').waitFor();
    await page.locator('[data-testid="affiliation-preview"] input[type="number"]').first().fill('2026');
    await page.getByTestId('declared-base').fill('300000');
    await page.locator('[data-testid="affiliation-preview"] button[type="submit"]').click();
    const amount = await page.getByTestId('preview-contribution').textContent();
    assert.match(amount.replace(/[\s\u00a0\u202f.,]/g, ''), /45000/);
    await h.screenshot('affiliation-preview-ar');
  });

  await h.step('ar: a campaign contact is recorded and counted in its commune', async () => {
    await page.getByTestId('tab-campaign').click();
    await page.getByTestId('affiliation-contact').waitFor();
    await page.locator('[data-testid="affiliation-contact"] input').fill(persons[1][0]);
    await page.locator('[data-testid="affiliation-contact"] button[type="submit"]').click();
    await page.locator('[data-testid="campaign-contacted"][data-value="1"]').waitFor();
    assert.equal(sql(`SELECT COUNT(*) FROM affiliation_contacts WHERE person_id = ${persons[1][0]};`), '1');
    await h.screenshot('affiliation-campaign-ar');
  });

  await h.step('fr: the same queue in French, left to right', async () => {
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.goto(`${h.baseUrl}/#/affiliation`);
    await page.reload();
    await page.getByTestId('affiliation-proposal').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.match(await page.getByTestId('tab-queue').textContent(), /File de revue/);
    await h.screenshot('affiliation-queue-fr');
  });
});
