#!/usr/bin/env bash
# SQLite backup of a running server under a write load, restored into a new file: the restore prints the
# backup's own row counts, the audit chain verifies, and every write acknowledged before the backup
# began is there. Also: no overwriting a backup, no restoring into a non-empty file without --force.
set -euo pipefail
sanad=${SANAD_BIN:?}
tmp=$(mktemp -d)
. "$(dirname "$0")/backup_lib.sh"
trap 'cleanup_load; rm -rf "$tmp"' EXIT
db="sqlite:$tmp/live.db"
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
"$sanad" backup --db "$db" --out "$tmp/snap.db" >"$tmp/backup.out" 2>"$tmp/backup.err" || fail "backup: $(cat "$tmp/backup.err")"
wait_for_acks $(( $(grep -c '^ap ' "$tmp/acked_before") + 4 ))  # the server kept serving writes
cleanup_load
note "backup taken, load stopped"
grep -q "written to $tmp/snap.db" "$tmp/backup.out" || fail "backup did not report its file: $(cat "$tmp/backup.out")"
[ "$(stat -c %a "$tmp/snap.db")" = 600 ] || fail "backup file is readable by others: $(stat -c %a "$tmp/snap.db")"
[ ! -e "$tmp/snap.db-wal" ] || fail "backup left a -wal file: it is not self-contained"
[ "$(sqlite3 "$tmp/snap.db" 'PRAGMA journal_mode')" = delete ] || fail "backup is not in rollback-journal mode"

"$sanad" backup --db "$db" --out "$tmp/snap.db" >/dev/null 2>"$tmp/err" && fail "backup overwrote an existing file"
grep -q "already exists" "$tmp/err" || fail "no overwrite message: $(cat "$tmp/err")"

"$sanad" restore --db "sqlite:$tmp/restored.db" --in "$tmp/snap.db" >"$tmp/restore.out" 2>"$tmp/restore.err" \
  || fail "restore: $(cat "$tmp/restore.err") $(cat "$tmp/restore.out")"
grep -q "audit chain intact" "$tmp/restore.out" || fail "restore did not verify the audit chain: $(cat "$tmp/restore.out")"
diff <(counts_of "$tmp/backup.out") <(counts_of "$tmp/restore.out") >"$tmp/diff" || fail "row counts differ: $(cat "$tmp/diff")"
[ "$(counts_of "$tmp/restore.out" | wc -l)" -ge 10 ] || fail "restore printed too few tables: $(cat "$tmp/restore.out")"
"$sanad" audit verify --db "sqlite:$tmp/restored.db" | grep -q intact || fail "audit verify fails on the restored database"
check_acknowledged "$tmp/acked_before" "sqlite3 $tmp/restored.db"
live=$(sqlite3 "$tmp/live.db" "SELECT COUNT(*) FROM change_requests")
restored=$(sqlite3 "$tmp/restored.db" "SELECT COUNT(*) FROM change_requests")
[ "$live" -gt "$restored" ] || fail "no write landed after the backup ($live live, $restored restored): the load did not overlap"
echo "change requests: $restored in the backup, $live in the live database"

# A non-empty target is refused, and --force replaces its content.
"$sanad" restore --db "$db" --in "$tmp/snap.db" >/dev/null 2>"$tmp/err" && fail "restore into a non-empty database accepted"
grep -q "not empty" "$tmp/err" || fail "no refusal message: $(cat "$tmp/err")"
"$sanad" restore --db "$db" --in "$tmp/snap.db" --force >"$tmp/force.out" 2>&1 || fail "restore --force: $(cat "$tmp/force.out")"
[ "$(sqlite3 "$tmp/live.db" "SELECT COUNT(*) FROM change_requests")" = "$restored" ] || fail "--force did not replace the content"
diff <(counts_of "$tmp/backup.out") <(counts_of "$tmp/force.out") >"$tmp/diff" || fail "row counts differ after --force: $(cat "$tmp/diff")"
# A file that is no backup is named as such.
echo "not a backup" >"$tmp/junk"
"$sanad" restore --db "sqlite:$tmp/other.db" --in "$tmp/junk" >/dev/null 2>"$tmp/err" && fail "junk file restored"
grep -q "neither a SQLite database nor a pg_dump archive" "$tmp/err" || fail "no file-kind message: $(cat "$tmp/err")"
echo "backup_sqlite: 1 passed, 0 failed"
