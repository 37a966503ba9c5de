#!/usr/bin/env bash
# Delay of SPDCI change notifications (docs/dci.md "Subscriptions"): a partner system subscribed to new
# registrations receives one `notify` callback per approved change, driven by the registry's change feed
# and delivered from the durable outbox. This script runs a receiver for the partner on 127.0.0.1 that
# timestamps every callback, subscribes it, files and approves a burst of new households (each head with
# a national ID of her own) from several clients at once, records when each approval was answered, and
# prints the delay from approval to the callback that carries that ID: p50, p99 and max (goal: p99 ≤ 2 s),
# with the counts (every approved change notified exactly once).
#
# usage: bench/dci_notify_delay.sh [path/to/sanad]          (default: bin/sanad; builds nothing)
# environment: DB (sqlite|postgres; sqlite), HOUSEHOLDS (2000), CHANGES (300), CLIENTS (8), THREADS (8)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-bin/sanad}
DB=${DB:-sqlite}
HOUSEHOLDS=${HOUSEHOLDS:-2000}
CHANGES=${CHANGES:-300}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-8}

die() { echo "dci_notify_delay.sh: $*" >&2; exit 1; }
. bench/http_bench_lib.sh
[[ -x "$BIN" ]] || die "no executable at $BIN (build first: make build)"
command -v python3 >/dev/null || die "python3 is not installed"

bench_workdir notify

bench_database "$DB"

demo_registry "$BIN" "$HOUSEHOLDS"

# The partner's receiver: every POST answered 200 with an acknowledgement, logged with its arrival time.
receiver_port=$(free_port)
cat >"$tmp/receiver.py" <<'PY'
import http.server, json, sys, time
log = open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        log.write(json.dumps({"t": time.time(), "path": self.path, "body": body.decode("utf-8", "replace")}) + "\n")
        out = b'{"message":{"ack_status":"ACK"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$tmp/receiver.py" "$receiver_port" "$tmp/callbacks.jsonl" &
receiver_pid=$!

port=$(free_port)
base="http://127.0.0.1:$port"
echo "== sanad serve --threads $THREADS on port $port ($DB); the partner's receiver on port $receiver_port"
"$BIN" serve --db "$url" --port "$port" --threads "$THREADS" --access-log none >"$tmp/serve.log" 2>&1 &
server_pid=$!
wait_for_http "$base/healthz" "$server_pid" "$tmp/serve.log"

cat >"$tmp/driver.py" <<'PY'
import json, sys, threading, time, urllib.request
base, receiver, changes, clients, passwords, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5]), sys.argv[6]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read() or b"{}")
def token(user):
    return call("POST", "/api/v1/auth/token", {"username": user, "password": passwords[user]})[1]["access_token"]
admin, coord, partner = token("admin"), token("coordinator"), token("partner")
call("PUT", "/api/v1/dci/partners/partner", {"callback_url": receiver}, admin)
envelope = {"signature": "", "header": {"version": "1.0.0", "message_id": "m-sub", "message_ts": "2026-01-01T00:00:00Z",
            "action": "subscribe", "sender_id": "partner", "receiver_id": "sanad", "total_count": 1, "is_msg_encrypted": False},
            "message": {"transaction_id": "t-sub", "subscribe_request": [{"reference_id": "sub-1", "timestamp": "2026-01-01T00:00:00Z",
                "subscribe_criteria": {"reg_type": "ns:org:RegistryType:Social", "reg_event_type": "REGISTER",
                                       "notify_record_type": "Person", "filter": {}}}]}}
status, ack = call("POST", "/dci/registry/subscribe", envelope, partner)
assert status == 200, ack
time.sleep(1)  # the on-subscribe callback; the subscription is recorded before the ACK
approved, lock = {}, threading.Lock()
def worker(k):
    for i in range(k, changes, clients):
        nid = "ZT%06d" % i
        household = {"kind": "create_household", "payload": {
            "household": {"commune_code": "MA-03.231.01.03", "urban": True, "address": "%d rue de la Poste" % i},
            "members": [{"relationship": "head", "given_name_lat": "Amina", "family_name_lat": "Tazi", "sex": "F",
                         "birth_date": "1980-05-05", "national_id": nid}]}}
        _, filed = call("POST", "/api/v1/change-requests", household, coord)
        status, _ = call("POST", "/api/v1/change-requests/%d/approve" % filed["id"], {}, admin)
        assert status == 200
        with lock:
            approved[nid] = time.time()
t0 = time.time()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
burst = time.time() - t0
def received():
    out = {}
    for line in open(log):
        c = json.loads(line)
        if not c["path"].endswith("/registry/notify"): continue
        body, seen = c["body"], set()
        i = body.find("ZT")
        while i >= 0:
            seen.add(body[i:i + 8])
            i = body.find("ZT", i + 8)
        for nid in seen:  # once per callback, however often the ID appears in it
            out.setdefault(nid, []).append(c["t"])
    return out
deadline = time.time() + 60
while time.time() < deadline:
    got = received()
    if all(n in got for n in approved): break
    time.sleep(0.2)
got = received()
delays = sorted(min(got[n]) - approved[n] for n in approved if n in got)
missing = [n for n in approved if n not in got]
twice = [n for n in got if len(got[n]) > 1]
def pct(q):
    return delays[min(len(delays) - 1, int(round(q * (len(delays) - 1))))] if delays else float("nan")
print("approved changes: %d in %.2f s (%d clients, %.0f approvals/s)" % (len(approved), burst, clients, len(approved) / burst))
print("notified: %d, missing after 60 s: %d, notified more than once: %d" % (len(approved) - len(missing), len(missing), len(twice)))
print("delay from approval to notification: p50 %.3f s, p99 %.3f s, max %.3f s" % (pct(0.5), pct(0.99), delays[-1] if delays else float("nan")))
print("goal p99 <= 2 s: %s" % ("met" if delays and not missing and pct(0.99) <= 2 else "NOT met"))
PY
passwords=$(printf '{"admin":"%s","coordinator":"%s","partner":"%s"}' "$(demo_password admin)" "$(demo_password coordinator)" "$(demo_password partner)")
echo "== $CHANGES new households filed and approved by $CLIENTS clients (load $(awk '{ print $1 }' /proc/loadavg))"
python3 "$tmp/driver.py" "$base" "http://127.0.0.1:$receiver_port" "$CHANGES" "$CLIENTS" "$passwords" "$tmp/callbacks.jsonl"
