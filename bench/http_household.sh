#!/usr/bin/env bash
# Audited reads over HTTP: GET /api/v1/households/{id} (a random household of the demo registry per
# request; each read appends a hash-chained audit entry before it answers) with a bearer token under 64
# connections (wrk), against GET /healthz of the same server in the same run: prints requests/s, p99,
# the ratio, and checks that the audit chain is intact and holds one entry per answered read.
#
# usage: bench/http_household.sh [path/to/sanad]      (default: bin/sanad; builds nothing)
# environment: HOUSEHOLDS (20000), THREADS (server request threads, 8), CONNECTIONS (64), DURATION (10s),
#              WRK_THREADS (2), DB (reuse this SQLite file if it exists), PORT (free port)
set -euo pipefail

BIN=${1:-bin/sanad}
HOUSEHOLDS=${HOUSEHOLDS:-20000}
THREADS=${THREADS:-8}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}

die() { echo "http_household.sh: $*" >&2; exit 1; }
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

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}
PORT=${PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
DB=${DB:-$tmp/bench.db}

if [[ ! -e "$DB" ]]; then
  echo "== demo database: $HOUSEHOLDS households"
  "$BIN" demo --db "sqlite:$DB" --households "$HOUSEHOLDS" --country MA --region MA-03 --seed 1 >"$tmp/demo.txt" 2>"$tmp/demo.err" ||
    { cat "$tmp/demo.err" >&2; die "sanad demo failed"; }
fi
password="bench password $RANDOM$RANDOM"
echo "$password" | "$BIN" user add --db "sqlite:$DB" --username "bench$RANDOM$RANDOM" --role admin >"$tmp/user.txt" 2>"$tmp/user.err" ||
  die "user add failed: $(cat "$tmp/user.err")"
user=$(sed -E 's/^created user ([^ ]+).*/\1/' "$tmp/user.txt")

echo "== sanad serve --threads $THREADS on port $PORT"
"$BIN" serve --db "sqlite:$DB" --port "$PORT" --threads "$THREADS" --access-log none \
  --web-root "$tmp/no-web" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited"; }
  sleep 0.1
done
curl -fs "$BASE/healthz" >/dev/null || die "the server does not answer"

token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$BASE/api/v1/auth/token" |
  sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[[ -n "$token" ]] || die "no bearer token"
max_id=$(sqlite3 "$DB" "SELECT MAX(id) FROM households")
status=$(curl -s -o "$tmp/h.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/households/1")
[[ "$status" == 200 ]] || die "GET /api/v1/households/1 answered $status: $(cat "$tmp/h.json")"
cat >"$tmp/random.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/households/" .. math.random(1, $max_id), {["Authorization"] = "Bearer $token"})
end
LUA
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit_log")

run_wrk() {  # name, url, [args]
  local name=$1 url=$2
  shift 2
  echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency $url $*"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$tmp/$name.txt"
  cat "$tmp/$name.txt"
}
run_wrk household "$BASE" -s "$tmp/random.lua"
after=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit_log")
run_wrk healthz "$BASE/healthz"

rps() { awk '/^Requests\/sec:/ { print $2 }' "$tmp/$1.txt"; }
p99_ms() {
  awk '$1 == "99%" {
         v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
         if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
         printf "%.2f", v }' "$tmp/$1.txt"
}
answered() { awk '/requests in/ { print $1 }' "$tmp/$1.txt"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$tmp/$1.txt"; }

h_rps=$(rps household); z_rps=$(rps healthz)
h_p99=$(p99_ms household); z_p99=$(p99_ms healthz)
echo
echo "== results ($CONNECTIONS connections, $DURATION each, server threads $THREADS, $(nproc) cores, $max_id households)"
printf '%-34s %12s %10s\n' "route" "requests/s" "p99 ms"
printf '%-34s %12.0f %10.2f\n' "GET /api/v1/households/{random}" "$h_rps" "$h_p99"
printf '%-34s %12.0f %10.2f\n' "GET /healthz" "$z_rps" "$z_p99"
awk -v a="$h_rps" -v h="$z_rps" 'BEGIN { printf "ratio households/healthz: throughput %.3f\n", a / h }'
echo "audit entries written during the household run: $((after - before)) for $(answered household) requests ($(non2xx household) non-2xx)"
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
"$BIN" audit verify --db "sqlite:$DB" | tail -1
