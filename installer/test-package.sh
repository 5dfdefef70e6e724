#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Packaging test: builds the .deb from an already built tree, unpacks it into a temporary root and
# checks that what a user would install works: the installed tools run from there, the sample token
# verifies under the installed sample policy, the desktop entry and AppStream metadata validate, and
# the package depends on the Qt 6, OpenSSL 3 and yaml-cpp library packages.
# Usage: test-package.sh BUILD_DIR SOURCE_DIR [UI_BUILT: ON|OFF]
set -euo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
ui=${3:-ON}
case $ui in ON | on | TRUE | true | 1) ui=1 ;; *) ui=0 ;; esac

app_id=io.github.jwtworkbench.JwtPolicyWorkbench
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
at=2026-11-01T10:10:00Z

work=$(mktemp -d "${TMPDIR:-/tmp}/jwb-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }

# 1. Build the package into the temporary directory (never into the build tree's package outputs).
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "FAIL: cpack -G DEB"
    exit 1
fi
deb=$(find "$work/pkg" -maxdepth 1 -name '*.deb' -print -quit)
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAIL: cpack produced no .deb"; exit 1; }
pass "cpack built $(basename "$deb")"

# 2. Unpack it as a user's root would look after installation.
root=$work/root
dpkg-deb -x "$deb" "$root"
usr=$root/usr

expected=(
    bin/jwt-policy
    share/man/man1/jwt-policy.1.gz
    share/bash-completion/completions/jwt-policy
    share/doc/jwt-policy-workbench/copyright
    share/doc/jwt-policy-workbench/CHANGELOG.md
    share/jwt-policy-workbench/policies/sample.yaml
    share/jwt-policy-workbench/tokens/sample-valid.jwt
    share/jwt-policy-workbench/schema/jwt-policy-v1.schema.json
)
if [ "$ui" = 1 ]; then
    expected+=(
        bin/jwt-workbench
        share/man/man1/jwt-workbench.1.gz
        "share/applications/$app_id.desktop"
        "share/metainfo/$app_id.metainfo.xml"
        "share/icons/hicolor/scalable/apps/$app_id.svg"
    )
fi
for f in "${expected[@]}"; do
    if [ -s "$usr/$f" ]; then pass "installs /usr/$f"; else fail "missing /usr/$f"; fi
done

if find "$usr/share/jwt-policy-workbench" -name '*.hex' -o -name 'sample-keys' | grep -q .; then
    fail "the demo signing keys (resources/tokens/sample-keys) are in the package"
else
    pass "no demo signing keys in the package"
fi

# 3. Control fields: shlibdeps must have found the shared libraries the executables load.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
wanted=(libqt6core6 libqt6network6 libssl3 libyaml-cpp)
[ "$ui" = 1 ] && wanted+=(libqt6widgets6 libqt6gui6 libqt6svg6)
for lib in "${wanted[@]}"; do
    if grep -q "$lib" <<<"$depends"; then pass "Depends names $lib"; else fail "Depends lacks $lib"; fi
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] && pass "Version $version" || fail "Version is not $version"

# 4. The installed executables run from the unpacked root (our libraries are static, Qt is the system's).
for exe in "$usr/bin/"*; do
    if ldd "$exe" | grep -q 'not found'; then fail "$(basename "$exe") has unresolved libraries"; else pass "$(basename "$exe") resolves its libraries"; fi
done
out=$("$usr/bin/jwt-policy" --version 2>/dev/null) && rc=0 || rc=$?
if [ "$rc" = 0 ] && [ "$out" = "jwt-policy $version" ]; then pass "jwt-policy --version: $out"; else fail "jwt-policy --version (exit $rc): $out"; fi
if [ "$ui" = 1 ]; then
    out=$(QT_QPA_PLATFORM=offscreen timeout 30 "$usr/bin/jwt-workbench" --version 2>/dev/null) && rc=0 || rc=$?
    if [ "$rc" = 0 ] && grep -q "$version" <<<"$out"; then pass "jwt-workbench --version: $out"; else fail "jwt-workbench --version (exit $rc): $out"; fi
