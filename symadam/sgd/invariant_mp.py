"""High-precision routes for the invariant laws (mpmath only): quadrature, roots, series.

The check routes of :mod:`symadam.sgd.invariant` (which derives closed forms):

* :func:`kesten_moment_quad` computes ``E|1 - gamma S|^kappa`` for
  ``S ~ chi^2_J/J`` by direct tanh-sinh quadrature of the defining integral
  (substituting ``s = t^2``, which makes the density smooth, and splitting at
  the kink ``t = gamma^{-1/2}``);
* :func:`log_moment_quad` computes ``E log|1 - gamma S|`` (the sign decides
  whether a stationary law exists);
* :func:`positive_root` finds the positive root of ``M(kappa) = 1`` for a
  convex moment function ``M`` with ``M(0) = 1`` and ``M'(0) < 0``;
* :func:`lyapunov_series` sums ``Sigma = sum_k A^k Q (A^k)^T`` until the terms
  fall below the working precision (an algorithm independent of solving the
  linear equation ``Sigma = A Sigma A^T + Q``).
"""
from __future__ import annotations

import functools
from typing import Callable, Sequence

import mpmath

__all__ = ["kesten_moment_quad", "log_moment_quad", "positive_root", "lyapunov_series"]


def _density_t(J: int):
    """Density of ``t = sqrt(S)``, ``S ~ chi^2_J/J``: ``2 c_J t^{J-1} exp(-J t^2/2)``."""
    Jm = mpmath.mpf(J)
    c = (Jm / 2) ** (Jm / 2) / mpmath.gamma(Jm / 2)
    return lambda t: 2 * c * t ** (J - 1) * mpmath.exp(-Jm * t * t / 2)


def kesten_moment_quad(gamma, kappa, batch: int = 1):
    """``E|1 - gamma S|^kappa`` by quadrature (``S`` the batch mean of ``J`` squared normals).

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(kesten_moment_quad(mpmath.mpf(1)/2, 2), 25))   # 1 - 2g + 3g^2
    0.75
    """
    g, k = mpmath.mpf(gamma), mpmath.mpf(kappa)
    nodes = _kernel(g, batch, mpmath.mp.prec)
    knot = 1 / mpmath.sqrt(g)

    def integrand(t):
        L, r = nodes(t)
        with mpmath.extraprec(20):
            return mpmath.exp(k * L) * r

    return mpmath.quad(integrand, [0, knot, 2 * knot, mpmath.inf])


@functools.lru_cache(maxsize=16)
def _kernel(g, batch: int, prec: int) -> Callable:
    """``t -> (log|1 - g t^2|, density)``, memoised per node (the nodes of ``mpmath.quad``
    are the same for every ``kappa`` at one precision: one root search reuses them).

    The logarithm carries 20 guard bits, so ``exp(kappa log|.|)`` loses nothing
    against ``|.|^kappa``.
    """
    rho = _density_t(batch)
    memo: dict = {}

    def at(t):
        v = memo.get(t)
        if v is None:
            with mpmath.extraprec(20):
                a = abs(1 - g * t * t)
                L = mpmath.log(a) if a else mpmath.ninf
            v = memo[t] = (L, rho(t))
        return v

    return at


def log_moment_quad(gamma, batch: int = 1):
    """``E log|1 - gamma S|`` by quadrature (the log singularity sits at a subinterval end).

    Examples
    --------
    >>> with mpmath.workdps(20):
    ...     log_moment_quad(0.5) < 0, log_moment_quad(3) > 0
    (True, True)
    """
    g = mpmath.mpf(gamma)
    rho = _density_t(batch)
    knot = 1 / mpmath.sqrt(g)
    return mpmath.quad(lambda t: mpmath.log(abs(1 - g * t * t)) * rho(t),
                       [0, knot, 2 * knot, mpmath.inf])


def positive_root(M: Callable, dps: int, start=1, guess=None):
    """The root ``kappa > 0`` of ``M(kappa) = 1`` (``M`` convex, ``M(0) = 1``, ``M'(0) < 0``).

    With ``guess``, secant steps from ``(guess, 1.01 guess)``; above 20 digits the
    guess is first refined to a 15-digit root (cheap evaluations of ``M`` at 25
    digits) and the secant starts from ``(kappa_15, kappa_15 (1 + 10^-12))``.  The
    result is accepted only if ``M - 1`` changes sign across
    ``kappa (1 -+ 10^-(dps+2))``.
    Otherwise brackets by doubling from ``start`` until ``M > 1`` and runs the
    Anderson–Björck bracketing solver.  Works at ``dps + 10`` digits.

    Examples
    --------
    >>> print(mpmath.nstr(positive_root(lambda k: 2**k - k, 20), 15))   # 2^k - k = 1 at k = 1
    1.0
    >>> print(mpmath.nstr(positive_root(lambda k: 2**k - k, 20, guess=1.3), 15))
    1.0
    """
    with mpmath.workdps(dps + 10):
        tol = mpmath.mpf(10) ** (-(dps + 8))
        if guess is not None:
            g, rel = mpmath.mpf(guess), mpmath.mpf("0.01")
            if dps > 20:
                try:
                    g = positive_root(M, 15, start, guess)
                    rel = mpmath.mpf(10) ** -12
                except ValueError:
                    pass
            try:
                k = mpmath.findroot(lambda x: M(x) - 1, (g, g * (1 + rel)),
                                    solver="secant", tol=tol, maxsteps=50, verify=False)
                h = abs(k) * mpmath.mpf(10) ** (-(dps + 2))
                if k > 0 and (M(k - h) - 1) * (M(k + h) - 1) <= 0:
                    return k
            except (ValueError, ZeroDivisionError):
                pass
        lo, hi = mpmath.mpf(0), mpmath.mpf(start)
        for _ in range(60):
            if M(hi) > 1:
                break
            lo, hi = hi, 2 * hi
        else:
            raise ValueError("no positive root of E|A|^kappa = 1 below 2^60")
        if lo == 0:
            lo = hi / 2
            while M(lo) > 1 and lo > mpmath.mpf(10) ** -6:
                lo /= 2
        return mpmath.findroot(lambda k: M(k) - 1, (lo, hi), solver="anderson",
                               tol=tol ** 2, maxsteps=200)


def lyapunov_series(A: Sequence[Sequence], Q: Sequence[Sequence], dps: int,
                    max_terms: int = 10**6) -> list[list]:
    """``sum_{k>=0} A^k Q (A^k)^T`` at ``dps + 10`` digits (``A`` with spectral radius < 1).

    Terms are doubled (``Sigma_{2m} = Sigma_m + A^m Sigma_m (A^m)^T``), so
    ``2^j`` terms cost ``j`` products.

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     S = lyapunov_series([[0.5]], [[3]], 30)
    ...     print(mpmath.nstr(S[0][0], 25))
    4.0
    """
    with mpmath.workdps(dps + 10):
        Am = mpmath.matrix([[mpmath.mpf(v) for v in row] for row in A])
        S = mpmath.matrix([[mpmath.mpf(v) for v in row] for row in Q])
        P = Am
        tol = mpmath.mpf(10) ** -(dps + 8)
        terms = 1
        while terms < max_terms:
            add = P * S * P.T
            S = S + add
            P = P * P
            terms *= 2
            if mpmath.mnorm(add, 1) <= tol * mpmath.mnorm(S, 1):
                return [[S[i, j] for j in range(S.cols)] for i in range(S.rows)]
        raise ValueError("the Lyapunov series did not converge (spectral radius >= 1?)")
