"""Monte Carlo estimator of the Adam vector field (float64 numpy; the independent route).

Convention [reconstructed, docs/conventions.md]: ``A(theta) = E[M/(eps + sqrt V)]``
with ``M = sum_k a_k G_k``, ``V = sum_k b_k G_k^2`` over the *same* i.i.d.
samples ``G_k = theta - Xbar_k`` (``Xbar_k`` a batch mean of ``J`` data
points), ``a_k = (1-beta1) beta1^k``, ``b_k = (1-beta2) beta2^k``.

Each stationary history is truncated at ``K`` samples, the smallest ``K`` with
``max(beta1, beta2)^K < 1e-17`` (the omitted weight of ``M`` and ``V`` is
below float64 resolution relative to their size).  The same data draws are
used for every ``theta`` (common random numbers), and the control variate
``M`` with known mean ``E[M] = E[G]`` (the ``a_k`` sum to one) is subtracted
with its regression coefficient.  Returns estimates with standard errors.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

__all__ = ["history_length", "sample_batch_means", "avf_mc"]


def history_length(beta1: float, beta2: float, tol: float = 1e-17) -> int:
    """Smallest ``K`` with ``max(beta1, beta2)^K < tol``.

    Examples
    --------
    >>> history_length(0.9, 0.99)
    3895
    """
    b = max(float(beta1), float(beta2))
    if b == 0:
        return 1
    return int(math.floor(math.log(tol) / math.log(b))) + 1


def sample_batch_means(law: Any, size: Any, rng: np.random.Generator,
                       discrete: str = "choice") -> np.ndarray:
    """Draw batch means from a :class:`~symadam.avf.laws.DataLaw` (already batch-meaned).

    ``discrete`` picks the sampler of a discrete law: ``"choice"`` (``rng.choice``) or
    ``"cdf"`` (inverse CDF: the atom index is the number of CDF steps ``<= U``, ``U``
    uniform; the same law, a different stream, several times faster for few atoms).

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> x = sample_batch_means(parse_data("rademacher"), 1000, np.random.default_rng(0))
    >>> sorted(set(x.tolist()))
    [-1.0, 1.0]
    >>> y = sample_batch_means(parse_data("bernoulli:0.3"), 10**5, np.random.default_rng(0),
    ...                        discrete="cdf")
    >>> bool(abs(y.mean() - 0.3) < 0.01)
    True
    """
    kind = law.kind
    if kind == "discrete":
        xs = np.array([float(x) for x, _ in law.atoms])
        ps = np.array([float(p) for _, p in law.atoms])
        if discrete == "cdf":
            cdf = np.cumsum(ps / ps.sum())[:-1]
            u = rng.random(size)
            idx = np.zeros(u.shape, dtype=np.intp)
            for c in cdf:                     # P(idx = j) = cdf_j - cdf_{j-1}
                idx += u >= c
            return xs[idx]
        if discrete != "choice":
            raise ValueError(f"discrete must be 'choice' or 'cdf', got {discrete!r}")
        return xs[rng.choice(len(xs), size=size, p=ps / ps.sum())]
    if kind == "normal":
        m, s = (float(v) for v in law.params)
        return rng.normal(m, s, size=size)
    if kind == "exponential":
        (lam,) = law.params
        return rng.exponential(1 / float(lam), size=size)
    if kind == "gamma":
        J, lam = law.params
        return rng.gamma(float(J), 1 / float(lam), size=size)
    if kind == "uniform":
        a, b = (float(v) for v in law.params)
        return rng.uniform(a, b, size=size)
    if kind == "irwinhall":   # mean of J uniforms, drawn directly
        J, a, b = int(law.params[0]), float(law.params[1]), float(law.params[2])
        shape = (size,) if np.isscalar(size) else tuple(size)
        return rng.uniform(a, b, size=shape + (J,)).mean(axis=-1)
    raise ValueError(f"cannot sample law kind {kind!r}")


def avf_mc(law: Any, thetas: Sequence[float], beta1: float, beta2: float, eps: float,
           n_hist: int, seed: Any, chunk: int = 256, control_variate: bool = True) -> dict:
    """Monte Carlo ``A(theta)`` at several ``theta`` with standard errors.

    Parameters
    ----------
    law : DataLaw
        Law of the batch mean (``parse_data(spec).batch_mean(J)``).
    thetas : sequence of float
    beta1, beta2, eps : float
    n_hist : int
        Number of independent stationary histories.
    seed : int or numpy.random.SeedSequence
    chunk : int
        Histories per vectorized block (memory ``chunk * K`` floats).
    control_variate : bool
        Subtract ``c (M - E[G])`` with the estimated optimal ``c``.

    Returns
    -------
    dict with ``theta``, ``estimate``, ``se`` (arrays), ``K``, ``n_hist``.

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> r = avf_mc(parse_data("rademacher"), [0.0], 0.9, 0.99, 0.0, 200, seed=1)
    >>> bool(abs(r["estimate"][0]) < 4 * r["se"][0] + 1e-12)
    True
    """
    if n_hist < 2:
        raise ValueError(f"n_hist must be an integer >= 2, got {n_hist!r}")
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(ss)
    th = np.asarray(thetas, dtype=float)
    K = history_length(beta1, beta2)
    k = np.arange(K)
    a = (1 - beta1) * beta1**k
    b = (1 - beta2) * beta2**k
    sa, sb = float(a.sum()), float(b.sum())
    mean_x = float(law.mean())
    ys = [[] for _ in th]
    ms = [[] for _ in th]
    done = 0
    while done < n_hist:
        n = min(chunk, n_hist - done)
        X = sample_batch_means(law, (n, K), rng, discrete="cdf")   # common random numbers
        # one pass over the draws for every theta: with Y = X - E X, s = t - E X, G = s - Y,
        # M = s sum(a) - Y.a and V = s^2 sum(b) - 2 s Y.b + Y^2.b (centred: no cancellation
        # beyond that of G itself when theta is near the data)
        X -= mean_x
        Xa, Xb = X @ a, X @ b
        X *= X
        X2b = X @ b
        for i, t in enumerate(th):
            s = t - mean_x
            M = s * sa - Xa
            V = np.maximum((s * s) * sb - 2 * s * Xb + X2b, 0.0)
            ys[i].append(M / (eps + np.sqrt(V)))
            ms[i].append(M)
        done += n
    est, se = [], []
    for i, t in enumerate(th):
        y = np.concatenate(ys[i])
        m = np.concatenate(ms[i]) - (t - mean_x)
        if control_variate and np.var(m) > 0:
            c = np.cov(y, m)[0, 1] / np.var(m, ddof=1)
            y = y - c * m
        est.append(float(np.mean(y)))
        se.append(float(np.std(y, ddof=1) / math.sqrt(len(y))))
    return {"theta": th, "estimate": np.array(est), "se": np.array(se), "K": K, "n_hist": n_hist}
