// Browser end-to-end test of the counsellor calendar (docs/counselling.md) in Arabic (right to left):
// a counsellor signs in, sees the week of their free slots and the pending counselling request a
// citizen sent, chooses it and books it into a free slot; the booking shows on the calendar and the
// slot is no longer free. Then the same calendar in French (left to right). Screenshots are kept.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('counselling');
const ADMIN = { username: 'admin_c', password: 'Idara-Mustashar-2026' };
const COUNSELLOR = { username: 'amina', password: 'Mustashara-Usra-2026' };
let auth = {};

async function api(method, path, body, headers = {}) {
  const r = await fetch(`${h.baseUrl}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}

/** Tomorrow's local date (UTC+1). */
function tomorrow() {
  return new Date(Date.now() + 3600_000 + 86400_000).toISOString().slice(0, 10);
}

before(async () => {
  await h.init();
  h.addUser(ADMIN.username, ADMIN.password, 'admin');
  h.addUser(COUNSELLOR.username, COUNSELLOR.password, 'counselor', 'MA-03');
  await h.startServer(['--counselling-delivery-interval-s', '0']);
  const token = (await api('POST', '/api/v1/auth/token', ADMIN)).json.access_token;
  auth = { Authorization: `Bearer ${token}` };
  const c = await api('POST', '/api/v1/counselling/counsellors', {
    username: COUNSELLOR.username, given_name: 'أمينة', family_name: 'الإدريسي', specialties: ['family', 'parenting'],
    languages: ['ar', 'fr'], pool: 'family', area_code: 'MA-03',
  }, auth);
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const lines = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, starts: '09:00', ends: '12:00', slot_minutes: 60 }));
  const a = await api('PUT', `/api/v1/counselling/counsellors/${c.json.id}/availability`, { lines }, auth);
  assert.equal(a.status, 200, JSON.stringify(a.json));
  // A citizen's counselling request (public form), waiting in the family pool.
  const r = await api('POST', '/api/v1/public/reports', {
    service_code: 'family_counselling', commune_code: 'MA-03.231.01.03', topic: 'خلافات أسرية', counselling_channel: 'phone',
    contact_name: 'خديجة', contact_phone: '+212600000099',
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

test('counselling (ar): the counsellor books a pending request into a free slot', { timeout: 90_000 }, async () => {
  const page = h.page;
  const week = tomorrow();
  await h.step('ar: the calendar shows free slots and the pending request', async () => {
    await page.goto(`${h.baseUrl}/#/`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await page.reload();
    await h.login(COUNSELLOR.username, COUNSELLOR.password);
    await page.goto(`${h.baseUrl}/#/counselling?week=${week}`);
    await page.getByTestId('counselling-page').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.getByTestId('co-request').first().waitFor();
    assert.equal(await page.getByTestId('co-slot').count(), 21);  // 3 slots a day, 7 days
    assert.ok(await page.getByTestId('co-slot').first().isDisabled());  // nothing chosen yet
  });

  let start = '';
  await h.step('ar: choosing the request, then a slot, books it', async () => {
    await page.getByTestId('co-choose').first().click();
    const slot = page.getByTestId('co-slot').first();
    start = (await slot.getAttribute('data-start')) ?? '';
    await slot.click();
    await page.getByTestId('co-booking').first().waitFor();
    await page.locator(`[data-testid="co-slot"][data-start="${start}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('co-slot').count(), 20);
    assert.match((await page.getByTestId('co-booking').first().textContent()) ?? '', /خديجة/);
    await page.getByTestId('co-request').first().waitFor({ state: 'detached' });  // booked: no longer waiting
    await h.screenshot('counselling-ar');
  });

  await h.step('the booking is stored once, for the request, with its confirmation queued', async () => {
    const bookings = await api('GET', `/api/v1/counselling/bookings?from=${week}`, undefined, auth);
    assert.equal(bookings.status, 200);
    assert.equal(bookings.json.items.length, 1);
    assert.equal(bookings.json.items[0].slot_start, start);
    assert.equal(bookings.json.items[0].client_language, 'ar');
    const outbox = await api('GET', '/api/v1/counselling/outbox', undefined, auth);
    assert.equal(outbox.json.items.length, 1);
    assert.equal(outbox.json.items[0].message_code, 'counselling.msg.confirmation');
  });

  await h.step('fr: the same calendar left to right', async () => {
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.reload();
    await page.getByTestId('co-booking').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.match((await page.getByTestId('co-hint').textContent()) ?? '', /Choisissez une demande/);
    await h.screenshot('counselling-fr');
  });

  await h.step('fr: a week answered late does not replace the week shown after it', async () => {
    // This week's free slots are held back while the counsellor moves to the next week; when they came
    // last they replaced the next week's, and the next week showed no free slot at all.
    const next = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86400_000).toISOString().slice(0, 10);
    const late = (url) => url.pathname.endsWith('/api/v1/counselling/slots') && url.searchParams.get('from') === week;
    await page.route(late, async (r) => {
      await new Promise((done) => setTimeout(done, 1500));
      await r.continue().catch(() => {}); // the page may have aborted it meanwhile
    });
    const held = page.waitForRequest((r) => late(new URL(r.url())));
    await page.reload();
    await held;
    await page.getByTestId('co-week-next').click();
    await page.waitForFunction((w) => window.location.hash.includes(`week=${w}`), next);
    await page.getByTestId('co-slot').first().waitFor();
    await page.waitForTimeout(2500);
    assert.equal(await page.getByTestId('co-slot').count(), 21, "the next week's free slots were replaced by this week's, answered late");
    await page.unroute(late);
  });
});
