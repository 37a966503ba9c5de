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
  running_root=$dir
  [ -f "$dir/data_root" ] && running_root=$(cat "$dir/data_root")
  if [ -f "$dir/url" ] && as_owner "$pgbin/pg_ctl" -D "$running_root/data" status >/dev/null 2>&1; then
    echo "already running: $(cat "$dir/url")"; exit 0
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  # As root the server runs as 'postgres', which must reach its data folder: a checkout under /root
  # (mode 700) is out of its reach, so the data then lives in a folder of its own under /tmp.
  data_root=$dir
  if [ "$(id -u)" = 0 ]; then
    data_root=$(mktemp -d /tmp/sanad-pgtest.XXXXXX)
    chown postgres "$data_root"
    echo "$data_root" > "$dir/data_root"
  fi
  as_owner "$pgbin/initdb" -D "$data_root/data" -U sanad --auth=trust -E UTF8 --locale=C.UTF-8 >"$data_root/initdb.log" 2>&1 \
    || { cat "$data_root/initdb.log" >&2; exit 1; }
  for attempt in $(seq 1 50); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && continue   # taken
    if as_owner "$pgbin/pg_ctl" -D "$data_root/data" -l "$data_root/server.log" -w -t 60 \
         -o "-p $port -k $data_root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
         start >/dev/null; then
      as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U sanad sanad_test
      echo "postgresql://sanad@127.0.0.1:$port/sanad_test" > "$dir/url.tmp"
      mv "$dir/url.tmp" "$dir/url"
      echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') test server: $(cat "$dir/url")"
      exit 0
    fi
  done
  cat "$data_root/server.log" >&2; exit 1 ;;
stop)
  data_root=$dir
  [ -f "$dir/data_root" ] && data_root=$(cat "$dir/data_root")
  [ -d "$data_root/data" ] && as_owner "$pgbin/pg_ctl" -D "$data_root/data" -m fast -w stop >/dev/null 2>&1 || true
  case $data_root in /tmp/sanad-pgtest.*) rm -rf "$data_root" ;; esac
  rm -rf "$dir" ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
