#!/usr/bin/env bash
# Runs the README's two commands, `make demo` and `make test`, on a clean Debian 12 (bookworm) root made
# with debootstrap, from a `git clone` of HEAD. A missing install step (a header that only a developer's
# machine happened to have, a too-old Node.js, a service that was started by hand) fails here before it
# reaches a new machine. It is not part of `make test`: it takes a while (a full build without any cache).
#
#   sudo scripts/fresh-machine-check.sh [--workdir DIR] [--keep] [--ccache DIR]
#
#   --workdir DIR  where the root is built (default: a new folder under /var/tmp; never the source tree)
#   --keep         leave the root in place after the run (for inspection); by default it is removed
#   --ccache DIR   compile through ccache with the cache in DIR (bind-mounted). Faster, and it cannot hide a
#                  missing header (a cache miss runs the real preprocessor), but the default run uses none.
#
# The root gets only what a fresh Debian 12 server has plus the README's prerequisites (git, make, sudo);
# everything else must come from the project's own scripts. Prints each step, its duration and a final
# PASS or FAIL line. Needs root (debootstrap, chroot, mounts) and the Debian mirror.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
workdir="" keep=0 ccache_dir=""
while [ $# -gt 0 ]; do
  case $1 in
    --workdir) workdir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --ccache) ccache_dir=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: $0 [--workdir DIR] [--keep] [--ccache DIR]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "fresh-machine-check: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
[ -n "$workdir" ] || workdir=$(mktemp -d /var/tmp/sanad-fresh.XXXXXX)
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
case "$workdir/" in "$src"/*) echo "fresh-machine-check: --workdir must be outside the source tree" >&2; exit 2 ;; esac
root=$workdir/root
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
log=$workdir/check.log
: >"$log"

mounted=()
demo_pid=""
cleanup() {
  local rc=$?
  [ -n "$demo_pid" ] && kill -- -"$demo_pid" 2>/dev/null || true
  # Stop anything still running inside the root (the demo server, a PostgreSQL test server), then unmount.
  if [ -d "$root/proc" ]; then
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
    done
  fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if [ "$keep" = 0 ]; then rm -rf --one-file-system "$workdir"; else echo "kept: $root (log: $log)"; fi
  exit $rc
}
trap cleanup EXIT INT TERM

results=()
step() {  # step NAME COMMAND...: runs, times and records one step; the log keeps the full output
  local name=$1; shift
  local t0=$SECONDS rc=0
  echo "== $name"
  echo "   \$ $*"
  "$@" >>"$log" 2>&1 || rc=$?
  local dt=$((SECONDS - t0))
  results+=("$(printf '%-34s %5ss  %s' "$name" "$dt" "$([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc)")")")
  echo "   $([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc)") in ${dt}s"
  if [ $rc != 0 ]; then
    echo "---- last lines of $log"; tail -n 40 "$log"
    summary; echo "FAIL: $name"; exit 1
  fi
}
summary() { echo "---- summary"; printf '%s\n' "${results[@]}"; }
# The site's network setup is the machine's, not the project's: its proxy variables and the certificate
# authorities it adds (/usr/local/share/ca-certificates) are carried into the root, as a new machine of
# this site would have them.
site_env=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [ -n "${!v:-}" ] && site_env+=("$v=${!v}")
done
[ -n "${NODE_EXTRA_CA_CERTS:-}" ] && site_env+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
in_root() { chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${site_env[@]}" ${ccache_env:-} bash -lc "$1"; }

command -v debootstrap >/dev/null || step "install debootstrap (host)" apt-get install -y -qq debootstrap
step "debootstrap bookworm" debootstrap --variant=minbase bookworm "$root" "$mirror"

# What every Debian 12 server has besides minbase, and the README's prerequisites to clone and run make.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Like a container: packages do not start daemons while they install (tests start their own servers).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
for m in proc dev dev/shm dev/pts; do
  mkdir -p "$root/$m"
  case $m in
    proc) mount -t proc proc "$root/proc" ;;
    dev/shm) mount -t tmpfs -o mode=1777 shm "$root/dev/shm" ;;
    dev/pts) mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" ;;
    *) mount --bind "/$m" "$root/$m" ;;
  esac
  mounted+=("$root/$m")
done
step "prerequisites (git make sudo)" in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git make sudo ca-certificates procps curl >/dev/null"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  step "site certificate authorities" in_root "update-ca-certificates >/dev/null"
fi

if [ -n "$ccache_dir" ]; then
  mkdir -p "$ccache_dir" "$root/ccache"
  mount --bind "$ccache_dir" "$root/ccache"; mounted+=("$root/ccache")
  step "ccache (--ccache)" in_root "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ccache >/dev/null"
  ccache_env="CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache CCACHE_DIR=/ccache CCACHE_BASEDIR=/root CCACHE_NOHASHDIR=1"
fi

# A clone of HEAD (committed work only), as a new user would have.
rev=$(git -C "$src" rev-parse HEAD)
step "git clone HEAD ($(git -C "$src" rev-parse --short HEAD))" git clone -q --no-hardlinks "$src" "$root/root/sanad"
git -C "$root/root/sanad" checkout -q "$rev"

# make demo runs the server in the foreground: wait for /healthz and the Arabic sign-in page, then stop it.
port=8080
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
demo_check() {
  setsid chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 PORT=$port \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${site_env[@]}" ${ccache_env:-} \
    bash -lc "cd /root/sanad && make demo" >>"$log" 2>&1 &
  demo_pid=$!
  local deadline=$((SECONDS + 3600))
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$demo_pid" 2>/dev/null || { echo "make demo exited before serving"; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "make demo: no /healthz after an hour"; return 1; }
    sleep 5
  done
  local page
  page=$(curl -fsS "http://127.0.0.1:$port/")
  grep -q 'lang="ar"' <<<"$page" && grep -q 'dir="rtl"' <<<"$page" \
    || { echo "the sign-in page is not served in Arabic, right to left"; return 1; }
  echo "make demo: /healthz answered and the Arabic sign-in page was served on port $port"
  kill -TERM -- -"$demo_pid" 2>/dev/null || true
  wait "$demo_pid" 2>/dev/null || true
  demo_pid=""
}
step "make demo (port $port)" demo_check
step "make test" in_root "cd /root/sanad && make test"
grep -E '^[0-9]+% tests passed|tests failed out of' "$log" | tail -n 1 | sed 's/^/   /'

summary
echo "PASS: make demo and make test on a fresh Debian 12 root ($(git -C "$src" rev-parse --short HEAD))"
