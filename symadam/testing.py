"""pytest helpers for researchers' own tests: identities, derived rates, agreeing digits.

Each helper returns quietly when the statement holds and raises
``AssertionError`` otherwise, with a message that shows both sides in LaTeX
(paste it into a paper or a Markdown cell) and the evidence: the canonical
forms tried, the random point and the value of the difference there, or the
two numbers with their agreeing digits.

========================  ====================================================
helper                    asserts
========================  ====================================================
:func:`assert_equal`      two sympy expressions are equal: a targeted canonical
                          form of ``a - b`` is exactly 0 *and* ``a - b``
                          vanishes at random rational points to ``digits``
                          digits (:func:`symadam.core.assert_identity`)
:func:`assert_rate`       a method's optimally tuned local rate (derived by
                          :func:`symadam.tune`) equals a given expression
:func:`assert_digits`     a number agrees with a reference to ``digits``
                          significant digits (mpmath, any precision)
========================  ====================================================

Examples
--------
In a test file::

    import sympy
    from symadam.testing import assert_equal, assert_rate, assert_digits

    kappa = sympy.Symbol("kappa", positive=True)

    def test_polyak():
        s = sympy.sqrt(kappa)
        assert_rate("heavy-ball", (s - 1) / (s + 1))

    def test_square():
        x = sympy.Symbol("x")
        assert_equal((x + 1) ** 2, x**2 + 2 * x + 1)

    def test_value():
        import mpmath
        with mpmath.workdps(40):
            assert_digits(mpmath.sqrt(2), "1.414213562373095048801688724209698078570", 38)
"""
from __future__ import annotations

import random
from typing import Any, Mapping

import mpmath
import sympy

from .core.display import latex, number_str
from .core.identity import _PIPELINES, _sample, agreeing_digits, canonical_zero

__all__ = ["assert_equal", "assert_rate", "assert_digits"]

__tracebackhide__ = True   # pytest: report the caller's line, not these helpers


def _sides(a: Any, b: Any) -> str:
    return f"  a = {latex(a)}\n  b = {latex(b)}"


