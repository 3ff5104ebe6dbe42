#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# The IMAP bulk-fetch benchmark of issue 4 in one command (see tools/bench/README.md).
#
#   tools/bench/imap/run.sh [options]
#
# Starts a throw-away kit (tools/testkit/kit.py --corpus bench: folder Bench,
# 10,000 messages, ~242 MB) on a tmpfs when /dev/shm is there, then times, each
# --reps times (median reported), checking every run's message count, bytes and
# every message's SHA-256 against the kit's manifest:
#   floor K      tandem-bench-imap --mode floor with K raw connections
#   mbsync       isync, one pipelined connection, FSync no, fresh Maildir on tmpfs
#   curl serial  imaps://.../Bench;UID=N one after another, on a subset (scaled)
#   curl -Z      curl -Z --parallel-max K on a subset (scaled)
#   pool-bulk K, pool-naive K   the public ImapClient (cases a and b)
#   pool-latency K   \Flagged add/remove latency while bulk fetches of the
#                whole folder Bench run (case c), with the idle NOOP round trip
# on loopback (whole folder) and through tandem-delayproxy (default 5 ms each
# way = 10 ms round trip, on a copy of the first --delay-subset messages).
# \Seen is removed from every message before every run (curl's BODY[] sets it).
# Writes a markdown report, appends it to the results file and prints its path.
#
# Options (defaults in brackets):
#   --build DIR            build tree with the tools [build/bench: configured
#                          Release and built (-j2) when the tools are missing]
#   --reps N               runs per contender [3]
#   --connections "K..."   floor connection counts ["1 2 4 10"]
#   --curl-serial N        messages curl serial fetches; scaled to the set [500]
#   --curl-parallel N      messages curl -Z fetches; scaled to the set [2000]
#   --curl-k K             curl --parallel-max [10]
#   --delay-ms MS          delay each way in the proxy [5]
#   --delay-subset N       messages in the delayed case [2000]
#   --no-loopback | --no-delay   skip one of the two cases
#   --no-curl | --no-mbsync | --no-pool   skip a contender (pool: ImapClient pool-bulk and pool-naive, K = --connections)
#   --no-latency           skip pool-latency
#   --latency-connections "K..."   pool-latency limits [same as --connections]
#   --latency-rounds N     bulk fetches of Bench per pool-latency run [1]
#   --latency-interval-ms MS   one flag change per interval [50]
#   --latency-flag-folders "F..."  where the flagged message is: Bench (the
#                          folder being fetched: the target case) and INBOX
#                          (120 messages: a flag change the server does in
#                          ~1 ms, to separate the client's part) ["Bench INBOX"]
#   --latency-cold-connections "K..."  also pool-latency --cold (the bulk starts
#                          on a fresh client and takes the main connection,
#                          as when a download starts before any click) with
#                          the flagged message in the middle of the first
#                          chunk, at these limits ["10"; "" for none]
#   --sample               also sample CPU (imap, imap-login, client) during one
#                          extra floor K=1, floor K=4, pool-bulk K (each of
#                          --connections) and mbsync run on loopback
#   --results FILE         [build/bench-results/imap.md]
#   --kit-env FILE         reuse a running kit started with --corpus bench
#                          (its folder must be on tmpfs for fair numbers)
#   --keep                 keep the work folder (kit, downloads) for inspection
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../../.." && pwd)
HERE="$REPO/tools/bench/imap"
PY=/usr/bin/python3
LIB="$HERE/benchlib.py"

BUILD="$REPO/build/bench"
REPS=3
CONNS="1 2 4 10"
CURL_SERIAL=500
CURL_PARALLEL=2000
CURL_K=10
DELAY_MS=5
DELAY_SUBSET=2000
DO_LOOPBACK=1
DO_DELAY=1
DO_CURL=1
DO_MBSYNC=1
DO_POOL=1
DO_LATENCY=1
LAT_CONNS=""
LAT_ROUNDS=1
LAT_INTERVAL=50
LAT_FOLDERS="Bench INBOX"
LAT_COLD="10"
SAMPLE=0
RESULTS="$REPO/build/bench-results/imap.md"
KIT_ENV=""
KEEP=0
ARGS=$(printf "%q " "$@")

