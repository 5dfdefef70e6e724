#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# clang-tidy (the checks chosen in .clang-tidy) over the core library, the code that reads hostile
# input (tokens, policies, estates, keys, server answers), with warnings as errors. The UI and the
# CLI are left out of CI's run for time (2 cores, 90 minutes for everything): run this script with
# other folders as extra arguments to check them too.
#   run-clang-tidy.sh SOURCE_DIR BUILD_DIR [CLANG_TIDY] [FOLDER...]   (FOLDER defaults to core)
set -euo pipefail
root=$1
build=$2
clang_tidy=${3:-clang-tidy}
shift $(( $# < 3 ? $# : 3 ))
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(core)
if [ ! -f "$build/compile_commands.json" ]; then
    echo "run-clang-tidy: $build/compile_commands.json is missing (configure with CMake first)" >&2
    exit 2
fi
cd "$root"
patterns=()
for folder in "${folders[@]}"; do patterns+=("$folder/*.cpp"); done
mapfile -t files < <(git ls-files "${patterns[@]}")
filter=$(IFS='|'; echo "${folders[*]}")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One process per file, as many at once as there are cores; --quiet keeps the summary lines out.
status=0
printf '%s\0' "${files[@]}" \
    | xargs -0 -P "$(nproc)" -n 1 "$clang_tidy" --quiet -p "$build" --warnings-as-errors='*' \
        --header-filter="^$root/($filter)/" >"$log" 2>/dev/null || status=$?
findings=$(grep -c -E ': (warning|error): ' "$log" || true)
echo "run-clang-tidy: ${#files[@]} files in ${folders[*]}, $findings findings"
if [ "$status" -ne 0 ] || [ "$findings" -gt 0 ]; then
    cat "$log" >&2
    exit 1
fi
