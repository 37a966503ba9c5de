#!/usr/bin/env bash
# The installed Sanad works away from its checkout.
#   install_test.sh prefix BUILD_DIR   `cmake --install BUILD_DIR --prefix TMP`
#   install_test.sh deb BUILD_DIR      the Debian package built by CPack, checked and unpacked (dpkg -x)
# Then, from a folder outside the checkout and with no SANAD_* variable of the caller: the layout,
# `sanad config check`, `sanad migrate`, `sanad user add`, `sanad serve` (/healthz, the Arabic
# sign-in page, the regions of Morocco with a bearer token), and the refusal of a database whose
# schema is newer than the binary.
set -euo pipefail
mode=${1:?prefix or deb}
build=$(cd "${2:?build dir}" && pwd)
checkout=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($mode): $*" >&2; exit 1; }

case $mode in
  prefix)
    "${CMAKE:-cmake}" --install "$build" --prefix "$tmp/root" >"$tmp/install.log" 2>&1 || fail "install: $(tail -5 "$tmp/install.log")"
    prefix=$tmp/root
    etc=$tmp/root/etc
    unit_bin=$prefix/bin/sanad
    ;;
  deb)
    "${CPACK:-cpack}" --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || fail "cpack: $(tail -20 "$tmp/cpack.log")"
    deb=$(ls "$tmp"/pkg/sanad_*_amd64.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || fail "no sanad_<version>_amd64.deb in $(ls "$tmp/pkg")"
    dpkg-deb -f "$deb" Package | grep -qx sanad || fail "package name"
    depends=$(dpkg-deb -f "$deb" Depends)
    for lib in libc6 libstdc++6 libsqlite3-0 libpq5 libsodium23 libsoci libtcmalloc-minimal4; do
      echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
    done
    dpkg-deb -e "$deb" "$tmp/control"
    grep -qx /etc/sanad/sanad.conf "$tmp/control/conffiles" || fail "sanad.conf is not a conffile"
    grep -q "useradd --system" "$tmp/control/postinst" || fail "postinst does not create the sanad user"
    grep -q "/var/lib/sanad" "$tmp/control/postinst" || fail "postinst does not create /var/lib/sanad"
    dpkg-deb -x "$deb" "$tmp/root"
    prefix=$tmp/root/usr
    etc=$tmp/root/etc
    unit_bin=/usr/bin/sanad
    ;;
  *) fail "unknown mode" ;;
esac

# Layout.
bin=$prefix/bin/sanad
[ -x "$bin" ] || fail "no $bin"
[ -f "$prefix/share/sanad/web/index.html" ] || fail "no web build in share/sanad/web"
for f in admin/ma_regions_12.csv admin/dz_communes_1541.csv admin/PROVENANCE.md admin/LICENSE.geoalgeria-MIT.txt \
         names/maghreb_name_variants.csv names/PROVENANCE.md models/rsu-illustrative-2026.json; do
  [ -f "$prefix/share/sanad/data/$f" ] || fail "no data/$f"
done
[ ! -e "$prefix/share/sanad/data/linkage" ] || fail "benchmark data sets installed"
[ -f "$etc/sanad/sanad.conf" ] || fail "no etc/sanad/sanad.conf"
unit=$prefix/lib/systemd/system/sanad.service
[ -f "$unit" ] || fail "no lib/systemd/system/sanad.service"
for line in "ExecStart=$unit_bin serve --config" "User=sanad" "NoNewPrivileges=yes" "ProtectSystem=strict" \
            "ReadWritePaths=/var/lib/sanad" "PrivateTmp=yes" "ProtectHome=yes" "Restart=on-failure"; do
  grep -q "^$line" "$unit" || fail "unit lacks $line"
done
if command -v systemd-analyze >/dev/null && [ "$mode" = deb ]; then
  # Only the unit's own syntax: the binary and the user it names exist on an installed system.
  systemd-analyze verify "$unit" 2>&1 | grep -v -e "sanad: No such file" -e "Command /usr/bin/sanad" \
    -e "is not executable" -e "Unit sanad.service" -e "^$" > "$tmp/verify.log" || true
  [ ! -s "$tmp/verify.log" ] || fail "systemd-analyze: $(cat "$tmp/verify.log")"
