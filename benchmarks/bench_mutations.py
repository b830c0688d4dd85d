"""Mutation benchmark: single-line faults in symadam's mathematics must be caught by ``verify``.

Run: ``python benchmarks/bench_mutations.py [--jobs 2] [--only ID ...] [--list] [--dry-run]
[--json] [--out FILE] [--timeout S] [--no-baseline]`` (not in CI: it takes minutes).

Each fault in :data:`FAULTS` names a file of the package, a short text that must occur in it
*exactly once* (the original), its replacement, and the ``symadam verify`` prefixes that ought
to notice.  For every fault the package ``symadam/`` is copied to a fresh temporary directory,
the one text is replaced there, and ``python -m symadam verify PREFIX... --json`` runs with
``PYTHONPATH`` pointing at the copy (the working tree is never touched).  The fault is

* **caught** if the command exits non-zero or any selected claim reports ``failed``/``error``
  (the row says which claims, and whether the mutated code crashed on import),
* **missed** if every selected claim is ``verified``,
* **stale** if the original text is not found (or found more than once): the package has
  changed under the benchmark; the fault must be re-pointed, never silently skipped.

Unless ``--no-baseline``, the union of the selected prefixes is first verified on an
unmodified copy: a "caught" means something only if the unmutated code verifies.  Exit status:
0 iff no fault is missed or stale and the baseline verifies; 1 otherwise.  Misses are explained
in ``benchmarks/RESULTS.md`` ("Mutation benchmark").

Faults are kept short and in the route modules (derivations and check routes), not in
``claims.py``; topics: rates, avf, relu, morse, existence, networks and the core helpers.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "symadam")


@dataclass(frozen=True)
class Fault:
    """One single-line fault: ``original`` (unique in ``file``) becomes ``replacement``."""

    id: str
    file: str            # relative to the repository root
    original: str
    replacement: str
    prefixes: tuple
    description: str


F = Fault
FAULTS: tuple = (
    # ---- rates ---------------------------------------------------------------------------
    F("rates-hb-momentum-sign", "symadam/rates/methods/heavy_ball.py",
      "theta - h * grad(theta) + beta * (theta - prev)",
      "theta - h * grad(theta) - beta * (theta - prev)",
      ("rates.heavy_ball",), "heavy-ball map: momentum term with the wrong sign"),
    F("rates-nesterov-grad-point", "symadam/rates/methods/nesterov.py",
      "return (y - h * grad(y), theta)", "return (y - h * grad(theta), theta)",
      ("rates.nesterov",), "Nesterov map: gradient at theta instead of the extrapolated y"),
    F("rates-gd-step-factor", "symadam/rates/methods/gd.py",
      "return (theta - h * grad(theta),)", "return (theta - 2 * h * grad(theta),)",
      ("rates.gd",), "GD map: step 2h (derived h = 1/(L+mu) instead of 2/(L+mu))"),
    F("rates-mp-nesterov-grad-point", "symadam/rates/iterate_mp.py",
      'return (y - p["h"] * grad(y), x)', 'return (y - p["h"] * grad(x), x)',
      ("rates.nesterov",), "check route: mpmath Nesterov recurrence evaluates grad at x"),
    F("rates-cluster-mean", "symadam/rates/spectral_mp.py",
      "return max(abs(mpmath.fsum(c) / len(c)) for c in clusters)",
      "return max(abs(c[0]) for c in clusters)",
      ("rates.heavy_ball",),
      "check route: a split double eigenvalue taken as one member, not the cluster mean"),
    F("rates-double-root-fit", "symadam/rates/adam_iterate_mp.py",
      "cnk = k / mpmath.sqrt(q)", "cnk = k / q",
      ("rates.adam",), "check route: double-root rate fit with R2/R1 = 1 - k/(c+n+k)"),
    F("rates-adam-bias-offbyone", "symadam/rates/adam_iterate_mp.py",
      "bc1 = one - p1 if bias_correction", "bc1 = one - p1 * b1 if bias_correction",
      ("rates.adam",), "mpmath Adam: first bias correction 1 - beta1^(n+1) (off by one)"),
    F("rates-adam-eps-inside-iterate", "symadam/rates/adam_iterate_mp.py",
      "den = ep + sv", "den = mpmath.sqrt(vh + ep)",
      ("rates.adam",), "mpmath Adam: eps inside the square root (the other convention)"),
    F("rates-jacobian-eps-inside", "symadam/rates/adam_jacobian_mp.py",
      "den = mpmath.sqrt(v + eps) if eps_inside else eps + mpmath.sqrt(v)",
      "den = mpmath.sqrt(v + eps)",
      ("rates.adam_linearization", "rates.adam_vs_full_jacobian"),
      "mpmath Adam step: eps inside the root for both conventions"),
    F("rates-jacobian-m-weight", "symadam/rates/adam_jacobian_mp.py",
      "m = beta1 * m + (1 - beta1) * g", "m = beta1 * m + g",
      ("rates.adam_linearization",), "mpmath Adam step: first moment without (1 - beta1)"),
    F("rates-adam-optimality-subs", "symadam/rates/adam_tuning.py",
      "p.subs(gamma, hb * eps / (1 - beta1))", "p.subs(gamma, hb * eps)",
      ("rates.adam_optimal",),
      "optimality derivation: h = gamma (1 - beta1)/eps inverted without (1 - beta1)"),
    # ---- avf -----------------------------------------------------------------------------
    F("avf-bias-k3-sign", "symadam/avf/bias.py",
      "kap: -k3 / J**2", "kap: k3 / J**2",
      ("avf.bias_expansion",), "first-order bias: kappa3(G) = +kappa3(X) (sign of G = theta - X)"),
    F("avf-bias-k3-batch", "symadam/avf/bias.py",
      "kap: -k3 / J**2", "kap: -k3 / J",
      ("avf.bias_expansion",), "first-order bias: third cumulant of a batch mean ~ 1/J, not 1/J^2"),
    F("avf-normal-batch-sd", "symadam/avf/laws.py",
      "(m, s / sympy.sqrt(J))", "(m, s / J)",
      ("avf.monte_carlo", "avf.laplace"), "normal batch mean with sd s/J instead of s/sqrt(J)"),
    F("avf-bernoulli-weights", "symadam/avf/laws.py",
      "[0, 1], [1 - p, p]", "[0, 1], [p, 1 - p]",
      ("avf.zero", "avf.bias_expansion"), "Bernoulli(p) with the probability weights swapped"),
    F("avf-kernel-sign", "symadam/avf/laplace.py",
      "1 / sqrt(pi * U) - eps * exp(", "1 / sqrt(pi * U) + eps * exp(",
      ("avf.kernel",), "kernel K_eps: sign of the eps correction"),
    F("avf-laplace-normal-root", "symadam/avf/laplace.py",
      "phi = exp(-C * mu**2 / den) / sqrt(den)", "phi = exp(-C * mu**2 / den) / den",
      ("avf.laplace",), "normal Laplace functional: 1/den instead of 1/sqrt(den)"),
    F("avf-quadrature-m-weight", "symadam/avf/_quadrature_mp.py",
      "a = 1 - b1\n", "a = 1 - b2\n",
      ("avf.exact", "avf.monte_carlo"), "field quadrature: M weights (1-beta2) beta1^k"),
    F("avf-quadrature-tail", "symadam/avf/_quadrature_mp.py",
      "(one - beta1 * beta2**r)", "(one - beta1 * beta2)",
      ("avf.exact",), "field quadrature: tail sum of a_k b_k^r with beta2 for beta2^r"),
    F("avf-mc-v-offbyone", "symadam/avf/mc_np.py",
      "b = (1 - beta2) * beta2**k", "b = (1 - beta2) * beta2**(k + 1)",
      ("avf.monte_carlo",), "Monte Carlo: V weights shifted by one step (off-by-one history)"),
    F("avf-mc-eps-inside", "symadam/avf/mc_np.py",
      "M / (eps + np.sqrt(V))", "M / np.sqrt(V + eps)",
      ("avf.monte_carlo",), "Monte Carlo: eps inside the square root"),
    # ---- networks (shared float64 routes) --------------------------------------------------
    F("networks-relu-d1-half", "symadam/networks/activations.py",
      "return (z > 0).astype(np.float64)", "return (z > 0) + 0.5 * (z == 0)",
      ("relu.fd_generic", "relu.kink_minimum"), "relu'(0) = 1/2 in the library activation"),
    F("networks-backprop-factor", "symadam/networks/backprop.py",
      "delta = (2.0 / n) * (zs[-1]", "delta = (1.0 / n) * (zs[-1]",
      ("relu.fd_generic",), "backprop: dL/dN = (1/n) r (factor 2 of the square dropped)"),
    F("networks-backprop-bias-mean", "symadam/networks/backprop.py",
      "gb = delta.sum(axis=1)", "gb = delta.mean(axis=1)",
      ("relu.fd_generic",), "backprop: bias gradient averaged over the data again"),
    F("networks-hessian-no-sigma2", "symadam/networks/hessian.py",
      "hess[:, iu[:, :, None], iu[:, None, :]] += A",
      "hess[:, iu[:, :, None], iu[:, None, :]] += 0 * A",
      ("morse.hessian_exact",), "float64 Hessian missing its sigma'' (second-derivative) term"),
    F("networks-tanh-d2-sign", "symadam/networks/activations.py",
      "return -2.0 * t * (1.0 - t * t)", "return 2.0 * t * (1.0 - t * t)",
      ("morse.hessian_exact",), "tanh'' with the wrong sign (float64)"),
    F("networks-gelu-d2", "symadam/networks/activations.py",
      "return (2.0 - z * z) * _phi(z)", "return (1.0 - z * z) * _phi(z)",
      ("morse.hessian_exact",), "GELU'' = (1 - z^2) phi instead of (2 - z^2) phi"),
    F("networks-kinks-last-layer", "symadam/networks/population.py",
      "for layer in range(net.depth):", "for layer in range(net.depth - 1):",
      ("relu.population",), "population risk: kinks of the last hidden layer not located"),
    F("networks-kink-root", "symadam/networks/population.py",
      "(v - u) / (z0[cross] - z1[cross])", "(v - u) / (z1[cross] - z0[cross])",
      ("existence.relu_exact",), "population risk: wrong breakpoint (secant root mirrored)"),
    # ---- relu ----------------------------------------------------------------------------
    F("relu-left-difference", "symadam/relu/checks_np.py",
      '"minus": (3 * L0 - 4 * Lm + Lm2) / (2 * h)', '"minus": (3 * L0 - 4 * Lm + Lm2) / h',
      ("relu.one_sided",), "check route: one-sided difference without its 1/2"),
    F("relu-hermite-quintic", "symadam/relu/smooth_np.py",
      "t * t * t * (6 + t * (-8 + 3 * t)) / r", "t * t * t * (10 + t * (-15 + 6 * t)) / r",
      ("relu.approximation",), "R_r = P(r z)/r with the smoothstep quintic (P'(1) = 0, not 1)"),
    F("relu-kink-example-data", "symadam/relu/gradient_exact.py",
      "y = [-s, 1 + 2 * s, 2 - s]", "y = [-s, 1 + s, 2 - s]",
      ("relu.kink_minimum",), "kink-minimum example: middle target 1 + s instead of 1 + 2s"),
    # ---- morse ---------------------------------------------------------------------------
    F("morse-kantorovich-factor", "symadam/morse/critical_np.py",
      "KANTOROVICH_FACTOR = 2.0", "KANTOROVICH_FACTOR = 0.2",
      ("morse.efficient_nondegenerate",), "certificate tau = 0.2 K eta (tenfold too weak)"),
    F("morse-mp-tanh-d2-sign", "symadam/morse/certify_mp.py",
      "return t, 1 - t * t, -2 * t * (1 - t * t)", "return t, 1 - t * t, 2 * t * (1 - t * t)",
      ("morse.hessian_exact",), "check route: mpmath tanh'' with the wrong sign"),
    F("morse-gauss-newton-factor", "symadam/morse/hessian_exact.py",
      "return J, sympy.Rational(2, len(xs)) * J.T * J",
      "return J, sympy.Rational(1, len(xs)) * J.T * J",
      ("morse.gauss_newton",), "exact Gauss-Newton matrix (1/n) J^T J (factor 2 dropped)"),
    F("morse-split-curvature-sign", "symadam/morse/redundant_np.py",
      "D = t * (1.0 - t) * v[j]", "D = -t * (1.0 - t) * v[j]",
      ("morse.redundant_split",), "split-neuron index prediction with the curvature sign flipped"),
    F("morse-heavy-ball-step", "symadam/morse/local_rates_np.py",
      '"h": 4.0 / (np.sqrt(L_)', '"h": 2.0 / (np.sqrt(L_)',
      ("morse.local_rates",), "heavy-ball tuning h = 2/(sqrt L + sqrt mu)^2 in the rate check"),
    # ---- existence -----------------------------------------------------------------------
    F("existence-kink-side", "symadam/existence/kinks.py",
      "active = (sj < 0) if lft else (sj > 0)", "active = (sj > 0) if lft else (sj < 0)",
      ("existence.relu_exact",), "exact ReLU risk: neurons active on the wrong side of the kink"),
    F("existence-pair-slope", "symadam/existence/responses.py",
      "A = (al + h / dl) / 2", "A = (al + h / dl)",
      ("existence.generalized_response_beaten",), "diverging pair: slope without the 1/2"),
    F("existence-step-window", "symadam/existence/responses.py",
      "d = Rational(1, 2) / n_sym", "d = Rational(1, 1) / n_sym",
      ("existence.step_not_attained",), "step target: pair window 1/n instead of 1/(2n)"),
    F("existence-smooth-moment", "symadam/existence/smooth_exact.py",
      "moment = sympy.integrate(x ** (2 * k), (x, a, b)) / (b - a)",
      "moment = sympy.integrate(x ** (2 * k), (x, a, b))",
      ("existence.smooth_not_attained",), "Taylor sequence risk: moment without 1/(b - a)"),
    # ---- core helpers --------------------------------------------------------------------
    F("core-digits-overcount", "symadam/core/identity.py",
      "int(mpmath.floor(-mpmath.log10(diff / scale)))",
      "int(mpmath.floor(-mpmath.log10(diff / scale))) + 3",
      ("rates.gd", "morse.gauss_newton"), "agreeing_digits over-counts by 3"),
    F("core-digits-absolute", "symadam/core/identity.py",
      "scale = max(abs(a), abs(b))", "scale = min(abs(a), abs(b), 1)",
      ("rates.gd", "avf.zero"), "agreeing_digits: scale min(|a|, |b|, 1) (absolute for |x| > 1)"),
)


def apply_fault(fault: Fault, dest: str) -> str | None:
    """Copy the package to ``dest`` and apply ``fault`` there; the reason if stale, else None."""
    shutil.copytree(PACKAGE, os.path.join(dest, "symadam"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    path = os.path.join(dest, fault.file)
    if not os.path.exists(path):
        return f"file {fault.file} does not exist"
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    count = text.count(fault.original)
    if count != 1:
        return f"original text found {count} times in {fault.file} (must be exactly once)"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(fault.original, fault.replacement, 1))
    return None


def run_verify(tree: str, prefixes, timeout: float) -> dict:
    """``python -m symadam verify PREFIX... --json`` on the copy at ``tree``."""
    env = dict(os.environ, PYTHONPATH=tree, PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "symadam", "verify", *prefixes, "--json"]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"rc": None, "claims": {}, "seconds": time.perf_counter() - t0,
                "stderr": f"timed out after {timeout:.0f} s"}
    claims = {}
    try:
        doc = json.loads(p.stdout)
        claims = {c["claim_id"]: c["status"] for c in doc.get("claims", [])}
    except (json.JSONDecodeError, TypeError, KeyError):
        pass
    tail = p.stderr.strip().splitlines()[-1:] if p.stderr.strip() else []
    return {"rc": p.returncode, "claims": claims, "seconds": time.perf_counter() - t0,
            "stderr": tail[0][:300] if tail else ""}


def which_package(tree: str) -> str:
    """The ``symadam/__init__.py`` a subprocess with ``PYTHONPATH=tree`` imports."""
    env = dict(os.environ, PYTHONPATH=tree, PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, "-c", "import symadam; print(symadam.__file__)"],
                         cwd=tree, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def judge(res: dict) -> tuple[str, str]:
    """("caught" | "missed", how) from a verify result."""
    bad = {k: v for k, v in res["claims"].items() if v != "verified"}
    if res["rc"] is None:
        return "caught", "timeout"
    if bad:
        return "caught", ", ".join(f"{k}: {v}" for k, v in sorted(bad.items()))
    if res["rc"] != 0:
        return "caught", f"exit {res['rc']} ({res['stderr'] or 'no claims reported'})"
    if not res["claims"]:
        return "missed", "no claims ran (prefix matches nothing?)"
    return "missed", "all verified"


def run_fault(fault: Fault, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"symadam-mut-{fault.id}-") as tree:
        stale = apply_fault(fault, tree)
        if stale:
            return {**asdict(fault), "status": "stale", "how": stale, "seconds": 0.0,
                    "claims": {}}
        res = run_verify(tree, fault.prefixes, timeout)
        status, how = judge(res)
        return {**asdict(fault), "status": status, "how": how, "seconds": res["seconds"],
                "claims": res["claims"]}


def baseline(faults, timeout: float) -> dict:
    prefixes = sorted({p for f in faults for p in f.prefixes})
    with tempfile.TemporaryDirectory(prefix="symadam-mut-baseline-") as tree:
        shutil.copytree(PACKAGE, os.path.join(tree, "symadam"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        where = which_package(tree)
        if not where.startswith(tree):
            raise SystemExit(f"error: PYTHONPATH does not take precedence: the copy imports "
                             f"{where}; the benchmark would test the working tree")
        res = run_verify(tree, prefixes, timeout * 3)
    bad = {k: v for k, v in res["claims"].items() if v != "verified"}
    return {"prefixes": prefixes, "ok": res["rc"] == 0 and not bad and bool(res["claims"]),
            "not_verified": bad, "seconds": res["seconds"], "stderr": res["stderr"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", metavar="ID", help="run only these fault ids")
    ap.add_argument("--list", action="store_true", help="list the faults and exit")
    ap.add_argument("--jobs", type=int, default=1, help="faults run concurrently (default 1)")
    ap.add_argument("--timeout", type=float, default=1800.0,
                    help="seconds per verify run (default 1800)")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip verifying the selected prefixes on the unmodified copy")
    ap.add_argument("--dry-run", action="store_true",
                    help="only apply each fault to a copy and report stale ones (seconds)")
    ap.add_argument("--json", action="store_true", help="machine output only on stdout")
    ap.add_argument("--out", metavar="FILE", help="also write the JSON document to FILE")
    args = ap.parse_args(argv)
    if args.jobs < 1:
        print("error: --jobs must be >= 1", file=sys.stderr)
        return 2
    faults = list(FAULTS)
    ids = [f.id for f in faults]
    if len(set(ids)) != len(ids):
        print("error: duplicate fault ids", file=sys.stderr)
        return 2
    if args.only:
        unknown = sorted(set(args.only) - set(ids))
        if unknown:
            print(f"error: unknown fault id(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        faults = [f for f in faults if f.id in args.only]
    if args.list:
        if args.json:
            print(json.dumps([asdict(f) for f in faults], indent=1))
        else:
            for f in faults:
                print(f"{f.id:<32} {f.file:<36} {' '.join(f.prefixes):<45} {f.description}")
            print(f"{len(faults)} faults")
        return 0
    if args.dry_run:
        stale = []
        for f in faults:
            with tempfile.TemporaryDirectory(prefix="symadam-mut-dry-") as tree:
                why = apply_fault(f, tree)
            if why:
                stale.append({"id": f.id, "file": f.file, "how": why})
        if args.json:
            print(json.dumps({"stale": stale, "total": len(faults)}, indent=1))
        else:
            for r in stale:
                print(f"STALE   {r['id']:<32} {r['how']}")
            print(f"{len(faults) - len(stale)}/{len(faults)} faults apply")
        return 1 if stale else 0
    t0 = time.perf_counter()
    base = None if args.no_baseline else baseline(faults, args.timeout)
    if base is not None and not args.json:
        print(f"baseline ({len(base['prefixes'])} prefixes, {base['seconds']:.0f} s): "
              f"{'all verified' if base['ok'] else 'NOT verified: ' + str(base['not_verified'])}"
              f"{' ' + base['stderr'] if not base['ok'] else ''}", flush=True)
    rows = []
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futs = {pool.submit(run_fault, f, args.timeout): f for f in faults}
        for fut in cf.as_completed(futs):
            r = fut.result()
            rows.append(r)
            if not args.json:
                flag = {"caught": "caught", "missed": "MISSED", "stale": "STALE"}[r["status"]]
                print(f"{flag:<7} {r['id']:<32} {r['seconds']:7.1f}s  {r['how'][:110]}",
                      flush=True)
    order = {f.id: i for i, f in enumerate(FAULTS)}
    rows.sort(key=lambda r: order[r["id"]])
    summary = {s: sum(r["status"] == s for r in rows) for s in ("caught", "missed", "stale")}
    summary.update(total=len(rows), seconds=time.perf_counter() - t0, jobs=args.jobs,
                   baseline_ok=None if base is None else base["ok"],
                   python=platform.python_version(), machine=platform.machine(),
                   cpus=os.cpu_count())
    doc = {"faults": rows, "baseline": base, "summary": summary}
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
    if args.json:
        print(json.dumps(doc, indent=1))
    else:
        print(f"\n{summary['caught']}/{summary['total']} caught, {summary['missed']} missed, "
              f"{summary['stale']} stale ({summary['seconds']:.0f} s, --jobs {args.jobs})")
        for r in rows:
            if r["status"] != "caught":
                print(f"  {r['status']}: {r['id']} ({r['file']}): {r['description']}")
    ok = summary["missed"] == 0 and summary["stale"] == 0 and (base is None or base["ok"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
