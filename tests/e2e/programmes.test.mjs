// Browser end-to-end test of the programmes' editor, in Arabic then French: a national analyst opens the
// programmes, types an ASD condition with an error and sees its position (line and column, and a marker
// under the column), fixes it and the error clears; saves a new amount (version 1); a save with a broken
// rule shows the server's problem under that rule; a copy of AFS under a new code is created. Screenshots
// of the list and the editor in both languages are kept. Run with `node --test tests/e2e/`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Harness } from './harness.mjs';

const h = new Harness('programmes');
const ANALYST = { username: 'e2e_analyst', password: 'e2e-Analyst-Pass-1234' };
const BROKEN = '!receives_family_allowance &&\n  socio_economic_index <= ';

before(async () => {
  await h.init();
  h.addUser(ANALYST.username, ANALYST.password, 'national_analyst');
  await h.startServer();
  await h.startBrowser();
});

after(async () => {
  await h.close();
});

async function openEditor(page, code) {
  await page.goto(`${h.baseUrl}/#/programmes/${code}`);
  await page.reload(); // the language is read at load
  await page.getByTestId('programme-editor').waitFor();
  await page.getByTestId('rule-cond-1').waitFor();
}

test('programmes: a rule error shows its position and clears when fixed; saving works (ar, fr)', { timeout: 180_000 }, async () => {
  const page = h.page;

  await h.step('ar: the analyst sees the programmes', async () => {
    await page.goto(`${h.baseUrl}/#/`);
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'ar'));
    await h.login(ANALYST.username, ANALYST.password);
    await page.goto(`${h.baseUrl}/#/programmes`);
    await page.getByTestId('programmes-table').waitFor();
    for (const code of ['ASD', 'AMO_TADAMON', 'AMO_ACHAMIL', 'AFS']) await page.getByTestId(`programme-row-${code}`).waitFor();
    const row = (await page.getByTestId('programme-row-ASD').textContent()) ?? '';
    assert.match(row, /الدعم الاجتماعي المباشر/, row);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await h.screenshot('programmes-ar-list');
  });

  await h.step('ar: a condition typed with an error shows its line, column and marker', async () => {
    await page.getByTestId('programme-link-ASD').click();
    await page.getByTestId('rule-cond-1').waitFor();
    await page.getByTestId('rule-cond-1').fill(BROKEN);
    const error = page.getByTestId('rule-error-cond-1');
    await error.waitFor();
    assert.equal((await page.getByTestId('rule-pos-cond-1').textContent()) ?? '', '2:27');
    // The numbers are isolated (U+2068 … U+2069) inside the Arabic sentence.
    assert.match((await error.textContent()) ?? '', /السطر \u20682\u2069، العمود \u206827\u2069/);
    const marker = (await page.getByTestId('rule-marker-cond-1').textContent()) ?? '';
    const [line, caret] = marker.split('\n');
    assert.equal(line, '  socio_economic_index <= ');
    assert.equal(caret, `${' '.repeat(26)}^`);
    await h.screenshot('programmes-ar-editor-error');
  });

  await h.step('ar: fixing the rule clears the error', async () => {
    await page.getByTestId('rule-cond-1').fill('!receives_family_allowance');
    await page.getByTestId('rule-ok-cond-1').waitFor();
    assert.equal(await page.getByTestId('rule-error-cond-1').count(), 0);
  });

  await h.step('ar: saving a new flat amount makes version 1', async () => {
    const flat = page.locator('[data-testid="prog-set"]').last().locator('[data-testid$="-param-asd.flat"]');
    await flat.fill('550');
    await page.getByTestId('programme-save').click();
    await page.getByTestId('programme-saved').waitFor();
    const version = (await page.getByTestId('programme-version').textContent()) ?? '';
    assert.match(version, /1/, version);
    assert.match(version, /e2e_analyst/, version);
  });

  await h.step('fr: a save with a broken rule shows the server problem under the rule', async () => {
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await openEditor(page, 'ASD');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await page.getByTestId('rule-line-0').fill('members.count(c,\n  c.age < 21)');
    await page.getByTestId('rule-error-line-0').waitFor();
    assert.equal((await page.getByTestId('rule-pos-line-0').textContent()) ?? '', '2:3');
    assert.match((await page.getByTestId('rule-error-line-0').textContent()) ?? '', /Ligne 2, colonne 3/);
    await h.screenshot('programmes-fr-editor-error');
    await page.getByTestId('programme-save').click();
    const underRule = page.locator('[data-testid="field-error-lines[0].rule"]');
    await underRule.waitFor();
    assert.match((await underRule.textContent()) ?? '', /Ligne 2, colonne 3/);
    await page.getByTestId('error-notice').waitFor();
    // Nothing was saved: still version 1.
    const version = (await page.getByTestId('programme-version').textContent()) ?? '';
    assert.match(version, /Version 1/, version);
  });

  await h.step('fr: a copy of AFS under a new code is created', async () => {
    await page.goto(`${h.baseUrl}/#/programmes`);
    await page.getByTestId('programme-new-from').selectOption('AFS');
    await page.getByTestId('programme-new-start').click();
    await page.getByTestId('prog-code').waitFor();
    await page.getByTestId('rule-cond-1').waitFor();
    await page.getByTestId('prog-code').fill('AFS_PILOT');
    await page.getByTestId('prog-name_fr').fill('AFS — pilote');
    await page.getByTestId('programme-save').click();
    await page.waitForFunction(() => window.location.hash === '#/programmes/AFS_PILOT');
    await page.waitForFunction(() => /Version 1/.test(document.querySelector('[data-testid="programme-version"]')?.textContent ?? ''));
    await page.goto(`${h.baseUrl}/#/programmes`);
    await page.getByTestId('programme-row-AFS_PILOT').waitFor();
    await h.screenshot('programmes-fr-list');
  });

  await h.step('fr: a copy is not offered to citizens until the analyst decides it', async () => {
    // The copy of a public template is not public; the citizens' list (no account) does not have it.
    assert.equal(await page.getByTestId('programme-public-AFS_PILOT').textContent(), 'Non');
    assert.equal(await page.getByTestId('programme-public-AFS').textContent(), 'Oui');
    const publicCodes = async () => (await (await fetch(`${h.baseUrl}/api/v1/programs`)).json()).items.map((p) => p.code);
    assert.ok(!(await publicCodes()).includes('AFS_PILOT'), 'offered before it was decided');
    await page.getByTestId('programme-link-AFS_PILOT').click();
    const offered = page.getByTestId('prog-public');
    await offered.waitFor();
    assert.equal(await offered.isChecked(), false);
    await offered.check();
    await page.getByTestId('programme-save').click();
    await page.waitForFunction(() => /Version 2/.test(document.querySelector('[data-testid="programme-version"]')?.textContent ?? ''));
    assert.ok((await publicCodes()).includes('AFS_PILOT'), 'not offered once decided');
  });

  await h.step('fr, ar: a budget with cents is listed with its cents', async () => {
    await page.goto(`${h.baseUrl}/#/programmes`);
    await page.getByTestId('programme-new-from').selectOption('AFS');
    await page.getByTestId('programme-new-start').click();
    await page.getByTestId('rule-cond-1').waitFor();
    await page.getByTestId('prog-code').fill('AFS_CENTS');
    await page.getByTestId('prog-budget').fill('1234567,5');
    await page.getByTestId('programme-save').click();
    await page.waitForFunction(() => window.location.hash === '#/programmes/AFS_CENTS');
    for (const [lang, shown] of [['fr', /1\s234\s567,50/], ['ar', /1\.234\.567,50/]]) {
      await page.evaluate((l) => window.localStorage.setItem('sanad.lang', l), lang);
      await page.goto(`${h.baseUrl}/#/programmes`);
      await page.reload();
      const cell = page.getByTestId('programme-row-AFS_CENTS').locator('td.num');
      await cell.waitFor();
      assert.match((await cell.textContent()) ?? '', shown, `${lang}: ${await cell.textContent()}`);
    }
    await page.evaluate(() => window.localStorage.setItem('sanad.lang', 'fr'));
    await page.reload();
  });

  await h.step("fr: a copy's source answered late does not replace the source asked after it", async () => {
    // ASD, the first source asked, is held back while the URL moves to a copy of AFS; when it came last,
    // the form held ASD's definition under ?from=AFS.
    const late = '**/api/v1/programs/ASD';
    await page.route(late, async (r) => {
      await new Promise((done) => setTimeout(done, 1500));
      await r.continue().catch(() => {}); // the page may have aborted it meanwhile
    });
    const afs = await page.evaluate(async () => (await (await fetch('/api/v1/programs/AFS')).json()).name_fr);
    const held = page.waitForRequest((r) => r.url().endsWith('/api/v1/programs/ASD'));
    await page.goto(`${h.baseUrl}/#/programmes/new?from=ASD`);
    await held;
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/programs/AFS'));
    await page.goto(`${h.baseUrl}/#/programmes/new?from=AFS`);
    await answered;
    await page.getByTestId('prog-name_fr').waitFor();
    await page.waitForTimeout(2500);
    assert.equal(await page.getByTestId('prog-name_fr').inputValue(), afs, 'the copy of ASD, answered late, replaced the copy of AFS');
    await page.unroute(late);
  });

  // The answer of a copy's creation is held back until the analyst has moved on (the server answers at
  // once; only the answer waits). When it came, it replaced the copy asked after it in the editor and
  // took the analyst to the programme created, away from what they had opened meanwhile.
  const names = await page.evaluate(async () => {
    const name = async (code) => (await (await fetch(`/api/v1/programs/${code}`)).json()).name_fr;
    return { AFS: await name('AFS'), ASD: await name('ASD') };
  });
  const open = async (hash, code) => {
    const answered = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith(`/api/v1/programs/${code}`));
    await page.goto(`${h.baseUrl}/#${hash}`);
    await answered;
    await page.waitForFunction((name) => document.querySelector('[data-testid="prog-name_fr"]')?.value === name, names[code]);
  };
  const created = (url) => url.pathname === '/api/v1/programs';
  const isCreation = (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/programs';
  const createCopyOfAsd = async (code) => {
    await open('/programmes/new?from=ASD', 'ASD');
    await page.getByTestId('prog-code').fill(code);
    const posted = page.waitForRequest(isCreation);
    await page.getByTestId('programme-save').click();
    await posted;
  };
  // A copy of ASD saved, its answer held back until `openNext` has opened another page, then let go.
  const saveLateThenOpen = async (code, openNext) => {
    const release = await h.holdAnswer(created, 'POST');
    await createCopyOfAsd(code);
    await openNext();
    const late = page.waitForResponse((r) => isCreation(r.request()));
    release();
    await late;
    await page.waitForTimeout(1000);
  };

  await h.step('fr: a copy created, answered late, does not replace the copy asked after it', async () => {
    await saveLateThenOpen('ASD_LATE', () => open('/programmes/new?from=AFS', 'AFS'));
    assert.equal(await page.getByTestId('prog-name_fr').inputValue(), names.AFS, 'the copy of ASD, created and answered late, replaced the copy of AFS asked after it');
    assert.equal(await page.evaluate(() => window.location.hash), '#/programmes/new?from=AFS', 'the copy of ASD, created and answered late, took the analyst away from the copy of AFS');
    assert.equal(await page.getByTestId('programme-saved').count(), 0, 'the copy of AFS is shown as saved');
    await page.unroute(created);
  });

  await h.step('fr: a copy created, answered late, does not take the analyst away from the programme opened after it', async () => {
    await saveLateThenOpen('ASD_LATER', () => open('/programmes/AFS', 'AFS'));
    assert.equal(await page.evaluate(() => window.location.hash), '#/programmes/AFS', 'the copy of ASD, created and answered late, took the analyst away from AFS opened after it');
    assert.equal(await page.getByTestId('prog-code').inputValue(), 'AFS');
    await page.unroute(created);
  });
});