# shellcheck source=../common.sh
source "$REPO/tools/bench/common.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNS=$2; shift ;;
        --curl-serial) CURL_SERIAL=$2; shift ;;
        --curl-parallel) CURL_PARALLEL=$2; shift ;;
        --curl-k) CURL_K=$2; shift ;;
        --delay-ms) DELAY_MS=$2; shift ;;
        --delay-subset) DELAY_SUBSET=$2; shift ;;
        --no-loopback) DO_LOOPBACK=0 ;;
        --no-delay) DO_DELAY=0 ;;
        --no-curl) DO_CURL=0 ;;
        --no-mbsync) DO_MBSYNC=0 ;;
        --no-pool) DO_POOL=0 ;;
        --no-latency) DO_LATENCY=0 ;;
        --latency-connections) LAT_CONNS=$2; shift ;;
        --latency-rounds) LAT_ROUNDS=$2; shift ;;
        --latency-interval-ms) LAT_INTERVAL=$2; shift ;;
        --latency-flag-folders) LAT_FOLDERS=$2; shift ;;
        --latency-cold-connections) LAT_COLD=$2; shift ;;
        --sample) SAMPLE=1 ;;
        *) bench_option "$@"; shift $((BENCH_TOOK - 1)) ;;
    esac
    shift
done
bench_check_reps
[ "$LAT_ROUNDS" -ge 1 ] && [ "$LAT_ROUNDS" -le 20 ] || { echo "run.sh: --latency-rounds 1..20" >&2; exit 2; }
[ -n "$LAT_CONNS" ] || LAT_CONNS=$CONNS

for tool in mbsync curl doveadm; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || [ $tool = mbsync -a $DO_MBSYNC = 0 ] \
        || { echo "run.sh: $tool missing: run tools/install-deps.sh" >&2; exit 1; }
done

BENCH="$BUILD/tools/bench/imap/tandem-bench-imap/tandem-bench-imap"
PROXY="$BUILD/tools/bench/imap/delayproxy/tandem-delayproxy"
if [ ! -x "$BENCH" ] || [ ! -x "$PROXY" ]; then
    echo "run.sh: building the tools in $BUILD (Release, -j2)" >&2
    cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target tandem-bench-imap tandem-delayproxy >/dev/null
fi

PROXY_PID=""
SAMPLER_PID=""
bench_on_exit() {
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
}
bench_work tandem-bench-imap
T_START=$(date +%s)
bench_kit
CONF=$TANDEM_KIT_DOVECOT_CONF
MANIFEST=$TANDEM_KIT_CORPUS_MANIFEST
USER1=$TANDEM_KIT_USER1
PASS1=$TANDEM_KIT_PASSWORD1
CA=$TANDEM_KIT_CA_CERT
IMAPS=$TANDEM_KIT_IMAPS_PORT
# The kit's Dovecot master: --sample counts only its imap processes.
DOVECOT_PID=$(cat "$(sed -n 's/^base_dir = //p' "$CONF")/master.pid" 2>/dev/null || echo 0)
read -r TOTAL_N TOTAL_BYTES < <($PY "$LIB" expect --manifest "$MANIFEST" --folder Bench --n 100000)

TSV="$WORK/runs.tsv"
printf 'case\tcontender\trep\tseconds\tmessages\tbytes\tscale\tnote\n' > "$TSV"
LAT_TSV="$WORK/latency.jsonl"
: > "$LAT_TSV"
FAILURES=0

now() { date +%s.%N; }
elapsed() { $PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.4f}')" "$1" "$2"; }
json_get() { # never fails: an unparsable text gives ""
    $PY -c "
import json, sys
try:
    print(json.loads(sys.argv[1]).get(sys.argv[2], ''))
except Exception:
    print('')" "$1" "$2"
}
reset_seen() { doveadm -c "$CONF" flags remove -u "$USER1" '\Seen' mailbox "$1" ALL; }

