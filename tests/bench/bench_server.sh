#!/usr/bin/env bash
# Load on decksync-server over loopback with wrk: small syncs per second and their p50/p99
# latency, for one user and for 1,000 users, beside GET /health; then batches of one operation
# for a user with 10 decks and for one with 10,000, whose costs should be alike (items are
# rows: a batch reads and writes only what it names). On SQLite with both --synchronous modes,
# then on PostgreSQL 15 (a cluster the script starts and stops) with one server and with two
# servers on the same database, each driven by its own wrk (as a load balancer would spread
# them). Bounded in time (about 17 x DURATION seconds); every database is fresh.
#
# Usage: tests/bench/bench_server.sh [BUILD_DIR] [--duration S] [--connections N] [--threads N]
#                                   [--synchronous full|normal] [--no-postgresql]
#   BUILD_DIR        where app/decksync-server is (default build/release)
#   --duration       seconds per phase (default 10)
#   --connections    wrk connections, over all servers (default 32)
#   --threads        each server's threads (default: its own default, one per core)
#   --synchronous    SQLite's mode, full (the server's default) or normal: both when not given
#   --no-postgresql  SQLite only
set -euo pipefail

build=build/release
duration=10
connections=32
server_threads=()
modes=(full normal)
postgresql=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) duration=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --threads) server_threads=(--threads "$2"); shift 2 ;;
        --synchronous) modes=("$2"); shift 2 ;;
        --no-postgresql) postgresql=0; shift ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) build=$1; shift ;;
    esac
done
server=$build/app/decksync-server
[[ -x $server ]] || { echo "bench_server: no $server (build it first: cmake --build $build)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench_server: wrk is not installed (scripts/deps.sh bench installs it)" >&2; exit 2; }

pgbin=/usr/lib/postgresql/15/bin
if [[ $postgresql -eq 1 && ! -x $pgbin/initdb ]]; then
    echo "bench_server: PostgreSQL 15 is not installed (scripts/deps.sh test installs it); measuring SQLite only" >&2
    postgresql=0
fi

work=$(mktemp -d)
pgdir=
pids=()
bases=()
# PostgreSQL refuses to run as root: as root, its programs run as the postgres user.
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    [[ -n $pgdir ]] && as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$work" ${pgdir:+"$pgdir"}
}
trap cleanup EXIT

emails=()
for i in $(seq 1 1000); do emails+=("user$i@example.com"); done
# The users of a new database: one, a thousand, and the two that the batches write for.
add_users() {
    "$server" add-user solo@example.com --db "$1" >"$work/solo.tokens"
    "$server" add-user "${emails[@]}" --db "$1" >"$work/many.tokens"
    "$server" add-user small@example.com --db "$1" >"$work/small.token"
    "$server" add-user large@example.com --db "$1" >"$work/large.token"
}

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
seed_batch_users() {
    for size in small large; do
        status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "${bases[0]}/data" -H 'If-Match: "0"' \
            -H "Authorization: Bearer $(cat "$work/$size.token")" --data-binary @"$work/$size.json")
        [[ $status == 200 ]] || { echo "bench_server: seeding the $size user answered $status" >&2; exit 1; }
    done
}

