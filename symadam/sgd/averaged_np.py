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

__all__ = ["sample_law", "simulate_averaged_adam", "simulate_averaged_adam_many", "across_runs"]


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
    return simulate_averaged_adam_many(spec, theta0, [lr], beta1, beta2, eps, [n_steps], n_runs,
                                       [seed], decays, [window], batch, block)[0]


def simulate_averaged_adam_many(spec: str, theta0: float, lrs: Sequence[float], beta1: float,
                                beta2: float, eps: float, n_steps: Sequence[int], n_runs: int,
                                seeds: Sequence[Any], decays: Sequence[float] = (0.99, 0.999),
                                windows: Sequence[int | None] | None = None, batch: int = 1,
                                block: int = 512) -> list[dict]:
    """:func:`simulate_averaged_adam` for several settings ``(lr, n_steps, seed, window)`` at once.

    The settings' runs share one array (one update per step for all of them
    while they last); each setting draws its data from its own seed in the
    same blocks as alone, so every setting's output equals its own
    :func:`simulate_averaged_adam` run bit for bit.

    Examples
    --------
    >>> a, b = simulate_averaged_adam_many("normal:0,1", 0.0, [1e-2, 2e-2], 0.9, 0.999, 1e-8,
    ...                                    [3000, 1500], 200, [0, 1])
    >>> c = simulate_averaged_adam("normal:0,1", 0.0, 2e-2, 0.9, 0.999, 1e-8, 1500, 200, seed=1)
    >>> all(np.array_equal(b[k], c[k]) for k in c)
    True
    """
    G = len(lrs)
    if not (len(n_steps) == len(seeds) == G and G >= 1):
        raise ValueError("lrs, n_steps and seeds must have the same length >= 1")
    windows = [None] * G if windows is None else list(windows)
    for lr in lrs:
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr!r}")
    wins = []
    for n, w in zip(n_steps, windows):
        w = n // 2 if w is None else int(w)
        if not 1 <= w <= n:
            raise ValueError(f"window must be in [1, n_steps], got {w}")
        wins.append(w)
    # longest settings first: the settings still running are a prefix of the array
    order = sorted(range(G), key=lambda i: -n_steps[i])
    rngs = [np.random.default_rng(seeds[i] if isinstance(seeds[i], np.random.SeedSequence)
                                  else np.random.SeedSequence(seeds[i])) for i in order]
    ns = [int(n_steps[i]) for i in order]
    R = n_runs
    lr = np.repeat(np.asarray([lrs[i] for i in order], dtype=float), R)
    th = np.full(G * R, float(theta0))
    m = np.zeros(G * R)
    v = np.zeros(G * R)
    emas = {d: th.copy() for d in decays}
    acc = np.zeros(G * R)
    g, t1, t2 = np.empty(G * R), np.empty(G * R), np.empty(G * R)
    c1, c2 = 1 - beta1, 1 - beta2
    b1t = b2t = 1.0
    for start in range(0, ns[0], block):
        k = sum(1 for n in ns if n > start)          # settings still running
        K = k * R
        stop = min(start + block, ns[0])
        xs = np.empty((stop - start, K))
        for j in range(k):
            xs[:min(stop, ns[j]) - start, j * R:(j + 1) * R] = sample_law(
                spec, (min(stop, ns[j]) - start, R), batch, rngs[j])
        THk, Mk, Vk, Ak = th[:K], m[:K], v[:K], acc[:K]
        Ek = {d: e[:K] for d, e in emas.items()}
        LRk, gk, u, w = lr[:K], g[:K], t1[:K], t2[:K]
        for i in range(stop - start):
            n = start + i + 1
            if n > ns[k - 1]:                        # a setting ends inside this block
                k = sum(1 for nn in ns if nn >= n)
                K = k * R
                THk, Mk, Vk, Ak = th[:K], m[:K], v[:K], acc[:K]
                Ek = {d: e[:K] for d, e in emas.items()}
                LRk, gk, u, w = lr[:K], g[:K], t1[:K], t2[:K]
            np.subtract(THk, xs[i, :K], out=gk)
            # m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g g
            Mk *= beta1
            np.multiply(c1, gk, out=u)
            Mk += u
            Vk *= beta2
            np.multiply(c2, gk, out=u)
            u *= gk
            Vk += u
            b1t *= beta1
            b2t *= beta2
            # theta -= lr (m/(1 - beta1^n)) / (eps + sqrt(v/(1 - beta2^n)))
            np.divide(Mk, 1 - b1t, out=u)
            u *= LRk
            np.divide(Vk, 1 - b2t, out=w)
            np.sqrt(w, out=w)
            w += eps
            u /= w
            THk -= u
            for d, e in Ek.items():
                e *= d
                np.multiply(1 - d, THk, out=u)
                e += u
            for j in range(k):
                if n > ns[j] - wins[order[j]]:
                    Ak[j * R:(j + 1) * R] += THk[j * R:(j + 1) * R]
    out: list = [None] * G
    for j, i in enumerate(order):
        sl = slice(j * R, (j + 1) * R)
        r = {"final": th[sl].copy(), "arithmetic": acc[sl] / wins[i]}
        r.update({f"ema_{d}": e[sl].copy() for d, e in emas.items()})
        out[i] = r
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