# record CASE CONTENDER REP SECONDS CHECK_JSON SCALE NOTE
record() {
    local ok messages bytes
    ok=$(json_get "$5" ok); messages=$(json_get "$5" messages); bytes=$(json_get "$5" bytes)
    if [ "$ok" != True ]; then
        echo "run.sh: FAILED CHECK $1 / $2 run $3: $5" >&2
        FAILURES=$((FAILURES + 1))
        return
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$messages" "$bytes" "$6" "$7" >> "$TSV"
    echo "run.sh: $1 / $2 run $3: $4 s, $messages messages, $bytes bytes" >&2
}

# run_floor CASE PORT FOLDER N K REP
run_floor() {
    local out="$WORK/floor.json" check
    reset_seen "$3"
    "$BENCH" --host 127.0.0.1 --port "$2" --ca "$CA" --user "$USER1" --password "$PASS1" --folder "$3" \
        --mode floor --connections "$5" --batch 100 --limit "$4" \
        --verify "$MANIFEST" --manifest-folder Bench > "$out" 2>"$WORK/floor.err" || true
    check=$($PY "$LIB" check --manifest "$MANIFEST" --folder Bench --n "$4" --kind floor "$out" || true)
    record "$1" "floor K=$5" "$6" "$(json_get "$check" seconds)" "$check" 1 \
        "connect+login+EXAMINE+fetch, bodies kept in memory"
}

# run_pool CASE PORT FOLDER N K REP MODE (pool-bulk | pool-naive)
# pool-naive makes min(N, 2000) separate asynchronous calls (issue 4, case b).
run_pool() {
    local out="$WORK/pool.json" check n="$4" label
    [ "$7" = pool-naive ] && n=$(( $4 < 2000 ? $4 : 2000 ))
    label="$7 K=$5"
    reset_seen "$3"
    "$BENCH" --host 127.0.0.1 --port "$2" --ca "$CA" --user "$USER1" --password "$PASS1" --folder "$3" \
        --mode "$7" --connections "$5" --limit "$n" \
        --verify "$MANIFEST" --manifest-folder Bench > "$out" 2>"$WORK/pool.err" || true
    check=$($PY "$LIB" check --manifest "$MANIFEST" --folder Bench --n "$n" --kind floor "$out" || true)
    record "$1" "$label" "$6" "$(json_get "$check" seconds)" "$check" "$($PY -c "print($4/$n)")" \
        "public ImapClient, fresh client (connect counted), bodies kept in memory"
}

# run_latency CASE PORT K REP FLAG_FOLDER [EXTRA OPTIONS...]: pool-latency on the whole folder Bench (case c
# is "while (a) runs", and (a) is the 10,000-message folder, also through the
# proxy). One JSON line per run goes to $LAT_TSV with the case and rep added.
run_latency() {
    local out="$WORK/latency.json" check
    reset_seen Bench
    timeout 900 "$BENCH" --host 127.0.0.1 --port "$2" --ca "$CA" --user "$USER1" --password "$PASS1" --folder Bench \
        --mode pool-latency --connections "$3" --rounds "$LAT_ROUNDS" --interval-ms "$LAT_INTERVAL" --count 30 \
        --flag-folder "$5" "${@:6}" \
        --verify "$MANIFEST" --manifest-folder Bench > "$out" 2>"$WORK/latency.err" || true
    check=$($PY "$LIB" check --manifest "$MANIFEST" --folder Bench --n "$TOTAL_N" --kind floor "$out" || true)
    # A run whose bulk lost or spoiled messages still says what the latency
    # was: it is kept in the table, with the failed check beside it.
    if [ "$(json_get "$check" ok)" != True ]; then
        echo "run.sh: FAILED CHECK $1 / pool-latency K=$3 flag in $5 run $4: $check $(grep -v 'closed by its owner' "$WORK/latency.err" | tail -c 300)" >&2
        FAILURES=$((FAILURES + 1))
    fi
    grep -q '"flag":{"count":[1-9]' "$out" || return 0
    $PY -c "
import json, sys
j = json.loads([l for l in open(sys.argv[1]) if l.startswith('{')][-1])
c = json.loads(sys.argv[4] or '{}')
j['case'] = sys.argv[2]; j['rep'] = int(sys.argv[3])
j['check'] = 'ok' if c.get('ok') else (c.get('error') or j.get('error') or 'failed')
print(json.dumps(j))" "$out" "$1" "$4" "$check" >> "$LAT_TSV"
    echo "run.sh: $1 / pool-latency K=$3 flag in $5 run $4: $($PY -c "
import json, sys
j = json.loads(sys.argv[1]); f = j['flag']; n = j['noop']
print(f\"{f['count']} flag changes p50/p95/p99/max {f['p50_ms']:.2f}/{f['p95_ms']:.2f}/{f['p99_ms']:.2f}/{f['max_ms']:.2f} ms, NOOP p50 {n.get('p50_ms', float('nan')):.2f} ms, bulk {j['rounds']} s\")" "$(tail -1 "$LAT_TSV")")" >&2
}

