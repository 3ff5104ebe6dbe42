#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# The pool soak (tests/pool/soak_pool_imap.cpp): 32 threads of random ImapClient
# operations through a fault proxy in front of a kit Dovecot of its own, for
# SECONDS (default 3600); byte checks, hangs and memory. Not part of the test
# command (an hour); docs/RELIABILITY.md records its results. Uses an existing
# build (default build/dev, configured with BUILD_TESTING) or configures one.
#
#   tools/soak.sh [seconds]          TANDEM_SOAK_BUILD_DIR=... to choose the build
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TANDEM_SOAK_BUILD_DIR:-$root/build/dev}
seconds=${1:-3600}

"$root/tools/install-deps.sh"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" --preset dev >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)" --target soak_pool_imap

kit=$(mktemp -d "${TMPDIR:-/tmp}/tandem-soak.XXXXXX")
chmod 755 "$kit"
trap '/usr/bin/python3 "$root/tools/testkit/kit.py" stop --dir "$kit/servers" >/dev/null; rm -rf "$kit"' EXIT
/usr/bin/python3 "$root/tools/testkit/kit.py" start --dir "$kit/servers" --profile pooled --corpus small

# The soak looks for leaks. With its 50 threads glibc keeps up to 8 arenas per
# core, and the memory they free stays resident: with the default the resident
# size grew from 119 to 146 MiB between minutes 10 and 27 of a run while the
# same run with two arenas stayed between 52 and 58 MiB (docs/RELIABILITY.md).
# Two arenas, unless the caller says otherwise.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# And a fixed mmap threshold: the corpus holds messages of up to 20 MB, and
# each such block freed raises glibc's dynamic threshold, after which blocks
# that big come from the arenas and their freed memory stays resident. In
# session 7 heaptrack saw the memory in use flat (3.85 MB at 4 minutes, 3.62
# at 14) while the resident size crept up (docs/RELIABILITY.md).
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
echo "soak: $(git -C "$root" log --oneline -1 | cut -c1-80); $(nproc) cores; $(uname -r); MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_"
TANDEM_KIT_ENV="$kit/servers/kit.env" "$build/tests/pool/soak_pool_imap" "$seconds"
