#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# CTest `example_on_installed_package`: mailcore as another program meets it.
# Stages `cmake --install` of this build, builds examples/pooled-imap against
# the staged package only (find_package(TandemMailcore)), runs it against the
# kit's Dovecot and checks what it printed: every style fetched every message,
# the threads that share the main connection used one connection, and the
# threads with their own connection used one each.
#
#   run_example.sh <source dir> <build dir> <kit.env> <c++ compiler> [sanitizers]
set -euo pipefail

source_dir=$1
build=$2
kit_env=$3
cxx=$4
sanitize=${5:-}
work=$build/example-check
rm -rf "$work"
mkdir -p "$work"

cmake --install "$build" --prefix "$work/stage" >/dev/null
flags=()
if [ -n "$sanitize" ]; then
    # The staged library carries the sanitizers' instrumentation: the program
    # must link their runtimes too.
    flags=(-DCMAKE_CXX_FLAGS="-fsanitize=$sanitize" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$sanitize")
fi
# Only the staged package and Qt: CMAKE_FIND_USE_PACKAGE_REGISTRY=OFF, and no
# path into the source or build tree.
cmake -S "$source_dir/examples/pooled-imap" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/stage" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    "${flags[@]}" >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# shellcheck disable=SC1090
. "$kit_env"
lib=$(dirname "$(find "$work/stage" -name 'libtandem-mailcore.so.*' | head -1)")
output=$(LD_LIBRARY_PATH="$lib:${LD_LIBRARY_PATH:-}" TANDEM_EXAMPLE_PASSWORD="$TANDEM_KIT_PASSWORD1" \
    "$work/build/pooled-imap" "$TANDEM_KIT_HOST" "$TANDEM_KIT_IMAPS_PORT" "$TANDEM_KIT_USER1" INBOX \
    "$TANDEM_KIT_CA_CERT")
echo "$output"

fail() {
    echo "example_on_installed_package: $*" >&2
    exit 1
}
wanted=$(sed -n 's/.*fetching \([0-9]*\) of them.*/\1/p' <<<"$output")
[ -n "$wanted" ] && [ "$wanted" -gt 0 ] || fail "the example fetched nothing"
line() { grep "^$1" <<<"$output" || fail "no line for style $1"; }
field() { sed -n "s/.*fetched \([0-9]*\) messages.* over \([0-9]*\) connection.*/\\$2/p" <<<"$1"; }
for style in 1 2 3; do
    l=$(line "$style.")
    [ "$(field "$l" 1)" = "$wanted" ] || fail "style $style fetched $(field "$l" 1) of $wanted messages"
done
[ "$(field "$(line 2.)" 2)" = 1 ] || fail "the threads sharing the main connection used $(field "$(line 2.)" 2) connections"
[ "$(field "$(line 3.)" 2)" = 3 ] || fail "three threads with their own connection used $(field "$(line 3.)" 2) connections"
echo "example_on_installed_package: OK"
