#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up a Debian 12 machine, builds, and opens the workbench on its embedded sample policy.
# Without a display it verifies the bundled sample token with jwt-policy and prints the trace.
# With --package it builds the .deb and .tar.gz instead (CPack, into build/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/deps-debian.sh"
"$root/installer/build.sh"
build=${JWB_BUILD_DIR:-$root/build}
if [ "${1:-}" = --package ]; then
    cmake --build "$build" --target package
    ls -1 "$build"/*.deb "$build"/*.tar.gz
    exit 0
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/app/jwt-workbench" ]; then
    exec "$build/app/jwt-workbench" "$@"
fi
echo "No display: verifying the bundled sample token against the sample policy instead." >&2
exec "$build/app/jwt-policy" verify --policy "$root/resources/policies/sample.yaml" \
    --at 2026-11-01T10:10:00Z "$root/resources/tokens/sample-valid.jwt"