fi

# 5. Verify the bundled sample token against the installed sample policy.
policy=$usr/share/jwt-policy-workbench/policies/sample.yaml
token=$usr/share/jwt-policy-workbench/tokens/sample-valid.jwt
[ -f "$token" ] || token=$source_dir/resources/tokens/sample-valid.jwt
out=$("$usr/bin/jwt-policy" verify --policy "$policy" --at "$at" "$token" 2>&1) && rc=0 || rc=$?
echo "$out" | sed 's/^/    /'
if [ "$rc" = 0 ]; then pass "installed jwt-policy verify accepts the sample token"; else fail "installed jwt-policy verify exit $rc (want 0)"; fi

# 6. Desktop integration metadata, validated as installed.
if [ "$ui" = 1 ]; then
    if desktop-file-validate "$usr/share/applications/$app_id.desktop"; then pass "desktop-file-validate"; else fail "desktop-file-validate"; fi
    if appstreamcli validate --no-net "$usr/share/metainfo/$app_id.metainfo.xml"; then pass "appstreamcli validate"; else fail "appstreamcli validate"; fi
    # The tree check also matches the metainfo against the installed desktop entry.
    if appstreamcli validate-tree --no-net "$root"; then pass "appstreamcli validate-tree"; else fail "appstreamcli validate-tree"; fi
    if grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$usr/share/metainfo/$app_id.metainfo.xml" \
        && grep -q "^Icon=$app_id$" "$usr/share/applications/$app_id.desktop"; then
        pass "metainfo launchable and desktop Icon use the application id"
    else
        fail "application id differs between desktop entry, icon and metainfo"
    fi
fi

# 7. The man page renders without groff warnings; the completion script parses.
for page in "$usr"/share/man/man1/*.1.gz; do
    if warnings=$(zcat "$page" | groff -man -ww -z 2>&1) && [ -z "$warnings" ]; then
        pass "$(basename "$page") renders cleanly"
    else
        fail "$(basename "$page"): $warnings"
    fi
done
completion=$usr/share/bash-completion/completions/jwt-policy
if bash -n "$completion"; then pass "bash completion parses"; else fail "bash completion syntax"; fi

# 8. The man page and the completion cover every verb and option the installed jwt-policy offers, so
# a verb or flag added later without documentation fails here. No line length limit and no
# hyphenation, so an option is never split across lines.
manual=$work/jwt-policy.txt
zcat "$usr/share/man/man1/jwt-policy.1.gz" | groff -man -Tutf8 -rLL=2000n -rHY=0 -P-c -P-b -P-u 2>/dev/null >"$manual"
verbs=$("$usr/bin/jwt-policy" --help | sed -n '/^Verbs:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$verbs" ] || fail "could not list the verbs from jwt-policy --help"
undocumented=()
for verb in $verbs; do
    grep -qE "^   $verb( |$)" "$manual" || undocumented+=("man: no section for $verb")
    # The verb's own case in the completion script: from "verb)" to its ";;".
    offered=$(awk -v verb="$verb" '$0 ~ "^ *" verb "\\)" { inside = 1 } inside { print } inside && /;;/ { exit }' "$completion")
    [ -n "$offered" ] || undocumented+=("completion: no case for $verb")
    options=$("$usr/bin/jwt-policy" "$verb" --help | grep -oE -- '(^| )--?[a-z][a-z-]*' | sed 's/^ //' | sort -u)
    for option in $options; do
        case $option in -h | --help | --version) continue ;; esac
        grep -qF -- "$option" "$manual" || undocumented+=("man: $verb $option")
        grep -qE -- "(^|[ \"])$option( |\"|$)" <<<"$offered" || undocumented+=("completion: $verb $option")
    done
done
if [ ${#undocumented[@]} = 0 ]; then
    pass "man page and completion cover every verb and option ($(echo $verbs | wc -w) verbs)"
else
    fail "undocumented: ${undocumented[*]}"
fi

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
