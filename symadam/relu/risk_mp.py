"""The empirical risk of a ReLU network in mpmath arithmetic (an independent route).

Used to evaluate Frechet quotients ``(L(theta + t u) - L(theta) - t <g, u>)/t``
for ``t`` far below what float64 can resolve: the float64 inputs are taken
exactly (every float is a dyadic rational) and the forward pass runs at
``dps`` digits inside ``mpmath.workdps``.
"""
from __future__ import annotations

from typing import Any, Sequence

import mpmath

from ..core.validate import check_dps, check_real

__all__ = ["mp_relu_risk", "mp_frechet_quotient"]


def _affine(shapes, theta):
    out, k = [], 0
    for o, i in shapes:
        W = [[theta[k + r * i + c] for c in range(i)] for r in range(o)]
        k += o * i
        b = [theta[k + r] for r in range(o)]
        k += o
        out.append((W, b))
    return out


def mp_relu_risk(widths: Sequence[int], theta: Sequence[Any], x: Sequence[Any],
                 y: Sequence[Any], dps: int = 50) -> mpmath.mpf:
    """``(1/n) sum_i (N_theta(x_i) - y_i)^2`` for a ReLU network at ``dps`` digits.

    ``theta`` uses the flat layout of :class:`symadam.Network`; entries may be
    floats (taken exactly) or mpmath numbers.

    Examples
    --------
    >>> mp_relu_risk((1, 1, 1), [1.0, -0.5, 2.0, 0.0], [[1.0], [0.0]], [0.0, 0.0])
    mpf('0.5')
    """
    check_dps(dps)
    widths = tuple(int(w) for w in widths)
    shapes = [(widths[i + 1], widths[i]) for i in range(len(widths) - 1)]
    if len(theta) != sum(o * i + o for o, i in shapes):
        raise ValueError(f"theta must have {sum(o * i + o for o, i in shapes)} entries for "
                         f"widths {widths}, got {len(theta)}")
    if len(x) != len(y) or len(y) == 0:
        raise ValueError(f"x and y must hold the same number (>= 1) of points, got "
                         f"{len(x)} and {len(y)}")
    with mpmath.workdps(dps):
        th = [mpmath.mpf(v) for v in theta]
        layers = _affine(shapes, th)
        tot = mpmath.mpf(0)
        for xi, yi in zip(x, y):
            a = [mpmath.mpf(v) for v in xi]
            for li, (W, b) in enumerate(layers):
                z = [mpmath.fsum(wr[c] * a[c] for c in range(len(a))) + br for wr, br in zip(W, b)]
                a = z if li == len(layers) - 1 else [zz if zz > 0 else mpmath.mpf(0) for zz in z]
            tot += (a[0] - mpmath.mpf(yi)) ** 2
        return +(tot / len(y))


def mp_frechet_quotient(widths: Sequence[int], theta: Sequence[Any], g: Sequence[Any],
                        u: Sequence[Any], t: Any, x: Sequence[Any], y: Sequence[Any],
                        dps: int = 50) -> mpmath.mpf:
    """``(L(theta + t u) - L(theta) - t <g, u>) / t`` at ``dps`` digits.

    Examples
    --------
    >>> q = mp_frechet_quotient((1, 1, 1), [1.0, 0.0, 1.0, 0.0], [0, 0, 0, -2],
    ...                         [0, 0, 0, 1.0], 2.0 ** -20, [[0.0]], [1.0])
    >>> float(q) == 2.0 ** -20
    True
    """
    check_dps(dps)
    check_real("t", t)
    if t == 0:
        raise ValueError("t must be nonzero (the quotient divides by t)")
    with mpmath.workdps(dps):
        th = [mpmath.mpf(v) for v in theta]
        uu = [mpmath.mpf(v) for v in u]
        tt = mpmath.mpf(t)
        moved = [a + tt * b for a, b in zip(th, uu)]
        lin = mpmath.fsum(mpmath.mpf(gk) * uk for gk, uk in zip(g, uu))
        return +((mp_relu_risk(widths, moved, x, y, dps) - mp_relu_risk(widths, th, x, y, dps)
                  - tt * lin) / tt)
