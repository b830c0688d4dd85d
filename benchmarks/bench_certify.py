"""Certified (Arb ball arithmetic) against uncertified routes, timed in the same run.

Run: ``python benchmarks/bench_certify.py [--quick]`` (needs the ``[certify]`` extra).
Prints Markdown tables:

* rates: the five tuned methods at kappa = 100, the worst root modulus over all
  lambda in [mu, L] proven to 40 digits, against the mpmath 33-point grid
  (``worst_case_radius``) at 50 digits;
* Adam vector field: the zero for bernoulli:0.1, beta = (0.9, 0.99), eps = 0,
  proven to 25 digits (a guess from the mpmath route plus the proof), against
  the mpmath zero alone;
* Morse: the efficient critical points of seeded sweeps (tanh, logistic,
  softplus, gelu; width 2, 10 points) proven by the Krawczyk test and ball
  Cholesky, against the float64 certificate that labelled them.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from fractions import Fraction

import mpmath
import sympy


def bench_rates() -> None:
    from flint import fmpq

    from symadam.core.arb_bridge import to_arb, workprec
    from symadam.rates.engine import tune
    from symadam.rates.methods import KAPPA, MU, L
    from symadam.rates.spectral_arb import bits_for, certify_worst_radius
    from symadam.rates.spectral_mp import worst_case_radius

    eps = sympy.Symbol("eps", positive=True)
    print("| method | proven max modulus (40 digits) | boxes | certified s | mpmath grid s "
          "| ratio |")
    print("|---|---|---|---|---|---|")
    total = 0.0
    for m in ("gd", "heavy-ball", "nesterov", "adam", "rmsprop"):
        t = tune(m)
        t0 = time.perf_counter()
        with workprec(bits_for(40)):
            vals = {KAPPA: fmpq(100), MU: fmpq(1), L: fmpq(100), eps: fmpq(1, 1000)}
            p = {k: to_arb(v, vals) for k, v in t.parameters.items()}
            p["eps"] = to_arb(sympy.Rational(1, 1000))
            c = certify_worst_radius(m, p, 1, 100, digits=40)
            enc = c.enclosure().str(12, radius=True)
        tc = time.perf_counter() - t0
        total += tc
        t0 = time.perf_counter()
        if m in ("gd", "heavy-ball", "nesterov"):
            with mpmath.workdps(60):
                pm = {k: mpmath.mpf(str(sympy.N(v.subs({KAPPA: 100, MU: 1, L: 100}), 60)))
                      for k, v in t.parameters.items()}
            worst_case_radius(m, pm, 1, 100, 33, 50)
            tm = time.perf_counter() - t0
            print(f"| {m} | {enc} | {c.boxes} | {tc:.3f} | {tm:.3f} | {tc / tm:.2f} |")
        else:
            print(f"| {m} | {enc} | {c.boxes} | {tc:.3f} | - | - |")
    print(f"\nall five certified in {total:.2f} s\n")


def bench_avf() -> None:
    from flint import fmpq

    from symadam.avf.bias import first_order_bias
    from symadam.avf.field_arb import DiscreteLaw, certify_zero
    from symadam.avf.field_mp import avf_zero

    t0 = time.perf_counter()
    z = avf_zero("bernoulli:0.1", "0.9", "0.99", 0, dps=35,
                 guess=first_order_bias("bernoulli:0.1", "0.9", "0.99"))
    tm = time.perf_counter() - t0
    g = Fraction(mpmath.nstr(z.zero, 40, min_fixed=-100, max_fixed=100))
    t0 = time.perf_counter()
    c = certify_zero(DiscreteLaw.of([(0, fmpq(9, 10)), (1, fmpq(1, 10))]),
                     fmpq(g.numerator, g.denominator), fmpq(9, 10), fmpq(99, 100), 0, digits=25)
    tc = time.perf_counter() - t0
    print("| what | seconds |\n|---|---|")
    print(f"| mpmath zero (35 digits, the guess) | {tm:.1f} |")
    print(f"| proof of a unique zero in a 2e-25 bracket | {tc:.1f} |")
    print(f"| total certified | {tm + tc:.1f} |")
    print(f"\ncertified: {c.certified}; zero in [{mpmath.nstr(z.zero, 27)} +/- 1e-25]; "
          f"ratio proof / mpmath zero = {tc / tm:.2f}\n")


def bench_morse(problems: int) -> None:
    from symadam.morse.certify_arb import prove_critical_point
    from symadam.morse.sweep import morse_sweep
    from symadam.networks.problems import make_problem

    print("| activation | sweep s | efficient points | proven nondegenerate | proven minima "
          "| proof s | per point ms |")
    print("|---|---|---|---|---|---|---|")
    tot_pts = tot_s = 0
    for act in ("tanh", "logistic", "softplus", "gelu"):
        t0 = time.perf_counter()
        _, res = morse_sweep(act, 2, 10, problems, seed=0)
        ts = time.perf_counter() - t0
        c: Counter = Counter()
        t0 = time.perf_counter()
        for r in res:
            prob = make_problem(0, r["index"], 10, 1, "gp")
            for p in r["points"]:
                if p["domain"] != "efficient":
                    continue
                pr = prove_critical_point(p["theta"], prob.x.tolist(), prob.y.tolist(), act)
                c["n"] += 1
                c["nd"] += pr.nondegenerate
                c["min"] += pr.minimum
        tp = time.perf_counter() - t0
        tot_pts += c["n"]
        tot_s += tp
        print(f"| {act} | {ts:.1f} | {c['n']} | {c['nd']} | {c['min']} | {tp:.2f} | "
              f"{1000 * tp / max(c['n'], 1):.1f} |")
    print(f"\n{tot_pts} efficient critical points proven in {tot_s:.2f} s\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sweeps (a smoke test)")
    args = ap.parse_args()
    bench_rates()
    bench_avf()
    bench_morse(10 if args.quick else 100)


if __name__ == "__main__":
    main()
