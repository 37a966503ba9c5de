#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL 15 server for the storage and HTTP test suites.
#   scripts/pg-test-server.sh start DIR   → initdb into DIR, start on a free loopback port, write DIR/url
#   scripts/pg-test-server.sh stop DIR    → stop it and remove DIR
# As root (CI), the server runs as the unprivileged 'postgres' account, which PostgreSQL requires.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found: run scripts/install-deps.sh" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $action in
start)
  if [ -f "$dir/url" ] && as_owner "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "already running: $(cat "$dir/url")"; exit 0
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$pgbin/initdb" -D "$dir/data" -U sanad --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in $(seq 1 50); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && continue   # taken
    if as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
         start >/dev/null; then
      as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U sanad sanad_test
      echo "postgresql://sanad@127.0.0.1:$port/sanad_test" > "$dir/url.tmp"
      mv "$dir/url.tmp" "$dir/url"
      echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') test server: $(cat "$dir/url")"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2; exit 1 ;;
stop)
  [ -d "$dir/data" ] && as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
