# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Shared pieces of the source checks in tools/checks/ (Python 3.11 stdlib only).

- load_rules(): the floor table, tools/checks/layers.toml
- read_public_headers(): the MAILCORE_PUBLIC_HEADERS list CMake writes for the
  checks (absolute paths) as project-rooted include paths ("mailcore/base/error.h")
- strip_code(): C++ text without comments (and optionally without string and
  character literals), line numbers kept
- includes(): the #include lines of a C++ text
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_RULES = HERE / "layers.toml"
CXX_SUFFIXES = {".h", ".hh", ".hpp", ".hxx", ".inl", ".ipp", ".cpp", ".cc", ".cxx"}


def load_rules(path: Path = DEFAULT_RULES) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def read_public_headers(list_file: Path, source_dir: Path, generated_dir: Path) -> set[str]:
    """The public header list as include paths, mapped the way mailcore/CMakeLists.txt
    maps them for install(): generated headers relative to <mailcore build>/include,
    the others relative to the source root."""
    source_dir = source_dir.resolve()
    generated_dir = generated_dir.resolve()
    result = set()
    for line in list_file.read_text().splitlines():
        line = line.strip()
        if not line:
            continue
        for entry in line.split(";"):
            if not entry:
                continue
            path = Path(entry).resolve()
            if path.is_relative_to(generated_dir):
                result.add(path.relative_to(generated_dir).as_posix())
            elif path.is_relative_to(source_dir):
                result.add(path.relative_to(source_dir).as_posix())
            else:
                raise SystemExit(f"public header {entry} is neither under {source_dir} nor under {generated_dir}")
    return result


def strip_code(text: str, keep_strings: bool) -> str:
    """Blanks comments (and string/char literals unless keep_strings) with spaces,
    keeping every newline so line numbers stay right."""
    out = []
    i, n = 0, len(text)

    def blank(s: str) -> str:
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(blank(text[i:end]))
            i = end
        elif c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(blank(text[i:end]))
            i = end
        elif c == "R" and text.startswith('R"', i) and _raw_prefix(text, i):
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren] if open_paren >= 0 else ""
            close = text.find(")" + delim + '"', open_paren + 1) if open_paren >= 0 else -1
            end = n if close < 0 else close + len(delim) + 2
            out.append(text[i:end] if keep_strings else 'R"' + blank(text[i + 2:end - 1]) + '"')
            i = end
        elif c == '"' or (c == "'" and not _is_digit_separator(text, i)):
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            end = min(j + 1, n)
            out.append(text[i:end] if keep_strings else c + blank(text[i + 1:end - 1]) + (c if end - 1 > i else ""))
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _raw_prefix(text: str, i: int) -> bool:
    """text[i] is the R of R"(...)": alone or after u8, u, U, L, not the end of a name."""
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    return text[j:i + 1] in ("R", "u8R", "uR", "UR", "LR")


def _is_digit_separator(text: str, i: int) -> bool:
    """A ' inside a number (1'000'000) is a digit separator, not a character literal."""
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_'."):
        j -= 1
    return j < i and text[j].isdigit()


_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.MULTILINE)


@dataclass
class Include:
    line: int
    quoted: bool
    path: str


def includes(text: str) -> list[Include]:
    """The #include directives outside comments."""
    code = strip_code(text, keep_strings=True)
    found = []
    for m in _INCLUDE.finditer(code):
        line = code.count("\n", 0, m.start()) + 1
        found.append(Include(line, m.group(1) == '"', m.group(2).strip()))
    return found


def cxx_files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in CXX_SUFFIXES)


def stage_install(cmake: str, build_dir: Path, prefix: Path) -> None:
    """`cmake --install <build> --prefix <prefix>`: what a package of this build
    would hold, in a folder of our own. Exits with the installer's output on failure."""
    import subprocess

    done = subprocess.run([cmake, "--install", str(build_dir), "--prefix", str(prefix)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        print(done.stdout)
        raise SystemExit(f"cmake --install {build_dir} --prefix {prefix} failed (is the build complete?)")


def installed_headers(include_root: Path) -> list[str]:
    """Every file under <prefix>/<includedir>/mailcore, as include paths."""
    base = include_root / "mailcore"
    if not base.is_dir():
        return []
    return sorted(p.relative_to(include_root).as_posix() for p in base.rglob("*") if p.is_file())
