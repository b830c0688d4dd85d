"""``symadam avf {eval,zero,bias}``: the Adam vector field for a data law.

Convention [reconstructed, MATH.md Sec. 3]: ``A(theta) = E[M/(eps + sqrt V)]``
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
    p.add_argument("--theta", default=None, help="point for eval (default: the minimizer)")
    p.add_argument("--order", type=int, choices=(1, 2), default=1,
                   help="bias: 2 adds second_order and predicted_zero (avf.bias_order2)")
    add_dps(p, default=30)
    add_json(p)
    return p


def run(args: "argparse.Namespace") -> int:
    """Validate the arguments, then print (or emit as JSON) ``eval``, ``zero`` or ``bias``.

    Bad input raises ``ValueError`` naming the argument (``main`` prints one
    line and exits 2).

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> run(build_parser().parse_args(["avf", "bias", "--data", "bernoulli:0.3"]))
    bias ~ k3*(beta1 - 1)*(beta2 - 1)/(2*J*sqrt(s2)*(sqrt(J)*eps + sqrt(s2))*(beta1*beta2 - 1))
         = -1/5045 = -0.000198216055500495530591539838916
    0
    """
    from ..core.validate import check_dps, check_int
    from .bias import first_order_bias, first_order_bias_formula
    from .field_mp import avf_value, avf_zero, check_avf_params
    from .laws import parse_data

    law = parse_data(args.data)
    check_int("--batch", args.batch, 1)
    check_dps(args.dps)
    b1, b2, e = check_avf_params(args.beta1, args.beta2, args.eps)
    law.batch_mean(args.batch)  # validates J for the law
    dps = args.dps
    if args.action == "bias":
        fob = first_order_bias(law, b1, b2, e, args.batch)
        out = {"formula": str(first_order_bias_formula()),
               "first_order_bias": mpmath.nstr(mpmath.mpf(str(fob.evalf(dps + 5))), dps),
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
    if args.action == "eval":
        theta = args.theta if args.theta is not None else law.mean()
        r = avf_value(law, theta, b1, b2, e, args.batch, dps)
        out = {"theta": str(theta), "value": mpmath.nstr(r.value, dps),
               "digits": r.digits, "error": mpmath.nstr(r.error, 3)}
        if args.json:
            emit_json(out)
        else:
            print(f"A({out['theta']}) = {out['value']}  ({r.digits} digits, error "
                  f"{out['error']})")
        return 0
    fob = first_order_bias(law, b1, b2, e, args.batch)
    z = avf_zero(law, b1, b2, e, args.batch, dps, guess=fob)
    with mpmath.workdps(dps + 5):
        bias = z.bias
    out = {"zero": mpmath.nstr(z.zero, dps), "minimizer": str(z.minimizer),
           "bias": mpmath.nstr(bias, dps), "first_order_bias": mpmath.nstr(
               mpmath.mpf(str(fob.evalf(dps + 5))), dps),
           "digits": z.digits, "error": mpmath.nstr(z.error, 3)}
    if args.json:
        emit_json(out)
    else:
        print(f"zero of A: {out['zero']}  ({z.digits} digits)")
        print(f"minimizer: {out['minimizer']}   bias: {out['bias']}   "
              f"first-order bias: {out['first_order_bias']}")
    return 0
