#!/usr/bin/env bash
# A partner system's synchronous search by national ID through the SPDCI endpoint
# (POST /dci/registry/sync/search, docs/dci.md) against GET /healthz of the same server in the same run
# (wrk, 64 connections): the envelope read and checked, the partner's scope, the audit entry with its
# purpose, the registry query and the response in the schema's shapes, for 300 different persons of a
# demo registry in turn (a wrk script), so that one record's caches do not flatter it. Prints requests/s,
# p50 and p99, the share of /healthz, and the goal: ≥ 20 % of /healthz and p99 ≤ 50 ms.
#
# usage: bench/dci_search.sh [path/to/sanad]          (default: bin/sanad; builds nothing)
# environment: DB (sqlite|postgres; sqlite), HOUSEHOLDS (20000), CONNECTIONS (64), DURATION (10s),
#              THREADS (server request threads, 8), WRK_THREADS (2), PORT,
#              SIGN (1: the server signs its answers with a key made by `sanad dci keygen`; 0)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-bin/sanad}
DB=${DB:-sqlite}
HOUSEHOLDS=${HOUSEHOLDS:-20000}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-8}
WRK_THREADS=${WRK_THREADS:-2}
SIGN=${SIGN:-0}

die() { echo "dci_search.sh: $*" >&2; exit 1; }
. bench/http_bench_lib.sh
[[ -x "$BIN" ]] || die "no executable at $BIN (build first: make build)"
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"
command -v jq >/dev/null || die "jq is not installed (scripts/install-deps.sh)"

bench_workdir dci

bench_database "$DB"

demo_registry "$BIN" "$HOUSEHOLDS"
password=$(demo_password partner)
[[ -n "$password" ]] || die "no partner account in the demo output"
sql "SELECT national_id FROM persons WHERE national_id IS NOT NULL ORDER BY id LIMIT 300 OFFSET $((HOUSEHOLDS / 4))" >"$tmp/ids.txt"
[[ $(grep -c . "$tmp/ids.txt") == 300 ]] || die "fewer than 300 national IDs in the demo registry"

