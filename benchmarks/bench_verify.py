"""``symadam verify``, the main job: per claim before/after, and serial against parallel.

Run: ``python benchmarks/bench_verify.py [--baseline REF] [--write-costs] [--skip PART]``.

In one run (ratios are what survive a noisy, shared machine):

1. **Per claim, before and after.**  Every claim's check runs serially in a fresh
   process, once on the baseline tree (``git archive REF``, imported from a
   temporary directory) and once on this tree; each check's wall time and CPU time
   (``time.process_time`` in that process) are recorded, and the evidence (status,
   residual, digits, details) is compared: "same" means identical JSON.
2. **Serial against parallel.**  ``symadam verify --json`` with ``--workers 1`` and
   with the default (one worker per available core), each timed as a whole (wall,
   and CPU of the command and its workers from ``getrusage``), on this tree.

``--write-costs`` stores this tree's per-claim CPU seconds in
``symadam/data/claim_costs.json`` (the scheduler's cost hints).  Prints Markdown.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Runs in a child process: every claim checked serially, timed; JSON on stdout.
HARNESS = r"""
import json, sys, time
tree = sys.argv[1]
if tree:   # the baseline: import its symadam, not this checkout's (editable install)
    sys.meta_path = [f for f in sys.meta_path
                     if "__editable__" not in getattr(f, "__module__", "")]
    sys.path.insert(0, tree)
import symadam
from symadam.core import load_all, select
from symadam.core.parallel import SerialExecutor
from symadam.core.record import CheckContext
from symadam.core.registry import check_one
assert not tree or symadam.__file__.startswith(tree), symadam.__file__
if not tree:   # as `symadam verify` runs its claims now (the baseline did not limit BLAS)
    from threadpoolctl import threadpool_limits
    threadpool_limits(1, user_api="blas")
claims = load_all()
out = {}
for i in select():
    w0, c0 = time.perf_counter(), time.process_time()
    ev = check_one(claims[i], CheckContext(claim_id=i, dps=50, seed=0,
                                           executor=SerialExecutor()))
    d = ev.to_dict()
    d.pop("seconds")
    out[i] = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0,
              "evidence": json.dumps(d, sort_keys=True, default=str)}
json.dump(out, sys.stdout)
"""


def per_claim(tree: str, env: dict | None = None) -> dict:
    """Run :data:`HARNESS` on ``tree`` ("" = this checkout)."""
    out = subprocess.run([sys.executable, "-c", HARNESS, tree], capture_output=True,
                         text=True, cwd=tempfile.gettempdir(), check=True,
                         env={**os.environ, **(env or {})})
    return json.loads(out.stdout)


def export(ref: str, into: str) -> str:
    """``git archive ref`` unpacked into ``into``; returns the tree's path."""
    tar = Path(into) / "tree.tar"
    with open(tar, "wb") as f:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref, "symadam"], stdout=f,
                       check=True)
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(Path(into) / "pyproject.tar"),
                    ref, "pyproject.toml"], check=True)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    with tarfile.open(Path(into) / "pyproject.tar") as t:
        t.extractall(into, filter="data")
    return into


def baseline_env(tree: str) -> dict:
    """The baseline did not depend on gmpy2: run its mpmath on the pure-Python backend."""
    deps = (Path(tree) / "pyproject.toml").read_text()
    return {} if "gmpy2" in deps else {"MPMATH_NOGMPY": "1"}


def makespan(cost: dict, workers: int) -> float:
    """The finishing time of the claims' schedule (as :func:`symadam.core.schedule.run_graph`
    orders it) on ``workers`` idle cores, if every claim took its measured CPU seconds."""
    import heapq

    from symadam.core import load_all
    from symadam.core.schedule import bottom_levels

    claims = load_all()
    deps = {i: [d for d in claims[i].depends_on if d in cost] for i in cost}
    level = bottom_levels(deps, cost)
    waits = {i: set(deps[i]) for i in cost}
    ready = [(-level[i], i) for i in cost if not waits[i]]
    heapq.heapify(ready)
    running: list = []
    clock = 0.0
    while ready or running:
        while ready and len(running) < workers:
            _, i = heapq.heappop(ready)
            heapq.heappush(running, (clock + cost[i], i))
        clock, i = heapq.heappop(running)
        for j in cost:
            if i in waits[j]:
                waits[j].discard(i)
                if not waits[j]:
                    heapq.heappush(ready, (-level[j], j))
    return clock


