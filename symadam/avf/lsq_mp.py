"""The Adam vector field of least squares in d dimensions, componentwise (mpmath).

Per-sample loss ``l_i(theta) = 1/2 (x_i . theta - y_i)^2`` with the sample
index ``I`` uniform on ``{1..n}`` (batch size 1).  The gradient coordinate
``G_l = (x_I . theta - y_I) x_{I,l}`` has a discrete law (atoms over ``i``);
``A_l`` depends only on that law (Adam is componentwise), so
``A(theta)_l = E[M_l/(eps + sqrt V_l)]`` is the one-dimensional field of
:mod:`symadam.avf.field_mp` evaluated on the atoms of ``G_l`` [reconstructed
convention, docs/conventions.md].  The coordinates are dependent through ``I``,
but no joint quantity enters ``A_l``.  For a realizable problem with more
parameters than data (arXiv 2511.04622) every ``G_l`` vanishes on the
solution set, so ``A = 0`` there (by convention ``M/(eps+sqrt V) = 0`` when
``G = 0`` almost surely).
"""
from __future__ import annotations

from typing import Any, Sequence

import mpmath
import sympy

from .field_mp import avf_value

__all__ = ["lsq_avf", "lsq_gradient", "avf_componentwise"]


def _rat(v: Any) -> sympy.Rational:
    return sympy.Rational(repr(v)) if isinstance(v, float) else sympy.Rational(v)


def lsq_gradient(X: Sequence[Sequence[Any]], y: Sequence[Any], theta: Sequence[Any]) -> list:
    """``grad F(theta) = (1/n) sum_i (x_i . theta - y_i) x_i`` exactly (sympy Rationals).

    Examples
    --------
    >>> lsq_gradient([[1, 0]], [1], [0, 5])
    [-1, 0]
    """
    Xr = [[_rat(v) for v in row] for row in X]
    yr = [_rat(v) for v in y]
    th = [_rat(v) for v in theta]
    n = len(Xr)
    res = [sum((a * b for a, b in zip(row, th)), sympy.Integer(0)) - yi for row, yi in zip(Xr, yr)]
    return [sum((r * row[k] for r, row in zip(res, Xr)), sympy.Integer(0)) / n
            for k in range(len(th))]


def lsq_avf(X: Sequence[Sequence[Any]], y: Sequence[Any], theta: Sequence[Any],
            beta1: Any = 0.9, beta2: Any = 0.99, eps: Any = 0, dps: int = 20) -> list:
    """The vector ``A(theta)`` (mpf entries) for least squares, one exact 1-D field per coordinate.

    Examples
    --------
    >>> X, y = [[1, 1, 0], [0, 1, 1]], [1, 2]
    >>> [float(a) for a in lsq_avf(X, y, [0, 1, 1], dps=15)]   # a solution: A = 0
    [0.0, 0.0, 0.0]
    """
    Xr = [[_rat(v) for v in row] for row in X]
    yr = [_rat(v) for v in y]
    th = [_rat(v) for v in theta]
    n = len(Xr)
    res = [sum((a * b for a, b in zip(row, th)), sympy.Integer(0)) - yi for row, yi in zip(Xr, yr)]
    out = []
    for k in range(len(th)):
        atoms = [r * row[k] for r, row in zip(res, Xr)]
        if all(a == 0 for a in atoms):
            out.append(mpmath.mpf(0))
            continue
        # G_l = 0 - X' with X' = -atom: reuse the 1-D evaluator at theta = 0
        spec = "discrete:" + ",".join(str(-a) for a in atoms) + "@" + ",".join(
            f"1/{n}" for _ in atoms)
        out.append(avf_value(spec, 0, beta1, beta2, eps, 1, dps).value)
    return out


def avf_componentwise(data: Sequence[Any], theta: Sequence[Any], beta1: Any = 0.9,
                      beta2: Any = 0.999, eps: Any = 0, batch: int = 1, dps: int = 20) -> list:
    """``A(theta)`` for ``F(theta) = E[1/2 |theta - X|^2]`` in ``d`` dimensions.

    Adam acts componentwise and ``A_i`` depends only on the law of the
    ``i``-th gradient coordinate ``theta_i - Xbar_i``, so ``data`` lists one
    spec per coordinate (any dependence between coordinates of ``X`` does not
    enter ``A``).

    Examples
    --------
    >>> a = avf_componentwise(["rademacher", "discrete:-1,1@1/4,3/4"], [0, 0], dps=15)
    >>> [round(float(v), 12) for v in a]
    [0.0, -0.5]
    """
    if len(data) != len(theta):
        raise ValueError(f"data and theta must have the same length, got {len(data)} and "
                         f"{len(theta)}")
    return [avf_value(spec, t, beta1, beta2, eps, batch, dps).value for spec, t in zip(data, theta)]
