"""Long simulations of constant-step SGD on quadratics and the Hill tail estimator (float64 numpy).

The statistical check route of :mod:`symadam.sgd.invariant` (conventions there).
``R`` independent chains advance together (one array update per step); after a
burn-in the final states of the chains are i.i.d. draws from (approximately)
the invariant law, so their sample moments carry honest standard errors.

* :func:`stationary_additive`: 1-D, per-sample data ``X = sigma Z`` with ``Z``
  standard normal or Rademacher, batch size ``J``;
* :func:`stationary_matrix`: ``d`` dimensions, ``e <- (I - gamma H) e + gamma xi``,
  ``Cov xi = S/J`` (Gaussian);
* :func:`regression_chain`: linear regression with ``a ~ N(0, 1)``,
  ``y = a theta* + eps``, ``eps ~ N(0, sigma^2)``, returning snapshots of ``|e|``
  spaced ``every`` steps apart (nearly independent) for tail estimation;
* :func:`hill`: the Hill estimator of the tail index from the ``k`` largest
  values, with its asymptotic standard error ``kappa/sqrt(k)``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["stationary_additive", "stationary_matrix", "regression_chain", "hill", "moment_stats"]


def _rng(seed: Any) -> np.random.Generator:
    return np.random.default_rng(seed if isinstance(seed, np.random.SeedSequence)
                                 else np.random.SeedSequence(seed))


def moment_stats(e: np.ndarray) -> dict:
    """Mean, variance (second moment about 0 of ``e - theta*``) and their standard errors.

    Examples
    --------
    >>> r = moment_stats(np.array([-1.0, 1.0, -1.0, 1.0]))
    >>> r["mean"], r["second_moment"], r["second_moment_se"]
    (0.0, 1.0, 0.0)
    """
    n = e.size
    e2 = e * e
    return {"mean": float(e.mean()), "mean_se": float(e.std(ddof=1) / np.sqrt(n)),
            "second_moment": float(e2.mean()),
            "second_moment_se": float(e2.std(ddof=1) / np.sqrt(n))}


def stationary_additive(gamma: float, sigma: float, batch: int, n_runs: int, n_steps: int,
                        seed: Any, law: str = "normal") -> dict:
    """Final errors ``e = theta - theta*`` of ``n_runs`` 1-D chains after ``n_steps`` steps.

    Examples
    --------
    >>> r = stationary_additive(0.5, 1.0, 1, 20000, 60, seed=1)
    >>> bool(abs(r["second_moment"] - 0.5 / 1.5) < 5 * r["second_moment_se"])
    True
    """
    if not 0 < gamma < 2:
        raise ValueError(f"gamma must be in (0, 2), got {gamma!r}")
    rng = _rng(seed)
    e = np.zeros(n_runs)
    for _ in range(n_steps):
        if law == "normal":
            xbar = rng.standard_normal(n_runs) * (sigma / np.sqrt(batch))
        elif law == "rademacher":
            xbar = (2.0 * rng.binomial(batch, 0.5, n_runs) - batch) * (sigma / batch)
        else:
            raise ValueError(f"law must be 'normal' or 'rademacher', got {law!r}")
        e = (1 - gamma) * e + gamma * xbar
    out = moment_stats(e)
    out["e"] = e
    return out


def stationary_matrix(H: Sequence[Sequence[float]], S: Sequence[Sequence[float]], gamma: float,
                      batch: int, n_runs: int, n_steps: int, seed: Any) -> dict:
    """Empirical stationary covariance (and entrywise standard errors) in ``d`` dimensions.

    Examples
    --------
    >>> r = stationary_matrix([[1.0]], [[1.0]], 0.5, 1, 20000, 60, seed=2)
    >>> bool(abs(r["cov"][0, 0] - 1 / 3) < 5 * r["se"][0, 0])      # gamma/(2 - gamma)
    True
    """
    H, S = np.asarray(H, float), np.asarray(S, float)
    d = H.shape[0]
    A = np.eye(d) - gamma * H
    L = np.linalg.cholesky(S / batch)
    rng = _rng(seed)
    e = np.zeros((n_runs, d))
    for _ in range(n_steps):
        e = e @ A.T + gamma * (rng.standard_normal((n_runs, d)) @ L.T)
    prods = e[:, :, None] * e[:, None, :]
    return {"cov": prods.mean(0), "se": prods.std(0, ddof=1) / np.sqrt(n_runs), "e": e}


def regression_chain(gamma: float, batch: int, sigma: float, n_runs: int, n_steps: int,
                     seed: Any, burn: int = 200, every: int = 100) -> dict:
    """Regression SGD chains; snapshots of ``|e|`` every ``every`` steps after ``burn``.

    Returns ``abs_e`` (all snapshots, flattened) and the final ``e``.

    Examples
    --------
    >>> r = regression_chain(0.3, 1, 1.0, 5000, 400, seed=3)
    >>> r["abs_e"].size
    10000
    """
    rng = _rng(seed)
    e = np.zeros(n_runs)
    snaps = []
    a = np.empty((batch, n_runs))
    eps = np.empty((batch, n_runs))
    u = np.empty(n_runs)
    w = np.empty(n_runs)
    for n in range(1, n_steps + 1):
        rng.standard_normal(out=a)
        rng.standard_normal(out=eps)
        if sigma != 1:
            eps *= sigma
        # e <- (1 - gamma mean(a^2)) e + gamma mean(a eps), in place (batch 1: no mean)
        if batch == 1:
            np.multiply(a[0], a[0], out=u)
            np.multiply(a[0], eps[0], out=w)
        else:
            (a * a).mean(0, out=u)
            (a * eps).mean(0, out=w)
        u *= gamma
        np.subtract(1, u, out=u)
        e *= u
        w *= gamma
        e += w
        if n > burn and (n - burn) % every == 0:
            snaps.append(np.abs(e))
    return {"abs_e": np.concatenate(snaps) if snaps else np.abs(e), "e": e}


def hill(x: np.ndarray, k: int) -> tuple[float, float]:
    """Hill's estimator ``k / sum_{i<k} log(X_(i)/X_(k))`` of the tail index, and ``kappa/sqrt(k)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> k_hat, se = hill(rng.pareto(3.0, 200000) + 1, 2000)      # exact Pareto(3)
    >>> bool(abs(k_hat - 3) < 4 * se)
    True
    """
    xs = np.sort(np.asarray(x, float))[::-1]
    if not 1 <= k < xs.size:
        raise ValueError(f"k must be in [1, {xs.size - 1}], got {k}")
    kap = k / float(np.sum(np.log(xs[:k] / xs[k])))
    return kap, kap / np.sqrt(k)
