#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# The store-sync benchmarks of issue 12 in one command (see tools/bench/README.md).
#
#   tools/bench/store/run.sh [options]
#
# Starts a throw-away kit (tools/testkit/kit.py --corpus bench: folder Bench,
# 10,000 messages, ~242 MB) on a tmpfs unless --kit-env names one, then, each
# --reps times, the contenders of one comparison in turn (their order swapped
# every rep, so a busy machine weighs on both alike):
#   first sync   tandem-bench-store --mode first-sync (ImapSync::syncFolderList
#                + syncFolder Bench into a fresh store), --mode client (the same
#                fetch on the client, no store) and --mode floor (the same summary
#                items over raw connections, as many as the sync opened), at each
#                client limit of --limits;
#   resync       --mode resync: every folder synced again with nothing changed,
#                --rounds warm rounds after the first, on loopback and through
#                tandem-delayproxy (--delay-ms each way); time and IMAP commands
#                per folder;
#   flag         --mode flag: \Flagged on the first message of each of
#                --flag-folders, clicked every 20 ms, on
#                the idle client and during ImapSync::prefetchBodies(Bench,
#                10000), loopback and through the proxy; each run on a fresh
#                copy of the synced store (no bodies yet).
# Every run's JSON line goes to runs.jsonl; summary.py turns them into the
# markdown report, printed and appended to the results file.
#
# Options (defaults in brackets):
#   --build DIR        build tree with the tools [build/bench: configured
#                      Release and built (-j2) when the tools are missing]
#   --reps N           runs per contender [3]
#   --limits "L..."    client limits of the first sync ["10 4"]
#   --rounds N         warm resync rounds per run [3]
#   --delay-ms MS      the proxy's delay each way [5]
#   --flag-folders "F..."  where the clicked message is (its first): Bench, the
#                      folder prefetched (the target case), and INBOX (120
#                      messages), which tells the server's part from the
#                      client's ["Bench INBOX"]
#   --flag-paths "P..."  loopback, proxy or both ["loopback proxy"]
#   --prefetch N       bodies prefetched during the clicks [10000; the
#                      background pace takes minutes for them through the
#                      proxy while a click always runs]
#   --no-first | --no-resync | --no-flag   skip one benchmark
#   --results FILE     [build/bench-results/store-sync.md]
#   --kit-env FILE     reuse a running kit started with --corpus bench
#   --keep             keep the work folder (stores, JSON lines)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../../.." && pwd)
HERE="$REPO/tools/bench/store"
PY=/usr/bin/python3
BUILD="$REPO/build/bench"
REPS=3
LIMITS="10 4"
ROUNDS=3
DELAY_MS=5
FLAG_FOLDERS="Bench INBOX"
FLAG_PATHS="loopback proxy"
PREFETCH=10000
DO_FIRST=1
DO_RESYNC=1
DO_FLAG=1
RESULTS="$REPO/build/bench-results/store-sync.md"
KIT_ENV=""
KEEP=0
ARGS=$(printf "%q " "$@")

# shellcheck source=../common.sh
source "$REPO/tools/bench/common.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --limits) LIMITS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --delay-ms) DELAY_MS=$2; shift ;;
        --flag-folders) FLAG_FOLDERS=$2; shift ;;
        --flag-paths) FLAG_PATHS=$2; shift ;;
        --prefetch) PREFETCH=$2; shift ;;
        --no-first) DO_FIRST=0 ;;
        --no-resync) DO_RESYNC=0 ;;
        --no-flag) DO_FLAG=0 ;;
        *) bench_option "$@"; shift $((BENCH_TOOK - 1)) ;;
    esac
    shift
done
bench_check_reps

TOOL="$BUILD/tools/bench/store/tandem-bench-store"
PROXY="$BUILD/tools/bench/imap/delayproxy/tandem-delayproxy"
if [ ! -x "$TOOL" ] || [ ! -x "$PROXY" ]; then
    echo "run.sh: building the tools in $BUILD (Release, -j2)" >&2
    cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target tandem-bench-store tandem-delayproxy >/dev/null
fi

