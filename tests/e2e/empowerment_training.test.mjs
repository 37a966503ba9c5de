// Browser end-to-end test of the empowerment platform's training pages, in Arabic (the default, right
// to left) and French: a coordinator of Fès-Meknès creates a three-day session of two seats, enrols
// three women (the third goes to the waiting list), records the three days' attendance, and the two
// women present every day are completed with certificates in Arabic and French (PDF); on a woman's file
// the day her activity started and a monitoring visit are recorded. Screenshots kept.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('empowerment-training');
const COORDINATOR = { username: 'e2e_emt', password: 'e2e-Training-Pass-1234' };
const ARABIC = /[\u0600-\u06ff]/;
const FES = 'MA-03.231.01.03';

function sql(statements) {
  const r = spawnSync('sqlite3', ['-batch', h.dbUrl.slice('sqlite:'.length)], { input: statements, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

const WOMEN = [
  ['فاطمة', 'العلوي'],
  ['خديجة', 'بناني'],
  ['أمينة', 'التازي'],
];

before(async () => {
  await h.init();
  const now = '2026-01-05T10:00:00.000000Z';
  sql(
    WOMEN.map(
      ([g, f], i) =>
        `INSERT INTO empowerment_registrations (code_hash, status, kind, given_name_ar, family_name_ar, given_key, family_key,
           birth_date, phone, commune_code, situations, skills, created_at, updated_at, version)
         VALUES ('e2e-${i}', 'complete', 'auto_entrepreneur', '${g}', '${f}', '${g}', '${f}', '1988-04-12', '+21266120000${i}',
           '${FES}', '[]', '[]', '${now}', '${now}', 1);`,
    ).join('\n'),
  );
  h.addUser(COORDINATOR.username, COORDINATOR.password, 'regional_coordinator', 'MA-03');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('empowerment trainings (ar, fr): seats, waiting list, attendance, completion, certificates', { timeout: 120_000 }, async () => {
  const page = h.page;
  const ids = sql("SELECT id FROM empowerment_registrations WHERE code_hash LIKE 'e2e-%' ORDER BY id").split('\n');
  let session;

  await h.step('ar: the calendar opens right to left and a session is created', async () => {
    await page.goto(`${h.baseUrl}/#/`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await h.login(COORDINATOR.username, COORDINATOR.password);
    await page.goto(`${h.baseUrl}/#/trainings`);
    await page.getByTestId('emt-calendar').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.locator('#emt-title_ar').fill('المهارات الرقمية للمقاولات');
    await page.locator('#emt-title_fr').fill('Compétences numériques pour entreprendre');
    await page.locator('#emt-trainer').fill('سلمى الإدريسي');
    await page.locator('#emt-capacity').fill('2');
    await page.locator('#emt-commune_code').fill(FES);
    await page.locator('#emt-address').fill('دار المرأة، فاس');
    await page.locator('#emt-starts_at').fill('2026-03-02T09:00');
    await page.locator('#emt-ends_at').fill('2026-03-04T16:00');
    await page.getByRole('button', { name: 'إنشاء الدورة' }).click();
    await page.getByTestId('emt-session-page').waitFor();
    session = /trainings\/(\d+)/.exec(page.url())[1];
  });

  await h.step('ar: two seats, then the waiting list', async () => {
    for (const id of ids) {
      await page.locator('#emt-woman').fill(id);
      await page.getByRole('button', { name: 'تسجيل', exact: true }).click();
      await page.getByText(/سُجّلت/).waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="emt-woman"]').length === n, ids.indexOf(id) + 1);
    }
    const statuses = await page.getByTestId('emt-status').allTextContents();
    assert.deepEqual(statuses, ['مسجلة', 'مسجلة', 'في الانتظار']);
  });

  await h.step('ar: three days present complete the two seated women; certificates appear', async () => {
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      await page.locator('#emt-day').selectOption(day);
      await page.getByTestId('emt-save-day').click();
      await page.getByText('حُفظ الحضور.').waitFor();
    }
    await page.getByTestId('emt-cert-ar').first().waitFor();
    const statuses = await page.getByTestId('emt-status').allTextContents();
    assert.deepEqual(statuses, ['أتمّت', 'أتمّت', 'في الانتظار']);
    assert.match(await page.getByTestId('emt-sheet').textContent(), ARABIC);
    await h.screenshot('ar-session-completed');
  });

  await h.step('the certificates are PDFs in Arabic and French', async () => {
    for (const lang of ['ar', 'fr']) {
      const res = await page.request.get(`${h.baseUrl}/api/v1/empowerment/trainings/${session}/certificates/${ids[0]}.pdf?lang=${lang}`);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'application/pdf');
      const body = await res.body();
      assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
      const code = res.headers()['sanad-verification-code'];
      const check = await page.request.get(`${h.baseUrl}/api/v1/public/empowerment/certificates/${code}`);
      assert.equal((await check.json()).initials, 'ف. ا.');
    }
  });

  await h.step('ar: her file records when her activity started and a monitoring visit', async () => {
    await page.goto(`${h.baseUrl}/#/empowerment/${ids[0]}`);
    await page.getByTestId('emp-visits').waitFor();
    await page.getByTestId('emp-visits').locator('input[type=date]').first().fill('2025-08-31');
    await page.getByRole('button', { name: 'حفظ تاريخ البداية' }).click();
    await page.getByText(/بداية النشاط: .*2025/).waitFor();
    await page.locator('#emv-kind').selectOption('monitoring');
    await page.locator('#emv-visited_on').fill('2026-03-03');
    await page.locator('#emv-visitor').fill('نادية');
    await page.locator('#emv-monthly_income').fill('3500');
    await page.locator('#emv-jobs_created').fill('2');
    await page.getByTestId('emv-form').getByRole('button', { name: 'تسجيل زيارة' }).click();
    await page.getByTestId('emv-row').waitFor();
    assert.match(await page.getByTestId('emv-row').textContent(), /تتبع/);
    await h.screenshot('ar-visits');
  });

  await h.step('ar: the calendar lists the session with its seats', async () => {
    await page.goto(`${h.baseUrl}/#/trainings`);
    await page.getByTestId('emt-session').first().waitFor();
    await h.screenshot('ar-calendar');
  });

  await h.step('fr: the calendar and the session page, left to right', async () => {
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.reload();
    await page.getByTestId('emt-session').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.match(await page.getByTestId('emt-sessions').textContent(), /Compétences numériques pour entreprendre/);
    await h.screenshot('fr-calendar');
    await page.goto(`${h.baseUrl}/#/trainings/${session}`);
    await page.getByTestId('emt-sheet').waitFor();
    const statuses = await page.getByTestId('emt-status').allTextContents();
    assert.deepEqual(statuses, ['Achevée', 'Achevée', "En liste d'attente"]);
    await h.screenshot('fr-session');
    await page.goto(`${h.baseUrl}/#/empowerment/${ids[0]}`);
    await page.getByTestId('emv-row').waitFor();
    assert.match(await page.getByTestId('emv-row').textContent(), /Suivi/);
    await page.getByTestId('emp-visits').scrollIntoViewIfNeeded();
    await h.screenshot('fr-visits');
  });

  await h.step('fr, ar: the regional figures count the session and the women', async () => {
    await page.goto(`${h.baseUrl}/#/women-figures`);
    await page.getByTestId('emf-training-chart').waitFor();
    const row = await page.getByTestId('emf-trainings').locator('tbody tr').first().textContent();
    assert.match(row, /Compétences numériques/);
    assert.match(row, /2.*2.*2/); // registered, attended, completed
    await h.screenshot('fr-figures');
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.reload();
    await page.getByTestId('emf-training-chart').waitFor();
    assert.match(await page.getByTestId('emf-page').textContent(), ARABIC);
    // On 15 September 2026 her 12-month monitoring (due 31 August) is overdue; the 6-month one was made.
    await page.locator('#emo-as-of').fill('2026-09-15');
    await page.getByTestId('emo-monitoring').waitFor();
    const overdue = await page.getByTestId('emo-monitoring').textContent();
    assert.match(overdue, /فاطمة العلوي/);
    assert.match(overdue, /12/);
    await h.screenshot('ar-figures');
  });

  await h.step('ar: a date answered late does not replace the overdue list of the date chosen after it', async () => {
    // The list on 15 September (her 12-month monitoring overdue) is held back while the coordinator picks
    // 1 August (nothing overdue yet); when it came last, 15 September's list was shown under 1 August.
    const late = /\/api\/v1\/empowerment\/visits\/overdue\?as_of=2026-09-15$/;
    const earlier = (r) => r.url().endsWith('/api/v1/empowerment/visits/overdue?as_of=2026-08-01');
    let answered = page.waitForResponse(earlier);
    await page.locator('#emo-as-of').fill('2026-08-01');
    await answered;
    await page.route(late, async (r) => {
      await new Promise((done) => setTimeout(done, 1500));
      await r.continue().catch(() => {}); // the page may have aborted it meanwhile
    });
    const held = page.waitForRequest(late);
    await page.locator('#emo-as-of').fill('2026-09-15');
    await held;
    answered = page.waitForResponse(earlier);
    await page.locator('#emo-as-of').fill('2026-08-01');
    await answered;
    await page.waitForTimeout(2500);
    assert.equal(await page.getByTestId('emo-monitoring').count(), 0, "15 September's overdue monitoring, answered late, is shown under 1 August");
    await page.unroute(late);
  });
});
