"""Exact algebra for the piecewise rate engine (private; sympy only).

* :func:`zero_polynomials`: for an expression ``E(kappa)`` built from rationals,
  ``kappa`` and radicals (nested radicals and algebraic constants such as
  ``sqrt(11)`` included), the irreducible polynomials in ``Q[kappa]`` whose real
  roots contain every zero and every pole of ``E``.  The radicals are replaced
  by new unknowns ``y`` with ``y^q = base`` and eliminated by resultants; the
  factor of ``R(kappa, w)`` that vanishes at ``w = E`` (identified numerically at
  two rational points) gives, through its constant term in ``w``, a polynomial
  vanishing at the zeros of ``E``.  A zero of ``E`` is never missed; a spurious
  root only splits an interval that then turns out to carry the same answer.
* :func:`real_roots_above`: the real roots ``> 1`` of such polynomials, as exact
  algebraic numbers (rationals, radicals for degree 2, ``CRootOf`` otherwise),
  deduplicated (distinct irreducible polynomials have no common root).
* :func:`rational_between`: a short rational strictly between two of them.
"""
from __future__ import annotations

import functools
import itertools
from typing import Any, Iterable, Sequence

import sympy

__all__ = ["zero_polynomials", "real_roots_above", "rational_between", "describe_algebraic"]

_DPS = 60


def _radical_atoms(e: sympy.Expr) -> list:
    return [a for a in e.atoms(sympy.Pow) if a.exp.is_Rational and not a.exp.is_Integer]


def _eliminate(expr: sympy.Expr, w: sympy.Symbol) -> sympy.Expr:
    """``R`` free of radicals with ``R(kappa, E(kappa)) = 0`` (``w`` stands for ``E``)."""
    num, den = sympy.fraction(sympy.together(expr))
    R = sympy.expand(w * den - num)
    relations: list = []               # (y, y^q - base), innermost first
    while True:
        rad = [a for a in _radical_atoms(R) if not _radical_atoms(a.base)]
        if not rad:
            break
        base, q = rad[0].base, rad[0].exp.q
        y = sympy.Dummy("y")
        repl = {b: y ** (b.exp * q) for b in _radical_atoms(R)
                if b.base == base and (b.exp * q).is_Integer}
        R = sympy.expand(sympy.numer(sympy.together(R.xreplace(repl))))
        relations.append((y, sympy.expand(sympy.numer(sympy.together(y ** q - base)))))
    for y, rel in reversed(relations):
        if R.has(y):
            R = sympy.resultant(R, rel, y)
    return sympy.expand(R)


def zero_polynomials(expr: Any, var: sympy.Symbol, samples: dict | None = None) -> list | None:
    """Irreducible polynomials in ``var`` whose roots contain the zeros and poles of ``expr``.

    Returns ``None`` if ``expr`` vanishes identically.  Other free symbols are
    allowed only if they drop out of the result (``samples`` gives them values
    for the numeric identification); otherwise :class:`NotImplementedError`.

    Examples
    --------
    >>> k = sympy.Symbol("kappa", positive=True)
    >>> zero_polynomials(sympy.sqrt(k) - 3, k)
    [kappa - 9]
    >>> zero_polynomials((sympy.sqrt(k) - 1) / (sympy.sqrt(k) + 1) - 3 * sympy.sqrt(11) / 10, k)
    [kappa**2 - 158402*kappa + 1, kappa - 1]
    >>> zero_polynomials(sympy.sqrt(k)**2 - k, k) is None
    True
    """
    items = tuple(sorted((samples or {}).items(), key=lambda kv: str(kv[0])))
    out = _zero_polynomials(sympy.sympify(expr), var, items)
    return None if out is None else list(out)


@functools.lru_cache(maxsize=4096)
def _zero_polynomials(e: sympy.Expr, var: sympy.Symbol, items: tuple) -> tuple | None:
    """:func:`zero_polynomials` on hashable exact arguments, cached: the piece engine meets
    the same event expression many times (shared radicands, branch events again among the
    full events, the rounds of its loop)."""
    samples = dict(items)
    if e.is_number:
        return None if sympy.N(e, _DPS) == 0 else ()
    num, den = sympy.fraction(sympy.together(e))
    out = []
    for part, is_num in ((num, True), (den, False)):
        if not part.has(var):
            if is_num and sympy.N(part.subs(samples), _DPS) == 0:
                return None
            continue
        polys = _zero_polys_of(part, var, samples)
        if polys is None:
            if is_num:
                return None
            continue
        out += polys
    uniq = []
    for p in out:
        if p not in uniq:
            uniq.append(p)
    return tuple(uniq)


