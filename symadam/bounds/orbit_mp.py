"""Adam on ``F = lam/2 theta^2`` at high precision: Jacobians and long orbits (mpmath).

An independent route for :mod:`symadam.bounds.stability`; nothing here uses the symbolic
linearization or the derived orbit:

* :func:`fixed_point_jacobian` -- the Jacobian of the nonlinear (autonomous) Adam step at
  ``(theta, m, v) = (0, 0, 0)`` by *one-sided* derivatives (``mpmath.diff``,
  ``direction=1``): ``sqrt(v)`` makes the step non-smooth at the origin, but along the
  half-rays ``theta = h > 0``, ``m = h``, ``v = h`` it is analytic in ``h``, so the
  one-sided derivatives are exact to the working precision;
* :func:`spectral_radius` -- eigenvalues by ``mpmath.eig``;
* :func:`adam_orbit` -- bias-corrected Adam iterated at ``dps`` digits (the last iterates;
  the loop runs in MPFR, mpmath's backend, with the same correctly rounded operations);
* :func:`two_step_multipliers` -- moduli of the eigenvalues of the Jacobian of two
  autonomous steps at a point (the map is smooth there when ``v > 0``).

``beta1`` is the papers' alpha, ``beta2`` their beta, ``gamma`` the learning rate.
"""
from __future__ import annotations

from typing import Any

import gmpy2
import mpmath

from ..core.validate import check_dps, check_int

__all__ = ["adam_map", "fixed_point_jacobian", "spectral_radius", "adam_orbit",
           "two_step_multipliers"]


def _m(x: Any) -> mpmath.mpf:
    if isinstance(x, str) and "/" in x:
        p, q = x.split("/")
        return mpmath.mpf(p) / mpmath.mpf(q)
    return mpmath.mpf(x)


def adam_map(state, lam, gamma, beta1, beta2, eps, c1=1, c2=1):
    """One Adam step on ``g = lam theta`` (bias corrections ``c1, c2``; 1 = autonomous).

    Examples
    --------
    >>> with mpmath.workdps(20):
    ...     [float(x) for x in adam_map((1, 0, 0), 2, mpmath.mpf("0.1"), 0.5, 0.75, 1)]
    [0.95, 1.0, 1.0]
    """
    th, m, v = state
    g = lam * th
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    return (th - gamma * (m / c1) / (eps + mpmath.sqrt(v / c2)), m, v)


def fixed_point_jacobian(lam: Any, gamma: Any, beta1: Any, beta2: Any, eps: Any,
                         dps: int = 50) -> mpmath.matrix:
    """3x3 Jacobian of the autonomous Adam step at the origin (one-sided, full precision).

    Examples
    --------
    >>> J = fixed_point_jacobian(2, "0.1", "0.5", "0.9", 1, dps=30)
    >>> [mpmath.nstr(J[0, j], 10) for j in range(3)], mpmath.nstr(J[2, 2], 5)
    (['0.9', '-0.05', '0.0'], '0.9')
    """
    check_dps(dps)
    with mpmath.workdps(dps + 10):
        p = [_m(x) for x in (lam, gamma, beta1, beta2, eps)]
        J = mpmath.matrix(3, 3)
        for j in range(3):
            for i in range(3):
                def f(h, i=i, j=j):
                    s = [mpmath.mpf(0)] * 3
                    s[j] = h
                    return adam_map(s, *p)[i]
                J[i, j] = mpmath.diff(f, 0, direction=1)
        return J


def spectral_radius(M: mpmath.matrix, dps: int = 50) -> mpmath.mpf:
    """Largest eigenvalue modulus (``mpmath.eig``).

    Examples
    --------
    >>> mpmath.nstr(spectral_radius(mpmath.matrix([[0, 1], [-1, 0]]), 20), 5)
    '1.0'
    """
    with mpmath.workdps(dps + 10):
        ev = mpmath.eig(M, left=False, right=False)
        return max(abs(e) for e in ev)


def adam_orbit(lam: Any, gamma: Any, beta1: Any, beta2: Any, eps: Any, theta0: Any,
               steps: int, dps: int = 50, keep: int = 4, bias_correction: bool = True) -> list:
    """The last ``keep`` states ``(theta, m, v, vhat)`` after ``steps`` Adam steps.

    Examples
    --------
    >>> out = adam_orbit(1, "0.66", "0.5", "0.5", "0.1", 1, 400, dps=20)
    >>> [mpmath.nstr(s[0], 6) for s in out[-2:]]          # a period-2 oscillation
    ['-0.01', '0.01']
    """
    check_dps(dps)
    check_int("steps", steps)
    with mpmath.workdps(dps + 10):
        prec = mpmath.mp.prec
        args = [_m(x) for x in (theta0, lam, gamma, beta1, beta2, eps)]
    # the loop in MPFR (gmpy2, mpmath's backend) at the same precision: +, -, *, / and sqrt
    # are correctly rounded in both, so the iterates are the same, without mpf overhead
    old = gmpy2.get_context()
    gmpy2.set_context(gmpy2.context(precision=prec))
    try:
        th, lam, gamma, b1, b2, e = (_fr(x) for x in args)
        m = v = gmpy2.mpfr(0)
        p1 = p2 = gmpy2.mpfr(1)
        out = []
        for n in range(1, steps + 1):
            p1 *= b1
            p2 *= b2
            c1, c2 = (1 - p1, 1 - p2) if bias_correction else (1, 1)
            g = lam * th
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            th = th - gamma * (m / c1) / (e + gmpy2.sqrt(v / c2))
            if n > steps - keep:
                out.append((th, m, v, v / c2))
    finally:
        gmpy2.set_context(old)
    with mpmath.workprec(prec):
        return [tuple(_mpf(x) for x in st) for st in out]


def _fr(x: mpmath.mpf) -> gmpy2.mpfr:
    """An mpf as an MPFR number (exact at the working precision)."""
    sign, man, exp, _ = x._mpf_
    if not man:
        return gmpy2.mpfr(0)
    r = gmpy2.mul_2exp(gmpy2.mpfr(man), exp)
    return -r if sign else r


def _mpf(x: gmpy2.mpfr) -> mpmath.mpf:
    """An MPFR number as an mpf (exact)."""
    if x == 0:
        return mpmath.mpf(0)
    man, exp = x.as_mantissa_exp()
    return mpmath.mpf((int(man), int(exp)))


def two_step_multipliers(point, lam: Any, gamma: Any, beta1: Any, beta2: Any, eps: Any,
                         dps: int = 30) -> list:
    """Eigenvalue moduli of the Jacobian of two autonomous steps at ``point`` (``v > 0``).

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     mods = two_step_multipliers((mpmath.mpf("-0.01"), mpmath.mpf("0.01") / 3,
    ...                                  mpmath.mpf("0.0001")), 1, "0.66", "0.5", "0.5",
    ...                                 "0.1", dps=30)
    >>> max(mods) < 1
    True
    """
    with mpmath.workdps(dps + 10):
        p = [_m(x) for x in (lam, gamma, beta1, beta2, eps)]
        pt = [mpmath.mpf(x) for x in point]
        J = mpmath.matrix(3, 3)
        for j in range(3):
            for i in range(3):
                def f(h, i=i, j=j):
                    s = list(pt)
                    s[j] = s[j] + h
                    return adam_map(adam_map(s, *p), *p)[i]
                J[i, j] = mpmath.diff(f, 0)
        return sorted(abs(e) for e in mpmath.eig(J, left=False, right=False))
