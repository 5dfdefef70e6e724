#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every C++ file in the repository is formatted as .clang-format says (clang-format 14, Debian 12).
# Prints the files that are not and the command that fixes them; exits 1 if there are any.
#   check-format.sh SOURCE_DIR [CLANG_FORMAT]
set -euo pipefail
root=$1
clang_format=${2:-clang-format}
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.h')
unformatted=()
for f in "${files[@]}"; do
    if ! "$clang_format" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
        unformatted+=("$f")
    fi
done
echo "check-format: ${#files[@]} files, ${#unformatted[@]} not formatted"
if [ ${#unformatted[@]} -gt 0 ]; then
    printf '  %s\n' "${unformatted[@]}" >&2
    echo "fix with: clang-format -i --style=file ${unformatted[*]}" >&2
    exit 1
fi
