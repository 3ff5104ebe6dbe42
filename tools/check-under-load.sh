#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Is the suite safe on a busy machine, as CI's often is? From a fresh clone of
# this checkout's HEAD: runs the test command (tools/test.sh) while
# `stress-ng --cpu <cores>` keeps every core busy, then N more times in a row,
# still under load (the build is then up to date: only the tests run again). Prints one line per run; exits non-zero if any run failed. Not
# part of the test command: it takes N+1 times as long.
#
#   tools/check-under-load.sh [runs, default 5] [clone dir, default /tmp/tandem-under-load]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
clone=${2:-/tmp/tandem-under-load}
logs=$clone-logs

if ! command -v stress-ng >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
    "${as_root[@]}" apt-get install -y -q --no-install-recommends stress-ng
fi

rm -rf "$clone" "$logs"
mkdir -p "$logs"
git clone -q "$root" "$clone"
echo "under-load: $(git -C "$clone" log --oneline -1 | cut -c1-100)"
stress-ng --cpu "$(nproc)" --timeout 0 >/dev/null 2>&1 &
stress=$!
trap 'kill $stress 2>/dev/null' EXIT

failed=0
start=$(date +%s)
"$clone/tools/test.sh" >"$logs/full.log" 2>&1 || failed=1
echo "under-load: tools/test.sh: rc $([ $failed = 0 ] && echo 0 || echo 1), $(($(date +%s) - start)) s, $(grep -E 'tests passed' "$logs/full.log")"

for i in $(seq "$runs"); do
    start=$(date +%s)
    rc=0
    # tools/test.sh again: its build is up to date, so this is its test phase,
    # with the sanitizer options it sets (written there only).
    "$clone/tools/test.sh" >"$logs/run$i.log" 2>&1 || rc=1
    [ $rc = 0 ] || failed=1
    echo "under-load: run $i: rc $rc, $(($(date +%s) - start)) s, $(grep -E 'tests passed' "$logs/run$i.log")" \
        "$(grep -E '\*\*\*(Failed|Timeout|Exception)' "$logs/run$i.log" | tr -s ' ' | tr '\n' ';')"
done
echo "under-load: logs in $logs"
exit $failed
