// Browser end-to-end test of the payments page, in Arabic and in French: a payment officer picks an
// approved cycle from the list, creates its batches (one per channel, with their control sums), uploads a
// reconciliation file with one bad line and sees the report name that line, in the page's language,
// with nothing applied. Screenshots of both languages are kept. Run with `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('payments');
const OFFICER = { username: 'e2e_payer', password: 'e2e-Payer-Pass-1234' };
const RIB = '011780000001234567890187';

// The test's own look into the SQLite database (the cycles are made by another module: seeded here).
function sql(statements) {
  const r = spawnSync('sqlite3', ['-batch', h.dbUrl.slice('sqlite:'.length)], { input: statements, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

const ARABIC = /[\u0600-\u06ff]/;

before(async () => {
  await h.init();
  h.sanad(['demo', '--db', h.dbUrl, '--households', '12', '--region', 'MA-03', '--seed', '4']);
  sql(`
    INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, generated_at, generated_by)
      VALUES ('ASD', '2026-12', '2026-12-01T00:00:00Z', 'approved', 'MAD', 'e2e', '2026-12-01T00:00:00Z', 'e2e');
    -- A second approved cycle, without batches: switching to it must not show the first one's.
    INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, generated_at, generated_by)
      VALUES ('ASD', '2027-01', '2027-01-01T00:00:00Z', 'approved', 'MAD', 'e2e', '2027-01-01T00:00:00Z', 'e2e');
    INSERT INTO cycle_entries (cycle_id, household_id, household_version, commune_code, payee_person_id, eligible,
                               amount_minor, one_off_minor, details)
      SELECT 1, h.id, 1, h.commune_code, (SELECT MIN(p.id) FROM persons p WHERE p.household_id = h.id), 1, 50000, 1, '{}'
      FROM households h ORDER BY h.id LIMIT 6;
    INSERT INTO payment_accounts (household_id, channel, account, holder_name, updated_at, updated_by)
      SELECT id, 'bank_transfer', '${RIB}', 'Titulaire ' || id, '2026-12-01T00:00:00Z', 'e2e' FROM households ORDER BY id LIMIT 2;
  `);
  h.addUser(OFFICER.username, OFFICER.password, 'payment_officer');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

for (const lang of ['ar', 'fr']) {
  test(`payments (${lang}): batches with control sums, a reconciliation file with one bad line is refused naming it`, { timeout: 120_000 }, async () => {
    const page = h.page;
    let cashBatch;

    await h.step(`${lang}: the officer opens the cycle and creates its batches`, async () => {
      await h.context.clearCookies();
      await page.goto(`${h.baseUrl}/#/`);
      await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
      await page.reload();
      await h.login(OFFICER.username, OFFICER.password);
      // The officer picks the approved cycle from the list of payable cycles.
      await page.goto(`${h.baseUrl}/#/payments`);
      await page.getByTestId('payments-page').waitFor();
      const picker = page.getByTestId('cycle-select');
      await picker.locator('option[value="1"]').waitFor({ state: 'attached' });
      assert.match(await picker.locator('option[value="1"]').textContent(), /ASD · 2026-12/);
      await picker.selectOption('1');
      await page.waitForFunction(() => window.location.hash.includes('cycle=1'));
      assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
      await page.getByTestId('create-batches').click();
      await page.getByTestId('batches').waitFor();
      const rows = page.locator('[data-testid="batches"] tbody tr');
      assert.equal(await rows.count(), 2);
      cashBatch = await page.locator('tr[data-channel="cash_withdrawal"]').getAttribute('data-batch');
      assert.ok(cashBatch);
      const sums = await page.getByTestId('control-sum').allTextContents();
      assert.equal(sums.length, 2);
      for (const s of sums) assert.match(s, /[0-9\u0660-\u0669]/, `control sum: ${s}`);
      assert.equal(await page.locator('tr[data-channel="bank_transfer"] a[href*="format=pain001"]').count(), 1);
    });

    await h.step(`${lang}: a reconciliation file with one bad line shows that line and applies nothing`, async () => {
      const first = sql(`SELECT end_to_end_id FROM payments WHERE batch_id = ${cashBatch} ORDER BY id LIMIT 1;`);
      const file = path.join(h.tmp, `recon-${lang}.csv`);
      writeFileSync(
        file,
        `end_to_end_id,status,reason,amount_minor,date\n${first},paid,,50001,2026-12-11\nC999H999,paid,,50001,2026-12-11\n`,
      );
      await page.getByTestId(`recon-file-${cashBatch}`).setInputFiles(file);
      const problems = page.getByTestId('recon-problems');
      await problems.waitFor();
      const bad = problems.locator('tr[data-where="line 3"]');
      assert.equal(await bad.count(), 1);
      const text = await bad.textContent();
      if (lang === 'ar') {
        assert.match(text, /السطر \u20683\u2069/); // the number isolated inside the Arabic words
        assert.match(text, ARABIC);
      } else {
        assert.match(text, /Ligne 3/);
        assert.match(text, /aucun paiement/);
        assert.doesNotMatch(text, ARABIC);
      }
      assert.equal(await problems.locator('tbody tr').count(), 1, 'only the bad line is reported');
      // One line in error, in the language's own singular ("1 ligne(s)", "1 سطر(أسطر)" before).
      const heading = await page.getByTestId('recon-report').textContent();
      if (lang === 'ar') assert.match(heading, /سطر واحد به أخطاء/);
      else assert.match(heading, /1 ligne en erreur/);
      assert.equal(sql(`SELECT COUNT(*) FROM payments WHERE status <> 'pending';`), '0');
      assert.equal(sql(`SELECT COUNT(*) FROM benefits;`), '0');
      await h.screenshot(`payments-report-${lang}`);
    });

    await h.step(`${lang}: the report follows a language switch, read again without sending the file again`, async () => {
      const other = lang === 'ar' ? 'fr' : 'ar';
      const sent = [];
      const onRequest = (r) => {
        if (r.method() === 'POST' && r.url().includes('/reconciliation')) sent.push(r.url());
      };
      page.on('request', onRequest);
      try {
        const message = '[data-testid="recon-problems"] tr[data-where="line 3"] td:last-child';
        for (const to of [other, lang]) {
          await page.getByTestId(`lang-${to}`).click();
          await page.waitForFunction(
            ({ sel, ar }) => {
              const td = document.querySelector(sel);
              return td !== null && td.textContent.trim() !== '' && /[\u0600-\u06ff]/.test(td.textContent) === ar;
            },
            { sel: message, ar: to === 'ar' },
          );
          const text = (await page.locator(message).textContent()) ?? '';
          if (to === 'fr') assert.match(text, /aucun paiement/);
          else assert.match(text, ARABIC);
          assert.equal(await page.locator('[data-testid="recon-problems"] tbody tr').count(), 1);
          if (to === other) await h.screenshot(`payments-report-${lang}-to-${other}`);
        }
        assert.deepEqual(sent, [], 'the file was sent again');
      } finally {
        page.off('request', onRequest);
      }
    });

    await h.step(`${lang}: a cycle's batches answered late do not replace those of the cycle chosen after it`, async () => {
      // Cycle 1's batches are held back while the officer switches to cycle 2, which has none; when they
      // came last, cycle 1's batches were shown under cycle 2.
      const late = '**/api/v1/cycles/1/payment-batches';
      await page.route(late, async (r) => {
        await new Promise((done) => setTimeout(done, 1500));
        await r.continue().catch(() => {}); // the page may have aborted it meanwhile
      });
      const picker = page.getByTestId('cycle-select');
      await picker.selectOption('');
      await page.waitForFunction(() => !window.location.hash.includes('cycle='));
      const held = page.waitForRequest((r) => r.method() === 'GET' && r.url().endsWith('/api/v1/cycles/1/payment-batches'));
      await picker.selectOption('1');
      await held;
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/cycles/2/payment-batches'));
      await picker.selectOption('2');
      await answered;
      await page.waitForTimeout(2500);
      assert.equal(await page.getByTestId('batches').count(), 0, "cycle 1's batches, answered late, are shown under cycle 2");
      await page.unroute(late);
    });

    // The answers of the page's acts on cycle 1 (creating its batches, a reconciliation of one of them)
    // are held back until the officer has switched to cycle 2; the server answers at once and only the
    // answer waits. When they came, they were shown under cycle 2.
    const toCycle = async (id) => {
      const answered = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith(`/api/v1/cycles/${id}/payment-batches`));
      await page.getByTestId('cycle-select').selectOption(id);
      await answered;
    };

    await h.step(`${lang}: batches created for a cycle, answered late, do not replace those of the cycle chosen after it`, async () => {
      const created = '**/api/v1/cycles/1/payment-batches';
      const release = await h.holdAnswer(created, 'POST');
      await toCycle('1');
      await page.getByTestId('batches').waitFor();
      const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/cycles/1/payment-batches'));
      await page.getByTestId('create-batches').click();
      await posted;
      await toCycle('2');
      assert.equal(await page.getByTestId('batches').count(), 0, 'cycle 2 has no batches');
      const late = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/cycles/1/payment-batches'));
      release();
      await late;
      await page.waitForTimeout(1000);
      assert.equal(await page.getByTestId('batches').count(), 0, "cycle 1's batches, created and answered late, are shown under cycle 2");
      await page.unroute(created);
    });

    await h.step(`${lang}: a reconciliation report answered late is not shown under the cycle chosen after it`, async () => {
      const reconciled = (url) => url.pathname === `/api/v1/payment-batches/${cashBatch}/reconciliation`;
      const release = await h.holdAnswer(reconciled, 'POST');
      await toCycle('1');
      await page.getByTestId('batches').waitFor();
      const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes(`/api/v1/payment-batches/${cashBatch}/reconciliation`));
      await page.getByTestId(`recon-file-${cashBatch}`).setInputFiles(path.join(h.tmp, `recon-${lang}.csv`));
      await posted;
      await toCycle('2');
      const late = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/api/v1/payment-batches/${cashBatch}/reconciliation`));
      release();
      await late;
      await page.waitForTimeout(1000);
      assert.equal(await page.getByTestId('recon-report').count(), 0, "the report on cycle 1's batch, answered late, is shown under cycle 2");
      await page.unroute(reconciled);
    });
  });
}

test('payments (fr, ar): a failed payment shows its return code in words, its date left empty', { timeout: 120_000 }, async () => {
  const page = h.page;
  const batch = sql(`SELECT id FROM payment_batches WHERE cycle_id = 1 AND channel = 'cash_withdrawal';`);
  const [id, amount] = sql(`SELECT end_to_end_id, amount_minor FROM payments WHERE batch_id = ${batch} ORDER BY id LIMIT 1;`).split('|');
  const file = path.join(h.tmp, 'recon-failed.csv');
  // A failed payment has no paid date: the column is left empty, as a bank's return has none.
  writeFileSync(file, `end_to_end_id,status,reason,amount_minor,date\n${id},failed,AC04,${amount},\n`);
  for (const [lang, words] of [['fr', /AC04\s*—\s*Compte clôturé/], ['ar', /AC04\s*—\s*الحساب مغلق/]]) {
    await h.step(`${lang}: the failed payment's return code reads in words`, async () => {
      await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
      await page.goto(`${h.baseUrl}/#/payments?cycle=1`);
      await page.reload();
      const row = page.locator(`tr[data-batch="${batch}"]`);
      await row.waitFor();
      if (lang === 'fr') {
        await page.getByTestId(`recon-file-${batch}`).setInputFiles(file);
        await page.waitForFunction(() => document.querySelector('[data-testid="recon-outcome"]')?.getAttribute('data-outcome') === 'applied');
      }
      await row.locator('button.link').first().click();
      const reason = page.getByTestId('failed-reason').first();
      await reason.waitFor();
      assert.match(await reason.innerText(), words);
      await h.screenshot(`payments-failed-reason-${lang}`);
    });
  }
});
