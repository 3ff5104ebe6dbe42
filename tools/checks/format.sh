#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Is every tracked C++ file formatted as .clang-format says? (CTest `format`)
# Runs `clang-format --dry-run --Werror` over `git ls-files '*.cpp' '*.h'`, less
# corpus/ and data/ folders (test inputs, kept byte for byte), and fails listing
# the files that would change.
#
#   tools/checks/format.sh            check (exit 1 if any file would change)
#   tools/checks/format.sh --diff     also show what would change
#   tools/checks/format.sh --fix      format those files in place
#   CLANG_FORMAT=clang-format-14 tools/checks/format.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
clang_format=${CLANG_FORMAT:-clang-format}
mode=${1:-check}
cd "$root"

if ! command -v "$clang_format" >/dev/null; then
    echo "format: FAILED, $clang_format not found (apt-get install clang-format; tools/install-deps.sh should list it)" >&2
    exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.h' | grep -zvE '(^|/)(corpus|data)/')
else
    # An unpacked source archive: the same set, found on disk.
    mapfile -d '' files < <(find mailcore ui app tests tools \( -name '*.cpp' -o -name '*.h' \) -print0 2>/dev/null \
                            | grep -zvE '(^|/)(corpus|data)/' | sort -z)
fi

# In parallel, one clang-format per file; a file that would change prints one
# short line "<places> <file>" (short writes to a pipe do not interleave).
# shellcheck disable=SC2016
report=$(printf '%s\0' "${files[@]}" | xargs -0 -r -P "$(nproc)" -n 8 sh -c '
    cf=$0
    for f; do
        [ -f "$f" ] || continue # deleted in the work tree, not yet committed
        out=$("$cf" --dry-run "$f" 2>&1) || { printf "ERROR %s: %s\n" "$f" "$out"; continue; }
        n=$(printf "%s\n" "$out" | grep -c "code should be clang-formatted")
        [ "$n" -eq 0 ] || printf "%s %s\n" "$n" "$f"
    done' "$clang_format" | sort -k2)
if grep -q '^ERROR ' <<<"$report"; then
    grep '^ERROR ' <<<"$report" >&2
    echo "format: FAILED, clang-format itself failed (above)"
    exit 1
fi
mapfile -t bad < <(sed -nE 's/^[0-9]+ (.*)$/\1/p' <<<"$report")

if [[ ${#bad[@]} -eq 0 ]]; then
    echo "format: OK, ${#files[@]} files formatted as .clang-format says ($("$clang_format" --version))"
    exit 0
fi
case $mode in
--fix)
    "$clang_format" -i "${bad[@]}"
    echo "format: reformatted ${#bad[@]} files"
    exit 0
    ;;
--diff)
    for f in "${bad[@]}"; do
        "$clang_format" "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" - || true
    done
    ;;
esac
while read -r places f; do
    echo "needs formatting: $f ($places places)"
done <<<"$report"
echo "format: FAILED, ${#bad[@]} of ${#files[@]} files are not formatted as .clang-format says" \
     "(see them: tools/checks/format.sh --diff; fix: tools/checks/format.sh --fix)"
exit 1
