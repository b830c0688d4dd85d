"""Exact arithmetic at one real algebraic number (sympy only).

A *real algebraic point* is a root ``theta`` of an irreducible polynomial
``Q`` over the rationals, pinned by a rational isolating interval.  Its
elements are polynomials in ``theta`` reduced modulo ``Q`` (the field
``Q(theta)``).  Because ``Q`` is irreducible, an element is zero **iff** its
remainder is the zero polynomial (an exact test), and a nonzero element has a
sign that interval arithmetic on a refined isolating interval decides in
finitely many steps (rigorous: a Taylor bound at the interval's midpoint,
all in rationals).  :meth:`RealField.canonical` turns an element into a
rational, a quadratic surd, or ``CRootOf(minimal polynomial, index)`` (the
minimal polynomial from a resultant, its factor identified exactly by
reduction modulo ``Q``, the root index by interval refinement).
"""
from __future__ import annotations

from typing import Any

import sympy
from sympy.polys.fields import FracElement
from sympy.polys.rings import PolyElement

__all__ = ["THETA", "RealField", "real_fields"]

#: The variable of the defining polynomials.
THETA = sympy.Dummy("theta")
_Z = sympy.Dummy("z")


class RealField:
    """The field ``Q(theta)`` with ``theta`` the root of ``Q`` in ``[lo, hi]``.

    Parameters
    ----------
    poly : sympy.Poly
        Irreducible over the rationals, in :data:`THETA`.
    lo, hi : Rational
        An isolating interval of the root (``lo == hi`` for a rational root).

    Examples
    --------
    >>> F = real_fields(sympy.Poly(THETA**2 - 2, THETA))[1]        # sqrt(2)
    >>> x = F.element(THETA**3 - 1)                                 # 2 sqrt(2) - 1
    >>> F.sign(x), F.canonical(x)
    (1, -1 + 2*sqrt(2))
    >>> F.is_zero(F.element(THETA**2 - 2))
    True
    """

    def __init__(self, poly: sympy.Poly, lo, hi):
        self.poly = sympy.Poly(poly, THETA, domain="QQ").monic()
        self.lo, self.hi = sympy.Rational(lo), sympy.Rational(hi)
        self.degree = self.poly.degree()

    def __repr__(self) -> str:
        return f"RealField({self.poly.as_expr()}, [{self.lo}, {self.hi}])"

    # -- elements ---------------------------------------------------------------------
    def element(self, e: Any) -> sympy.Poly:
        """``e`` (a polynomial expression in :data:`THETA` or a number) reduced mod ``Q``."""
        return sympy.Poly(e, THETA, domain="QQ").rem(self.poly)

    def mul(self, x: sympy.Poly, y: sympy.Poly) -> sympy.Poly:
        """The product of two elements."""
        return (x * y).rem(self.poly)

    def inv(self, x: sympy.Poly) -> sympy.Poly:
        """The inverse of a nonzero element (extended Euclid modulo ``Q``)."""
        if self.is_zero(x):
            raise ZeroDivisionError("inverse of zero in a number field")
        return x.invert(self.poly)

    def is_zero(self, x: sympy.Poly) -> bool:
        """Exact: ``x(theta) = 0`` iff ``Q`` divides ``x``."""
        return x.rem(self.poly).is_zero

    def evaluate(self, p: Any, point: dict) -> sympy.Poly:
        """A polynomial at the point (``point`` maps symbols to elements), reduced.

        ``p`` is a sympy expression polynomial in ``point``'s symbols, or an
        element of a sympy ``PolyRing`` (symbols absent from ``p`` may be
        absent from ``point``).

        Examples
        --------
        >>> F = real_fields(sympy.Poly(THETA**2 - 3, THETA))[0]      # -sqrt(3)
        >>> a, b = sympy.symbols("a b")
        >>> F.canonical(F.evaluate(a**2 + a*b, {a: F.element(THETA), b: F.element(1)}))
        3 - sqrt(3)
        """
        if isinstance(p, PolyElement):
            syms, terms = p.ring.symbols, p.terms()
            conv = p.ring.domain.to_sympy
        else:
            syms = tuple(point)
            if not syms:
                return self.element(p)
            terms = sympy.Poly(p, *syms, domain="QQ").terms()
            conv = sympy.sympify
        powers: dict = {}

        def power(i, n):
            if (i, n) not in powers:
                powers[(i, n)] = self.element(1) if n == 0 else \
                    self.mul(power(i, n - 1), point[syms[i]])
            return powers[(i, n)]

        total = self.element(0)
        for mono, coeff in terms:
            term = self.element(conv(coeff))
            for i, n in enumerate(mono):
                if n:
                    term = self.mul(term, power(i, n))
            total = total + term
        return total.rem(self.poly)

    def evaluate_rational(self, expr: Any, point: dict) -> sympy.Poly:
        """A rational function (expression or ``FracElement``) at the point.

        Raises ``ZeroDivisionError`` if its denominator vanishes there.
        """
        if isinstance(expr, FracElement):
            num, den = expr.numer, expr.denom
        else:
            num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))
        return self.mul(self.evaluate(num, point), self.inv(self.evaluate(den, point)))

    # -- signs and values -------------------------------------------------------------
    def _refine(self, width):
        if self.lo == self.hi:
            return
        lo, hi = self.poly.refine_root(self.lo, self.hi, eps=width)
        self.lo, self.hi = sympy.Rational(lo), sympy.Rational(hi)

    def enclosure(self, x: sympy.Poly) -> tuple:
        """Rational bounds ``(l, u)`` with ``l <= x(theta) <= u`` (rigorous)."""
        x = x.rem(self.poly)
        if self.lo == self.hi:
            v = x.eval(self.lo)
            return v, v
        mid, w = (self.lo + self.hi) / 2, (self.hi - self.lo) / 2
        c = x.shift(mid).all_coeffs()[::-1]        # x(mid + d) = sum c_i d^i
        err = sum((abs(ci) * w ** i for i, ci in enumerate(c) if i), sympy.Integer(0))
        return c[0] - err, c[0] + err

    def sign(self, x: sympy.Poly) -> int:
        """The exact sign of an element (-1, 0 or 1)."""
        if self.is_zero(x):
            return 0
        width = (self.hi - self.lo) / 2 ** 8 if self.lo != self.hi else 0
        while True:
            lo, hi = self.enclosure(x)
            if lo > 0:
                return 1
            if hi < 0:
                return -1
            width = width / 2 ** 16
            self._refine(width)

    def value(self, x: sympy.Poly, digits: int = 30) -> sympy.Rational:
        """A rational within ``10**-digits`` of ``x(theta)`` (rigorous)."""
        tol = sympy.Rational(1, 10 ** digits)
        while True:
            lo, hi = self.enclosure(x)
            if hi - lo < tol:
                return (lo + hi) / 2
            self._refine((self.hi - self.lo) / 2 ** 20)

    def compare(self, x: sympy.Poly, y: sympy.Poly) -> int:
        """Sign of ``x - y`` (exact)."""
        return self.sign((x - y).rem(self.poly))

    # -- display ----------------------------------------------------------------------
    def minimal_polynomial(self, x: sympy.Poly) -> sympy.Poly:
        """The minimal polynomial (monic, in :data:`THETA`) of the element ``x``.

        Examples
        --------
        >>> F = real_fields(sympy.Poly(THETA**3 - 2, THETA))[0]
        >>> F.minimal_polynomial(F.element(THETA**2)).as_expr()
        _theta**3 - 4
        """
        x = x.rem(self.poly)
        if x.degree() <= 0:
            return sympy.Poly(THETA - x.as_expr(), THETA, domain="QQ")
        res = sympy.resultant(self.poly.as_expr(), _Z - x.as_expr(), THETA)
        for fac, _m in sympy.factor_list(res, _Z)[1]:
            F = sympy.Poly(fac, _Z, domain="QQ")
            if F.degree() < 1:
                continue
            Fx = self.element(0)
            for cf in F.all_coeffs():                       # Horner, reduced mod Q
                Fx = (self.mul(Fx, x) + self.element(cf)).rem(self.poly)
            if Fx.is_zero:
                return sympy.Poly(F.as_expr().subs(_Z, THETA), THETA, domain="QQ").monic()
        raise ArithmeticError("no factor of the resultant vanishes")  # pragma: no cover

    def canonical(self, x: sympy.Poly) -> sympy.Expr:
        """``x`` as a Rational, a quadratic surd, or ``CRootOf(minimal polynomial, i)``."""
        M = self.minimal_polynomial(x)
        if M.degree() == 1:
            return -M.all_coeffs()[1]
        roots = M.intervals()
        while True:
            lo, hi = self.enclosure(x)
            hit = [i for i, ((l_, r_), _m) in enumerate(roots) if not (r_ < lo or l_ > hi)]
            if len(hit) == 1:
                idx = hit[0]
                break
            self._refine((self.hi - self.lo) / 2 ** 20)
        if M.degree() == 2:
            r = sorted(sympy.roots(M, multiple=True), key=lambda z: float(z))
            return sympy.expand(r[idx])
        return sympy.CRootOf(M.as_expr(), idx)


def real_fields(poly: sympy.Poly) -> list:
    """One :class:`RealField` per real root of the irreducible ``poly`` (increasing order).

    Examples
    --------
    >>> [F.lo <= 0 for F in real_fields(sympy.Poly(THETA**2 - 2, THETA))]
    [True, False]
    """
    P = sympy.Poly(poly, THETA, domain="QQ")
    return [RealField(P, lo, hi) for (lo, hi), _m in P.intervals()]
