#!/usr/bin/env bash
# Load on decksync-server over loopback with wrk: small syncs per second and their p50/p99
# latency, for one user and for 1,000 users, beside GET /health; then batches of one operation
# for a user with 10 decks and for one with 10,000, whose costs should be alike (items are
# rows: a batch reads and writes only what it names). Bounded in time (about 7 x DURATION
# seconds); the server gets a fresh database in a temporary directory.
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
"$server" add-user small@example.com --db "$db" >"$work/small.token"
"$server" add-user large@example.com --db "$db" >"$work/large.token"

# A dataset of N decks; the first one is the deck that the batches update.
deck_document() {
    python3 - "$1" <<'PY'
import json, sys
n = int(sys.argv[1])
decks = [{"id": f"7f1c2a4e-0d6b-4b8e-9a51-{i:012d}", "user_id": "2b9e6d3a-8c41-4f7a-b5e2-9d0c1a7f4e63",
          "title": f"Deck {i}", "description": None, "content": "hablar - to speak\n" * 12,
          "created_at": "2024-01-01T08:00:00Z", "updated_at": "2024-01-01T10:00:00Z", "version": 1}
         for i in range(n)]
print(json.dumps({"last_sync": None, "decks": decks}, separators=(",", ":")))
PY
}
deck_document 10 >"$work/small.json"
deck_document 10000 >"$work/large.json"

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

# A batch of one Update of the first deck, each with a new transaction_id (a used one would be
# answered from the batch log, not applied).
cat >"$work/batch.lua" <<'LUA'
-- Each wrk thread counts in its own range: args[2] is the phase, `thread` its number.
local token
local counter = 0
local threads = 0
function setup(t)
  threads = threads + 1
  t:set("thread", threads)
end
function init(args)
  token = io.open(args[1]):read("*l")
  counter = (tonumber(args[2]) * 100 + thread) * 10000000
end
function request()
  counter = counter + 1
  local body = '{"transaction_id":"bench-' .. counter .. '","client_timestamp":"2024-01-01T12:00:00Z",'
    .. '"operations":[{"operation_type":"Update","data_type":"decks",'
    .. '"item_id":"7f1c2a4e-0d6b-4b8e-9a51-000000000000","version":null,"data":{'
    .. '"id":"7f1c2a4e-0d6b-4b8e-9a51-000000000000","user_id":"2b9e6d3a-8c41-4f7a-b5e2-9d0c1a7f4e63",'
    .. '"title":"Deck 0, edit ' .. counter .. '","description":null,"content":"hablar - to speak",'
    .. '"created_at":"2024-01-01T08:00:00Z","updated_at":"2024-01-01T10:00:00Z","version":2}}]}'
  return wrk.format("POST", "/sync/batch",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
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
phase=0
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
    if [[ $mode == "${modes[0]}" ]]; then
        for size in small large; do
            status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$base/data" -H 'If-Match: "0"' \
                -H "Authorization: Bearer $(cat "$work/$size.token")" --data-binary @"$work/$size.json")
            [[ $status == 200 ]] || { echo "bench_server: seeding the $size user answered $status" >&2; exit 1; }
        done
    fi
    phase=$((phase + 1))
    run "  1-op batches, 10 decks" -s "$work/batch.lua" "$base" -- "$work/small.token" "$phase"
    phase=$((phase + 1))
    run "  1-op batches, 10,000 decks" -s "$work/batch.lua" "$base" -- "$work/large.token" "$phase"
    stop_server
done
