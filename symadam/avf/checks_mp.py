"""Independent mpmath routes that the claims ``avf.*`` compare the exact field against.

Convention [reconstructed; README, "Conventions"]: ``A(theta) = E[M/(eps + sqrt V)]``
with ``M = sum_k a_k G_k``, ``V = sum_k b_k G_k^2`` over the same i.i.d. samples,
``a_k = (1-beta1) beta1^k``, ``b_k = (1-beta2) beta2^k`` (the papers' alpha and
beta are ``beta1`` and ``beta2``).  Nothing here uses the Laplace route of
:mod:`symadam.avf.field_mp`: each function computes its quantity from the
definition (a quadrature of a defining integral, or an exhaustive sum over
histories), at the caller's working precision plus guard digits.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Sequence

import mpmath

__all__ = ["kernel_transform", "density_functionals", "finite_history_field"]


def kernel_transform(K: Callable[[Any, Any], Any], eps: Any, v: Any, dps: int) -> Any:
    """``int_0^oo K(u, eps) e^{-u v} du`` by quadrature (``u = w^2`` removes ``u^{-1/2}``).

    Examples
    --------
    >>> K0 = lambda u, e: 1 / mpmath.sqrt(mpmath.pi * u)
    >>> print(mpmath.nstr(kernel_transform(K0, 0, 4, 30), 20))
    0.5
    """
    with mpmath.workdps(dps + 10):
        e, vv = mpmath.mpf(eps), mpmath.mpf(v)
        q = mpmath.quad(lambda w: 2 * w * K(w * w, e) * mpmath.exp(-w * w * vv),
                        [0, 1, 4, mpmath.inf])
    return q


def density_functionals(density: Callable[[Any], Any], support: Sequence[Any], c: Any,
                        theta: Any, dps: int) -> tuple[Any, Any]:
    """``(E[e^{-c G^2}], E[G e^{-c G^2}])``, ``G = theta - X``, by quadrature of the density.

    ``support`` is ``(lo, hi)`` with ``mpmath.inf`` for an unbounded end (the
    infinite ends are split at a few points so the quadrature sees the bulk).

    Examples
    --------
    >>> f = lambda x: 1                       # uniform on [0, 1]
    >>> phi, psi = density_functionals(f, (0, 1), 0, "0.5", 20)
    >>> print(mpmath.nstr(phi, 15), mpmath.nstr(psi, 15))
    1.0 0.0
    """
    with mpmath.workdps(dps + 10):
        lo, hi = (mpmath.mpf(t) for t in support)
        if mpmath.isinf(lo) and mpmath.isinf(hi):
            pts = [-mpmath.inf, -2, 0, 2, mpmath.inf]
        elif mpmath.isinf(hi):
            pts = [lo, lo + 1, lo + 5, mpmath.inf]
        else:
            pts = [lo, hi]
        cc, th = mpmath.mpf(c), mpmath.mpf(theta)
        q0 = mpmath.quad(lambda t: mpmath.exp(-cc * (th - t)**2) * density(t), pts)
        q1 = mpmath.quad(lambda t: (th - t) * mpmath.exp(-cc * (th - t)**2) * density(t), pts)
    return q0, q1


def finite_history_field(atoms: Sequence[tuple[Any, Any]], beta1: Any, beta2: Any, eps: Any,
                         n: int, dps: int) -> Any:
    """``E[M/(eps + sqrt V)]`` over the first ``n`` samples, by enumerating all histories.

    ``atoms`` lists ``(g, p)``: the values of ``G`` and their probabilities.
    ``M = sum_{k<n} a_k G_k`` and ``V = sum_{k<n} b_k G_k^2``; the sum runs over
    all ``len(atoms)^n`` histories (refused above ``2^16``).

    Examples
    --------
    >>> at = [(mpmath.mpf(1), mpmath.mpf(1) / 4), (mpmath.mpf(-1), mpmath.mpf(3) / 4)]
    >>> v = finite_history_field(at, "0.9", "0.99", 0, 3, 20)   # V = 1 - 0.99^3 exactly
    >>> a = 1 - mpmath.mpf("0.9")**3
    >>> print(mpmath.nstr(v - (-a / 2 / mpmath.sqrt(1 - mpmath.mpf("0.99")**3)), 5))
    0.0
    """
    if len(atoms) ** n > 2**16:
        raise ValueError(f"n: {len(atoms)}^{n} histories is above the limit 2^16")
    with mpmath.workdps(dps + 10):
        b1, b2, ee = mpmath.mpf(beta1), mpmath.mpf(beta2), mpmath.mpf(eps)
        a = [(1 - b1) * b1**k for k in range(n)]
        b = [(1 - b2) * b2**k for k in range(n)]
        g = [(mpmath.mpf(x), mpmath.mpf(p)) for x, p in atoms]
        tot = mpmath.mpf(0)
        for seq in itertools.product(range(len(g)), repeat=n):
            M = mpmath.fsum(a[k] * g[s][0] for k, s in enumerate(seq))
            V = mpmath.fsum(b[k] * g[s][0]**2 for k, s in enumerate(seq))
            if V == 0:
                continue   # G = 0 throughout: M = 0, the convention M/(eps + sqrt V) = 0
            tot += mpmath.fprod(g[s][1] for s in seq) * M / (ee + mpmath.sqrt(V))
    return tot
