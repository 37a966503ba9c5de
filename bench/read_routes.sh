#!/usr/bin/env bash
# The registry's audited reads over HTTP against GET /healthz of the same server in the same run (wrk):
#   GET /healthz · GET /api/v1/auth/me (session check only) · GET /api/v1/areas/{code}
#   GET /api/v1/households/{id} (audited) · GET /api/v1/persons?q=Mohamed Alaoui (audited name search)
#   GET /api/v1/persons?national_id=… (audited)
#   GET /api/v1/persons?q=…&limit=25: the search page's request (25 a page), once for one name and once
#   cycling through 300 names of the registry (a wrk script), so that one query's caches do not flatter
#   it; each name is asked once before the run (that cold pass's mean time is printed on its own)
# on a demo registry of 20,000 households (Fès-Meknès), on SQLite, on PostgreSQL (a throw-away server
# started by scripts/pg-test-server.sh, with fsync and synchronous_commit turned back on so that the
# audit entry a read waits for is as durable as in production) or both, one after the other. Prints
# requests/s, p50, p99 and each route's throughput as a share of /healthz of the same run, with the
# goals (≥ 20 % for the household read and the national-ID search, ≥ 10 % for the name search,
# p99 ≤ 50 ms), and the machine's load average around each run (the ratios are what compare runs).
#
# usage: bench/read_routes.sh [path/to/sanad]          (default: bin/sanad; builds nothing)
# environment: DB (sqlite|postgres|both; sqlite), HOUSEHOLDS (20000), CONNECTIONS (64), DURATION (10s),
#              THREADS (server request threads, 8), WRK_THREADS (2), PORT
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-bin/sanad}
DB=${DB:-sqlite}
HOUSEHOLDS=${HOUSEHOLDS:-20000}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-8}
WRK_THREADS=${WRK_THREADS:-2}

die() { echo "read_routes.sh: $*" >&2; exit 1; }
. bench/http_bench_lib.sh
[[ -x "$BIN" ]] || die "no executable at $BIN (build first: make build)"
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanad-bench.XXXXXX")
chmod 755 "$tmp"
server_pid=""
pg_started=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$pg_started" ]] && scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

names=(healthz me areas household name_search name_page name_varied national_id)
declare -A goal=([healthz]="" [me]="" [areas]="" [household]=0.20 [name_search]=0.10 [name_page]=0.10
  [name_varied]=0.10 [national_id]=0.20)
load() { awk '{ print $1 }' /proc/loadavg; }

# Runs every route against a fresh demo registry on database $1; results under $tmp/$1/.
run() {
  local db=$1 out=$tmp/$1 url
  mkdir -p "$out"
  case $db in
    sqlite) url="sqlite:$out/bench.db" ;;
    postgres)
      scripts/pg-test-server.sh start "$tmp/pg" >/dev/null; pg_started=1; url=$(cat "$tmp/pg/url")
      # The test server runs without fsync; a benchmark of durable audited reads needs it back.
      psql -qAt "$url" -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
        -c "SELECT pg_reload_conf()" >/dev/null ;;
    *) die "DB must be sqlite, postgres or both" ;;
  esac
  sql() {  # one value from the database
    if [[ "$db" == sqlite ]]; then sqlite3 "$out/bench.db" "$1"; else psql -qAt "$url" -c "$1"; fi
  }

  echo "== demo registry: $HOUSEHOLDS households ($db)"
  "$BIN" demo --db "$url" --households "$HOUSEHOLDS" --country MA --region MA-03 --seed 1 >"$out/demo.txt" 2>"$out/demo.err" \
    || { cat "$out/demo.err" >&2; die "sanad demo failed"; }
  # Measure a settled database, as after any bulk load: on PostgreSQL, without the vacuum, analyze and
  # checkpoint the demo load leaves due (they would otherwise run during the first routes and stall
  # their commits).
  if [[ "$db" == postgres ]]; then psql -qAt "$url" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null; fi
  local password household national_id
  password=$(awk '$1 == "admin" { print $4 }' "$out/demo.txt")
  [[ -n "$password" ]] || die "no admin password in the demo output"
  household=$(sql "SELECT id FROM households ORDER BY id LIMIT 1 OFFSET $((HOUSEHOLDS / 2))")
  national_id=$(sql "SELECT national_id FROM persons WHERE national_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET $((HOUSEHOLDS / 3))")
  [[ -n "$household" && -n "$national_id" ]] || die "no household or national ID in the demo registry"
  # 300 names as people type them (given and family name, Latin or Arabic script), URL-encoded. Both
  # parts present: with one missing the line would be empty, and an empty q lists the whole registry.
  sql "SELECT given_name_lat || ' ' || family_name_lat FROM persons
       WHERE given_name_lat IS NOT NULL AND family_name_lat IS NOT NULL ORDER BY id LIMIT 200" >"$out/names.txt"
  sql "SELECT given_name_ar || ' ' || family_name_ar FROM persons
       WHERE given_name_ar IS NOT NULL AND family_name_ar IS NOT NULL ORDER BY id DESC LIMIT 100" >>"$out/names.txt"
  [[ $(grep -c . "$out/names.txt") == 300 ]] || die "fewer than 300 names in the demo registry"
  cat >"$out/varied.lua" <<LUA
