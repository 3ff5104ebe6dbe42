#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# ThreadSanitizer build of the pool tests and of every client's tests (the
# IMAP, POP3 and SMTP connections, ImapClient, Pop3Client, SmtpClient) and of
# the store's threaded tests (writer, readers, syncs, replay), run
# against the test kit (Dovecot) like tools/test.sh. Its
# own build directory: TSan cannot be combined with AddressSanitizer.
# mailcore's own code must be clean; tests/tsan.supp suppresses only reports
# inside Qt and OpenSSL, which Debian does not build with TSan (each line there
# says why). Exits non-zero on any report.
#
#   tools/tsan.sh [extra ctest arguments, e.g. -R pool_imap]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TANDEM_TSAN_BUILD_DIR:-$root/build/tsan}
jobs=$(nproc)

"$root/tools/install-deps.sh"

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=clang++ \
    -DTANDEM_WERROR=ON \
    -DTANDEM_SANITIZE=thread \
    -DTANDEM_FUZZ=OFF \
    "${launcher[@]}"
# Every test executable CTest runs for these names (tandem_add_test names the
# executable of test <name> tst_<name>; the kit fixtures, "testkit.start"
# and the like, are scripts), so a new pool test is included.
regex='pool|imap_connection|^imapclient$|^pop3_connection|^pop3_client_(dovecot|faults)$|^smtp_connection|^smtp_client|^store_(mailstore|imapsync|pop3sync|offline)$'
targets=()
while read -r name; do
    targets+=("tst_$name")
done < <(cd "$build" && ctest -N -R "$regex" | sed -n 's/^ *Test *#[0-9]*: //p' | grep -v '\.')
cmake --build "$build" --parallel "$jobs" --target "${targets[@]}"

# halt_on_error: the first report fails the test that caused it, with its stacks.
# second_deadlock_stack: lock-order reports show where both locks were taken.
export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp:halt_on_error=1:second_deadlock_stack=1:print_suppressions=0"

cd "$build"
exec "$root/tools/with-keyring.sh" ctest --output-on-failure -R "$regex" "$@"
