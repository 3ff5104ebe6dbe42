#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Runs a command inside a private D-Bus session with a fresh, unlocked
# gnome-keyring, so QtKeychain talks to a real Secret Service (in CI, in tests,
# on a headless machine). The keyring lives in a temporary folder and is thrown
# away afterwards; the user's own keyring is never touched.
#
#   tools/with-keyring.sh ctest --output-on-failure
set -euo pipefail

if [ -z "${TANDEM_KEYRING_SESSION:-}" ]; then
    for tool in dbus-run-session gnome-keyring-daemon; do
        command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing: run tools/install-deps.sh" >&2; exit 1; }
    done
    exec dbus-run-session -- env TANDEM_KEYRING_SESSION=1 "$0" "$@"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tandem-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
chmod 700 "$scratch"
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the new keyring's password from stdin and creates it unlocked;
# it prints the variables that point clients at the daemon.
eval "$(printf '%s' tandem-test-keyring | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"

"$@"
