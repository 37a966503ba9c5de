// Browser end-to-end test of what authors and reviewers see of change requests, in Arabic then French:
// an agent files households and follows them under "My requests", withdraws one; a coordinator rejects
// one with a comment and, for a national ID already held by another person, decides "not the same
// person" with a comment; the agent sees the warning when filing, the notices with the unread count in
// the header, and the reviewer's comment. Run with `node --test tests/e2e/`. Fixture: harness.mjs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('authors');
const AGENT = { username: 'e2e_author', password: 'e2e-Author-Pass-1234' };
const COORDINATOR = { username: 'e2e_reviewer', password: 'e2e-Review-Pass-1234' };
const COMMUNE = 'MA-03.231.01.0';
const NATIONAL_ID = 'CD765432';
const REJECT_COMMENT = 'العنوان ناقص، يرجى إكماله';

before(async () => {
  await h.init();
  h.addUser(AGENT.username, AGENT.password, 'data_entry', 'MA-03.231');
  h.addUser(COORDINATOR.username, COORDINATOR.password, 'regional_coordinator', 'MA-03');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

/** Files a one-person household through the new-household form; returns the request id. */
async function fileHousehold(page, givenName, nationalId) {
  // Through another page: the form stays on its "filed" view while its route does not change.
  await page.goto(`${h.baseUrl}/#/my-requests`);
  await page.getByTestId('my-requests-page').waitFor();
  await page.goto(`${h.baseUrl}/#/households/new`);
  await page.getByTestId('new-household-page').waitFor();
  const commune = page.getByTestId('hh-commune-commune');
  await commune.locator(`option[value="${COMMUNE}"]`).waitFor({ state: 'attached' });
  await commune.selectOption(COMMUNE);
  await page.getByTestId('field-m0-given_name_ar').fill(givenName);
  await page.getByTestId('field-m0-family_name_ar').fill('العلوي');
  await page.getByTestId('field-m0-sex').selectOption('F');
  await page.getByTestId('field-m0-birth_date').fill('1980-05-06');
  if (nationalId) await page.getByTestId('field-m0-national_id').fill(nationalId);
  await page.getByTestId('submit-household').click();
  const filed = page.getByTestId('filed-request');
  await filed.waitFor({ state: 'visible' });
  const id = await filed.getAttribute('data-id');
  assert.match(id ?? '', /^\d+$/);
  return id;
}

const row = (page, id) => page.locator(`[data-testid="my-row"][data-id="${id}"]`);

test('authors: my requests, withdrawal, notices, and the national-ID decision', { timeout: 180_000 }, async () => {
  const page = h.page;
  const ids = {};

  await h.step('the agent files three households (Arabic)', async () => {
    await h.login(AGENT.username, AGENT.password);
    ids.withId = await fileHousehold(page, 'خديجة', NATIONAL_ID);
    ids.rejected = await fileHousehold(page, 'زينب', null);
    ids.withdrawn = await fileHousehold(page, 'مريم', null);
  });

  await h.step('"My requests" lists them as pending, and one is withdrawn', async () => {
    await page.getByTestId('nav-my_requests').click();
    await page.getByTestId('my-requests-page').waitFor();
    for (const id of Object.values(ids)) await row(page, id).waitFor();
    assert.equal(await page.getByTestId('my-row').count(), 3);
    for (const id of Object.values(ids)) assert.equal(await row(page, id).getAttribute('data-status'), 'pending');
    await row(page, ids.withdrawn).getByTestId('withdraw').click();
    await row(page, ids.withdrawn).getByTestId('withdraw-reason').fill('مكرر');
    await h.screenshot('my-requests-withdraw-confirm-ar');
    await row(page, ids.withdrawn).getByTestId('withdraw-confirm-button').click();
    await page.locator(`[data-testid="my-row"][data-id="${ids.withdrawn}"][data-status="withdrawn"]`).waitFor();
    await page.getByTestId('withdrawn-notice').waitFor();
    assert.equal(await row(page, ids.withdrawn).getByTestId('withdraw').count(), 0, 'no withdraw button once withdrawn');
    await h.screenshot('my-requests-ar');
    await h.logout();
  });

  await h.step('the coordinator approves one and rejects another with a comment', async () => {
    await h.login(COORDINATOR.username, COORDINATOR.password);
    await page.goto(`${h.baseUrl}/#/change-requests?id=${ids.withId}`);
    await page.getByTestId('review-form').waitFor();
    await page.getByTestId('approve').click();
    await page.locator('[data-testid="cr-detail"][data-status="applied"]').waitFor();
    await page.goto(`${h.baseUrl}/#/change-requests?id=${ids.rejected}`);
    await page.getByTestId('review-form').waitFor();
    await page.getByTestId('review-comment').fill(REJECT_COMMENT);
    await page.getByTestId('reject').click();
    await page.locator('[data-testid="cr-detail"][data-status="rejected"]').waitFor();
    const comment = (await page.getByTestId('decision-comment').textContent()) ?? '';
    assert.ok(comment.includes(REJECT_COMMENT), `the decision shows the comment: ${comment}`);
    await page.getByTestId('decision-by').waitFor();
    await h.screenshot('rejected-decision-ar');
    // The withdrawn request is no longer in the coordinator's pending inbox.
    await page.goto(`${h.baseUrl}/#/change-requests?status=pending`);
    await page.locator('[data-testid="inbox-empty"], [data-testid="inbox-table"]').first().waitFor();
    assert.equal(await page.locator(`[data-testid="inbox-row"][data-id="${ids.withdrawn}"]`).count(), 0);
    await h.logout();
  });

  await h.step('filing a national ID already held, the agent sees the warning', async () => {
    await h.login(AGENT.username, AGENT.password);
    ids.duplicateId = await fileHousehold(page, 'خديجة', NATIONAL_ID);
    const warning = page.locator('[data-testid="cr-warnings"] [data-reason="person.national_id_in_use"]');
    await warning.waitFor();
    await h.screenshot('filed-with-national-id-warning-ar');
    await h.logout();
  });

  await h.step('the coordinator sees the other holder and decides "not the same person" (French)', async () => {
    await page.getByTestId('lang-fr').click();
    await h.login(COORDINATOR.username, COORDINATOR.password);
    await page.goto(`${h.baseUrl}/#/change-requests?id=${ids.duplicateId}`);
    await page.getByTestId('nid-decision').waitFor();
    await page.getByTestId('nid-other-link').waitFor();
    assert.equal(await page.getByTestId('approve').isDisabled(), true, 'approve waits for the decision');
    await page.getByTestId('nid-not-same').check();
    assert.equal(await page.getByTestId('approve').isDisabled(), false);
    await page.getByTestId('approve').click();
    await page.getByTestId('review-problem-comment').waitFor();
    await page.getByTestId('review-comment').fill('Homonyme : date de naissance et père différents');
    await h.screenshot('national-id-decision-fr');
    await page.getByTestId('approve').click();
    await page.locator('[data-testid="cr-detail"][data-status="applied"]').waitFor();
    await h.logout();
  });

  await h.step('the agent sees the notices with their unread count and the comment (French)', async () => {
    await h.login(AGENT.username, AGENT.password);
    const count = page.getByTestId('notifications-unread');
    await count.waitFor();
    assert.equal((await count.textContent())?.trim(), '3');
    await page.getByTestId('notifications-button').click();
    await page.getByTestId('notifications-panel').waitFor();
    const rejected = page.locator('[data-testid="notification"][data-code="notification.change_request_rejected"]');
    await rejected.waitFor();
    const text = (await rejected.textContent()) ?? '';
    assert.ok(text.includes('rejetée') && text.includes(`${ids.rejected}`), `the notice is in French: ${text}`);
    assert.ok(text.includes(REJECT_COMMENT), `the notice carries the reviewer's comment: ${text}`);
    await h.screenshot('notifications-fr');
    await rejected.locator('a').click();
    await page.locator(`[data-testid="cr-detail"][data-id="${ids.rejected}"]`).waitFor();
    await page.getByTestId('decision-comment').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="notifications-unread"]')?.textContent?.trim() === '2');
  });

  await h.step('"My requests" in French shows every outcome', async () => {
    await page.getByTestId('nav-my_requests').click();
    await row(page, ids.rejected).waitFor();
    assert.equal(await row(page, ids.rejected).getAttribute('data-status'), 'rejected');
    assert.equal(await row(page, ids.withId).getAttribute('data-status'), 'applied');
    assert.equal(await row(page, ids.withdrawn).getAttribute('data-status'), 'withdrawn');
    const comment = (await row(page, ids.rejected).getByTestId('decision-comment').textContent()) ?? '';
    assert.ok(comment.includes(REJECT_COMMENT));
    await h.screenshot('my-requests-fr');
  });

  await h.step('no page errors and nothing loaded from outside the server', async () => {
    assert.deepEqual(h.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(h.foreignRequests, [], 'the page requested resources outside the server');
  });
});
