"""``symadam existence``: is the infimum of the population risk attained?

Input law uniform on ``--domain a,b`` (default ``0,1``), shallow network of
width ``--width`` with ``--activation``, target ``--target`` (a sympy
expression in ``x``).  Decided cases (anything else is a clear error, exit 2,
never a guess; a problem beyond the exact route's cost limits exits 1 with
the reason):

* ``relu``, continuous piecewise polynomial target, width 1-3 (larger widths
  only when they realize a piecewise linear target exactly): exact global
  minimizer by enumeration (:mod:`symadam.existence.relu_exact`);
  attained.  Non-polynomial targets (``sin(x)``) are refused: there is no
  exact route for them.
* ``relu``, piecewise constant target with ``J`` jumps, width ``>= 2J``:
  infimum 0, not attained; the pair sequence and its exact risk.
* ``tanh``/``logistic``/``softplus``/``gelu``, polynomial target of degree
  ``d``: constant target attained; ``softplus``/``gelu`` with ``d = 1`` and
  width ``>= 2`` attained (``sigma(z) - sigma(-z) = z``); otherwise, if the
  width is ``>= d``, infimum 0 not attained (bounded or linearly growing
  analytic networks cannot equal a polynomial of higher growth; width 1 and
  ``d = 1``: ``sigma`` is not affine), with an explicit diverging sequence.
"""
from __future__ import annotations

import re
import sys

import sympy

from ..core.cli_common import add_json, emit_json
from .piecewise import X, parse_target

COMMAND = "existence"
ACTS = ("relu", "tanh", "logistic", "softplus", "gelu")


def add_parser(sub):
    p = sub.add_parser(COMMAND, help="is the infimum of the population risk attained?")
    p.add_argument("--activation", required=True, help=f"one of {', '.join(ACTS)}")
    p.add_argument("--target", required=True, help="sympy expression in x, e.g. 'x**2'")
    p.add_argument("--width", required=True, type=int, help="hidden width m >= 1")
    p.add_argument("--domain", default="0,1",
                   help="a,b: input uniform on [a, b] (default 0,1; --domain -1,1 and "
                        "--domain=-1,1 both work)")
    add_json(p)
    # argparse reads '-1,1' as an option unless it looks like a negative number; this
    # sub-command has no option starting with a digit, so any '-<digit>...' is a value
    # (Python >= 3.13 already uses this rule).
    p._negative_number_matcher = re.compile(r"^-\.?\d")
    return p


def _domain(text: str):
    try:
        a, b = (sympy.Rational(v.strip()) for v in text.split(","))
    except (ValueError, TypeError):
        raise ValueError(f"domain must be 'a,b' with rational a < b, got {text!r}") from None
    if not a < b:
        raise ValueError(f"domain must be 'a,b' with a < b, got {text!r}")
    return a, b


def _dec(v, digits: int = 20) -> str:
    return str(sympy.N(v, digits))


def _norm(theta) -> str:
    return _dec(sympy.sqrt(sum(sympy.N(t, 40) ** 2 for t in theta)))


def decide(activation: str, target: str, width: int, domain=(0, 1)) -> dict:
    """The verdict as a JSON-ready dict (see the module docstring).

    Examples
    --------
    >>> r = decide("relu", "x**2", 1)
    >>> r["attained"], r["infimum"]
    (True, '4/3645')
    >>> decide("tanh", "x", 1)["attained"]
    False
    """
    if activation not in ACTS:
        raise ValueError(f"activation must be one of {', '.join(ACTS)}; got {activation!r}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an integer >= 1, got {width!r}")
    f = parse_target(target, domain)
    if activation == "relu":
        return _relu(f, width)
    return _smooth(activation, f, width)


def _relu(f, width):
    from .relu_exact import CannotDecide, exact_minimizer
    from .responses import pair_theta

    if f.is_continuous():
        try:
            sol = exact_minimizer(f, width)
        except CannotDecide:
            raise
        except NotImplementedError as exc:
            raise ValueError(f"target cannot be decided exactly at this width ({exc})") from None
        theta = sol.theta()
        return {"attained": True, "infimum": str(sol.risk), "best_risk": _dec(sol.risk, 30),
                "parameters": [str(t) for t in theta], "parameter_norm": _norm(theta),
                "evidence": {"route": "exact enumeration of kink configurations",
                             "cells": sol.cells, "kinks": [str(t) for t in sol.network.t],
                             "candidates": len(sol.candidates)}}
    degs = [sympy.Poly(q, X).degree() for q in f.pieces]
    jumps = [(p, f.pieces[i + 1] - f.pieces[i]) for i, p in enumerate(f.interior_breaks)]
    if max(degs) > 0 or 2 * len(jumps) > width:   # e.g. (x - t) 1{x > t}: not decided here
        raise ValueError("target must be continuous for the ReLU route (discontinuous targets "
                         "are decided only when piecewise constant with width >= 2 * jumps)")
    a, b = f.domain
    gaps = [q - p for p, q in zip(f.breaks[:-1], f.breaks[1:])]
    n_min = sympy.ceiling(1 / min(gaps))      # ramps of width 1/n stay apart and inside
    n = max(1000, int(n_min))
    theta_w, theta_b, theta_v = [], [], []
    for t, J in jumps:
        w1, w2, b1, b2, v1, v2, _ = pair_theta(n, t, J)
        theta_w += [w1, w2]
        theta_b += [b1, b2]
        theta_v += [v1, v2]
    pad = width - len(theta_w)
    theta = theta_w + [0] * pad + theta_b + [0] * pad + theta_v + [0] * pad + [f.pieces[0]]
    ns = sympy.Symbol("n", positive=True)
    risk = sum(J ** 2 for _, J in jumps) / (12 * ns * (b - a))
    return {"attained": False, "infimum": "0", "best_risk": _dec(risk.subs(ns, n), 30),
            "parameters": [str(sympy.sympify(t)) for t in theta],
            "parameter_norm": _norm([sympy.sympify(t) for t in theta]),
            "evidence": {"route": "networks are continuous, the target is not: risk > 0 for "
                                  "every network; steep pairs n J (relu(x-t+1/(2n)) - "
                                  "relu(x-t-1/(2n))) drive it to 0",
                         "sequence_risk": str(risk), "valid_for_n_at_least": str(n_min),
                         "n": n, "parameter_norm_rate": "||theta|| ~ n (balanced: ~ n^(1/2))"}}


