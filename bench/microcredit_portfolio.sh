#!/usr/bin/env bash
# Benchmark (not a test): the nightly ageing of a micro-credit portfolio of N loans × 36 instalments
# (default 1,000,000 loans: 36 M instalments) and its PAR report by wilaya through src/microcredit,
# against the same computation as SQL inside PostgreSQL 15, in the same run (bench/microcredit_portfolio.cpp).
# Goals: at most 10 s at 1 M loans, at least 5× faster than the SQL. The portfolio is generated inside
# PostgreSQL first (set-based, not timed as the figure). /tmp/sanad-bench-running exists while the two
# computations are timed, so that others pause their builds.
#   bench/microcredit_portfolio.sh [LOANS] [AS_OF]      e.g. bench/microcredit_portfolio.sh 20000
# MC_BENCH_KEEP=DIR keeps the PostgreSQL server and its portfolio in DIR and reuses them on the next run
# with the same DIR and size (stop it afterwards with scripts/pg-test-server.sh stop DIR/pg).
# Needs the `sanad` and `microcredit_portfolio` programs:
#   cmake --build build/release --target sanad microcredit_portfolio
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
as_of=${2:-2026-06-30}
build=${BUILD:-build/release}
sanad=${SANAD_BIN:-$build/src/app/sanad}
bench=${MC_BENCH_BIN:-$build/bench/microcredit_portfolio}
flag=/tmp/sanad-bench-running
if [ -n "${MC_BENCH_KEEP:-}" ]; then
  tmp=$MC_BENCH_KEEP; mkdir -p "$tmp"; chmod 755 "$tmp"
  trap '[ -z "${owned:-}" ] || rm -f "$flag"' EXIT
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/mc_bench.XXXXXX"); chmod 755 "$tmp"
  trap '[ -z "${owned:-}" ] || rm -f "$flag"; scripts/pg-test-server.sh stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
fi
scripts/pg-test-server.sh start "$tmp/pg" >/dev/null
pg=$(cat "$tmp/pg/url")
"$sanad" migrate --db "$pg" >/dev/null 2>&1
made="$tmp/pg/made-$n-$as_of"
if [ ! -f "$made" ]; then
  "$bench" --postgres "$pg" --loans "$n" --as-of "$as_of" --load-only
  touch "$made"
fi
while [ -f "$flag" ]; do echo "waiting for another benchmark ($flag)"; sleep 30; done
touch "$flag"; owned=1
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" --postgres "$pg" --loans "$n" --as-of "$as_of"
