#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Checks that every tracked source file names its licence (CTest `spdx`).

Tandem is under LGPL-2.1-or-later (LICENSE; the reason is in
docs/ARCHITECTURE.md). Each source file says so in an SPDX header within its
first lines, so a file copied out of the tree still carries its terms:

    // SPDX-License-Identifier: LGPL-2.1-or-later
    // SPDX-FileCopyrightText: 2026 The Tandem developers

(`#` instead of `//` in Python, shell and CMake files, after a `#!` line.)
Source files: C++ (.cpp, .h), Python, shell, CMake (.cmake, .cmake.in,
CMakeLists.txt) and the `.in` templates of C++ headers. Test data, corpora and
documents are not source files.

Prints each file without the header and exits 1 if there is any.
`--fix` adds the header where it is missing.

  tools/checks/spdx.py [--source-dir .] [--fix]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

LICENSE = "LGPL-2.1-or-later"
COPYRIGHT = "2026 The Tandem developers"
HEAD_LINES = 5  # the identifier must stand within these lines
# Not source: inputs and outputs of tests, kept byte for byte.
SKIP_PARTS = {"corpus", "data"}


def comment_prefix(path: Path) -> str | None:
    """The line-comment marker of a source file, None for a file that is not source."""
    name = path.name
    if name == "CMakeLists.txt" or name.endswith((".cmake", ".cmake.in")):
        return "#"
    if path.suffix in {".cpp", ".h"} or name.endswith(".h.in"):
        return "//"
    if path.suffix in {".py", ".sh"}:
        return "#"
    if path.parent.name == ".ci":  # .ci/run: a shell script without a suffix
        return "#"
    return None


def project_files(source_dir: Path) -> list[Path]:
    """The files git tracks; every file below the source dir (less build/) outside a checkout."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=source_dir, capture_output=True)
    if listed.returncode == 0:
        return [Path(name) for name in listed.stdout.decode().split("\0") if name]
    return [p.relative_to(source_dir) for p in source_dir.rglob("*")
            if p.is_file() and not {"build", ".git"}.intersection(p.relative_to(source_dir).parts)]


def tracked_sources(source_dir: Path) -> list[tuple[Path, str]]:
    out = []
    for path in project_files(source_dir):
        if SKIP_PARTS.intersection(path.parts):
            continue
        prefix = comment_prefix(path)
        if prefix:
            out.append((path, prefix))
    return out


def has_header(text: str) -> bool:
    return f"SPDX-License-Identifier: {LICENSE}" in "\n".join(text.splitlines()[:HEAD_LINES])


def add_header(text: str, prefix: str) -> str:
    header = f"{prefix} SPDX-License-Identifier: {LICENSE}\n{prefix} SPDX-FileCopyrightText: {COPYRIGHT}\n"
    if text.startswith("#!"):
        shebang, _, rest = text.partition("\n")
        return f"{shebang}\n{header}{rest}"
    return header + text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source-dir", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--fix", action="store_true", help="add the header where it is missing")
    args = parser.parse_args()

    missing = []
    sources = tracked_sources(args.source_dir)
    for path, prefix in sources:
        full = args.source_dir / path
        text = full.read_text(encoding="utf-8")
        if has_header(text):
            continue
        if args.fix:
            full.write_text(add_header(text, prefix), encoding="utf-8")
        else:
            missing.append(path)
    for path in missing:
        print(f"{path}: no 'SPDX-License-Identifier: {LICENSE}' in its first {HEAD_LINES} lines")
    if missing:
        print(f"spdx: {len(missing)} of {len(sources)} source files lack the header (tools/checks/spdx.py --fix adds it)")
        return 1
    print(f"spdx: OK, {len(sources)} source files carry the {LICENSE} header")
    return 0


if __name__ == "__main__":
    sys.exit(main())
