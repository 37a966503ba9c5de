#!/usr/bin/env bash
# Benchmark (not a test): a full ASD run on N synthetic households (default 5,000,000) — every household
# scored anew, then the cycle — computed by src/targeting and src/cycles on SQLite against the same
# computation as set-based SQL in PostgreSQL 15 on the same registry (bench/asd_cycle.cpp). Goals: at
# most 15 s on SQLite at 5 M, at least 5× faster than PostgreSQL's SQL. The registries are generated
# (`sanad demo`, same seed on both databases) and scored (`sanad score`) first; that part is not timed.
# /tmp/sanad-bench-running exists while the runs are timed, so that others pause their builds.
#   bench/asd_cycle.sh [HOUSEHOLDS] [PERIOD]      e.g. bench/asd_cycle.sh 200000 2026-09
# ASD_CYCLE_KEEP=DIR keeps the registries (and the PostgreSQL server) in DIR and reuses them on the next
# run with the same DIR, so that a change to the engine is measured again without regenerating them
# (stop the server afterwards with scripts/pg-test-server.sh stop DIR/pg). SKIP_POSTGRES=1 times SQLite only.
# Needs the `sanad` and `asd_cycle` programs: cmake --build build/release --target sanad asd_cycle
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000000}
period=${2:-2026-09}
build=${BUILD:-build/release}
sanad=${SANAD_BIN:-$build/src/app/sanad}
bench=${ASD_CYCLE_BIN:-$build/bench/asd_cycle}
model=data/models/rsu-illustrative-2026.json
flag=/tmp/sanad-bench-running
if [ -n "${ASD_CYCLE_KEEP:-}" ]; then
  tmp=$ASD_CYCLE_KEEP; mkdir -p "$tmp"; chmod 755 "$tmp"
  trap '[ -z "${owned:-}" ] || rm -f "$flag"' EXIT
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/asd_cycle.XXXXXX"); chmod 755 "$tmp"
  trap '[ -z "${owned:-}" ] || rm -f "$flag"; scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
fi
lite="sqlite:$tmp/registry.db"
urls=("$lite")
if [ -z "${SKIP_POSTGRES:-}" ]; then
  scripts/pg-test-server.sh start "$tmp/pg" >/dev/null
  pg=$(cat "$tmp/pg/url")
  urls+=("$pg")
fi
for url in "${urls[@]}"; do
  # The PostgreSQL marker lives in the server's folder, which a restart of the server makes anew.
  made="$tmp/made-sqlite-$n"; [ "$url" = "$lite" ] || made="$tmp/pg/made-$n"
  if [ -f "$made" ]; then
    "$sanad" migrate --db "$url" >/dev/null 2>&1   # a later migration (an index) applies to the kept registry
    continue
  fi
  start=$(date +%s.%N)
  "$sanad" migrate --db "$url" >/dev/null 2>&1
  "$sanad" demo --db "$url" --households "$n" --country MA --seed 7 2>/dev/null | tail -1
  "$sanad" score --db "$url" --model "$model" --as-of "$period-01" 2>/dev/null | tail -1
  awk -v s="$start" -v e="$(date +%s.%N)" -v u="${url%%:*}" 'BEGIN { printf "%s registry made and scored in %.0f s\n", u, e - s }'
  touch "$made"
done
while [ -f "$flag" ]; do echo "waiting for another benchmark ($flag)"; sleep 30; done
touch "$flag"; owned=1
if [ -n "${SKIP_POSTGRES:-}" ]; then
  "$bench" --sqlite "$lite" --period "$period" --model "$model"
else
  "$bench" --sqlite "$lite" --postgres "$pg" --period "$period" --model "$model"
fi