# run_mbsync CASE PORT FOLDER N REP
run_mbsync() {
    local dir="$WORK/mbsync" t0 t1 check
    rm -rf "$dir"; mkdir -p "$dir/maildir"
    # Host localhost: mbsync checks the certificate's DNS name, not its IP SAN.
    cat > "$dir/mbsyncrc" <<EOF
FSync no

IMAPAccount kit
Host localhost
Port $2
User $USER1
Pass $PASS1
SSLType IMAPS
CertificateFile $CA

IMAPStore far
Account kit

MaildirStore near
Path $dir/maildir/
Inbox $dir/maildir/INBOX
SubFolders Verbatim

Channel bench
Far :far:
Near :near:
Patterns $3
Create Near
Sync Pull
SyncState *
EOF
    reset_seen "$3"
    t0=$(now)
    timeout 600 mbsync -c "$dir/mbsyncrc" -q bench || echo "run.sh: mbsync exit $?" >&2
    t1=$(now)
    check=$($PY "$LIB" check --manifest "$MANIFEST" --folder Bench --n "$4" --kind maildir "$dir/maildir/$3" || true)
    record "$1" mbsync "$5" "$(elapsed "$t0" "$t1")" "$check" 1 "FSync no, Maildir on tmpfs, wall clock"
}

# run_curl CASE PORT FOLDER N_TIMED N_SET REP PARALLEL_K(0=serial)
run_curl() {
    local dir="$WORK/curl" t0 t1 check par=() who="curl serial" note
    rm -rf "$dir"; mkdir -p "$dir"
    if [ "$7" -gt 0 ]; then par=(-Z --parallel-max "$7"); who="curl -Z K=$7"; fi
    reset_seen "$3"
    t0=$(now)
    timeout 900 curl -s -S "${par[@]}" --cacert "$CA" -u "$USER1:$PASS1" \
        "imaps://127.0.0.1:$2/$3;UID=[1-$4]" -o "$dir/#1.eml" 2>"$WORK/curl.err" >/dev/null \
        || echo "run.sh: curl exit $?: $(tail -c 300 "$WORK/curl.err")" >&2
    t1=$(now)
    check=$($PY "$LIB" check --manifest "$MANIFEST" --folder Bench --n "$4" --kind curl "$dir" || true)
    note="timed $4 messages, scaled ×$($PY -c "print(round($5/$4, 3))") to $5; BODY[] sets \\Seen (reset before each run)"
    record "$1" "$who" "$6" "$(elapsed "$t0" "$t1")" "$check" "$($PY -c "print($5/$4)")" "$note"
}

# one_case CASE PORT FOLDER N LATENCY_CASE
one_case() {
    local rep k ns np
    ns=$(( CURL_SERIAL < $4 ? CURL_SERIAL : $4 ))
    np=$(( CURL_PARALLEL < $4 ? CURL_PARALLEL : $4 ))
    for rep in $(seq 1 "$REPS"); do
        for k in $CONNS; do run_floor "$1" "$2" "$3" "$4" "$k" "$rep"; done
        if [ $DO_POOL = 1 ]; then
            for k in $CONNS; do
                run_pool "$1" "$2" "$3" "$4" "$k" "$rep" pool-bulk
                run_pool "$1" "$2" "$3" "$4" "$k" "$rep" pool-naive
            done
        fi
        [ $DO_MBSYNC = 1 ] && run_mbsync "$1" "$2" "$3" "$4" "$rep"
        if [ $DO_CURL = 1 ]; then
            run_curl "$1" "$2" "$3" "$ns" "$4" "$rep" 0
            run_curl "$1" "$2" "$3" "$np" "$4" "$rep" "$CURL_K"
        fi
        if [ $DO_LATENCY = 1 ]; then
            for f in $LAT_FOLDERS; do
                for k in $LAT_CONNS; do run_latency "$5" "$2" "$k" "$rep" "$f"; done
            done
            # The middle of the first chunk: fetched on the main connection while flags change.
            for k in $LAT_COLD; do
                run_latency "$5" "$2" "$k" "$rep" Bench --cold --flag-uid $(( TOTAL_N / (k > 1 ? 2 * (k - 1) : 2) ))
            done
        fi
    done
}

