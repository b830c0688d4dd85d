"""Benchmarks for the Adam/RMSprop local-rate work (issue 3).

Run: ``python benchmarks/bench_adam_rates.py [--quick]``.  Prints Markdown tables:

1. wall time to derive Adam's and RMSprop's tunings and rates with the rate engine
   (caches cleared), against heavy ball + GD derived in the same run;
2. steps per second of the bias-corrected mpmath Adam iteration (3 coordinates) at
   30/50/100 digits, against the float64 numpy implementation in the same run;
3. the transient length (steps until ``max_i sqrt(v_hat_i) < eps/100`` for good) as a
   function of ``beta2`` and ``eps`` at the Polyak tuning, kappa = 100.
"""
from __future__ import annotations

import argparse
import platform
import time

import mpmath
import numpy as np
from mpmath import mpf


def _clear_caches() -> None:
    from symadam.rates import adam_tuning as at
    from symadam.rates import engine as rate_engine

    rate_engine._tune.cache_clear()
    rate_engine._linearize.cache_clear()
    for f in (at.adam_rate_derivation, at.adam_linearization_derivation,
              at.adam_optimality_derivation, at.adam_eps_inside_derivation,
              at.rmsprop_rate_derivation, at.rmsprop_optimality_derivation):
        f.cache_clear()


def bench_derive(repeat: int) -> None:
    from symadam.rates.engine import tune

    def timed(names):
        best = float("inf")
        for _ in range(repeat):
            _clear_caches()
            t0 = time.perf_counter()
            for n in names:
                tune(n)
            best = min(best, time.perf_counter() - t0)
        return best

    tune("gd")  # warm imports
    t_new = timed(["adam", "rmsprop"])
    t_base = timed(["heavy-ball", "gd"])
    print("| derivation (rate engine, caches cleared, best of %d) | seconds |" % repeat)
    print("|---|---|")
    print(f"| Adam + RMSprop (tune, incl. degenerate linearization) | {t_new:.2f} |")
    print(f"| heavy ball + GD (baseline) | {t_base:.2f} |")
    print(f"| ratio | {t_new / t_base:.1f} |\n")


def bench_steps(steps: int) -> None:
    from symadam.rates.adam_iterate_mp import adam_iterate, diagonal_quadratic
    from symadam.rates.optimizers_np import adam_trajectory

    lam = np.array([1.0, 10.0, 100.0])
    t0 = time.perf_counter()
    adam_trajectory(lambda th: lam * th, np.array([0.05, -0.05, 0.05]), steps, lr=0.1,
                    beta1=0.67, beta2=0.9, eps=1.0)
    base = steps / (time.perf_counter() - t0)
    print("| iteration (3 coordinates) | steps/s | float64 numpy / this |")
    print("|---|---|---|")
    print(f"| float64 numpy (`adam_trajectory`, baseline) | {base:,.0f} | 1 |")
    obj = diagonal_quadratic(["1", "10", "100"])
    for dps in (30, 50, 100):
        t0 = time.perf_counter()
        adam_iterate(obj, ["0.05", "-0.05", "0.05"], steps, lr="0.1", beta1="0.67", beta2="0.9",
                     eps="1", dps=dps)
        rate = steps / (time.perf_counter() - t0)
        print(f"| mpmath, {dps} digits (`adam_iterate`) | {rate:,.0f} | {base / rate:.1f} |")
    print()


def bench_transient(max_steps: int, beta2s, epss) -> None:
    from symadam.rates.adam_iterate_mp import adam_iterate, diagonal_quadratic

    kappa = 100
    with mpmath.workdps(30):
        s = mpmath.sqrt(kappa)
        b1 = ((s - 1) / (s + 1)) ** 2
    obj = diagonal_quadratic(["1", "10", str(kappa)])
    theta0 = ["0.01", "-0.01", "0.01"]  # initial gradient ~ 1 in the stiffest coordinate
    print("Transient: steps until max_i sqrt(v_hat_i) < eps/100 for good; kappa = 100, Polyak "
          "tuning (gamma = eps/10), theta0 = (0.01, -0.01, 0.01), |g_0| <= 1.\n")
    print("| beta2 \\ eps | " + " | ".join(epss) + " | (1-beta2) x steps at eps = "
          f"{epss[-1]} |")
    print("|---|" + "---|" * (len(epss) + 1))
    for b2 in beta2s:
        row = []
        for e in epss:
            with mpmath.workdps(30):
                lr = mpf(e) / s
            steps, tr = 1000, None
            while steps <= max_steps:   # double until the transient ends in the first half
                run = adam_iterate(obj, theta0, steps, lr=lr, beta1=b1, beta2=b2, eps=e, dps=20)
                tr = run.transient(mpf(e) / 100)
                if tr is not None and tr < steps // 2:
                    break
                tr, steps = None, 2 * steps
            row.append(tr)
        last = row[-1]
        norm = "n/a" if last is None else f"{(1 - float(b2)) * last:.1f}"
        print(f"| {b2} | " + " | ".join(f"> {max_steps}" if t is None else str(t) for t in row)
              + f" | {norm} |")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a smoke test)")
    a = ap.parse_args()
    print(f"machine: {platform.machine()}, {platform.python_version()}, "
          f"mpmath backend {mpmath.libmp.BACKEND}\n")
    bench_derive(1 if a.quick else 3)
    bench_steps(500 if a.quick else 5000)
    if a.quick:
        bench_transient(3000, ["0.9", "0.99"], ["1", "0.01"])
    else:
        bench_transient(64000, ["0.5", "0.9", "0.99", "0.999"], ["1", "0.1", "0.01", "0.001"])


if __name__ == "__main__":
    main()
