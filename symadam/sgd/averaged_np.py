"""Stochastic Adam with geometric and arithmetic averages of its iterates (float64 numpy).

Bias-corrected Adam in the PyTorch convention (``eps`` outside the root;
``beta1``, ``beta2`` are the papers' alpha, beta) on the quadratic loss
``(theta - x)^2/2`` with batch means of ``J`` samples of a data law
(``bernoulli:p`` or ``normal:m,s``).  Averages as in the group's code
(``deeplearningmethods/averaged-adam``): geometric ``a_n = delta a_{n-1} +
(1 - delta) theta_n`` with ``a_0 = theta_0`` for each decay ``delta``, and the
arithmetic mean of the last ``window`` iterates.  ``R`` runs advance together
(one array update per step), data drawn in blocks from a ``SeedSequence``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["sample_law", "simulate_averaged_adam", "across_runs"]


def sample_law(spec: str, shape: Any, batch: int, rng: np.random.Generator) -> np.ndarray:
    """Batch means of ``batch`` i.i.d. samples of ``bernoulli:p`` or ``normal:m,s``.

    Examples
    --------
    >>> x = sample_law("bernoulli:0.1", 100000, 1, np.random.default_rng(0))
    >>> round(float(x.mean()), 2)
    0.1
    """
    kind, _, par = spec.partition(":")
    if kind == "bernoulli":
        p = float(par)
        if not 0 < p < 1:
            raise ValueError(f"bernoulli p must be in (0, 1), got {par!r}")
        return rng.binomial(batch, p, shape) / batch
    if kind == "normal":
        m, s = (float(v) for v in par.split(","))
        return m + s / np.sqrt(batch) * rng.standard_normal(shape)
    raise ValueError(f"data must be bernoulli:p or normal:m,s, got {spec!r}")


def simulate_averaged_adam(spec: str, theta0: float, lr: float, beta1: float, beta2: float,
                           eps: float, n_steps: int, n_runs: int, seed: Any,
                           decays: Sequence[float] = (0.99, 0.999), window: int | None = None,
                           batch: int = 1, block: int = 512) -> dict:
    """Run Adam and its averages; return the final iterate, each EMA and the window mean per run.

    Examples
    --------
    >>> r = simulate_averaged_adam("normal:0,1", 0.0, 1e-2, 0.9, 0.999, 1e-8, 3000, 200, seed=0)
    >>> sorted(r)
    ['arithmetic', 'ema_0.99', 'ema_0.999', 'final']
    >>> bool(r["arithmetic"].std() < r["final"].std())
    True
    """
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    window = n_steps // 2 if window is None else int(window)
    if not 1 <= window <= n_steps:
        raise ValueError(f"window must be in [1, n_steps], got {window}")
    rng = np.random.default_rng(seed if isinstance(seed, np.random.SeedSequence)
                                else np.random.SeedSequence(seed))
    th = np.full(n_runs, float(theta0))
    m = np.zeros(n_runs)
    v = np.zeros(n_runs)
    emas = {d: th.copy() for d in decays}
    acc = np.zeros(n_runs)
    b1t = b2t = 1.0
    for start in range(0, n_steps, block):
        stop = min(start + block, n_steps)
        xs = sample_law(spec, (stop - start, n_runs), batch, rng)
        for i in range(stop - start):
            n = start + i + 1
            g = th - xs[i]
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            b1t *= beta1
            b2t *= beta2
            th = th - lr * (m / (1 - b1t)) / (eps + np.sqrt(v / (1 - b2t)))
            for d in decays:
                emas[d] = d * emas[d] + (1 - d) * th
            if n > n_steps - window:
                acc += th
    out = {"final": th, "arithmetic": acc / window}
    out.update({f"ema_{d}": a for d, a in emas.items()})
    return out


def across_runs(x: np.ndarray) -> dict:
    """Mean, its standard error, variance and the variance's standard error over runs.

    Examples
    --------
    >>> r = across_runs(np.array([1.0, -1.0, 1.0, -1.0]))
    >>> r["mean"], r["var"]
    (0.0, 1.3333333333333333)
    """
    n = x.size
    c = x - x.mean()
    var = float(c @ c / (n - 1))
    m4 = float(np.mean(c ** 4))
    return {"mean": float(x.mean()), "mean_se": float(np.sqrt(var / n)), "var": var,
            "var_se": float(np.sqrt(max(m4 - var ** 2, 0.0) / n))}
