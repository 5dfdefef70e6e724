#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages needed to build, test and package JWT Policy Workbench.
# Skips apt entirely when everything is already present.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-qpa-plugins libgl-dev
    libssl-dev libyaml-cpp-dev libbenchmark-dev
    clang libclang-rt-14-dev
    python3 python3-jsonschema python3-yaml
    xvfb xauth
    dpkg-dev file desktop-file-utils appstream groff-base
    # Real verifiers the tests start on 127.0.0.1: gateways, and the JWT libraries services use.
    haproxy apache2 libapache2-mod-auth-openidc
    python3-jwt python3-jwcrypto golang-go golang-github-golang-jwt-jwt-dev
    poppler-utils git
    # Licensing check (REUSE): tests/licensing runs `reuse lint`.
    reuse
    # clang-tidy for the style_clang_tidy test (tests/style.cmake); clang-format for .clang-format.
    clang-format clang-tidy
)
# Node.js and npm (for the npm packages pinned in tests/node): Debian's, unless a node is already
# on the PATH (another vendor's nodejs package would conflict with Debian's npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