def timed_verify(*extra: str) -> dict:
    """``symadam verify --json *extra``: wall, CPU (command + workers), the summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "symadam", "verify", "--json", *extra],
                         capture_output=True, text=True, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    doc = json.loads(out.stdout)
    evidence = {c["claim_id"]: json.dumps({k: v for k, v in c.items() if k != "seconds"},
                                          sort_keys=True, default=str) for c in doc["claims"]}
    return {"wall": wall, "cpu": cpu, "summary": doc["summary"], "rc": out.returncode,
            "evidence": evidence}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="main", help="git ref of the 'before' tree")
    ap.add_argument("--write-costs", action="store_true")
    ap.add_argument("--skip", choices=["per-claim", "serial-parallel"], action="append",
                    default=[])
    args = ap.parse_args()
    from symadam.core.parallel import available_cores

    print(f"`python benchmarks/bench_verify.py --baseline {args.baseline}` — "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} cores ({available_cores()} available), Python "
          f"{platform.python_version()}, load average "
          f"{', '.join(f'{v:.1f}' for v in os.getloadavg())} at the start\n")
    if "per-claim" not in args.skip:
        with tempfile.TemporaryDirectory() as tmp:
            tree = export(args.baseline, tmp)
            before = per_claim(tree, baseline_env(tree))
        after = per_claim("")
        print("| claim | before CPU s | after CPU s | CPU ratio | before wall s | after wall s "
              "| same evidence |")
        print("|---|---|---|---|---|---|---|")
        for i in sorted(after, key=lambda k: -before.get(k, after[k])["cpu"]):
            b, a = before.get(i), after[i]
            if b is None:
                print(f"| {i} | – | {a['cpu']:.2f} | – | – | {a['wall']:.2f} | new |")
                continue
            same = "yes" if a["evidence"] == b["evidence"] else "**no**"
            print(f"| {i} | {b['cpu']:.2f} | {a['cpu']:.2f} | {a['cpu'] / b['cpu']:.2f} | "
                  f"{b['wall']:.2f} | {a['wall']:.2f} | {same} |")
        tb = sum(v["cpu"] for v in before.values())
        ta = sum(v["cpu"] for v in after.values())
        print(f"| **total** | {tb:.1f} | {ta:.1f} | {ta / tb:.2f} | "
              f"{sum(v['wall'] for v in before.values()):.1f} | "
              f"{sum(v['wall'] for v in after.values()):.1f} | |\n")
        for name, run in (("before", before), ("after", after)):
            cost = {i: v["cpu"] for i, v in run.items()}
            print(f"{name}: claims' CPU {sum(cost.values()):.1f} s; scheduled on 2 idle cores "
                  f"(critical path first) they would finish after {makespan(cost, 2):.1f} s")
        print()
        if args.write_costs:
            path = ROOT / "symadam" / "data" / "claim_costs.json"
            path.write_text(json.dumps({
                "about": "CPU seconds per claim check (serial, dps 50, one BLAS thread), from "
                         "benchmarks/bench_verify.py --write-costs; scheduling hints only",
                "cpu_seconds": {i: round(a["cpu"], 2) for i, a in sorted(after.items())}},
                indent=1) + "\n")
            print(f"cost hints written to {path.relative_to(ROOT)}\n")
    if "serial-parallel" not in args.skip:
        serial = timed_verify("--workers", "1")
        parallel = timed_verify()
        same = serial["evidence"] == parallel["evidence"]
        print("| `symadam verify --json` | wall s | CPU s (all processes) | verified | "
              "wall ratio |")
        print("|---|---|---|---|---|")
        for name, r in (("`--workers 1` (serial)", serial),
                        (f"default ({available_cores()} workers)", parallel)):
            print(f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                  f"{r['summary']['verified']} of {len(r['evidence'])} | "
                  f"{r['wall'] / serial['wall']:.2f} |")
        print(f"\nevidence identical serial vs parallel: {'yes' if same else 'NO'}; "
              f"CPU / cores = {parallel['cpu'] / available_cores():.1f} s")


if __name__ == "__main__":
    main()
