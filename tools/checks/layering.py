#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Checks who includes whom in mailcore/, ui/ and app/ (CTest `layering`).

The rules (the table is tools/checks/layers.toml, documented there):
  1. floors: a folder of mailcore/ includes only its own folder and the folders
     its `uses` names, each on a lower floor (so imap, pop3, smtp and mime, all
     on floor 3, never see each other; pool sees no protocol; ...). The
     generated mailcore/mailcore_export.h and mailcore/version.h are floor 1.
  2. nothing in mailcore/ includes ui/ or app/ (or tests/, tools/).
  3. ui/ includes from mailcore only installed (public) headers, the list that
     mailcore's CMake files build in the MAILCORE_PUBLIC_HEADERS property
     (CMake writes it to a file and passes it with --public-headers); app/ may
     include ui/, resources/ and the same public headers; resources/ only itself
     (the [outside] tables of layers.toml).
  4. GMime stays in mailcore/mime/: no gmime/glib header and no GMime/GObject
     name (outside comments and strings) anywhere else; no public header reaches
     one through its includes.
  5. includes are project-rooted ("mailcore/pool/connectionpool.h"), so a quoted
     include that names a file beside the includer is refused, and an include
     of mailcore/... that names no file is refused.
Prints one line per violation (file:line, what it includes, which rule) and
exits 1 if there is any.

  tools/checks/layering.py --public-headers build/dev/tests/checks/mailcore_public_headers.txt \\
      --generated-dir build/dev/mailcore/include
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from collections import deque
from pathlib import Path

import checkslib

PROJECT_DIRS = ("mailcore", "ui", "app", "resources", "tests", "tools")
RULES_NAME = "tools/checks/layers.toml"


