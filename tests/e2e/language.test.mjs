// Browser end-to-end test: every word in the page's language. An administrator and an auditor work
// in Arabic and in French: bad account forms, a wrong password, the audit log and its verification,
// the commune picker's name search. Every text the server sends back is shown in the page's language
// (no English or other-language sentence), attached to its field where the form has one; the pages
// are screenshotted in both languages. Run with `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('language');
const ADMIN = { username: 'e2e_admin', password: 'e2e-Admin-Pass-1234' };
const AUDITOR = { username: 'e2e_auditor', password: 'e2e-Audit-Pass-1234' };

before(async () => {
  await h.init();
  h.addUser(ADMIN.username, ADMIN.password, 'admin');
  h.addUser(AUDITOR.username, AUDITOR.password, 'auditor');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

const ARABIC = /[\u0600-\u06ff]/;
// Three Latin words in a row: an English or French sentence, not a code or a name.
const LATIN_SENTENCE = /[A-Za-zÀ-ÿ]{2,}[\s,;:'’]+[A-Za-zÀ-ÿ]{2,}[\s,;:'’]+[A-Za-zÀ-ÿ]{2,}/;
const ENGLISH = /\b(the|is|are|must|not|required|unknown|field|request|password|invalid|wrong|please|this)\b/i;

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

async function setLang(page, lang, testid) {
  await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
  await page.reload();
  await page.getByTestId(testid).waitFor();
}

for (const lang of ['ar', 'fr']) {
  test(`language (${lang}): account forms, password change, audit log and area search speak ${lang}`, { timeout: 120_000 }, async () => {
    const page = h.page;

    await h.step(`${lang}: sign in as administrator and open the accounts page`, async () => {
      await h.context.clearCookies(); // a fresh session whatever the previous language's run left
      await h.login(ADMIN.username, ADMIN.password);
      await page.goto(`${h.baseUrl}/#/admin/users`);
      await setLang(page, lang, 'accounts-page');
      await page.getByTestId('account-row').first().waitFor();
    });

    await h.step(`${lang}: an empty account form names the missing field in ${lang}`, async () => {
      await page.getByTestId('account-submit').click();
      const notice = page.getByTestId('account-create').getByTestId('error-notice');
      await notice.waitFor();
      assertInLanguage(await notice.locator('.notice__text').textContent(), lang, 'the empty-form error');
      const inline = page.getByTestId('field-error-username');
      await inline.waitFor();
      assertInLanguage(await inline.textContent(), lang, 'the username field error');
    });

    await h.step(`${lang}: a short password is refused in ${lang}, under the password field`, async () => {
      await page.getByTestId('account-username').fill(`clerk_${lang}`);
      await page.getByTestId('account-password').fill('short');
      await page.getByTestId('account-role-social_worker').check();
      await page.getByTestId('account-submit').click();
      const inline = page.getByTestId('field-error-password');
      await inline.waitFor();
      const text = await inline.textContent();
      assertInLanguage(text, lang, 'the short-password error');
      assert.match(text, /12/, `the minimum length is not in the message: «${text}»`);
      await h.screenshot(`accounts-error-${lang}`);
    });

    await h.step(`${lang}: the commune picker finds Fès typed without its accent, and in Arabic`, async () => {
      for (const typed of ['fes', 'فاس']) {
        await page.getByTestId('account-area-search').fill(typed);
        const found = page.getByTestId('account-area-found').locator('button');
        await found.first().waitFor();
        assert.ok((await found.count()) >= 2, `"${typed}" found fewer than two communes`);
      }
      const fes = page.getByTestId('account-area-found').locator('button[data-code^="MA-03"]').first();
      const code = await fes.getAttribute('data-code');
      await fes.click();
      await page.waitForFunction((c) => document.querySelector('[data-testid="account-area-commune"]')?.value === c, code);
    });

    await h.step(`${lang}: a created account is listed; the administrator cannot disable their own`, async () => {
      await page.getByTestId('account-password').fill(`Tawil-Kalimat-Sirr-${lang}-2026`);
      await page.getByTestId('account-submit').click();
      await page.locator(`[data-testid="account-row"][data-username="clerk_${lang}"]`).waitFor();
      const own = page.locator(`[data-testid="account-row"][data-username="${ADMIN.username}"]`);
      await own.getByTestId('account-toggle').click();
      const notice = own.getByTestId('error-notice');
      await notice.waitFor();
      assertInLanguage(await notice.locator('.notice__text').textContent(), lang, 'the self-disable refusal');
    });

    await h.step(`${lang}: a click on a column header sorts the accounts, Enter on it reverses them`, async () => {
      const names = () => page.$$eval('[data-testid="account-row"]', (rows) => rows.map((r) => r.dataset.username));
      const shown = await names();
      assert.deepEqual(shown, [...shown].sort(), 'the accounts are listed by username at first');
      const header = page.getByTestId('sort-created_at');
      assertInLanguage(await header.textContent(), lang, 'the creation-date column header');
      await header.click();
      // The oldest account first: the administrator, then the auditor, then the clerk created above.
      await page.waitForFunction(() => location.hash.includes('sort=created_at'));
      await page.waitForFunction(
        (u) => document.querySelector('[data-testid="account-row"]')?.getAttribute('data-username') === u,
        ADMIN.username,
      );
      const oldest = await names();
      assert.notDeepEqual(oldest, shown, 'the order did not change');
      assert.equal(oldest.at(-1), `clerk_${lang}`);
      assert.equal(await page.locator('th', { has: header }).getAttribute('aria-sort'), 'ascending');
      await h.screenshot(`accounts-sorted-${lang}`);
      // The header is a button: reached with the keyboard, Enter reverses the order.
      await header.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash.includes('sort=-created_at'));
      await page.waitForFunction(
        (u) => document.querySelector('[data-testid="account-row"]')?.getAttribute('data-username') === u,
        `clerk_${lang}`,
      );
      assert.deepEqual(await names(), [...oldest].reverse());
      assert.equal(await page.locator('th', { has: header }).getAttribute('aria-sort'), 'descending');
    });

    await h.step(`${lang}: a wrong current password is refused in ${lang}`, async () => {
      await page.goto(`${h.baseUrl}/#/password`);
      await page.getByTestId('password-form').waitFor();
      await page.getByTestId('password-current').fill('not-my-password-at-all');
      await page.getByTestId('password-new').fill('Une-Nouvelle-Phrase-Secrete-99');
      await page.getByTestId('password-again').fill('Une-Nouvelle-Phrase-Secrete-99');
      await page.getByTestId('password-submit').click();
      const inline = page.getByTestId('field-error-current_password');
      await inline.waitFor();
      assertInLanguage(await inline.textContent(), lang, 'the wrong-password error');
      await h.logout();
    });

    await h.step(`${lang}: the auditor filters the log, verifies it, and a bad date is explained in ${lang}`, async () => {
      await h.login(AUDITOR.username, AUDITOR.password);
      await page.goto(`${h.baseUrl}/#/audit`);
      await page.getByTestId('audit-page').waitFor();
      await page.getByTestId('audit-verify').click();
      const report = page.getByTestId('audit-verify-report');
      await report.waitFor();
      assert.equal(await report.getAttribute('data-ok'), 'true');
      assertInLanguage(await report.textContent(), lang, 'the verification report');
      // A job, polled to its end: the progress is gone and the check can be run again.
      assert.equal(await page.getByTestId('audit-verify-progress').count(), 0);
      assert.equal(await page.getByTestId('audit-verify').isEnabled(), true);
      await page.getByTestId('audit-action').fill('login');
      await page.getByTestId('audit-filter').click();
      await page.waitForFunction(() => {
        const cells = [...document.querySelectorAll('[data-testid="audit-row"] td:nth-child(3)')];
        return location.hash.includes('action=login') && cells.length > 0 && cells.every((c) => c.textContent.trim() === 'login');
      });
      // 31/02/2026 is not a day: the field says so in the page's language.
      await page.getByTestId('audit-from').fill('31/02/2026');
      await page.getByTestId('audit-from').blur();
      const bad = page.getByTestId('audit-from-error');
      await bad.waitFor();
      assertInLanguage(await bad.textContent(), lang, 'the bad-date message');
      // Typed as people write it, sent as ISO.
      await page.getByTestId('audit-from').fill('01/01/2020');
      await page.getByTestId('audit-filter').click();
      await page.waitForFunction(() => location.hash.includes('from=2020-01-01'));
      // Sorted by user over the whole log: a click on the column header, then one more the other way.
      await page.getByTestId('audit-action').fill('');
      await page.getByTestId('audit-filter').click();
      // The sort below starts from the route: wait until the cleared filter has reached it.
      await page.waitForFunction(() => location.hash.includes('from=2020-01-01') && !location.hash.includes('action='));
      const users = () => page.$$eval('[data-testid="audit-row"] td:nth-child(2)', (cells) => cells.map((c) => c.textContent.trim()));
      await page.getByTestId('sort-username').click();
      await page.waitForFunction(() => location.hash.includes('sort=username') && !location.hash.includes('action='));
      await page.waitForFunction(() => {
        // Entries without a user (shown as a dash) come first; the names after them in order.
        const cells = [...document.querySelectorAll('[data-testid="audit-row"] td:nth-child(2)')].map((c) => c.textContent.trim()).filter((c) => /^[\w.]+$/.test(c));
        return cells.length > 1 && cells.every((c, i) => i === 0 || cells[i - 1] <= c);
      });
      await page.getByTestId('sort-username').click();
      await page.waitForFunction(() => location.hash.includes('sort=-username'));
      await page.waitForFunction(() => {
        const cells = [...document.querySelectorAll('[data-testid="audit-row"] td:nth-child(2)')].map((c) => c.textContent.trim()).filter((c) => /^[\w.]+$/.test(c));
        return cells.length > 1 && cells.every((c, i) => i === 0 || cells[i - 1] >= c);
      });
      const descending = await users();
      assert.equal(descending[0], 'e2e_auditor');
      await h.screenshot(`audit-${lang}`);
      await h.logout();
    });
  });
}
