"""``symadam sgd {lojasiewicz,invariant}``: Łojasiewicz exponents and invariant laws of SGD.

``lojasiewicz --objective EXPR [--point X1,X2,...] [--json]``: the exponent at
a critical point (convention in :mod:`symadam.sgd.lojasiewicz`), derived
exactly.  Variables are the names in EXPR, sorted (``x``, ``y``, ...); the
point defaults to the origin.  JSON: ``exponent`` (exact, sympify-able),
``flow_law`` (``algebraic`` | ``exponential``), ``flow_exponent`` and
``distance_exponent`` (algebraic) or ``rate`` (exponential), ``kind``,
``variables``, ``point``, ``critical_value``.

``invariant --gamma G [--batch J] [--noise additive:SIGMA | --noise
regression:normal] [--dps N] [--json]``: the invariant law of constant-step
SGD (conventions in :mod:`symadam.sgd.invariant`; default ``additive:1``).
JSON: ``mean`` (of ``theta_inf - theta*``), ``variance`` and ``excess_risk``
(decimal strings with ``--dps`` digits, ``null`` if infinite, plus
``*_exact``), ``finite_variance_below``, ``tail_index`` (regression noise),
``stationary_law``.

Exit status 0; 2 on bad input (one line on stderr), 1 if a numerical route
misses the requested digits.
"""
from __future__ import annotations

import argparse
import sys

from ..core.cli_common import ArgumentParser, add_dps, add_json, emit_json

COMMAND = "sgd"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam sgd lojasiewicz ...`` and ``symadam sgd invariant ...``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> a = build_parser().parse_args(["sgd", "invariant", "--gamma", "0.5"])
    >>> a.action, a.gamma, a.batch, a.noise, a.dps
    ('invariant', '0.5', 1, 'additive:1', 30)
    """
    p = sub.add_parser(COMMAND, help="Łojasiewicz exponents; invariant laws of constant-step SGD")
    acts = p.add_subparsers(dest="action", metavar="ACTION", parser_class=ArgumentParser)
    acts.required = True
    lo = acts.add_parser("lojasiewicz", help="the Łojasiewicz exponent at a critical point")
    lo.add_argument("--objective", required=True, metavar="EXPR",
                    help="analytic objective in x (or x, y, ...), e.g. '(x**2 + y**2 - 1)**2'")
    lo.add_argument("--point", default=None, metavar="X1,X2,...",
                    help="the critical point (default: the origin)")
    add_json(lo)
    inv = acts.add_parser("invariant", help="invariant law of constant-step SGD on a quadratic")
    inv.add_argument("--gamma", required=True, help="constant learning rate gamma > 0")
    inv.add_argument("--batch", type=int, default=1, help="mini-batch size J >= 1 (default 1)")
    inv.add_argument("--noise", default="additive:1",
                     help="additive:SIGMA (default additive:1) or regression:normal")
    add_dps(inv, default=30)
    add_json(inv)
    return p


def _lojasiewicz(args) -> int:
    from .lojasiewicz import lojasiewicz
    from .objective import objective_variables, parse_point

    names = objective_variables(args.objective)
    point = ([0] * len(names) if args.point is None else parse_point(args.point, len(names)))
    r = lojasiewicz(args.objective, names, point)
    out = {"exponent": str(r.theta), "flow_law": r.flow_law}
    if r.flow_law == "algebraic":
        out.update({"flow_exponent": str(r.flow_exponent),
                    "distance_exponent": str(r.distance_exponent)})
    else:
        out["rate"] = str(r.rate)
    out.update({"kind": r.kind, "corank": r.corank, "variables": names,
                "point": [str(v) for v in point]})
    if args.json:
        emit_json(out)
        return 0
    print(f"theta = {out['exponent']}  ({r.kind}; variables {', '.join(names)} at "
          f"({', '.join(out['point'])}))")
    if r.flow_law == "algebraic":
        print(f"gradient flow: f - f* = O(t^-{out['flow_exponent']}), "
              f"|x - x_inf| = O(t^-{out['distance_exponent']})")
    else:
        print(f"gradient flow: exponential, |x - x_inf| = O(exp(-{out['rate']} t)), "
              f"f - f* = O(exp(-2*{out['rate']} t))")
    return 0


def _invariant(args) -> int:
    from ..core.expr import parse_expression
    from ..core.validate import check_dps, check_int
    from .evaluate import invariant_report, parse_noise

    check_dps(args.dps)
    if args.dps > 1000:
        raise ValueError(f"dps must be <= 1000, got {args.dps}")
    check_int("--batch", args.batch, 1)
    if args.batch > 10**4:
        raise ValueError(f"--batch must be <= 10000, got {args.batch}")
    g = parse_expression(args.gamma, (), name="--gamma")
    if not (g.is_real and g.is_finite and g > 0):
        raise ValueError(f"--gamma must be a finite number > 0, got {args.gamma!r}")
    if g > 10**6:
        raise ValueError(f"--gamma must be <= 1e6, got {args.gamma!r}")
    noise = parse_noise(args.noise)
    try:
        out = invariant_report(g, args.batch, noise, args.dps)
    except RuntimeError as exc:
        sys.stderr.write(f"symadam: {exc}\n")
        return 1
    if args.json:
        emit_json(out)
        return 0
    for k, v in out.items():
        print(f"{k}: {'infinite / none' if v is None else v}")
    return 0


def run(args: "argparse.Namespace") -> int:
    """Dispatch ``lojasiewicz`` or ``invariant``; bad input raises ``ValueError`` (exit 2).

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["sgd", "lojasiewicz", "--objective", "x**4"])
    theta = 3/4  (reduced order 4; variables x at (0))
    gradient flow: f - f* = O(t^-2), |x - x_inf| = O(t^-1/2)
    0
    >>> main(["sgd", "invariant", "--gamma", "0"])
    2
    """
    if args.action == "lojasiewicz":
        return _lojasiewicz(args)
    return _invariant(args)
