"""Checking symbolic identities two ways: a canonical form, and 50-digit evaluation.

:func:`assert_identity` is the workhorse of the test suite: an identity
``a == b`` holds if a *targeted* canonical form of ``a - b`` (expand, cancel,
radsimp, factor, ... tried in order, never open-ended ``simplify``) is
exactly zero **and** ``a - b`` evaluates to zero at several random rational
points to ``digits`` digits.  Either half alone can be fooled; both together
rarely are.
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Callable, Mapping

import mpmath
import sympy

__all__ = ["canonical_zero", "assert_identity", "agreeing_digits"]

_PIPELINES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("expand", sympy.expand),
    ("cancel", lambda e: sympy.cancel(sympy.together(e))),
    ("radsimp+cancel", lambda e: sympy.cancel(sympy.radsimp(sympy.together(e)))),
    ("expand_power_base+cancel",
     lambda e: sympy.cancel(sympy.expand(sympy.powsimp(sympy.powdenest(e, force=False))))),
    ("factor", lambda e: sympy.factor(sympy.together(e))),
    ("sqrtdenest+radsimp",
     lambda e: sympy.cancel(sympy.radsimp(sympy.sqrtdenest(sympy.together(e))))),
)


def canonical_zero(expr: Any) -> str | None:
    """Name of the first targeted canonical form that reduces ``expr`` to 0, else None.

    Examples
    --------
    >>> x = sympy.Symbol("x", positive=True)
    >>> canonical_zero((x**2 - 1)/(x - 1) - (x + 1))
    'cancel'
    >>> canonical_zero(1/(sympy.sqrt(x) + 1) - (sympy.sqrt(x) - 1)/(x - 1))
    'cancel'
    >>> canonical_zero(x) is None
    True
    """
    expr = sympy.sympify(expr)
    if expr == 0:
        return "literal"
    for name, f in _PIPELINES:
        try:
            if f(expr) == 0:
                return name
        except (sympy.PolynomialError, ValueError, TypeError, NotImplementedError):
            continue
    return None


def _sample(sym: sympy.Symbol, rng: random.Random, domain: Mapping | None) -> sympy.Rational:
    if domain and sym in domain:
        lo, hi = (Fraction(str(v)) for v in domain[sym])
    elif sym.is_positive:
        lo, hi = Fraction(1, 3), Fraction(3)
    else:
        lo, hi = Fraction(-3), Fraction(3)
    u = Fraction(rng.randrange(1, 10**6), 10**6)
    q = lo + (hi - lo) * u
    return sympy.Rational(q.numerator, q.denominator)


def agreeing_digits(a: Any, b: Any) -> int:
    """Number of agreeing significant decimal digits of two numbers (mpmath).

    Exactly equal numbers give a large sentinel (999).

    Examples
    --------
    >>> agreeing_digits(mpmath.mpf("1.2345"), mpmath.mpf("1.2346"))
    4
    """
    a, b = mpmath.mpmathify(a), mpmath.mpmathify(b)
    diff = abs(a - b)
    if diff == 0:
        return 999
    scale = max(abs(a), abs(b))
    if scale == 0:
        return 0
    return max(0, int(mpmath.floor(-mpmath.log10(diff / scale))))


def assert_identity(
    a: Any,
    b: Any = 0,
    points: int = 5,
    digits: int = 50,
    seed: int = 0,
    domain: Mapping | None = None,
) -> str:
    """Assert ``a == b`` symbolically and numerically; return the canonical form used.

    Parameters
    ----------
    a, b : sympy expressions
    points : int
        Number of random rational points (positive symbols are sampled in
        ``(1/3, 3)``, others in ``(-3, 3)``, unless ``domain`` says otherwise).
    digits : int
        ``|a - b|`` must be below ``10**-digits`` (relative to ``1 + |a|``)
        when evaluated with ``digits + 15`` working digits.
    seed : int
        Seed of the point sampler (``random.Random``), for reproducibility.
    domain : mapping Symbol -> (lo, hi), optional

    Raises
    ------
    AssertionError
        If no targeted canonical form is zero, or a numeric evaluation is not.

    Examples
    --------
    >>> k = sympy.Symbol("kappa", positive=True)
    >>> s = sympy.sqrt(k)
    >>> assert_identity(((s - 1)/(s + 1))**2, (k + 1 - 2*s)/(k + 1 + 2*s))
    'expand'
    >>> assert_identity(k, k + sympy.Rational(1, 10**60))
    Traceback (most recent call last):
    ...
    AssertionError: no targeted canonical form of a - b is zero: -1/1000000000000000000...
    """
    diff = sympy.sympify(a) - sympy.sympify(b)
    how = canonical_zero(diff)
    if how is None:
        raise AssertionError(f"no targeted canonical form of a - b is zero: {diff}")
    rng = random.Random(seed)
    syms = sorted(diff.free_symbols | sympy.sympify(a).free_symbols, key=lambda s: s.name)
    tol = sympy.Float(10) ** (-digits)
    for _ in range(points if syms else 1):
        subs = {s: _sample(s, rng, domain) for s in syms}
        va = sympy.sympify(a).evalf(digits + 15, subs=subs)
        vd = diff.evalf(digits + 15, subs=subs)
        if not vd.is_number or abs(vd) > tol * (1 + abs(va)):
            raise AssertionError(f"a - b = {vd} at {subs}, not below 1e-{digits}")
    return how
