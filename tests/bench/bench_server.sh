#!/usr/bin/env bash
# Load on decksync-server over loopback with wrk: small syncs per second and their p50/p99
# latency, for one user and for 1,000 users, beside GET /health. Bounded in time (about
# 5 x DURATION seconds); the server gets a fresh database in a temporary directory.
#
# Usage: tests/bench/bench_server.sh [BUILD_DIR] [--duration S] [--connections N] [--threads N]
#                                   [--synchronous full|normal]
#   BUILD_DIR      where app/decksync-server is (default build/release)
#   --duration     seconds per phase (default 10)
#   --connections  wrk connections (default 32)
#   --threads      the server's threads (default: its own default, one per core)
#   --synchronous  full (the server's default) or normal: the two are measured when not given
set -euo pipefail

build=build/release
duration=10
connections=32
server_threads=()
modes=(full normal)
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) duration=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --threads) server_threads=(--threads "$2"); shift 2 ;;
        --synchronous) modes=("$2"); shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) build=$1; shift ;;
    esac
done
server=$build/app/decksync-server
[[ -x $server ]] || { echo "bench_server: no $server (build it first: cmake --build $build)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench_server: wrk is not installed (scripts/deps.sh bench installs it)" >&2; exit 2; }

work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

db=$work/server.sqlite
"$server" add-user solo@example.com --db "$db" >"$work/solo.tokens"
emails=()
for i in $(seq 1 1000); do emails+=("user$i@example.com"); done
"$server" add-user "${emails[@]}" --db "$db" >"$work/many.tokens"

start_server() {
    "$server" --db "$db" --port 0 --synchronous "$1" "${server_threads[@]}" >"$work/out" 2>"$work/log" &
    pid=$!
    for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.05; done
    base=$(sed -n 's/^listening on //p' "$work/out")
    [[ -n $base ]] || { echo "bench_server: the server did not start:" >&2; cat "$work/log" >&2; exit 1; }
}
stop_server() {
    echo "  server peak memory: $(awk '/VmHWM/ {print $2, $3}' /proc/"$pid"/status)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

# One deck, synced again and again: a small sync that reads, merges and writes a revision. The
# requests are formatted once, in init(): wrk shares the cores with the server, and formatting
# each request anew would measure Lua as much as the server.
cat >"$work/sync.lua" <<'LUA'
local requests = {}
local body = '{"data":[{"id":"7f1c2a4e-0d6b-4b8e-9a51-3c2f8e1d5a01",'
  .. '"user_id":"2b9e6d3a-8c41-4f7a-b5e2-9d0c1a7f4e63","title":"Spanish verbs",'
  .. '"description":null,"content":"hablar - to speak","created_at":"2024-01-01T08:00:00Z",'
  .. '"updated_at":"2024-01-01T10:00:00Z","version":1}],"last_sync":null}'
local counter = 0
function init(args)
  for token in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", "/sync/decks",
      { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
  end
end
function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
LUA

# wrk's summary as: requests/s, p50, p99, errors (non-2xx and socket errors).
run() {
    local label=$1; shift
    local out
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@")
    local rps p50 p99 bad sock
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
    sock=$(grep -o 'Socket errors:.*' <<<"$out" || true)
    printf '%-28s %10s req/s   p50 %8s   p99 %8s   %s\n' "$label" "$rps" "$p50" "$p99" \
        "${bad:+non-2xx $bad }${sock}"
}

first=1
for mode in "${modes[@]}"; do
    start_server "$mode"
    if [[ $first -eq 1 ]]; then
        echo "$("$server" --version | tail -1) on $(nproc) cores, $(grep -o '[0-9]* threads' "$work/log" | head -1);" \
             "wrk -t2 -c$connections -d${duration}s --latency"
        run "GET /health" "$base/health"
        first=0
    fi
    echo "--synchronous $mode:"
    run "  small syncs, 1 user" -s "$work/sync.lua" "$base" -- "$work/solo.tokens"
    run "  small syncs, 1,000 users" -s "$work/sync.lua" "$base" -- "$work/many.tokens"
    stop_server
done
