#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# The whole test suite, from a fresh clone: installs what is missing, builds
# with AddressSanitizer + UndefinedBehaviorSanitizer (and the libFuzzer targets,
# with clang), starts the test servers as CTest fixtures and runs every test in a
# private D-Bus session with an unlocked keyring. Prints CTest's summary; exits
# non-zero on any failure.
#
#   tools/test.sh [extra ctest arguments, e.g. -R imap]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TANDEM_TEST_BUILD_DIR:-$root/build/test}
jobs=$(nproc)

"$root/tools/install-deps.sh"

# The "asan" preset of CMakePresets.json: Debug, clang, -Werror,
# TANDEM_SANITIZE=address,undefined, TANDEM_FUZZ=ON; built in $build.
cmake -S "$root" -B "$build" --preset asan
cmake --build "$build" --parallel "$jobs"

# halt_on_error: the first sanitizer report fails the test that caused it.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"

cd "$build"
exec "$root/tools/with-keyring.sh" ctest --output-on-failure --parallel "$jobs" "$@"