def _smooth(activation, f, width):
    from .smooth_exact import polynomial_sequence, sigma, z

    if len(f.pieces) != 1:
        raise ValueError("target must be a polynomial for smooth activations")
    P = sympy.Poly(f.pieces[0], X)
    d = P.degree()
    if d <= 0:
        theta = [0] * (3 * width) + [f.pieces[0]]
        return {"attained": True, "infimum": "0", "best_risk": "0",
                "parameters": [str(t) for t in theta], "parameter_norm": _norm(theta),
                "evidence": {"route": "constant target: v = 0, c = f"}}
    if d == 1 and activation in ("softplus", "gelu") and width >= 2:
        p1, p0 = P.coeff_monomial(X), P.coeff_monomial(1)
        odd = sigma(activation) - sigma(activation).subs(z, -z) - z   # identically 0:
        assert odd.subs(z, 0) == 0 and sympy.cancel(sympy.expand(      # value 0 at 0 and
            sympy.diff(odd, z).rewrite(sympy.exp))) == 0                 # derivative 0
        theta = [1, -1] + [0] * (width - 2) + [0] * width + [p1, -p1] + [0] * (width - 2) + [p0]
        return {"attained": True, "infimum": "0", "best_risk": "0",
                "parameters": [str(t) for t in theta], "parameter_norm": _norm(theta),
                "evidence": {"route": f"{activation}(z) - {activation}(-z) = z"}}
    if width < d:
        raise ValueError(f"width must be >= the target's degree ({d}) for this command to "
                         "decide a smooth activation")
    seq = polynomial_sequence(activation, f.pieces[0].subs(X, sympy.Symbol("x", real=True)),
                              f.domain)
    h = seq["h"]
    hv = sympy.Rational(1, 100)
    expr = seq["expr"].subs(h, hv)
    xs = sympy.Symbol("x", real=True)
    a, b = f.domain
    risk = sympy.Integral((expr - f.pieces[0].subs(X, xs)) ** 2, (xs, a, b)).evalf(30) / (b - a)
    theta = [t.subs(h, hv) for t in seq["theta"]]
    theta = theta[:d] + [0] * (width - d) + theta[d:2 * d] + [0] * (width - d) + \
        theta[2 * d:3 * d] + [0] * (width - d) + [theta[-1]]
    why = ("bounded" if activation in ("tanh", "logistic") else "grows at most linearly")
    return {"attained": False, "infimum": "0", "best_risk": _dec(risk, 20),
            "parameters": [_dec(t, 20) for t in theta], "parameter_norm": _norm(theta),
            "evidence": {"route": f"analytic network equal to the target a.e. would equal it "
                                  f"on R; the network {why}" + (
                                      ", sigma is not affine" if d == 1 else ""),
                         "sequence": "c + sum_k v_k sigma(b + k h x), Vandermonde in k",
                         "b": str(seq["b"]), "h": str(hv),
                         "risk_leading": str(seq["risk_leading"]),
                         "parameter_norm_rate": f"h^{seq['norm_exponent']}"}}


def run(args) -> int:
    from ._polysolve import CannotDecide

    try:
        res = decide(args.activation, args.target, args.width, _domain(args.domain))
    except CannotDecide as exc:                     # too large / degenerate: exit 1, no guess
        if args.json:
            emit_json({"decided": False, "reason": str(exc)})
        print(f"symadam existence: cannot decide: {exc}", file=sys.stderr)
        return 1
    if args.json:
        emit_json(res)
        return 0
    print(f"attained: {res['attained']}")
    print(f"infimum: {res['infimum']}")
    print(f"best risk: {res['best_risk']}")
    print(f"parameters: {', '.join(res['parameters'])}")
    print(f"parameter norm: {res['parameter_norm']}")
    for k, v in res["evidence"].items():
        print(f"  {k}: {v}")
    return 0
