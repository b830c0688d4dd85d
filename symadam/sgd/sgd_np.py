"""Vectorised SGD and momentum SGD with decaying steps ``gamma_n = c n^-a`` (float64 numpy).

``R`` independent runs advance together: one array update per step for all
runs (noise drawn in blocks from a ``numpy.random.SeedSequence``).  Stochastic
gradient ``grad f(x) + sigma xi`` with ``xi`` standard normal; momentum SGD is
the heavy ball ``x_{n+1} = x_n - gamma_n g_n + beta (x_n - x_{n-1})``.

Runs that leave the ball ``|x| <= bound`` are flagged (arXiv 2102.09385's
theorem speaks of the event of staying bounded) and excluded from the
statistics, which are means of ``f(x_n) - f*`` over the bounded runs with their
standard errors.  :func:`loglog_fit` fits the decay exponent with its standard
error.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["simulate_decaying", "loglog_fit"]


def simulate_decaying(grad: Callable, f: Callable, x0: Sequence[float], fstar: float, c: float,
                      a: float, sigma: float, n_steps: int, n_runs: int, seed: Any,
                      beta: float = 0.0, marks: Sequence[int] | None = None,
                      bound: float = 10.0, block: int = 512) -> dict:
    """Run SGD (``beta = 0``) or momentum SGD on ``f`` with steps ``c n^-a``.

    Parameters
    ----------
    grad, f : callables on arrays ``(R, d)`` (``grad`` returns ``(R, d)``, ``f`` returns ``(R,)``)
    x0 : start point (all runs); fstar : the minimal value
    c, a : step schedule ``gamma_n = c n^-a``, ``c > 0``, ``0 < a <= 1``
    sigma : noise level; beta : momentum in ``[0, 1)``
    marks : steps at which ``E[f - f*]`` is recorded (default 30 log-spaced)

    Returns
    -------
    dict with ``n``, ``mean``, ``se`` (over bounded runs), ``bounded``
    (fraction of runs that stayed in the ball) and ``final`` (the last iterates).

    Examples
    --------
    >>> r = simulate_decaying(lambda x: 2 * x, lambda x: (x**2).sum(1), [1.0], 0.0, 0.5, 0.75,
    ...                       0.1, 2000, 256, seed=0)
    >>> bool(r["mean"][-1] < 1e-3), r["bounded"]
    (True, 1.0)
    """
    if not c > 0:
        raise ValueError(f"c must be > 0, got {c!r}")
    if not 0 < a <= 1:
        raise ValueError(f"a must be in (0, 1], got {a!r}")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    rng = np.random.default_rng(seed if isinstance(seed, np.random.SeedSequence)
                                else np.random.SeedSequence(seed))
    x = np.tile(np.asarray(x0, dtype=float), (n_runs, 1))
    prev = x.copy()
    alive = np.ones(n_runs, dtype=bool)
    marks = np.unique(np.geomspace(10, n_steps, 30).astype(int)) if marks is None else \
        np.asarray(sorted(marks), dtype=int)
    want = set(int(m) for m in marks)
    gam = c * np.arange(1, n_steps + 1, dtype=float) ** (-a)
    d = x.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        return _loop(grad, f, x, prev, alive, want, gam, rng, n_steps, n_runs, d, sigma, beta,
                     fstar, bound, block)


def _loop(grad, f, x, prev, alive, want, gam, rng, n_steps, n_runs, d, sigma, beta, fstar,
          bound, block):
    ns, means, ses = [], [], []
    step, mom = np.empty_like(x), np.empty_like(x)
    for start in range(0, n_steps, block):
        stop = min(start + block, n_steps)
        noise = rng.standard_normal((stop - start, n_runs, d)) * sigma
        for i in range(stop - start):
            n = start + i + 1
            # step = gamma_n (grad f(x) + noise); x' = x - step + beta (x - prev)
            np.add(grad(x), noise[i], out=step)
            step *= gam[n - 1]
            if beta:
                np.subtract(x, prev, out=mom)
                mom *= beta
                np.subtract(x, step, out=prev)       # prev now holds x - step
                prev += mom
                x, prev = prev, x
            else:
                x -= step
            if n in want:
                alive &= np.all(np.abs(x) <= bound, axis=1)
                if not alive.any():
                    raise ValueError("every run left the ball |x| <= bound")
                v = f(x[alive]) - fstar
                ns.append(n)
                means.append(float(v.mean()))
                ses.append(float(v.std(ddof=1) / np.sqrt(max(v.size, 1))))
        x = np.where(np.isfinite(x), x, bound * 10)
    alive &= np.all(np.abs(x) <= bound, axis=1)
    return {"n": np.array(ns), "mean": np.array(means), "se": np.array(ses),
            "bounded": float(alive.mean()), "final": x[alive]}


def loglog_fit(n: Sequence[float], y: Sequence[float], se: Sequence[float]) -> tuple[float, float]:
    """Weighted least-squares slope of ``log y`` on ``log n`` and its standard error.

    The weights are ``(y/se)^2`` (delta method for ``log y``).

    Examples
    --------
    >>> s, e = loglog_fit([10, 100, 1000], [1e-1, 1e-2, 1e-3], [1e-3, 1e-4, 1e-5])
    >>> round(s, 10), e < 0.01
    (-1.0, True)
    """
    x, ly = np.log(np.asarray(n, float)), np.log(np.asarray(y, float))
    w = (np.asarray(y, float) / np.asarray(se, float)) ** 2
    W = w.sum()
    xm, ym = (w * x).sum() / W, (w * ly).sum() / W
    sxx = (w * (x - xm) ** 2).sum()
    slope = (w * (x - xm) * (ly - ym)).sum() / sxx
    return float(slope), float(np.sqrt(1 / sxx))
