#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# clang-tidy with the project's .clang-tidy over the C++ files of one folder
# (default mailcore/), from a build's compile_commands.json; prints every finding
# once and a count per check. Not a CTest test: on two cores it takes ~10 minutes
# for mailcore/. Exits 1 if there is any finding.
#
#   tools/checks/tidy.sh [--build build/dev] [FOLDER...]     e.g. tools/checks/tidy.sh ui app
#   (configure first: cmake --preset dev, or any build with compile_commands.json)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/dev
if [[ ${1:-} == --build ]]; then
    build=$(cd "$2" && pwd)
    shift 2
fi
folders=("$@")
[[ ${#folders[@]} -gt 0 ]] || folders=(mailcore)
run_clang_tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
clang_tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [[ -z $run_clang_tidy || -z $clang_tidy ]]; then
    echo "tidy: run-clang-tidy/clang-tidy not found (apt-get install clang-tidy)" >&2
    exit 1
fi
if [[ ! -f $build/compile_commands.json ]]; then
    echo "tidy: no $build/compile_commands.json (configure the build first: cmake --preset dev)" >&2
    exit 1
fi

# The sources of those folders (not the generated moc/qrc files of the build).
regex="^$root/($(IFS='|'; echo "${folders[*]}"))/.*\\.cpp\$"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$run_clang_tidy" -clang-tidy-binary "$clang_tidy" -p "$build" -j "$(nproc)" -quiet "$regex" >"$log" 2>&1 || true

# Each finding once (a header's finding is reported by every file that includes it).
findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^/.+:[0-9]+:[0-9]+: (warning|error): ' | sed "s|^$root/||" | sort -u)
if [[ -z $findings ]]; then
    echo "tidy: OK, no findings in ${folders[*]}"
    exit 0
fi
echo "$findings"
echo
echo "tidy: findings per check in ${folders[*]}:"
grep -oE '\[[a-z0-9.,-]+\]$' <<<"$findings" | tr -d '[]' | sort | uniq -c | sort -rn
echo "tidy: $(wc -l <<<"$findings") findings"
exit 1
