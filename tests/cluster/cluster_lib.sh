# Shared by the cluster tests and bench/index_freshness.sh (sourced): a fresh PostgreSQL database on
# the test server, `sanad serve` nodes on free loopback ports, and small HTTP helpers (curl + jq).
# The caller sets: sanad (binary), tmp (scratch directory), and calls cluster_cleanup on exit.

node_pids=()
fail() { echo "FAIL: $*" >&2; exit 1; }

# A port below the ephemeral range (32768+, where outgoing connections take theirs: a node once failed to
# bind 59748) that nothing listens on yet.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$(( 20000 + RANDOM % 12768 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

# fresh_pg_database URL_FILE → prints the URL of a new, empty database on the same server.
fresh_pg_database() {
  local base name
  base=$(cat "${1:?}") || fail "the PostgreSQL test server is not running (no $1)"
  name="cluster_$$_$RANDOM"
  psql "$base" -q -c "CREATE DATABASE $name" >/dev/null || fail "cannot create database $name"
  echo "${base%/*}/$name"
}

# start_node NAME DB PORT [extra serve options…]: starts `sanad serve` (access log in $tmp/NAME.access.log),
# waits for /healthz.
start_node() {
  local name=$1 db=$2 port=$3; shift 3
  "$sanad" serve --db "$db" --port "$port" --threads 4 --access-log "$tmp/$name.access.log" "$@" >>"$tmp/$name.log" 2>&1 &
  node_pids+=($!)
  for _ in $(seq 150); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  fail "node $name did not start: $(tail -5 "$tmp/$name.log")"
}

cluster_cleanup() {
  local pid
  for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  node_pids=()
}

# token BASE USER PASSWORD → a bearer token.
token() {
  curl -sf -X POST "$1/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" | jq -r .access_token
}

# file_change BASE TOKEN BODY → the change request id (fails the test on an error answer).
file_change() {
  local out
  out=$(curl -s -w '\n%{http_code}' -X POST "$1/api/v1/change-requests" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' -d "$3")
  [ "$(tail -n1 <<<"$out")" = 201 ] || fail "filing answered: $out"
  head -n -1 <<<"$out" | jq -r .id
}

# approve BASE TOKEN ID: approves (four eyes: TOKEN is not the author's).
approve() {
  local out
  out=$(curl -s -w '\n%{http_code}' -X POST "$1/api/v1/change-requests/$3/approve" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' -d '{"comment":"cluster test"}')
  [ "$(tail -n1 <<<"$out")" = 200 ] || fail "approval of $3 answered: $out"
}

# search BASE TOKEN QUERY → the JSON answer of GET /api/v1/persons?q=QUERY.
search() {
  curl -sf -G "$1/api/v1/persons" -H "Authorization: Bearer $2" --data-urlencode "q=$3" --data-urlencode limit=50
}
