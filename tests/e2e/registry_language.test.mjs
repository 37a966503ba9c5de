// Browser end-to-end test: the registry's own screens in the page's language. In Arabic and in French:
// a sign-in with a wrong password, a new-household form with several invalid fields (every one shown
// at its field at once), a search sorted on the server, and the household's history with each changed
// field before → after.
// Any notice on the page (alerts, field errors, notices) written in another language's server text
// fails the test. Run with `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('registry_language');
const AGENT = { username: 'e2e_hl_agent', password: 'e2e-Agent-Pass-1234' };
const COORDINATOR = { username: 'e2e_hl_coord', password: 'e2e-Coord-Pass-1234' };
const PROVINCE = 'MA-03.231';
const COMMUNE = 'MA-03.231.01.0';

before(async () => {
  await h.init();
  h.addUser(AGENT.username, AGENT.password, 'data_entry', PROVINCE);
  h.addUser(COORDINATOR.username, COORDINATOR.password, 'regional_coordinator', 'MA-03');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

const ARABIC = /[\u0600-\u06ff]/;
// Three Latin words in a row: an English or French sentence, not a code or a name.
const LATIN_SENTENCE = /[A-Za-zÀ-ÿ]{2,}[\s,;:'’]+[A-Za-zÀ-ÿ]{2,}[\s,;:'’]+[A-Za-zÀ-ÿ]{2,}/;
const ENGLISH = /\b(the|is|are|must|not|required|unknown|field|request|password|invalid|wrong|please|this|no|between|sign)\b/i;

/** Asserts that `text` (what a notice shows) is written in `lang` and carries no foreign sentence. */
function assertInLanguage(text, lang, what) {
  const t = (text ?? '').trim();
  assert.ok(t.length > 0, `${what}: empty`);
  if (lang === 'ar') {
    assert.match(t, ARABIC, `${what} is not in Arabic: «${t}»`);
    assert.doesNotMatch(t, LATIN_SENTENCE, `${what} has a Latin-script sentence on an Arabic page: «${t}»`);
  } else {
    assert.doesNotMatch(t, ARABIC, `${what} has Arabic on a ${lang} page: «${t}»`);
    assert.doesNotMatch(t, ENGLISH, `${what} has English on a ${lang} page: «${t}»`);
  }
}

/** Every notice on the page (alerts, notices, field errors) is in `lang`. */
async function assertNoticesInLanguage(page, lang, where) {
  const texts = await page.locator('[role="alert"], .notice, .field__error').allTextContents();
  for (const t of texts) if (t.trim()) assertInLanguage(t, lang, `a notice on ${where}`);
  return texts.length;
}

async function setLang(page, lang) {
  await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
  await page.reload();
}

/** The API with a bearer token (no browser session): approvals and edits that set up the history. */
async function apiAs(user) {
  const res = await fetch(`${h.baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(user),
  });
  assert.equal(res.status, 200, `token for ${user.username}: ${res.status}`);
  const token = (await res.json()).access_token;
  return async (method, path, body) => {
    const r = await fetch(`${h.baseUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    assert.ok(r.status < 300, `${method} ${path} answered ${r.status}: ${JSON.stringify(json)}`);
    return json;
  };
}

const NATIONAL_IDS = { ar: 'FB123001', fr: 'FB123002' };

for (const lang of ['ar', 'fr']) {
  test(`registry language (${lang}): wrong password, invalid household form, search and history speak ${lang}`, { timeout: 150_000 }, async () => {
    const page = h.page;
    let requestId;

    await h.step(`${lang}: a wrong password is refused in ${lang}`, async () => {
      await h.context.clearCookies();
      await page.goto(`${h.baseUrl}/#/`);
      await setLang(page, lang);
      await page.getByTestId('login-username').fill(AGENT.username);
      await page.getByTestId('login-password').fill('not-the-password-at-all');
      await page.getByTestId('login-submit').click();
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assertInLanguage(await error.textContent(), lang, 'the wrong-password notice');
      await assertNoticesInLanguage(page, lang, 'the sign-in page');
    });

    await h.step(`${lang}: a household form with several invalid fields shows every error at its field in ${lang}`, async () => {
      await h.login(AGENT.username, AGENT.password);
      await page.goto(`${h.baseUrl}/#/households/new`);
      await page.getByTestId('new-household-page').waitFor();
      const commune = page.getByTestId('hh-commune-commune');
      await commune.locator(`option[value="${COMMUNE}"]`).waitFor({ state: 'attached' });
      await commune.selectOption(COMMUNE);
      await page.getByTestId('field-hh-rooms').fill('99');
      await page.getByTestId('field-hh-address').fill('x'.repeat(301));
      await page.locator('details.person-form__more summary').first().click();
      await page.getByTestId('field-hh-land_hectares').fill('beaucoup');
      for (const [name, value] of Object.entries({ given_name_ar: 'سعيد', family_name_ar: 'الإدريسي', sex: 'M', birth_date: '1980-05-04', national_id: NATIONAL_IDS[lang] })) {
        const input = page.getByTestId(`field-m0-${name}`);
        if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
        else await input.fill(value);
      }
      await page.getByTestId('submit-household').click();
      for (const field of ['rooms', 'address', 'land_hectares']) {
        const err = page.getByTestId(`error-hh-${field}`);
        await err.waitFor({ state: 'visible' });
        assertInLanguage(await err.textContent(), lang, `the ${field} error`);
      }
      assertInLanguage(await page.getByTestId('form-error').textContent(), lang, 'the form notice');
      await assertNoticesInLanguage(page, lang, 'the new-household form');
      await h.screenshot(`household-form-errors-${lang}`);
    });

    await h.step(`${lang}: corrected, the household is filed`, async () => {
      await page.getByTestId('field-hh-rooms').fill('3');
      await page.getByTestId('field-hh-address').fill('12 Derb Lamtiyine');
      await page.getByTestId('field-hh-land_hectares').fill('');
      await page.getByTestId('submit-household').click();
      const filed = page.getByTestId('filed-request');
      await filed.waitFor({ state: 'visible' });
      requestId = await filed.getAttribute('data-id');
      await h.logout();
    });

    await h.step(`${lang}: approved, then edited and approved again (through the API)`, async () => {
      const coord = await apiAs(COORDINATOR);
      const agent = await apiAs(AGENT);
      await coord('POST', `/change-requests/${requestId}/approve`, {});
      const found = await coord('GET', `/persons?national_id=${NATIONAL_IDS[lang]}`);
      const householdId = found.items[0].household_id;
      const edit = await agent('POST', '/change-requests', {
        kind: 'update_household',
        payload: { household_id: householdId, changes: { rooms: 4, dwelling_type: 'traditional_house' } },
      });
      await coord('POST', `/change-requests/${edit.id}/approve`, {});
    });

    await h.step(`${lang}: a search finds the household; its history shows rooms 3 → 4 in ${lang}`, async () => {
      await h.login(COORDINATOR.username, COORDINATOR.password);
      await page.getByTestId('nav-registry').click();
      await page.getByTestId('search-input').fill(NATIONAL_IDS[lang]);
      await page.getByTestId('search-submit').click();
      const row = page.getByTestId('person-row').filter({ hasText: NATIONAL_IDS[lang] });
      await row.waitFor();
      await assertNoticesInLanguage(page, lang, 'the search page');
      // A column sorts the whole result on the server (the request carries the sort), not the page.
      const sorted = page.waitForResponse((r) => r.url().includes('/api/v1/persons?') && r.url().includes('sort=-birth_date'));
      await page.getByTestId('sort-birth_date').click();
      await page.waitForFunction(() => location.hash.includes('sort=birth_date'));
      await page.getByTestId('sort-birth_date').click();
      assert.equal((await sorted).status(), 200);
      await row.waitFor();
      await row.getByTestId('household-link').click();
      await page.getByTestId('household-title').waitFor();
      const rooms = page.locator('[data-testid="history-change"][data-field="rooms"]').filter({ hasText: '4' }).first();
      await rooms.waitFor();
      const cells = await rooms.locator('th, td').allTextContents();
      assert.equal(cells[1].trim(), '3', `the value before: ${JSON.stringify(cells)}`);
      assert.equal(cells[3].trim(), '4', `the value after: ${JSON.stringify(cells)}`);
      assertInLanguage(cells[0], lang, 'the field name in the history');
      const dwelling = page.locator('[data-testid="history-change"][data-field="dwelling_type"]').first();
      assertInLanguage(await dwelling.locator('td').last().textContent(), lang, 'a vocabulary value in the history');
      // Every label of the history (kinds, field names) is in the page's language, and no stored
      // English sentence (a change request's summary) is shown there.
      const labels = await page.locator('[data-testid="history"] .badge, [data-testid="history-change"] th').allTextContents();
      assert.ok(labels.length > 4, `history labels: ${JSON.stringify(labels)}`);
      for (const label of labels) assertInLanguage(label, lang, 'a history label');
      const history = (await page.getByTestId('history').textContent()) ?? '';
      assert.doesNotMatch(history, /\b(Update|New household|member\(s\)|head)\b/, `English in the history: ${history}`);
      await assertNoticesInLanguage(page, lang, 'the household page');
      await h.screenshot(`household-history-${lang}`);
      await h.logout();
    });
  });
}
