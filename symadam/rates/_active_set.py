"""Active sets for minimax tuning of root moduli (private helper of the rate engine).

The local rate of a stationary linear iteration on a quadratic with Hessian
eigenvalue ``lambda`` is the largest root modulus of its characteristic
polynomial ``p_lambda(z)``; the tuned rate minimizes its worst case over
``lambda in [mu, L]``.  For the two-step methods the worst case sits at the
interval ends, and at the optimum it *equioscillates*: both ends reach the
common value ``rho``, each in one of these ways (for a factor of ``p``):

======  ===============================================  ==================
type    meaning                                           equations
======  ===============================================  ==================
``r+``  real root ``+rho``                                ``p(rho) = 0``
``r-``  real root ``-rho``                                ``p(-rho) = 0``
``c``   complex pair of modulus ``rho`` (quadratic)       ``p(0) = rho^2``
``d+``  double root ``+rho`` (critical damping)           ``p = (z - rho)^2``
``d-``  double root ``-rho``                              ``p = (z + rho)^2``
======  ===============================================  ==================

Each choice at ``mu`` and at ``L`` is a polynomial system in the tuned
parameters and ``rho``; this module enumerates them, solves each exactly,
and evaluates candidates in plain floating point (screening only; the
independent high-precision confirmation lives in the ``*_mp`` routes).
"""
from __future__ import annotations

import cmath
import functools
import itertools
from typing import Any, Sequence

import sympy

from .methods._base import LAM, RHO, Z

__all__ = ["ActiveSet", "end_equations", "enumerate_active_sets", "solve_active_set",
           "worst_case_float", "monic_factors", "sample_value"]

_TYPES = {1: ("r+", "r-"), 2: ("c", "r+", "r-", "d+", "d-")}


class ActiveSet(tuple):
    """``((factor_index, type) or None at mu, (factor_index, type) or None at L)``.

    Types: ``r+``/``r-`` a real root ``+rho``/``-rho``, ``c`` a complex pair of
    modulus ``rho``, ``d+``/``d-`` a double root ``+rho``/``-rho``.

    Examples
    --------
    >>> a = ActiveSet(((0, "r+"), None))
    >>> a[0], a.label()
    ((0, 'r+'), 'mu: r+, L: -')
    """

    def label(self) -> str:
        """A short label such as ``"mu: d+, L: r-"``.

        Examples
        --------
        >>> ActiveSet(((0, "d+"), (0, "r-"))).label()
        'mu: d+, L: r-'
        """
        parts = []
        for end, a in zip(("mu", "L"), self):
            parts.append(f"{end}: {'-' if a is None else a[1]}"
                         + ("" if a is None or a[0] == 0 else f" (factor {a[0]})"))
        return ", ".join(parts)


def end_equations(factor: Any, lam_value: Any, kind: str) -> list:
    """The equations saying that ``factor`` at ``lambda = lam_value`` has a root of type ``kind``.

    Examples
    --------
    >>> h, b = sympy.symbols("h beta", positive=True)
    >>> end_equations(Z**2 - (1 + b - h*LAM)*Z + b, 1, "d+")
    [-beta + h + 2*rho - 1, beta - rho**2]
    """
    p = sympy.Poly(sympy.expand(factor.subs(LAM, lam_value)), Z)
    if kind == "r+":
        return [p.as_expr().subs(Z, RHO)]
    if kind == "r-":
        return [p.as_expr().subs(Z, -RHO)]
    a2, a1, a0 = p.all_coeffs()
    if kind == "c":
        return [a0 - a2 * RHO**2]
    sign = 1 if kind == "d+" else -1
    return [a1 + 2 * sign * RHO * a2, a0 - a2 * RHO**2]


def enumerate_active_sets(factors: Sequence[Any], n_unknowns: int, ends: tuple) -> list:
    """All active sets with at least ``n_unknowns`` distinct equations.

    Returns a list of ``(ActiveSet, equations)``; ``ends = (mu_value, L_value)``.

    Examples
    --------
    >>> h = sympy.Symbol("h", positive=True)
    >>> sets = enumerate_active_sets([Z - 1 + h * LAM], 2, (1, 3))
    >>> [s.label() for s, _ in sets]
    ['mu: r+, L: r+', 'mu: r+, L: r-', 'mu: r-, L: r+', 'mu: r-, L: r-']
    """
    options = [None]
    for i, f in enumerate(factors):
        deg = sympy.degree(f, Z)
        for kind in _TYPES.get(deg, ("r+", "r-")):
            options.append((i, kind))
    out = []
    for a_mu, a_L in itertools.product(options, options):
        if a_mu is None and a_L is None:
            continue
        eqs = []
        for a, end in ((a_mu, ends[0]), (a_L, ends[1])):
            if a is not None:
                eqs += end_equations(factors[a[0]], end, a[1])
        uniq = []
        for e in (sympy.expand(e) for e in eqs):
            if e != 0 and e not in uniq and -e not in uniq:
                uniq.append(e)
        if len(uniq) >= n_unknowns:
            out.append((ActiveSet((a_mu, a_L)), uniq))
    return out


