#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz/ and runs each for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60 seconds per target)
#
# Build: the `fuzz` CMake preset (clang++-14, DECKSYNC_FUZZ=ON, DECKSYNC_BUILD_TESTS=OFF,
# binary dir build/fuzz) configures the whole project but only the fuzz targets are built;
# tests/fuzz/CMakeLists.txt compiles the engine sources again with
# -fsanitize=fuzzer-no-link,address,undefined and links each target with
# -fsanitize=fuzzer,address,undefined. Without Qt, the same directory also configures on
# its own: cmake -S tests/fuzz -B build/fuzz-standalone -G Ninja -DCMAKE_CXX_COMPILER=clang++-14
# (this script falls back to that when the preset fails to configure).
#
# Run: each target starts from build/fuzz/corpus/<target> (seeded from tests/fuzz/corpus/<target>
# and kept between runs) with the dictionary tests/fuzz/decksync.dict, one process, its output in
# build/fuzz/logs/<target>.log;
# crashes, leaks and timeouts are written to build/fuzz/crashes/. Minimise one with
#   build/fuzz/tests/fuzz/<target> -minimize_crash=1 -runs=10000 build/fuzz/crashes/<file>
# and keep it as tests/fuzz/regressions/<target>-<short-name> (tst_fuzzregressions runs them).
# Set FUZZ_TARGETS="fuzz_dataset fuzz_batch" to run a subset. Exits non-zero if any target
# found a crash.
set -euo pipefail

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS]" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
targets=(${FUZZ_TARGETS:-fuzz_dataset fuzz_syncbody fuzz_batch fuzz_scalars fuzz_merge})

# clang and its fuzzer runtime, only when missing.
scripts/deps.sh fuzz

out=build/fuzz
bindir=$out/tests/fuzz
if ! cmake --preset fuzz >/dev/null; then
    echo "the fuzz preset did not configure; building tests/fuzz standalone" >&2
    cmake -S tests/fuzz -B build/fuzz-standalone -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
    out=build/fuzz-standalone
    bindir=$out
fi
lock=()
command -v flock >/dev/null && lock=(flock /tmp/build.lock)
"${lock[@]}" cmake --build "$out" --target "${targets[@]}"

crashdir=$root/build/fuzz/crashes
mkdir -p "$crashdir" build/fuzz/logs
failed=0
summary=()
for t in "${targets[@]}"; do
    corpus=build/fuzz/corpus/$t
    mkdir -p "$corpus"
    [[ -d tests/fuzz/corpus/$t ]] && cp -n tests/fuzz/corpus/$t/* "$corpus"/ 2>/dev/null || true
    log=build/fuzz/logs/$t.log
    before=$(find "$crashdir" -maxdepth 1 -name "$t-*" | wc -l)
    echo "== $t: ${seconds}s"
    set +e
    "$bindir/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -dict=tests/fuzz/decksync.dict -artifact_prefix="$crashdir/$t-" "$corpus" \
        >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    size=$(find "$corpus" -type f | wc -l)
    after=$(find "$crashdir" -maxdepth 1 -name "$t-*" | wc -l)
    crashes=$((after - before))
    if [[ $rc -ne 0 || $crashes -gt 0 ]]; then
        failed=1
        grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|invariant broken' "$log" | head -3 || true
    fi
    summary+=("$(printf '%-14s executions %10s  exec/s %7s  corpus %5s  crashes %s  (exit %s, log %s)' \
        "$t" "${execs:-?}" "${rate:-?}" "$size" "$crashes" "$rc" "$log")")
done
echo
printf '%s\n' "${summary[@]}"
exit $failed
