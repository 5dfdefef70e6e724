#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the npm packages the tests run (tests/node/package-lock.json, exact versions) into
# tests/node/node_modules; does nothing when that tree already matches the lockfile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tests/node
stamp=$dir/node_modules/.jwb-lock.sha256
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "Installing npm packages from tests/node/package-lock.json"
(cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
echo "$want" > "$stamp"