fi

# Run from a folder that is not the checkout, with a clean environment.
mkdir -p "$tmp/run"
cd "$tmp/run"
run() { env -i PATH=/usr/bin:/bin HOME="$tmp/run" LANG=C.UTF-8 "$@"; }
# In the background, with `&` (the subshell becomes the process, so that $! is the server's pid).
run_bg() { exec env -i PATH=/usr/bin:/bin HOME="$tmp/run" LANG=C.UTF-8 "$@"; }
sed "s|^db = .*|db = \"sqlite:$tmp/run/sanad.db\"|" "$etc/sanad/sanad.conf" >"$tmp/sanad.conf"
conf=(--config "$tmp/sanad.conf")

run "$bin" --version | grep -q "^sanad " || fail "--version"
run "$bin" config check "${conf[@]}" >"$tmp/check.out" 2>&1 || fail "config check: $(cat "$tmp/check.out")"
grep -Eq "^web_root +$prefix/share/sanad/web +default" "$tmp/check.out" || fail "web root not found from the prefix: $(cat "$tmp/check.out")"
grep -Eq "^data_dir +$prefix/share/sanad/data +default" "$tmp/check.out" || fail "data dir not found from the prefix: $(cat "$tmp/check.out")"
grep -Eq "^db +sqlite:$tmp/run/sanad.db +file " "$tmp/check.out" || fail "db not from the file: $(cat "$tmp/check.out")"
if grep -q "$checkout" "$tmp/check.out"; then fail "the installed binary points into the checkout: $(cat "$tmp/check.out")"; fi

run "$bin" migrate "${conf[@]}" >"$tmp/migrate.out" 2>&1 || fail "migrate: $(cat "$tmp/migrate.out")"
grep -q "loaded .* reference areas from $prefix/share/sanad/data" "$tmp/migrate.out" || fail "areas not loaded from the prefix: $(cat "$tmp/migrate.out")"
echo "installed atlas ledger 7" | run "$bin" user add "${conf[@]}" --username admin --role admin >/dev/null 2>"$tmp/user.err" \
  || fail "user add: $(cat "$tmp/user.err")"

port=$(( 20000 + RANDOM % 12000 ))
# A port below the ephemeral range (32768+, where outgoing connections take theirs) that nothing listens on yet.
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$(( 20000 + RANDOM % 12000 )); done
run_bg SANAD_PORT="$port" "$bin" serve "${conf[@]}" --access-log none >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || fail "server did not answer /healthz: $(tail -5 "$tmp/serve.log")"
curl -sf "http://127.0.0.1:$port/" >"$tmp/index.html" || fail "GET / failed"
grep -q '<html lang="ar" dir="rtl">' "$tmp/index.html" || fail "GET / is not the Arabic page: $(head -3 "$tmp/index.html")"
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"installed atlas ledger 7"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[ -n "$token" ] || fail "no bearer token"
code=$(curl -s -o "$tmp/areas.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/areas?country=MA&level=region")
[ "$code" = 200 ] || fail "areas answered $code: $(cat "$tmp/areas.json")"
grep -q '"total":12' "$tmp/areas.json" || fail "not the 12 regions of Morocco: $(head -c 300 "$tmp/areas.json")"
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e; pid=""
[ "$rc" = 0 ] || fail "serve exit code $rc after SIGTERM"

# Downgrade: a database migrated by a newer version is refused, by migrate and by serve.
cp "$tmp/run/sanad.db" "$tmp/run/newer.db"
sqlite3 "$tmp/run/newer.db" "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01')"
for cmd in migrate serve; do
  set +e
  run SANAD_PORT="$port" "$bin" "$cmd" --db "sqlite:$tmp/run/newer.db" >"$tmp/newer.out" 2>&1; rc=$?
  set -e
  [ "$rc" != 0 ] || fail "$cmd accepted a database whose schema is newer than the binary"
  grep -q "schema version 9999 is newer than this binary" "$tmp/newer.out" || fail "$cmd: $(cat "$tmp/newer.out")"
done
echo "install ($mode): 1 passed, 0 failed"
