#!/usr/bin/env bash
# Two `sanad serve` processes (nodes A and B) on one PostgreSQL database. A deduplication job is started
# through A's API and claimed by one node (slowed down by the test-only chunk delay); while both nodes
# are alive the other never claims it (the heartbeat keeps the lease, attempts stays 1); the node
# running it is killed with SIGKILL mid-job; the other takes the job over once the lease has expired and
# finishes it: succeeded, attempt 2, lease owner the survivor, candidates written once, visible through
# its API in the same JSON as before.
set -euo pipefail
sanad=${SANAD_BIN:?}
url_file=${SANAD_TEST_PG_URL_FILE:?}
[ -s "$url_file" ] || { echo "FAIL: PostgreSQL test server not running ($url_file)" >&2; exit 1; }
base_url=$(cat "$url_file")
db_name="job_takeover_$$_$RANDOM"
db="${base_url%/*}/$db_name"
tmp=$(mktemp -d); pid_a=""; pid_b=""
cleanup() {
  [ -n "$pid_a" ] && kill -9 "$pid_a" 2>/dev/null
  [ -n "$pid_b" ] && kill -9 "$pid_b" 2>/dev/null
  wait 2>/dev/null || true
  psql -q "$base_url" -c "DROP DATABASE IF EXISTS $db_name" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
fail() { echo "FAIL: $*" >&2; echo "--- node A log"; tail -20 "$tmp/a.log" 2>/dev/null; echo "--- node B log"; tail -20 "$tmp/b.log" 2>/dev/null; exit 1; }
ok() { echo "ok: $*"; passed=$((passed + 1)); }
sql() { psql -qtAX "$db" -c "$1"; }

psql -q "$base_url" -c "CREATE DATABASE $db_name" >/dev/null
# 400 households of Fès-Meknès, 10 % registered twice (as the browser test of deduplication).
"$sanad" demo --db "$db" --households 400 --region MA-03 --duplicates 0.1 --seed 3 >"$tmp/demo.log" 2>&1 \
  || { cat "$tmp/demo.log"; fail "demo registry"; }
echo "atlas river review 2026" | "$sanad" user add --db "$db" --username reviewer --role regional_coordinator --area MA-03 \
  >/dev/null 2>&1 || fail "user add"

# Short lease and heartbeat so the test takes seconds; each chunk boundary of a job sleeps 4 s.
knobs=(--job-lease-ms 2500 --job-heartbeat-ms 500 --job-poll-ms 200 --test-job-chunk-delay-ms 4000 --access-log none)
port_a=$(( 20000 + RANDOM % 12000 )); port_b=$(( port_a + 1 ))  # below the ephemeral range (32768+)
declare -A port=([a]=$port_a [b]=$port_b) pid=()
launch() { "$sanad" serve --db "$db" --port "${port[$1]}" --node-id "node-$1" "${knobs[@]}" >>"$tmp/$1.log" 2>&1 & pid[$1]=$!; }
ready() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:${port[$1]}/healthz" >/dev/null && return 0; sleep 0.1; done; fail "node $1 did not start"; }
launch a; launch b; pid_a=${pid[a]}; pid_b=${pid[b]}
ready a; ready b
token() {
  curl -sf -X POST "http://127.0.0.1:${port[$1]}/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"reviewer","password":"atlas river review 2026"}' | jq -r .access_token
}
declare -A tok=([a]=$(token a) [b]=$(token b))
api() { curl -sf "http://127.0.0.1:${port[$1]}$2" -H "Authorization: Bearer ${tok[$1]}" "${@:3}"; }

job=$(api a /api/v1/linkage/jobs -X POST)
id=$(jq -r .id <<<"$job")
[ "$(jq -r .status <<<"$job")" = running ] || fail "job not started: $job"
run=$(sql "SELECT run_job_id FROM linkage_jobs WHERE id = $id")
[ "$(sql "SELECT kind || ' ' || area_code FROM jobs WHERE id = $run")" = "dedup MA-03" ] || fail "job row kind/area"
ok "job $id started through node A's API: jobs row $run (kind dedup, area MA-03)"

# Node A was asked, but both nodes poll: whichever claims the job first is the one to kill.
holder=""
for _ in $(seq 300); do
  holder=$(sql "SELECT lease_owner FROM jobs WHERE id = $run AND state = 'running'"); [ -n "$holder" ] && break; sleep 0.1
done
[ -n "$holder" ] || fail "no node claimed the job: $(sql "SELECT state, lease_owner FROM jobs WHERE id = $run")"
x=${holder#node-}; y=$([ "$x" = a ] && echo b || echo a)
ok "node $x claimed the job"

# Both nodes alive for longer than a lease: the job stays with its node (heartbeat), attempt 1.
sleep 3.5
[ "$(sql "SELECT state || ' ' || lease_owner || ' ' || attempts FROM jobs WHERE id = $run")" = "running node-$x 1" ] \
  || fail "the job changed hands while node $x was alive: $(sql "SELECT state, lease_owner, attempts FROM jobs WHERE id = $run")"
grep -q "job $run (dedup): claimed by node-$y" "$tmp/$y.log" && fail "node $y claimed a job node $x holds"
[ "$(sql "SELECT lease_until > $(date +%s%3N) FROM jobs WHERE id = $run")" = t ] || fail "node $x's heartbeat did not extend the lease"
live=$(api "$y" "/api/v1/linkage/jobs/$id")
stage=$(jq -r .stage <<<"$live")
[ "$(jq -r .status <<<"$live")" = running ] && [ "$stage" != queued ] && [ "$stage" != done ] \
  || fail "node $y should show the job running on $x: $live"
ok "while both nodes live, only $x runs the job (attempt 1, lease extended); $y's API shows its stage: $(jq -r .stage <<<"$live")"

kill -9 "${pid[$x]}"; wait "${pid[$x]}" 2>/dev/null || true
[ "$x" = a ] && pid_a="" || pid_b=""
[ "$(sql "SELECT COUNT(*) FROM linkage_candidates WHERE job_id = $id")" = 0 ] || fail "node $x wrote results before it was killed"

status=""
for _ in $(seq 1200); do
  status=$(api "$y" "/api/v1/linkage/jobs/$id" | jq -r .status)
  [ "$status" = running ] || break; sleep 0.1
done
[ "$status" = done ] || fail "job $id ended '$status' on node $y"
final=$(api "$y" "/api/v1/linkage/jobs/$id")
row=$(sql "SELECT state || ' ' || lease_owner || ' ' || attempts FROM jobs WHERE id = $run")
[ "$row" = "succeeded node-$y 2" ] || fail "jobs row after takeover: $row"
grep -q "job $run (dedup): claimed by node-$y (attempt 2" "$tmp/$y.log" || fail "node $y's log does not show the takeover"
proposed=$(jq -r .proposed <<<"$final")
[ "$proposed" -gt 0 ] || fail "no candidates proposed: $final"
[ "$(sql "SELECT COUNT(*) FROM linkage_candidates WHERE job_id = $id")" = "$proposed" ] || fail "candidates written twice or lost"
[ "$(sql "SELECT (result::json->>'proposed')::int FROM jobs WHERE id = $run")" = "$proposed" ] || fail "job result"
for key in id status stage area_code started_by started_at finished_at records pairs_compared candidate_pairs matches review proposed seconds error; do
  jq -e "has(\"$key\")" <<<"$final" >/dev/null || fail "job JSON lost field $key: $final"
done
ok "node $y took the job over after $x's SIGKILL and finished it: succeeded, attempt 2, owner node-$y, $proposed candidates (once)"

# The killed node comes back: it does not run the finished job again.
launch "$x"; ready "$x"; [ "$x" = a ] && pid_a=${pid[a]} || pid_b=${pid[b]}
sleep 1
[ "$(sql "SELECT state || ' ' || attempts FROM jobs WHERE id = $run")" = "succeeded 2" ] || fail "finished job touched again"
ok "a restarted node leaves the finished job alone"
echo "job_takeover: $passed passed, 0 failed"
