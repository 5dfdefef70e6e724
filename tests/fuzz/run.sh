#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets (clang, ASan+UBSan, build-fuzz/ or $JWB_FUZZ_BUILD_DIR) if needed and
# runs each for SECONDS (default 60), starting from the seed corpus in tests/fuzz/corpus/<target>/.
# New inputs go to the build dir, never into the checked-in seeds. Exits non-zero when a target
# crashes, leaks, times out or runs out of memory; the input is left in build-fuzz/artifacts/ and
# belongs, once fixed, in tests/data/fuzz-regressions/<target>/ (replayed by tst_fuzzregressions).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# JWB_FUZZ_RUNS=N also stops each target after N executions (whichever comes first); JWB_FUZZ_NICE=N
# runs the build and the fuzzers under nice -n N (a machine shared with other builds);
# JWB_FUZZ_SKIP_BUILD=1 fuzzes the binaries already built (several runs of the same build).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_verify fuzz_signature fuzz_policy_json fuzz_policy_yaml fuzz_estate)
build=${JWB_FUZZ_BUILD_DIR:-$root/build-fuzz}

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DJWB_FUZZ=ON -DJWB_SANITIZE=ON -DJWB_BUILD_UI=OFF -DJWB_BUILD_TESTS=ON >/dev/null
fi
runs=${JWB_FUZZ_RUNS:--1}
nice=()
[ -z "${JWB_FUZZ_NICE:-}" ] || nice=(nice -n "$JWB_FUZZ_NICE")
[ -n "${JWB_FUZZ_SKIP_BUILD:-}" ] || "${nice[@]}" cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

# Longest input per target: a token bigger than a few KiB only exercises the size check; keys and
# policies need room for a certificate or a few issuers.
max_len() {
    case $1 in
        fuzz_verify) echo 4096 ;;
        *) echo 8192 ;;
    esac
}

# Leak detection stays on and every check ASan makes is made; two settings only change what a run
# costs (measured in docs/security.md): malloc_context_size=0 stops ASan unwinding and storing a stack
# per allocation (Qt and OpenSSL have no frame pointers, so the fast unwinder returns garbage frames,
# every stack is new and the stack depot grows without bound), and quarantine_size_mb=32 keeps freed
# memory poisoned for about 250 inputs' worth of frees instead of 256 MB, so freed memory is reused
# while still in cache. A failure is replayed below with full allocation stacks for the report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0:malloc_context_size=0:quarantine_size_mb=32}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts"
status=0
passed=0
failed=0
for t in "${targets[@]}"; do
    work="$build/fuzz-corpus/$t"
    mkdir -p "$work"
    log="$build/fuzz-logs/$t.log"
    set +e
    "${nice[@]}" "$build/tests/fuzz/$t" "$work" "$root/tests/fuzz/corpus/$t" \
        -max_total_time="$seconds" -runs="$runs" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" >"$log" 2>&1
    rc=$?
    set -e
    executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(find "$work" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "fuzz: $t ok: ${executed:-?} executions (${rate:-?}/s), coverage ${cov:-?} edges, corpus $corpus files, peak RSS ${peak:-?} MB"
    else
        status=1
        failed=$((failed + 1))
        echo "fuzz: $t FAILED (exit $rc) after ${executed:-?} executions; log $log" >&2
        grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY|Test unit written' "$log" >&2 || tail -30 "$log" >&2
        # The same input again with full, slowly unwound allocation stacks: the report to read.
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        if [ -n "$artifact" ] && [ -f "$artifact" ]; then
            ASAN_OPTIONS=detect_leaks=1:malloc_context_size=30:fast_unwind_on_malloc=0 \
                "$build/tests/fuzz/$t" "$artifact" >"$log.replay" 2>&1 || true
            echo "fuzz: $t replay with full stacks: $log.replay" >&2
        fi
    fi
done
echo "fuzz: $passed passed, $failed failed"
exit $status
