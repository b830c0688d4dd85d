"""Benchmark: `symadam verify rates` wall time, and symadam vs PEPit on GD and heavy ball.

Run:  python benchmarks/bench_rates.py            (needs `pip install pepit`, extra [bench])
      python benchmarks/bench_rates.py --engine    (only 0. and 1.; no PEPit needed)

0. The piecewise rate engine (issue 16): warm-process time of `tune` per method (registered
   methods and unregistered maps: fixed-momentum heavy ball, the three-parameter momentum
   family), with the number of solution branches, event polynomials and pieces, against the
   baseline of re-deriving gradient descent in the same run.

1. Cold-process wall time of `symadam verify rates` (target < 20 s on 2 cores), against
   the baseline of a cold `python -c "import symadam"` in the same run.
2. GD (h = 2/(L+mu)) and heavy ball (Polyak's tuning) at kappa = 100 (L = 1, mu = 0.01):
   PEPit's n-step worst case of ||x_n - x*||^2 / ||x_0 - x*||^2 by semidefinite
   programming, (a) over all L-smooth mu-strongly convex functions and (b) over
   quadratics, beside symadam's closed form rho^(2n) (GD) and the exact n-step
   quadratic worst case (heavy ball: max over lambda of the squared first row of J^n,
   at x_{-1} = x_0), with time per point and relative error.
"""
from __future__ import annotations

import platform
import subprocess
import sys
import time

import mpmath
import sympy


def cold(cmd: list[str]) -> tuple[float, int]:
    """Wall time and exit code of a fresh process; prints its CPU time (user + sys) too."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"  [{' '.join(cmd[-3:])}: wall {wall:.1f} s, cpu {cpu:.1f} s]")
    return wall, r.returncode


def pepit_gd(L, mu, h, n, quadratic):
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexFunction, SmoothStronglyConvexQuadraticFunction

    problem = PEP()
    cls = SmoothStronglyConvexQuadraticFunction if quadratic else SmoothStronglyConvexFunction
    f = problem.declare_function(cls, L=L, mu=mu)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x = x0
    for _ in range(n):
        x = x - h * f.gradient(x)
    problem.set_performance_metric((x - xs) ** 2)
    return problem.solve(verbose=0)


def pepit_hb(L, mu, h, beta, n, quadratic):
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexFunction, SmoothStronglyConvexQuadraticFunction

    problem = PEP()
    cls = SmoothStronglyConvexQuadraticFunction if quadratic else SmoothStronglyConvexFunction
    f = problem.declare_function(cls, L=L, mu=mu)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x_prev, x = x0, x0
    for _ in range(n):
        x_prev, x = x, x - h * f.gradient(x) + beta * (x - x_prev)
    problem.set_performance_metric((x - xs) ** 2)
    return problem.solve(verbose=0)


def exact_quadratic_hb(L, mu, h, beta, n, grid=4001):
    """max over lambda in [mu, L] of (theta_n / theta_0)^2 with theta_{-1} = theta_0 (mpmath)."""
    best = mpmath.mpf(0)
    with mpmath.workdps(30):
        for i in range(grid):
            lam = mpmath.mpf(mu) + (mpmath.mpf(L) - mu) * i / (grid - 1)
            x_prev, x = mpmath.mpf(1), mpmath.mpf(1)
            for _ in range(n):
                x_prev, x = x, x - h * lam * x + beta * (x - x_prev)
            best = max(best, x * x)
    return best


def engine_bench() -> None:
    """Time `tune` per method, fresh caches, ratio to gradient descent's derivation."""
    import symadam
    from symadam.rates import engine as eng
    from symadam.rates.methods import THETA, THETA_PREV, IterationMap, Parameter

    zero, one = sympy.Integer(0), sympy.Integer(1)
    h = sympy.Symbol("h", positive=True)
    beta = sympy.Rational(99, 100)
    hb99 = IterationMap(name="hb-fixed", title="heavy ball, beta = 99/100",
                        state=(THETA, THETA_PREV),
                        params=(Parameter(h, "step", lower=zero, scale=-1),),
                        step=lambda st, grad, n=None: (st[0] - h * grad(st[0])
                                                       + beta * (st[0] - st[1]), st[0]),
                        fixed_point=(zero, zero), equations="x")
    a, b, g = sympy.symbols("alpha b3 gamma3", nonnegative=True)
    three = IterationMap(
        name="three-momentum", title="three-parameter momentum", state=(THETA, THETA_PREV),
        params=(Parameter(a, "step", lower=zero, scale=-1),
                Parameter(b, "momentum", lower=zero, upper=one, lower_open=False),
                Parameter(g, "extrapolation", lower=zero, upper=one, lower_open=False)),
        step=lambda st, grad, n=None: (st[0] + b * (st[0] - st[1])
                                       - a * grad(st[0] + g * (st[0] - st[1])), st[0]),
        fixed_point=(zero, zero), equations="x")
    rows, base = [], None
    for m in ("gd", "heavy-ball", "nesterov", "rmsprop", "adam", hb99, three):
        eng._tune.cache_clear()
        eng._linearize.cache_clear()
        t0 = time.perf_counter()
        c0 = time.process_time()
        t = symadam.tune(m)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        base = base or cpu
        name = m if isinstance(m, str) else m.name
        rows.append((name, wall, cpu, cpu / base, len(t.pieces),
                     ", ".join(str(x) for x in t.breakpoints) or "-"))
    print("\n| method | wall | CPU | CPU / gd | pieces | breakpoints |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.1f} s | {r[2]:.1f} s | {r[3]:.1f} | {r[4]} | {r[5]} |")


