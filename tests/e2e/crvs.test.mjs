// Browser end-to-end test of confirming an identity with the civil registry (docs/crvs.md §Confirming an
// identity), against a stand-in civil registry this test starts on 127.0.0.1: a caseworker opens a
// household, presses the civil-registry button on a member's row and sees what the registry records next
// to the member (the Arabic civil name agrees with the Latin one; a death the registry records is
// flagged), in Arabic (right to left) and French. Screenshots are kept.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('crvs');
const ADMIN = { username: 'admin_cr', password: 'Idara-Madania-2026' };
const AGENT = { username: 'agent_cr', password: 'Wakil-Madani-2026' };
const COORD = { username: 'coord_cr', password: 'Munassiq-Madani-2026' };
let householdId = 0;
let registry;

const CIVIL = {
  AB123456: { identifier: { identifier_type: 'UIN', identifier_value: 'AB123456' }, name: { given_name: 'أمينة', surname: 'العلوي' }, sex: 'female', birth_date: '1990-05-01' },
  CD654321: { identifier: { identifier_type: 'UIN', identifier_value: 'CD654321' }, name: { given_name: 'Karim', surname: 'Alaoui' }, sex: 'male', birth_date: '1985-03-02', death_date: '2026-11-20' },
};

async function api(method, path, body, headers = {}) {
  const r = await fetch(`${h.baseUrl}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}
async function bearer(user) {
  return { Authorization: `Bearer ${(await api('POST', '/api/v1/auth/token', user)).json.access_token}` };
}

before(async () => {
  // The stand-in civil registry: a sync search by UIN answers the person it holds.
  registry = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data || '{}');
      const uin = body?.message?.search_request?.[0]?.search_criteria?.query?.value;
      const records = CIVIL[uin] ? [CIVIL[uin]] : [];
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ header: { action: 'on-search', status: 'succ' }, message: { transaction_id: body?.message?.transaction_id, search_response: [{ reference_id: 'r', status: 'succ', data: { reg_records: records } }] } }));
    });
  });
  await new Promise((r) => registry.listen(0, '127.0.0.1', r));
  await h.init();
  h.addUser(ADMIN.username, ADMIN.password, 'admin');
  h.addUser(AGENT.username, AGENT.password, 'data_entry', 'MA-03');
  h.addUser(COORD.username, COORD.password, 'regional_coordinator', 'MA-03');
  await h.startServer();
  const src = await api('POST', '/api/v1/crvs/sources', { code: 'crvs-ma', name: 'الحالة المدنية', base_url: `http://127.0.0.1:${registry.address().port}` }, await bearer(ADMIN));
  assert.equal(src.status, 201, JSON.stringify(src.json));
  const member = (f) => ({ relationship: 'head', sex: 'F', birth_date: '1990-05-01', ...f });
  const filed = await api('POST', '/api/v1/change-requests', {
    kind: 'create_household',
    payload: {
      household: { commune_code: 'MA-03.231.01.03', urban: true },
      members: [
        member({ given_name_lat: 'Amina', family_name_lat: 'Alaoui', national_id: 'AB123456' }),
        member({ relationship: 'spouse', sex: 'M', birth_date: '1985-03-02', given_name_lat: 'Karim', family_name_lat: 'Alaoui', national_id: 'CD654321' }),
      ],
    },
  }, await bearer(AGENT));
  assert.equal(filed.status, 201, JSON.stringify(filed.json));
  const coord = await bearer(COORD);
  assert.equal((await api('POST', `/api/v1/change-requests/${filed.json.id}/approve`, {}, coord)).status, 200);
  householdId = (await api('GET', '/api/v1/persons?national_id=AB123456', undefined, coord)).json.items[0].household_id;
  await h.startBrowser();
});

after(async () => {
  await h.close();
  registry?.close();
});

test('crvs: a caseworker checks members with the civil registry (ar, fr)', { timeout: 90_000 }, async () => {
  const page = h.page;
  for (const lang of ['ar', 'fr']) {
    await h.step(`${lang}: the comparison shows on the member row`, async () => {
      if (lang === 'ar') {
        await page.goto(`${h.baseUrl}/#/`);
        await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
        await page.reload();
        await h.login(AGENT.username, AGENT.password);
        await page.goto(`${h.baseUrl}/#/households/${householdId}`);
      } else {
        await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
        await page.reload();
      }
      const rows = page.locator('[data-testid="member-row"]');
      await rows.first().waitFor();
      const amina = rows.filter({ hasText: 'AB123456' });
      await amina.locator('[data-testid="crvs-confirm"]').click();
      const result = amina.locator('[data-testid="crvs-result"]');
      await result.waitFor();
      assert.match(await result.innerText(), /أمينة/);
      assert.equal(await result.locator('.crvs-flag--ok').count(), 4);
      const karim = rows.filter({ hasText: 'CD654321' });
      await karim.locator('[data-testid="crvs-confirm"]').click();
      const k = karim.locator('[data-testid="crvs-result"]');
      await k.waitFor();
      assert.equal(await k.locator('.crvs-flag--bad').count(), 0);
      assert.match(await k.innerText(), /2026-11-20/);
      await h.screenshot(`crvs-${lang}`);
    });
  }
});
