#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Installs every Debian 12 package Tandem needs to build, test, fuzz, benchmark
# and run its demo. Idempotent: when everything is there it does nothing and
# asks for nothing. Only the package installation itself uses sudo (or runs
# directly when already root).
set -euo pipefail

PACKAGES=(
    # build
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqt6sql6-sqlite
    qtkeychain-qt6-dev libgmime-3.0-dev
    # fuzzing and sanitizer builds
    clang libclang-rt-14-dev llvm
    # the format check (tests/checks) and tools/checks/tidy.sh
    clang-format clang-tidy
    # test servers (tools/testkit)
    dovecot-imapd dovecot-pop3d dovecot-submissiond python3 python3-aiosmtpd openssl
    # a second server make for the kit's `mailutils` profile (the kit runs its own
    # imap4d/pop3d; on a systemd host Debian also enables the system-wide ones)
    mailutils-imap4d mailutils-pop3d
    # a real Secret Service for QtKeychain in tests (tools/with-keyring.sh)
    dbus dbus-daemon gnome-keyring
    # GUI tests, the demo on a headless machine, screenshots
    xvfb xauth x11-utils fonts-dejavu-core imagemagick
    # glyphs for the Chinese, Japanese and Korean mail of the demo, as a desktop has
    fonts-wqy-microhei
    # real-world MIME test data
    libpython3.11-testsuite
    # benchmarks (tools/bench/imap/run.sh: mbsync and curl as peers;
    # tools/bench/pop3/run.sh: mpop)
    isync curl mpop
    # the installed files' checks (tools/checks/installed_files.sh) and the
    # API reference (tools/checks/apidocs.sh)
    appstream desktop-file-utils man-db doxygen
)

missing=()
for package in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "install-deps: these packages are missing and there is no sudo to install them: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
