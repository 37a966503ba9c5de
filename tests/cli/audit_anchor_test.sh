#!/usr/bin/env bash
# Audit anchoring end to end with the real binary: keygen (mode 0600, looser keys refused by serve),
# serve signing checkpoints every second and at SIGTERM, verify against them; then a truncated log
# with a fixed head, which the chain alone accepts, and an altered checkpoint file are both caught.
set -euo pipefail
sanad=${SANAD_BIN:?}
tmp=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db="sqlite:$tmp/a.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
port=$(( 20000 + RANDOM % 12000 ))
# A port below the ephemeral range (32768+, where outgoing connections take theirs) that nothing listens on yet.
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$(( 20000 + RANDOM % 12000 )); done
passed=0

out=$("$sanad" audit keygen --out "$tmp/key")
pub=$(echo "$out" | grep -E '^[0-9a-f]{64}$' | head -1)
[ -n "$pub" ] || fail "keygen printed no public key: $out"
[ "$(stat -c %a "$tmp/key")" = 600 ] || fail "key file mode $(stat -c %a "$tmp/key")"
"$sanad" audit keygen --out "$tmp/key" >/dev/null 2>&1 && fail "keygen overwrote a key"
passed=$((passed + 1))

"$sanad" migrate --db "$db" >/dev/null 2>&1
echo "olive grove ledger 2026" | "$sanad" user add --db "$db" --username agent --role data_entry >/dev/null 2>&1
serve=("$sanad" serve --db "$db" --port "$port" --access-log none --audit-signing-key "$tmp/key"
  --audit-checkpoints "$tmp/cp.jsonl" --audit-checkpoint-interval 1)
chmod 640 "$tmp/key"
"${serve[@]}" >"$tmp/refused.log" 2>&1 && fail "serve accepted a group-readable key"
grep -q "chmod 600" "$tmp/refused.log" || fail "no reason given: $(cat "$tmp/refused.log")"
chmod 600 "$tmp/key"
passed=$((passed + 1))

"${serve[@]}" >>"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for _ in 1 2 3; do
  curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"agent","password":"olive grove ledger 2026"}' >/dev/null || fail "login failed: $(tail -5 "$tmp/serve.log")"
done
sleep 2.5
curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"agent","password":"olive grove ledger 2026"}' >/dev/null
kill -TERM "$pid"; wait "$pid" || fail "serve exit code $?"; pid=""
n=$(sqlite3 "$tmp/a.db" "SELECT COUNT(*) FROM audit_log")
head -1 "$tmp/cp.jsonl" | grep -q "$pub" || fail "the checkpoint file header does not name the public key"
tail -1 "$tmp/cp.jsonl" | grep -q "\"id\":$n," || fail "no checkpoint of the last entry ($n) at shutdown: $(cat "$tmp/cp.jsonl")"
[ "$(wc -l < "$tmp/cp.jsonl")" -ge 3 ] || fail "expected a timed checkpoint and one at shutdown: $(cat "$tmp/cp.jsonl")"
out=$("$sanad" audit verify --db "$db" --checkpoints "$tmp/cp.jsonl" --audit-public-key "$pub") || fail "intact log: $out"
echo "$out" | grep -q "entries 1 to $n match" || fail "unexpected: $out"
passed=$((passed + 1))

# The owner of the database cuts the last entry and fixes the head.
sqlite3 "$tmp/a.db" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = $n;
  UPDATE audit_head SET last_id = $((n - 1)), last_hash = (SELECT hash FROM audit_log WHERE id = $((n - 1)));"
"$sanad" audit verify --db "$db" >/dev/null || fail "the chain alone should not see a clean truncation"
set +e; out=$("$sanad" audit verify --db "$db" --checkpoints "$tmp/cp.jsonl" --audit-public-key "$pub"); rc=$?; set -e
[ "$rc" = 1 ] || fail "truncation: exit $rc ($out)"
echo "$out" | grep -q "BROKEN at entry $n: .*truncated" || fail "truncation not named: $out"
passed=$((passed + 1))

# An altered checkpoint line (its hash changed to match a rewritten database) fails its signature.
sed -i -E '2{s/"hash":"0/"hash":"X/; s/"hash":"[0-9a-f]/"hash":"0/; s/"hash":"X/"hash":"1/}' "$tmp/cp.jsonl"
set +e; out=$("$sanad" audit verify --db "$db" --checkpoints "$tmp/cp.jsonl" --audit-public-key "$pub"); rc=$?; set -e
[ "$rc" = 1 ] || fail "altered checkpoint: exit $rc ($out)"
echo "$out" | grep -q "BROKEN at line 2" || fail "altered checkpoint not named: $out"
passed=$((passed + 1))

# Another key's public key does not verify the file.
"$sanad" audit keygen --out "$tmp/other" >/dev/null
other=$("$sanad" audit keygen --out "$tmp/other2" | grep -E '^[0-9a-f]{64}$' | head -1)
set +e; out=$("$sanad" audit verify --db "$db" --checkpoints "$tmp/cp.jsonl" --audit-public-key "$other"); rc=$?; set -e
[ "$rc" = 1 ] || fail "foreign key accepted: exit $rc ($out)"
passed=$((passed + 1))
echo "audit anchoring: $passed passed, 0 failed"
