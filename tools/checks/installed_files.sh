#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Checks what `cmake --install` puts on a user's machine (CTest `installed_files`):
# stages an install of the build, then
#   - the desktop entry passes desktop-file-validate, and its Icon= is installed
#     (every hicolor size and the scalable SVG);
#   - the AppStream metainfo passes appstreamcli validate, and its newest
#     release is the project's version;
#   - the man page formats without a warning;
#   - the installed program answers --version (without a display) with the
#     project's version, running on the installed library;
#   - the library is there with its soname link, and the development files
#     (the .so link, the CMake package).
#
#   tools/checks/installed_files.sh <build dir> <project version>
set -euo pipefail

build=$(cd "$1" && pwd)
version=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
failures=0
fail() {
    echo "installed_files: $*" >&2
    failures=$((failures + 1))
}

cmake --install "$build" --prefix "$stage/usr" >/dev/null
share=$stage/usr/share
lib=$(dirname "$(find "$stage/usr" -name 'libtandem-mailcore.so.*.*' | head -1)")

desktop=$share/applications/org.tandem.Tandem.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate refused $desktop"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for size in 16 24 32 48 64 128 256; do
    [ -s "$share/icons/hicolor/${size}x${size}/apps/$icon.png" ] || fail "no ${size}x${size} icon named $icon"
done
[ -s "$share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "no scalable icon named $icon"

metainfo=$share/metainfo/org.tandem.Tandem.metainfo.xml
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate refused $metainfo"
newest=$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$metainfo" | head -1)
[ "$newest" = "$version" ] || fail "the metainfo's newest release is '$newest', the project's version $version"

man_page=$share/man/man1/tandem.1.gz
[ -s "$man_page" ] || fail "no man page at $man_page"
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man_page" 2>&1 >/dev/null || true)
[ -z "$warnings" ] || fail "the man page formats with warnings: $warnings"

[ -n "$lib" ] && [ -e "$lib/libtandem-mailcore.so.${version%%.*}" ] || fail "no libtandem-mailcore.so.${version%%.*}"
[ -L "$lib/libtandem-mailcore.so" ] || fail "no libtandem-mailcore.so development link"
[ -s "$lib/cmake/TandemMailcore/TandemMailcoreConfig.cmake" ] || fail "no CMake package"

answer=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM LD_LIBRARY_PATH="$lib" \
    "$stage/usr/bin/tandem" --version 2>&1) || fail "tandem --version failed: $answer"
[ "$answer" = "Tandem $version" ] || fail "tandem --version said '$answer', not 'Tandem $version'"
if ldd "$stage/usr/bin/tandem" | grep -q "libtandem-mailcore.*$build"; then
    fail "the installed program still finds the library in the build tree (RPATH)"
fi

if [ "$failures" -gt 0 ]; then
    echo "installed_files: $failures problem(s)" >&2
    exit 1
fi
echo "installed_files: OK (desktop entry, icons, metainfo $newest, man page, tandem --version, library and dev files)"
