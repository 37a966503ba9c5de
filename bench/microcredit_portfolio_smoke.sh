#!/usr/bin/env bash
# Smoke run of the micro-credit portfolio benchmark (ctest label `bench`): a small portfolio generated in
# a database of its own on the PostgreSQL test server, then the engine's path and the SQL comparator,
# which must give the same figures for every wilaya (the program exits 3 otherwise). Not a timing.
set -euo pipefail
sanad=${SANAD_BIN:?}
bench=${MC_BENCH_BIN:?}
base=$(cat "${SANAD_TEST_PG_URL_FILE:?}")
name="mc_bench_$$_$RANDOM"
psql -XAtq -v ON_ERROR_STOP=1 "$base" -c "CREATE DATABASE $name" >/dev/null
trap 'psql -XAtq "$base" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
db="${base%/*}/$name"
"$sanad" migrate --db "$db" >/dev/null
"$bench" --postgres "$db" --loans "${LOANS:-3000}" --load
