"""Benchmarks for the Adam vector field (issues 4, 15).  Run: python benchmarks/bench_avf.py

1. Continuous data at any beta2 (issue 15): ``avf_value`` to 30 digits (both
   precisions of its check) for normal, uniform, uniform batch means
   (Irwin--Hall), exponential and Gamma (exponential batch means) data at
   beta2 in {0.9, 0.99, 0.999, 0.9999}, against the previous route (the head of
   the history product summed factor by factor, ``route="direct"``), one pass at
   38 working digits, stopped after ``--cap`` seconds.  ``--quick`` skips it.
2. Exact A(theta) for Bernoulli(0.1) data, beta1 = 0.9, beta2 = 0.999, eps = 0,
   30 correct digits, against a plain truncated-product quadrature baseline
   (K = log(10^-D)/log(beta2) factors per node, tanh-sinh), whose run time is
   extrapolated from a capped sample of nodes, and against Monte Carlo.
3. Stochastic Adam: steps per second (runs x steps) of the vectorized engine
   against a torch.optim.Adam loop on the same problem.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mpmath
import numpy as np

from symadam.avf._law_mp import GradientLaw
from symadam.avf._quadrature_mp import AVFIntegrand, integrate_avf
from symadam.avf.field_mp import avf_value
from symadam.avf.laws import parse_data
from symadam.avf.mc_np import avf_mc
from symadam.avf.sim_np import simulate_adam
from symadam.core.identity import agreeing_digits

THETA = "0.12"

#: (label, spec, batch J) of the continuous families of issue 15.
FAMILIES = [("normal", "normal:0,1", 1), ("uniform", "uniform:-1,2", 1),
            ("uniform, J = 3 (Irwin-Hall)", "uniform:-1,2", 3),
            ("exponential", "exponential:1", 1), ("Gamma (exponential, J = 4)", "exponential:1", 4)]
BETA2S = ("0.9", "0.99", "0.999", "0.9999")


def _direct_pass(spec, J, b2, out):
    """The previous route: one pass at 38 working digits, head summed factor by factor."""
    gl = GradientLaw(spec, J)
    t0 = time.process_time()
    with mpmath.workdps(38):
        f = AVFIntegrand(gl, mpmath.mpf("0.3"), mpmath.mpf("0.9"), mpmath.mpf(b2),
                         mpmath.mpf(0))
        v, _ = integrate_avf(f, route="direct")
        out.put((mpmath.nstr(v, 38), time.process_time() - t0))


_REV_SCRIPT = """
import json, sys, time
tree = sys.argv[4]
# an editable install's finder would import this tree's symadam: drop it, use the export
sys.meta_path = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path.insert(0, tree)
import mpmath
import symadam
assert symadam.__file__.startswith(tree), symadam.__file__
from symadam.avf.field_mp import avf_value
spec, J, b2 = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c0 = time.process_time()
r = avf_value(spec, "0.3", "0.9", b2, 0, J, dps=30)
print(json.dumps({"value": mpmath.nstr(r.value, 40), "cpu": time.process_time() - c0}))
"""


def _revision_tree(rev):
    """``symadam/`` of git revision ``rev`` exported to a temporary directory."""
    tmp = Path(tempfile.mkdtemp(prefix="avf_rev_"))
    root = Path(__file__).resolve().parents[1]
    arch = subprocess.run(["git", "-C", str(root), "archive", rev, "symadam"], check=True,
                          capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=arch, check=True)
    return tmp


def _revision_value(tree, spec, J, b2, cap):
    """``avf_value(dps=30)`` as implemented at the exported revision: (value, CPU s) or None."""
    try:
        out = subprocess.run([sys.executable, "-c", _REV_SCRIPT, spec, str(J), b2, str(tree)],
                             capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None
    d = json.loads(out.stdout.strip().splitlines()[-1])
    return d["value"], d["cpu"]


def continuous_part(cap, rev=None):
    tree = _revision_tree(rev) if rev else None
    rows = []
    for label, spec, J in FAMILIES:
        for b2 in BETA2S:
            t0, c0 = time.perf_counter(), time.process_time()
            r = avf_value(spec, "0.3", "0.9", b2, 0, J, dps=30)
            t_new, c_new = time.perf_counter() - t0, time.process_time() - c0
            row = {"family": label, "beta2": b2, "new_s": t_new, "new_cpu": c_new,
                   "digits": r.digits,
                   "value": mpmath.nstr(r.value, 30), "old_s": None, "agree": None}
            if cap > 0:
                q = mp.Queue()
                p = mp.Process(target=_direct_pass, args=(spec, J, b2, q))
                p.start()
                p.join(cap)
                if p.is_alive():
                    p.terminate()
                    p.join()
                else:
                    v_old, t_old = q.get()
                    with mpmath.workdps(40):
                        d = mpmath.mpf(v_old) - r.value
                        row["agree"] = 30 if d == 0 else int(-mpmath.log10(abs(d / r.value)))
                    row["old_s"] = t_old
            rows.append(row)
            old = ("> %d s wall (stopped)" % cap if row["old_s"] is None else
                   f"{row['old_s']:.1f} s CPU, agrees to {row['agree']} digits") if cap > 0 else "-"
            line = (f"{label:30s} beta2={b2:7s} new {t_new:6.2f} s wall {c_new:6.2f} s CPU "
                    f"({r.digits} digits)   head factor by factor, one pass: {old}")
            if tree is not None:
                got = _revision_value(tree, spec, J, b2, cap)
                if got is None:
                    line += f"   {rev}: > {cap:.0f} s wall (stopped)"
                else:
                    with mpmath.workdps(40):
                        d = mpmath.mpf(got[0]) - r.value
                        ag = 30 if d == 0 else int(-mpmath.log10(abs(d / r.value)))
                    line += f"   {rev}: {got[1]:.1f} s CPU, agrees to {ag} digits"
            print(line, flush=True)
    return rows


def exact_part():
    t0 = time.perf_counter()
    ref = avf_value("bernoulli:0.1", THETA, "0.9", "0.999", 0, dps=50).value
    t_ref = time.perf_counter() - t0
    gl = GradientLaw("bernoulli:0.1")
    t0 = time.perf_counter()
    with mpmath.workdps(38):   # what avf_value(dps=30) computes first (dps + 8 guard digits)
        f = AVFIntegrand(gl, mpmath.mpf(THETA), mpmath.mpf("0.9"), mpmath.mpf("0.999"),
                         mpmath.mpf(0))
        v, _ = integrate_avf(f)
    t_single = time.perf_counter() - t0
    d_single = agreeing_digits(v, ref)
    t0 = time.perf_counter()
    r = avf_value("bernoulli:0.1", THETA, "0.9", "0.999", 0, dps=30)
    t_checked = time.perf_counter() - t0
    d_checked = agreeing_digits(r.value, ref)
    return ref, t_ref, t_single, d_single, t_checked, d_checked


def baseline_part(D=30, sample_nodes=6):
    """Plain route: A = pi^-1/2 int t^-1/2 prod_{j<K} phi(t b_j) sum_k a_k psi/phi dt."""
    b1, b2 = mpmath.mpf("0.9"), mpmath.mpf("0.999")
    with mpmath.workdps(D + 8):
        K = int(math.ceil((D + 5) * math.log(10) / -math.log(0.999)))
        th = mpmath.mpf(THETA)
        at = [(th, mpmath.mpf("0.9")), (th - 1, mpmath.mpf("0.1"))]

        def integrand(t):
            logp, s = mpmath.mpf(0), mpmath.mpf(0)
            c, a = t * (1 - b2), 1 - b1
            for _ in range(K):
                e = [p * mpmath.exp(-c * g * g) for g, p in at]
                ph = e[0] + e[1]
                logp += mpmath.log(ph)
                s += a * (e[0] * at[0][0] + e[1] * at[1][0]) / ph
                c *= b2
                a *= b1
            return mpmath.exp(logp) * s / mpmath.sqrt(mpmath.pi * t)

        t0 = time.perf_counter()
        for i in range(sample_nodes):
            integrand(mpmath.mpf(i + 1) / 3)
        per_node = (time.perf_counter() - t0) / sample_nodes
        # node count: tanh-sinh on the same (smooth, endpoint-singular) integrand at D + 8 digits
        counter = [0]
        gl = GradientLaw("bernoulli:0.1")
        f = AVFIntegrand(gl, th, b1, b2, mpmath.mpf(0))

        def counted(w):
            counter[0] += 1
            return f(w)

        mpmath.quad(counted, [0, 1, 2, 4, 8, 16, mpmath.inf], method="tanh-sinh")
    return K, per_node, counter[0], per_node * counter[0]


def mc_part(ref):
    law = parse_data("bernoulli:0.1")
    t0 = time.perf_counter()
    r = avf_mc(law, [float(THETA)], 0.9, 0.999, 0.0, 400, 1)
    t = time.perf_counter() - t0
    digits = -math.log10(r["se"][0] / abs(float(ref)))
    return t, r["se"][0], digits


def sim_part():
    law = parse_data("normal:0,1")
    R, N = 2000, 5000
    t0 = time.perf_counter()
    simulate_adam(law, 0.3, 1e-3, 0.9, 0.999, 1e-8, N, R, 1)
    t_np = time.perf_counter() - t0
    rate_np = R * N / t_np
    try:
        import torch
    except ImportError:  # pragma: no cover
        return rate_np, None
    p = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    xs = np.random.default_rng(0).normal(size=3000)
    t0 = time.perf_counter()
    for x in xs:
        opt.zero_grad()
        (0.5 * (p - float(x))**2).sum().backward()
        opt.step()
    rate_torch = len(xs) / (time.perf_counter() - t0)
    return rate_np, rate_torch


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap", type=float, default=60, help="seconds per previous-route pass "
                    "(0: skip the previous route)")
    ap.add_argument("--quick", action="store_true", help="skip part 1")
    ap.add_argument("--baseline-rev", default=None, metavar="REV",
                    help="also time avf_value(dps=30) as implemented at git revision REV "
                         "(exported with git archive; same --cap)")
    ap.add_argument("--only-continuous", action="store_true", help="part 1 only")
    args = ap.parse_args()
    print(f"# bench_avf  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
          f"{platform.machine()}  cores={os.cpu_count()}  load={os.getloadavg()[0]:.1f}  "
          f"mpmath backend={mpmath.libmp.BACKEND}")
    if not args.quick:
        continuous_part(args.cap, args.baseline_rev)
    if args.only_continuous:
        return
    ref, t_ref, t1, d1, t2, d2 = exact_part()
    print(f"reference A({THETA}) at 50 digits = {mpmath.nstr(ref, 50)}  ({t_ref:.2f} s)")
    print(f"exact, one evaluation at 38 working digits: {t1:.2f} s, {d1} correct digits")
    print(f"exact, avf_value(dps=30) incl. the higher-precision check: {t2:.2f} s, {d2} digits")
    K, per_node, nodes, total = baseline_part()
    print(f"baseline (truncated product, K={K} factors/node): {per_node:.3f} s/node x {nodes} "
          f"nodes = {total:.0f} s extrapolated for 30 digits; ratio {total / t1:.0f}x")
    t, se, dig = mc_part(ref)
    print(f"Monte Carlo: {t:.2f} s, SE {se:.2e} -> {dig:.1f} digits ({dig / t:.2f} digits/s; "
          "each further digit costs 100x the time)")
    rate_np, rate_torch = sim_part()
    print(f"simulation: {rate_np:.3e} Adam steps/s (2000 runs x 5000 steps)")
    if rate_torch:
        print(f"torch.optim.Adam loop: {rate_torch:.3e} steps/s; ratio {rate_np / rate_torch:.0f}x")


if __name__ == "__main__":
    main()
