#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How cost grows with size: the CLI and the inspector at 20k, 200k and 1M decks per side.

    scaling.py --build build/release [--sizes 20000,200000,1000000] [--shape default]
               [--workdir DIR] [--json OUT.json] [--png OUT.png]

For each size it generates a pair with decksync-gen (decks only, as run_bench.py's 200k case),
then measures
  - the CLI: `decksync sync ... --out M --report R`, best wall time of --runs and its peak RSS;
  - the inspector: `bench-inspector` (offscreen), its first paint after Open and its peak RSS;
prints a table with each step's growth (time ratio against items ratio; the goal is at most
1.1 times the items' ratio: 10x items cost at most 11x time), and draws the PNG with
`bench-plot` (Qt Charts, offscreen). A report: exit 0 whatever the figures, 1 when a program
fails, 2 on bad arguments.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_bench import NOW, ChildFailed, best_of, run_measured  # noqa: E402

GROWTH_GOAL = 1.1  # time ratio / items ratio between steps, at most


def inspector_run(bench, local, server, workdir):
    """(first paint s, peak bytes) of one bench-inspector run."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(dir=workdir) as home:
        env["XDG_CONFIG_HOME"] = home
        env["XDG_DATA_HOME"] = home
        out = subprocess.run([bench, "--local", local, "--server", server, "--pages", "20"], env=env,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if out.returncode != 0:
        raise ChildFailed([bench], f"exit status {out.returncode}", out.stderr)
    paint = re.search(r"first paint after open:\s+(\d+) ms", out.stdout)
    peak = re.search(r"peak memory:\s+(\d+) MB", out.stdout)
    if not paint or not peak:
        raise ChildFailed([bench], "no figures", out.stdout + out.stderr)
    return int(paint.group(1)) / 1000.0, int(peak.group(1)) * 1024 * 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True, help="the build directory (release)")
    ap.add_argument("--sizes", default="20000,200000,1000000", help="decks per side, comma-separated")
    ap.add_argument("--shape", default="default", help="decksync-gen --shape")
    ap.add_argument("--runs", type=int, default=3, help="CLI runs per size; the best time counts")
    ap.add_argument("--workdir", help="where the data goes (default: a new directory under /tmp)")
    ap.add_argument("--json", metavar="OUT", help="write the figures as JSON")
    ap.add_argument("--png", metavar="OUT", help="draw them with bench-plot")
    opts = ap.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",") if s.strip()]
    tools = {name: os.path.join(opts.build, path) for name, path in {
        "decksync": "app/decksync", "gen": "tests/bench/decksync-gen",
        "inspector": "tests/bench/bench-inspector", "plot": "tests/bench/bench-plot"}.items()}
    for tool in tools.values():
        if not os.access(tool, os.X_OK):
            ap.error(f"not an executable: {tool}")
    workdir = opts.workdir or tempfile.mkdtemp(prefix="decksync-scaling-", dir="/tmp")
    os.makedirs(workdir, exist_ok=True)
    print(f"workdir: {workdir}", file=sys.stderr)

    rows = []
    try:
        for n in sizes:
            local = os.path.join(workdir, f"{n}-local.json")
            server = os.path.join(workdir, f"{n}-server.json")
            print(f"[{n}] generating ...", file=sys.stderr, flush=True)
            run_measured([tools["gen"], "--out-local", local, "--out-server", server, "--decks", str(n),
                          "--achievements", "0", "--progress", "0", "--starred", "0", "--shape", opts.shape],
                         workdir)
            print(f"[{n}] decksync x{opts.runs} ...", file=sys.stderr, flush=True)
            cli_s, cli_kib = best_of([tools["decksync"], "sync", "--local", local, "--server", server, "--now", NOW,
                                      "--out", os.path.join(workdir, f"{n}-merged.json"),
                                      "--report", os.path.join(workdir, f"{n}-report.json")], opts.runs, workdir)
            print(f"[{n}] inspector ...", file=sys.stderr, flush=True)
            paint_s, inspector_peak = inspector_run(tools["inspector"], local, server, workdir)
            rows.append({"decks_per_side": n, "input_bytes": os.path.getsize(local) + os.path.getsize(server),
                         "cli_s": cli_s, "cli_peak_bytes": cli_kib * 1024,
                         "inspector_first_paint_s": paint_s, "inspector_peak_bytes": inspector_peak})
            for name in ("merged", "report"):
                os.remove(os.path.join(workdir, f"{n}-{name}.json"))
    except ChildFailed as e:
        print(f"{' '.join(e.argv)} failed ({e.status}):\n{e.stderr}", file=sys.stderr)
        return 1

    print(f"{'decks/side':>10}  {'input MB':>9}  {'CLI s':>7}  {'CLI peak MB':>11}  {'first paint s':>13}  "
          f"{'inspector peak MB':>17}  growth (time ratio / items ratio: CLI, inspector)")
    for i, r in enumerate(rows):
        growth = ""
        if i > 0:
            p = rows[i - 1]
            items = r["decks_per_side"] / p["decks_per_side"]
            cli = r["cli_s"] / p["cli_s"] / items
            paint = r["inspector_first_paint_s"] / p["inspector_first_paint_s"] / items
            r["growth"] = {"cli": cli, "inspector": paint}
            growth = (f"{cli:.2f} {'ok' if cli <= GROWTH_GOAL else 'OVER'}, "
                      f"{paint:.2f} {'ok' if paint <= GROWTH_GOAL else 'OVER'}")
        print(f"{r['decks_per_side']:>10,}  {r['input_bytes'] / 1e6:>9.0f}  {r['cli_s']:>7.2f}  "
              f"{r['cli_peak_bytes'] / 1e6:>11.0f}  {r['inspector_first_paint_s']:>13.2f}  "
              f"{r['inspector_peak_bytes'] / 1e6:>17.0f}  {growth}")
    figures = {"now": NOW, "shape": opts.shape, "runs": opts.runs, "growth_goal": GROWTH_GOAL, "sizes": rows}
    json_path = opts.json or os.path.join(workdir, "scaling.json")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(figures, f, indent=2)
        f.write("\n")
    if opts.png:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run([tools["plot"], json_path, opts.png], env=env, check=True)
        print(f"wrote {opts.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
