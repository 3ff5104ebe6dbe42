#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# The POP3 download benchmark of issue 15 in one command (see tools/bench/README.md).
#
#   tools/bench/pop3/run.sh [options]
#
# Starts a throw-away kit (tools/testkit/kit.py --corpus bench) on a tmpfs when
# /dev/shm is there, copies the first --messages messages of alice's folder
# Bench into bob's INBOX (his POP3 maildrop), starts tandem-delayproxy in front
# of POP3S (default 5 ms each way = 10 ms added round trip) and times, each
# --reps times with the order rotated every rep, a download of the whole
# maildrop over TLS through the proxy, leaving it on the server:
#   tandem default   tandem-bench-pop3: Pop3Client at its default limit (10),
#                    LIST/UIDL then fetchMessagesAsync of every id, in memory
#   tandem limit 1   the same at maxConnectionsPerServer 1 (one session, pipelined)
#   mpop             Debian's mpop: one pipelined session, keep on, only_new
#                    off, a fresh UIDL file, delivery to a Maildir on tmpfs
# Every run is checked: message count (and bytes for tandem-bench-pop3).
# Writes a markdown report (medians, min-max, ratios), appends it to the
# results file and prints its path.
#
# Options (defaults in brackets):
#   --build DIR        build tree with the tools [build/p3rel: configured
#                      Release and built (-j2) when the tools are missing]
#   --reps N           runs per contender [3]
#   --messages N       messages in the maildrop [2000]
#   --delay-ms MS      delay each way in the proxy [5]
#   --results FILE     [build/bench-results/pop3.md]
#   --kit-env FILE     reuse a running kit started with --corpus bench
#   --keep             keep the work folder (kit, downloads) for inspection
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../../.." && pwd)
PY=/usr/bin/python3
BUILD="$REPO/build/p3rel"
REPS=3
MESSAGES=2000
DELAY_MS=5
RESULTS="$REPO/build/bench-results/pop3.md"
KIT_ENV=""
KEEP=0
ARGS=$(printf "%q " "$@")

# shellcheck source=../common.sh
source "$REPO/tools/bench/common.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --messages) MESSAGES=$2; shift ;;
        --delay-ms) DELAY_MS=$2; shift ;;
        *) bench_option "$@"; shift $((BENCH_TOOK - 1)) ;;
    esac
    shift
done
bench_check_reps

for tool in mpop doveadm; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "run.sh: $tool missing: run tools/install-deps.sh" >&2; exit 1; }
done

BENCH="$BUILD/tools/bench/pop3/tandem-bench-pop3/tandem-bench-pop3"
PROXY="$BUILD/tools/bench/imap/delayproxy/tandem-delayproxy"
if [ ! -x "$BENCH" ] || [ ! -x "$PROXY" ]; then
    echo "run.sh: building the tools in $BUILD (Release, -j2)" >&2
    cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target tandem-bench-pop3 tandem-delayproxy >/dev/null
fi

