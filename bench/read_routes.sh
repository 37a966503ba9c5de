#!/usr/bin/env bash
# The registry's audited reads over HTTP against GET /healthz of the same server in the same run (wrk):
#   GET /healthz · GET /api/v1/areas/{code} · GET /api/v1/households/{id} (audited)
#   GET /api/v1/persons?q=Mohamed Alaoui (audited name search) · GET /api/v1/persons?national_id=… (audited)
# on a demo registry of 20,000 households (Fès-Meknès), SQLite by default or PostgreSQL (DB=postgres: a
# throw-away server started by scripts/pg-test-server.sh). Prints requests/s, p50, p99 and each route's
# throughput as a share of /healthz, with the goals (≥ 20 % for the household read and the national-ID
# search, ≥ 10 % for the name search, p99 ≤ 50 ms).
#
# usage: bench/read_routes.sh [path/to/sanad]          (default: bin/sanad; builds nothing)
# environment: DB (sqlite|postgres), HOUSEHOLDS (20000), CONNECTIONS (64), DURATION (10s), THREADS (server
#              request threads, 8), WRK_THREADS (2), PORT
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
[[ -x "$BIN" ]] || die "no executable at $BIN (build first: make build)"
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanad-bench.XXXXXX")
chmod 755 "$tmp"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ "$DB" == postgres ]] && scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port found"
}
PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"

case $DB in
  sqlite) url="sqlite:$tmp/bench.db" ;;
  postgres) scripts/pg-test-server.sh start "$tmp/pg" >/dev/null; url=$(cat "$tmp/pg/url") ;;
  *) die "DB must be sqlite or postgres" ;;
esac
sql() {  # one value from the database
  if [[ "$DB" == sqlite ]]; then sqlite3 "$tmp/bench.db" "$1"; else psql -qAt "$url" -c "$1"; fi
}

echo "== demo registry: $HOUSEHOLDS households ($DB)"
"$BIN" demo --db "$url" --households "$HOUSEHOLDS" --country MA --region MA-03 --seed 1 >"$tmp/demo.txt" 2>"$tmp/demo.err" \
  || { cat "$tmp/demo.err" >&2; die "sanad demo failed"; }
password=$(awk '$1 == "admin" { print $4 }' "$tmp/demo.txt")
[[ -n "$password" ]] || die "no admin password in the demo output"
household=$(sql "SELECT id FROM households ORDER BY id LIMIT 1 OFFSET $((HOUSEHOLDS / 2))")
national_id=$(sql "SELECT national_id FROM persons WHERE national_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET $((HOUSEHOLDS / 3))")
[[ -n "$household" && -n "$national_id" ]] || die "no household or national ID in the demo registry"

echo "== sanad serve --threads $THREADS on port $PORT"
"$BIN" serve --db "$url" --port "$PORT" --threads "$THREADS" --access-log none >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited"; }
  sleep 0.1
done
token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$BASE/api/v1/auth/token" |
  sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[[ -n "$token" ]] || die "no bearer token"

names=(healthz areas household name_search national_id)
declare -A path=(
  [healthz]="/healthz"
  [areas]="/api/v1/areas/MA-03.231.01.03"
  [household]="/api/v1/households/$household"
  [name_search]="/api/v1/persons?q=Mohamed%20Alaoui"
  [national_id]="/api/v1/persons?national_id=$national_id"
)
for n in "${names[@]}"; do
  code=$(curl -s -o "$tmp/$n.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE${path[$n]}")
  [[ "$code" == 200 ]] || die "GET ${path[$n]} answered $code: $(head -c 300 "$tmp/$n.json")"
done
grep -q "\"$national_id\"" "$tmp/national_id.json" || die "the national-ID search did not find $national_id"

for n in "${names[@]}"; do
  echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION ${path[$n]}"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" \
    "$BASE${path[$n]}" >"$tmp/$n.txt"
done

rps() { awk '/^Requests\/sec:/ { print $2 }' "$tmp/$1.txt"; }
pct_ms() {  # wrk's latency distribution line "50%" or "99%" in milliseconds
  awk -v q="$2" '$1 == q {
       v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
       if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
       printf "%.2f", v }' "$tmp/$1.txt"
}
errors() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' "$tmp/$1.txt"; }
declare -A goal=([healthz]="" [areas]="" [household]=0.20 [name_search]=0.10 [national_id]=0.20)
health=$(rps healthz)
echo
echo "== results: $DB, $HOUSEHOLDS households, $CONNECTIONS connections, $DURATION each, $THREADS server threads, $(nproc) cores"
printf '%-44s %11s %9s %9s %9s  %s\n' route requests/s "p50 ms" "p99 ms" "/healthz" goal
for n in "${names[@]}"; do
  r=$(rps "$n"); p50=$(pct_ms "$n" 50%); p99=$(pct_ms "$n" 99%)
  verdict=""
  if [[ -n "${goal[$n]}" ]]; then
    verdict=$(awk -v r="$r" -v h="$health" -v g="${goal[$n]}" -v p="$p99" 'BEGIN {
      ok = (r / h >= g && p <= 50); printf "≥ %d%% and p99 ≤ 50 ms: %s", g * 100, ok ? "met" : "NOT met" }')
  fi
  printf '%-44s %11.0f %9.2f %9.2f %9.2f  %s\n' "GET ${path[$n]:0:40}" "$r" "$p50" "$p99" \
    "$(awk -v r="$r" -v h="$health" 'BEGIN { print r / h }')" "$verdict"
  e=$(errors "$n"); [[ "$e" == 0 ]] || echo "   warning: $n had $e non-2xx responses or socket errors"
done
