"""A numerical estimate of the Łojasiewicz exponent: minimal gradients on level sets (float64).

The check route of :func:`symadam.sgd.lojasiewicz.lojasiewicz` (it never sees
the exact exponent).  With the convention of that module, the exponent is the
growth order of

    ``Lambda(t) = min{ |grad f(x)| : |x - p| <= r0, |f(x) - f(p)| = t } ~ C t^theta``

as ``t -> 0``.  For each level ``t`` the route walks rays ``p + rho e`` from the
point (360 directions in the plane, both directions on the line), finds on each
ray the first ``rho`` with ``|f - f(p)| = t`` (log-spaced grid, then vectorised
bisection), takes the minimal gradient norm over the rays, and refines the best
direction by a golden-section search.  ``theta`` is the least-squares slope of
``log Lambda`` against ``log t`` over ``t = 10^-4 ... 10^-16``; its standard
error from the fit residuals is reported beside it.  Float64 throughout.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = ["min_gradient_on_level", "level_set_exponent"]


def _first_crossing(f: Callable, p: np.ndarray, dirs: np.ndarray, fstar: float, t: float,
                    r0: float, n_grid: int = 400, n_bisect: int = 55) -> np.ndarray:
    """For each direction the first ``rho`` in (0, r0] with ``|f - f*| = t`` (nan if none)."""
    rho = np.geomspace(1e-12, r0, n_grid)
    pts = p[None, None, :] + rho[None, :, None] * dirs[:, None, :]
    vals = np.abs(f(pts) - fstar)
    above = vals >= t
    has = above.any(axis=1)
    idx = np.argmax(above, axis=1)
    hi = rho[idx]
    lo = np.where(idx > 0, rho[np.maximum(idx - 1, 0)], 0.0)
    for _ in range(n_bisect):
        mid = 0.5 * (lo + hi)
        v = np.abs(f(p[None, :] + mid[:, None] * dirs) - fstar)
        up = v >= t
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return np.where(has, hi, np.nan)


def min_gradient_on_level(f: Callable, grad: Callable, p: Sequence[float], fstar: float, t: float,
                          r0: float = 0.5, n_angles: int = 360) -> float:
    """``Lambda(t)``: the minimal ``|grad f|`` found on ``{|f - f*| = t}`` within ``r0`` of ``p``.

    ``f`` and ``grad`` take arrays of points with the coordinates on the last
    axis (``grad`` returns them on the last axis too).  One or two dimensions.

    Examples
    --------
    >>> f = lambda x: x[..., 0]**4
    >>> g = lambda x: 4 * x**3
    >>> round(min_gradient_on_level(f, g, [0.0], 0.0, 1e-8) / 4e-6, 6)   # 4 t^(3/4)
    1.0
    """
    p = np.asarray(p, dtype=float)
    dim = p.size
    if dim == 1:
        dirs = np.array([[1.0], [-1.0]])
    elif dim == 2:
        a = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
        dirs = np.stack([np.cos(a), np.sin(a)], axis=1)
    else:
        raise ValueError("the level-set route covers one and two dimensions")
    rho = _first_crossing(f, p, dirs, fstar, t, r0)
    ok = np.isfinite(rho)
    if not ok.any():
        raise ValueError(f"no point with |f - f*| = {t} within {r0} of the point")
    pts = p[None, :] + rho[:, None] * dirs
    gn = np.where(ok, np.linalg.norm(grad(np.where(ok[:, None], pts, p)), axis=-1), np.inf)
    best = float(gn.min())
    if dim == 2:
        i = int(np.argmin(gn))
        step = 2 * np.pi / n_angles
        lo, hi = a[i] - step, a[i] + step
        phi = (np.sqrt(5) - 1) / 2

        def value(alpha: float) -> float:
            d = np.array([[np.cos(alpha), np.sin(alpha)]])
            r = _first_crossing(f, p, d, fstar, t, r0)[0]
            return float(np.linalg.norm(grad(p + r * d[0]))) if np.isfinite(r) else np.inf

        for _ in range(40):
            m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
            if value(m1) < value(m2):
                hi = m2
            else:
                lo = m1
        best = min(best, value(0.5 * (lo + hi)))
    return best


def level_set_exponent(f: Callable, grad: Callable, p: Sequence[float], fstar: float = 0.0,
                       levels: Sequence[float] | None = None, r0: float = 0.5) -> dict:
    """Estimate ``theta`` as the slope of ``log Lambda(t)`` against ``log t``.

    Returns
    -------
    dict with ``theta``, ``se`` (least-squares standard error of the slope),
    ``levels`` and ``Lambda``.

    Examples
    --------
    >>> f = lambda x: x[..., 0]**6
    >>> g = lambda x: 6 * x**5
    >>> round(level_set_exponent(f, g, [0.0])["theta"], 6)        # 1 - 1/6
    0.833333
    """
    ts = np.asarray(levels if levels is not None else np.logspace(-4, -16, 9), dtype=float)
    lam = np.array([min_gradient_on_level(f, grad, p, fstar, float(t), r0) for t in ts])
    x, y = np.log(ts), np.log(lam)
    A = np.vstack([x, np.ones_like(x)]).T
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    dof = max(len(ts) - 2, 1)
    s2 = float(resid @ resid) / dof
    se = float(np.sqrt(s2 / np.sum((x - x.mean()) ** 2)))
    return {"theta": float(coef[0]), "se": se, "levels": ts.tolist(), "Lambda": lam.tolist()}
