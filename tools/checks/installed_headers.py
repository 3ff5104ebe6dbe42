#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""What mailcore installs is its public API and nothing else (CTest
`private_headers_not_installed`).

Installs the build into a temporary prefix (cmake --install <build> --prefix <tmp>)
and checks:
  (a) every header under <prefix>/include/mailcore is in MAILCORE_PUBLIC_HEADERS
      (the list mailcore's CMake files build), and every listed header is installed;
  (b) no private floor is installed: nothing under the folders that
      tools/checks/layers.toml [install] forbids (pool internals, net/, the protocol
      folders imap/, pop3/, smtp/), and no installed header includes GMime, glib or
      Qt Sql; nothing but mailcore/ under <prefix>/include;
  (c) every #include "mailcore/..." inside an installed header names another
      installed header (so a user of the package can compile it).
One line per problem; exits 1 if there is any.

  tools/checks/installed_headers.py --build-dir build/dev \\
      --public-headers build/dev/tests/checks/mailcore_public_headers.txt
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

import checkslib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--public-headers", type=Path, required=True,
                        help="MAILCORE_PUBLIC_HEADERS as CMake writes it (<build>/tests/checks/mailcore_public_headers.txt)")
    parser.add_argument("--source-dir", type=Path, default=checkslib.HERE.parent.parent)
    parser.add_argument("--generated-dir", type=Path, help="default: <build>/mailcore/include")
    parser.add_argument("--includedir", default="include", help="CMAKE_INSTALL_INCLUDEDIR (default: include)")
    parser.add_argument("--cmake", default="cmake")
    parser.add_argument("--rules", type=Path, default=checkslib.DEFAULT_RULES)
    parser.add_argument("--keep", action="store_true", help="keep the temporary prefix and print where it is")
    args = parser.parse_args()

    rules = checkslib.load_rules(args.rules)
    generated_dir = args.generated_dir or args.build_dir / "mailcore" / "include"
    public = checkslib.read_public_headers(args.public_headers, args.source_dir, generated_dir)

    tmp = tempfile.mkdtemp(prefix="tandem-install-check-") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="tandem-install-check-") if tmp is None else nullcontext(tmp) as prefix:
        prefix = Path(prefix)
        checkslib.stage_install(args.cmake, args.build_dir, prefix)
        include_root = prefix / args.includedir
        problems = check(include_root, public, rules)
        installed = checkslib.installed_headers(include_root)
        if args.keep:
            print(f"installed into {prefix}")

    for line in problems:
        print(line)
    if problems:
        print(f"private_headers_not_installed: FAILED, {len(problems)} problem(s) in {len(installed)} installed "
              f"headers (public list: {len(public)})")
        return 1
    print(f"private_headers_not_installed: OK, {len(installed)} installed headers, all public, all self-contained "
          f"in the install")
    return 0


def check(include_root: Path, public: set[str], rules: dict) -> list[str]:
    problems = []
    installed = checkslib.installed_headers(include_root)
    installed_set = set(installed)
    inst = rules["install"]
    forbidden = tuple(f.rstrip("/") + "/" for f in inst["forbidden_folders"])
    forbidden_include = re.compile(inst["forbidden_include_pattern"])

    # Nothing but mailcore/ under the include folder.
    for p in sorted(include_root.rglob("*")) if include_root.is_dir() else []:
        rel = p.relative_to(include_root).as_posix()
        if p.is_file() and not rel.startswith("mailcore/"):
            problems.append(f"{rel}: installed outside include/mailcore/ (mailcore installs only its own headers)")

    for rel in installed:
        # (a) installed => public
        if rel not in public:
            problems.append(f"{rel}: installed but not in MAILCORE_PUBLIC_HEADERS (an install() outside the "
                            f"public list?)")
        # (b) no private floor
        if rel.startswith(forbidden):
            folder = rel.rsplit("/", 1)[0]
            problems.append(f"{rel}: installed, but {folder}/ is private (layers.toml [install] forbids "
                            f"{', '.join(f.rstrip('/') for f in forbidden)}): drop it from MAILCORE_PUBLIC_HEADERS "
                            f"in {folder}/CMakeLists.txt and keep it out of public headers")
        if "gmime" in rel.lower():
            problems.append(f"{rel}: a GMime header installed (GMime stays inside mailcore/mime/)")
        text = (include_root / rel).read_text(encoding="utf-8", errors="replace")
        for inc in checkslib.includes(text):
            if forbidden_include.search(inc.path):
                problems.append(f"{rel}:{inc.line}: installed header includes <{inc.path}> (GMime, glib and Qt Sql "
                                f"are private to mailcore)")
            # (c) includes of mailcore resolve inside the install
            elif inc.path.startswith("mailcore/") and inc.path not in installed_set:
                problems.append(f"{rel}:{inc.line}: includes \"{inc.path}\", which is not installed: a user of the "
                                f"package cannot compile {rel}")
    # (a') public => installed
    for rel in sorted(public - installed_set):
        problems.append(f"{rel}: in MAILCORE_PUBLIC_HEADERS but not installed under include/")
    return problems


if __name__ == "__main__":
    sys.exit(main())
