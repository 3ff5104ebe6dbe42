#!/bin/bash
# Takes a screenshot of Tandem running on the demo servers under a private Xvfb
# display, for docs/ and the README:
#
#   tools/screenshot.sh [output.png] [seconds to wait before the shot]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/screenshots/main-window.png}
wait_seconds=${2:-4}

"$root/tools/install-deps.sh"
mkdir -p "$(dirname "$out")"

# demo.sh builds, starts the servers, runs the app and cleans up when it exits.
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    "$1/tools/demo.sh" &
    demo=$!
    # The first build can take minutes; wait for the window, not a fixed time.
    for _ in $(seq 1 600); do
        xwininfo -root -tree 2>/dev/null | grep -q "\"Tandem\"" && break
        sleep 1
    done
    sleep "$3"
    import -window root "$2"
    pkill -f "$1/build/demo/app/tandem" || true
    wait "$demo" || true
' _ "$root" "$out" "$wait_seconds"
echo "screenshot: $out"
