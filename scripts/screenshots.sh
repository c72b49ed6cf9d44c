#!/usr/bin/env bash
# Renders the README's screenshots of the real window (offscreen) at 1280x800, from the
# bundled samples with the clock fixed, so that anyone gets the same pictures:
#   scripts/screenshots.sh [BUILD_DIR]     (default build/release; it must hold decksync-inspector
#                                           and the tests)
# The history, one item's history and the live-server pictures need recorded runs and a running
# server: the tst_screenshots suite plays those scenes in the real window (a real
# decksync-server on loopback) and saves them here.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
inspector=$build/app/decksync-inspector
out=packaging/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
samples=resources/samples
common=(--local "$samples/local.json" --server "$samples/server.json" --now 2024-06-01T12:00:00Z
        --history "$work/history.sqlite" --session-file "$work/session.json" --no-restore --size 1280x800)
shot() {
    local name=$1
    shift
    QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" "$inspector" "${common[@]}" "$@" \
        --screenshot "$out/$name.png" 2>/dev/null
    echo "wrote $out/$name.png"
}
shot conflict-view --select decks:3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081
shot three-way --base "$samples/base.json" --profile safe --select decks:7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e
shot seed-vs-safe --base "$samples/base.json" --tab compare
DECKSYNC_SCREENSHOTS_DIR=$PWD/$out QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" \
    "$build/tests/tst_screenshots" 2>&1 | sed -n 's/^QINFO .*) wrote /wrote /p'