# The envelope of one idtype-value search, the ID and the message id filled per request.
envelope() {  # ID MESSAGE_ID
  printf '{"signature":"","header":{"version":"1.0.0","message_id":"%s","message_ts":"2026-01-01T00:00:00Z","action":"search","sender_id":"partner","receiver_id":"sanad","total_count":1,"is_msg_encrypted":false},"message":{"transaction_id":"%s","search_request":[{"reference_id":"r-1","timestamp":"2026-01-01T00:00:00Z","search_criteria":{"reg_type":"ns:org:RegistryType:Social","reg_record_type":"Person","query_type":"idtype-value","query":{"type":"national_id","value":"%s"}},"locale":"eng"}]}}' "$2" "$2" "$1"
}
cat >"$tmp/search.lua" <<LUA
local ids = {}
for line in io.lines("$tmp/ids.txt") do ids[#ids + 1] = line end
local token = io.lines("$tmp/token.txt")()
local i = 0
setup = function(thread) thread:set("base", math.random(1, 1000) * 1000000) end
request = function()
  i = i + 1
  local n = (base or 0) + i
  local body = string.format('$(envelope '%s' 'm-%d')', n, n, ids[(n * 7919) % #ids + 1])
  return wrk.format("POST", "/dci/registry/sync/search",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
-- The first refusals of each wrk thread are shown: a benchmark of refused requests measures nothing.
local shown = 0
response = function(status, headers, body)
  if status ~= 200 and shown < 3 then
    shown = shown + 1
    io.stderr:write(string.format("refused: %d %s\n", status, body:sub(1, 300)))
  end
end
LUA

port=${PORT:-$(free_port)}
base="http://127.0.0.1:$port"
sign_args=()
if [[ "$SIGN" == 1 ]]; then
  "$BIN" dci keygen --out "$tmp/dci-signing.key" >/dev/null || die "sanad dci keygen failed"
  sign_args=(--dci-signing-key "$tmp/dci-signing.key")
fi
echo "== sanad serve --threads $THREADS on port $port ($DB$([[ "$SIGN" == 1 ]] && echo ", answers signed"))"
"$BIN" serve --db "$url" --port "$port" --threads "$THREADS" --access-log none "${sign_args[@]}" >"$tmp/serve.log" 2>&1 &
server_pid=$!
wait_for_http "$base/healthz" "$server_pid" "$tmp/serve.log"
token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"partner\",\"password\":\"$password\"}" "$base/api/v1/auth/token" | jq -r .access_token)
[[ -n "$token" && "$token" != null ]] || die "no bearer token for the partner"
echo "$token" >"$tmp/token.txt"
# Each ID once before the clock starts, and the answers checked: the record found is the one asked for.
first=$(head -1 "$tmp/ids.txt")
curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$(envelope "$first" m-0)" \
  "$base/dci/registry/sync/search" >"$tmp/first.json" || die "the first search failed"
jq -e --arg id "$first" '[.. | strings | select(. == $id)] | length > 0' "$tmp/first.json" >/dev/null \
  || die "the search for $first did not answer its record: $(head -c 400 "$tmp/first.json")"
if [[ "$SIGN" == 1 ]]; then
  jq -e '.signature | startswith("Signature: ")' "$tmp/first.json" >/dev/null || die "the answer is not signed"
fi
n=0
while IFS= read -r id; do
  n=$((n + 1))
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "$(envelope "$id" "w-$n")" "$base/dci/registry/sync/search"
done <"$tmp/ids.txt" >"$tmp/warm.txt"
awk '$1 != 200 { bad++ } END { exit bad > 0 }' "$tmp/warm.txt" || die "the first pass over the IDs had errors: $(sort "$tmp/warm.txt" | uniq -c | head -3)"

load_before=$(awk '{ print $1 }' /proc/loadavg)
echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION POST /dci/registry/sync/search (load $load_before)"
# The server's CPU time (user + system, clock ticks) around each run: per request, it compares two builds
# on a machine whose other load moves the requests/s (PostgreSQL's own processes are not counted).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
c0=$(cpu_ticks)
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$tmp/search.lua" "$base/" >"$tmp/search.txt" 2>"$tmp/refused.txt"
c1=$(cpu_ticks)
sort "$tmp/refused.txt" | uniq -c | head -6
echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION GET /healthz"
c2=$(cpu_ticks)
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$base/healthz" >"$tmp/healthz.txt"
c3=$(cpu_ticks)
load_after=$(awk '{ print $1 }' /proc/loadavg)

r=$(rps "$tmp/search.txt"); p50=$(pct_ms "$tmp/search.txt" 50%); p99=$(pct_ms "$tmp/search.txt" 99%)
h=$(rps "$tmp/healthz.txt"); hp50=$(pct_ms "$tmp/healthz.txt" 50%); hp99=$(pct_ms "$tmp/healthz.txt" 99%)
echo
echo "== results: $DB, $HOUSEHOLDS households, $CONNECTIONS connections, $DURATION each, $THREADS server threads," \
  "answers $([[ "$SIGN" == 1 ]] && echo signed || echo unsigned)," \
  "$(nproc) cores, load average $load_before → $load_after"
printf '%-44s %11s %9s %9s %9s\n' route requests/s "p50 ms" "p99 ms" "/healthz"
printf '%-44s %11.0f %9.2f %9.2f %9.3f\n' "POST /dci/registry/sync/search (300 IDs)" "$r" "$p50" "$p99" \
  "$(awk -v r="$r" -v h="$h" 'BEGIN { print r / h }')"
printf '%-44s %11.0f %9.2f %9.2f %9.3f\n' "GET /healthz" "$h" "$hp50" "$hp99" 1
cpu_us() {  # TICKS WRK_REPORT: server CPU µs per request
  awk -v t="$1" -v hz="$(getconf CLK_TCK)" '/requests in/ { printf "%.1f", t * 1e6 / hz / $1 }' "$2"
}
echo "server CPU per request (sanad process): search $(cpu_us $((c1 - c0)) "$tmp/search.txt") µs," \
  "/healthz $(cpu_us $((c3 - c2)) "$tmp/healthz.txt") µs"
e=$(errors "$tmp/search.txt"); [[ "$e" == 0 ]] || echo "warning: $e non-2xx answers or socket errors"
awk -v r="$r" -v h="$h" -v p="$p99" 'BEGIN {
  printf "goal ≥ 20%% of /healthz and p99 ≤ 50 ms: %s\n", (r / h >= 0.20 && p <= 50) ? "met" : "NOT met" }'
