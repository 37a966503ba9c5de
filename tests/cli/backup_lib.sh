# Shared by the backup tests (sourced): a real `sanad serve`, a write load over HTTP by two accounts
# (one files change requests, the other approves them), and the record of every acknowledged write.
# The sourcing script sets: sanad, tmp, db (URL), port; and calls cleanup from its EXIT trap.

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "[${SECONDS}s] $*"; }  # phase timings in the test log
serve_pid=""
load_pids=()

cleanup_load() {
  touch "$tmp/stop"
  for p in "${load_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  load_pids=()
  if [ -n "$serve_pid" ]; then kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true; serve_pid=""; fi
}

# Creates the two accounts, starts the server and obtains a bearer token for each.
start_server() {
  echo "olive grove ledger 2026" | "$sanad" user add --db "$db" --username loadagent --role data_entry >/dev/null 2>"$tmp/user.log" \
    || fail "user add: $(cat "$tmp/user.log")"
  echo "cedar hills review 2026" | "$sanad" user add --db "$db" --username loadcoord --role regional_coordinator --area MA-03 \
    >/dev/null 2>>"$tmp/user.log" || fail "user add: $(cat "$tmp/user.log")"
  "$sanad" serve --db "$db" --port "$port" --threads 4 --access-log none >>"$tmp/serve.log" 2>&1 &
  serve_pid=$!
  local ok=""
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && { ok=1; break; }; sleep 0.1; done
  [ -n "$ok" ] || fail "server did not start: $(tail -5 "$tmp/serve.log")"
  agent_token=$(token loadagent "olive grove ledger 2026")
  coord_token=$(token loadcoord "cedar hills review 2026")
  [ -n "$agent_token" ] && [ -n "$coord_token" ] || fail "no bearer tokens"
}

token() {
  curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}

# One writer: files a household creation as `agent`, has `coord` approve it, and appends to $1 a line
# per acknowledged write ("cr ID" after a 201, "ap ID" after a 200) only once the answer has arrived.
load_loop() {
  local log=$1 n=0 code id body
  while [ ! -e "$tmp/stop" ]; do
    n=$((n + 1))
    body="{\"kind\":\"create_household\",\"payload\":{\"household\":{\"commune_code\":\"MA-03.231.01.03\",\"urban\":true},
      \"members\":[{\"relationship\":\"head\",\"given_name_lat\":\"Load$BASHPID\",\"family_name_lat\":\"Writer$n\",\"sex\":\"F\",\"birth_date\":\"1980\"}]}}"
    code=$(curl -s -o "$log.body" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/change-requests" \
      -H "Authorization: Bearer $agent_token" -H 'Content-Type: application/json' -d "$body") || true
    [ "$code" = 201 ] || { echo "error $code $(head -c 200 "$log.body")" >>"$log.errors"; continue; }
    id=$(grep -o '"id":[0-9]*' "$log.body" | head -n 1 | cut -d: -f2)  # keys are sorted: the request's own id
    echo "cr $id" >>"$log"
    code=$(curl -s -o "$log.body" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/change-requests/$id/approve" \
      -H "Authorization: Bearer $coord_token" -H 'Content-Type: application/json' -d '{}') || true
    if [ "$code" = 200 ]; then echo "ap $id" >>"$log"; else echo "error $code $(head -c 200 "$log.body")" >>"$log.errors"; fi
  done
}

start_load() {
  rm -f "$tmp/stop"
  for w in 1 2; do
    load_loop "$tmp/acks.$w" &
    load_pids+=($!)
  done
}

# Waits until at least $1 change requests have been approved (so the backup lands mid-load).
wait_for_acks() {
  for _ in $(seq 300); do
    [ "$(cat "$tmp"/acks.? 2>/dev/null | grep -c '^ap ')" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "the load did not get $1 approvals: $(cat "$tmp"/acks.?.errors 2>/dev/null | head -3)"
}

# The per-table counts a backup or restore printed ("  table rows" lines between the header and the total).
counts_of() { awk '/^  table /{on=1; next} /^  \(all tables\)/{on=0} on {print $1, $2}' "$1"; }

# Checks that every write acknowledged in $1 (a copy of the ack logs) is in the restored database;
# $2 is a command that prints the result of one SQL query given as its argument.
check_acknowledged() {
  local acks=$1 query=$2 crs aps want got
  crs=$(awk '$1=="cr"{print $2}' "$acks" | paste -sd, -)
  aps=$(awk '$1=="ap"{print $2}' "$acks" | paste -sd, -)
  [ -n "$crs" ] && [ -n "$aps" ] || fail "no write was acknowledged before the backup"
  want=$(awk '$1=="cr"' "$acks" | wc -l)
  got=$($query "SELECT COUNT(*) FROM change_requests WHERE id IN ($crs)")
  [ "$got" = "$want" ] || fail "$want change requests acknowledged before the backup, $got in the restored database"
  want=$(awk '$1=="ap"' "$acks" | wc -l)
  got=$($query "SELECT COUNT(*) FROM change_requests WHERE status = 'applied' AND id IN ($aps)")
  [ "$got" = "$want" ] || fail "$want approvals acknowledged before the backup, $got applied in the restored database"
  echo "all $(wc -l <"$acks") writes acknowledged before the backup are in the restored database"
}
