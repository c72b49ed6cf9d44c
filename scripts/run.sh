#!/usr/bin/env bash
# The main job: opens the inspector on the bundled sample pair (one user's phone and the
# server) and the state both agreed on at their last sync (the base), with the clock fixed,
# so every run shows the same conflicts. It works on copies
# under build/run/, so applying or rolling back never touches the repository's samples.
# Without a display it renders the window to build/run/inspector.png instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

cmake --preset release -DDECKSYNC_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target decksync-inspector decksync
run=build/run
mkdir -p "$run"
cp resources/samples/local.json "$run/local.json"
cp resources/samples/server.json "$run/server.json"
cp resources/samples/base.json "$run/base.json"
args=(--local "$run/local.json" --server "$run/server.json" --base "$run/base.json" --now 2024-06-01T12:00:00Z
      --history "$run/history.sqlite" --session-file "$run/session.json")

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    build/release/app/decksync sync --local "$run/local.json" --server "$run/server.json" \
        --now 2024-06-01T12:00:00Z --out "$run/merged.json" --report "$run/report.json"
    build/release/app/decksync compare --local "$run/local.json" --server "$run/server.json" \
        --base "$run/base.json" --now 2024-06-01T12:00:00Z
    QT_QPA_PLATFORM=offscreen build/release/app/decksync-inspector "${args[@]}" \
        --select decks:3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081 --screenshot "$run/inspector.png" 2>/dev/null
    echo "No display: the inspector's window was rendered to $run/inspector.png"
else
    exec build/release/app/decksync-inspector "${args[@]}" "$@"
fi
