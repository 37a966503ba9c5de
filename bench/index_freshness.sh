#!/usr/bin/env bash
# How fresh is another app server's name index? Two `sanad serve` nodes on one PostgreSQL 15 database
# (a throw-away server started here); a steady stream of approvals on node A (each a new person, filed
# by one account and approved by another); for each, the delay between A's answer to the approval and
# the first name search that finds the person on B (through the change feed: NOTIFY, else polling) and,
# as the baseline in the same run, on A itself (its in-process listener).
#   bench/index_freshness.sh [path/to/sanad] [approvals=200] [per_second=10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanad=${1:-$root/bin/sanad}
count=${2:-200}
rate=${3:-10}
[ -x "$sanad" ] || { echo "no sanad binary at $sanad (build it first)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed for the measuring client" >&2; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$root/tests/cluster/cluster_lib.sh"
trap 'cluster_cleanup; "$root/scripts/pg-test-server.sh" stop "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

"$root/scripts/pg-test-server.sh" start "$tmp/pg" >/dev/null
db=$(fresh_pg_database "$tmp/pg/url")
"$sanad" migrate --db "$db" >/dev/null 2>&1
echo "olive grove ledger 2026" | "$sanad" user add --db "$db" --username agent --role data_entry >/dev/null 2>&1
echo "cedar hills review 2026" | "$sanad" user add --db "$db" --username coord --role regional_coordinator >/dev/null 2>&1
port_a=$(free_port); port_b=$(free_port)
start_node a "$db" "$port_a"
start_node b "$db" "$port_b"
A="http://127.0.0.1:$port_a"; B="http://127.0.0.1:$port_b"
echo "two nodes on PostgreSQL $(psql "$db" -Atc 'SHOW server_version'): A $A, B $B; $count approvals at $rate/s on A"
python3 "$root/bench/index_freshness.py" --a "$A" --b "$B" --agent "$(token "$A" agent "olive grove ledger 2026")" \
  --coord "$(token "$A" coord "cedar hills review 2026")" --count "$count" --rate "$rate"