SAMPLES=""
sample_run() { # sample_run LABEL COMMAND...
    local label=$1 stop="$WORK/sample.stop" ready="$WORK/sample.ready" result; shift
    rm -f "$stop" "$ready"
    $PY "$LIB" sample --stop "$stop" --ready "$ready" --max-seconds 300 --interval 0.1 --dovecot-pid "$DOVECOT_PID" \
        > "$WORK/sample.json" &
    SAMPLER_PID=$!
    # The command starts once the sampler has its baseline (its first poll).
    for _ in $(seq 1 100); do [ -e "$ready" ] && break; sleep 0.05; done
    [ -e "$ready" ] || { echo "run.sh: the CPU sampler did not start" >&2; exit 1; }
    # A snapshot of top 0.6 s into the command: a sample, not a wait.
    ( sleep 0.6; top -b -n 1 -w 200 | head -20 > "$WORK/top.txt" ) &
    local top_pid=$!
    "$@" >/dev/null 2>&1 || true
    touch "$stop"
    wait "$SAMPLER_PID" || true; SAMPLER_PID=""
    wait "$top_pid" || true
    result=$(cat "$WORK/sample.json")
    SAMPLES+="- $label: \`$result\`"$'\n'
    SAMPLES+="  top during it (first lines):"$'\n'"  \`\`\`"$'\n'"$(sed 's/^/  /' "$WORK/top.txt")"$'\n'"  \`\`\`"$'\n'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_BEFORE=$(uptime)
TOP_BEFORE=$(top -b -n 1 -w 200 | sed -n '7,14p')
if [ $DO_LOOPBACK = 1 ]; then
    one_case "loopback, $TOTAL_N messages ($(($TOTAL_BYTES / 1000000)) MB)" "$IMAPS" Bench "$TOTAL_N" "loopback"
fi

if [ $DO_DELAY = 1 ]; then
    SUB="Bench$DELAY_SUBSET"
    if ! doveadm -c "$CONF" mailbox status -u "$USER1" messages "$SUB" >/dev/null 2>&1; then
        doveadm -c "$CONF" mailbox create -u "$USER1" "$SUB"
        doveadm -c "$CONF" copy -u "$USER1" "$SUB" mailbox Bench UID "1:$DELAY_SUBSET"
    fi
    "$PROXY" --target-port "$IMAPS" --delay-ms "$DELAY_MS" --max-seconds 1800 > "$WORK/proxy.out" 2>"$WORK/proxy.err" &
    PROXY_PID=$!
    PPORT=""
    for _ in $(seq 1 50); do
        PPORT=$(awk '/^PORT/{print $2; exit}' "$WORK/proxy.out")
        [ -n "$PPORT" ] && break
        sleep 0.1
    done
    [ -n "$PPORT" ] || { echo "run.sh: the delay proxy did not start: $(cat "$WORK/proxy.err")" >&2; exit 1; }
    RTT=$("$BENCH" --host 127.0.0.1 --port "$PPORT" --ca "$CA" --user "$USER1" --password "$PASS1" --mode rtt --count 50 2>/dev/null)
    RTT_LOOP=$("$BENCH" --host 127.0.0.1 --port "$IMAPS" --ca "$CA" --user "$USER1" --password "$PASS1" --mode rtt --count 50 2>/dev/null)
    one_case "through tandem-delayproxy ($DELAY_MS ms each way), $DELAY_SUBSET messages (folder $SUB = Bench UIDs 1:$DELAY_SUBSET)" \
        "$PPORT" "$SUB" "$DELAY_SUBSET" "through tandem-delayproxy ($DELAY_MS ms each way)"
    kill "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
fi

if [ $SAMPLE = 1 ]; then
    common=(--host 127.0.0.1 --port "$IMAPS" --ca "$CA" --user "$USER1" --password "$PASS1" --folder Bench --mode floor)
    reset_seen Bench; sample_run "floor K=1, loopback, all" "$BENCH" "${common[@]}" --connections 1
    reset_seen Bench; sample_run "floor K=4, loopback, all" "$BENCH" "${common[@]}" --connections 4
    if [ $DO_POOL = 1 ]; then
        for k in $CONNS; do
            reset_seen Bench
            sample_run "pool-bulk K=$k, loopback, all" "$BENCH" --host 127.0.0.1 --port "$IMAPS" --ca "$CA" \
                --user "$USER1" --password "$PASS1" --folder Bench --mode pool-bulk --connections "$k"
        done
    fi
    if [ $DO_MBSYNC = 1 ]; then
        rm -rf "$WORK/mbsync/maildir"; mkdir -p "$WORK/mbsync/maildir"
        sed -i "s/^Port .*/Port $IMAPS/; s/^Patterns .*/Patterns Bench/" "$WORK/mbsync/mbsyncrc" 2>/dev/null || true
        reset_seen Bench; [ -f "$WORK/mbsync/mbsyncrc" ] && sample_run "mbsync, loopback, all" mbsync -c "$WORK/mbsync/mbsyncrc" -q bench
    fi
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_AFTER=$(uptime)

REPORT="$WORK/report.md"
{
    echo "## IMAP bulk fetch run, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- command: \`tools/bench/imap/run.sh $ARGS\` (commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
    echo "- load average before / after: $LOAD_BEFORE / $LOAD_AFTER (2 cores: above ~2 means other work shared the CPU)"
    echo "- uptime before: \`$UPTIME_BEFORE\`; after: \`$UPTIME_AFTER\`"
    echo "- busiest processes just before the run (top -b -n 1):"
    echo '  ```'
    echo "$TOP_BEFORE" | sed 's/^/  /'
    echo '  ```'
    echo "- storage: Dovecot's mail and every download on $STORAGE; Dovecot $(dovecot --version 2>/dev/null | cut -d' ' -f1), $(mbsync --version 2>/dev/null), $(curl --version | head -1 | cut -d' ' -f1-2)"
    echo "- $REPS runs each, median; every run checked: message count, bytes (as sent, CRLF) and each message's SHA-256 against the kit manifest"
    [ -n "${RTT:-}" ] && echo "- NOOP round trip through the proxy: p50 $(json_get "$RTT" p50_ms) ms, p90 $(json_get "$RTT" p90_ms) ms; direct on loopback: p50 $(json_get "$RTT_LOOP" p50_ms) ms"
    echo "- curl rows are scaled from the timed subset to the whole set (see the note column)"
    echo "- failed checks (runs left out of the tables): $FAILURES"
    echo "- total run time: $(( $(date +%s) - T_START )) s"
    $PY "$LIB" summarize "$TSV"
    if [ -s "$LAT_TSV" ]; then
        echo
        echo "### pool-latency: \\Flagged add/remove every $LAT_INTERVAL ms while $LAT_ROUNDS bulk fetches of Bench ($TOTAL_N messages) run"
        $PY "$LIB" latency "$LAT_TSV"
    fi
    if [ -n "$SAMPLES" ]; then
        echo
        echo "### CPU sampling (one extra run each)"
        echo
        echo "$SAMPLES"
    fi
    echo
    echo "<details><summary>raw runs (TSV)</summary>"
    echo
    echo '```'
    cat "$TSV"
    echo '```'
    echo "</details>"
    echo
} > "$REPORT"
mkdir -p "$(dirname "$RESULTS")"
cat "$REPORT" >> "$RESULTS"
cat "$REPORT"
echo "run.sh: appended to $RESULTS" >&2
[ $FAILURES = 0 ]