# start_servers DB N [OPTION...]: N servers on DB; their URLs in bases.
start_servers() {
    local db=$1 n=$2; shift 2
    for i in $(seq 1 "$n"); do
        "$server" --db "$db" --port 0 "$@" "${server_threads[@]}" >"$work/out$i" 2>"$work/log$i" &
        pids+=($!)
        for _ in $(seq 100); do grep -q '^listening on ' "$work/out$i" 2>/dev/null && break; sleep 0.05; done
        local base
        base=$(sed -n 's/^listening on //p' "$work/out$i")
        [[ -n $base ]] || { echo "bench_server: the server did not start:" >&2; cat "$work/log$i" >&2; exit 1; }
        bases+=("$base")
    done
}
stop_servers() {
    local peaks=()
    for p in "${pids[@]}"; do peaks+=("$(awk '/VmHWM/ {print $2, $3}' /proc/"$p"/status)"); done
    echo "  server peak memory: $(IFS=,; echo "${peaks[*]}" | sed 's/,/, /g')"
    for p in "${pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
    pids=()
    bases=()
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

# run LABEL [-s SCRIPT] [-- ARGS...]: wrk against every server at once, the connections split
# between them; the requests/s summed, the worse p50 and p99, errors (non-2xx, socket).
run() {
    local label=$1; shift
    local script=() args=()
    if [[ ${1:-} == -s ]]; then script=(-s "$2"); shift 2; fi
    if [[ ${1:-} == -- ]]; then shift; args=(-- "$@"); fi
    local n=${#bases[@]} path=${path:-}
    local per=$((connections / n)) threads=$((n == 1 ? 2 : 1))
    local wrks=()
    for i in "${!bases[@]}"; do
        wrk -t$threads -c$per -d"${duration}s" --latency "${script[@]}" "${bases[$i]}$path" "${args[@]}" \
            >"$work/wrk$i" &
        wrks+=($!)
    done
    wait "${wrks[@]}"
    local rps=0 p50= p99= bad=0 sock=
    for i in "${!bases[@]}"; do
        local out
        out=$(cat "$work/wrk$i")
        rps=$(awk -v a="$rps" '/^Requests\/sec:/ {printf "%.2f", a + $2}' <<<"$out")
        p50=$(worse "$p50" "$(awk '$1 == "50%" {print $2}' <<<"$out")")
        p99=$(worse "$p99" "$(awk '$1 == "99%" {print $2}' <<<"$out")")
        bad=$((bad + $(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out" | grep . || echo 0)))
        sock+=$(grep -o 'Socket errors:.*' <<<"$out" || true)
    done
    [[ $bad -eq 0 ]] && bad=
    printf '%-30s %10s req/s   p50 %8s   p99 %8s   %s\n' "$label" "$rps" "$p50" "$p99" \
        "${bad:+non-2xx $bad }${sock}"
}
# The larger of two wrk durations (580.00us, 1.20ms, 2.01s).
worse() {
    [[ -z $1 ]] && { echo "$2"; return; }
    python3 -c 'import sys
def us(t):
    for unit, f in (("us", 1), ("ms", 1e3), ("s", 1e6)):
        if t.endswith(unit): return float(t[:-len(unit)]) * f
    return float(t)
a, b = sys.argv[1:]
print(a if us(a) >= us(b) else b)' "$1" "$2"
}

phase=0
# The phases of one setup: small syncs, then the batches (their users seeded first).
phases() {
    run "  small syncs, 1 user" -s "$work/sync.lua" -- "$work/solo.tokens"
    run "  small syncs, 1,000 users" -s "$work/sync.lua" -- "$work/many.tokens"
    phase=$((phase + 1))
    run "  1-op batches, 10 decks" -s "$work/batch.lua" -- "$work/small.token" "$phase"
    phase=$((phase + 1))
    run "  1-op batches, 10,000 decks" -s "$work/batch.lua" -- "$work/large.token" "$phase"
}

db=$work/server.sqlite
add_users "$db"
first=1
for mode in "${modes[@]}"; do
    start_servers "$db" 1 --synchronous "$mode"
    if [[ $first -eq 1 ]]; then
        echo "$("$server" --version | tail -1) on $(nproc) cores, $(grep -o '[0-9]* threads' "$work/log1" | head -1);" \
             "wrk -c$connections -d${duration}s --latency"
        path=/health run "GET /health"
        seed_batch_users
        first=0
    fi
    echo "SQLite, --synchronous $mode:"
    phases
    stop_servers
done

[[ $postgresql -eq 1 ]] || exit 0
pgdir=$(mktemp -d /tmp/bench-pg-XXXXXX)
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pgdir"
as_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U decksync -E UTF8 >/dev/null
pgport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1" \
    -l "$pgdir/log" -w start >/dev/null
for n in 1 2; do
    as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U decksync "bench$n"
    url=postgresql://decksync@127.0.0.1:$pgport/bench$n
    add_users "$url"
    start_servers "$url" "$n"
    seed_batch_users
    echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'), $n server$([[ $n -eq 1 ]] || echo s) on one database:"
    phases
    stop_servers
done
