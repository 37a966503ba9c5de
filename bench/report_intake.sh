#!/usr/bin/env bash
# Reliability of public report intake (issue 11, docs/eservices.md): clients post reports of an elderly
# person in danger to POST /api/v1/public/reports on a SQLite server; in the middle of the run the server
# is killed with SIGKILL, restarted, and the clients carry on. Every report the server acknowledged
# (201 with a tracking code and a service_request_id) must be in the database afterwards: prints
# acknowledged vs stored (must be equal), the missing ones if any, and the intake rate before the kill
# (goal ≥ 1,000 reports/s on this machine). Not a test: a program that prints its figures.
#
# usage: bench/report_intake.sh [path/to/sanad]          (default: bin/sanad; builds nothing)
# environment: THREADS (server request threads, 4), CLIENTS (concurrent client connections, 32),
#              BEFORE (seconds of intake before the kill, 5), AFTER (seconds after the restart, 3), PORT
set -euo pipefail

BIN=${1:-bin/sanad}
THREADS=${THREADS:-4}
CLIENTS=${CLIENTS:-32}
BEFORE=${BEFORE:-5}
AFTER=${AFTER:-3}

die() { echo "report_intake.sh: $*" >&2; exit 1; }
. "$(dirname "$0")/http_bench_lib.sh"
[[ -x "$BIN" ]] || die "no executable at $BIN (build first: make build)"
command -v python3 >/dev/null || die "python3 is not installed"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed"
[[ -e /tmp/sanad-bench-running ]] && die "another benchmark is running (/tmp/sanad-bench-running)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanad-intake.XXXXXX")
server_pid=""
client_pid=""
cleanup() {
  for pid in "$client_pid" "$server_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

PORT=${PORT:-$(free_port)}
DB="$tmp/intake.db"

start_server() {
  "$BIN" serve --db "sqlite:$DB" --port "$PORT" --threads "$THREADS" --access-log none \
    --web-root "$tmp/no-web" >>"$tmp/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited"; }
    sleep 0.05
  done
  die "the server does not answer"
}

echo "== sanad serve on sqlite:$DB, $THREADS request threads, port $PORT"
start_server

# The clients: keep-alive connections posting reports as fast as answers come; each 201 is written
# to acked.txt (service_request_id) by the client, which is not killed. Connection errors while the
# server is down are counted and retried on a new connection.
cat >"$tmp/client.py" <<'PY'
import http.client, json, sys, threading, time
port, clients, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
communes = ["MA-03.231.01.03", "MA-06.371.01.01", "MA-01.511.01.01"]
lock = threading.Lock()
acked, errors = [], [0]
stop = threading.Event()
def worker(n):
    conn, i = None, 0
    while not stop.is_set():
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i += 1
        body = json.dumps({"service_code": "elderly_in_danger", "commune_code": communes[i % 3],
                           "description": f"client {n} report {i} personne agee seule {n * 1000003 + i}",
                           "immediate_danger": i % 2 == 0})
        try:
            conn.request("POST", "/api/v1/public/reports", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            if r.status == 201:
                with lock:
                    acked.append(json.loads(data)["service_request_id"])
            else:
                with lock:
                    errors[0] += 1
        except Exception:
            with lock:
                errors[0] += 1
            conn.close()
            conn = None
            time.sleep(0.01)
threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
for t in threads: t.start()
try:
    while True:
        line = sys.stdin.readline()
        if not line or line.strip() == "stop": break
        if line.strip() == "count":
            with lock: print(len(acked), errors[0], flush=True)
finally:
    stop.set()
    for t in threads: t.join()
    with open(out, "w") as f:
        f.write("\n".join(acked) + ("\n" if acked else ""))
    print(len(acked), errors[0], flush=True)
PY

mkfifo "$tmp/ctl"
python3 "$tmp/client.py" "$PORT" "$CLIENTS" "$tmp/acked.txt" <"$tmp/ctl" >"$tmp/client.out" &
client_pid=$!
exec 4>"$tmp/ctl"
t0=$(date +%s.%N)
sleep "$BEFORE"
echo count >&4
t1=$(date +%s.%N)
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
sleep 1
before=$(head -1 "$tmp/client.out" | awk '{ print $1 }')
echo "== SIGKILL after ${BEFORE}s: $before reports acknowledged"
echo "== restart"
start_server
sleep "$AFTER"
echo stop >&4
exec 4>&-
wait "$client_pid"
client_pid=""
read -r acked errors < <(tail -1 "$tmp/client.out")
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

stored=$(sqlite3 "$DB" "SELECT COUNT(*) FROM eservice_reports")
sqlite3 "$DB" "SELECT public_id FROM eservice_reports" | sort >"$tmp/stored.txt"
sort "$tmp/acked.txt" >"$tmp/acked.sorted"
missing=$(comm -23 "$tmp/acked.sorted" "$tmp/stored.txt" | wc -l)
rate=$(awk -v n="$before" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
echo "acknowledged: $acked"
echo "stored:       $stored"
echo "acknowledged but missing: $missing"
echo "unanswered or refused requests (server down, connections cut): $errors"
echo "intake rate before the kill: $rate reports/s ($CLIENTS clients, $THREADS server threads; goal 1000)"
if [[ "$missing" -ne 0 ]]; then
  echo "FAIL: acknowledged reports were lost"
  exit 1
fi
echo "OK: every acknowledged report is stored (stored - acknowledged = $((stored - acked)): answers lost with the killed connections)"