local names = {}
for line in io.lines("$out/names.txt") do
  names[#names + 1] = line:gsub("([^%w])", function(c) return string.format("%%%02X", string.byte(c)) end)
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/persons?limit=25&q=" .. names[(i * 7919) % #names + 1])
end
LUA

  local port=${PORT:-$(free_port)}
  local base="http://127.0.0.1:$port"
  echo "== sanad serve --threads $THREADS on port $port ($db)"
  "$BIN" serve --db "$url" --port "$port" --threads "$THREADS" --access-log none >"$out/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$out/serve.log" >&2; die "the server exited"; }
    sleep 0.1
  done
  local token
  token=$(curl -fs -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$base/api/v1/auth/token" |
    sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  [[ -n "$token" ]] || die "no bearer token"

  declare -gA path=(
    [healthz]="/healthz"
    [me]="/api/v1/auth/me"
    [areas]="/api/v1/areas/MA-03.231.01.03"
    [household]="/api/v1/households/$household"
    [name_search]="/api/v1/persons?q=Mohamed%20Alaoui"
    [name_page]="/api/v1/persons?q=Mohamed%20Alaoui&limit=25"
    [name_varied]="/api/v1/persons?limit=25&q=(300 names)"
    [national_id]="/api/v1/persons?national_id=$national_id"
  )
  local n code
  for n in "${names[@]}"; do
    if [[ "$n" == name_varied ]]; then
      # Every name once, one after the other, as the other routes get their one request first: the
      # measured run is then the steady state. This first pass is printed on its own (cold: ranked by
      # the name index and read whole from the registry for the first time).
      # One curl for all of them (one connection, as the web client keeps), timing each request.
      while IFS= read -r q; do
        printf 'url = "%s/api/v1/persons?limit=25&q=%s"\noutput = "/dev/null"\n' "$base" "$(jq -rn --arg q "$q" '$q | @uri')"
      done <"$out/names.txt" >"$out/cold.curl"
      curl -s -K "$out/cold.curl" -H "Authorization: Bearer $token" -w '%{http_code} %{time_total}\n' >"$out/cold.txt" \
        || die "the first pass over the names failed"
      awk '$1 != 200 { bad++ } END { exit bad > 0 }' "$out/cold.txt" || die "the first pass over the names had errors"
      continue
    fi
    code=$(curl -s -o "$out/$n.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$base${path[$n]}")
    [[ "$code" == 200 ]] || die "GET ${path[$n]} answered $code: $(head -c 300 "$out/$n.json")"
  done
  grep -q "\"$national_id\"" "$out/national_id.json" || die "the national-ID search did not find $national_id"

  load >"$out/load_before"
  for n in "${names[@]}"; do
    echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION ${path[$n]} ($db, load $(load))"
    if [[ "$n" == name_varied ]]; then
      wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" \
        -s "$out/varied.lua" "$base/" >"$out/$n.txt"
    else
      wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" \
        "$base${path[$n]}" >"$out/$n.txt"
    fi
  done
  load >"$out/load_after"
  kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  server_pid=""
  if [[ "$db" == postgres ]]; then
    scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1
    pg_started=""
  fi
}


report() {
  local db=$1 out=$tmp/$1 n r p50 p99 verdict health
  health=$(rps "$out/healthz.txt")
  echo
  echo "== results: $db, $HOUSEHOLDS households, $CONNECTIONS connections, $DURATION each, $THREADS server threads," \
    "$(nproc) cores, load average $(cat "$out/load_before") → $(cat "$out/load_after")"
  printf '%-44s %11s %9s %9s %9s  %s\n' route requests/s "p50 ms" "p99 ms" "/healthz" goal
  for n in "${names[@]}"; do
    r=$(rps "$out/$n.txt"); p50=$(pct_ms "$out/$n.txt" 50%); p99=$(pct_ms "$out/$n.txt" 99%)
    verdict=""
    if [[ -n "${goal[$n]}" ]]; then
      verdict=$(awk -v r="$r" -v h="$health" -v g="${goal[$n]}" -v p="$p99" 'BEGIN {
        ok = (r / h >= g && p <= 50); printf "≥ %d%% and p99 ≤ 50 ms: %s", g * 100, ok ? "met" : "NOT met" }')
    fi
    printf '%-44s %11.0f %9.2f %9.2f %9.2f  %s\n' "GET ${path[$n]:0:40}" "$r" "$p50" "$p99" \
      "$(awk -v r="$r" -v h="$health" 'BEGIN { print r / h }')" "$verdict"
    e=$(errors "$out/$n.txt"); [[ "$e" == 0 ]] || echo "   warning: $n had $e non-2xx responses or socket errors"
  done
  awk '{ t = $2 * 1000; sum += t; if (t > max) max = t }
       END { printf "first pass over the %d names, one at a time (cold): mean %.2f ms, max %.2f ms a request\n", NR, sum / NR, max }' \
    "$out/cold.txt"
}

case $DB in
  both) dbs=(sqlite postgres) ;;
  sqlite | postgres) dbs=("$DB") ;;
  *) die "DB must be sqlite, postgres or both" ;;
esac
for db in "${dbs[@]}"; do run "$db"; done
for db in "${dbs[@]}"; do
  # path[] holds the last run's ids; the route labels are the same apart from the ids.
  report "$db"
done
