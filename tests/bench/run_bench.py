#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sync benchmark: decksync against the naive baselines, in Python (baseline_merge.py) and jq.

    run_bench.py --decksync PATH/decksync --gen PATH/decksync-gen
                 [--workdir DIR] [--cases 20k,200k] [--shapes default,change-heavy] [--runs 3]
                 [--json OUT]

For each case and shape (decksync-gen --shape) it generates a local/server pair, then runs

    decksync sync --local L --server S --now 2024-06-10T00:00:00Z --out M.json --report R.json
    python3 baseline_merge.py L S B.json
    jq -n --slurpfile l L --slurpfile s S -f baseline_merge.jq > J.json   (when jq is there)

each --runs times (default 3), keeping the best wall time and the peak RSS (ru_maxrss from
os.wait4 on the child). Prints a table and, for each shape's 200k case, the goal lines. It is
a report: the exit status is 0 whatever the figures, 1 only when decksync (or the generator)
fails, 2 on bad arguments.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = os.path.join(HERE, "baseline_merge.py")
JQ_BASELINE = os.path.join(HERE, "baseline_merge.jq")
NOW = "2024-06-10T00:00:00Z"

# name -> decksync-gen arguments
CASES = {
    "20k": ["--items", "20000"],
    "200k": ["--decks", "200000", "--achievements", "0", "--progress", "0", "--starred", "0"],
}

SHAPES = ("default", "change-heavy")  # decksync-gen --shape

SPEED_GOAL = 6.0  # python time / decksync time, at least, on every shape
PEAK_GOAL = 3.0   # decksync peak RSS / input bytes, at most


class ChildFailed(Exception):
    def __init__(self, argv, status, stderr):
        super().__init__(f"{argv[0]} failed ({status})")
        self.argv = argv
        self.status = status
        self.stderr = stderr


def run_measured(argv, workdir, stdout_path=None):
    """Runs argv to completion (its output to stdout_path, if given); returns (wall seconds,
    peak RSS KiB). Raises ChildFailed."""
    with tempfile.TemporaryFile(dir=workdir) as err, \
            open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting
        if proc.returncode != 0:
            err.seek(0)
            raise ChildFailed(argv, describe_status(proc.returncode), err.read().decode("utf-8", "replace"))
    return wall, usage.ru_maxrss  # KiB on Linux


def describe_status(code):
    return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


def best_of(argv, runs, workdir, stdout_path=None):
    times, peaks = [], []
    for _ in range(runs):
        wall, peak = run_measured(argv, workdir, stdout_path)
        times.append(wall)
        peaks.append(peak)
    return min(times), max(peaks)


def mb(n_bytes):
    return n_bytes / 1e6


def baseline(label, argv, opts, name, stdout_path=None):
    """(best s, peak KiB) of a baseline, or (None, None) when it fails: the report goes on."""
    print(f"[{name}] {label} baseline x{opts.runs} ...", file=sys.stderr, flush=True)
    try:
        return best_of(argv, opts.runs, opts.workdir, stdout_path)
    except ChildFailed as e:
        print(f"[{name}] {label} baseline failed ({e.status}):\n{e.stderr}", file=sys.stderr)
        return None, None


def run_case(name, args, opts):
    local = os.path.join(opts.workdir, f"{name}-local.json")
    server = os.path.join(opts.workdir, f"{name}-server.json")
    merged = os.path.join(opts.workdir, f"{name}-merged.json")
    report = os.path.join(opts.workdir, f"{name}-report.json")
    baseline_out = os.path.join(opts.workdir, f"{name}-baseline.json")

    print(f"[{name}] generating ...", file=sys.stderr, flush=True)
    run_measured([opts.gen, "--out-local", local, "--out-server", server] + args, opts.workdir)
    input_bytes = os.path.getsize(local) + os.path.getsize(server)

    print(f"[{name}] decksync x{opts.runs} ...", file=sys.stderr, flush=True)
    ds_argv = [opts.decksync, "sync", "--local", local, "--server", server, "--now", NOW,
               "--out", merged, "--report", report]
    ds_time, ds_peak_kib = best_of(ds_argv, opts.runs, opts.workdir)

    py_time, py_peak_kib = baseline("python", [opts.python, BASELINE, local, server, baseline_out], opts, name)
    jq_time = jq_peak_kib = None
    if opts.jq:
        jq_out = os.path.join(opts.workdir, f"{name}-jq.json")
        jq_time, jq_peak_kib = baseline(
            "jq", [opts.jq, "-n", "--slurpfile", "l", local, "--slurpfile", "s", server, "-f", JQ_BASELINE],
            opts, name, jq_out)

    ds_peak = ds_peak_kib * 1024
    row = {
        "case": name,
        "generator_args": args,
        "input_bytes": input_bytes,
        "decksync_best_s": ds_time,
        "decksync_peak_bytes": ds_peak,
        "decksync_peak_over_input": ds_peak / input_bytes if input_bytes else None,
        "merged_bytes": os.path.getsize(merged) if os.path.exists(merged) else None,
        "python_best_s": py_time,
        "python_peak_bytes": py_peak_kib * 1024 if py_peak_kib is not None else None,
        "python_over_decksync": py_time / ds_time if py_time is not None and ds_time > 0 else None,
        "jq_best_s": jq_time,
        "jq_peak_bytes": jq_peak_kib * 1024 if jq_peak_kib is not None else None,
        "jq_over_decksync": jq_time / ds_time if jq_time is not None and ds_time > 0 else None,
        "runs": opts.runs,
    }
    return row


