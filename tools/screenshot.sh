#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Takes a screenshot of Tandem on the demo servers under a private Xvfb display,
# for docs/ and the README. The app saves its own window and quits
# (--screenshot), so nothing has to be found or killed afterwards.
#
#   tools/screenshot.sh [output.png]
#       the main window on the Showcase folder, its first message open
#   tools/screenshot.sh --during-download [FOLDER] [output.png]
#       runs "Download folder" on FOLDER (default Bench, from the bench corpus:
#       10,000 messages) and shoots once a third of it has arrived
#
# Extra settings: TANDEM_SCREENSHOT_DELAY_MS (default 5000) before the plain
# shot; TANDEM_DEMO_CORPUS (tiny, small, bench) to choose the demo's mail.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
download=""
if [ "${1:-}" = "--during-download" ]; then
    shift
    download=Bench
    if [ $# -gt 0 ] && [[ "$1" != *.png ]]; then
        download=$1
        shift
    fi
    out=${1:-$root/docs/screenshots/download.png}
else
    out=${1:-$root/docs/screenshots/main-window.png}
fi
case "$out" in /*) ;; *) out=$PWD/$out ;; esac

if [ -n "$download" ]; then
    # The bench corpus is the one with a folder big enough to watch.
    [ "$download" = Bench ] && export TANDEM_DEMO_CORPUS=${TANDEM_DEMO_CORPUS:-bench}
    app_args=(--start-download "$download" --screenshot "$out")
else
    app_args=(--folder Showcase --message 1 --screenshot "$out"
              --screenshot-delay "${TANDEM_SCREENSHOT_DELAY_MS:-5000}")
fi
mkdir -p "$(dirname "$out")"
rm -f "$out"

# demo.sh installs, builds, starts the servers, runs the app and stops the
# servers when the app has quit.
xvfb-run -a -s "-screen 0 1280x800x24" "$root/tools/demo.sh" "${app_args[@]}"
[ -s "$out" ] || { echo "screenshot: no picture was written to $out" >&2; exit 1; }
echo "screenshot: $out"
