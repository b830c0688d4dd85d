"""Vectorized stochastic Adam on the quadratic loss (float64 numpy; MATH.md Sec. 1).

Bias-corrected Adam in the PyTorch convention (``eps`` outside the root):
``m_n = beta1 m_{n-1} + (1-beta1) g_n``, ``v_n = beta2 v_{n-1} + (1-beta2) g_n^2``,
``theta_n = theta_{n-1} - lr mhat_n/(eps + sqrt(vhat_n))``,
``mhat_n = m_n/(1-beta1^n)``, ``vhat_n = v_n/(1-beta2^n)``, with
``g_n = theta_{n-1} - Xbar_n`` the gradient of the batch-mean loss
``1/2 (theta - x)^2`` (batch size ``J``).  ``R`` independent runs advance
together: one numpy array operation per step for all runs.  Data are drawn in
blocks from a ``numpy.random.SeedSequence``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .avf_mc import sample_batch_means

__all__ = ["simulate_adam", "loglog_slope"]


def simulate_adam(law: Any, theta0: float, lr: float, beta1: float, beta2: float, eps: float,
                  n_steps: int, n_runs: int, seed: Any, average_from: int | None = None,
                  block: int = 256) -> dict:
    """Run ``n_runs`` independent Adam chains for ``n_steps`` steps.

    Parameters
    ----------
    law : DataLaw
        Law of the batch mean (``parse_data(spec).batch_mean(J)``).
    theta0, lr, beta1, beta2, eps : float
    n_steps, n_runs : int
    seed : int or numpy.random.SeedSequence
    average_from : int, optional
        First step of the time average (default ``n_steps // 2``).

    Returns
    -------
    dict with ``final`` (R,), ``average`` (R,) time averages, ``mean`` and
    ``se`` of the time averages across runs, ``spread`` (std of the final
    iterates across runs), ``spread_mid`` (the same at ``average_from``).

    Examples
    --------
    >>> from symadam.symbolic.laws import parse_data
    >>> r = simulate_adam(parse_data("rademacher"), 0.0, 1e-3, 0.9, 0.99, 0.0, 400, 64, seed=0)
    >>> bool(abs(r["mean"]) < 5 * r["se"] + 1e-12)
    True
    """
    if n_steps < 2 or n_runs < 2:
        raise ValueError("n_steps and n_runs must be integers >= 2")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(ss)
    start = n_steps // 2 if average_from is None else int(average_from)
    theta = np.full(n_runs, float(theta0))
    m = np.zeros(n_runs)
    v = np.zeros(n_runs)
    acc = np.zeros(n_runs)
    b1p = b2p = 1.0
    spread_mid = float("nan")
    n = 0
    while n < n_steps:
        k = min(block, n_steps - n)
        X = sample_batch_means(law, (k, n_runs), rng)
        for i in range(k):
            n += 1
            g = theta - X[i]
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            b1p *= beta1
            b2p *= beta2
            theta -= (lr / (1 - b1p)) * m / (eps + np.sqrt(v / (1 - b2p)))
            if n > start:
                acc += theta
            if n == start:
                spread_mid = float(np.std(theta))
    avg = acc / max(1, n_steps - start)
    return {"final": theta, "average": avg, "mean": float(avg.mean()),
            "se": float(avg.std(ddof=1) / math.sqrt(n_runs)), "spread": float(theta.std()),
            "spread_mid": spread_mid}


def loglog_slope(x: Any, y: Any) -> tuple[float, float]:
    """Least-squares slope of ``log y`` against ``log x`` and its standard error.

    Examples
    --------
    >>> s, se = loglog_slope([1, 2, 4], [1, 4, 16])
    >>> round(s, 6), se < 1e-12
    (2.0, True)
    """
    lx, ly = np.log(np.asarray(x, float)), np.log(np.abs(np.asarray(y, float)))
    A = np.vstack([lx, np.ones_like(lx)]).T
    coef, res, *_ = np.linalg.lstsq(A, ly, rcond=None)
    n = len(lx)
    if n > 2:
        s2 = float(np.sum((ly - A @ coef)**2) / (n - 2))
        se = math.sqrt(s2 / float(np.sum((lx - lx.mean())**2)))
    else:
        se = float("nan")
    return float(coef[0]), se
