"""Vectorized stochastic Adam on the quadratic loss (float64 numpy; docs/conventions.md).

Bias-corrected Adam in the PyTorch convention (``eps`` outside the root):
``m_n = beta1 m_{n-1} + (1-beta1) g_n``, ``v_n = beta2 v_{n-1} + (1-beta2) g_n^2``,
``theta_n = theta_{n-1} - lr mhat_n/(eps + sqrt(vhat_n))``,
``mhat_n = m_n/(1-beta1^n)``, ``vhat_n = v_n/(1-beta2^n)``, with
``g_n = theta_{n-1} - Xbar_n`` the gradient of the batch-mean loss
``1/2 (theta - x)^2`` (batch size ``J``).  ``R`` independent runs advance
together: one numpy array operation per step for all runs.  Data are drawn in
blocks from a ``numpy.random.SeedSequence`` (discrete laws by inverse CDF).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .mc_np import sample_batch_means

__all__ = ["simulate_adam", "loglog_slope", "richardson_bias"]


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
    >>> from symadam.avf.laws import parse_data
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
    g = np.empty(n_runs)                   # work buffers: every step runs in place
    t = np.empty(n_runs)
    a1, a2 = 1 - beta1, 1 - beta2
    b1p = b2p = 1.0
    spread_mid = float("nan")
    n = 0
    while n < n_steps:
        k = min(block, n_steps - n)
        X = sample_batch_means(law, (k, n_runs), rng, discrete="cdf")
        for i in range(k):
            n += 1
            np.subtract(theta, X[i], out=g)
            m *= beta1
            np.multiply(g, a1, out=t)
            m += t
            v *= beta2
            np.multiply(g, g, out=g)
            g *= a2
            v += g
            b1p *= beta1
            b2p *= beta2
            # lr mhat/(eps + sqrt(vhat)), mhat = m/(1 - b1p), vhat = v/(1 - b2p)
            np.sqrt(v, out=t)
            if eps == 0:
                np.divide(m, t, out=t)
                t *= lr * math.sqrt(1 - b2p) / (1 - b1p)
            else:
                t *= 1 / math.sqrt(1 - b2p)
                t += eps
                np.divide(m, t, out=t)
                t *= lr / (1 - b1p)
            theta -= t
            if n > start:
                acc += theta
            if n == start:
                spread_mid = float(np.std(theta))
    avg = acc / max(1, n_steps - start)
    return {"final": theta, "average": avg, "mean": float(avg.mean()),
            "se": float(avg.std(ddof=1) / math.sqrt(n_runs)), "spread": float(theta.std()),
            "spread_mid": spread_mid}


def loglog_slope(x: Any, y: Any, yerr: Any = None) -> tuple[float, float]:
    """Least-squares slope of ``log |y|`` against ``log x`` and its standard error.

    Without ``yerr`` the standard error comes from the residuals; with
    ``yerr`` (standard errors of ``y``) the fit is weighted by
    ``(|y|/yerr)^2`` (delta method: ``sd(log y) = yerr/|y|``) and the standard
    error is the propagated one.

    Examples
    --------
    >>> s, se = loglog_slope([1, 2, 4], [1, 4, 16])
    >>> round(s, 6), se < 1e-12
    (2.0, True)
    >>> s, se = loglog_slope([1, 2, 4], [1, 4, 16], yerr=[0.1, 0.4, 1.6])
    >>> round(s, 6), round(se, 4)
    (2.0, 0.102)
    """
    lx, ly = np.log(np.asarray(x, float)), np.log(np.abs(np.asarray(y, float)))
    A = np.vstack([lx, np.ones_like(lx)]).T
    if yerr is not None:
        sd = np.asarray(yerr, float) / np.abs(np.asarray(y, float))
        W = np.diag(1 / sd**2)
        cov = np.linalg.inv(A.T @ W @ A)
        coef = cov @ A.T @ W @ ly
        return float(coef[0]), float(math.sqrt(cov[0, 0]))
    coef, res, *_ = np.linalg.lstsq(A, ly, rcond=None)
    n = len(lx)
    if n > 2:
        s2 = float(np.sum((ly - A @ coef)**2) / (n - 2))
        se = math.sqrt(s2 / float(np.sum((lx - lx.mean())**2)))
    else:
        se = float("nan")
    return float(coef[0]), se


def richardson_bias(law: Any, theta_star: float, lr: float, beta1: float, beta2: float,
                    eps: float, n_runs: int, seed: Any,
                    horizon: float = 8.0) -> tuple[float, float]:
    """Bias of time-averaged Adam, extrapolated to ``lr -> 0``: ``2 b(lr/2) - b(lr)``.

    Each run starts at ``theta_star``, lasts ``horizon/lr`` steps and is
    averaged over its second half; returns the extrapolated bias and its
    standard error (the ``O(lr)`` offset of the time average cancels).

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> b, se = richardson_bias(parse_data("rademacher"), 0.0, 4e-3, 0.9, 0.99, 0.0, 64, 0)
    >>> bool(abs(b) < 5 * se)
    True
    """
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    s1, s2 = ss.spawn(2)
    r1 = simulate_adam(law, theta_star, lr, beta1, beta2, eps, int(horizon / lr), n_runs, s1)
    r2 = simulate_adam(law, theta_star, lr / 2, beta1, beta2, eps, int(2 * horizon / lr),
                       n_runs, s2)
    b = 2 * (r2["mean"] - theta_star) - (r1["mean"] - theta_star)
    return float(b), float(math.hypot(2 * r2["se"], r1["se"]))
