#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Makes resources/icons/tandem.ico (16 to 256 px, every size in one file: QIcon
# loads them all, with no SVG plugin needed at run time) from tandem.svg. Run it
# after changing the SVG and commit both; the build only compiles the .ico in.
# Needs rsvg-convert and ImageMagick: apt-get install librsvg2-bin imagemagick
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pngs=()
for size in 16 24 32 48 64 128 256; do
    rsvg-convert --width "$size" --height "$size" "$here/tandem.svg" --output "$tmp/$size.png"
    pngs+=("$tmp/$size.png")
done
# /usr/bin/convert: ImageMagick itself, whatever else is first on PATH.
/usr/bin/convert "${pngs[@]}" "$here/tandem.ico"
echo "wrote $here/tandem.ico ($(stat -c %s "$here/tandem.ico") bytes)"
