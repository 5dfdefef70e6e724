#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The policy check of docs/ci.md, shared by the GitHub Actions and GitLab CI examples, the pre-commit
# hook and the test suite (ctest sarif_ci_recipe), so what the docs show is what is tested.
#
#   policy-check.sh [--base REF] [--out DIR] [--at TIME] [--allow-loosening] [PATH...]
#
# PATH: policy files, or directories searched for *.yaml, *.yml and *.json policies (default:
# "policies"). With --base, only the policies changed since the merge base with REF are checked, and
# each is compared with its REF revision.
# For every policy, in this order (every step runs; the worst outcome decides the exit code):
#   lint      --format sarif   fails on error findings (warnings are reported, not fatal)
#   diff      against REF      fails on a loosening change, unless --allow-loosening or
#                              POLICY_LOOSENING_APPROVED=true (a change labelled as an approved exception)
#   selftest  --format sarif   fails when the policy accepts any known attack
#   export    to every target the policy's deployments name (into DIR/export/)
#   gaps      --format sarif   fails on a control not enforced by an only_verifier target
# SARIF files go to DIR (default: policy-check), one per policy and verb: DIR/<policy>.<verb>.sarif.
# Exit: 0 every check passed, 1 a check failed (findings, loosening, accepted attack, blocking gap),
# 2 usage or input error (a policy that does not load, a bad REF, a missing tool).
# Environment: JWT_POLICY (default: jwt-policy on PATH), POLICY_LOOSENING_APPROVED, POLICY_CHECK_AT.
set -u

JWT_POLICY=${JWT_POLICY:-jwt-policy}
BASE=""
OUT="policy-check"
AT=${POLICY_CHECK_AT:-}
ALLOW_LOOSENING=false
case "${POLICY_LOOSENING_APPROVED:-}" in true | 1 | yes) ALLOW_LOOSENING=true ;; esac
PATHS=()

usage() {
    sed -n '5,22p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --base) [ $# -ge 2 ] || usage; BASE=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
    --at) [ $# -ge 2 ] || usage; AT=$2; shift 2 ;;
    --allow-loosening) ALLOW_LOOSENING=true; shift ;;
    -h | --help) usage ;;
    --) shift; PATHS+=("$@"); break ;;
    -*) echo "policy-check: unknown option $1" >&2; usage ;;
    *) PATHS+=("$1"); shift ;;
    esac
