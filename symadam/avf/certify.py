"""Certified routes of ``avf.*`` claims (``symadam verify --certify``): wiring only.

* ``avf.zero``: for Bernoulli(1/10) data, ``beta1 = 9/10``, ``beta2 = 99/100``,
  ``eps = 0``, a guess from the mpmath route (taken where the numeric check
  takes it, so the claim's sabotage reaches it) is turned into a proof by
  :func:`symadam.avf.field_arb.certify_zero`: ``A`` has exactly one zero in a
  bracket of width ``2 * 10^-25``, and the minimizer ``1/10`` lies outside it,
  so ``vartheta != theta*`` is proven.  (The numeric check uses
  ``beta2 = 999/1000``; the ball-arithmetic integrand needs ~10x more history
  factors there, so the certificate is for ``99/100``.)
* ``avf.symmetric_zero``: for skewed data (Bernoulli(1/10)) the enclosure of
  ``A(theta*)`` excludes 0 (proven non-zero); for symmetric data (Rademacher,
  and ``{-2, -1, 1, 2}`` uniform) the enclosure of ``A(theta*)``
  contains 0 and has radius below ``10^-30`` (that it is exactly 0 is the
  symmetry argument, which no enclosure can show).
"""
from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import mpmath

from ..core.arb_bridge import arb_str, flint_or_none
from ..core.record import Certificate
from ..core.registry import certifier
from . import claims as _claims

_B1, _B2 = "9/10", "99/100"


def _no_flint() -> Certificate:
    return Certificate(False, "Arb ball arithmetic",
                       why_not="python-flint is not installed (extra [certify])")


def _fmpq(s: str):
    from flint import fmpq

    f = Fraction(s)
    return fmpq(f.numerator, f.denominator)


@certifier("avf.zero")
def _zero(ctx) -> Certificate:
    if flint_or_none() is None:
        return _no_flint()
    from flint import fmpq

    from .field_arb import DiscreteLaw, certify_zero

    t0 = time.perf_counter()
    guess = _claims.avf_zero("bernoulli:0.1", _B1, _B2, 0, dps=35,
                             guess=_claims.first_order_bias("bernoulli:0.1", _B1, _B2))
    g = Fraction(mpmath.nstr(guess.zero, 40, min_fixed=-100, max_fixed=100))
    law = DiscreteLaw.of([(0, fmpq(9, 10)), (1, fmpq(1, 10))])
    c = certify_zero(law, fmpq(g.numerator, g.denominator), _fmpq(_B1), _fmpq(_B2), 0,
                     digits=25)
    theta_star = fmpq(1, 10)
    apart = c.certified and not (c.left <= theta_star <= c.right)
    why = c.why_not or (None if apart else "the minimizer lies in the bracket")
    from flint import arb
    from flint import ctx as fctx

    with fctx.workdps(45):
        half = arb(0, float(c.right - c.left) / 2 * (1 + 1e-9))
        mid = (c.left + c.right) / 2
        enc = {"zero": arb_str(arb(mid) + half, 28),
               "bias": arb_str(arb(mid - theta_star) + half, 28),
               "A(left)": arb_str(c.A_left, 6), "A(right)": arb_str(c.A_right, 6),
               "slope": arb_str(c.slope, 6)}
    return Certificate(c.certified and apart,
                       "Arb enclosures of A (certified integration, rigorous tails): opposite "
                       "signs at both ends of a 2e-25 bracket and a derivative bound excluding "
                       "0 on it (unique zero); bernoulli:0.1, beta = (9/10, 99/100), eps = 0",
                       enc, why, {"seconds": round(time.perf_counter() - t0, 2)})


