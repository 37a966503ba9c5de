// Browser end-to-end test of the citizen e-services (docs/eservices.md), without an account: from the
// sign-in page to the report form in Arabic (the default, right to left), a commune found by its Arabic
// name, a report of an elderly person in immediate danger, the tracking code, and the status page by
// that code; then the same in French for a homeless person. A team's public note shows on the status
// page; its staff note does not. Screenshots of both languages and of a narrow (phone) screen are kept.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('eservices');

before(async () => {
  await h.init();
  h.addUser('coord', 'Tansiq-Jihawi-2026', 'admin');
  await h.startServer();
  // The mobile social unit covering Méchouar-Fès-El Jadid, created by the administrator's API.
  const token = (await api('POST', '/api/v1/auth/token', { username: 'coord', password: 'Tansiq-Jihawi-2026' })).json.access_token;
  auth = { Authorization: `Bearer ${token}` };
  const unit = await api('POST', '/api/v1/eservices/units', { code: 'SAMU-FES', name: 'SAMU social Fès', base_commune: 'MA-03.231.01.03', communes: ['MA-03.231.01.03'] }, auth);
  assert.equal(unit.status, 201, JSON.stringify(unit.json));
  await h.startBrowser();
});

let auth = {};
async function api(method, path, body, headers = {}) {
  const r = await fetch(`${h.baseUrl}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}

after(async () => {
  await h.close();
});

const ARABIC = /[\u0600-\u06ff]/;

async function report(page, lang, { service, search, description, danger }) {
  await h.context.clearCookies();
  await page.goto(`${h.baseUrl}/#/`);
  await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
  await page.reload();
  await page.getByTestId('login-report-link').click();
  await page.getByTestId('report-page').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
  await page.getByTestId(`es-service-${service}`).check();
  await page.getByTestId('es-commune-search').fill(search);
  await page.getByTestId('es-commune-option').first().click();
  await page.getByTestId('es-commune-chosen').waitFor();
  await page.getByTestId('es-description').fill(description);
  if (danger) await page.getByTestId('es-danger').check();
  await h.screenshot(`eservices-${lang}-form`);
  await page.getByTestId('es-submit').click();
  await page.getByTestId('es-sent').waitFor();
  const code = ((await page.getByTestId('es-tracking-code').textContent()) ?? '').trim();
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{20}$/, `tracking code: ${code}`);
  await h.screenshot(`eservices-${lang}-sent`);
  return code;
}

test('e-services (ar): an elderly person in danger reported without an account, followed by its code', { timeout: 120_000 }, async () => {
  const page = h.page;
  let code = '';
  await h.step('ar: the form, a commune by its Arabic name, a report in danger', async () => {
    code = await report(page, 'ar', { service: 'elderly_in_danger', search: 'المشور', description: 'سيدة مسنة وحيدة في الطابق الثالث بدون ماء', danger: true });
  });
  await h.step('ar: the status page by the code says received', async () => {
    await page.getByTestId('es-follow').click();
    await page.getByTestId('es-status').waitFor();
    const status = (await page.getByTestId('es-status-value').textContent()) ?? '';
    assert.equal(status, 'تم الاستلام');
    await h.screenshot('eservices-ar-status');
  });
  await h.step('ar: the staff triage board lists the report in the queue of its unit', async () => {
    await h.login('coord', 'Tansiq-Jihawi-2026');
    await page.goto(`${h.baseUrl}/#/triage`);
    await page.getByTestId('triage-report').first().waitFor();
    await page.getByTestId('overdue-board').waitFor();
    await h.screenshot('eservices-ar-triage');
    await h.logout();
  });
  await h.step('ar: a team acknowledges and writes a public and a staff note; the page shows the public one only', async () => {
    const queue = await api('GET', '/api/v1/eservices/units/1/queue', null, auth);
    assert.equal(queue.status, 200);
    assert.equal(queue.json.items.length, 1, JSON.stringify(queue.json));
    const staff = await api('GET', '/api/v1/eservices/reports/1', null, auth);
    assert.equal(staff.status, 200, JSON.stringify(staff.json));
    assert.equal((await api('POST', '/api/v1/eservices/reports/1/acknowledge', {}, auth)).status, 200);
    assert.equal((await api('POST', '/api/v1/eservices/reports/1/notes', { body: 'فريق في الطريق إليكم', public: true }, auth)).status, 201);
    assert.equal((await api('POST', '/api/v1/eservices/reports/1/notes', { body: 'STAFF-ONLY', public: false }, auth)).status, 201);
    await page.goto(`${h.baseUrl}/#/report/status?code=${code}`);
    await page.getByTestId('es-notes').waitFor();
    const status = (await page.getByTestId('es-status-value').textContent()) ?? '';
    assert.equal(status, 'تم الاطلاع عليه من طرف فريق');
    const notes = (await page.getByTestId('es-notes').textContent()) ?? '';
    assert.match(notes, /فريق في الطريق إليكم/);
    assert.doesNotMatch(await page.content(), /STAFF-ONLY/);
    await h.screenshot('eservices-ar-status-acknowledged');
  });
  await h.step('ar: narrow screen, no horizontal scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${h.baseUrl}/#/report`);
    await page.getByTestId('report-page').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 360px`);
    await h.screenshot('eservices-ar-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  assert.ok(code.length === 20);
  assert.deepEqual(h.pageErrors, []);
  assert.deepEqual(h.foreignRequests, []);
});

test('e-services (fr): a homeless person reported, a missing description named under its field', { timeout: 120_000 }, async () => {
  const page = h.page;
  await h.step('fr: no description: the field says so in French', async () => {
    await h.context.clearCookies();
    await page.goto(`${h.baseUrl}/#/report`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.reload();
    await page.getByTestId('es-service-homeless_person').check();
    await page.getByTestId('es-commune-search').fill('Mohammadia');
    await page.getByTestId('es-commune-option').first().click();
    await page.getByTestId('es-submit').click();
    await page.getByTestId('es-error').waitFor();
    const text = (await page.locator('.field__error').first().textContent()) ?? '';
    assert.match(text, /Description/, `field error: ${text}`);
    assert.doesNotMatch(text, ARABIC);
  });
  await h.step('fr: reported, then followed', async () => {
    await page.getByTestId('es-description').fill('Un homme dort sous le pont depuis trois nuits');
    await page.getByTestId('es-submit').click();
    await page.getByTestId('es-sent').waitFor();
    await h.screenshot('eservices-fr-sent');
    await page.getByTestId('es-follow').click();
    await page.getByTestId('es-status').waitFor();
    assert.equal((await page.getByTestId('es-status-value').textContent()) ?? '', 'Reçu');
    await h.screenshot('eservices-fr-status');
  });
  assert.deepEqual(h.pageErrors, []);
});
