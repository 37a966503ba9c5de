#!/usr/bin/env bash
# An acknowledged write survives the server being killed (SIGKILL) right after answering, and SIGTERM
# lets requests finish and exits cleanly.
set -euo pipefail
sanad=${SANAD_BIN:?}
tmp=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db="sqlite:$tmp/durable.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
port=$(( 20000 + RANDOM % 12000 ))
# A port below the ephemeral range (32768+, where outgoing connections take theirs) that nothing listens on yet.
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$(( 20000 + RANDOM % 12000 )); done

"$sanad" migrate --db "$db" >/dev/null 2>&1
echo "tangier ledger 123" | "$sanad" user add --db "$db" --username agent --role data_entry >/dev/null 2>&1
start() {
  "$sanad" serve --db "$db" --port "$port" --access-log none >>"$tmp/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
  fail "server did not start: $(tail -5 "$tmp/serve.log")"
}
start
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"agent","password":"tangier ledger 123"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
body='{"kind":"create_household","payload":{"household":{"commune_code":"MA-03.231.01.03","urban":true},
  "members":[{"relationship":"head","given_name_lat":"Amina","family_name_lat":"Alaoui","sex":"F","birth_date":"1980"}]}}'
code=$(curl -s -o "$tmp/cr.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/change-requests" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body")
kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
[ "$code" = 201 ] || fail "change request answered $code: $(cat "$tmp/cr.json")"
id=$(sed 's/.*"id":\([0-9]*\).*/\1/' "$tmp/cr.json")
n=$(sqlite3 "$tmp/durable.db" "SELECT COUNT(*) FROM change_requests WHERE id = $id AND status = 'pending'")
[ "$n" = 1 ] || fail "acknowledged change request $id lost after SIGKILL"
"$sanad" audit verify --db "$db" >/dev/null || fail "audit chain broken after SIGKILL"

start
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e; pid=""
[ "$rc" = 0 ] || fail "SIGTERM exit code $rc"
grep -q "received SIGTERM" "$tmp/serve.log" || fail "no graceful shutdown message"
echo "durability: 1 passed, 0 failed"