def main() -> None:
    import symadam
    from symadam.rates.methods import KAPPA, MU
    from symadam.rates.methods import L as Ls

    print(f"# bench_rates  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
          f"python {platform.python_version()}  cores: 2")
    base, _ = cold([sys.executable, "-c", "import symadam"])
    if "--engine" in sys.argv:
        wall, rc = cold(["symadam", "verify", "rates", "--json"])
        print(f"cold `symadam verify rates`: {wall:.1f} s (exit {rc}); cold `import symadam`: "
              f"{base:.1f} s; ratio {wall / base:.1f}")
        engine_bench()
        return
    wall, rc = cold(["symadam", "verify", "rates", "--json"])
    print(f"cold `symadam verify rates` (all rates.* claims, incl. Adam/RMSprop): {wall:.1f} s "
          f"(exit {rc}); cold `import symadam`: {base:.1f} s; ratio {wall / base:.1f}")
    mine = ["rates.gd", "rates.heavy_ball", "rates.nesterov", "rates.gd_optimal",
            "rates.heavy_ball_optimal", "rates.nesterov_optimal"]
    wall2, rc2 = cold(["symadam", "verify", *mine, "--json"])
    print(f"cold `symadam verify` of the 6 GD/heavy-ball/Nesterov claims: {wall2:.1f} s "
          f"(exit {rc2}); ratio to import {wall2 / base:.1f}")
    t0 = time.perf_counter()
    tunings = {m: symadam.tune(m) for m in ("gd", "heavy-ball")}
    print(f"engine derivations (gd + heavy-ball, warm process): {time.perf_counter() - t0:.1f} s")

    Lv, muv = 1.0, 0.01
    kappa = 100
    sub = {Ls: sympy.Integer(1), MU: sympy.Rational(1, 100)}
    h_gd = float(tunings["gd"].parameters["h"].subs(sub))
    rho_gd = float(tunings["gd"].rate.subs(KAPPA, kappa))
    print(f"\nGD, kappa = {kappa}, h = {h_gd:.6g}, closed form rho^(2n) with rho = {rho_gd:.6g}")
    print("| n | closed form | PEPit (smooth str. convex) | rel. err | PEPit (quadratics) | "
          "rel. err | s/point |")
    print("|---|---|---|---|---|---|---|")
    for n in (1, 2, 4, 8):
        cf = rho_gd ** (2 * n)
        t0 = time.perf_counter()
        a = pepit_gd(Lv, muv, h_gd, n, quadratic=False)
        b = pepit_gd(Lv, muv, h_gd, n, quadratic=True)
        dt = (time.perf_counter() - t0) / 2
        print(f"| {n} | {cf:.8f} | {a:.8f} | {abs(a - cf) / cf:.1e} | {b:.8f} | "
              f"{abs(b - cf) / cf:.1e} | {dt:.2f} |")

    hb = tunings["heavy-ball"]
    h_hb = float(hb.parameters["h"].subs(sub))
    beta = float(hb.parameters["beta"].subs(sub))
    rho = float(hb.rate.subs(KAPPA, kappa))
    print(f"\nHeavy ball (Polyak), kappa = {kappa}, h = {h_hb:.6g}, beta = {beta:.6g}, "
          f"asymptotic rate rho = {rho:.6g} (rho^(2n) = asymptotic envelope only)")
    print("| n | rho^(2n) | exact quadratic n-step (mpmath) | PEPit (quadratics) | rel. err | "
          "PEPit (smooth str. convex) | s/point |")
    print("|---|---|---|---|---|---|---|")
    for n in (1, 2, 4, 6):
        ex = float(exact_quadratic_hb(Lv, muv, h_hb, beta, n))
        t0 = time.perf_counter()
        q = pepit_hb(Lv, muv, h_hb, beta, n, quadratic=True)
        g = pepit_hb(Lv, muv, h_hb, beta, n, quadratic=False)
        dt = (time.perf_counter() - t0) / 2
        print(f"| {n} | {rho ** (2 * n):.6f} | {ex:.6f} | {q:.6f} | {abs(q - ex) / ex:.1e} | "
              f"{g:.4g} | {dt:.2f} |")


if __name__ == "__main__":
    main()
