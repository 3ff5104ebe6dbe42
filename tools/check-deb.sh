#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Before a release (not in every CI run: it downloads a Debian system): builds
# the Debian packages and installs them where nothing else is installed.
#   1. a release build (CMakePresets.json "release", prefix /usr) and CPack's
#      packages: tandem_<version>_<arch>.deb and libtandem-mailcore-dev_...deb
#      (packaging/CMakeLists.txt), in build/release;
#   2. a fresh Debian 12 root made by mmdebstrap (variant apt: nothing but apt),
#      in which `apt-get install ./tandem_*.deb` must pull every dependency
#      from Debian, `tandem --version` must answer with the version, and the
#      -dev package must install its headers and CMake package.
# Prints what it checked; exits non-zero on the first failure. Needs network
# access to the Debian mirror and, as an ordinary user, unprivileged user
# namespaces (mmdebstrap --mode=unshare); as root it uses a plain chroot.
#
#   tools/check-deb.sh [mirror]     (default: http://deb.debian.org/debian)
#
# TANDEM_DEB_BUILD_DIR=<dir> packages an existing build instead of the release
# preset's (reconfigured with prefix /usr; a Debug build makes larger packages).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TANDEM_DEB_BUILD_DIR:-$root/build/release}
mirror=${1:-http://deb.debian.org/debian}

"$root/tools/install-deps.sh"
if ! command -v mmdebstrap >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
    "${as_root[@]}" apt-get install -y -q --no-install-recommends mmdebstrap uidmap
fi

if [ -n "${TANDEM_DEB_BUILD_DIR:-}" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
else
    cmake -S "$root" --preset release -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)"
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >/dev/null)
debs=("$build"/*.deb)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
echo "check-deb: built ${debs[*]##*/}"
for deb in "${debs[@]}"; do
    echo "--- $(basename "$deb")"
    dpkg-deb --field "$deb" Package Version Architecture Depends
done

target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT
mode=unshare
[ "$(id -u)" -eq 0 ] && mode=root
# The hooks run inside the new root: install what the packages depend on from
# Debian, then check the program and the development files.
mmdebstrap --mode="$mode" --variant=apt --quiet \
    --customize-hook="mkdir -p \"\$1/tmp/debs\"" \
    --customize-hook="copy-in ${debs[*]} /tmp/debs" \
    --customize-hook='chroot "$1" sh -c "apt-get install -y -q /tmp/debs/tandem_*.deb >/tmp/apt-app.log 2>&1 || { cat /tmp/apt-app.log; exit 1; }"' \
    --customize-hook="chroot \"\$1\" sh -c 'v=\$(tandem --version); echo check-deb: tandem --version in the fresh root: \$v; test \"\$v\" = \"Tandem $version\"'" \
    --customize-hook='chroot "$1" sh -c "apt-get install -y -q /tmp/debs/libtandem-mailcore-dev_*.deb >/tmp/apt-dev.log 2>&1 || { cat /tmp/apt-dev.log; exit 1; }"' \
    --customize-hook='chroot "$1" sh -c "test -f /usr/include/mailcore/imapclient/imapclient.h && ls /usr/lib/*/cmake/TandemMailcore/TandemMailcoreConfig.cmake && echo check-deb: the dev package installed its headers and CMake package"' \
    bookworm "$target" "$mirror"
echo "check-deb: OK"
