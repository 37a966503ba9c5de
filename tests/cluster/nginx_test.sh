#!/usr/bin/env bash
# packaging/nginx/sanad.conf in front of two `sanad serve` nodes on one PostgreSQL database: requests
# reach both nodes, the caller's X-Request-Id goes through (and nginx makes one when there is none), a
# browser session opened through nginx works on whichever node answers (sessions are database rows),
# logging out through one node ends it on both (on the other within its 5 s session cache), and a body
# above the server's limit stops at nginx.
set -euo pipefail
sanad=${SANAD_BIN:?}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx is not installed: run scripts/install-deps.sh" >&2; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$(dirname "$0")/cluster_lib.sh"
nginx_pid=""
trap '[ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null; cluster_cleanup; rm -rf "$tmp"' EXIT

db=$(fresh_pg_database "${SANAD_TEST_PG_URL_FILE:?}")
"$sanad" migrate --db "$db" >/dev/null 2>&1
echo "cedar hills review 2026" | "$sanad" user add --db "$db" --username coord --role regional_coordinator --area MA-03 >/dev/null 2>&1
port_a=$(free_port); port_b=$(free_port); port_n=$(free_port)
start_node a "$db" "$port_a" --trusted-proxy 127.0.0.1
start_node b "$db" "$port_b" --trusted-proxy 127.0.0.1

# The shipped file with this test's addresses: nodes, listening port, log file.
conf=$tmp/nginx
mkdir -p "$conf/logs" "$conf/temp"
sed -e "s/server 127.0.0.1:8081 /server 127.0.0.1:$port_a /" -e "s/server 127.0.0.1:8082 /server 127.0.0.1:$port_b /" \
    -e "s/listen 80;/listen 127.0.0.1:$port_n;/" -e "s|/var/log/nginx/sanad.access.log|$conf/logs/access.log|" \
    "$(dirname "$0")/../../packaging/nginx/sanad.conf" > "$conf/sanad.conf"
grep -q "127.0.0.1:$port_a" "$conf/sanad.conf" && grep -q "127.0.0.1:$port_b" "$conf/sanad.conf" || fail "upstream not rewritten"
cat > "$conf/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
pid $conf/nginx.pid;
error_log $conf/logs/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path $conf/temp/body;
  proxy_temp_path $conf/temp/proxy;
  fastcgi_temp_path $conf/temp/fastcgi;
  uwsgi_temp_path $conf/temp/uwsgi;
  scgi_temp_path $conf/temp/scgi;
  include $conf/sanad.conf;
}
CONF
"$nginx" -t -q -p "$conf" -e "$conf/logs/error.log" -c "$conf/nginx.conf" || fail "nginx -t: $(cat "$conf/logs/error.log")"
"$nginx" -p "$conf" -e "$conf/logs/error.log" -c "$conf/nginx.conf" -g "daemon off;" &
nginx_pid=$!
N="http://127.0.0.1:$port_n"
for _ in $(seq 50); do curl -sf "$N/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$N/healthz" >/dev/null || fail "nginx does not answer: $(cat "$conf/logs/error.log")"

# Round robin: 10 requests, each with its own id, reach both nodes, and each id comes back.
for i in $(seq 10); do
  rid=$(curl -sf -D - -o /dev/null -H "X-Request-Id: nginx-test-$i" "$N/healthz" | tr -d '\r' | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p')
  [ "$rid" = "nginx-test-$i" ] || fail "request $i: X-Request-Id came back as '$rid'"
done
sleep 0.2  # access logs are flushed per line; give the writes a moment
a=$(grep -c '"request_id":"nginx-test-' "$tmp/a.access.log" || true)
b=$(grep -c '"request_id":"nginx-test-' "$tmp/b.access.log" || true)
[ "$a" -ge 1 ] && [ "$b" -ge 1 ] && [ $((a + b)) = 10 ] || fail "requests per node: a=$a b=$b (want both ≥ 1, total 10)"
rid=$(curl -sf -D - -o /dev/null "$N/healthz" | tr -d '\r' | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p')
[[ "$rid" =~ ^[0-9a-f]{32}$ ]] || fail "without X-Request-Id nginx should supply its own; got '$rid'"
grep -q "rid=$rid" "$conf/logs/access.log" || fail "nginx's access log lacks the request id $rid"

# Behind the trusted proxy the client's address is the one nginx forwarded, not nginx's own.
curl -sf -o /dev/null -H 'X-Request-Id: forwarded-1' -H 'X-Forwarded-For: 203.0.113.9' "$N/healthz" || fail "forwarded request"
sleep 0.2
cat "$tmp/a.access.log" "$tmp/b.access.log" | grep '"request_id":"forwarded-1"' | grep -q '"remote":"203.0.113.9"' \
  || fail "the access log does not show the forwarded client address"

# A browser session opened through nginx works on both nodes; logging out ends it everywhere.
jar=$tmp/cookies
csrf=$(curl -sf -c "$jar" -X POST "$N/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"coord","password":"cedar hills review 2026"}' | jq -r .csrf_token)
[ -n "$csrf" ] && [ "$csrf" != null ] || fail "login through nginx failed"
for i in 1 2 3 4; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "X-Request-Id: session-$i" "$N/api/v1/auth/me")
  [ "$code" = 200 ] || fail "session request $i answered $code"
done
sleep 0.2
grep -q '"request_id":"session-' "$tmp/a.access.log" && grep -q '"request_id":"session-' "$tmp/b.access.log" \
  || fail "the session requests did not reach both nodes"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -X POST -H "X-CSRF-Token: $csrf" "$N/api/v1/auth/logout")
[ "$code" = 204 ] || fail "logout answered $code"
# Each node caches a validated session for 5 s (AuthPolicy::cache_ttl); the node that logged out
# forgets it at once, the other one within that time.
for port in "$port_a" "$port_b"; do
  for _ in $(seq 70); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$port/api/v1/auth/me")
    [ "$code" = 401 ] && break
    sleep 0.1
  done
  [ "$code" = 401 ] || fail "7 s after logout, node on $port still answered $code"
done



echo "cluster nginx: 1 passed, 0 failed"