def _zero_polys_of(e: sympy.Expr, var: sympy.Symbol, samples: dict) -> list | None:
    w = sympy.Dummy("w")
    R = _eliminate(e, w)
    _, facs = sympy.factor_list(R)
    facs = [f for f, _ in facs if f.has(w) or f.has(var)]
    points = [sympy.Rational(37, 10), sympy.Rational(1234, 7)]
    best, score = None, None
    for f in facs:
        s = 0
        for k0 in points:
            sub = {var: k0, **samples}
            val = sympy.N(e.subs(sub), _DPS)
            s = max(s, abs(sympy.N(f.subs(sub).subs(w, val), _DPS)))
        if score is None or s < score:
            best, score = f, s
    if best is None:  # pragma: no cover - R is a nonzero polynomial
        raise ArithmeticError("no factor vanishes at the expression")
    if sympy.expand(best.subs(w, 0)) == 0:
        return None                       # the factor is w: the expression is identically 0
    c = sympy.expand(best.subs(w, 0))
    out = []
    for f, _ in sympy.factor_list(c)[1]:
        if not f.has(var):
            continue
        extra = f.free_symbols - {var}
        if extra:
            raise NotImplementedError(
                "the breakpoints in kappa depend on the untuned parameter(s) "
                f"{', '.join(sorted(s.name for s in extra))}: give them values")
        out.append(_primitive(sympy.Poly(f, var)))
    return out


def _primitive(p: sympy.Poly) -> sympy.Expr:
    _, q = p.primitive()
    if q.LC() < 0:
        q = -q
    return q.as_expr()


def real_roots_above(polys: Iterable[Any], var: sympy.Symbol, lower: Any = 1) -> list:
    """Sorted distinct real roots ``> lower`` of the polynomials (exact algebraic numbers).

    Examples
    --------
    >>> k = sympy.Symbol("kappa")
    >>> real_roots_above([k**2 - 39602*k + 1, k - 9, (k - 9)], k)
    [9, 60*sqrt(108911) + 19801]
    """
    seen, out = set(), []
    for f in polys:
        for g, _ in sympy.factor_list(sympy.sympify(f), var)[1]:
            P = sympy.Poly(g, var)
            if P.degree() < 1:
                continue
            key = _primitive(P)
            if key in seen:
                continue
            seen.add(key)
            for r in P.real_roots():
                if sympy.N(r - lower, _DPS) > 0:
                    out.append(sympy.nsimplify(r) if P.degree() == 1 else _tidy_root(r))
    out.sort(key=lambda r: sympy.N(r, _DPS))
    return out


def _tidy_root(r: Any) -> Any:
    return sympy.radsimp(r) if not isinstance(r, sympy.CRootOf) else r


def rational_between(a: Any, b: Any = None) -> sympy.Rational:
    """A rational with a small denominator strictly between ``a`` and ``b`` (``b=None``: above).

    Examples
    --------
    >>> rational_between(1, sympy.sqrt(2)), rational_between(sympy.sqrt(2))
    (4/3, 3)
    """
    lo = sympy.N(a, _DPS)
    if b is None:
        return sympy.Integer(int(sympy.floor(2 * lo)) + 1)
    hi = sympy.N(b, _DPS)
    for d in itertools.chain(range(1, 100), (10**k for k in range(2, 60))):
        n = int(sympy.floor(lo * d)) + 1
        s = sympy.Rational(n, d)
        if lo < s < hi:
            mid = sympy.Rational(int(sympy.floor((lo + hi) / 2 * d)), d)
            return s if d < 100 else (mid if lo < mid < hi else s)
    raise ArithmeticError(f"no rational found between {a} and {b}")  # pragma: no cover


def describe_algebraic(x: Any, var: sympy.Symbol) -> dict:
    """A readable record of an algebraic number: exact form, minimal polynomial, decimal.

    Examples
    --------
    >>> k = sympy.Symbol("kappa")
    >>> describe_algebraic(sympy.sqrt(2), k)["minimal_polynomial"]
    'kappa**2 - 2'
    """
    mp = sympy.minimal_polynomial(x, var) if not x.is_Rational else var - x
    return {"exact": str(x), "minimal_polynomial": str(mp), "decimal": str(sympy.N(x, 30))}


def as_sorted(values: Sequence[Any]) -> list:
    """Values sorted numerically (60 digits)."""
    return sorted(values, key=lambda r: sympy.N(r, _DPS))
