#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Renders the hicolor PNG icons from resources/icons/io.github.decksync.Inspector.svg; run it
# after changing the SVG and commit the PNGs (the build does not need rsvg-convert).
# Needs rsvg-convert (Debian package librsvg2-bin). Usage: packaging/render-icons.sh
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
svg=io.github.decksync.Inspector.svg
for size in 16 32 48 64 128 256; do
    mkdir -p "hicolor/${size}x$size/apps"
    rsvg-convert -w "$size" -h "$size" "$svg" -o "hicolor/${size}x$size/apps/${svg%.svg}.png"
done
