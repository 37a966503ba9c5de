#!/usr/bin/env bash
# Configuration as an operator meets it: `sanad config check` (sources, masked secrets, errors that
# name the key), and `sanad serve` taking its port from the command line over the environment over
# the file.
set -euo pipefail
sanad=${SANAD_BIN:?}
tmp=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# A clean environment: no SANAD_* of the caller, no /etc/sanad/sanad.conf of the machine.
run() { env -i PATH=/usr/bin:/bin HOME="$tmp" LANG=C.UTF-8 SANAD_CONFIG= "$@"; }
# In the background, with `&` (the subshell becomes the process, so that $! is the server's pid).
run_bg() { exec env -i PATH=/usr/bin:/bin HOME="$tmp" LANG=C.UTF-8 SANAD_CONFIG= "$@"; }
conf=$tmp/sanad.conf

# expect_error FILE KEY TEXT: config check exits 1 and its message names KEY and says TEXT.
expect_error() {
  set +e
  run "$sanad" config check --config "$1" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  set -e
  [ $rc = 1 ] || fail "config check of $(cat "$1") exited $rc, want 1"
  grep "^error: " "$tmp/err" | grep -F "$2" | grep -qF "$3" || fail "no error naming '$2' ($3): $(cat "$tmp/err")"
}

# Sources: default, file, environment; unused secrets shown as not set.
cat >"$conf" <<EOF
# comment
db = "sqlite:$tmp/a.db"
port = 9001
threads = 3
EOF
run SANAD_THREADS=5 "$sanad" config check --config "$conf" >"$tmp/out" 2>"$tmp/err" || fail "good file refused: $(cat "$tmp/err")"
grep -Eq "^configuration file: $conf \(--config\)" "$tmp/out" || fail "file not named: $(cat "$tmp/out")"
grep -Eq "^port +9001 +file $conf" "$tmp/out" || fail "port not from the file: $(cat "$tmp/out")"
grep -Eq "^threads +5 +env SANAD_THREADS" "$tmp/out" || fail "threads not from the environment: $(cat "$tmp/out")"
grep -Eq "^bind +127.0.0.1 +default" "$tmp/out" || fail "bind not default: $(cat "$tmp/out")"
grep -Eq "^db_password +\(none\) +not set" "$tmp/out" || fail "db_password row: $(cat "$tmp/out")"
grep -q "configuration OK" "$tmp/out" || fail "no OK line"

# SANAD_CONFIG names the file too.
run SANAD_CONFIG="$conf" "$sanad" config check >"$tmp/out" 2>&1 || fail "SANAD_CONFIG: $(cat "$tmp/out")"
grep -Eq "^configuration file: $conf \(SANAD_CONFIG\)" "$tmp/out" || fail "SANAD_CONFIG not used: $(cat "$tmp/out")"

