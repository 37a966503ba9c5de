# Shared by the HTTP benchmarks (source it): a free port, waiting for a server, and reading wrk's report.
# The caller defines die().

# A TCP port nothing listens on, on 127.0.0.1.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# wait_for_http URL PID LOG: until URL answers, or die with the server's log when PID exits.
wait_for_http() {
  for _ in $(seq 1 600); do
    curl -fs "$1" >/dev/null 2>&1 && return
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; die "the server exited"; }
    sleep 0.1
  done
  die "the server does not answer at $1"
}

# From a file holding wrk's report (--latency): requests per second; a percentile ("50%", "99%") in
# milliseconds; the count of non-2xx/3xx answers and socket errors.
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
pct_ms() {
  awk -v q="$2" '$1 == q {
       v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
       if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
       printf "%.2f", v }' "$1"
}
errors() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' "$1"; }