done
[ ${#PATHS[@]} -gt 0 ] || PATHS=(policies)

if ! command -v "$JWT_POLICY" >/dev/null 2>&1; then
    echo "policy-check: $JWT_POLICY not found (install jwt-policy or set JWT_POLICY)" >&2
    exit 2
fi

STATUS=0
# Keeps the worst outcome: 2 (usage/input) over 1 (findings) over 0.
record() {
    local rc=$1 what=$2
    if [ "$rc" -eq 0 ]; then
        echo "  ok      $what"
        return
    fi
    if [ "$rc" -eq 1 ]; then
        echo "  FAILED  $what"
        [ "$STATUS" -eq 2 ] || STATUS=1
    else
        echo "  ERROR   $what (exit $rc)"
        STATUS=2
    fi
}

# Policy files named by PATHS (directories searched), one a line, sorted.
list_policies() {
    local p
    for p in "${PATHS[@]}"; do
        if [ -d "$p" ]; then
            find "$p" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print
        elif [ -f "$p" ]; then
            printf '%s\n' "$p"
        fi
    done | sort -u
}

AT_ARGS=()
[ -n "$AT" ] && AT_ARGS=(--at "$AT")

MERGE_BASE=""
if [ -n "$BASE" ]; then
    if ! MERGE_BASE=$(git merge-base "$BASE" HEAD 2>/dev/null); then
        echo "policy-check: cannot find the merge base of $BASE and HEAD (fetch $BASE first)" >&2
        exit 2
    fi
fi

mapfile -t POLICIES < <(list_policies)
if [ -n "$MERGE_BASE" ]; then
    # Only what the change touches: added, copied, modified or renamed policies.
    mapfile -t CHANGED < <(git diff --name-only --diff-filter=ACMR "$MERGE_BASE" -- "${PATHS[@]}" 2>/dev/null | sort -u)
    SELECTED=()
    for f in "${POLICIES[@]}"; do
        for c in "${CHANGED[@]}"; do
            [ "$f" = "$c" ] || [ "${f#./}" = "$c" ] && SELECTED+=("$f")
        done
    done
    POLICIES=("${SELECTED[@]}")
fi

mkdir -p "$OUT" || exit 2
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT

if [ ${#POLICIES[@]} -eq 0 ]; then
    echo "policy-check: no policy to check under ${PATHS[*]}${BASE:+ changed since $BASE}"
    exit 0
fi

for policy in "${POLICIES[@]}"; do
    name=$(printf '%s' "${policy#./}" | tr '/' '_')
    echo "== $policy"

    "$JWT_POLICY" lint "$policy" "${AT_ARGS[@]}" >"$TMP/lint.txt" 2>&1
    record $? "lint (text)"
    sed 's/^/        /' "$TMP/lint.txt"
    "$JWT_POLICY" lint "$policy" "${AT_ARGS[@]}" --format sarif >"$OUT/$name.lint.sarif"
    [ $? -le 1 ] || STATUS=2

    if [ -n "$MERGE_BASE" ]; then
        if git cat-file -e "$MERGE_BASE:${policy#./}" 2>/dev/null; then
            git show "$MERGE_BASE:${policy#./}" >"$TMP/base.${policy##*.}"
            "$JWT_POLICY" diff "$TMP/base.${policy##*.}" "$policy" >"$TMP/diff.txt" 2>&1
            rc=$?
            sed 's/^/        /' "$TMP/diff.txt"
            if [ "$rc" -eq 1 ] && [ "$ALLOW_LOOSENING" = true ]; then
                echo "  ok      diff against $BASE: loosening approved as an exception (POLICY_LOOSENING_APPROVED)"
            else
                record "$rc" "diff against $BASE (exit 1 = the change loosens the policy)"
            fi
        else
            echo "  ok      diff: new policy, nothing to compare with on $BASE"
        fi
    fi

    "$JWT_POLICY" selftest --policy "$policy" "${AT_ARGS[@]}" --format sarif >"$OUT/$name.selftest.sarif"
    record $? "selftest (known attacks rejected)"

    # The deployed targets, from the canonical export (deployments[].target).
    if ! targets=$("$JWT_POLICY" export --policy "$policy" --to canonical-json "${AT_ARGS[@]}" 2>"$TMP/err" |
        python3 -c 'import json,sys; print(" ".join(d.get("target","") for d in json.load(sys.stdin).get("deployments",[])))' 2>>"$TMP/err"); then
        record 2 "read the deployments: $(head -c 300 "$TMP/err")"
    fi
    mkdir -p "$OUT/export"
    for target in $targets; do
        "$JWT_POLICY" export --policy "$policy" --to "$target" "${AT_ARGS[@]}" -o "$OUT/export/$name.$target" \
            >/dev/null 2>"$TMP/err"
        rc=$?
        [ "$rc" -eq 0 ] || sed 's/^/        /' "$TMP/err"
        # An export refused (test keys in a production export, an unknown target) is a failed check.
        [ "$rc" -eq 0 ] || rc=1
        record "$rc" "export --to $target"
    done

    "$JWT_POLICY" gaps --policy "$policy" "${AT_ARGS[@]}" --format sarif >"$OUT/$name.gaps.sarif"
    record $? "gaps (no control lost on an only_verifier target)"
done

echo "policy-check: SARIF in $OUT/; exit $STATUS"
exit "$STATUS"
