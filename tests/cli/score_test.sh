#!/usr/bin/env bash
# sanad score on a small demo registry: every active household gets a score with its model, version and
# date, and the model version is kept; a re-run changes nothing; a bad model file is refused naming the JSON
# path; a model version redefined is refused, with nothing written.
set -euo pipefail
sanad=${SANAD_BIN:?}
root=${SANAD_SOURCE_ROOT:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="sqlite:$tmp/score.db"
model="$root/data/models/rsu-illustrative-2026.json"
fail() { echo "FAIL: $*" >&2; exit 1; }
unset SANAD_LANG LC_ALL LC_MESSAGES; export LANG=C.UTF-8

"$sanad" demo --db "$db" --households 200 --seed 7 >/dev/null 2>&1
active=$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM households WHERE status = 'active'")
[ "$active" -gt 0 ] || fail "the demo registry has no active household"

out=$("$sanad" score --db "$db" --model "$model" --as-of 2026-12-05 --chunk 64 2>"$tmp/err")
echo "$out" | grep -q "^$active households scored with rsu-illustrative 2026.1 (ages on 2026-12-05) in .* s: $active new, 0 changed, 0 unchanged.$" \
  || fail "first run: $out"
grep -q "scoring .*100% $active/$active households" "$tmp/err" || fail "no progress bar: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM household_scores WHERE model = 'rsu-illustrative' AND model_version = '2026.1' AND scored_on = '2026-12-05'")" = "$active" ] \
  || fail "not every active household has its score, model and date"
[ "$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM score_models WHERE model = 'rsu-illustrative' AND model_version = '2026.1' AND definition LIKE '%\"coefficient\":-0.138%'")" = 1 ] \
  || fail "the model version is not kept: $(sqlite3 "$tmp/score.db" "SELECT model, model_version FROM score_models")"

out=$("$sanad" score --db "$db" --model "$model" --as-of 2026-12-05 2>/dev/null)
echo "$out" | grep -q ": 0 new, 0 changed, $active unchanged.$" || fail "re-run is not idempotent: $out"
[ "$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM household_score_history")" = 0 ] || fail "re-run wrote history"

# A new version of the model replaces every score and keeps the old ones in the history.
sed 's/"version": "2026.1"/"version": "2026.2"/' "$model" >"$tmp/model2.json"
out=$(SANAD_LANG=fr "$sanad" score --db "$db" --model "$tmp/model2.json" --as-of 2026-12-05 2>/dev/null)
echo "$out" | grep -q "ménages notés avec rsu-illustrative 2026.2.* : 0 nouveaux, $active modifiés, 0 inchangés.$" \
  || fail "new version (in French): $out"
[ "$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM household_score_history")" = "$active" ] || fail "no history"

# Another definition under a version already kept: refused, in the user's language, nothing written.
sed 's/"coefficient": -0.138/"coefficient": -0.139/' "$tmp/model2.json" >"$tmp/model2b.json"
history=$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM household_score_history")
set +e
SANAD_LANG=fr "$sanad" score --db "$db" --model "$tmp/model2b.json" --as-of 2026-12-05 2>"$tmp/err" >/dev/null; rc=$?
set -e
[ $rc = 2 ] || fail "redefined version: exit $rc, want 2"
grep -q "Le modèle rsu-illustrative en version 2026.2 est déjà enregistré avec une autre définition" "$tmp/err" \
  || fail "redefined version: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM household_score_history")" = "$history" ] || fail "redefined version wrote scores"

# A bad model file: every problem with its JSON path, exit 2, nothing written.
sed 's/"category": "villa"/"category": "castle"/; s/"variable": "has_car"/"variable": "has_yacht"/' "$model" >"$tmp/bad.json"
set +e
"$sanad" score --db "$db" --model "$tmp/bad.json" 2>"$tmp/err" >/dev/null; rc=$?
set -e
[ $rc = 2 ] || fail "bad model: exit $rc, want 2"
grep -q "/terms/13/category: dwelling_type has no category castle." "$tmp/err" || fail "no category problem: $(cat "$tmp/err")"
grep -q "/terms/27/variable: no variable is called has_yacht." "$tmp/err" || fail "no variable problem: $(cat "$tmp/err")"
# A regional effect for a code that is no region of the reference data (MA-3 for MA-03) would leave the
# region it meant without its effect, silently: refused naming it, before anything is written.
sed 's/"MA-03":/"MA-3":/' "$model" | sed 's/"version": "2026.1"/"version": "2026.9"/' >"$tmp/region.json"
grep -q '"MA-3":' "$tmp/region.json" || fail "the test's model has no MA-03 effect to misspell"
set +e
"$sanad" score --db "$db" --model "$tmp/region.json" 2>"$tmp/err" >/dev/null; rc=$?
set -e
[ $rc = 2 ] || fail "unknown region: exit $rc, want 2"
grep -q "/region_effects/MA-3: MA-3 is not a region of Morocco in the reference data." "$tmp/err" \
  || fail "no region problem: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/score.db" "SELECT COUNT(*) FROM score_models WHERE model_version = '2026.9'")" = 0 ] \
  || fail "the refused model was kept"
echo "score: 1 passed, 0 failed"
