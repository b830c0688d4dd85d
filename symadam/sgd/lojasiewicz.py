"""Łojasiewicz exponents at critical points, derived exactly (sympy), and the flow law they imply.

Convention (stated once; used everywhere in :mod:`symadam.sgd`)
---------------------------------------------------------------
At a critical point ``p`` of an analytic ``f`` (``grad f(p) = 0``) the
*Łojasiewicz exponent* is the smallest ``theta`` such that, for some ``c > 0``
and a neighbourhood ``U`` of ``p``,

    ``|f(x) - f(p)|^theta <= c |grad f(x)|``   for all ``x`` in ``U``,

i.e. the gradient inequality ``|grad f| >= c^{-1} |f - f(p)|^theta``.  For
analytic ``f`` that is not locally constant, ``theta`` lies in ``[1/2, 1)``
(Łojasiewicz).  ``theta = 1/2`` at non-degenerate critical points and along
Morse–Bott critical manifolds; ``f = x^{2p}`` has ``theta = 1 - 1/(2p)``.

Flow law (standard): a gradient trajectory ``x' = -grad f(x)`` converging to
``p`` satisfies, when ``theta = 1/2``, ``f(x(t)) - f(p) = O(e^{-2 rate t})``
and ``|x(t) - x_inf| = O(e^{-rate t})`` with ``rate`` the smallest positive
eigenvalue of the Hessian at ``p`` (the normal Hessian for Morse–Bott points);
when ``theta in (1/2, 1)`` it is *algebraic*:
``f(x(t)) - f(p) = O(t^{-1/(2 theta - 1)})`` (``flow_exponent``) and
``|x(t) - x_inf| = O(t^{-(1-theta)/(2 theta-1)})`` (``distance_exponent``).
These are upper bounds; the examples of :data:`CATALOGUE` attain them.

Exact route (the splitting lemma)
---------------------------------
Let ``H`` be the Hessian at ``p``, ``K`` a basis of its kernel (``k`` vectors)
and ``W`` a basis of its range.  Writing ``x = p + K s + W n`` and solving
``W^T grad f = 0`` for ``n = n(s)`` as a power series (implicit function
theorem: ``W^T H W`` is invertible) gives the reduced function
``g(s) = f(p + K s + W n(s)) - f(p)``; ``f`` is analytically equivalent to
``g(s) + Q(n)`` with ``Q`` a non-degenerate quadratic form, hence
``theta(f) = max(theta(g), 1/2)``.  Then:

* ``k = 0`` (Morse): ``theta = 1/2``;
* ``g`` has order ``d`` (lowest non-zero homogeneous part ``g_d``, ``d >= 3``)
  and either ``k = 1`` or ``g_d`` has an isolated critical point (its partial
  derivatives generate a zero-dimensional ideal, checked by a Gröbner basis):
  ``theta = 1 - 1/d`` (``|grad g| >= c|s|^{d-1}``, ``|g| <= C|s|^d``, equality
  along a ray where ``g_d != 0``);
* ``g`` vanishes to the order computed and the critical set of the polynomial
  ``f`` contains a ``k``-dimensional manifold through ``p`` (a common factor
  of the partial derivatives, or a ``k``-parameter solution family):
  Morse–Bott, ``theta = 1/2``.

Anything else (``k >= 2`` with a non-isolated leading part, a non-polynomial
objective whose reduced function vanishes to the computed order) is refused
with a :class:`ValueError`; we do not guess.  Only sympy is imported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy
from sympy import Rational

from ..core.derivation import Derivation
from .objective import MAX_DEGREE, MAX_VARIABLES, objective_variables, parse_objective, parse_point

__all__ = ["LojasiewiczResult", "lojasiewicz", "derive_lojasiewicz", "flow_law", "CATALOGUE",
           "parse_point", "parse_objective", "objective_variables", "MAX_VARIABLES", "MAX_DEGREE"]

#: Functions that make an objective non-analytic (refused).
_NON_ANALYTIC = (sympy.Abs, sympy.Max, sympy.Min, sympy.Heaviside, sympy.sign, sympy.Piecewise)

#: Examples of the claims: (objective, variables, point); each attains its flow law.
CATALOGUE: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...] = (
    ("x**4", ("x",), (0,)),
    ("x**6", ("x",), (0,)),
    ("x**3", ("x",), (0,)),
    ("(x**2 + y**2 - 1)**2", ("x", "y"), (1, 0)),
    ("x**4 - y**2", ("x", "y"), (0, 0)),
    ("x**3 - 3*x*y**2", ("x", "y"), (0, 0)),
    ("x**4 + y**4", ("x", "y"), (0, 0)),
    ("x**2 + 3*y**2", ("x", "y"), (0, 0)),
)


@dataclass(frozen=True)
class LojasiewiczResult:
    """The exponent at a critical point and the flow law it implies.

    Attributes
    ----------
    theta : sympy.Rational
        The Łojasiewicz exponent (convention in the module docstring).
    kind : str
        ``"morse"``, ``"morse-bott"``, ``"reduced order d"`` (``k = 1``) or
        ``"isolated homogeneous order d"``.
    corank : int
        ``k = dim ker H``.
    order : int or None
        Order ``d`` of the reduced function (None for Morse and Morse–Bott).
    flow_law : {"exponential", "algebraic"}
    rate : sympy.Expr or None
        Exponential rate of ``|x(t) - x_inf|`` (``f - f*`` decays at twice it).
    flow_exponent, distance_exponent : sympy.Rational or None
        Algebraic decay exponents of ``f - f*`` and of ``|x(t) - x_inf|``.
    derivation : Derivation
    """

    theta: Any
    kind: str
    corank: int
    order: int | None
    flow_law: str
    rate: Any
    flow_exponent: Any
    distance_exponent: Any
    derivation: Derivation


def flow_law(theta: Any) -> dict:
    """The gradient-flow law implied by an exponent ``theta`` in ``(1/2, 1)``.

    Examples
    --------
    >>> flow_law(Rational(3, 4))
    {'flow_exponent': 2, 'distance_exponent': 1/2}
    >>> flow_law(Rational(5, 6))                 # x**6: f ~ t^(-3/2), x ~ t^(-1/4)
    {'flow_exponent': 3/2, 'distance_exponent': 1/4}
    """
    theta = sympy.nsimplify(theta)
    if not (Rational(1, 2) < theta < 1):
        raise ValueError(f"theta must be in (1/2, 1) for an algebraic law, got {theta}")
    return {"flow_exponent": 1 / (2 * theta - 1),
            "distance_exponent": (1 - theta) / (2 * theta - 1)}


def _trunc(expr: sympy.Expr, svars: Sequence[sympy.Symbol], order: int) -> sympy.Expr:
    """Drop the terms of total degree > ``order`` in ``svars`` (expr polynomial in them)."""
    if not svars:
        return expr
    poly = sympy.Poly(sympy.expand(expr), *svars)
    return sum((c * sympy.prod([v**e for v, e in zip(svars, m)])
                for m, c in poly.terms() if sum(m) <= order), sympy.Integer(0))


def _taylor(f: sympy.Expr, xs: Sequence[sympy.Symbol], p: Sequence[Any], order: int,
            hs: Sequence[sympy.Symbol]) -> sympy.Expr:
    """Taylor polynomial of ``f`` at ``p`` in the increments ``hs``, total degree <= ``order``."""
    shifted = f.subs({x: pi + h for x, pi, h in zip(xs, p, hs)}, simultaneous=True)
    if shifted.is_polynomial(*hs):
        return _trunc(shifted, hs, order)
    t = sympy.Symbol("t_scale")
    ser = sympy.series(shifted.subs({h: t * h for h in hs}, simultaneous=True), t, 0, order + 1)
    return _trunc(sympy.expand(ser.removeO().subs(t, 1)), hs, order)


def _check_objective(f: sympy.Expr, xs: Sequence[sympy.Symbol]) -> None:
    if not isinstance(f, sympy.Expr):
        raise ValueError("objective must be a sympy expression")
    if f.has(*_NON_ANALYTIC):
        raise ValueError("objective must be analytic (polynomials, exp, log, sin, cos, tanh, ...); "
                         "Abs, Max, Min, Heaviside, sign and Piecewise are refused")
    extra = f.free_symbols - set(xs)
    if extra:
        raise ValueError(f"objective has unknown symbols {sorted(map(str, extra))}")


def _min_positive(values: Sequence[Any]) -> Any:
    pos = [v for v in values if sympy.N(v, 30) > 0]
    return min(pos, key=lambda v: sympy.N(v, 50)) if pos else None


def _critical_manifold_dim(f: sympy.Expr, xs: Sequence[sympy.Symbol], p: Sequence[Any]) -> int:
    """Dimension of a smooth manifold of critical points through ``p`` found exactly (0: none).

    Either a common factor ``h`` of all partial derivatives with ``h(p) = 0``
    and ``grad h(p) != 0`` (a hypersurface of critical points), or a solution
    family of ``grad f = 0`` from ``sympy.solve`` with free variables that
    contains ``p``.
    """
    grads = [sympy.expand(sympy.diff(f, x)) for x in xs]
    at = dict(zip(xs, p))
    common = sympy.gcd_list(grads) if all(g.is_polynomial(*xs) for g in grads) else 1
    for fac, _ in sympy.factor_list(common)[1] if common != 1 else []:
        if sympy.expand(fac.subs(at)) == 0 and any(
                sympy.expand(sympy.diff(fac, x).subs(at)) != 0 for x in xs):
            return len(xs) - 1
    try:
        sols = sympy.solve(grads, xs, dict=True)
    except (NotImplementedError, ValueError):
        return 0
    best = 0
    for sol in sols:
        free = [x for x in xs if x not in sol]
        if not free:
            continue
        ok = all(sympy.expand(sympy.sympify(v).subs(at) - at[x]) == 0 for x, v in sol.items())
        if ok:
            best = max(best, len(free))
    return best


def lojasiewicz(objective: Any, variables: Sequence[str] = ("x",), point: Sequence[Any] = (0,),
                max_order: int | None = None) -> LojasiewiczResult:
    """Derive the Łojasiewicz exponent of ``objective`` at the critical ``point`` exactly.

    Parameters
    ----------
    objective : str or sympy.Expr
        Text is parsed by :func:`symadam.core.expr.parse_expression` (never
        ``eval``/``sympify``) in ``variables`` (sorted by name by the CLI).
    variables : sequence of str
    point : sequence of exact numbers (or strings parsed by :func:`parse_point`)
    max_order : int, optional
        Order of the reduced power series (default ``max(12, 2 deg f)``, at most 40).

    Raises
    ------
    ValueError
        Not a critical point, a non-analytic or constant objective, a local
        maximum with ``theta = 1/2`` (no non-constant trajectory converges), or
        a case the exact route does not decide (see the module docstring).

    Examples
    --------
    >>> r = lojasiewicz("x**4")
    >>> r.theta, r.flow_law, r.flow_exponent, r.distance_exponent
    (3/4, 'algebraic', 2, 1/2)
    >>> r = lojasiewicz("(x**2 + y**2 - 1)**2", ("x", "y"), (1, 0))
    >>> r.theta, r.kind, r.flow_law, r.rate
    (1/2, 'morse-bott', 'exponential', 8)
    >>> lojasiewicz("x**4 - y**2", ("x", "y"), (0, 0)).theta
    3/4
    >>> lojasiewicz("x**2 + x", point=(0,))
    Traceback (most recent call last):
    ...
    ValueError: point is not a critical point of the objective (gradient [1])
    """
    from ..core.expr import parse_expression

    xs = [sympy.Symbol(v, real=True) for v in variables]
    f = (parse_expression(objective, tuple(variables), name="objective")
         if isinstance(objective, str) else sympy.sympify(objective))
    _check_objective(f, xs)
    if isinstance(point, str):
        point = parse_point(point, len(xs))
    p = [sympy.nsimplify(v) if not isinstance(v, sympy.Basic) else v for v in point]
    if len(p) != len(xs):
        raise ValueError(f"point must have {len(xs)} coordinates, got {len(p)}")
    n = len(xs)
    if n > MAX_VARIABLES:
        raise ValueError(f"objective has {n} variables; the limit is {MAX_VARIABLES}")
    poly = f.is_polynomial(*xs)
    deg = sympy.Poly(f, *xs).total_degree() if poly else 0
    if deg > MAX_DEGREE:
        raise ValueError(f"objective has degree {deg}; the limit is {MAX_DEGREE}")
    M = max_order if max_order is not None else min(40, max(12, 2 * deg))
    hs = [sympy.Symbol(f"h{i}", real=True) for i in range(n)]
    T = _taylor(f, xs, p, M, hs)
    f0 = T.subs({h: 0 for h in hs})
    T = sympy.expand(T - f0)
    grad0 = [sympy.nsimplify(sympy.expand(sympy.diff(T, h).subs({hh: 0 for hh in hs}))) for h in hs]
    if any(g != 0 for g in grad0):
        raise ValueError(f"point is not a critical point of the objective (gradient {grad0})")
    H = sympy.Matrix(n, n, lambda i, j: sympy.diff(T, hs[i], hs[j]).subs({h: 0 for h in hs}))
    d = Derivation(f"Łojasiewicz exponent of ${sympy.latex(f)}$ at ${sympy.latex(tuple(p))}$")
    d.add("Critical point: the gradient vanishes there; the Hessian is", H, "H")
    Kb = H.nullspace()
    k = len(Kb)
    ev = list(H.eigenvals())
    if k == 0:
        rate = _min_positive(ev)
        if rate is None:
            raise ValueError("the point is a non-degenerate local maximum: no non-constant "
                             "gradient trajectory converges to it")
        d.add(r"$H$ is invertible (Morse point): $|\nabla f|\ge c|x-p|\ge c'|f-f(p)|^{1/2}$, "
              r"sharp along an eigenvector.", Rational(1, 2), r"\theta")
        d.add("Exponential flow law; rate = smallest positive eigenvalue of $H$.", rate,
              r"\lambda_{\min}^{+}")
        return _result(d, Rational(1, 2), "morse", 0, None, rate)
    Wb = H.columnspace()
    s = [sympy.Symbol(f"s{i}", real=True) for i in range(k)]
    K = sympy.Matrix.hstack(*Kb)
    d.add(f"Kernel of $H$ (corank $k={k}$), basis", K, "K")
    if Wb:
        W = sympy.Matrix.hstack(*Wb)
        m = W.shape[1]
        A = (W.T * H * W).inv()
        gT = sympy.Matrix([sympy.diff(T, h) for h in hs])
        sol = sympy.zeros(m, 1)
        for _ in range(M):
            x = K * sympy.Matrix(s) + W * sol
            sub = {h: x[i] for i, h in enumerate(hs)}
            resid = (W.T * gT).subs(sub, simultaneous=True)
            new = (sol - A * resid).applyfunc(lambda e: _trunc(e, s, M - 1))
            if new == sol:
                break
            sol = new
        x = K * sympy.Matrix(s) + W * sol
        d.add(r"Splitting lemma: $x=p+Ks+Wn$ with $W^\top\nabla f=0$ solved for $n(s)$ "
              f"(power series to order {M - 1})", sol.T, "n(s)")
    else:
        x = K * sympy.Matrix(s)
    g = _trunc(T.subs({h: x[i] for i, h in enumerate(hs)}, simultaneous=True), s, M)
    g = sympy.expand(g)
    if g == 0:
        if not poly:
            raise ValueError("the reduced function vanishes to the computed order and the "
                             "objective is not a polynomial: the exact route needs a polynomial "
                             "to confirm a Morse-Bott manifold")
        dim = _critical_manifold_dim(f, xs, p)
        if dim != k:
            raise ValueError(f"undecided: the reduced function vanishes to order {M} but no "
                             f"{k}-dimensional manifold of critical points through the point was "
                             "found (the exact route covers Morse, Morse-Bott, corank 1 and "
                             "isolated homogeneous leading parts)")
        rate = _min_positive(ev)
        if rate is None:
            raise ValueError("the point lies on a Morse-Bott manifold of local maxima: no "
                             "non-constant gradient trajectory converges to it")
        d.add(f"The reduced function vanishes identically and the critical set is a {k}-"
              r"dimensional manifold through $p$ (Morse–Bott): $\theta=1/2$.", Rational(1, 2),
              r"\theta")
        d.add("Exponential flow law; rate = smallest positive eigenvalue of the normal Hessian.",
              rate, r"\lambda_{\min}^{+}")
        return _result(d, Rational(1, 2), "morse-bott", k, None, rate)
    gp = sympy.Poly(g, *s)
    order = min(sum(mon) for mon in gp.monoms())
    gd = sum((c * sympy.prod([v**e for v, e in zip(s, mon)])
              for mon, c in gp.terms() if sum(mon) == order), sympy.Integer(0))
    d.add(f"Reduced function $g(s)$, lowest homogeneous part (order $d={order}$)", gd, "g_d")
    if k == 1:
        kind = f"reduced order {order}"
    else:
        gb = sympy.groebner([sympy.diff(gd, v) for v in s], *s, order="grevlex")
        if not gb.is_zero_dimensional:
            raise ValueError(f"undecided: corank {k} with a leading part {gd} whose critical "
                             "point is not isolated (the exact route covers Morse, Morse-Bott, "
                             "corank 1 and isolated homogeneous leading parts)")
        d.add(r"The partial derivatives of $g_d$ generate a zero-dimensional homogeneous ideal "
              r"(Gröbner basis), so $0$ is an isolated critical point of $g_d$.")
        kind = f"isolated homogeneous order {order}"
    theta = 1 - Rational(1, order)
    d.add(r"$|\nabla g|\ge c|s|^{d-1}$ and $|g|\le C|s|^{d}$ near 0, with equality along a ray "
          r"where $g_d\ne0$; hence $\theta=\max(1-1/d,\,1/2)$.", theta, r"\theta")
    return _result(d, theta, kind, k, order, None)


def _result(d: Derivation, theta: Any, kind: str, k: int, order: int | None,
            rate: Any) -> LojasiewiczResult:
    if theta == Rational(1, 2):
        d.results.update({"theta": theta, "rate": rate})
        return LojasiewiczResult(theta, kind, k, order, "exponential", rate, None, None, d)
    law = flow_law(theta)
    d.add(r"Algebraic flow law: $f(x(t))-f^\ast=O(t^{-1/(2\theta-1)})$, "
          r"$|x(t)-x_\infty|=O(t^{-(1-\theta)/(2\theta-1)})$.", law["flow_exponent"],
          r"\frac{1}{2\theta-1}")
    d.results.update({"theta": theta, **law})
    return LojasiewiczResult(theta, kind, k, order, "algebraic", None, law["flow_exponent"],
                             law["distance_exponent"], d)


def derive_lojasiewicz() -> Derivation:
    """The derivations of every example in :data:`CATALOGUE`, as one document.

    Examples
    --------
    >>> derive_lojasiewicz().results["x**4"]
    3/4
    """
    out = Derivation("Łojasiewicz exponents and gradient-flow laws (splitting lemma)")
    for text, vs, pt in CATALOGUE:
        r = lojasiewicz(text, vs, pt)
        out.extend(r.derivation, prefix=f"[${sympy.latex(parse_objective(text, vs))}$] ")
        out.results[text] = r.theta
    return out
