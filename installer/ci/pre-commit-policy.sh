#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Git pre-commit hook: runs policy-check.sh (lint, diff against HEAD, selftest, export, gaps) on the
# policy files the commit changes, and stops the commit when a check fails. Install it in a policy
# repository (docs/ci.md):
#
#   cp policy-check.sh pre-commit-policy.sh ci/ && ln -s ../../ci/pre-commit-policy.sh .git/hooks/pre-commit
#
# The checks read the working tree, so a staged policy with further unstaged edits is refused: what
# is checked is then exactly what is committed. A loosening change needs POLICY_LOOSENING_APPROVED=true
# (as the CI label does); `git commit --no-verify` skips the hook altogether.
# Environment: JWT_POLICY, POLICY_PATHS (default "policies"), POLICY_CHECK_OUT (default: a temporary
# directory, removed afterwards), POLICY_CHECK_AT.
set -u

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(git rev-parse --show-toplevel) || exit 2
cd "$ROOT" || exit 2
read -r -a PATHS <<<"${POLICY_PATHS:-policies}"

mapfile -t STAGED < <(git diff --cached --name-only --diff-filter=ACMR -- "${PATHS[@]}" |
    grep -E '\.(ya?ml|json)$')
[ ${#STAGED[@]} -gt 0 ] || exit 0

mapfile -t UNSTAGED < <(git diff --name-only -- "${STAGED[@]}")
if [ ${#UNSTAGED[@]} -gt 0 ]; then
    echo "pre-commit: stage or discard the unstaged edits of ${UNSTAGED[*]} first (the check reads the working tree)" >&2
    exit 1
fi

OUT=${POLICY_CHECK_OUT:-}
if [ -z "$OUT" ]; then
    OUT=$(mktemp -d) || exit 2
    trap 'rm -rf "$OUT"' EXIT
fi

# HEAD is the base; a first commit has none, and then only the other checks run.
BASE_ARGS=()
git rev-parse --verify -q HEAD >/dev/null && BASE_ARGS=(--base HEAD)
"$HERE/policy-check.sh" "${BASE_ARGS[@]}" --out "$OUT" "${STAGED[@]}"
rc=$?
[ "$rc" -eq 0 ] || echo "pre-commit: policy check failed (exit $rc); commit stopped" >&2
exit "$rc"
