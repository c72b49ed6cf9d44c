#!/usr/bin/env bash
# Builds everything and runs every test suite: the dev build, then the same suites under
# AddressSanitizer and UndefinedBehaviorSanitizer (dev-asan). GUI tests use the offscreen
# platform, so no display is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

for preset in dev dev-asan; do
    echo "== $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    ctest --preset "$preset"
done
