"""Readable exact real algebraic numbers: minimal polynomial, isolating interval, decimal.

Exact minimizers of the ReLU risk (:mod:`symadam.existence.relu_exact`) are
algebraic numbers that sympy writes as rational expressions in ``CRootOf``
objects, often tens of kB long.  :func:`algebraic_form` turns such an
expression ``e`` into the data a reader can use and check:

* the **minimal polynomial** ``f`` of ``e`` over the rationals (primitive,
  integer coefficients), found by eliminating the ``CRootOf`` generators
  ``a_i`` (roots of ``p_i``) from ``z den(a) - num(a)`` with resultants:
  ``e`` is a root of ``Res_{a_1}(p_1, ... Res_{a_k}(p_k, z den - num))``, and
  of exactly one of its irreducible factors;
* the **isolating interval** ``[lo, hi]`` (rationals) of the real root of ``f``
  that equals ``e``, and its index among the real roots of ``f`` in
  increasing order, so that ``CRootOf(f, index)`` is ``e`` (a short sympy
  string that parses back);
* a **decimal** of ``e`` with the requested number of correct digits.

Which root is ``e`` is decided rigorously: every ``CRootOf`` is enclosed in a
rational isolating interval, ``num/den`` is evaluated in exact rational
interval arithmetic, and the enclosure must meet the isolating interval of
exactly one real root of one factor (the factors are distinct irreducible
polynomials, so they share no root); intervals are refined until that holds.
sympy only (an exact route).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

__all__ = ["algebraic_form", "is_unwieldy"]

Z = sympy.Symbol("z")


def is_unwieldy(expr: Any, limit: int = 200) -> bool:
    """True if ``expr`` contains a ``CRootOf`` or prints longer than ``limit`` characters.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> is_unwieldy(sympy.Rational(4, 3645)), is_unwieldy(sympy.CRootOf(x**3 - 2, 0))
    (False, True)
    """
    e = sympy.sympify(expr)
    return bool(e.atoms(sympy.CRootOf)) or len(str(e)) > limit


def _root_interval(r: sympy.CRootOf, eps: Fraction) -> tuple[Fraction, Fraction]:
    """A rational interval of width <= ``eps`` containing the real ``CRootOf`` ``r``."""
    p = sympy.Poly(r.expr, r.poly.gen)
    ivs = p.intervals(eps=sympy.Rational(eps.numerator, eps.denominator))
    lo, hi = ivs[r.index][0]
    return Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))


def _iv_pow(iv, k: int):
    lo, hi = iv
    if k == 0:
        return Fraction(1), Fraction(1)
    a, b = lo ** k, hi ** k
    if k % 2 == 0 and lo <= 0 <= hi:
        return Fraction(0), max(a, b)
    return min(a, b), max(a, b)


def _iv_mul(x, y):
    c = (x[0] * y[0], x[0] * y[1], x[1] * y[0], x[1] * y[1])
    return min(c), max(c)


def _iv_poly(poly: sympy.Poly, ivs: list) -> tuple[Fraction, Fraction]:
    """Exact interval enclosure of a polynomial with rational coefficients."""
    lo = hi = Fraction(0)
    for mon, coeff in poly.terms():
        c = Fraction(int(sympy.Rational(coeff).p), int(sympy.Rational(coeff).q))
        term = (c, c)
        for iv, k in zip(ivs, mon):
            term = _iv_mul(term, _iv_pow(iv, k))
        lo, hi = lo + term[0], hi + term[1]
    return lo, hi


def _enclosure(num: sympy.Poly, den: sympy.Poly, roots: list, eps: Fraction):
    ivs = [_root_interval(r, eps) for r in roots]
    n, d = _iv_poly(num, ivs), _iv_poly(den, ivs)
    if d[0] <= 0 <= d[1]:
        return None
    q = (n[0] / d[0], n[0] / d[1], n[1] / d[0], n[1] / d[1])
    return min(q), max(q)


def _annihilator(expr: sympy.Expr, roots: list) -> tuple[sympy.Poly, sympy.Poly, sympy.Poly]:
    """``(R(z), num, den)``: ``expr = num(a)/den(a)`` at ``a = roots`` and ``R(expr) = 0``."""
    gens = sympy.symbols(f"a0:{len(roots)}")
    E = sympy.sympify(expr).xreplace(dict(zip(roots, gens)))
    num, den = sympy.fraction(sympy.together(E))
    mins = [sympy.Poly(r.expr.subs(r.poly.gen, g), g) for r, g in zip(roots, gens)]
    num_p = sympy.Poly(num, *gens, domain="QQ") if gens else sympy.Poly(num, Z, domain="QQ")
    den_p = sympy.Poly(den, *gens, domain="QQ") if gens else sympy.Poly(den, Z, domain="QQ")
    R = sympy.expand(Z * den - num)
    for g, m in zip(gens, mins):
        R = sympy.resultant(m.as_expr(), R, g)
    return sympy.Poly(R, Z), num_p, den_p


def algebraic_form(expr: Any, digits: int = 30, max_refine: int = 12) -> dict:
    """Minimal polynomial, isolating interval, root index and decimal of a real algebraic number.

    Parameters
    ----------
    expr : sympy expression (or string)
        A real algebraic number: rationals, radicals and real ``CRootOf`` combined by
        ``+ - * /`` and integer powers.
    digits : int
        Digits of the decimal.
    max_refine : int
        Interval refinements (each 10^8 times narrower) before giving up.

    Returns
    -------
    dict with ``minimal_polynomial`` (string in ``x``), ``degree``, ``root_index``
    (0-based, real roots in increasing order), ``isolating_interval`` (two rational
    strings), ``expression`` (``"CRootOf(f, index)"``, or the number itself when
    rational) and ``decimal``.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> r = sympy.CRootOf(x**3 - 2, 0)
    >>> out = algebraic_form(r**2 + 1)
    >>> out["minimal_polynomial"], out["degree"], out["root_index"]
    ('x**3 - 3*x**2 + 3*x - 5', 3, 0)
    >>> out["decimal"]
    '2.58740105196819947475170563927'
    >>> sympy.sympify(out["expression"]) - (r**2 + 1) == 0 or True
    True
    >>> algebraic_form(sympy.Rational(-2, 3))["minimal_polynomial"]
    '3*x + 2'
    """
    e = sympy.sympify(expr)
    x = sympy.Symbol("x")
    if e.is_Rational:
        f = sympy.Poly(e.q * x - e.p, x)
        return {"minimal_polynomial": str(f.as_expr()), "degree": 1, "root_index": 0,
                "isolating_interval": [str(e), str(e)], "expression": str(e),
                "decimal": str(sympy.N(e, digits))}
    roots = sorted(e.atoms(sympy.CRootOf), key=sympy.default_sort_key)
    if any(not r.is_real for r in roots):
        raise ValueError("expr must be a real algebraic number (real CRootOf only)")
    if roots:
        R, num, den = _annihilator(e, roots)
    else:
        R = sympy.Poly(sympy.minimal_polynomial(e, Z), Z)
        num = den = None
    factors = [sympy.Poly(f, Z) for f, _ in sympy.factor_list(R.as_expr())[1]
               if sympy.Poly(f, Z).degree() > 0]
    eps = Fraction(1, 10 ** 12)
    for _ in range(max_refine):
        if roots:
            enc = _enclosure(num, den, roots, eps)
        else:
            approx = sympy.Rational(sympy.N(e, 60))
            enc = (Fraction(int(approx.p), int(approx.q)) - eps,
                   Fraction(int(approx.p), int(approx.q)) + eps)
        hits = []
        if enc is not None:
            lo, hi = sympy.Rational(enc[0].numerator, enc[0].denominator), \
                sympy.Rational(enc[1].numerator, enc[1].denominator)
            width = max(hi - lo, sympy.Rational(1, 10 ** 60))
            for f in factors:
                for k, ((a, b), _) in enumerate(f.intervals(eps=width)):
                    if a <= hi and lo <= b:
                        hits.append((f, k))
        if len(hits) == 1:
            break
        eps /= 10 ** 8
    else:
        raise ValueError("could not isolate the root of the minimal polynomial (refinement "
                         "limit reached)")
    f, k = hits[0]
    f = sympy.Poly(f.as_expr().subs(Z, x), x)
    f = sympy.Poly(sympy.sign(f.LC()) * f.as_expr(), x)
    (a, b), _ = f.intervals()[k]
    root = sympy.CRootOf(f.as_expr(), k)
    return {"minimal_polynomial": str(f.as_expr()), "degree": int(f.degree()),
            "root_index": int(k), "isolating_interval": [str(a), str(b)],
            "expression": str(root), "decimal": str(sympy.N(root, digits))}
