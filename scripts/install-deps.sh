#!/usr/bin/env bash
# Installs what Sanad needs to build, test and run, from Debian packages and the npm registry only.
# Idempotent: installs only what is missing; uses sudo when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev nlohmann-json3-dev
  libsoci-dev libboost-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-contrib
  libsodium-dev libicu-dev libspdlog-dev libcli11-dev libxlsxwriter-dev zlib1g-dev libcrack2-dev cracklib-runtime
  libgtest-dev libgmock-dev googletest
  chromium wrk curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then missing+=(nodejs); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a cluster we do not use: tests and demos start their own servers.
  if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q online; then
    $SUDO pg_ctlcluster 15 main stop 2>/dev/null || true
  fi
fi

# Front-end packages, exactly as locked; reinstalled only when the lock file changes.
if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.sanad-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
fi
echo "dependencies ready"