def solve_active_set(equations: list, unknowns: Sequence[Any]) -> list[dict]:
    """Exact solutions (sympy ``solve``) that fix every unknown; families are dropped.

    Examples
    --------
    >>> h = sympy.Symbol("h", positive=True)
    >>> solve_active_set([1 - h - RHO, 1 - 3 * h + RHO], [h, RHO])
    [{h: 1/2, rho: 1/2}]
    """
    return [dict(s) for s in _solve(tuple(equations), tuple(unknowns))]


@functools.lru_cache(maxsize=1024)
def _solve(equations: tuple, unknowns: tuple) -> tuple:
    """:func:`solve_active_set` on hashable exact arguments, cached (pinned parameters and
    several active sets often give the same system)."""
    try:
        sols = sympy.solve(list(equations), list(unknowns), dict=True, check=False)
    except (NotImplementedError, sympy.PolynomialError):  # pragma: no cover
        return ()
    except TypeError:
        # sympy sorts its solutions and fails ("Invalid NaN comparison") when a branch
        # divides 0/0 (seen for over-parameterized maps such as QHM): solve it component by
        # component instead, after Groebner elimination
        sols = _solve_by_groebner(equations, list(unknowns))
    unk = set(unknowns)
    return tuple(s for s in sols
                 if unk <= set(s) and not any(v.free_symbols & unk for v in s.values()))


def _solve_by_groebner(equations: list, unknowns: list) -> list[dict]:
    """Fallback of :func:`solve_active_set`: a lex Groebner basis, then ``solve`` on it."""
    try:
        G = sympy.groebner([sympy.numer(sympy.together(e)) for e in equations], *unknowns,
                           order="lex")
        return sympy.solve(list(G), unknowns, dict=True, check=False)
    except (NotImplementedError, sympy.PolynomialError, TypeError):
        return []


def monic_factors(charpoly: sympy.Expr) -> list:
    """The distinct factors of positive degree in ``z``, made monic.

    Examples
    --------
    >>> h = sympy.Symbol("h", positive=True)
    >>> monic_factors(sympy.expand((2 * Z - 1) * (Z + h * LAM)))
    [h*lambda + z, z - 1/2]
    """
    _, facs = sympy.factor_list(charpoly, Z)
    out = []
    for f, _mult in facs:
        if sympy.degree(f, Z) >= 1:
            lc = sympy.Poly(f, Z).LC()
            out.append(sympy.expand(sympy.cancel(f / lc)))
    return out


def sample_value(p: Any) -> sympy.Expr:
    """A point inside an untuned parameter's domain (used only for screening).

    Examples
    --------
    >>> from symadam.rates.methods import Parameter
    >>> sample_value(Parameter(sympy.Symbol("b"), "x", lower=0, upper=1))
    1/2
    """
    lo, hi = p.lower, p.upper
    if lo is not None and hi is not None:
        return (sympy.sympify(lo) + sympy.sympify(hi)) / 2
    if lo is not None:
        return sympy.sympify(lo) + 1
    if hi is not None:
        return sympy.sympify(hi) - 1
    return sympy.Integer(1)


def _roots_float(coeffs: list) -> list:
    coeffs = [complex(c) for c in coeffs]
    while coeffs and coeffs[0] == 0:
        coeffs.pop(0)
    if len(coeffs) == 2:
        return [-coeffs[1] / coeffs[0]]
    if len(coeffs) == 3:
        a, b, c = coeffs
        d = cmath.sqrt(b * b - 4 * a * c)
        return [(-b + d) / (2 * a), (-b - d) / (2 * a)]
    poly = sympy.Poly([sympy.Float(c.real) + sympy.I * sympy.Float(c.imag) for c in coeffs], Z)
    return [complex(r) for r in poly.nroots()]


def worst_case_float(factors: Sequence[Any], values: dict, lo: float, hi: float,
                     points: int = 201) -> tuple[float, float]:
    """Largest root modulus over ``lambda`` on a grid of ``[lo, hi]`` (float screening).

    Returns ``(worst, argmax_lambda)``.

    Examples
    --------
    >>> h = sympy.Symbol("h", positive=True)
    >>> w, at = worst_case_float([Z - 1 + h * LAM], {h: sympy.Rational(1, 2)}, 1.0, 3.0)
    >>> round(w, 12), at
    (0.5, 1.0)
    """
    fns = []
    for f in factors:
        cs = sympy.Poly(sympy.expand(f.subs(values)), Z).all_coeffs()
        fns.append(sympy.lambdify(LAM, cs, modules="math"))
    worst, arg = -1.0, lo
    for k in range(points):
        lam = lo + (hi - lo) * k / (points - 1)
        r = max(abs(z) for fn in fns for z in _roots_float(fn(lam)))
        if r > worst:
            worst, arg = r, lam
    return worst, arg
