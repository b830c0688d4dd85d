"""The batch mean of uniform data: the scaled Irwin--Hall law (sympy only).

If ``X_1, ..., X_J`` are i.i.d. ``U(a, b)``, the sum ``S = sum (X_i - a)/(b - a)``
has the Irwin--Hall density on ``[0, J]``,
``f_S(s) = 1/(J-1)! sum_{k=0}^{floor(s)} (-1)^k binom(J, k) (s - k)^{J-1}``,
a piecewise polynomial of degree ``J - 1`` on the ``J`` unit pieces.  The batch
mean ``Xbar = a + (b - a) S / J`` therefore has the density
``f(x) = J/(b - a) f_S(J (x - a)/(b - a))`` on ``J`` pieces of width ``(b - a)/J``.
On the right half the reflected form ``f_S(s) = f_S(J - s)`` is used, so each
piece is written with the fewer alternating terms.

With ``G = theta - Xbar`` and ``y = theta - x``, each piece is a polynomial
``sum_n q_n(theta) y^n`` on ``[l, h] = [theta - x_{i+1}, theta - x_i]``, so the
Laplace functionals ``phi(c) = E[e^{-c G^2}]`` and ``psi(c) = E[G e^{-c G^2}]``
are finite sums of ``I_n(l, h) = int_l^h y^n e^{-c y^2} dy``:
``I_0 = sqrt(pi)/(2 sqrt c) (erf(sqrt(c) h) - erf(sqrt(c) l))``,
``I_1 = (e^{-c l^2} - e^{-c h^2})/(2c)``,
``I_n = ((n-1) I_{n-2} + l^{n-1} e^{-c l^2} - h^{n-1} e^{-c h^2})/(2c)``
(integration by parts).  Moments come from the independent route of
convolving the moment sequences of the ``J`` uniforms.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import comb

import sympy
from sympy import Rational, exp, pi, sqrt

__all__ = ["irwin_hall_pieces", "irwin_hall_moment", "irwin_hall_functionals",
           "gauss_poly_integrals"]

_X = sympy.Symbol("x", real=True)
_Y = sympy.Symbol("y", real=True)


@lru_cache(maxsize=64)
def irwin_hall_pieces(a: sympy.Rational, b: sympy.Rational, J: int,
                      x: sympy.Symbol = _X) -> tuple:
    """Density of the mean of ``J`` i.i.d. ``U(a, b)``: ``((lo, hi, poly in x), ...)``.

    Examples
    --------
    >>> irwin_hall_pieces(sympy.Integer(0), sympy.Integer(1), 2)
    ((0, 1/2, 4*x), (1/2, 1, 4 - 4*x))
    """
    a, b, J = sympy.Rational(a), sympy.Rational(b), int(J)
    w = b - a
    s = J * (x - a) / w
    out = []
    for i in range(J):
        if 2 * i < J:
            f = sum((-1)**k * sympy.binomial(J, k) * (s - k)**(J - 1) for k in range(i + 1))
        else:
            f = sum((-1)**k * sympy.binomial(J, k) * (J - s - k)**(J - 1)
                    for k in range(J - i))
        poly = sympy.expand(J / w * f / sympy.factorial(J - 1))
        out.append((a + w * Rational(i, J), a + w * Rational(i + 1, J), poly))
    return tuple(out)


def irwin_hall_moment(a: sympy.Rational, b: sympy.Rational, J: int, n: int) -> sympy.Expr:
    """``E[Xbar^n]`` for the mean of ``J`` i.i.d. ``U(a, b)``, by convolving moments.

    ``E[(X_1 + ... + X_J)^n] = sum_k binom(n, k) E[(X_1+...+X_{J-1})^k] E[X_J^{n-k}]``.

    Examples
    --------
    >>> irwin_hall_moment(0, 1, 3, 2) - Rational(1, 4)   # variance 1/(12*3)
    1/36
    """
    n = int(n)
    top = 64
    while top < n:       # compute a whole block once; later orders come from the cache
        top *= 2
    return _moments(sympy.Rational(a), sympy.Rational(b), int(J), top)[n]


@lru_cache(maxsize=256)
def _moments(a: sympy.Rational, b: sympy.Rational, J: int, nmax: int) -> tuple:
    """Exact ``E[Xbar^0..nmax]`` (Python fractions; cached)."""
    fa, fb = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
    mu = [(fb**(k + 1) - fa**(k + 1)) / ((k + 1) * (fb - fa)) for k in range(nmax + 1)]
    cur = [Fraction(1)] + [Fraction(0)] * nmax             # moments of the empty sum
    for _ in range(J):
        cur = [sum((comb(m, k) * cur[k] * mu[m - k] for k in range(m + 1)), Fraction(0))
               for m in range(nmax + 1)]
    return tuple(sympy.Rational(v.numerator, v.denominator) / sympy.Integer(J)**m
                 for m, v in enumerate(cur))


def gauss_poly_integrals(nmax: int, lo: sympy.Expr, hi: sympy.Expr, c: sympy.Expr) -> list:
    """``[I_0, ..., I_nmax]`` with ``I_n = int_lo^hi y^n e^{-c y^2} dy`` in erf/exp.

    Examples
    --------
    >>> c = sympy.Symbol("c", positive=True)
    >>> I = gauss_poly_integrals(2, sympy.Integer(0), sympy.Integer(1), c)
    >>> exact = sympy.integrate(_Y**2 * exp(-c * _Y**2), (_Y, 0, 1))
    >>> abs(sympy.N((I[2] - exact).subs(c, 3), 40)) < 1e-35
    True
    """
    el, eh = exp(-c * lo**2), exp(-c * hi**2)
    out = [sqrt(pi) / (2 * sqrt(c)) * (sympy.erf(sqrt(c) * hi) - sympy.erf(sqrt(c) * lo))]
    if nmax >= 1:
        out.append((el - eh) / (2 * c))
    for n in range(2, nmax + 1):
        out.append(((n - 1) * out[n - 2] + lo**(n - 1) * el - hi**(n - 1) * eh) / (2 * c))
    return out


def irwin_hall_functionals(a: sympy.Rational, b: sympy.Rational, J: int, c: sympy.Symbol,
                           theta: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    """Closed forms of ``phi(c)``, ``psi(c)`` for ``G = theta - Xbar``, ``Xbar`` Irwin--Hall.

    Examples
    --------
    >>> c, th = sympy.symbols("c theta", positive=True)
    >>> phi, psi = irwin_hall_functionals(0, 1, 2, c, th)
    >>> sympy.N(phi.subs({c: 1, th: Rational(1, 2)}), 15)
    0.960327157936789
    """
    phi = psi = sympy.Integer(0)
    for lo, hi, poly in irwin_hall_pieces(sympy.Rational(a), sympy.Rational(b), int(J)):
        q = sympy.Poly(sympy.expand(poly.subs(_X, theta - _Y)), _Y).all_coeffs()[::-1]
        ints = gauss_poly_integrals(len(q), theta - hi, theta - lo, c)
        phi += sum((qn * ints[n] for n, qn in enumerate(q)), sympy.Integer(0))
        psi += sum((qn * ints[n + 1] for n, qn in enumerate(q)), sympy.Integer(0))
    return phi, psi
