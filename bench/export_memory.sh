#!/usr/bin/env bash
# Benchmark (not a test): peak resident memory of `sanad serve` while it exports every person of a demo
# registry as CSV and as XLSX (GET /api/v1/exports/persons), against the server's own peak before the
# export. A streamed export keeps the server's peak flat whatever the number of rows.
#   bench/export_memory.sh [HOUSEHOLDS=30000]   (about 115,000 persons)   or   DB=sqlite:PATH bench/export_memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-30000}
sanad=${SANAD_BIN:-bin/sanad}
port=${PORT:-18190}
tmp=$(mktemp -d); trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
pid=
db=${DB:-}
if [ -z "$db" ]; then
  db="sqlite:$tmp/registry.db"
  "$sanad" demo --db "$db" --households "$n" --country MA --region MA-03 --seed 7 > "$tmp/demo.out"
  password=$(awk '$1 == "admin" {print $4}' "$tmp/demo.out")
else
  password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" | "$sanad" user add --db "$db" --username "bench.export" --role admin > /dev/null
fi
user=$([ -z "${DB:-}" ] && echo admin || echo bench.export)
"$sanad" serve --db "$db" --port "$port" --threads 4 --access-log none > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/v1/auth/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status"; }
base=$(hwm)
for format in csv xlsx; do
  start=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $token" -o "$tmp/persons.$format" "http://127.0.0.1:$port/api/v1/exports/persons?format=$format"
  end=$(date +%s.%N)
  rows=$([ "$format" = csv ] && echo $(( $(wc -l < "$tmp/persons.csv") - 1 )) || echo "-")
  awk -v f="$format" -v r="$rows" -v b="$base" -v p="$(hwm)" -v s="$start" -v e="$end" -v bytes="$(stat -c %s "$tmp/persons.$format")" 'BEGIN {
    printf "export_memory format=%s rows=%s bytes=%d wall=%.1f s server_peak_rss=%d MiB before_export=%d MiB growth=%d MiB\n", f, r, bytes, e - s, p, b, p - b }'
done
