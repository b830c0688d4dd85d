"""``symadam avf {eval,zero,bias}``: the Adam vector field for a data law.

Convention [reconstructed, docs/conventions.md]: ``A(theta) = E[M/(eps + sqrt V)]``
over stationary moment estimates built from the same i.i.d. (batch-mean)
gradients ``G = theta - Xbar``.  Defaults: ``--beta1 0.9 --beta2 0.999
--eps 0`` (pass ``--eps 1e-8`` for torch's default), ``--batch 1``,
``--dps 30``.  Numbers are read exactly (``0.1`` is ``1/10``).

JSON: ``eval`` -> ``theta``, ``value``, ``digits``, ``error``;
``zero`` -> ``zero``, ``minimizer``, ``bias``, ``first_order_bias``, ``digits``, ``error``;
``bias`` -> ``formula``, ``first_order_bias``, ``first_order_bias_exact``.
High-precision numbers are decimal strings.
"""
from __future__ import annotations

import argparse
import math
from fractions import Fraction

import mpmath

from ..core.cli_common import add_dps, add_json, emit_json

COMMAND = "avf"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam avf {eval,zero,bias} --data SPEC [--beta1 --beta2 --eps --batch ...]``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> a = build_parser().parse_args(["avf", "eval", "--data", "bernoulli:0.1"])
    >>> a.action, a.beta1, a.beta2, a.eps, a.batch, a.dps
    ('eval', '0.9', '0.999', '0', 1, 30)
    """
    p = sub.add_parser(COMMAND, help="the Adam vector field: evaluate, find its zero, bias")
    p.add_argument("action", choices=("eval", "zero", "bias"))
    p.add_argument("--data", required=True, metavar="SPEC",
                   help="bernoulli:p | rademacher | discrete:x1,..@p1,.. | normal:m,s | "
                        "exponential:rate | uniform:a,b")
    p.add_argument("--beta1", default="0.9", help="Adam's beta1 (papers' alpha), default 0.9")
    p.add_argument("--beta2", default="0.999", help="Adam's beta2 (papers' beta), default 0.999")
    p.add_argument("--eps", default="0", help="eps outside the root, default 0")
    p.add_argument("--batch", type=int, default=1, help="mini-batch size J, default 1")
    p.add_argument("--certify", action="store_true",
                   help="zero: prove it in Arb ball arithmetic (discrete data; extra [certify]); "
                        "adds certified, enclosure, why_not")
    p.add_argument("--theta", default=None, help="point for eval (default: the minimizer)")
    p.add_argument("--order", type=int, choices=(1, 2), default=1,
                   help="bias: 2 adds second_order and predicted_zero (avf.bias_order2)")
    add_dps(p, default=30)
    add_json(p)
    return p


#: Documented limits (README, "Limits and errors"), measured on one core: ``eval`` at
#: ``--dps 30`` ~8 s, at 100 ~95 s (cost ~dps^2); Bernoulli data at ``--batch 100`` ~2 min;
#: uniform data (Irwin-Hall, J pieces of degree J - 1) at J = 10 ~13 s, at 20 over 3 min.
MAX_DPS = 100
MAX_BATCH = {"discrete": 100, "uniform": 10, "normal": 10**6, "exponential": 100}
#: Largest batch-mean support (atoms) of a discrete law, estimated before convolving.
MAX_SUPPORT = 2000
#: Largest eps: beyond it mpmath's erfc overflows (and A ~ E[M]/eps anyway).
MAX_EPS = 10**100


def _support_bound(law, J: int) -> int:
    """Upper bound of the number of atoms of the mean of ``J`` draws (before convolving):
    multisets of ``k`` atoms, and the lattice ``J x_min + g Z`` within ``J [x_min, x_max]``."""
    xs = [x for x, _ in law.atoms]
    k = len(xs)
    bound = math.comb(J + k - 1, k - 1)
    diffs = [x - xs[0] for x in xs[1:]]
    if diffs:
        g = Fraction(0)
        for d in diffs:
            g = Fraction(math.gcd(g.numerator * d.q, int(d.p) * g.denominator),
                         g.denominator * int(d.q))
        bound = min(bound, int(J * (Fraction(int(xs[-1].p), int(xs[-1].q))
                                    - Fraction(int(xs[0].p), int(xs[0].q))) / g) + 1)
    return bound


def _guard(law, J: int, eps, eps_text: str = "") -> None:
    """Refuse, before any work, input beyond the documented limits."""
    if eps > MAX_EPS:
        raise ValueError(f"eps must be <= 1e100 (the limit), got {eps_text or 'more'}")
    kind = law.kind
    lim = MAX_BATCH.get(kind)
    if lim is not None and J > lim:
        raise ValueError(f"--batch must be <= {lim} for {kind} data (the limit), got {J}")
    if kind == "discrete" and J > 1 and _support_bound(law, J) > MAX_SUPPORT:
        raise ValueError(f"--batch {J}: the batch mean of {law.spec} may have up to "
                         f"{_support_bound(law, J)} atoms, more than the limit {MAX_SUPPORT}")


def run(args: "argparse.Namespace") -> int:
    """Validate the arguments, then print (or emit as JSON) ``eval``, ``zero`` or ``bias``.

    Bad input raises ``ValueError`` naming the argument (``main`` prints one
    line and exits 2).  A value that does not reach ``--dps`` digits even at
    raised working precision prints one line on stderr and exits 1.  Every
    printed decimal has only digits that are computed: exact numbers are
    converted inside the working precision, and a field value or bias is
    printed with the significant digits its error estimate justifies (at most
    ``--dps``; ``0`` when it is zero within its error).

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> run(build_parser().parse_args(["avf", "bias", "--data", "bernoulli:0.3"]))
    bias ~ k3*(beta1 - 1)*(beta2 - 1)/(2*J*sqrt(s2)*(sqrt(J)*eps + sqrt(s2))*(beta1*beta2 - 1))
         = -1/5045 = -0.000198216055500495540138751238850
    0
    """
    import sys

    from ..core.validate import check_dps, check_int
    from .bias import first_order_bias, first_order_bias_formula
    from .field_mp import (
        PrecisionError,
        avf_value,
        avf_zero,
        check_avf_params,
        exact_decimal,
        justified_digits,
    )
    from .laws import parse_data

    law = parse_data(args.data)
    check_int("--batch", args.batch, 1)
    check_dps(args.dps, maximum=MAX_DPS)
    b1, b2, e = check_avf_params(args.beta1, args.beta2, args.eps)
    _guard(law, args.batch, e, str(args.eps).strip())
    law.batch_mean(args.batch)  # validates J for the law
    dps = args.dps

    def dec(x, err):
        d = justified_digits(x, err, dps)
        return mpmath.nstr(x, d) if d > 0 else "0"

    if args.action == "bias":
        fob = first_order_bias(law, b1, b2, e, args.batch)
        out = {"formula": str(first_order_bias_formula()),
               "first_order_bias": exact_decimal(fob, dps),
               "first_order_bias_exact": str(fob)}
        if args.order == 2:
            from .bias_order2 import order2_fields
            out.update(order2_fields(law, b1, b2, e, args.batch, dps))
        if args.json:
            emit_json(out)
        else:
            print(f"bias ~ {out['formula']}")
            print(f"     = {out['first_order_bias_exact']} = {out['first_order_bias']}")
            if args.order == 2:
                print(f"second order = {out['second_order']}; predicted zero "
                      f"{out['predicted_zero']}")
        return 0
    try:
        if args.action == "eval":
            theta = args.theta if args.theta is not None else law.mean()
            r = avf_value(law, theta, b1, b2, e, args.batch, dps)
            out = {"theta": str(theta), "value": dec(r.value, r.error),
                   "digits": r.digits, "error": mpmath.nstr(r.error, 3)}
            if args.json:
                emit_json(out)
            else:
                print(f"A({out['theta']}) = {out['value']}  ({r.digits} digits, error "
                      f"{out['error']})")
            return 0
        fob = first_order_bias(law, b1, b2, e, args.batch)
        z = avf_zero(law, b1, b2, e, args.batch, dps, guess=fob)
    except PrecisionError as exc:
        sys.stderr.write("symadam: cannot decide: " + " ".join(str(exc).split()) + "\n")
        return 1
    out = {"zero": dec(z.zero, z.error), "minimizer": str(z.minimizer),
           "bias": dec(z.bias, z.error), "first_order_bias": exact_decimal(fob, dps),
           "digits": z.digits, "error": mpmath.nstr(z.error, 3)}
    if args.certify:
        from .certify import certify_zero_of

        out.update(certify_zero_of(law.batch_mean(args.batch), b1, b2, e, z.zero,
                                   max(5, min(z.digits - 2, 30))))
    if args.json:
        emit_json(out)
    else:
        print(f"zero of A: {out['zero']}  ({z.digits} digits)")
        print(f"minimizer: {out['minimizer']}   bias: {out['bias']}   "
              f"first-order bias: {out['first_order_bias']}")
        if args.certify:
            print(f"proven (Arb balls): unique zero in {out['enclosure']}" if out["certified"]
                  else f"not proven: {out['why_not']}")
    return 0
