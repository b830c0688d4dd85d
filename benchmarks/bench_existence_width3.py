"""Benchmark (issue 15): exact width-3 ReLU minimization vs 1,000 scipy restarts; x^2 by width.

Run: ``python benchmarks/bench_existence_width3.py [--restarts 1000] [--widths 1,2,3,4]``.

Part 1 (same run, side by side): the exact route (kink equations solved in
real number fields, cache cleared) on ``x^2`` over ``U[0, 1]`` at width 3,
plain and residual, against ``--restarts`` seeded L-BFGS-B runs (exact
gradient) on the same problem: wall time, best value, how many restarts
reach the exact minimum (relative 1e-7), and that none goes below it.

Part 2: the exact minima of ``x^2`` for the widths in ``--widths`` (plain and
residual), with the optimal kinks, compared with the laws
``4 / (45 (2m + 1)^4)`` (plain; kinks ``(2j - 1)/(2m + 1)``) and
``1 / (180 (m + 1)^4)`` (residual; kinks ``j/(m + 1)``).  A width the exact
route refuses (cost limits) is reported with the reason.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import time

import numpy as np
import sympy

from symadam.existence import relu_exact as rem
from symadam.existence.flow_np import relu_restarts


def bench_restarts(restarts: int) -> list[str]:
    rows = ["| problem | exact minimum | exact time (s) | best of restarts | below exact | "
            "reach minimum | restarts time (s) |", "|---|---|---|---|---|---|---|"]
    print("\n".join(rows), flush=True)
    for i, skip in enumerate((False, True)):
        rem._solve_cached.cache_clear()
        t0 = time.perf_counter()
        sol = rem.exact_minimizer("x**2", 3, skip=skip)
        t_exact = time.perf_counter() - t0
        exact = float(sympy.N(sol.risk, 30))
        t0 = time.perf_counter()
        res = relu_restarts(3, lambda x: x ** 2, restarts, np.random.SeedSequence(1500 + i),
                            skip=skip)
        t_rest = time.perf_counter() - t0
        v = np.array(res["values"])
        hits = int((v <= exact * (1 + 1e-7)).sum())
        below = int((v < exact * (1 - 1e-9)).sum())
        rows.append(f"| x^2, width 3{' + skip' if skip else ''} | {sol.risk} = {exact:.12g} | "
                    f"{t_exact:.1f} | {res['best']:.12g} | {below} | {hits}/{restarts} | "
                    f"{t_rest:.1f} |")
        print(rows[-1], flush=True)
    return rows


def bench_widths(widths) -> list[str]:
    rows = ["| width | network | exact minimum | kinks | law | time (s) |",
            "|---|---|---|---|---|---|"]
    print("\n".join(rows), flush=True)
    for m in widths:
        for skip in (False, True):
            law = sympy.Rational(1, 180 * (m + 1) ** 4) if skip else \
                sympy.Rational(4, 45 * (2 * m + 1) ** 4)
            rem._solve_cached.cache_clear()
            t0 = time.perf_counter()
            try:
                sol = rem.exact_minimizer("x**2", m, skip=skip)
                got, kinks = str(sol.risk), ", ".join(str(t) for t in sol.network.t)
                match = "= law" if sol.risk == law else f"law gives {law}"
            except (rem.CannotDecide, ValueError) as exc:   # too large / beyond the limits
                got, kinks, match = f"refused: {exc}", "-", f"law gives {law}"
            rows.append(f"| {m} | {'residual' if skip else 'plain'} | {got} | {kinks} | "
                        f"{match} | {time.perf_counter() - t0:.1f} |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--restarts", type=int, default=1000)
    ap.add_argument("--widths", default="1,2,3,4")
    args = ap.parse_args()
    print(f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores")
    bench_restarts(args.restarts)                     # tables print row by row
    if args.widths:
        print()
        bench_widths([int(w) for w in args.widths.split(",")])


if __name__ == "__main__":
    main()
