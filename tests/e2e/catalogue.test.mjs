// The web pages have a text for every code the server can send. The UI imports the server's catalogues
// (src/i18n/messages/*.json) into its own `t`; this test fails when a code the server's sources use
// (Failure, FailWith, Failures, Problem{…}, MsgCode) has no entry in one of them, when the languages
// disagree, or when the UI stops importing them. No browser and no server needed.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './harness.mjs';

const LANGS = ['ar', 'fr', 'en'];
// The same uses the server's own completeness test looks for (src/i18n/catalogue_test.cpp).
const USE =
  /(?:Failure|FailWith|Failures)\s*\(\s*Code::k\w+\s*,\s*"([a-z0-9_.]+)"|Problem\s*\{\s*"([a-z0-9_.]+)"|MsgCode\s*\(\s*"([a-z0-9_.]+)"/g;

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(cpp|h)$/.test(name) && !/_test\.(cpp|h)$/.test(name)) out.push(p);
  }
  return out;
}

const catalogue = (lang) => JSON.parse(readFileSync(path.join(repoRoot, 'src/i18n/messages', `${lang}.json`), 'utf8'));

test('every code the server uses has a text in the catalogues the UI imports', () => {
  const used = new Set();
  for (const file of sources(path.join(repoRoot, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(USE)) used.add(m[1] ?? m[2] ?? m[3]);
  }
  assert.ok(used.size > 50, `only ${used.size} codes found in the sources: is the pattern still right?`);
  const missing = [];
  for (const lang of LANGS) {
    const c = catalogue(lang);
    for (const code of used) if (typeof c[code] !== 'string') missing.push(`${lang}: ${code}`);
  }
  assert.deepEqual(missing, [], 'codes without a text');
});

test('the UI catalogue module imports the server catalogues of all three languages', () => {
  const index = readFileSync(path.join(repoRoot, 'web/src/i18n/index.tsx'), 'utf8');
  for (const lang of LANGS) {
    assert.match(index, new RegExp(`from '\\.\\./\\.\\./\\.\\./src/i18n/messages/${lang}\\.json'`), `${lang}.json is not imported`);
  }
});

test('the three languages have the same codes and the same placeholders', () => {
  const [ar, fr, en] = LANGS.map(catalogue);
  const placeholders = (text) => [...text.matchAll(/\{(\w+)(?::\w+)?\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(ar).sort(), Object.keys(en).sort());
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const code of Object.keys(en)) {
    for (const [lang, c] of [['ar', ar], ['fr', fr]]) {
      assert.deepEqual(placeholders(c[code]), placeholders(en[code]), `${code} in ${lang}`);
    }
  }
});