PROXY_PID=""
bench_on_exit() { [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true; }
bench_work tandem-bench-pop3
bench_kit
CONF=$TANDEM_KIT_DOVECOT_CONF
CA=$TANDEM_KIT_CA_CERT
FROM=$TANDEM_KIT_USER1
USER=$TANDEM_KIT_USER2
PASS=$TANDEM_KIT_PASSWORD2

# bob's maildrop: exactly the first MESSAGES messages of Bench.
doveadm -c "$CONF" expunge -u "$USER" mailbox INBOX ALL
doveadm -c "$CONF" copy -u "$USER" INBOX user "$FROM" mailbox Bench UID "1:$MESSAGES"
HAVE=$(doveadm -c "$CONF" -f flow mailbox status -u "$USER" messages INBOX | sed 's/.*messages=//')
[ "$HAVE" = "$MESSAGES" ] || { echo "run.sh: bob's INBOX has $HAVE messages, not $MESSAGES" >&2; exit 1; }

"$PROXY" --target-port "$TANDEM_KIT_POP3S_PORT" --delay-ms "$DELAY_MS" --max-seconds 3600 \
    > "$WORK/proxy.out" 2>"$WORK/proxy.err" &
PROXY_PID=$!
PPORT=""
for _ in $(seq 1 50); do
    PPORT=$(awk '/^PORT/{print $2; exit}' "$WORK/proxy.out")
    [ -n "$PPORT" ] && break
    sleep 0.1
done
[ -n "$PPORT" ] || { echo "run.sh: the delay proxy did not start: $(cat "$WORK/proxy.err")" >&2; exit 1; }

TSV="$WORK/runs.tsv"
: > "$TSV"
FAILURES=0
now() { date +%s.%N; }
elapsed() { $PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.4f}')" "$1" "$2"; }

# run_tandem NAME LIMIT REP
run_tandem() {
    local out seconds
    if ! out=$("$BENCH" --host 127.0.0.1 --port "$PPORT" --ca "$CA" --user "$USER" --password "$PASS" --limit "$2"); then
        echo "run.sh: FAILED $1 run $3: $out" >&2; FAILURES=$((FAILURES + 1)); return
    fi
    seconds=$($PY -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$out")
    printf '%s\t%s\t%s\t%s\n' "$1" "$3" "$seconds" "$out" >> "$TSV"
}

# run_mpop REP
run_mpop() {
    local dir="$WORK/mpop" t0 t1 got
    rm -rf "$dir"; mkdir -p "$dir/maildir/new" "$dir/maildir/cur" "$dir/maildir/tmp"
    cat > "$dir/mpoprc" <<RC
defaults
tls on
tls_starttls off
tls_trust_file $CA
pipelining on
keep on
only_new off
account bench
host 127.0.0.1
port $PPORT
user $USER
password $PASS
auth user
uidls_file $dir/uidls
delivery maildir $dir/maildir
RC
    chmod 600 "$dir/mpoprc"
    t0=$(now)
    timeout 600 mpop -C "$dir/mpoprc" -q bench || echo "run.sh: mpop exit $?" >&2
    t1=$(now)
    got=$(find "$dir/maildir/new" "$dir/maildir/cur" -type f | wc -l)
    if [ "$got" != "$MESSAGES" ]; then
        echo "run.sh: FAILED mpop run $1: $got messages" >&2; FAILURES=$((FAILURES + 1)); return
    fi
    printf '%s\t%s\t%s\t%s\n' mpop "$1" "$(elapsed "$t0" "$t1")" "{\"messages\": $got, \"bytes\": $(du -sb "$dir/maildir" | cut -f1)}" >> "$TSV"
}

CONTENDERS=("tandem default" "tandem limit 1" "mpop")
for rep in $(seq 1 "$REPS"); do
    for i in 0 1 2; do
        c=${CONTENDERS[$(((i + rep - 1) % 3))]}
        case "$c" in
            "tandem default") run_tandem "$c" 0 "$rep" ;;
            "tandem limit 1") run_tandem "$c" 1 "$rep" ;;
            mpop) run_mpop "$rep" ;;
        esac
    done
done

mkdir -p "$(dirname "$RESULTS")"
REPORT="$WORK/report.md"
{
    echo "## POP3 download, $(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$REPO" rev-parse --short HEAD)"
    echo
    echo "- command: \`tools/bench/pop3/run.sh $ARGS\`"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $MESSAGES messages (bob's INBOX = Bench UIDs 1:$MESSAGES), POP3S through tandem-delayproxy ($DELAY_MS ms each way), storage $STORAGE; $(mpop --version | head -1); Dovecot $(dovecot --version | cut -d' ' -f1)"
    echo "- tandem-bench-pop3 keeps the messages in memory; mpop writes each to a Maildir on the same tmpfs"
    echo
    $PY - "$TSV" <<'PYEOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rep, seconds, _ = line.rstrip("\n").split("\t", 3)
    rows.setdefault(name, []).append(float(seconds))
med = {k: statistics.median(v) for k, v in rows.items()}
print("| contender | runs | median s | min-max s | vs tandem default |")
print("|---|---|---|---|---|")
for name in ("tandem default", "tandem limit 1", "mpop"):
    if name not in rows:
        print(f"| {name} | 0 | - | - | - |"); continue
    v = rows[name]
    ratio = f"{med[name] / med['tandem default']:.2f}x" if "tandem default" in med else "-"
    print(f"| {name} | {len(v)} | {med[name]:.3f} | {min(v):.3f}-{max(v):.3f} | {ratio} |")
if "tandem default" in rows and "tandem limit 1" in rows and "mpop" in rows:
    d = rows["tandem default"]
    print()
    print(f"Ratios of medians: tandem default / limit 1 = {med['tandem default'] / med['tandem limit 1']:.2f}, "
          f"tandem default / mpop = {med['tandem default'] / med['mpop']:.2f}, "
          f"tandem limit 1 / mpop = {med['tandem limit 1'] / med['mpop']:.2f}; per-rep default/mpop: "
          + ", ".join(f"{a / b:.2f}" for a, b in zip(d, rows['mpop'])))
PYEOF
    echo
    echo "Runs (seconds, the tool's JSON):"
    echo
    sed 's/^/    /' "$TSV"
    [ $FAILURES = 0 ] || echo "**$FAILURES run(s) failed their check: see stderr.**"
} > "$REPORT"
cat "$REPORT" >> "$RESULTS"
cat "$REPORT"
echo "run.sh: appended to $RESULTS" >&2
[ $FAILURES = 0 ]