def fmt(value, spec, missing="n/a"):
    return missing if value is None else format(value, spec)


def print_table(rows):
    headers = ["case", "input bytes", "decksync s", "decksync peak MB", "peak/input",
               "python s", "python peak MB", "python/decksync", "jq s", "jq peak MB", "jq/decksync"]
    lines = []
    for r in rows:
        lines.append([
            r["case"],
            f"{r['input_bytes']:,}",
            fmt(r["decksync_best_s"], ".3f"),
            fmt(mb(r["decksync_peak_bytes"]), ".1f"),
            fmt(r["decksync_peak_over_input"], ".2f"),
            fmt(r["python_best_s"], ".3f"),
            fmt(None if r["python_peak_bytes"] is None else mb(r["python_peak_bytes"]), ".1f"),
            fmt(r["python_over_decksync"], ".2f") + ("x" if r["python_over_decksync"] is not None else ""),
            fmt(r["jq_best_s"], ".3f"),
            fmt(None if r["jq_peak_bytes"] is None else mb(r["jq_peak_bytes"]), ".1f"),
            fmt(r["jq_over_decksync"], ".2f") + ("x" if r["jq_over_decksync"] is not None else ""),
        ])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths))))
    print("  ".join("-" * w for w in widths))
    for l in lines:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(l, widths))))


def goals(rows):
    """Goal verdicts for each shape's 200k case, by shape (empty when no 200k case ran)."""
    verdicts = {}
    for row in rows:
        if row["size"] != "200k":
            continue
        speed = row["python_over_decksync"]
        peak = row["decksync_peak_over_input"]
        verdicts[row["shape"]] = {
            "speed": {"value": speed, "goal": SPEED_GOAL, "met": speed is not None and speed >= SPEED_GOAL},
            "peak": {"value": peak, "goal": PEAK_GOAL, "met": peak is not None and peak <= PEAK_GOAL},
        }
    return verdicts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decksync", required=True, help="path to the decksync CLI")
    ap.add_argument("--gen", required=True, help="path to decksync-gen")
    ap.add_argument("--workdir", help="where the data goes (default: a new directory under /tmp)")
    ap.add_argument("--cases", default="20k,200k", help=f"comma-separated, of: {', '.join(CASES)}")
    ap.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of: {', '.join(SHAPES)}")
    ap.add_argument("--runs", type=int, default=3, help="runs per program; the best time counts")
    ap.add_argument("--jq", default=shutil.which("jq"), help="jq for its baseline (default: from PATH; none: skipped)")
    ap.add_argument("--python", default="python3", help="interpreter for the baseline")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    opts = ap.parse_args()

    cases = [c.strip() for c in opts.cases.split(",") if c.strip()]
    shapes = [s.strip() for s in opts.shapes.split(",") if s.strip()]
    unknown = [c for c in cases if c not in CASES] + [s for s in shapes if s not in SHAPES]
    if unknown or not cases or not shapes or opts.runs < 1:
        ap.error(f"unknown case(s) or shape(s) {', '.join(unknown)}; known: {', '.join(CASES)}; {', '.join(SHAPES)}"
                 if unknown else "need at least one case, one shape and --runs >= 1")
    for tool in (opts.decksync, opts.gen):
        if not os.access(tool, os.X_OK):
            ap.error(f"not an executable: {tool}")
    if opts.workdir:
        os.makedirs(opts.workdir, exist_ok=True)
    else:
        opts.workdir = tempfile.mkdtemp(prefix="decksync-bench-", dir="/tmp")
    print(f"workdir: {opts.workdir}", file=sys.stderr)

    rows = []
    try:
        for shape in shapes:
            for size in cases:
                row = run_case(f"{size} {shape}".replace(" ", "-"), CASES[size] + ["--shape", shape], opts)
                row.update(size=size, shape=shape, case=f"{size} {shape}")
                rows.append(row)
    except ChildFailed as e:
        print(f"{' '.join(e.argv)}\nfailed ({e.status}); its stderr:\n{e.stderr}", file=sys.stderr)
        return 1

    print()
    print_table(rows)
    verdicts = goals(rows)
    if verdicts:
        print()
    for shape, v in verdicts.items():
        s, p = v["speed"], v["peak"]
        print(f"goal, 200k {shape}: >= {SPEED_GOAL:g}x faster than python: {'MET' if s['met'] else 'NOT MET'} "
              f"({fmt(s['value'], '.2f')})")
        print(f"goal, 200k {shape}: peak <= {PEAK_GOAL:g}x input bytes: {'MET' if p['met'] else 'NOT MET'} "
              f"({fmt(p['value'], '.2f')})")

    if opts.json:
        with open(opts.json, "w", encoding="utf-8") as f:
            json.dump({"now": NOW, "runs": opts.runs, "cases": rows, "goals": verdicts}, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