PROXY_PID=""
bench_on_exit() { [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true; }
bench_work tandem-bench-store
bench_kit
RUNS="$WORK/runs.jsonl"
: > "$RUNS"

# record BENCH PATH REP JSON: one line of runs.jsonl (a run that printed
# nothing is kept as a failure, not dropped).
record() {
    local json=${4:-null}
    printf '{"bench":"%s","path":"%s","rep":%s,"run":%s}\n' "$1" "$2" "$3" "$json" >> "$RUNS"
    echo "run.sh: $1 $2 rep $3: $json" >&2
}

# bench MODE PORT STORE [options...]: one run of the tool; its JSON line.
bench() {
    local mode=$1 port=$2 store=$3
    shift 3
    "$TOOL" --mode "$mode" --kit-env "$KIT_ENV" --port "$port" --store "$store" "$@" 2>>"$WORK/tool.err" || true
}

# The first sync's connection count at limit L, for the floor: how many the
# sync opened (its logins) in its last run.
connections_of() { $PY -c 'import json,sys; print(json.loads(sys.argv[1] or "{}").get("connections", 0))' "$1"; }

start_proxy() {
    "$PROXY" --target-port "$TANDEM_KIT_IMAPS_PORT" --delay-ms "$DELAY_MS" --max-seconds 3600 \
        > "$WORK/proxy.out" 2>"$WORK/proxy.err" &
    PROXY_PID=$!
    PPORT=""
    for _ in $(seq 1 50); do
        PPORT=$(awk '/^PORT/{print $2; exit}' "$WORK/proxy.out")
        [ -n "$PPORT" ] && break
        sleep 0.1
    done
    [ -n "$PPORT" ] || { echo "run.sh: the delay proxy did not start: $(cat "$WORK/proxy.err")" >&2; exit 1; }
}

# The commit the tools were built from: TANDEM_BENCH_COMMIT for a tree that
# is no git checkout (an export of one commit), else HEAD, and whether
# mailcore/ had changes not committed (then the numbers are of no commit).
commit_of_tree() {
    if [ -n "${TANDEM_BENCH_COMMIT:-}" ]; then echo "$TANDEM_BENCH_COMMIT"; return; fi
    local head
    head=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
    if git -C "$REPO" diff --quiet HEAD -- mailcore 2>/dev/null; then echo "$head"
    else echo "$head + uncommitted changes in mailcore/"; fi
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
LOOP=$TANDEM_KIT_IMAPS_PORT
start_proxy
SYNCED="$WORK/synced" # a store with every folder synced, no bodies: made by the resync runs

# first_sync LIMIT REP: one timed first sync; K becomes its connection count.
first_sync() {
    local out
    out=$(bench first-sync "$LOOP" "$WORK/first-$1" --connections "$1")
    record first-sync "limit $1" "$2" "$out"
    K=$(connections_of "$out")
}
# floor LIMIT REP: the raw floor over K connections, as many as the sync opened.
floor() { record floor "limit $1" "$2" "$(bench floor "$LOOP" "$WORK/none" --connections "$K")"; }
# client LIMIT REP: the sync's fetch without the store (same limit).
client() { record client "limit $1" "$2" "$(bench client "$LOOP" "$WORK/none" --connections "$1")"; }

if [ $DO_FIRST = 1 ]; then
    for limit in $LIMITS; do
        for rep in $(seq 1 "$REPS"); do
            # Rep 1 learns K from the sync; after that, the order alternates.
            if [ $((rep % 2)) = 1 ]; then first_sync "$limit" "$rep"; client "$limit" "$rep"; floor "$limit" "$rep"
            else floor "$limit" "$rep"; client "$limit" "$rep"; first_sync "$limit" "$rep"; fi
        done
    done
fi

if [ $DO_RESYNC = 1 ] || [ $DO_FLAG = 1 ]; then
    # The resync makes the synced store when it finds none (its first sync is
    # not timed) and brings every folder up to date before its rounds.
    for rep in $(seq 1 "$REPS"); do
        [ $DO_RESYNC = 1 ] || break
        if [ $((rep % 2)) = 1 ]; then order="loopback proxy"; else order="proxy loopback"; fi
        for path in $order; do
            port=$LOOP; [ $path = proxy ] && port=$PPORT
            record resync $path "$rep" "$(bench resync "$port" "$SYNCED" --rounds "$ROUNDS")"
        done
    done
    [ -f "$SYNCED/store.sqlite" ] || bench resync "$LOOP" "$SYNCED" --rounds 0 >/dev/null
fi

if [ $DO_FLAG = 1 ]; then
    for rep in $(seq 1 "$REPS"); do
        order=$FLAG_PATHS
        [ $((rep % 2)) = 1 ] || order=$(echo "$FLAG_PATHS" | tr ' ' '\n' | tac | tr '\n' ' ')
        for path in $order; do
            port=$LOOP; [ $path = proxy ] && port=$PPORT
            for folder in $FLAG_FOLDERS; do
                rm -rf "$WORK/flag"
                cp -r "$SYNCED" "$WORK/flag"
                record flag "$path $folder" "$rep" "$(bench flag "$port" "$WORK/flag" --flag-folder "$folder" --prefetch "$PREFETCH")"
            done
        done
    done
    rm -rf "$WORK/flag"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$(dirname "$RESULTS")"
{
    echo "## store-sync run of $(date -u '+%Y-%m-%d %H:%M UTC') ($(( $(date +%s) - T_START )) s)"
    echo
    echo "- command: \`tools/bench/store/run.sh $ARGS\` (commit $(commit_of_tree))"
    echo "- machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB; load average before $LOAD_BEFORE, after $LOAD_AFTER"
    echo "- kit: $KIT_ENV; work folder on $STORAGE; proxy $DELAY_MS ms each way"
    echo
    $PY "$HERE/summary.py" "$RUNS"
} > "$WORK/report.md"
cat "$WORK/report.md" >> "$RESULTS"
cp "$RUNS" "${RESULTS%.md}-$(date -u +%Y%m%dT%H%M%S).jsonl"
cat "$WORK/report.md"
echo "run.sh: appended to $RESULTS" >&2
