"""Benchmarks and figures for the ``sgd`` topic (issue 12).  Run: python benchmarks/bench_sgd.py

1. Speed: run-steps per second of the vectorised numpy simulations (constant-step
   SGD, SGD with decaying steps, Adam with averages) against torch loops over
   the same problem in the same run (optional: skipped without torch).
2. Figures for benchmarks/RESULTS.md: Łojasiewicz exponents (exact, level-set
   estimate, flow law measured on mpmath ODE solutions), measured against
   predicted SGD rates, Kesten indices against Hill estimates, averaged-Adam
   variance factors, learning-rate-adaptive runs.  Prints Markdown.
"""
from __future__ import annotations

import os
import platform
import time

import mpmath
import numpy as np
import sympy
from sympy import Rational

from symadam.core.identity import agreeing_digits
from symadam.sgd import checks
from symadam.sgd.adaptive_np import run_adaptive, run_plateau
from symadam.sgd.averaged import stationary_covariance
from symadam.sgd.averaged_np import across_runs, simulate_averaged_adam
from symadam.sgd.evaluate import tail_index
from symadam.sgd.invariant_np import hill, regression_chain, stationary_additive
from symadam.sgd.lojasiewicz import CATALOGUE, lojasiewicz
from symadam.sgd.sgd_np import simulate_decaying
from symadam.sgd.sgd_rates import noise_constant, predicted_exponent