# Secrets: never printed, from the environment or from an owner-only file.
cat >"$tmp/pg.conf" <<EOF
db = "postgresql://sanad@127.0.0.1:5432/sanad"
db_password_file = "$tmp/db-password"
EOF
printf 'file-secret-42\n' >"$tmp/db-password"
chmod 600 "$tmp/db-password"
run SANAD_DB_PASSWORD=env-secret-42 "$sanad" config check --config "$tmp/pg.conf" >"$tmp/out" 2>&1 || fail "secret config refused: $(cat "$tmp/out")"
grep -Eq '^db_password +\*{8} +env SANAD_DB_PASSWORD' "$tmp/out" || fail "db_password not masked or not from env: $(cat "$tmp/out")"
! grep -q "secret-42" "$tmp/out" || fail "a secret was printed"
run "$sanad" config check --config "$tmp/pg.conf" >"$tmp/out" 2>&1 || fail "secret file refused: $(cat "$tmp/out")"
grep -Eq '^db_password +\*{8} +file named by db_password_file' "$tmp/out" || fail "db_password not from the file: $(cat "$tmp/out")"
! grep -q "secret-42" "$tmp/out" || fail "a secret was printed"
chmod 640 "$tmp/db-password"
expect_error "$tmp/pg.conf" db_password_file "group or others (mode 0640)"
chmod 600 "$tmp/db-password"
echo 'db_password_file = "'"$tmp"'/missing"' >"$tmp/missing.conf"
expect_error "$tmp/missing.conf" db_password_file "cannot read secret file"
echo 'db_password = "hunter2hunter2"' >"$tmp/inline.conf"
expect_error "$tmp/inline.conf" db_password "secrets are not read from the configuration file"
! grep -q hunter2 "$tmp/err" "$tmp/out" || fail "the inline secret was printed"
echo 'db = "postgresql://sanad:hunter2hunter2@db:5432/x"' >"$tmp/urlpw.conf"
run "$sanad" config check --config "$tmp/urlpw.conf" >"$tmp/out" 2>&1 || fail "URL with password: $(cat "$tmp/out")"
grep -q "warning: db: the URL holds a password" "$tmp/out" || fail "no warning for a password in the URL"
! grep -q hunter2 "$tmp/out" || fail "the URL's password was printed: $(cat "$tmp/out")"

# Errors name the key; a configured command refuses to start on them.
echo "prot = 8080" >"$tmp/bad.conf"
expect_error "$tmp/bad.conf" prot "unknown key 'prot'"
set +e
run "$sanad" serve --config "$tmp/bad.conf" --db "sqlite:$tmp/x.db" >"$tmp/out" 2>&1; rc=$?
set -e
[ $rc = 2 ] || fail "serve with an unknown key exited $rc, want 2"
grep -q "unknown key 'prot'" "$tmp/out" || fail "serve did not name the key: $(cat "$tmp/out")"
echo "port = 0" >"$tmp/bad.conf"
expect_error "$tmp/bad.conf" port "not in range"
echo 'db = "mysql://x@y/z"' >"$tmp/bad.conf"
expect_error "$tmp/bad.conf" db "unsupported database URL"
printf '[serve]\nport = 1\n' >"$tmp/bad.conf"
expect_error "$tmp/bad.conf" serve "sections are not used"
expect_error "$tmp/nonexistent.conf" config "cannot read configuration file"
set +e
run SANAD_PORT=eighty "$sanad" config check --config "$conf" >"$tmp/out" 2>"$tmp/err"; rc=$?
set -e
[ $rc = 1 ] && grep -q "port: SANAD_PORT=eighty" "$tmp/err" || fail "bad SANAD_PORT: rc $rc, $(cat "$tmp/err")"

# Precedence on a running server: flag over environment over file.
port_file=$(( 20000 + RANDOM % 4000 )); port_env=$(( port_file + 4000 )); port_flag=$(( port_file + 8000 ))
printf 'db = "sqlite:%s/serve.db"\nport = %d\naccess_log = "none"\n' "$tmp" "$port_file" >"$conf"
run "$sanad" migrate --config "$conf" >/dev/null 2>&1 || fail "migrate with the file"
[ -f "$tmp/serve.db" ] || fail "migrate did not use the file's db"
serve_on() {  # serve_on EXPECTED_PORT ARGS...: the server answers on EXPECTED_PORT
  local want=$1; shift
  "$@" >"$tmp/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$want/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$want/healthz" >/dev/null || fail "no server on port $want: $(tail -3 "$tmp/serve.log")"
  kill -TERM "$pid"; wait "$pid" || fail "serve on port $want did not stop cleanly"; pid=""
}
serve_on "$port_file" run_bg "$sanad" serve --config "$conf"
serve_on "$port_env" run_bg SANAD_PORT="$port_env" "$sanad" serve --config "$conf"
serve_on "$port_flag" run_bg SANAD_PORT="$port_env" "$sanad" serve --config "$conf" --port "$port_flag"
echo "config: 1 passed, 0 failed"
