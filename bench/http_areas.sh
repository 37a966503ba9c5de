#!/usr/bin/env bash
# GET /api/v1/areas/{code} with a bearer token under 256 concurrent connections (wrk), against the trivial
# route GET /healthz of the same server in the same run: prints requests/s, p99 and the ratios.
#
# usage: bench/http_areas.sh [path/to/sanad]          (default: bin/sanad; builds nothing)
# environment: THREADS (server request threads, 4), CONNECTIONS (256), DURATION (10s), WRK_THREADS (2),
#              CODE (area code, MA-01.511.01.01 = Assilah, a commune with two ancestors), PORT (free port)
set -euo pipefail

BIN=${1:-bin/sanad}
THREADS=${THREADS:-4}
CONNECTIONS=${CONNECTIONS:-256}
DURATION=${DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}
CODE=${CODE:-MA-01.511.01.01}

die() { echo "http_areas.sh: $*" >&2; exit 1; }
. "$(dirname "$0")/http_bench_lib.sh"
[[ -x "$BIN" ]] || die "no executable at $BIN (build first: make build)"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanad-bench.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"

echo "== demo database"
"$BIN" demo --db "sqlite:$tmp/bench.db" >"$tmp/demo.txt" 2>"$tmp/demo.err" || { cat "$tmp/demo.err" >&2; die "sanad demo failed"; }
password=$(awk '$1 == "admin" { print $4 }' "$tmp/demo.txt")
[[ -n "$password" ]] || die "no admin password in the demo output"

echo "== sanad serve --threads $THREADS on port $PORT"
"$BIN" serve --db "sqlite:$tmp/bench.db" --port "$PORT" --threads "$THREADS" --access-log none \
  --web-root "$tmp/no-web" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited"; }
  sleep 0.1
done
curl -fs "$BASE/healthz" >/dev/null || die "the server does not answer"

token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$BASE/api/v1/auth/token" |
  sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[[ -n "$token" ]] || die "no bearer token"
status=$(curl -s -o "$tmp/area.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/areas/$CODE")
[[ "$status" == 200 ]] || die "GET /api/v1/areas/$CODE answered $status: $(cat "$tmp/area.json")"

run_wrk() {  # name, url, [header]
  local name=$1 url=$2
  shift 2
  echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency $url"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$tmp/$name.txt"
  cat "$tmp/$name.txt"
}
run_wrk areas "$BASE/api/v1/areas/$CODE" -H "Authorization: Bearer $token"
run_wrk healthz "$BASE/healthz"


areas_rps=$(rps "$tmp/areas.txt"); health_rps=$(rps "$tmp/healthz.txt")
areas_p99=$(pct_ms "$tmp/areas.txt" 99%); health_p99=$(pct_ms "$tmp/healthz.txt" 99%)
echo
echo "== results ($CONNECTIONS connections, $DURATION each, server threads $THREADS, $(nproc) cores)"
printf '%-34s %12s %10s\n' "route" "requests/s" "p99 ms"
printf '%-34s %12.0f %10.2f\n' "GET /api/v1/areas/$CODE" "$areas_rps" "$areas_p99"
printf '%-34s %12.0f %10.2f\n' "GET /healthz" "$health_rps" "$health_p99"
awk -v a="$areas_rps" -v h="$health_rps" -v ap="$areas_p99" -v hp="$health_p99" 'BEGIN {
  printf "ratio areas/healthz: throughput %.2f, p99 %.2f\n", a / h, (hp > 0 ? ap / hp : 0) }'
for n in areas healthz; do
  e=$(errors "$tmp/$n.txt")
  [[ "$e" == 0 ]] || echo "warning: $n: $(grep -E 'Non-2xx|Socket errors' "$tmp/$n.txt" | tr -s ' ' | paste -sd ';')"
done
