"""Benchmark (issue 7): exact width-2 ReLU minimization vs scipy's best of 100 restarts.

Run: ``python benchmarks/bench_existence.py [--restarts 100]``.  Prints a Markdown
table: the exact solver (sympy enumeration of kink configurations, cache
cleared) on ``x^2`` and ``|x - 1/2|`` -> width 2 ... against the best of
``--restarts`` L-BFGS-B runs (exact gradient, seeded) on the same problem, in
the same run: value reached, distance to the exact minimum, wall time; then
the fitted growth laws of the divergent gradient flows.
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
from symadam.existence.flow_np import fit_power_law, gradient_flow, relu_restarts, tanh_width1_law
from symadam.existence.piecewise import X
from symadam.networks.network import Network

PROBLEMS = (("x**2", 2), ("Max(0, x - 1/4)**2", 1), ("x**3 - x/2", 2))


def bench_exact(restarts: int) -> list[str]:
    rows = ["| problem | exact minimum | exact time (s) | best of restarts | gap | hits | "
            "restarts time (s) |", "|---|---|---|---|---|---|---|"]
    for i, (tgt, m) in enumerate(PROBLEMS):
        rem._solve_cached.cache_clear()
        t0 = time.perf_counter()
        sol = rem.exact_minimizer(tgt, m)
        t_exact = time.perf_counter() - t0
        exact = float(sympy.N(sol.risk, 30))
        fn = sympy.lambdify(X, sol.target.as_piecewise(), "numpy")
        br = tuple(float(b) for b in sol.target.interior_breaks)
        t0 = time.perf_counter()
        res = relu_restarts(m, fn, restarts, np.random.SeedSequence(2026 + i), breaks=br)
        t_rest = time.perf_counter() - t0
        hits = sum(v <= exact * (1 + 1e-7) + 1e-12 for v in res["values"])
        shown = sol.risk if len(str(sol.risk)) < 40 else "algebraic (CRootOf)"
        rows.append(f"| {tgt}, width {m} | {shown} = {exact:.12g} | {t_exact:.2f} | "
                    f"{res['best']:.12g} | {res['best'] - exact:.1e} | {hits}/{restarts} | "
                    f"{t_rest:.2f} |")
    return rows


def bench_flows() -> list[str]:
    xd = np.linspace(-1, 1, 9)
    rows = ["| run | t range | norm law | loss law | solver time (s) |", "|---|---|---|---|---|"]
    t0 = time.perf_counter()
    fr = gradient_flow(Network((1, 1, 1), "tanh"), [1.0, 0, 1.0, 0], xd, xd, 1e7, samples=29)
    dt = time.perf_counter() - t0
    fn, fl = fit_power_law(fr.t, fr.norm, 1e3), fit_power_law(fr.t, fr.loss, 1e3)
    law = tanh_width1_law(xd)
    rows.append(f"| tanh width 1, y = x | 1e3..1e7 | t^{fn['exponent']:.4f} (derived 1/6 = "
                f"0.1667; C {fn['prefactor']:.3f} vs {law['norm_prefactor']:.3f}) | "
                f"t^{fl['exponent']:.4f} (derived -2/3) | {dt:.2f} |")
    starts = {"softplus": [1, -1, 0, 0, 1, 1, 0], "gelu": [1, -1, 0, 0, 1, 1, 0],
              "tanh": [1, -1, 0.5, 0.5, 1, 1, 0], "relu": [1, -1, 0, 0, 1, 1, 0]}
    for act, th0 in starts.items():
        smooth = act != "relu"
        t0 = time.perf_counter()
        fr = gradient_flow(Network((1, 2, 1), act), np.array(th0, float), xd, xd ** 2, 1e6,
                           samples=25, method="BDF" if smooth else "LSODA",
                           rtol=1e-10 if smooth else 1e-8, atol=1e-12 if smooth else 1e-10)
        dt = time.perf_counter() - t0
        late = fr.t >= 1e2
        a, _ = np.polyfit(np.log(fr.t[late]), fr.norm[late], 1)
        fp = fit_power_law(fr.t, fr.loss, 1e2)
        rows.append(f"| {act} width 2, y = x^2 | 1e2..1e6 | norm {fr.norm[late][0]:.3f} -> "
                    f"{fr.norm[-1]:.3f}; d norm / d log t = {a:.3f} | loss {fr.loss[-1]:.2e}, "
                    f"t^{fp['exponent']:.2f} | {dt:.2f} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--restarts", type=int, default=100)
    args = ap.parse_args()
    print(f"`python benchmarks/bench_existence.py --restarts {args.restarts}` -- "
          f"{datetime.date.today()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("\n".join(bench_exact(args.restarts)))
    print()
    print("\n".join(bench_flows()))


if __name__ == "__main__":
    main()
