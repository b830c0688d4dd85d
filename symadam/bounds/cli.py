"""``symadam bounds {step,stability,rms-step}``: Adam's step bound, stability region, RMS step.

Contract (scripts depend on it; every number with more than float64 precision is a decimal
string, every formula a string ``sympy.sympify`` parses in the documented symbols)::

    symadam bounds step --beta1 B1 --beta2 B2 [--eps E] [--n N] [--gamma G] [--dps D] --json
        -> {"C_n": "<D digits>" (with --n), "C_inf": "<D digits>" or null, "extremal": [...],
            "extremal_terms", "formula_C_n_squared", "formula_C_inf",
            with --gamma: "max_step" (gamma C_n or gamma C_inf), "apriori_radius" (gamma K)}
    symadam bounds stability --beta1 B1 --eps E --L L [--beta2 B2] [--gamma G] --json
        -> {"gamma_max": "<decimal>", "formula": "2*eps*(beta1 + 1)/(L*(1 - beta1))",
            with --gamma beyond gamma_max: "two_cycle_amplitude", "two_cycle_attracting"}
    symadam bounds rms-step --data SPEC --theta T --beta1 B1 --beta2 B2 [--eps E] [--batch J]
                            [--dps D] [--simulate RUNS] --json
        -> {"rms_step_over_gamma": "<D digits>", "digits", with --simulate: "simulated"}

``extremal``: the gradients ``g_1..g_n`` (oldest first, newest = 1) that attain ``C_n``; at
most the newest 1000 terms (``extremal_terms`` says how many of how many); without ``--n``
the newest 20 terms of the limiting sequence ``g_{n-j} = (beta1/beta2)^j``.  With
``eps > 0`` the supremum of ``|mhat|/(eps + sqrt vhat)`` is still ``C_n`` (not attained).
Exit status: 0 success; 1 a numerical route fell short of ``--dps`` after one escalation;
2 bad input (``beta`` outside [0, 1), ``beta1^2 >= beta2`` where ``C_inf`` is requested,
``gamma <= 0``, non-finite numbers, numbers beyond ``1e+-1000`` or longer than 1000
characters, ``--dps`` above 1000 (100 for ``rms-step``), ``rms-step --batch`` above 100 or a
mini-batch law of more than 2000 atoms, a simulation larger than the machine's memory).
"""
from __future__ import annotations

import argparse
import sys

import mpmath
import sympy

from ..core.cli_common import add_dps, add_json, emit_json

