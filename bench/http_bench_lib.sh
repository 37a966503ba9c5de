# Shared by the HTTP benchmarks (source it): the run's folder and its cleanup, ports, waiting for a
# server, reading wrk's report, the run's database and its demo registry. The caller defines die() and
# either calls bench_workdir or sets $tmp itself.

# bench_workdir NAME: $tmp, a new folder the run's processes may read (the PostgreSQL server runs as
# another user), and a cleanup on exit that stops the processes whose ids the script keeps in
# server_pid, receiver_pid and client_pid, stops the run's database and removes the folder.
bench_workdir() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanad-$1.XXXXXX")
  chmod 755 "$tmp"
  server_pid="" receiver_pid="" client_pid=""
  trap bench_cleanup EXIT
}
bench_cleanup() {
  # Not under `set -e`: a process killed here makes `wait` return 143, which must not end the cleanup
  # before the other processes, the database and the folder.
  set +e
  local pid
  for pid in "$client_pid" "$receiver_pid" "$server_pid"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  bench_stop_database
  rm -rf "$tmp"
}

# A TCP port nothing listens on, on 127.0.0.1.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# wait_for_http URL PID LOG: until URL answers, or die with the server's log when PID exits.
wait_for_http() {
  for _ in $(seq 1 600); do
    curl -fs "$1" >/dev/null 2>&1 && return
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; die "the server exited"; }
    sleep 0.1
  done
  die "the server does not answer at $1"
}

# From a file holding wrk's report (--latency): requests per second; a percentile ("50%", "99%") in
# milliseconds; the count of non-2xx/3xx answers and socket errors.
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
pct_ms() {
  awk -v q="$2" '$1 == q {
       v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
       if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
       printf "%.2f", v }' "$1"
}
errors() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' "$1"; }

# The database of a benchmark run, in $tmp (the caller's temporary folder) — bench_database KIND sets
# `url` for KIND sqlite (a file) or postgres (a throw-away PostgreSQL 15 from scripts/pg-test-server.sh,
# with fsync and synchronous_commit back on: the test server runs without them, and a benchmark of
# acknowledged writes or audited reads needs the durability of production). bench_stop_database stops
# it (call it from the caller's cleanup). sql QUERY prints one value.
bench_database() {
  bench_db=$1
  case $bench_db in
    sqlite) url="sqlite:$tmp/bench.db" ;;
    postgres)
      scripts/pg-test-server.sh start "$tmp/pg" >/dev/null; bench_pg_started=1; url=$(cat "$tmp/pg/url")
      psql -qAt "$url" -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
        -c "SELECT pg_reload_conf()" >/dev/null ;;
    *) die "DB must be sqlite or postgres" ;;
  esac
}
bench_stop_database() {
  [[ -n "${bench_pg_started:-}" ]] && scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1
  bench_pg_started=""
}
sql() { if [[ "$bench_db" == sqlite ]]; then sqlite3 "$tmp/bench.db" "$1"; else psql -qAt "$url" -c "$1"; fi; }

# demo_registry BIN HOUSEHOLDS: a demo registry of Fès-Meknès in the benchmark's database (seed 1), settled
# on PostgreSQL (vacuum, analyze, checkpoint: the load leaves them due); the accounts in $tmp/demo.txt, a
# password read with demo_password USER.
demo_registry() {
  echo "== demo registry: $2 households, Fès-Meknès ($bench_db)"
  "$1" demo --db "$url" --households "$2" --country MA --region MA-03 --seed 1 >"$tmp/demo.txt" 2>"$tmp/demo.err" \
    || { cat "$tmp/demo.err" >&2; die "sanad demo failed"; }
  if [[ "$bench_db" == postgres ]]; then psql -qAt "$url" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null; fi
}
demo_password() { awk -v u="$1" '$1 == u { print $4 }' "$tmp/demo.txt"; }