def assert_equal(a: Any, b: Any, *, points: int = 5, digits: int = 50, seed: int = 0,
                 domain: Mapping | None = None) -> str:
    """Assert ``a == b`` exactly and numerically; return the canonical form that showed it.

    Parameters
    ----------
    a, b : sympy expressions (or anything ``sympy.sympify`` accepts that is not text)
    points : int
        Random rational points at which ``a - b`` is evaluated; positive symbols
        are drawn from ``(1/3, 3)``, others from ``(-3, 3)``, unless ``domain``
        gives ``{symbol: (lo, hi)}``.
    digits : int
        ``|a - b| <= 10^-digits (1 + |a|)`` at every point, evaluated with
        ``digits + 15`` working digits.
    seed : int
        Seed of the point sampler.

    Raises
    ------
    AssertionError
        With both sides in LaTeX, the canonical forms tried and, for a numeric
        failure, the point and the value of ``a - b`` there.

    Examples
    --------
    >>> x = sympy.Symbol("x", positive=True)
    >>> assert_equal((x**2 - 1) / (x - 1), x + 1)
    'cancel'
    >>> assert_equal(sympy.sqrt(x**2), x)
    'literal'
    >>> assert_equal(x / (x + 1), 1 - 1 / (x + 2))
    Traceback (most recent call last):
    ...
    AssertionError: a != b: no targeted canonical form of a - b is zero
      a = \\frac{x}{x + 1}
      b = 1 - \\frac{1}{x + 2}
      a - b = ... (forms tried: expand, cancel, ...)
      at x = ...: a - b = ...
    """
    a, b = sympy.sympify(a), sympy.sympify(b)
    diff = a - b
    how = canonical_zero(diff)
    syms = sorted(diff.free_symbols | a.free_symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    tol = sympy.Float(10) ** (-digits)
    bad = None
    for _ in range(points if syms else 1):
        subs = {s: _sample(s, rng, domain) for s in syms}
        va = a.evalf(digits + 15, subs=subs)
        vd = diff.evalf(digits + 15, subs=subs)
        if not vd.is_number or abs(vd) > tol * (1 + abs(va)):
            bad = (subs, vd)
            break
    where = ""
    if bad is not None:
        point = ", ".join(f"{latex(s)} = {latex(v)}" for s, v in bad[0].items()) or "(constant)"
        where = f"\n  at {point}: a - b = {number_str(bad[1], 6)}"
    if how is None:
        forms = ", ".join(name for name, _ in _PIPELINES)
        raise AssertionError(
            "a != b: no targeted canonical form of a - b is zero\n" + _sides(a, b)
            + f"\n  a - b = {latex(diff)} (forms tried: {forms})"
            + (where or f"\n  (a - b vanishes at {points} random points to {digits} digits: "
                         "an identity the canonical forms miss? rewrite one side)"))
    if bad is not None:
        raise AssertionError(f"a != b numerically (canonical form {how!r} said 0)\n"
                             + _sides(a, b) + where + f", not below 10^-{digits}")
    return how


def assert_rate(method: Any, rate: Any, *, digits: int = 50, domain: Mapping | None = None) -> None:
    """Assert that the optimally tuned local rate of ``method`` is ``rate``.

    The rate is *derived* by :func:`symadam.tune` (the rate engine: linearize
    the iteration map, tune by the active-set technique) and compared with
    :func:`assert_equal`; ``rate`` is an expression in ``kappa`` (a positive
    symbol named ``kappa``); ``method`` is a registered name, an
    :class:`~symadam.rates.methods.IterationMap`, or a :class:`~symadam.Tuning`
    already derived.  ``domain`` is passed to :func:`assert_equal`.

    Examples
    --------
    >>> kappa = sympy.Symbol("kappa", positive=True)
    >>> assert_rate("gd", (kappa - 1) / (kappa + 1))
    >>> assert_rate("gd", (kappa - 1) / (kappa + 2))
    Traceback (most recent call last):
    ...
    AssertionError: the derived rate of 'gd' is not the expected one
      derived  \\rho = \\frac{\\kappa - 1}{\\kappa + 1}
      expected \\rho = \\frac{\\kappa - 1}{\\kappa + 2}
    ...
    """
    from .rates.engine import tune

    t = method if hasattr(method, "rate") and hasattr(method, "parameters") else tune(method)
    try:
        assert_equal(t.rate, rate, digits=digits, domain=domain)
    except AssertionError as exc:
        detail = str(exc).split("\n", 3)[-1]
        raise AssertionError(
            f"the derived rate of {t.method!r} is not the expected one\n"
            f"  derived  \\rho = {latex(t.rate)}\n  expected \\rho = {latex(sympy.sympify(rate))}"
            f"\n{detail}\n  (derivation: symadam derive, or tune({t.method!r}).derivation)"
        ) from None


def assert_digits(value: Any, reference: Any, digits: int) -> int:
    """Assert that ``value`` agrees with ``reference`` to ``digits`` significant digits.

    Both may be mpmath numbers, sympy numbers, decimal strings or floats
    (strings are read at the precision their digits need).  Returns the number
    of agreeing digits.

    Raises
    ------
    ValueError
        If ``digits`` is not a positive integer.
    AssertionError
        With both numbers, their difference and the agreeing digits.

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     assert_digits(mpmath.mpf(1) / 3, "0.333333333333333333333333333333", 29)
    30
    >>> assert_digits("3.14159", "3.14160", 6)
    Traceback (most recent call last):
    ...
    AssertionError: value agrees with the reference to 5 significant digits, 6 required
      value     = 3.14159
      reference = 3.14160
      |value - reference| = 1.0e-5
    """
    if not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    wp = max(digits + 10, mpmath.mp.dps,
             *(len(x) for x in (value, reference) if isinstance(x, str)))
    with mpmath.workdps(wp):
        a, b = (mpmath.mpf(sympy.N(x, wp)) if isinstance(x, sympy.Basic) else mpmath.mpmathify(x)
                for x in (value, reference))
        got = agreeing_digits(a, b)
        if got < digits:
            show = max(digits + 2, 6)
            raise AssertionError(
                f"value agrees with the reference to {got} significant digits, {digits} required\n"
                f"  value     = {value if isinstance(value, str) else mpmath.nstr(a, show)}\n"
                f"  reference = {reference if isinstance(reference, str) else mpmath.nstr(b, show)}"
                f"\n  |value - reference| = {mpmath.nstr(abs(a - b), 2)}")
    return min(got, wp)
