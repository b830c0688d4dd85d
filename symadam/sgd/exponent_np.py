"""A numerical estimate of the Łojasiewicz exponent: minimal gradients on level sets (float64).

The check route of :func:`symadam.sgd.lojasiewicz.lojasiewicz` (it never sees
the exact exponent).  With the convention of that module, the exponent is the
growth order of

    ``Lambda(t) = min{ |grad f(x)| : |x - p| <= r0, |f(x) - f(p)| = t } ~ C t^theta``

as ``t -> 0``.  For each level ``t`` the route walks rays ``p + rho e`` from the
point (360 directions in the plane, both directions on the line), finds on each
ray the first ``rho`` with ``|f - f(p)| = t`` (log-spaced grid, then vectorised
bisection), takes the minimal gradient norm over the rays, and refines the best
direction by a golden-section search (all levels advance together).  ``theta``
is the least-squares slope of ``log Lambda`` against ``log t`` over
``t = 10^-4 ... 10^-16``; its standard error from the fit residuals is
reported beside it.  Float64 throughout.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = ["min_gradient_on_level", "level_set_exponent"]


def _first_crossing(f: Callable, p: np.ndarray, dirs: np.ndarray, fstar: float, t,
                    r0: float, n_grid: int = 400, n_bisect: int = 55) -> np.ndarray:
    """For each direction the first ``rho`` in (0, r0] with ``|f - f*| = t`` (nan if none).

    ``dirs`` has the coordinates on its last axis; ``t`` broadcasts against
    ``dirs.shape[:-1]`` (several levels share one scan of the rays).
    """
    rho = np.geomspace(1e-12, r0, n_grid)
    pts = p + rho[:, None] * dirs[..., None, :]
    vals = np.abs(f(pts) - fstar)
    t = np.asarray(t, dtype=float)
    above = vals >= t[..., None]
    has = above.any(axis=-1)
    idx = np.argmax(above, axis=-1)
    hi = rho[idx]
    lo = np.where(idx > 0, rho[np.maximum(idx - 1, 0)], 0.0)
    for _ in range(n_bisect):
        mid = 0.5 * (lo + hi)
        v = np.abs(f(p + mid[..., None] * dirs) - fstar)
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
    return float(_min_gradients(f, grad, p, fstar, [t], r0, n_angles)[0])


def _min_gradients(f: Callable, grad: Callable, p: Sequence[float], fstar: float,
                   ts: Sequence[float], r0: float, n_angles: int) -> np.ndarray:
    """:func:`min_gradient_on_level` at each level of ``ts`` (the levels advance together)."""
    p = np.asarray(p, dtype=float)
    ts = np.asarray(ts, dtype=float)
    dim = p.size
    if dim == 1:
        dirs = np.array([[1.0], [-1.0]])
    elif dim == 2:
        a = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
        dirs = np.stack([np.cos(a), np.sin(a)], axis=1)
    else:
        raise ValueError("the level-set route covers one and two dimensions")
    rho = _first_crossing(f, p, dirs, fstar, ts[:, None], r0)        # (levels, rays)
    ok = np.isfinite(rho)
    if not ok.any(axis=1).all():
        t = ts[~ok.any(axis=1)][0]
        raise ValueError(f"no point with |f - f*| = {t} within {r0} of the point")
    pts = p + rho[..., None] * dirs
    with np.errstate(invalid="ignore"):
        gn = np.where(ok, np.linalg.norm(grad(np.where(ok[..., None], pts, p)), axis=-1), np.inf)
    best = gn.min(axis=1)
    if dim == 2:
        i = np.argmin(gn, axis=1)
        step = 2 * np.pi / n_angles
        lo, hi = a[i] - step, a[i] + step
        phi = (np.sqrt(5) - 1) / 2

        def value(alpha: np.ndarray) -> np.ndarray:
            d = np.stack([np.cos(alpha), np.sin(alpha)], axis=-1)
            r = _first_crossing(f, p, d, fstar, ts, r0)
            fin = np.isfinite(r)
            with np.errstate(invalid="ignore"):
                g = np.linalg.norm(grad(p + np.where(fin, r, 0.0)[:, None] * d), axis=-1)
            return np.where(fin, g, np.inf)

        # golden-section search, 40 reductions of the bracket; the surviving
        # interior point and its value are kept (one new evaluation per reduction)
        m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
        v1, v2 = value(m1), value(m2)
        for _ in range(40):
            left = v1 < v2
            hi = np.where(left, m2, hi)
            lo = np.where(left, lo, m1)
            new = np.where(left, hi - phi * (hi - lo), lo + phi * (hi - lo))
            vn = value(new)
            m1, m2 = np.where(left, new, m2), np.where(left, m1, new)
            v1, v2 = np.where(left, vn, v2), np.where(left, v1, vn)
        best = np.minimum(best, value(0.5 * (lo + hi)))
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
    lam = _min_gradients(f, grad, p, fstar, ts, r0, 360)
    x, y = np.log(ts), np.log(lam)
    A = np.vstack([x, np.ones_like(x)]).T
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    dof = max(len(ts) - 2, 1)
    s2 = float(resid @ resid) / dof
    se = float(np.sqrt(s2 / np.sum((x - x.mean()) ** 2)))
    return {"theta": float(coef[0]), "se": se, "levels": ts.tolist(), "Lambda": lam.tolist()}
