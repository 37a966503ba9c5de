#!/usr/bin/env bash
# sanad migrate-data: a SQLite deployment (reference areas, accounts, change requests and approvals over HTTP)
# copied into an empty PostgreSQL database: every table's count equal on both sides, the audit chain
# intact, ids kept and identity sequences continuing after them (the copy serves); a second copy into
# the now non-empty target is refused and changes nothing.
set -euo pipefail
sanad=${SANAD_BIN:?}
base=$(cat "${SANAD_TEST_PG_URL_FILE:?}")
server=${base%/*}
tmp=$(mktemp -d)
. "$(dirname "$0")/backup_lib.sh"
target_name="migrate_dst_$$_$RANDOM"
trap 'cleanup_load; psql -XAtq "$base" -c "DROP DATABASE IF EXISTS $target_name WITH (FORCE)" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
psql -XAtq -v ON_ERROR_STOP=1 "$base" -c "CREATE DATABASE $target_name" >/dev/null
target="$server/$target_name"
db="sqlite:$tmp/source.db"
port=$(( 20000 + RANDOM % 12000 ))
# A port below the ephemeral range (32768+, where outgoing connections take theirs) that nothing listens on yet.
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$(( 20000 + RANDOM % 12000 )); done

"$sanad" migrate --db "$db" >/dev/null 2>&1
start_server
note "server up"
start_load
wait_for_acks 8
cleanup_load
note "source filled"

"$sanad" migrate-data --from "$db" --to "$target" --chunk-rows 5 >"$tmp/migrate.out" 2>"$tmp/migrate.err" \
  || fail "migrate-data: $(cat "$tmp/migrate.err") $(tail -5 "$tmp/migrate.out")"
grep -q "audit chain intact" "$tmp/migrate.out" || fail "migrate-data did not verify the audit chain: $(tail -5 "$tmp/migrate.out")"
grep -q "^copied persons .* rows" "$tmp/migrate.out" || fail "no per-table progress: $(head "$tmp/migrate.out")"
grep -q "^  persons .* of .* rows" "$tmp/migrate.out" || fail "no in-table progress for a table larger than a chunk"
# Parents before children: areas before area_parents, households before persons.
[ "$(grep -n '^copied areas ' "$tmp/migrate.out" | cut -d: -f1)" -lt "$(grep -n '^copied area_parents ' "$tmp/migrate.out" | cut -d: -f1)" ] \
  || fail "area_parents copied before areas"
[ "$(grep -n '^copied households ' "$tmp/migrate.out" | cut -d: -f1)" -lt "$(grep -n '^copied persons ' "$tmp/migrate.out" | cut -d: -f1)" ] \
  || fail "persons copied before households"

note "copied"
# Independent check of every table's count, and of a few columns' content (ids, text, doubles).
tables=$(sqlite3 "$tmp/source.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
[ "$(echo "$tables" | wc -l)" -ge 10 ] || fail "too few tables: $tables"
for t in $tables; do
  a=$(sqlite3 "$tmp/source.db" "SELECT COUNT(*) FROM $t")
  b=$(psql -XAtq "$target" -c "SELECT COUNT(*) FROM $t")
  [ "$a" = "$b" ] || fail "table $t: $a rows in SQLite, $b in PostgreSQL"
done
q="SELECT id || '|' || COALESCE(family_name_lat, '') || '|' || COALESCE(given_name_ar, '') FROM persons ORDER BY id"
diff <(sqlite3 "$tmp/source.db" "$q") <(psql -XAtq "$target" -c "$q") >"$tmp/diff" || fail "persons differ: $(head -3 "$tmp/diff")"
q="SELECT id, hash FROM audit_log ORDER BY id"
diff <(sqlite3 -separator ' ' "$tmp/source.db" "$q") <(psql -XAtq -F ' ' "$target" -c "$q") >/dev/null || fail "audit_log differs"
where="FROM areas WHERE lat IS NOT NULL ORDER BY code LIMIT 200"
diff <(sqlite3 "$tmp/source.db" "SELECT code || ' ' || printf('%.6f %.6f', lat, lon) $where") \
     <(psql -XAtq "$target" -c "SELECT code || ' ' || lat::numeric(12,6) || ' ' || lon::numeric(12,6) $where") >"$tmp/diff" \
  || fail "area coordinates differ: $(head -3 "$tmp/diff")"
"$sanad" audit verify --db "$target" | grep -q intact || fail "audit verify fails on the target"

# The copy serves: log in with a copied account, file a request; its id follows the copied ones.
max_cr=$(sqlite3 "$tmp/source.db" "SELECT MAX(id) FROM change_requests")
db="$target"
"$sanad" serve --db "$db" --port "$port" --threads 2 --access-log none >>"$tmp/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
agent_token=$(token loadagent "olive grove ledger 2026")
[ -n "$agent_token" ] || fail "copied account cannot log in"
code=$(curl -s -o "$tmp/cr.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/change-requests" \
  -H "Authorization: Bearer $agent_token" -H 'Content-Type: application/json' \
  -d '{"kind":"create_household","payload":{"household":{"commune_code":"MA-03.231.01.03","urban":false},"members":[{"relationship":"head","given_name_lat":"After","family_name_lat":"Copy","sex":"M","birth_date":"1990"}]}}')
[ "$code" = 201 ] || fail "change request on the copy answered $code: $(cat "$tmp/cr.json")"
id=$(grep -o '"id":[0-9]*' "$tmp/cr.json" | head -n 1 | cut -d: -f2)
[ "$id" = $((max_cr + 1)) ] || fail "new change request id $id, want $((max_cr + 1))"
cleanup_load
"$sanad" audit verify --db "$target" | grep -q intact || fail "audit verify fails after serving the copy"

# A non-empty target is refused and left as it was.
before=$(psql -XAtq "$target" -c "SELECT COUNT(*) FROM change_requests")
"$sanad" migrate-data --from "sqlite:$tmp/source.db" --to "$target" >/dev/null 2>"$tmp/err" && fail "copy into a non-empty target accepted"
grep -q "is not empty" "$tmp/err" || fail "no refusal message: $(cat "$tmp/err")"
[ "$(psql -XAtq "$target" -c "SELECT COUNT(*) FROM change_requests")" = "$before" ] || fail "a refused copy changed the target"
"$sanad" migrate-data --from "$target" --to "sqlite:$tmp/back.db" >/dev/null 2>"$tmp/err" && fail "PostgreSQL → SQLite accepted"
grep -q "copies a sqlite: database into a postgresql://" "$tmp/err" || fail "no direction message: $(cat "$tmp/err")"
echo "backup_migrate: 1 passed, 0 failed"
