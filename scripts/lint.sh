#!/usr/bin/env bash
# `make lint`: clang-format (.clang-format) on every C++ file, and clang-tidy (.clang-tidy) on the C++
# sources over the build's compile_commands.json.
#   scripts/lint.sh [build-dir]        default build/lint (configured by `make lint` without the unity
#                                      build, whose compile database lists batches instead of sources)
# LINT_TIDY=changed  (default) the sources changed since LINT_BASE and uncommitted ones; LINT_BASE is
#                    the fork point from main on a branch, HEAD~20 on main itself (CI's clean clone)
# LINT_TIDY=all      every source (about 15 CPU-minutes: too slow for every CI run)
# LINT_TIDY=off      clang-format only
# LINT_CACHE=off     check every source asked even if its clean result is cached (see below)
# clang-tidy is Debian's clang-tidy-16: 14 knows neither -std=c++23 nor libstdc++'s <expected>, and 16
# needs __cpp_concepts raised to the value libstdc++ 12 checks before it declares std::expected.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/lint}
jobs=${JOBS:-2}

mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files formatted"

mode=${LINT_TIDY:-changed}
tidy=${CLANG_TIDY:-$(command -v clang-tidy-16 || command -v clang-tidy)}
[ "$mode" = off ] && exit 0
if [ ! -f "$build/compile_commands.json" ]; then
  echo "no $build/compile_commands.json: run 'make lint' (it configures build/lint)" >&2
  exit 1
fi
if grep -q '/Unity/unity_' "$build/compile_commands.json"; then
  echo "$build is a unity build: its compile database has no command per source (make lint configures build/lint with -DSANAD_UNITY_BUILD=OFF)" >&2
  exit 1
fi
# Translation units only (headers are checked through them, HeaderFilterRegex in .clang-tidy).
if [ "$mode" = changed ]; then
  if [ -z "${LINT_BASE:-}" ]; then
    if [ "$(git rev-parse HEAD)" != "$(git rev-parse main 2>/dev/null || true)" ] && git rev-parse -q --verify main >/dev/null; then
      LINT_BASE=$(git merge-base HEAD main)
    else
      LINT_BASE=$(git rev-parse -q --verify HEAD~20 || git rev-list --max-parents=0 HEAD | tail -1)
    fi
  fi
  mapfile -t sources < <({ git diff --name-only "$LINT_BASE" -- 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp'
                           git ls-files -m -o --exclude-standard 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp'; } | sort -u)
else
  mapfile -t sources < <(git ls-files 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp')
fi
# Only what this build compiles (the benchmarks are outside the default build but in the database).
in_db=()
for f in "${sources[@]}"; do
  [ -f "$f" ] && grep -q "\"file\": \"$PWD/$f\"" "$build/compile_commands.json" && in_db+=("$f")
done
if [ ${#in_db[@]} -eq 0 ]; then
  echo "clang-tidy: no source to check"
  exit 0
fi
start=$(date +%s)
# A content-addressed cache of clean results (the idea of ctcache): a source is checked again only when
# what clang-tidy would read changes — the preprocessed translation unit (every header it includes), its
# compile flags (with the checkout's path taken out, so two clones share results), .clang-tidy and the
# tool's version. Only clean results are kept; a finding is never cached. LINT_CACHE=off disables it.
cache=${LINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sanad-clang-tidy}
tidy_args=(-p "$build" --quiet --extra-arg=-std=c++2b --extra-arg=-U__cpp_concepts
           --extra-arg=-D__cpp_concepts=202002L --extra-arg=-Wno-builtin-macro-redefined)
salt=$( { "$tidy" --version; cat .clang-tidy; printf '%s\n' "${tidy_args[@]}"; } | sha256sum | cut -c1-64)
export build tidy salt cache root="$PWD"
export tidy_args_joined="${tidy_args[*]}"
# Prints the cache key of one source: its compile command (paths of this checkout replaced) and its
# preprocessed text.
tidy_key() {
  local f=$1 entry dir cmd pp
  entry=$(jq -c --arg f "$root/$f" 'map(select(.file == $f))[0]' "$build/compile_commands.json")
  dir=$(jq -r '.directory' <<<"$entry")
  cmd=$(jq -r '.command' <<<"$entry")
  # The same command, preprocessing only (-E -P: no line markers, so no absolute paths).
  pp="$(sed -E 's/ -o [^ ]+//; s/ -c / /' <<<"$cmd") -E -P"
  local text
  text=$(cd "$dir" && eval "$pp") || return 1
  [ -n "$text" ] || return 1
  { echo "$salt"; sed "s|$root|@|g" <<<"$cmd"; sed "s|$root|@|g" <<<"$text"; } | sha256sum | cut -c1-64
}
# Checks one source unless a clean result with its key is cached; records a clean result.
tidy_one() {
  local f=$1 key=""
  if [ "${LINT_CACHE:-on}" != off ]; then
    # A source that does not preprocess is checked (and its result not kept).
    key=$(tidy_key "$f") || key=""
    [ -n "$key" ] && [ -f "$cache/$key" ] && return 0
  fi
  # shellcheck disable=SC2086
  "$tidy" $tidy_args_joined "$f" 2> >(grep -v "warnings generated" >&2) || return 1
  if [ -n "$key" ]; then mkdir -p "$cache" && : >"$cache/$key"; fi
}
export -f tidy_key tidy_one
status=0
printf '%s\n' "${in_db[@]}" | xargs -P "$jobs" -I{} bash -c 'tidy_one "$1"' _ {} || status=$?
if [ "$status" -ne 0 ]; then
  echo "clang-tidy: findings above" >&2
  exit "$status"
fi
echo "clang-tidy: ${#in_db[@]} sources clean in $(( $(date +%s) - start )) s (cache: $cache)"
