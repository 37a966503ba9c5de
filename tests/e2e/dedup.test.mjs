// Browser end-to-end test of registry deduplication. A small demo registry with duplicate registrations; a reviewer starts a
// deduplication job from the Duplicates page and watches its progress, compares a proposed pair side by
// side with the field-by-field weights, confirms it (a merge_persons request is filed); a second user
// approves the merge in the change-request inbox; the duplicate then shows as merged on its household
// page. The Arabic and French pages are screenshotted. Run with `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('dedup');
const REVIEWER = { username: 'e2e_reviewer', password: 'e2e-Review-Pass-1234' };
const APPROVER = { username: 'e2e_approver', password: 'e2e-Approve-Pass-1234' };

before(async () => {
  await h.init();
  // 400 households of Fès-Meknès, 10 % of them registered twice with realistic errors.
  h.sanad(['demo', '--db', h.dbUrl, '--households', '400', '--region', 'MA-03', '--duplicates', '0.1', '--seed', '3']);
  h.addUser(REVIEWER.username, REVIEWER.password, 'regional_coordinator', 'MA-03');
  h.addUser(APPROVER.username, APPROVER.password, 'regional_coordinator', 'MA-03');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

async function setLang(page, lang) {
  await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
  await page.reload();
  await page.getByTestId('duplicates-page').waitFor();
}

test('dedup: job → review queue → confirm → merge approved by another user → one person', { timeout: 90_000 }, async () => {
  const page = h.page;
  let pair;
  let requestId;

  await h.step('the reviewer starts a job and sees it finish', async () => {
    await h.login(REVIEWER.username, REVIEWER.password);
    await page.getByTestId('nav-duplicates').click();
    await page.getByTestId('duplicates-page').waitFor();
    await page.getByTestId('queue-empty').waitFor();
    await page.getByTestId('job-start').click();
    await page.locator('[data-testid="job-panel"][data-status="running"], [data-testid="job-panel"][data-status="done"]').first().waitFor();
    await page.locator('[data-testid="job-panel"][data-status="done"]').waitFor({ timeout: 30_000 });
    assert.ok(Number((await page.getByTestId('job-proposed').textContent())?.replace(/\D/g, '')) > 0, 'the job should propose pairs');
    await page.getByTestId('pair').first().waitFor();
  });

  await h.step('the queue sorts by score over the whole queue: least likely first, then the other way', async () => {
    const weights = () => page.$$eval('[data-testid="pair"]', (cards) => cards.map((c) => Number(c.dataset.weight)));
    const sorted = (ws, dir) => ws.length > 1 && ws.every((w, i) => i === 0 || dir * (w - ws[i - 1]) >= 0);
    assert.ok(sorted(await weights(), -1), 'the likeliest pairs come first at first');
    const first = (await weights())[0];
    await page.getByTestId('sort-score').click();
    await page.waitForFunction(() => location.hash.includes('sort=score'));
    await page.waitForFunction((w) => Number(document.querySelector('[data-testid="pair"]')?.dataset.weight) < w, first);
    assert.ok(sorted(await weights(), 1), 'ascending by score');
    assert.equal(await page.getByTestId('sort-score').getAttribute('aria-pressed'), 'true');
    await page.getByTestId('sort-score').click();
    await page.waitForFunction(() => location.hash.includes('sort=-score'));
    await page.waitForFunction((w) => Number(document.querySelector('[data-testid="pair"]')?.dataset.weight) === w, first);
    assert.ok(sorted(await weights(), -1), 'descending by score');
  });

  await h.step('a proposed pair shows both records and the weight of each field', async () => {
    // A pair with at most one head of household: the head is kept, so both households stay valid.
    pair = page.locator('[data-testid="pair"][data-status="pending"]:not([data-heads="2"])').first();
    await pair.waitFor();
    assert.ok((await pair.getByTestId('explain-row').count()) >= 5, 'the explanation should list the compared fields');
    const rows = await pair.getByTestId('pair-records').locator('tbody tr').count();
    assert.ok(rows >= 12, `the records should be side by side field by field (${rows} rows)`);
    assert.ok((await pair.locator('.weight--pos').count()) > 0, 'agreeing fields should be coloured as positive');
    await h.screenshot('dedup-queue-ar');
    await setLang(page, 'fr');
    await h.screenshot('dedup-queue-fr');
    await setLang(page, 'ar');
  });

  const ids = {};
  await h.step('confirm the pair: a merge request is filed', async () => {
    pair = page.locator('[data-testid="pair"][data-status="pending"]:not([data-heads="2"])').first();
    ids.candidate = await pair.getAttribute('data-id');
    const card = page.locator(`[data-testid="pair"][data-id="${ids.candidate}"]`);
    ids.a = await card.getAttribute('data-a');
    ids.b = await card.getAttribute('data-b');
    const keepA = await card.getByTestId('keep-a').isChecked();
    ids.keep = keepA ? ids.a : ids.b;
    ids.dup = keepA ? ids.b : ids.a;
    ids.dupHousehold = (await card.getByTestId(keepA ? 'household-link-b' : 'household-link-a').getAttribute('href')).replace(/^#\/households\//, '');
    await card.getByTestId('pair-comment').fill('نفس الشخص');
    await card.getByTestId('pair-confirm').click();
    await card.getByTestId('pair-decided').waitFor();
    const link = card.getByTestId('merge-request-link');
    requestId = new URL((await link.getAttribute('href')).replace(/^#/, 'http://x'), 'http://x').searchParams.get('id');
    assert.match(requestId ?? '', /^\d+$/);
    assert.ok(((await card.getByTestId('pair-decided').textContent()) ?? '').includes(requestId), 'the notice should name the request');
    await h.screenshot('dedup-confirmed-ar');
    await h.logout();
  });

  await h.step('another user approves the merge in the inbox', async () => {
    await h.login(APPROVER.username, APPROVER.password);
    await page.goto(`${h.baseUrl}/#/change-requests?status=pending&id=${requestId}`);
    await page.locator(`[data-testid="cr-detail"][data-id="${requestId}"]`).waitFor();
    await page.getByTestId('review-comment').fill('موافق');
    await page.getByTestId('approve').click();
    await page.locator('[data-testid="cr-detail"][data-status="applied"]').waitFor();
  });

  await h.step("the duplicate's record shows it was merged", async () => {
    await page.goto(`${h.baseUrl}/#/households/${ids.dupHousehold}`);
    const row = page.locator(`[data-testid="member-row"][data-id="${ids.dup}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('class'), 'row--inactive');
    assert.ok(((await row.textContent()) ?? '').includes('مدمج'), 'the member should be shown as merged');
    const person = await page.evaluate(async (id) => (await fetch(`/api/v1/persons/${id}`)).json(), ids.dup);
    assert.equal(person.status, 'merged');
    assert.equal(String(person.merged_into), ids.keep);
    await h.screenshot('dedup-merged-household-ar');
  });

  await h.step('the confirmed pair left the queue; the cross-programme tab answers', async () => {
    await page.goto(`${h.baseUrl}/#/duplicates?status=confirmed`);
    await page.locator(`[data-testid="pair"][data-id="${ids.candidate}"][data-status="confirmed"]`).waitFor();
    await page.goto(`${h.baseUrl}/#/duplicates?tab=cross`);
    await page.getByTestId('cross-tab').waitFor();
    await page.locator('[data-testid="cross-empty"], [data-testid="cross-table"]').first().waitFor();
    await h.screenshot('dedup-cross-ar');
  });
  assert.deepEqual(h.pageErrors, [], 'no script errors on the page');
});
