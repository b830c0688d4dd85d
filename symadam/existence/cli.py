"""``symadam existence``: is the infimum of the population risk attained?

Input law uniform on ``--domain a,b`` (default ``0,1``), shallow network of
width ``--width`` with ``--activation``, target ``--target`` (an expression
in ``x`` read by :func:`symadam.core.expr.parse_expression`: no code runs).
Decided cases (anything else is a clear error, exit 2, never a guess; a
problem beyond the exact route's cost limits exits 1 with the reason):

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
from ..core.expr import to_rational
from ..core.validate import ShortfallError
from .piecewise import X, parse_target

COMMAND = "existence"
ACTS = ("relu", "tanh", "logistic", "softplus", "gelu")


def add_parser(sub):
    p = sub.add_parser(COMMAND, help="is the infimum of the population risk attained?")
    p.add_argument("--activation", required=True, help=f"one of {', '.join(ACTS)}")
    p.add_argument("--target", required=True,
                   help="expression in x, e.g. 'x**2' or 'Abs(x - 1/2)' (read by a safe "
                        "parser: numbers, x, + - * / **, Abs, Max, Min, Heaviside, "
                        "Piecewise, sqrt, exp, sin, ...)")
    p.add_argument("--width", required=True, type=int, help="hidden width m >= 1")
    p.add_argument("--domain", default="0,1",
                   help="a,b: input uniform on [a, b] (default 0,1; --domain -1,1 and "
                        "--domain=-1,1 both work)")
    p.add_argument("--residual", action="store_true",
                   help="relu only: add a trainable affine skip connection (residual network "
                        "N(x) + a x; the skip's slope is printed as one extra neuron)")
    add_json(p)
    # argparse reads '-1,1' as an option unless it looks like a negative number; this
    # sub-command has no option starting with a digit, so any '-<digit>...' is a value
    # (Python >= 3.13 already uses this rule).
    p._negative_number_matcher = re.compile(r"^-\.?\d")
    return p


#: Documented limits of the exact routes (README, "Limits and errors"): beyond them the
#: exact enumeration or solve runs for many minutes (measured on one core: relu width 2 at
#: degree 4 about 1 min, degree 8 over 2 min).  Width 3 at degrees 3 and 4 reaches the
#: route, which refuses in seconds (a factor branch above ``MAX_BRANCH_BEZOUT``, exit 1).
RELU_MAX_DEGREE = {1: 40, 2: 4, 3: 4}
#: With the skip connection (``--residual``) width 4 also reaches the route (x³ decided).
RESIDUAL_MAX_DEGREE = {1: 40, 2: 4, 3: 4, 4: 4}
#: Smooth activations: the Vandermonde sequence at degree 12 takes ~8 s, at 16 ~100 s.
SMOOTH_MAX_DEGREE = 12
#: Widest network the command prints (3 width + 1 parameters).
MAX_WIDTH = 1000
#: Domain ends: at most this many digits in numerator and denominator.
DOMAIN_MAX_EXPONENT = 100


def _domain(text: str):
    parts = str(text).split(",")
    if len(parts) != 2:
        raise ValueError(f"domain must be 'a,b' with rational a < b, got {text!r}")
    a, b = (to_rational(v, "domain", max_exponent=DOMAIN_MAX_EXPONENT) for v in parts)
    if not a < b:
        raise ValueError(f"domain must be 'a,b' with a < b, got {text!r}")
    return a, b


def _guard(activation: str, f, width: int, residual: bool = False) -> None:
    """Refuse, before any work, problems beyond the documented limits of the exact routes."""
    deg = max(sympy.Poly(q, X).degree() for q in f.pieces)
    if activation == "relu":
        table = RESIDUAL_MAX_DEGREE if residual else RELU_MAX_DEGREE
        lim = table.get(width, 1)
        if deg > lim:
            kind = "residual " if residual else ""
            raise ValueError(f"target degree {deg} exceeds the limit {lim} of the exact "
                             f"{kind}ReLU route at width {width} (limits: degree <= "
                             f"{', '.join(f'{v} at width {k}' for k, v in table.items())}"
                             f", piecewise linear above)")
    elif deg > SMOOTH_MAX_DEGREE:
        raise ValueError(f"target degree {deg} exceeds the limit {SMOOTH_MAX_DEGREE} for "
                         f"smooth activations")


def _mean_square(e, xs, a, b, guard: int):
    """``1/(b-a) int_a^b e^2 dx`` to 30 digits: mpmath quadrature of the lambdified ``e``.

    (``sympy.Integral(...).evalf`` took minutes at degree 3 and hung at degree 40; the
    sum ``c + sum v_k sigma(...)`` cancels ~``3 d`` digits, hence ``guard``.)
    """
    import mpmath

    fn = sympy.lambdify(xs, e, "mpmath")
    with mpmath.workdps(40 + guard):
        lo, hi = mpmath.mpf(a.p) / a.q, mpmath.mpf(b.p) / b.q
        v = mpmath.quad(lambda t: fn(t) ** 2, [lo, hi]) / (hi - lo)
        return sympy.Float(mpmath.nstr(v, 30), 30)


def _dec(v, digits: int = 20) -> str:
    return str(sympy.N(v, digits))


def _exact(v) -> str:
    """A short exact string: the number itself, or ``CRootOf(minimal polynomial, k)`` when its
    sympy form holds ``CRootOf`` or is long (:mod:`symadam.existence.algebraic`)."""
    from .algebraic import algebraic_form, is_unwieldy

    return algebraic_form(v)["expression"] if is_unwieldy(v) else str(v)


def _algebraic(v) -> dict | None:
    """Minimal polynomial, isolating interval and decimal of an unwieldy algebraic number."""
    from .algebraic import algebraic_form, is_unwieldy

    return algebraic_form(v) if is_unwieldy(v) else None


def _norm(theta) -> str:
    return _dec(sympy.sqrt(sum(sympy.N(t, 40) ** 2 for t in theta)))


def decide(activation: str, target: str, width: int, domain=(0, 1),
           residual: bool = False) -> dict:
    """The verdict as a JSON-ready dict (see the module docstring).

    Examples
    --------
    >>> r = decide("relu", "x**2", 1)
    >>> r["attained"], r["infimum"]
    (True, '4/3645')
    >>> decide("relu", "x**2", 1, residual=True)["infimum"]
    '1/2880'
    >>> decide("tanh", "x", 1)["attained"]
    False
    """
    if activation not in ACTS:
        raise ValueError(f"activation must be one of {', '.join(ACTS)}; got {activation!r}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an integer >= 1, got {width!r}")
    if width > MAX_WIDTH:
        raise ValueError(f"width must be <= {MAX_WIDTH} (the limit), got {width}")
    if residual and activation != "relu":
        raise ValueError(f"residual must be used with activation relu only; got {activation!r}")
    f = parse_target(target, domain)
    _guard(activation, f, width, residual)
    if activation == "relu":
        return _relu(f, width, residual)
    return _smooth(activation, f, width)


def _relu(f, width, residual=False):
    from .relu_exact import CannotDecide, exact_minimizer
    from .responses import pair_theta

    if f.is_continuous():
        try:
            sol = exact_minimizer(f, width, skip=residual)
        except CannotDecide:
            raise
        except NotImplementedError as exc:  # the route fell short: not bad input (exit 1)
            raise ShortfallError(f"the exact ReLU route cannot decide this target at width "
                                 f"{width} ({exc})") from None
        theta = sol.theta()
        out = {"attained": True, "infimum": _exact(sol.risk), "best_risk": _dec(sol.risk, 30),
               "parameters": [_exact(t) for t in theta], "parameter_norm": _norm(theta),
               "evidence": {"route": "exact enumeration of kink configurations",
                            "cells": sol.cells, "kinks": [_exact(t) for t in sol.network.t],
                            "candidates": len(sol.candidates)}}
        if residual:
            out["evidence"]["residual"] = ("skip connection a x; its slope a is the last "
                                           "neuron (kink at the left end) of the parameters")
        alg = _algebraic(sol.risk)
        if alg is not None:
            out["infimum_algebraic"] = alg
        if any(p != str(t) for p, t in zip(out["parameters"], theta)):
            out["parameters_decimal"] = [_dec(t, 20) for t in theta]
        return out
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
    risk = _mean_square(expr - f.pieces[0].subs(X, xs), xs, a, b, guard=3 * d)
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
        res = decide(args.activation, args.target, args.width, _domain(args.domain),
                     residual=args.residual)
    except CannotDecide as exc:                     # too large / degenerate: exit 1, no guess
        if args.json:
            emit_json({"decided": False, "reason": str(exc)})
        print(f"symadam existence: cannot decide: {exc}", file=sys.stderr)
        return 1
    if args.json:
        emit_json(res)
        return 0
    print(f"attained: {res['attained']}")
    alg = res.get("infimum_algebraic")
    if alg is None:
        print(f"infimum: {res['infimum']}")
    else:
        lo, hi = alg["isolating_interval"]
        print(f"infimum: {alg['decimal']}...")
        print(f"  the root #{alg['root_index']} (in increasing order; the only one in "
              f"[{lo}, {hi}]) of the minimal polynomial, degree {alg['degree']}:")
        print(f"  {alg['minimal_polynomial']}")
    print(f"best risk: {res['best_risk']}")
    print(f"parameters: {', '.join(res.get('parameters_decimal', res['parameters']))}")
    print(f"parameter norm: {res['parameter_norm']}")
    for k, v in res["evidence"].items():
        print(f"  {k}: {v}")
    return 0
