# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Shared by the benchmark scripts (tools/bench/*/run.sh); sourced, not run.
# Expects REPO, PY, BUILD, REPS, RESULTS, KIT_ENV and KEEP set to their
# defaults before the options are read.

# bench_option "$@": the options every script takes (--build, --reps,
# --results, --kit-env, --keep, --help); any other one is an error. Sets
# BENCH_TOOK to how many words it used.
bench_option() {
    BENCH_TOOK=1
    case "$1" in
        --build) BUILD=$2; BENCH_TOOK=2 ;;
        --reps) REPS=$2; BENCH_TOOK=2 ;;
        --results) RESULTS=$2; BENCH_TOOK=2 ;;
        --kit-env) KIT_ENV=$2; BENCH_TOOK=2 ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
}

bench_check_reps() {
    [ "$REPS" -ge 1 ] && [ "$REPS" -le 20 ] || { echo "run.sh: --reps 1..20" >&2; exit 2; }
}

# bench_work NAME: a fresh work folder WORK, on tmpfs where there is one
# (STORAGE says which), removed at exit unless --keep; the kit bench_kit
# starts there is stopped, after the script's own bench_on_exit if it has one.
OWN_KIT=0
bench_work() {
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then
        WORK=$(mktemp -d "/dev/shm/$1.XXXXXX"); STORAGE="tmpfs (/dev/shm)"
    else
        WORK=$(mktemp -d); STORAGE="$(df --output=fstype "$WORK" | tail -1) (no /dev/shm: not tmpfs!)"
    fi
    chmod 755 "$WORK"
    trap bench_cleanup EXIT
}

bench_cleanup() {
    if declare -F bench_on_exit >/dev/null; then bench_on_exit; fi
    [ $OWN_KIT = 1 ] && $PY "$REPO/tools/testkit/kit.py" stop --dir "$WORK/kit" >/dev/null 2>&1 || true
    if [ $KEEP = 0 ]; then rm -rf "$WORK"; else echo "run.sh: kept $WORK" >&2; fi
}

# bench_kit: the kit with the bench corpus, the one --kit-env names or else
# one started in $WORK/kit; its env file sourced.
bench_kit() {
    if [ -z "$KIT_ENV" ]; then
        echo "run.sh: starting the kit with the bench corpus in $WORK/kit (about 30 s)" >&2
        OWN_KIT=1
        $PY "$REPO/tools/testkit/kit.py" start --dir "$WORK/kit" --corpus bench >&2
        KIT_ENV="$WORK/kit/kit.env"
    fi
    # shellcheck disable=SC1090
    source "$KIT_ENV"
}
