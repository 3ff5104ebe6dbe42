#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Opens Tandem on a local demo server with sample mail, from a fresh clone:
# installs what is missing, builds, starts a private Dovecot + SMTP server as the
# current user on free loopback ports, runs the app, and stops the servers when
# the app closes.
#
#   tools/demo.sh [app options]   (needs a display; headless: xvfb-run -a tools/demo.sh)
#
# The app opens on the INBOX of the demo account. App options pass through
# (tandem --help), e.g. --folder Showcase --message 1. TANDEM_DEMO_CORPUS picks
# the sample mail: small (default, 300 messages in 7 folders) or bench (adds a
# folder of 10,000).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TANDEM_DEMO_BUILD_DIR:-$root/build/demo}

"$root/tools/install-deps.sh"

# A build folder of its own is configured once, for the app alone; an existing
# one (TANDEM_DEMO_BUILD_DIR=build/dev, say) keeps the settings it has.
if [ -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" >/dev/null
else
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)" --target tandem

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "demo: no display. On a headless machine run: xvfb-run -a tools/demo.sh" >&2
    exit 1
fi

kit=$(mktemp -d "${TMPDIR:-/tmp}/tandem-demo.XXXXXX")
chmod 755 "$kit"
trap '/usr/bin/python3 "$root/tools/testkit/kit.py" stop --dir "$kit/servers" >/dev/null; rm -rf "$kit"' EXIT
/usr/bin/python3 "$root/tools/testkit/kit.py" start --dir "$kit/servers" --profile pooled \
    --corpus "${TANDEM_DEMO_CORPUS:-small}"

"$build/app/tandem" --demo-env "$kit/servers/kit.env" "$@"