class Checker:
    def __init__(self, root: Path, rules: dict, public: set[str]):
        self.root = root
        self.rules = rules
        self.public = public
        self.folders: dict = rules["folders"]
        self.generated = set(rules["generated"]["headers"])
        gm = rules["gmime"]
        self.gmime_folder = gm["folder"].rstrip("/") + "/"
        self.gmime_includes = tuple(gm["include_prefixes"])
        self.gmime_name_re = re.compile(gm["name_pattern"])
        self.violations: list[tuple[str, int, str]] = []
        self.checked_includes = 0
        self.checked_files = 0
        self._text_cache: dict[str, str] = {}

    # ---- helpers
    def report(self, file: str, line: int, message: str):
        self.violations.append((file, line, message))

    def text(self, rel: str) -> str:
        if rel not in self._text_cache:
            self._text_cache[rel] = (self.root / rel).read_text(encoding="utf-8", errors="replace")
        return self._text_cache[rel]

    def folder_of(self, rel: str) -> str | None:
        """The floor folder name of a mailcore path, '<generated>' for the generated
        headers, None when it is in no floor."""
        if rel in self.generated:
            return "<generated>"
        parts = rel.split("/")
        if len(parts) >= 3 and parts[0] == "mailcore" and parts[1] in self.folders:
            return parts[1]
        return None

    def floor(self, folder: str) -> int:
        if folder == "<generated>":
            return self.rules["generated"]["floor"]
        return self.folders[folder]["floor"]

    def describe(self, folder: str) -> str:
        if folder == "<generated>":
            return "the generated headers (floor %d)" % self.floor(folder)
        return "mailcore/%s (floor %d)" % (folder, self.floor(folder))

    # ---- rule 0: the table itself is a layering
    def check_table(self):
        for name, spec in self.folders.items():
            for used in spec.get("uses", []):
                if used not in self.folders:
                    self.report(RULES_NAME, 0, f"folder {name} uses '{used}', which is not in the table")
                elif self.folders[used]["floor"] >= spec["floor"]:
                    self.report(RULES_NAME, 0,
                                f"folder {name} (floor {spec['floor']}) uses {used} (floor "
                                f"{self.folders[used]['floor']}): a folder may use only lower floors")
        mailcore = self.root / "mailcore"
        for sub in sorted(p for p in mailcore.iterdir() if p.is_dir()):
            if sub.name not in self.folders and checkslib.cxx_files(self.root, f"mailcore/{sub.name}"):
                self.report(f"mailcore/{sub.name}/", 0,
                            f"folder mailcore/{sub.name} is not a floor of {RULES_NAME}: give it a floor and its uses")
        for f in checkslib.cxx_files(self.root, "mailcore"):
            rel = f.relative_to(self.root).as_posix()
            if rel.count("/") == 1:
                self.report(rel, 0, f"{rel} sits in no floor: mailcore's sources live in the floor folders "
                                    f"of {RULES_NAME}")

    # ---- rules 1-3, 5: includes
    def check_file(self, rel: str):
        self.checked_files += 1
        top = rel.split("/")[0]
        src_folder = self.folder_of(rel) if top == "mailcore" else None
        for inc in checkslib.includes(self.text(rel)):
            target = inc.path
            where = (rel, inc.line)
            first = target.split("/")[0]
            if first not in PROJECT_DIRS or "/" not in target:
                self.check_not_rooted(rel, inc)
                self.check_gmime_include(rel, inc)
                continue
            self.checked_includes += 1
            what = f'includes "{target}"'
            if posixpath.normpath(target) != target:
                self.report(*where, f'{what}: write the plain project-rooted path "{posixpath.normpath(target)}"')
                continue
            if first == "mailcore" and target not in self.generated and not (self.root / target).is_file():
                self.report(*where, f"{what}: no such file (includes are project-rooted: mailcore/<folder>/<file>)")
                continue
            if top == "mailcore":
                if src_folder is None:
                    continue  # reported by check_table
                if first != "mailcore":
                    self.report(*where, f"{what}: nothing in mailcore includes {first}/ (mailcore is the library "
                                        f"under ui/ and app/)")
                    continue
                self.check_floor(where, what, src_folder, target)
            elif top in self.rules["outside"]:
                self.check_outside(where, what, top, target)

    def check_floor(self, where, what: str, src: str, target: str):
        dst = self.folder_of(target)
        if dst is None:
            self.report(*where, f"{what}: mailcore/{target.split('/')[1]} is not a floor of {RULES_NAME}")
            return
        if dst == src or dst == "<generated>" or dst in self.folders[src].get("uses", []):
            return
        allowed = ", ".join([src] + self.folders[src].get("uses", [])) + ", the generated headers"
        sf, df = self.floor(src), self.floor(dst)
        if df > sf:
            why = "a floor never includes a floor above it"
        elif df == sf:
            why = f"folders of one floor are independent of each other"
        else:
            why = f"mailcore/{src} is {self.folders[src].get('what', '')}; {dst} is not among its uses"
        self.report(*where, f"{what}: {self.describe(src)} may include only {allowed}; "
                            f"{self.describe(dst)} is not allowed ({why}; {RULES_NAME})")

    def check_outside(self, where, what: str, top: str, target: str):
        allowed = self.rules["outside"][top]["may_include"]
        first = target.split("/")[0]
        if first == "mailcore":
            if "mailcore-public" not in allowed:
                self.report(*where, f"{what}: {top}/ may not include mailcore")
            elif target not in self.public:
                self.report(*where, f"{what}: {top}/ may include only installed mailcore headers, and {target} is "
                                    f"not in MAILCORE_PUBLIC_HEADERS (install it from its folder's CMakeLists.txt, "
                                    f"or use a public header instead)")
        elif first not in allowed:
            self.report(*where, f"{what}: {top}/ may include only {', '.join(allowed)}")

    def check_not_rooted(self, rel: str, inc: checkslib.Include):
        if inc.quoted and (self.root / rel).parent.joinpath(inc.path).is_file():
            self.report(rel, inc.line, f'includes "{inc.path}": includes are project-rooted; write '
                                       f'"{((self.root / rel).parent / inc.path).resolve().relative_to(self.root.resolve()).as_posix()}"')

    # ---- rule 4: GMime
    def in_gmime_folder(self, rel: str) -> bool:
        return rel.startswith(self.gmime_folder)

    def check_gmime_include(self, rel: str, inc: checkslib.Include):
        if not self.in_gmime_folder(rel) and inc.path.startswith(self.gmime_includes):
            self.report(rel, inc.line, f'includes <{inc.path}>: GMime headers only in {self.gmime_folder}')

    def gmime_names_in(self, rel: str) -> list[tuple[int, list[str]]]:
        code = checkslib.strip_code(self.text(rel), keep_strings=False)
        found = []
        for number, line in enumerate(code.splitlines(), 1):
            names = sorted(set(self.gmime_name_re.findall(line)))
            if names:
                found.append((number, names))
        return found

    def check_gmime_names(self, rel: str):
        if self.in_gmime_folder(rel):
            return
        for number, names in self.gmime_names_in(rel):
            self.report(rel, number, f"uses {', '.join(names)}: no GMime or GObject name outside {self.gmime_folder}")

    def check_public_gmime(self):
        """No public header reaches GMime through its includes (installed headers
        must not need GMime). One line per file that brings GMime in, naming the
        public headers that reach it."""
        reached: dict[tuple[str, int, str], list[str]] = {}
        for header in sorted(self.public):
            if header in self.generated or not (self.root / header).is_file():
                continue
            seen = {header: None}
            queue = deque([header])
            while queue:
                rel = queue.popleft()
                hit = None
                for inc in checkslib.includes(self.text(rel)):
                    if inc.path.startswith(self.gmime_includes):
                        hit = (rel, inc.line, f"<{inc.path}>")
                        break
                    if inc.path.startswith("mailcore/") and inc.path not in seen and (self.root / inc.path).is_file():
                        seen[inc.path] = rel
                        queue.append(inc.path)
                if hit is None:
                    names = self.gmime_names_in(rel)
                    if names:
                        hit = (rel, names[0][0], ", ".join(names[0][1]))
                if hit:
                    chain, at = [], rel
                    while at is not None:
                        chain.append(at)
                        at = seen[at]
                    reached.setdefault(hit, []).append(" -> ".join(reversed(chain)))
                    break
        for (rel, line, what), chains in reached.items():
            heads = sorted(c.split(" -> ")[0] for c in chains)
            shortest = min(chains, key=lambda c: c.count(" -> "))
            self.report(rel, line, f"{what}: GMime reaches {len(heads)} installed header(s), which must hold "
                                   f"only Qt/std types: {', '.join(heads)} (e.g. {shortest})")

    def run(self):
        self.check_table()
        for top in ("mailcore", *self.rules["outside"]):
            for path in checkslib.cxx_files(self.root, top):
                rel = path.relative_to(self.root).as_posix()
                self.check_file(rel)
                self.check_gmime_names(rel)
        self.check_public_gmime()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source-dir", type=Path, default=checkslib.HERE.parent.parent,
                        help="the project's root (default: two folders above this script)")
    parser.add_argument("--public-headers", type=Path, required=True,
                        help="MAILCORE_PUBLIC_HEADERS as CMake writes it for the checks "
                             "(<build>/tests/checks/mailcore_public_headers.txt)")
    parser.add_argument("--generated-dir", type=Path, required=True,
                        help="where the generated headers are: <build>/mailcore/include")
    parser.add_argument("--rules", type=Path, default=checkslib.DEFAULT_RULES)
    args = parser.parse_args()

    root = args.source_dir.resolve()
    public = checkslib.read_public_headers(args.public_headers, root, args.generated_dir)
    checker = Checker(root, checkslib.load_rules(args.rules), public)
    checker.run()
    for file, line, message in sorted(checker.violations):
        print(f"{file}:{line}: {message}" if line else f"{file}: {message}")
    if checker.violations:
        print(f"layering: FAILED, {len(checker.violations)} violation(s) "
              f"({checker.checked_includes} project includes in {checker.checked_files} files checked; "
              f"rules in {RULES_NAME})")
        return 1
    print(f"layering: OK, {checker.checked_includes} project includes in {checker.checked_files} files, "
          f"{len(public)} public headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
