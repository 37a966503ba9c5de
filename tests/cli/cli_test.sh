#!/usr/bin/env bash
# The command line as an operator uses it: migrate, user add (password on stdin, policy enforced),
# audit verify (intact, then tampered → exit 1 naming the entry).
set -euo pipefail
sanad=${SANAD_BIN:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="sqlite:$tmp/cli.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
# The English texts below are what an operator without a French or Arabic locale reads.
unset SANAD_LANG LC_ALL LC_MESSAGES; export LANG=C.UTF-8

"$sanad" migrate --db "$db" >/dev/null
echo "short" | "$sanad" user add --db "$db" --username amina --role social_worker 2>"$tmp/err" && fail "a 5-character password was accepted"
grep -q "at least 12 characters.*password.too_short" "$tmp/err" || fail "no policy message: $(cat "$tmp/err")"
echo "password1234" | "$sanad" user add --db "$db" --username amina --role social_worker 2>"$tmp/err" && fail "a common password was accepted"
grep -q "password.common" "$tmp/err" || fail "no common-password reason: $(cat "$tmp/err")"
echo "amina-at-home-2026" | "$sanad" user add --db "$db" --username amina --role social_worker 2>"$tmp/err" && fail "a password with the username was accepted"
grep -q "password.contains_username" "$tmp/err" || fail "no username reason: $(cat "$tmp/err")"
echo "a good long password" | "$sanad" user add --db "$db" --username amina --role social_worker --role counselor --area MA-03 >/dev/null
echo "a good long password" | "$sanad" user add --db "$db" --username amina --role auditor 2>"$tmp/err" && fail "duplicate user accepted"
echo "a good long password" | "$sanad" user add --db "$db" --username bob --role wizard 2>"$tmp/err" && fail "unknown role accepted"
grep -q "unknown role 'wizard'" "$tmp/err" || fail "no unknown-role message"
echo "a good long password" | "$sanad" user add --db "$db" --username omar --role auditor --area XX-1 2>"$tmp/err" && fail "unknown area accepted"
[ "$(sqlite3 "$tmp/cli.db" "SELECT group_concat(role) FROM (SELECT role FROM user_roles ORDER BY role)")" = "counselor,social_worker" ] || fail "roles not stored"

# Errors come from the message catalogue in the operator's language (SANAD_LANG, else the locale), with
# their code: never an empty line for an error that carries only a code and its parameters.
printf 'a good long password\n' | SANAD_LANG=fr "$sanad" user add --db "$db" --username 1x --role auditor 2>"$tmp/err" \
  && fail "a 2-character username was accepted"
grep -q "Un nom d.utilisateur compte de 3 à 64 caractères.*(username) \[user.username_length\]" "$tmp/err" \
  || fail "username error not rendered in French: $(cat "$tmp/err")"
SANAD_LANG=ar "$sanad" link dedupe --input "$tmp/missing.csv" --out "$tmp/pairs.csv" 2>"$tmp/err" \
  && fail "a missing input file was accepted"
grep -q "^sanad link: تعذّر فتح الملف ⁨$tmp/missing.csv⁩. (file) \[file.cannot_open\]$" "$tmp/err" \
  || fail "missing-file error not rendered in Arabic: $(cat "$tmp/err")"
LANG=fr_MA.UTF-8 LC_ALL= LC_MESSAGES= "$sanad" link dedupe --input "$tmp/missing.csv" --out "$tmp/pairs.csv" 2>"$tmp/err" || true
grep -q "Le fichier $tmp/missing.csv ne peut pas être ouvert" "$tmp/err" || fail "LANG=fr_MA not followed: $(cat "$tmp/err")"

"$sanad" audit verify --db "$db" | grep -q "intact" || fail "fresh chain not intact"
n=$(sqlite3 "$tmp/cli.db" "SELECT COUNT(*) FROM audit_log")
[ "$n" -ge 1 ] || fail "user creation was not audited"
sqlite3 "$tmp/cli.db" "UPDATE audit_log SET record_id='x' WHERE id=1" 2>/dev/null && fail "audit_log accepted an UPDATE"
sqlite3 "$tmp/cli.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET record_id='x' WHERE id=1"
set +e
out=$("$sanad" audit verify --db "$db"); rc=$?
set -e
[ $rc = 1 ] || fail "tampered chain: exit code $rc, want 1"
echo "$out" | grep -q "BROKEN at entry 1" || fail "tampered chain not named: $out"
echo "cli: 1 passed, 0 failed"
