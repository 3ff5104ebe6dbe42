#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Every installed mailcore header compiles on its own (CTest `installed_headers_alone`).

Installs the build into a temporary prefix (cmake --install <build> --prefix <tmp>),
then compiles, for each header under <prefix>/include/mailcore, a generated .cpp
that includes only that header (twice: the include guard works) against
<prefix>/include and Qt Core/Concurrent, the way a user of the package does:
Qt's own flags, none of Tandem's strict Qt defines, but Tandem's warnings (and
-Werror when the build has it). Since only the install is on the include path,
a header that includes a header that is not installed fails here.
The flags come from CMake (tests/checks/CMakeLists.txt writes them with
file(GENERATE) from the Qt targets and Tandem::compiler_settings).
One block per failing header; exits 1 if any fails.

  tools/checks/headers_alone.py --build-dir build/dev --flags build/dev/tests/checks/headers_alone_flags.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import checkslib

NOT_FOUND = re.compile(r"fatal error: '([^']+)' file not found|fatal error: ([^:]+): No such file")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--flags", type=Path, required=True, help="<build>/tests/checks/headers_alone_flags.json")
    parser.add_argument("--includedir", default="include", help="CMAKE_INSTALL_INCLUDEDIR (default: include)")
    parser.add_argument("--cmake", default="cmake")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary prefix and print where it is")
    args = parser.parse_args()

    flags = json.loads(args.flags.read_text())
    tmp = Path(tempfile.mkdtemp(prefix="tandem-headers-alone-"))
    try:
        checkslib.stage_install(args.cmake, args.build_dir, tmp / "prefix")
        include_root = tmp / "prefix" / args.includedir
        headers = checkslib.installed_headers(include_root)
        if not headers:
            print(f"installed_headers_alone: FAILED, nothing installed under {include_root}/mailcore")
            return 1
        command = ([flags["cxx"], flags["std"], "-fsyntax-only", "-fPIC", f"-I{include_root}"]
                   + [f"-isystem{d}" for d in flags["include_dirs"] if d]
                   + [f"-D{d}" for d in flags["definitions"] if d]
                   + [o for o in flags["options"] if o])
        (tmp / "alone").mkdir()

        def compile_one(header: str):
            source = tmp / "alone" / (header.replace("/", "__") + ".cpp")
            source.write_text(f"// {header} must compile on its own, and twice (its include guard).\n"
                              f'#include "{header}"\n#include "{header}"\n')
            done = subprocess.run(command + [str(source)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
            return header, done.returncode, done.stdout

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            results = list(pool.map(compile_one, headers))

        failed = [(h, out) for h, rc, out in results if rc != 0]
        for header, out in failed:
            missing = sorted({a or b for a, b in NOT_FOUND.findall(out)})
            why = (f"includes {', '.join(missing)}, which is not installed" if missing
                   else "does not compile alone")
            print(f"FAIL {header}: {why}")
            lines = out.replace(str(tmp), "<tmp>").splitlines()
            for line in lines[:12]:
                print(f"    {line}")
            if len(lines) > 12:
                print(f"    ... ({len(lines) - 12} more lines)")
        if args.keep:
            print(f"kept {tmp}")
        if failed:
            print(f"installed_headers_alone: FAILED, {len(failed)} of {len(headers)} installed headers do not "
                  f"compile alone: {', '.join(h for h, _ in failed)}")
            return 1
        print(f"installed_headers_alone: OK, {len(headers)} installed headers compile alone")
        return 0
    finally:
        if not args.keep:
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
