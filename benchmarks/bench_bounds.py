"""Benchmark and tables for the bounds topic (issue 11); prints Markdown for RESULTS.md.

1. run-steps per second of the vectorised numpy Adam (``bounds.sim_np.quadratic_sup``)
   against ``torch.optim.Adam`` in the same run: a length-R parameter (one element per run,
   torch's own vectorisation) and a per-run Python loop;
2. the adversarial search (multistart maximisation, sharpness construction) timings;
3. C_n and C_inf (and the a priori constant K) for common (beta1, beta2);
4. tightness of the a priori bound B: adversarial, random adversaries, stochastic runs;
5. the second-order bias coefficient against exact zeros of the Adam vector field.

Usage: ``python benchmarks/bench_bounds.py [--quick]``.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import mpmath
import numpy as np
import sympy

from symadam.avf.bias import first_order_bias
from symadam.avf.bias_order2 import second_order_bias
from symadam.avf.field_mp import avf_zero
from symadam.avf.laws import parse_data
from symadam.bounds.apriori import apriori_constant
from symadam.bounds.search_np import multistart_max
from symadam.bounds.sim_np import adversarial_rises, quadratic_sup, random_adversary
from symadam.bounds.step import c_inf, step_bound_n


def _cn(b1, b2, n):
    e, s = step_bound_n(b1, b2, n)
    return float(sympy.sqrt(e.evalf(30, subs=s)))


def throughput(runs: int, steps: int) -> list[tuple[str, float]]:
    law = parse_data("uniform:-1,1")
    out = []
    t = time.perf_counter()
    quadratic_sup("adam", [1.0], law, 0.0, 1e-2, steps, runs, 0)
    out.append((f"numpy, {runs} runs vectorised (bounds.sim_np)",
                runs * steps / (time.perf_counter() - t)))
    try:
        import torch
    except ImportError:
        return out
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    X = torch.from_numpy(rng.uniform(-1, 1, (steps, runs)))
    p = torch.zeros(runs, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=1e-2, betas=(0.9, 0.999), eps=1e-8)
    t = time.perf_counter()
    for i in range(steps):
        p.grad = (p.detach() - X[i])
        opt.step()
    out.append((f"torch.optim.Adam, one length-{runs} parameter",
                runs * steps / (time.perf_counter() - t)))
    few = 8
    t = time.perf_counter()
    for j in range(few):
        q = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        o = torch.optim.Adam([q], lr=1e-2, betas=(0.9, 0.999), eps=1e-8)
        for i in range(steps):
            q.grad = q.detach() - X[i, j:j + 1]
            o.step()
    out.append(("torch.optim.Adam, Python loop over runs", few * steps / (
        time.perf_counter() - t)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    steps = 2000 if args.quick else 10000
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print("| implementation | run-steps / s | ratio to torch loop |\n|---|---|---|")
    rows = throughput(1024, steps)
    base = rows[-1][1] if len(rows) == 3 else rows[0][1]
    for name, rate in rows:
        print(f"| {name} | {rate:.3g} | {rate / base:.0f} |")

    t = time.perf_counter()
    multistart_max(0.9, 0.999, 40, 256, 0)
    t_ms = time.perf_counter() - t
    t = time.perf_counter()
    adversarial_rises(0.9, 0.999, [0, 300, 30000], [3, 30, 3000], 4000)
    t_adv = time.perf_counter() - t
    print(f"\nmultistart maximisation (n = 40, 256 starts, 400 vectorised ascent steps + 6 "
          f"L-BFGS-B polishes): {t_ms:.2f} s; sharpness construction (9 variants, 37000 steps): "
          f"{t_adv:.2f} s\n")

    print("| beta1 | beta2 | C_10 | C_100 | C_1000 | C_inf | K = C_inf/(1-beta1/sqrt(beta2)) |")
    print("|---|---|---|---|---|---|---|")
    for b1, b2 in (("0.9", "0.999"), ("0.9", "0.99"), ("0.95", "0.999"), ("0.9", "0.9999"),
                   ("0.5", "0.999"), ("0", "0.999"), ("0.99", "0.999")):
        cs = [f"{_cn(b1, b2, n):.6f}" for n in (10, 100, 1000)]
        ci = float(sympy.N(c_inf(b1, b2), 20))
        K = float(sympy.N(apriori_constant(b1, b2), 20))
        print(f"| {b1} | {b2} | {' | '.join(cs)} | {ci:.6f} | {K:.4f} |")

    print("\n| tightness of B (b + gamma K) | max excursion / (gamma K) |\n|---|---|")
    for b1, b2 in ((0.9, 0.999), (0.9, 0.99), (0.5, 0.75)):
        K = float(sympy.N(apriori_constant(str(b1), str(b2)), 20))
        rel = adversarial_rises(b1, b2, [0, 30000], [30, 3000], 4000)["rise"] / K
        print(f"| sharpness construction, beta = ({b1}, {b2}) | {rel.max():.9f} |")
    K = float(sympy.N(apriori_constant("0.9", "0.999"), 20))
    ra = random_adversary(0.9, 0.999, 1.0, -1.0, 1.0, 0.0, steps * 2, 512, 1)
    print(f"| 512 random sign-respecting adversaries, {steps * 2} steps | "
          f"{max(ra['max'].max() - 1, -1 - ra['min'].min()) / K:.4f} |")
    for spec in ("uniform:-1,1", "bernoulli:0.3", "normal:0,1"):
        for lr in (1e-2, 1.0, 100.0):
            o = quadratic_sup("adam", [0.1, 1.0, 10.0], parse_data(spec), 0.0, lr, steps * 2,
                              256, 2)
            ex = np.maximum(o["above"], o["below"]).max() / (lr * K)
            print(f"| stochastic Adam, {spec}, lr = {lr:g}, 256 runs x 3 coords | {ex:.4f} |")

    print("\n| data | J | beta2 | exact bias | b_1 + b_2 | b_2 | (exact - b_1)/b_2 |")
    print("|---|---|---|---|---|---|---|")
    pts = [("discrete:-1,2,4@0.4,0.5,0.1", J, b2) for J in (1, 2)
           for b2 in ("0.9", "0.99", "0.999", "0.9999")]
    pts += [("bernoulli:0.1", 1, b2) for b2 in ("0.99", "0.999", "0.9999")]
    for spec, J, b2 in pts:
        fo = first_order_bias(spec, "0.9", b2, 0, J)
        so = second_order_bias(spec, "0.9", b2, 0, J)
        try:
            z = avf_zero(spec, "0.9", b2, 0, J, dps=20, guess=fo + so)
        except ValueError as exc:
            print(f"| {spec} | {J} | {b2} | ({exc}) | | | |")
            continue
        with mpmath.workdps(30):
            r = (z.bias - mpmath.mpf(str(sympy.N(fo, 30)))) / mpmath.mpf(str(sympy.N(so, 30)))
            name = "{-2,1,3}+1" if spec.startswith("discrete") else spec
            print(f"| {name} | {J} | {b2} | {mpmath.nstr(z.bias, 8)} | "
                  f"{float(fo + so):.8g} | {float(so):.6g} | {mpmath.nstr(r, 8)} |")


if __name__ == "__main__":
    main()