COMMAND = "bounds"
_MAX_EXTREMAL = 1000
#: Largest ``--dps`` (the exact formulas are evaluated at ``dps + 40`` digits).
MAX_DPS = 1000
#: Largest ``--batch`` of ``rms-step`` and largest support of the mini-batch mean's law: the
#: Laplace route costs about 0.1 s per atom at 30 digits.
MAX_BATCH = 100
MAX_ATOMS = 2000
#: Largest ``--dps`` of ``rms-step`` (about 3 minutes at 100 digits for +-1 data).
MAX_RMS_DPS = 100


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam bounds {step,stability,rms-step}``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> a = build_parser().parse_args(["bounds", "step", "--beta1", "0.9", "--beta2", "0.999"])
    >>> a.action, a.n, a.dps
    ('step', None, 30)
    """
    p = sub.add_parser(COMMAND, help="Adam's step bound, stability region and RMS step")
    p.add_argument("action", choices=("step", "stability", "rms-step"))
    p.add_argument("--beta1", default="0.9", help="Adam's beta1 (papers' alpha), default 0.9")
    p.add_argument("--beta2", default="0.999", help="Adam's beta2 (papers' beta), default 0.999")
    p.add_argument("--eps", default="0", help="eps outside the root, default 0")
    p.add_argument("--n", default=None, help="step: number of steps n >= 1")
    p.add_argument("--gamma", default=None, help="learning rate gamma > 0 (optional)")
    p.add_argument("--L", dest="L", default=None, help="stability: largest Hessian eigenvalue")
    p.add_argument("--data", default=None, metavar="SPEC", help="rms-step: data law (as avf)")
    p.add_argument("--theta", default=None, help="rms-step: the frozen theta")
    p.add_argument("--batch", type=int, default=1, help="rms-step: mini-batch size J")
    p.add_argument("--simulate", type=int, default=None, metavar="RUNS",
                   help="rms-step: also estimate by RUNS simulated moment chains")
    p.add_argument("--seed", type=int, default=0, help="seed of --simulate")
    add_dps(p, default=30)
    add_json(p)
    return p


def _dec(expr, subs: dict | None, dps: int) -> str:
    """``expr`` at ``subs`` as a decimal string of ``dps`` digits (two-precision check)."""
    v1 = sympy.sympify(expr).evalf(dps + 20, subs=subs or {})
    v2 = sympy.sympify(expr).evalf(dps + 40, subs=subs or {})
    with mpmath.workdps(dps + 40):
        a, b = mpmath.mpf(str(v1)), mpmath.mpf(str(v2))
        if a != b and abs(a - b) > abs(b) * mpmath.mpf(10)**(-(dps + 5)):  # pragma: no cover
            raise ArithmeticError("evaluation is not stable under raising the precision")
        return mpmath.nstr(b, dps)


def _gamma(text):
    from .step import exact_number

    if text is None:
        return None
    g = exact_number("gamma", text)
    if not g > 0:
        raise ValueError(f"gamma must be > 0, got {text!r}")
    return g


def _step(args) -> dict:
    from .apriori import apriori_constant
    from .step import MAX_N, _betas, c_inf, derive_step_bound, exact_number, step_bound_n

    b1, b2 = _betas(args.beta1, args.beta2)
    e = exact_number("eps", args.eps)
    if not e >= 0:
        raise ValueError(f"eps must be >= 0, got {args.eps!r}")
    g = _gamma(args.gamma)
    res = derive_step_bound().results
    out = {"beta1": str(b1), "beta2": str(b2), "eps": str(e), "n": args.n,
           "formula_C_n_squared": str(res["C_n_squared"]), "formula_C_inf": str(res["C_inf"])}
    finite = b1**2 < b2
    if args.n is None and not finite:
        c_inf(b1, b2)   # raises the documented ValueError (exit 2)
    out["C_inf"] = _dec(c_inf(b1, b2), None, args.dps) if finite else None
    q = b1 / b2
    if args.n is not None:
        nn = exact_number("n", args.n)
        if not (nn.is_Integer and 1 <= nn <= MAX_N):
            raise ValueError(f"n must be an integer in [1, {MAX_N}], got {args.n!r}")
        expr, subs = step_bound_n(b1, b2, int(nn))
        out["n"] = int(nn)
        out["C_n"] = _dec(sympy.sqrt(expr), subs, args.dps)
        terms = min(int(nn), _MAX_EXTREMAL)
        out["extremal_terms"] = f"newest {terms} of {int(nn)}"
    else:
        terms = 20
        out["extremal_terms"] = "newest 20 of the limiting (infinite-history) sequence"
    with mpmath.workdps(args.dps + 10):
        qm = mpmath.mpf(int(q.p)) / int(q.q)
        out["extremal"] = [mpmath.nstr(qm**j, args.dps) for j in range(terms - 1, -1, -1)]
    out["extremal_formula"] = "g_k proportional to (beta1/beta2)**(n - k)"
    if g is not None:
        out["gamma"] = str(g)
        if args.n is not None:
            out["max_step"] = _dec(g * sympy.sqrt(expr), subs, args.dps)
        elif finite:
            out["max_step"] = _dec(g * c_inf(b1, b2), None, args.dps)
        out["apriori_radius"] = (_dec(g * apriori_constant(b1, b2), None, args.dps)
                                 if finite else None)
    return out


def _stability(args) -> dict:
    from .stability import critical_a, gamma_max, gamma_max_formula, two_cycle_amplitude
    from .step import exact_number

    if args.L is None:
        raise ValueError("--L (largest Hessian eigenvalue, > 0) is required for stability")
    gm = gamma_max(args.beta1, args.eps, args.L)
    out = {"gamma_max": _dec(gm, None, args.dps), "gamma_max_exact": str(gm),
           "formula": str(gamma_max_formula())}
    g = _gamma(args.gamma)
    if g is not None:
        out["gamma"] = str(g)
        out["stable"] = bool(g < gm)
        if g > gm:
            b2 = exact_number("beta2", args.beta2)
            if not 0 <= b2 < 1:
                raise ValueError(f"beta2 must be in [0, 1), got {args.beta2!r}")
            out["two_cycle_amplitude"] = _dec(two_cycle_amplitude(g, args.beta1, args.eps,
                                                                  args.L), None, args.dps)
            out["two_cycle_attracting"] = bool(1 - gm / g < critical_a(args.beta1, b2))
    return out


def _rms(args) -> tuple[dict, int]:
    from ..avf.laws import parse_data
    from ..core.validate import check_int
    from .rms_mp import rms_step

    if args.data is None or args.theta is None:
        raise ValueError("--data SPEC and --theta T are required for rms-step")
    law = parse_data(args.data)
    check_int("--batch", args.batch, 1)
    if law.kind == "discrete" and law.batch_support_size(args.batch, MAX_ATOMS) is None:
        # counted before the batch law (with its probabilities) is built
        raise ValueError(f"--batch {args.batch} gives a mini-batch mean with more than "
                         f"{MAX_ATOMS} atoms (the limit): use a smaller --batch")
    if args.simulate is not None:
        check_int("--simulate (runs)", args.simulate, 2)
        from ..core.validate import check_memory

        check_memory(f"--simulate {args.simulate}", 8.0 * args.simulate * 270)
    r = None
    for dps in (args.dps, args.dps + 15):   # one escalation of the working precision
        try:
            r = rms_step(law, args.theta, args.beta1, args.beta2, args.eps, args.batch, dps)
            break
        except ValueError as exc:
            if not str(exc).startswith("dps:"):
                raise
            reason = str(exc)
    if r is None:
        sys.stderr.write(f"symadam: {reason} (also at {args.dps + 15} working digits)\n")
        return {}, 1
    with mpmath.workdps(r.dps + 16):
        out = {"rms_step_over_gamma": mpmath.nstr(r.value, args.dps), "digits": args.dps,
               "error": mpmath.nstr(r.error, 3)}
    if args.simulate is not None:
        from .sim_np import frozen_rms

        lw = law.batch_mean(args.batch)
        mc = frozen_rms(lw, float(sympy.Rational(str(args.theta))), float(sympy.Rational(
            args.beta1)), float(sympy.Rational(args.beta2)), float(sympy.Rational(args.eps)),
            20000, args.simulate, args.seed)
        rms = mc["mean"] ** 0.5
        out["simulated"] = {"rms_step_over_gamma": rms, "se": mc["se"] / (2 * rms),
                            "runs": args.simulate, "steps": 20000}
    return out, 0


def _check_numbers(args: "argparse.Namespace") -> None:
    """Refuse malformed, non-finite or huge numbers (and huge ``--data`` specs) before work."""
    import re

    from .step import MAX_EXPONENT, MAX_NUMBER_LENGTH, exact_number

    for name in ("beta1", "beta2", "eps", "n", "gamma", "L", "theta"):
        text = getattr(args, name)
        if text is not None:
            exact_number(name, text)
    if args.data is not None:
        exps = [abs(int(x)) for x in re.findall(r"[eE]\s*([+-]?\d+)", args.data)]
        if len(args.data) > MAX_NUMBER_LENGTH or any(x > MAX_EXPONENT for x in exps):
            raise ValueError(f"--data must be at most {MAX_NUMBER_LENGTH} characters with "
                             f"exponents of at most {MAX_EXPONENT} (the limit), got "
                             f"{args.data[:40]!r}")
    if args.action == "rms-step" and args.dps > MAX_RMS_DPS:
        raise ValueError(f"dps must be <= {MAX_RMS_DPS} for rms-step (the limit), got {args.dps}")
    if args.action == "rms-step" and args.batch > MAX_BATCH:
        raise ValueError(f"--batch must be <= {MAX_BATCH} for rms-step (the limit), got "
                         f"{args.batch}")


def run(args: "argparse.Namespace") -> int:
    """Validate, compute and print (or emit as JSON) one of the three results.

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["bounds", "step", "--beta1", "0.9", "--beta2", "0.999", "--n", "10",
    ...       "--dps", "20"])
    C_n   = 1.0431077174263456993   (n = 10)
    C_inf = 7.2702917999996985776
    0
    >>> main(["bounds", "stability", "--beta1", "0.9", "--eps", "1e-8", "--L", "1"])
    gamma_max = 2*eps*(beta1 + 1)/(L*(1 - beta1)) = 3.8e-7
    0
    """
    from ..core.validate import check_dps

    check_dps(args.dps)
    if args.dps > MAX_DPS:
        raise ValueError(f"dps must be <= {MAX_DPS} (the limit), got {args.dps}")
    _check_numbers(args)
    code = 0
    if args.action == "step":
        out = _step(args)
    elif args.action == "stability":
        out = _stability(args)
    else:
        out, code = _rms(args)
        if code:
            return code
    if args.json:
        emit_json(out)
        return code
    if args.action == "step":
        if out.get("C_n") is not None:
            print(f"C_n   = {out['C_n']}   (n = {out['n']})")
        print(f"C_inf = {out['C_inf'] if out['C_inf'] is not None else 'infinite'}")
        if "max_step" in out:
            print(f"max step = {out['max_step']}   a priori radius gamma K = "
                  f"{out['apriori_radius']}")
    elif args.action == "stability":
        print(f"gamma_max = {out['formula']} = {out['gamma_max']}")
        if "stable" in out:
            print(f"gamma = {args.gamma}: the fixed point is "
                  f"{'locally stable' if out['stable'] else 'not locally stable'}")
        if "two_cycle_amplitude" in out:
            print(f"beyond: period-2 orbit of amplitude {out['two_cycle_amplitude']} "
                  f"({'attracting' if out['two_cycle_attracting'] else 'repelling: bursts'})")
    else:
        print(f"RMS step / gamma = {out['rms_step_over_gamma']}")
        if "simulated" in out:
            s = out["simulated"]
            print(f"simulated: {s['rms_step_over_gamma']:.6f} +- {s['se']:.1e}")
    return code
