#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up a Debian 12 machine, builds everything with warnings as errors, and runs the whole test suite;
# then builds the core, the CLI and their tests with AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/, the "asan" preset) and runs that suite too; in CI (CI=true) or when
# JWB_FUZZ_SECONDS is set, it finally runs every libFuzzer target for a while (tests/fuzz/run.sh).
#   JWB_BUILD_DIR, JWB_ASAN_BUILD_DIR, JWB_FUZZ_BUILD_DIR   build directories
#   JWB_SKIP_ASAN=1                                         skip the sanitizer pass
#   JWB_FUZZ_SECONDS=N                                      fuzz each target N seconds (CI: 60)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/deps-debian.sh"
"$root/installer/deps-node.sh"

started=$SECONDS
"$root/installer/build.sh" -DJWB_WERROR=ON -DJWB_BUILD_TESTS=ON
build=${JWB_BUILD_DIR:-$root/build}
(cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)" --timeout 900)
echo "run-tests: main suite took $((SECONDS - started)) s"

if [ "${JWB_SKIP_ASAN:-0}" != 1 ]; then
    started=$SECONDS
    # The same settings as the "asan" preset in CMakePresets.json (kept explicit so the directory
    # can be moved with JWB_ASAN_BUILD_DIR). No GUI: see the preset's description.
    asan=${JWB_ASAN_BUILD_DIR:-$root/build-asan}
    generator=()
    if command -v ninja >/dev/null 2>&1 && [ ! -f "$asan/Makefile" ]; then generator=(-G Ninja); fi
    cmake -S "$root" -B "$asan" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DJWB_SANITIZE=ON \
        -DJWB_BUILD_UI=OFF -DJWB_BUILD_TESTS=ON >/dev/null
    cmake --build "$asan" --parallel "$(nproc)"
    (cd "$asan" && QT_QPA_PLATFORM=offscreen \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure --parallel "$(nproc)" --timeout 1800)
    echo "run-tests: ASan+UBSan suite took $((SECONDS - started)) s"
fi

if [ "${CI:-}" = true ] || [ -n "${JWB_FUZZ_SECONDS:-}" ]; then
    started=$SECONDS
    "$root/tests/fuzz/run.sh" "${JWB_FUZZ_SECONDS:-60}"
    echo "run-tests: fuzzing took $((SECONDS - started)) s"
fi
