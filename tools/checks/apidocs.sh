#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Builds the API reference of mailcore's installed headers with Doxygen and
# fails on any warning, an undocumented public declaration included (CTest
# `apidocs`). Reads exactly the installed headers and docs/USING-MAILCORE.md
# (the main page); settings in docs/api/Doxyfile.in.
#
#   tools/checks/apidocs.sh <source dir> <build dir> [output dir]
#   tools/checks/apidocs.sh . build/dev        # HTML in build/dev/apidocs/html
#
# The headers are those of <build>/tests/checks/mailcore_public_headers.txt
# (written by CMake from MAILCORE_PUBLIC_HEADERS, `;`- or newline-separated
# absolute paths): the generated ones (mailcore_export.h, version.h) are read
# from <build>/mailcore/include/mailcore/, every other one from <source dir>,
# even when the build was configured from another checkout. Without that file
# (a build not yet configured by this CMake), the PUBLIC lists of
# mailcore/CMakeLists.txt and the headers in <build>/mailcore/include/mailcore/.
# Doxygen does not warn about an undocumented enum value, destructor,
# default or deleted constructor; its XML output (in a temporary folder) is
# read for those. Exit 0 and one OK line when nothing is undocumented and
# Doxygen warned about nothing, else 1 with the warnings. Needs doxygen (1.9.4
# on Debian 12) and python3 ($PYTHON to choose another).
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 <source dir> <build dir> [output dir]" >&2
    exit 2
fi
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
out=${3:-$build/apidocs}
mkdir -p "$out"
out=$(cd "$out" && pwd)
doxygen=${DOXYGEN:-doxygen}
python=${PYTHON:-python3}
generated_include=$build/mailcore/include
generated=$generated_include/mailcore
list=$build/tests/checks/mailcore_public_headers.txt
page=$src/docs/USING-MAILCORE.md
template=$src/docs/api/Doxyfile.in

fail() {
    echo "apidocs: FAILED, $*" >&2
    exit 1
}

command -v "$doxygen" >/dev/null || fail "$doxygen not found (apt-get install doxygen)"
command -v "$python" >/dev/null || fail "$python not found"
[[ -f $template ]] || fail "no $template"
[[ -f $page ]] || fail "no $page"
[[ -d $generated ]] || fail "no $generated (configure the build first: cmake --preset dev)"

headers=()
if [[ -f $list ]]; then
    # The list names the sources the build was configured from; read the
    # same headers from <source dir>.
    configured_src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
    while IFS= read -r path; do
        [[ -n $path ]] || continue
        if [[ $path == */mailcore/include/mailcore/* ]]; then
            headers+=("$generated/${path##*/mailcore/include/mailcore/}")
        elif [[ -n $configured_src && $path == "$configured_src"/* ]]; then
            headers+=("$src/${path#"$configured_src"/}")
        else
            fail "$list names $path, outside the build's source dir (${configured_src:-unknown})"
        fi
    done < <(tr ';' '\n' <"$list")
else
    # mailcore_floor(<folder> SOURCES ... PUBLIC a.h b.h ...): the PUBLIC names.
    while IFS= read -r rel; do
        headers+=("$src/$rel")
    done < <(tr '\n' ' ' <"$src/mailcore/CMakeLists.txt" | grep -oE 'mailcore_floor\([^)]*\)' | awk '{
        sub(/^mailcore_floor\(/, ""); sub(/\)$/, ""); folder = $1; public = 0
        for (i = 2; i <= NF; i++) {
            if ($i == "PUBLIC") public = 1
            else if ($i == "SOURCES") public = 0
            else if (public) print "mailcore/" folder "/" $i
        }
    }')
    for h in "$generated"/*.h; do
        headers+=("$h")
    done
fi
[[ ${#headers[@]} -gt 0 ]] || fail "no public headers found"
for h in "${headers[@]}"; do
    [[ -f $h ]] || fail "no $h"
done

version=$(sed -nE 's/^#define MAILCORE_VERSION_STRING "(.*)"$/\1/p' "$generated/version.h" 2>/dev/null || true)
log=$out/warnings.log
rm -rf "$out/html" "$log"
xml=$(mktemp -d)
trap 'rm -rf "$xml"' EXIT

quoted() {
    local sep=""
    for p; do
        printf '%s"%s"' "$sep" "$p"
        sep=" "
    done
}
status=0
{
    cat "$template"
    echo
    echo "PROJECT_NUMBER         = \"$version\""
    echo "INPUT                  = $(quoted "$page" "${headers[@]}")"
    echo "USE_MDFILE_AS_MAINPAGE = \"$page\""
    echo "OUTPUT_DIRECTORY       = \"$out\""
    echo "STRIP_FROM_PATH        = $(quoted "$src" "$generated_include")"
    echo "STRIP_FROM_INC_PATH    = $(quoted "$src" "$generated_include")"
    echo "INCLUDE_PATH           = $(quoted "$src" "$generated_include")"
    echo "WARN_LOGFILE           = \"$log\""
    echo "GENERATE_XML           = YES"
    echo "XML_OUTPUT             = \"$xml\""
    echo "XML_PROGRAMLISTING     = NO"
} | (cd "$src" && "$doxygen" -) || status=$?

# What Doxygen does not warn about: every enum value, and every member it
# lists (destructors, default and deleted constructors included) of every
# class, struct and namespace, needs a description.
"$python" - "$xml" >>"$log" <<'PY'
import pathlib, sys, xml.etree.ElementTree as ET

def undocumented(element):
    return not any(''.join(element.find(tag).itertext()).strip()
                   for tag in ('briefdescription', 'detaileddescription')
                   if element.find(tag) is not None)

for path in sorted(pathlib.Path(sys.argv[1]).glob('*.xml')):
    if path.name in ('index.xml', 'Doxyfile.xml'):
        continue
    for compound in ET.parse(path).getroot().iter('compounddef'):
        if compound.get('kind') not in ('class', 'struct', 'union', 'namespace'):
            continue
        scope = compound.findtext('compoundname')
        for member in compound.iter('memberdef'):
            if member.get('prot') == 'private':
                continue
            where = member.find('location')
            at = f"{where.get('file')}:{where.get('line')}" if where is not None else path.name
            name = f"{scope}::{member.findtext('name')}{member.findtext('argsstring') or ''}"
            if undocumented(member):
                print(f"{at}: warning: {name} ({member.get('kind')}) is not documented")
            for value in member.iter('enumvalue'):
                if undocumented(value):
                    print(f"{at}: warning: enum value {scope}::{member.findtext('name')}::"
                          f"{value.findtext('name')} is not documented")
PY

warnings=0
if [[ -s $log ]]; then
    awk '!seen[$0]++' "$log" >&2 # a base class's warning comes once per derived class
    warnings=$(awk '!seen[$0]++' "$log" | grep -cE '(warning|error):' || true)
fi
if [[ $status -ne 0 || -s $log ]]; then
    fail "$warnings warnings (doxygen exited $status; listed above, log: $log)"
fi
echo "apidocs: OK, ${#headers[@]} public headers and docs/USING-MAILCORE.md documented without a warning" \
     "($("$doxygen" --version | head -1 | sed 's/^/doxygen /')): $out/html/index.html"