@certifier("avf.symmetric_zero")
def _symmetric(ctx) -> Certificate:
    if flint_or_none() is None:
        return _no_flint()
    from flint import ctx as fctx
    from flint import fmpq

    from .field_arb import DiscreteLaw, avf_enclosure

    t0 = time.perf_counter()
    cases = {"rademacher": ([(-1, fmpq(1, 2)), (1, fmpq(1, 2))], True),
             "{-2,-1,1,2} uniform": ([(-2, fmpq(1, 4)), (-1, fmpq(1, 4)), (1, fmpq(1, 4)),
                                      (2, fmpq(1, 4))], True),
             "bernoulli:0.1": ([(0, fmpq(9, 10)), (1, fmpq(1, 10))], False)}
    enc, why = {}, []
    with fctx.workdps(45):
        for name, (atoms, symmetric) in cases.items():
            law = DiscreteLaw.of(atoms)
            theta = law.mean()
            if any(x == theta for x, _ in atoms):   # theta* an atom: shift to a non-atom point
                why.append(f"{name}: the minimizer is an atom (the tail bound needs g != 0)")
                continue
            a = avf_enclosure(law, theta, _fmpq(_B1), _fmpq(_B2), 0, digits=32)
            enc[f"A(theta*) {name}"] = arb_str(a, 34)
            if symmetric and not (a.contains(0) and a.rad() < 1e-30):
                why.append(f"{name}: enclosure of A(theta*) is not a ball of radius < 1e-30 "
                           f"around 0")
            if not symmetric and a.contains(0):
                why.append(f"{name}: A(theta*) != 0 not proven")
    return Certificate(not why, "Arb enclosures of A(theta*) (certified integration, rigorous "
                       "tails), beta = (9/10, 99/100), eps = 0: skewed data proven non-zero, "
                       "symmetric data enclosed within 1e-30 of 0", enc,
                       "; ".join(why) or None, {"seconds": round(time.perf_counter() - t0, 2)})


def certify_zero_of(law: Any, beta1: Any, beta2: Any, eps: Any, zero: Any,
                    digits: int) -> dict:
    """``avf zero --certify``: prove the zero found by the mpmath route, in Arb balls.

    Parameters
    ----------
    law : symadam.avf.laws.DataLaw
        The data law (a batch mean already taken); only discrete laws have a
        certified route.
    beta1, beta2, eps : exact rationals (sympy) as validated by the CLI.
    zero : mpmath.mpf
        The zero from :func:`symadam.avf.field_mp.avf_zero`.
    digits : int
        Half-width ``10^-digits`` of the bracket to prove (at most the digits
        the mpmath route reached).

    Returns
    -------
    dict
        ``certified`` (bool), ``enclosure`` (Arb notation, or ``None``) and
        ``why_not`` (``None`` when certified).

    Examples
    --------
    >>> from symadam.avf.field_mp import avf_zero
    >>> from symadam.avf.laws import parse_data
    >>> import sympy
    >>> z = avf_zero("bernoulli:0.5", "0.9", "0.99", 0, dps=20)
    >>> r = certify_zero_of(parse_data("bernoulli:0.5"), sympy.Rational(9, 10),
    ...                     sympy.Rational(99, 100), 0, z.zero, 15)
    >>> r["certified"], r["enclosure"]
    (True, '[0.50000000000000 +/- 1.01e-15]')
    >>> certify_zero_of(parse_data("normal:0,1"), sympy.Rational(9, 10),
    ...                 sympy.Rational(99, 100), 0, z.zero, 15)["why_not"]
    'no certified route for normal data (discrete laws only)'
    """
    if flint_or_none() is None:
        return {"certified": False, "enclosure": None, "why_not": _no_flint().why_not}
    if law.kind != "discrete":
        return {"certified": False, "enclosure": None,
                "why_not": f"no certified route for {law.kind} data (discrete laws only)"}
    from flint import arb
    from flint import ctx as fctx

    from .field_arb import DiscreteLaw, certify_zero

    dl = DiscreteLaw.of([(str(x), str(p)) for x, p in law.atoms])
    g = Fraction(mpmath.nstr(zero, digits + 10, min_fixed=-100, max_fixed=100))
    try:
        c = certify_zero(dl, _fmpq(f"{g.numerator}/{g.denominator}"), _fmpq(str(beta1)),
                         _fmpq(str(beta2)), _fmpq(str(eps)), digits=int(digits))
    except (ValueError, ZeroDivisionError) as exc:
        return {"certified": False, "enclosure": None, "why_not": str(exc)}
    if not c.certified:
        return {"certified": False, "enclosure": None, "why_not": c.why_not}
    with fctx.workdps(digits + 20):
        half = arb(0, float(c.right - c.left) / 2 * (1 + 1e-9))
        enc = arb_str(arb((c.left + c.right) / 2) + half, digits)
    return {"certified": True, "enclosure": enc, "why_not": None}
