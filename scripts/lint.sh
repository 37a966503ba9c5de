#!/usr/bin/env bash
# `make lint`: clang-format (.clang-format) on every C++ file, and clang-tidy (.clang-tidy) on the C++
# sources over the build's compile_commands.json.
#   scripts/lint.sh [build-dir]        default build/release (configured by `make configure`)
# LINT_TIDY=changed  (default) the sources changed since LINT_BASE and uncommitted ones; LINT_BASE is
#                    the fork point from main on a branch, HEAD~20 on main itself (CI's clean clone)
# LINT_TIDY=all      every source (about 15 CPU-minutes: too slow for every CI run)
# LINT_TIDY=off      clang-format only
# clang-tidy is Debian's clang-tidy-16: 14 knows neither -std=c++23 nor libstdc++'s <expected>, and 16
# needs __cpp_concepts raised to the value libstdc++ 12 checks before it declares std::expected.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
jobs=${JOBS:-2}

mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files formatted"

mode=${LINT_TIDY:-changed}
tidy=${CLANG_TIDY:-$(command -v clang-tidy-16 || command -v clang-tidy)}
[ "$mode" = off ] && exit 0
if [ ! -f "$build/compile_commands.json" ]; then
  echo "no $build/compile_commands.json: run 'make configure' first" >&2
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
printf '%s\n' "${in_db[@]}" | xargs -P "$jobs" -n 4 "$tidy" -p "$build" --quiet --extra-arg=-std=c++2b \
  --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L --extra-arg=-Wno-builtin-macro-redefined \
  2> >(grep -v "warnings generated" >&2)
echo "clang-tidy: ${#in_db[@]} sources clean in $(( $(date +%s) - start )) s"
