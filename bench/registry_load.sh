#!/usr/bin/env bash
# Benchmark (not a test): `sanad demo --households N` — generate a synthetic registry and load it into a
# fresh database — against the issue's goal of 1,000,000 households in at most 60 s on this machine.
#   bench/registry_load.sh [HOUSEHOLDS] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
backend=${2:-sqlite}
sanad=${SANAD_BIN:-bin/sanad}
tmp=$(mktemp -d); chmod 755 "$tmp"; trap 'scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
if [ "$backend" = postgres ]; then
  scripts/pg-test-server.sh start "$tmp/pg" >/dev/null
  url=$(cat "$tmp/pg/url")
else
  url="sqlite:$tmp/registry.db"
fi
"$sanad" migrate --db "$url" >/dev/null 2>&1
start=$(date +%s.%N)
out=$(/usr/bin/time -f "%M" "$sanad" demo --db "$url" --households "$n" --country MA --seed 7 2>"$tmp/err" | tail -1)
end=$(date +%s.%N)
rss_kb=$(tail -1 "$tmp/err")
echo "$out"
awk -v b="$backend" -v n="$n" -v s="$start" -v e="$end" -v kb="$rss_kb" 'BEGIN {
  w = e - s; printf "registry_load backend=%s households=%d wall=%.1f s peak_rss=%.0f MiB goal=60 s ratio_to_goal=%.2f (<1 = within goal)\n", b, n, w, kb / 1024, w / 60 }'
