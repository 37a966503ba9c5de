// Browser end-to-end test of issue 13's "Done when" (docs/empowerment.md), in Arabic: a woman registers on
// the public page (right to left) with her CIN, so that the duplicate check links her to her registry
// person; she completes her file by her tracking code and applies to her region's open call from her
// status page. Two committee members score her application on the reviewer page; the committee session
// page carries the approval with an amount, proposed by one member and confirmed by another (four eyes);
// the coordinator signs the agreement and pays the first tranche on the application page; the tranche
// appears in the benefit ledger on her staff file page; her status page shows the progress; the regional
// figures page counts her registration, her application's stage and the amounts funded, by the communes'
// and provinces' names. Eligibility and the shortlist go through the API (setup, as the call and the
// accounts); the staff pages are screenshotted in Arabic and French.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('empowerment-funding');
const COORD = { username: 'fes_coord', password: 'Tansiq-Fes-2026-x' };
const AMINA = { username: 'amina_c', password: 'Lajna-Amina-2026-x' };
const KARIM = { username: 'karim_c', password: 'Lajna-Karim-2026-x' };
const COMMUNE = 'MA-03.231.01.03'; // المشور فاس الجديد, prefecture of Fès
const tokens = {};
let callId;
let personId;

async function api(method, path, body, who) {
  const headers = { 'Content-Type': 'application/json', ...(who ? { Authorization: `Bearer ${tokens[who.username]}` } : {}) };
  const r = await fetch(`${h.baseUrl}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}

function sql(statements) {
  const r = spawnSync('sqlite3', ['-batch', h.dbUrl.slice('sqlite:'.length)], { input: statements, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

before(async () => {
  await h.init();
  // Her registry person (a household head of the commune, the same CIN she will give).
  personId = sql(
    `INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES ('EF1', '${COMMUNE}', 1, 'active', 'now', 'now');
     INSERT INTO persons (household_id, relationship, sex, birth_date, status, given_name_ar, family_name_ar, national_id, created_at, updated_at)
       SELECT id, 'head', 'F', '1988-04-12', 'active', 'فاطمة', 'العلوي', 'CD654321', 'now', 'now' FROM households WHERE ref = 'EF1';
     SELECT id FROM persons WHERE national_id = 'CD654321';`,
  );
  h.addUser(COORD.username, COORD.password, 'regional_coordinator', 'MA-03');
  h.addUser(AMINA.username, AMINA.password, 'committee_member', 'MA-03');
  h.addUser(KARIM.username, KARIM.password, 'committee_member', 'MA-03');
  await h.startServer();
  await h.startBrowser();
  for (const who of [COORD, AMINA, KARIM]) {
    tokens[who.username] = (await api('POST', '/api/v1/auth/token', who)).json.access_token;
  }
  const call = await api('POST', '/api/v1/empowerment/calls', {
    code: 'FM-E2E', name_ar: 'نداء فاس مكناس للتمكين', name_fr: 'Appel Fès-Meknès autonomisation', name_en: 'Fès-Meknès call',
    region_code: 'MA-03', year: Number(day(0).slice(0, 4)), envelope_minor: 10_000_000, opens_at: day(-1), closes_at: day(20),
    eligibility: { kinds: ['auto_entrepreneur'] }, rubric: [{ code: 'viability', max_points: 40, weight: 2 }, { code: 'impact', max_points: 30 }],
  }, COORD);
  assert.equal(call.status, 201, JSON.stringify(call.json));
  callId = call.json.id;
});

after(async () => {
  await h.close();
});

async function setLang(lang) {
  await h.page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
}

test('empowerment (ar): registration to paid tranche, in the ledger, on her status page and in the figures', { timeout: 120_000 }, async () => {
  const page = h.page;
  await page.setViewportSize({ width: 390, height: 844 });
  let code;
  let appId;
  let regId;

  await h.step('ar: she registers with her CIN and completes her file', async () => {
    await h.context.clearCookies();
    await page.goto(`${h.baseUrl}/#/women`);
    await setLang('ar');
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.getByTestId('emp-given_name').fill('فاطمة');
    await page.getByTestId('emp-family_name').fill('العلوي');
    await page.getByTestId('emp-birth_date').fill('1988-04-12');
    await page.getByTestId('emp-national_id').fill('CD654321');
    await page.getByTestId('emp-phone').fill('0661234567');
    // Her commune by name from the public list (no account), not by its code.
    await page.getByTestId('es-commune-search').fill('المشور فاس');
    await page.getByTestId('es-commune-option').first().click();
    await page.getByTestId('es-commune-chosen').waitFor();
    assert.match(await page.getByTestId('es-commune-chosen').textContent(), /المشور فاس الجديد/);
    await h.screenshot('ar-commune-picked');
    await page.getByTestId('emp-situation-widow').check();
    await page.getByTestId('emp-submit').click();
    await page.getByTestId('emp-registered').waitFor();
    code = (await page.getByTestId('emp-tracking-code').textContent()).trim();
    await page.getByTestId('emp-follow').click();
    await page.getByTestId('emp-status').waitFor();
    await page.getByTestId('emp-education').selectOption('secondary');
    await page.getByTestId('emp-skills').fill('خياطة');
    await page.getByTestId('emp-project_idea').fill('ورشة خياطة للملابس التقليدية في الحي');
    await page.getByTestId('emp-save').click();
    await page.getByTestId('emp-saved').waitFor();
  });

  await h.step('ar: the open call shows on her status page; she applies and submits', async () => {
    await page.getByTestId('empf-apply').waitFor();
    await page.getByTestId('empf-amount').fill('30000');
    await page.getByTestId('empf-summary').fill('ورشة خياطة للملابس التقليدية مع بيع عبر الإنترنت');
    await page.getByTestId('empf-apply-submit').click();
    await page.getByTestId('empf-mine').waitFor();
    assert.equal(await page.getByTestId('empf-mine-state').textContent(), 'مقدَّم');
    await h.screenshot('ar-applied');
  });

  await h.step('setup over the API: she is eligible', async () => {
    const call = await api('GET', `/api/v1/empowerment/calls/${callId}`, null, COORD);
    assert.equal(call.status, 200);
    appId = call.json.applications_list[0].id;
    regId = call.json.applications_list[0].registration_id;
    assert.equal((await api('POST', `/api/v1/empowerment/applications/${appId}/eligibility`, {}, COORD)).json.state, 'eligible');
  });

  const review = async (who, viability, impact, state) => {
    await h.login(who.username, who.password);
    await setLang('ar');
    await page.goto(`${h.baseUrl}/#/funding-calls/applications/${appId}`);
    await page.reload();
    await page.getByTestId('empf-review-form').waitFor();
    await page.getByTestId('empf-points-viability').fill(String(viability));
    await page.getByTestId('empf-points-impact').fill(String(impact));
    await page.getByTestId('empf-save-review').click();
    await page.waitForFunction((s) => document.querySelector('[data-testid="empf-state"]')?.textContent === s, state);
  };

  await h.step('ar: two committee members score the rubric on the reviewer page', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await review(KARIM, 30, 27, 'قيد التقييم');
    await h.logout();
    await review(AMINA, 36, 24, 'مُقيَّم');
    await h.screenshot('ar-reviewed');
  });

  await h.step('ar: the committee session: Amina proposes the approval, Karim confirms it (four eyes)', async () => {
    assert.equal((await api('POST', `/api/v1/empowerment/applications/${appId}/transitions`, { to: 'shortlisted' }, COORD)).status, 200);
    await page.goto(`${h.baseUrl}/#/funding-calls/${callId}/committee`);
    await page.getByTestId('empf-committee').waitFor();
    await page.getByTestId('empf-amount').fill('25000');
    await page.getByTestId('empf-minutes').fill('محضر الجلسة 1: مشروع قابل للتنفيذ');
    await page.getByTestId('empf-decision-note').fill('مبروك، وافقت اللجنة على مشروعك');
    await page.getByTestId('empf-propose').click();
    await page.getByTestId('empf-confirm').waitFor();
    await h.screenshot('ar-committee-proposed');
    await h.logout();
    await h.login(KARIM.username, KARIM.password);
    await setLang('ar');
    await page.goto(`${h.baseUrl}/#/funding-calls/${callId}/committee`);
    await page.reload();
    await page.getByTestId('empf-committee').waitFor();
    await page.getByTestId('empf-confirm').click();
    await page.getByTestId('empf-confirm').waitFor({ state: 'detached' });
    await h.logout();
  });

  await h.step('ar: the coordinator signs the agreement and pays the first tranche', async () => {
    await h.login(COORD.username, COORD.password);
    await setLang('ar');
    await page.goto(`${h.baseUrl}/#/funding-calls/applications/${appId}`);
    await page.reload();
    await page.getByTestId('empf-tranches').fill('شراء المعدات,15000\nبدء النشاط,10000');
    await page.getByTestId('empf-sign').click();
    await page.getByTestId('empf-pay').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="empf-state"]')?.textContent === 'ممول');
    await page.goto(`${h.baseUrl}/#/funding-calls/${callId}`);
    await page.getByTestId('empf-call').waitFor();
    assert.match(await page.getByTestId('empf-committed').textContent(), /25[.,\s\u202f\u00a0]?000/);
    await h.screenshot('ar-call-page');
  });

  await h.step('ar/fr: her staff file shows the application and the tranche in her benefit ledger', async () => {
    await page.goto(`${h.baseUrl}/#/empowerment/${regId}`);
    await page.getByTestId('emfo-overview').waitFor();
    assert.equal(await page.getByTestId('emp-linked-person').count(), 1);
    assert.equal(await page.getByTestId('emfo-application-state').textContent(), 'ممول');
    assert.equal(await page.getByTestId('emfo-ledger-line').count(), 1);
    assert.match(await page.getByTestId('emfo-ledger-amount').textContent(), /15[.,\s\u202f\u00a0]?000/);
    // Her commune by its name in the reader's language, not only its code.
    await page.locator('.area-label', { hasText: 'المشور' }).first().waitFor();
    await h.screenshot('ar-her-file');
    await setLang('fr');
    await page.reload();
    await page.getByTestId('emfo-ledger').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await h.screenshot('fr-her-file');
    // The figures count her: registered, her application funded, the amounts paid by province.
    await page.goto(`${h.baseUrl}/#/women-figures`);
    await page.getByTestId('emf-funded-province').waitFor();
    assert.match(await page.getByTestId('emf-funded-province').textContent(), /Fès/);
    assert.match(await page.getByTestId('emf-funded-province-paid').textContent(), /15[.,\s\u202f\u00a0]?000/);
    assert.match(await page.getByTestId('emf-applications').textContent(), /Méchouar-Fès-El Jadid/);
    await h.screenshot('fr-figures');
    await setLang('ar');
    await page.reload();
    await page.getByTestId('emf-applications').waitFor();
    assert.match(await page.getByTestId('emf-kinds').textContent(), /[1١]/);
    assert.match(await page.getByTestId('emf-applications').textContent(), /المشور فاس الجديد/);
    assert.match(await page.getByTestId('emf-funded-province').textContent(), /فاس/);
    await h.screenshot('ar-figures');
    await h.logout();
  });

  await h.step('ar: her status page shows the progress', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await setLang('ar');
    await page.goto(`${h.baseUrl}/#/women/status?code=${encodeURIComponent(code)}`);
    await page.reload();
    await page.getByTestId('empf-mine').waitFor();
    assert.equal(await page.getByTestId('empf-mine-state').textContent(), 'ممول');
    assert.match(await page.getByTestId('empf-mine-approved').textContent(), /25[.,\s\u202f\u00a0]?000/);
    assert.match(await page.getByTestId('empf-mine-tranches').textContent(), /[1١].*[2٢]/);
    const text = await page.getByTestId('empf-public').textContent();
    assert.ok(!text.includes('محضر'), 'the minutes never reach her page');
    assert.ok(text.includes('مبروك، وافقت اللجنة على مشروعك'), "the committee's note for her reaches her page");
    await h.screenshot('ar-status-funded');
  });

  await h.step('fr: the public form picks the commune by its French name', async () => {
    await setLang('fr');
    await page.goto(`${h.baseUrl}/#/women`);
    await page.reload();
    await page.getByTestId('es-commune-search').fill('Méchouar');
    await page.getByTestId('es-commune-option').first().click();
    assert.match(await page.getByTestId('es-commune-chosen').textContent(), /Méchouar-Fès-El Jadid/);
    await h.screenshot('fr-commune-picked');
  });
  assert.ok(personId);
});