def speed():
    rows = []
    R, N = 4096, 2000
    t0 = time.perf_counter()
    stationary_additive(0.1, 1.0, 1, R, N, seed=0)
    t_np = time.perf_counter() - t0
    t0 = time.perf_counter()
    simulate_decaying(lambda x: 4 * x * x * x, lambda x: x[:, 0] ** 4, [0.5], 0.0, 0.5, 0.55,
                      0.5, N, R, seed=0, marks=[N])
    t_dec = time.perf_counter() - t0
    t0 = time.perf_counter()
    simulate_averaged_adam("normal:0,1", 0.0, 1e-3, 0.9, 0.999, 1e-8, N, R, seed=0)
    t_adam = time.perf_counter() - t0
    try:
        from symadam.oracle.torch_sgd import torch_sgd_loop

        t_torch = torch_sgd_loop(R, N, 0.1, 0)
        t_torch1 = torch_sgd_loop(1, N // 10, 0.1, 0) * 10 * R    # one run at a time
    except ImportError:
        t_torch = t_torch1 = None
    rs = R * N
    rows.append(("numpy constant-step SGD (stationary_additive)", rs / t_np))
    rows.append(("numpy SGD, steps c n^-a, x^4 (simulate_decaying)", rs / t_dec))
    rows.append(("numpy Adam + 2 EMAs + window mean (simulate_averaged_adam)", rs / t_adam))
    if t_torch is not None:
        rows.append(("torch SGD loop, all runs in one tensor (autograd + optim.SGD)", rs / t_torch))
        rows.append(("torch SGD loop, one run at a time (extrapolated from 200 steps)",
                     rs / t_torch1))
    base = rs / t_torch if t_torch else None
    print(f"### Speed (R = {R} runs x {N} steps)\n")
    print("| engine | run-steps/s | ratio to torch (one tensor) |\n|---|---|---|")
    for name, v in rows:
        print(f"| {name} | {v:.3g} | {v / base:.2f} |" if base else f"| {name} | {v:.3g} | – |")
    print()


def exponents():
    print("### Łojasiewicz exponents\n")
    print("| objective | point | theta (exact) | kind | level-set estimate | flow law | "
          "predicted | measured on the mpmath flow | agreeing digits (of 30) |\n"
          "|---|---|---|---|---|---|---|---|---|")
    starts = {"x**4": (1,), "x**6": (1,), "x**3": (1,), "x**4 - y**2": (1, 0),
              "x**3 - 3*x*y**2": (1, 0), "x**4 + y**4": (1, Rational(1, 2)),
              "(x**2 + y**2 - 1)**2": (Rational(13, 10), Rational(2, 5)),
              "x**2 + 3*y**2": (1, 1)}
    for text, vs, pt in CATALOGUE:
        r = lojasiewicz(text, vs, pt)
        est = checks.numeric_exponent(text, vs, pt)
        m = checks.measured_flow(text, vs, pt, starts[text], r.flow_law, 30)
        if r.flow_law == "algebraic":
            pred, val, exact = f"f ~ t^-{r.flow_exponent}", m["beta"], r.flow_exponent
        else:
            pred, val, exact = f"f ~ exp(-{2 * r.rate} t)", m["twice_rate"], 2 * r.rate
        with mpmath.workdps(40):
            dig = agreeing_digits(val, mpmath.mpf(sympy.N(exact, 40)))
        print(f"| `{text}` | {pt} | {r.theta} | {r.kind} | {est['theta']:.6f} | {r.flow_law} "
              f"| {pred} | {mpmath.nstr(val, 12)} | {min(dig, 30)} |")
    print()


def rates():
    print("### SGD / momentum SGD with steps c n^-a: measured against predicted\n")
    print("| objective | beta | c | a | sigma | predicted exponent | measured (+- SE) | "
          "n^a E[f-f*] / C |\n|---|---|---|---|---|---|---|---|")
    cases = (("x**4", ("x",), (0,), (0.5,), 0.5, 0.55, 0.5, 0.0),
             ("x**4", ("x",), (0,), (0.5,), 0.25, 0.55, 0.5, 0.5),
             ("x**4", ("x",), (0,), (0.5,), 0.5, 0.9, 0.5, 0.0),
             ("(x**2 + y**2 - 1)**2", ("x", "y"), (1, 0), (1.2, 0.3), 0.2, 0.6, 1.0, 0.0),
             ("(x**2 + y**2 - 1)**2", ("x", "y"), (1, 0), (1.2, 0.3), 0.2, 0.8, 1.0, 0.0))
    for i, (text, vs, pt, x0, c, a, s, b) in enumerate(cases):
        r = lojasiewicz(text, vs, pt)
        pred = predicted_exponent(r.theta, a)
        q = 2 if r.theta == Rational(1, 2) else r.order
        C = float(noise_constant(q, 1, c, s, b))
        sim = checks.decaying_run(text, vs, pt, x0, c, a, s, b, 1000, 50000,
                                  np.random.SeedSequence(i))
        noise_dom = pred == sympy.nsimplify(a)
        ratio = f"{sim['final_scaled'] / C:.3f}" if noise_dom else "– (flow-dominated)"
        print(f"| `{text}` | {b} | {c} | {a} | {s} | {pred} | {-sim['slope']:.3f} +- "
              f"{sim['slope_se']:.3f} | {ratio} |")
    print()


def kesten():
    print("### Kesten tail index of regression SGD (a ~ N(0,1), J = 1) against Hill\n")
    print("| gamma | kappa (closed form, 15 digits) | Hill (top 800 of 250000) | SE | z |\n"
          "|---|---|---|---|---|")
    for i, g in enumerate(("0.3", "0.5", "0.6", "2/3", "0.8", "1")):
        gr = sympy.Rational(g)
        k = tail_index(gr, 1, 15)
        r = regression_chain(float(gr), 1, 1.0, 250000, 150, seed=100 + i, burn=149, every=1)
        h, se = hill(r["abs_e"], 800)
        print(f"| {g} | {k} | {h:.4f} | {se:.4f} | {(h - float(k)) / se:+.2f} |")
    print()


def averaged():
    print("### Averaged Adam: variance factors (Bernoulli(0.1), beta1 = 0.9, beta2 = 0.99, "
          "eps = 0, 1000 runs)\n")
    z = checks.adam_zero("bernoulli:0.1", "0.9", "0.99")
    P = sympy.nsimplify(1 / np.sqrt((z - 0.1) ** 2 + 0.09), rational=True, tolerance=1e-15)
    print(f"zero of the Adam field {z:.10f} (minimizer 0.1)\n")
    print("| lr | estimator | Var (linearised, exact) | Var simulated (+- SE) | factor vs iterate "
          "(exact / simulated) | mean - zero (+- SE) | (mean - 0.1)/SE |\n"
          "|---|---|---|---|---|---|---|")
    for i, lr in enumerate((2e-3, 1e-3)):
        n, win = int(40 / lr), int(30 / lr)
        r = simulate_averaged_adam("bernoulli:0.1", z, lr, 0.9, 0.99, 0.0, n, 1000,
                                   np.random.SeedSequence(50 + i), window=win)
        g = sympy.nsimplify(lr)
        b1, q = Rational(9, 10), Rational(9, 100)
        pred = {"final": stationary_covariance(g, P, 1, b1, q)[0, 0],
                "ema_0.99": stationary_covariance(g, P, 1, b1, q, Rational(99, 100))[2, 2],
                "ema_0.999": stationary_covariance(g, P, 1, b1, q, Rational(999, 1000))[2, 2],
                "arithmetic": q / win}
        v0 = across_runs(r["final"])["var"]
        for key, pv in pred.items():
            s = across_runs(r[key])
            print(f"| {lr} | {key} | {float(pv):.4e} | {s['var']:.4e} +- {s['var_se']:.1e} | "
                  f"{float(pv / pred['final']):.4f} / {s['var'] / v0:.4f} | "
                  f"{s['mean'] - z:+.2e} +- {s['mean_se']:.1e} | "
                  f"{(s['mean'] - 0.1) / s['mean_se']:+.1f} |")
    print()


def adaptive():
    print("### Learning-rate-adaptive SGD on E[(theta - X)^2]/2 (500 runs, theta0 = 3)\n")
    print("| rule | gradient evaluations | geometric mean of gamma | E F - F* (+- SE) |\n"
          "|---|---|---|---|")
    res = {"adaptive, preset invariant (ours)": run_adaptive("invariant", 0.5, 60000, 500, 1),
           "adaptive, preset group (code defaults)": run_adaptive("group", 0.5, 60000, 500, 1),
           "constant 0.5": run_plateau(0.5, 80000, 500, 1, patience=10**9),
           "constant 0.05": run_plateau(0.05, 80000, 500, 1, patience=10**9),
           "ReduceLROnPlateau (factor 0.1, patience 10 epochs of 50 steps)":
               run_plateau(0.5, 80000, 500, 1)}
    for name, r in res.items():
        for i in (len(r["work"]) // 2, -1):
            print(f"| {name} | {r['work'][i]:.0f} | {r['gamma_geomean'][i]:.3e} | "
                  f"{r['excess'][i]:.3e} +- {r['excess_se'][i]:.1e} |")
    print()


if __name__ == "__main__":
    print(f"# bench_sgd  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
          f"{platform.machine()}  cores={os.cpu_count()}  numpy {np.__version__}\n")
    t0 = time.perf_counter()
    speed()
    exponents()
    rates()
    kesten()
    averaged()
    adaptive()
    print(f"total {time.perf_counter() - t0:.0f} s")
