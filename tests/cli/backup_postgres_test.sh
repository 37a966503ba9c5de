#!/usr/bin/env bash
# PostgreSQL backup (pg_dump -Fc from an exported snapshot) of a running server under a write load,
# restored with pg_restore into a second database of the same test server: the restore prints the
# backup's own row counts, the audit chain verifies, and every write acknowledged before the backup
# began is there. Also: a non-empty target is refused unless --force, and a backup of the other engine
# is refused with a message naming both kinds.
set -euo pipefail
sanad=${SANAD_BIN:?}
base=$(cat "${SANAD_TEST_PG_URL_FILE:?}")
server=${base%/*}
tmp=$(mktemp -d)
. "$(dirname "$0")/backup_lib.sh"
suffix="$$_$RANDOM"
src_name="backup_src_$suffix"; dst_name="backup_dst_$suffix"
pg() { psql -XAtq -v ON_ERROR_STOP=1 "$base" -c "$1" >/dev/null; }
drop_dbs() { for d in "$src_name" "$dst_name"; do psql -XAtq "$base" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done; }
trap 'cleanup_load; drop_dbs; rm -rf "$tmp"' EXIT
pg "CREATE DATABASE $src_name"
pg "CREATE DATABASE $dst_name"
db="$server/$src_name"
dst="$server/$dst_name"
port=$(( 20000 + RANDOM % 12000 ))
# A port below the ephemeral range (32768+, where outgoing connections take theirs) that nothing listens on yet.
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$(( 20000 + RANDOM % 12000 )); done

"$sanad" migrate --db "$db" >/dev/null 2>&1
start_server
note "server up"
start_load
wait_for_acks 6
note "load running"
cat "$tmp"/acks.? >"$tmp/acked_before"
"$sanad" backup --db "$db" --out "$tmp/snap.dump" >"$tmp/backup.out" 2>"$tmp/backup.err" || fail "backup: $(cat "$tmp/backup.err")"
wait_for_acks $(( $(grep -c '^ap ' "$tmp/acked_before") + 4 ))  # the server kept serving writes
cleanup_load
note "backup taken, load stopped"
[ "$(head -c 5 "$tmp/snap.dump")" = PGDMP ] || fail "backup is not a pg_dump custom archive"
[ "$(stat -c %a "$tmp/snap.dump")" = 600 ] || fail "backup file is readable by others"

note "checks"
"$sanad" restore --db "$dst" --in "$tmp/snap.dump" >"$tmp/restore.out" 2>"$tmp/restore.err" \
  || fail "restore: $(cat "$tmp/restore.err") $(cat "$tmp/restore.out")"
grep -q "audit chain intact" "$tmp/restore.out" || fail "restore did not verify the audit chain: $(cat "$tmp/restore.out")"
diff <(counts_of "$tmp/backup.out") <(counts_of "$tmp/restore.out") >"$tmp/diff" || fail "row counts differ: $(cat "$tmp/diff")"
[ "$(counts_of "$tmp/restore.out" | wc -l)" -ge 10 ] || fail "restore printed too few tables: $(cat "$tmp/restore.out")"
"$sanad" audit verify --db "$dst" | grep -q intact || fail "audit verify fails on the restored database"
check_acknowledged "$tmp/acked_before" "psql -XAtq $dst -c"
live=$(psql -XAtq "$db" -c "SELECT COUNT(*) FROM change_requests")
restored=$(psql -XAtq "$dst" -c "SELECT COUNT(*) FROM change_requests")
[ "$live" -gt "$restored" ] || fail "no write landed after the backup ($live live, $restored restored): the load did not overlap"
echo "change requests: $restored in the backup, $live in the live database"
# The restored database serves: its identity sequences continue after the restored ids.
echo "a long enough password" | "$sanad" user add --db "$dst" --username after_restore --role auditor >/dev/null 2>"$tmp/err" \
  || fail "user add on the restored database: $(cat "$tmp/err")"

# A non-empty target is refused; --force replaces its whole content (the extra account disappears).
"$sanad" restore --db "$dst" --in "$tmp/snap.dump" >/dev/null 2>"$tmp/err" && fail "restore into a non-empty database accepted"
grep -q "not empty" "$tmp/err" || fail "no refusal message: $(cat "$tmp/err")"
"$sanad" restore --db "$dst" --in "$tmp/snap.dump" --force >"$tmp/force.out" 2>&1 || fail "restore --force: $(cat "$tmp/force.out")"
diff <(counts_of "$tmp/backup.out") <(counts_of "$tmp/force.out") >"$tmp/diff" || fail "row counts differ after --force: $(cat "$tmp/diff")"
[ "$(psql -XAtq "$dst" -c "SELECT COUNT(*) FROM users WHERE username = 'after_restore'")" = 0 ] || fail "--force kept old rows"

# The file kind must match the engine.
"$sanad" restore --db "sqlite:$tmp/x.db" --in "$tmp/snap.dump" >/dev/null 2>"$tmp/err" && fail "pg_dump archive restored into SQLite"
grep -q "is a PostgreSQL pg_dump archive but sqlite:$tmp/x.db needs a SQLite database" "$tmp/err" || fail "no mismatch message: $(cat "$tmp/err")"
[ ! -e "$tmp/x.db" ] || fail "a refused restore created the target file"
"$sanad" migrate --db "sqlite:$tmp/lite.db" >/dev/null 2>&1
"$sanad" backup --db "sqlite:$tmp/lite.db" --out "$tmp/lite.bak" >/dev/null 2>&1
"$sanad" restore --db "$dst" --in "$tmp/lite.bak" --force >/dev/null 2>"$tmp/err" && fail "SQLite backup restored into PostgreSQL"
grep -q "is a SQLite database but .* needs a PostgreSQL pg_dump archive" "$tmp/err" || fail "no mismatch message: $(cat "$tmp/err")"
# A password in the URL reaches pg_dump through its environment, never through its command line
# (where any local user could read it): a wrapper on PATH records both.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/pg_dump" <<WRAP
#!/bin/sh
printf '%s\n' "\$*" >"$tmp/pg_dump.argv"
printf '%s\n' "\$PGPASSWORD" >"$tmp/pg_dump.env"
exec "$(command -v pg_dump)" "\$@"
WRAP
chmod +x "$tmp/bin/pg_dump"
with_password="postgresql://${server#postgresql://}/$src_name"
with_password="${with_password/@/:Secret-Pw-42@}"
PATH="$tmp/bin:$PATH" "$sanad" backup --db "$with_password" --out "$tmp/pw.dump" >/dev/null 2>"$tmp/err" || fail "backup with a password: $(cat "$tmp/err")"
grep -q -- "--snapshot=" "$tmp/pg_dump.argv" || fail "the wrapper did not run: $(cat "$tmp/pg_dump.argv")"
grep -q "Secret-Pw-42" "$tmp/pg_dump.argv" && fail "the password is on pg_dump's command line"
[ "$(cat "$tmp/pg_dump.env")" = "Secret-Pw-42" ] || fail "PGPASSWORD not set for pg_dump"
echo "backup_postgres: 1 passed, 0 failed"
