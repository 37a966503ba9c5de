// Browser end-to-end test of the empowerment funding applications (docs/empowerment.md §Funding calls
// and applications), issue 13 §2: a woman registers in Arabic on the public page (right to left),
// completes her file by her tracking code, sees her region's open call on her status page and applies
// and submits there; staff check her eligibility, two committee members score her application over
// HTTP, one proposes the approval and another confirms it (four eyes); her status page then shows the
// approval with its amount. The staff call page and committee session are screenshotted in Arabic and
// French.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('empowerment-funding');
const COORD = { username: 'fes_coord', password: 'Tansiq-Fes-2026-x' };
const AMINA = { username: 'amina_c', password: 'Lajna-Amina-2026-x' };
const KARIM = { username: 'karim_c', password: 'Lajna-Karim-2026-x' };
const tokens = {};
let callId;

async function api(method, path, body, who) {
  const headers = { 'Content-Type': 'application/json', ...(who ? { Authorization: `Bearer ${tokens[who.username]}` } : {}) };
  const r = await fetch(`${h.baseUrl}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}

const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

before(async () => {
  await h.init();
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

test('empowerment funding (ar): she applies from her status page; scored and approved; she sees it', { timeout: 120_000 }, async () => {
  const page = h.page;
  await page.setViewportSize({ width: 390, height: 844 });
  let code;
  let appId;

  await h.step('ar: she registers and completes her file', async () => {
    await h.context.clearCookies();
    await page.goto(`${h.baseUrl}/#/women`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.reload();
    await page.getByTestId('emp-given_name').fill('فاطمة');
    await page.getByTestId('emp-family_name').fill('العلوي');
    await page.getByTestId('emp-birth_date').fill('1988-04-12');
    await page.getByTestId('emp-phone').fill('0661234567');
    await page.getByTestId('emp-commune_code').fill('MA-03.231.01.03');
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

  await h.step('staff: eligible, two reviews, approval proposed by one member and confirmed by another', async () => {
    const call = await api('GET', `/api/v1/empowerment/calls/${callId}`, null, COORD);
    assert.equal(call.status, 200);
    appId = call.json.applications_list[0].id;
    const at = `/api/v1/empowerment/applications/${appId}`;
    assert.equal((await api('POST', `${at}/eligibility`, {}, COORD)).json.state, 'eligible');
    assert.equal((await api('POST', `${at}/reviews`, { points: { viability: 36, impact: 24 } }, AMINA)).status, 200);
    assert.equal((await api('POST', `${at}/reviews`, { points: { viability: 30, impact: 27 } }, KARIM)).json.state, 'scored');
    assert.equal((await api('POST', `${at}/transitions`, { to: 'shortlisted' }, COORD)).status, 200);
    const proposed = await api('POST', `${at}/decision`, { decision: 'approved', amount_minor: 2_500_000, minutes: 'محضر الجلسة 1', public_note: 'تمت الموافقة على مشروعك' }, AMINA);
    assert.equal(proposed.status, 200, JSON.stringify(proposed.json));
  });

  await h.step('ar/fr: the committee session and the call page (staff)', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await h.login(KARIM.username, KARIM.password);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.goto(`${h.baseUrl}/#/funding-calls/${callId}/committee`);
    await page.reload();
    await page.getByTestId('empf-committee').waitFor();
    await h.screenshot('ar-committee-session');
    await page.getByTestId('empf-confirm').click();
    await page.getByTestId('empf-confirm').waitFor({ state: 'detached' });
    await page.goto(`${h.baseUrl}/#/funding-calls/${callId}`);
    await page.getByTestId('empf-call').waitFor();
    assert.match(await page.getByTestId('empf-committed').textContent(), /25[.,\s\u202f\u00a0]?000/);
    await h.screenshot('ar-call-page');
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.reload();
    await page.getByTestId('empf-call').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await h.screenshot('fr-call-page');
    await page.goto(`${h.baseUrl}/#/funding-calls/applications/${appId}`);
    await page.getByTestId('empf-application').waitFor();
    await h.screenshot('fr-application');
    await h.logout();
  });

  await h.step('ar: her status page shows the approval and its amount', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.goto(`${h.baseUrl}/#/women/status?code=${encodeURIComponent(code)}`);
    await page.reload();
    await page.getByTestId('empf-mine').waitFor();
    assert.equal(await page.getByTestId('empf-mine-state').textContent(), 'مقبول');
    await page.getByTestId('empf-mine-approved').waitFor();
    const text = await page.getByTestId('empf-public').textContent();
    assert.ok(text.includes('تمت الموافقة على مشروعك'));
    assert.ok(!text.includes('محضر'), 'the minutes never reach her page');
    await h.screenshot('ar-status-approved');
  });
});
