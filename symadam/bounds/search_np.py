"""Numerical maximisation of Adam's normalised step over gradient sequences (numpy/scipy).

An independent route for the sharp step bound: the objective
``R(g) = mhat_n/sqrt(vhat_n)`` of a gradient sequence ``g_1..g_n`` is evaluated by running
Adam's moment recursion on it (no closed form), and maximised from many random starts:

1. a vectorised ascent: all ``starts`` sequences advance together, one numpy operation per
   step for all of them (normalised gradient steps on the scale-free objective, with the
   gradient of ``R`` obtained by the adjoint of the recursion);
2. a polish of the best few with ``scipy.optimize.minimize`` (L-BFGS-B, analytic gradient).

Families of random sequences (Gaussian, heavy-tailed, geometric with random ratio and sign
flips) are also evaluated, vectorised, as a sanity sweep of the whole space.
``beta1`` is the papers' alpha, ``beta2`` their beta.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize

from ..core.validate import check_int, check_unit_interval

__all__ = ["moment_weights", "ratio", "ratio_and_grad", "multistart_max", "random_sweep"]


def moment_weights(beta1: float, beta2: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights of ``g_1..g_n`` in ``mhat_n`` and ``vhat_n``, obtained by running the recursion.

    The recursion is run on the unit vectors (so this is the recursion, not a formula):
    ``a[k] = mhat_n`` for ``g = e_k``; ``b[k] = vhat_n`` for ``g = e_k``.

    Examples
    --------
    >>> a, b = moment_weights(0.5, 0.75, 2)
    >>> a.round(6).tolist(), b.round(6).tolist()
    ([0.333333, 0.666667], [0.428571, 0.571429])
    """
    check_unit_interval("beta1", beta1)
    check_unit_interval("beta2", beta2)
    check_int("n", n)
    E = np.eye(n)
    m = np.zeros(n)
    v = np.zeros(n)
    for k in range(n):
        g = E[k]                       # column j of the unit matrix is sequence e_j
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
    return m / (1 - beta1**n), v / (1 - beta2**n)


def ratio(G: np.ndarray, beta1: float, beta2: float) -> np.ndarray:
    """``mhat_n/sqrt(vhat_n)`` of each row of ``G`` (shape ``(S, n)``), by the recursion.

    Examples
    --------
    >>> float(ratio(np.array([[4.0, 6.0, 9.0]]), 0.5, 0.75)[0])   # doctest: +ELLIPSIS
    1.04436724759...
    """
    G = np.atleast_2d(np.asarray(G, float))
    m = np.zeros(G.shape[0])
    v = np.zeros(G.shape[0])
    for k in range(G.shape[1]):
        m = beta1 * m + (1 - beta1) * G[:, k]
        v = beta2 * v + (1 - beta2) * G[:, k] ** 2
    n = G.shape[1]
    return (m / (1 - beta1**n)) / np.sqrt(v / (1 - beta2**n))


def ratio_and_grad(G: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``R`` and ``dR/dG`` for rows of ``G`` given the recursion's weights ``a, b``.

    Examples
    --------
    >>> a, b = moment_weights(0.5, 0.75, 3)
    >>> R, dR = ratio_and_grad(np.array([[4.0, 6.0, 9.0]]), a, b)
    >>> bool(np.allclose(dR, 0, atol=1e-12))          # a stationary point of R
    True
    """
    G = np.atleast_2d(G)
    num = G @ a
    Q = (G * G) @ b
    sq = np.sqrt(Q)
    R = num / sq
    dR = a[None, :] / sq[:, None] - (num / (Q * sq))[:, None] * (b[None, :] * G)
    return R, dR


def multistart_max(beta1: float, beta2: float, n: int, starts: int, seed: Any,
                   ascent_steps: int = 400, polish: int = 6) -> dict:
    """Maximise ``R`` over sequences of length ``n`` from ``starts`` random starts.

    Returns ``best`` (the largest ``R`` found), ``best_sequence`` (normalised to last entry
    1), ``values`` (the polished maxima), ``ascent_max`` (largest value seen in the
    vectorised stage) and ``evaluations``.

    Examples
    --------
    >>> r = multistart_max(0.5, 0.75, 3, starts=64, seed=1)
    >>> round(r["best"], 10)
    1.0443672476
    """
    check_int("starts", starts)
    a, b = moment_weights(beta1, beta2, n)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(ss)
    G = rng.standard_normal((starts, n)) * np.exp(rng.normal(0, 1, (starts, n)))
    R, _ = ratio_and_grad(G, a, b)
    G[R < 0] *= -1                      # R is odd in G: maximise |R| through R
    seen = float(np.max(np.abs(R)))
    lr = 0.5
    for _ in range(ascent_steps):       # one array operation per step for all starts
        R, dR = ratio_and_grad(G, a, b)
        seen = max(seen, float(R.max()))
        norm = np.linalg.norm(G, axis=1, keepdims=True)
        G = G + lr * norm * dR / (np.linalg.norm(dR, axis=1, keepdims=True) + 1e-300)
        G /= np.linalg.norm(G, axis=1, keepdims=True)
    R, _ = ratio_and_grad(G, a, b)
    seen = max(seen, float(R.max()))
    order = np.argsort(R)[::-1][:polish]
    vals, seqs = [], []
    for i in order:
        def f(x):
            r, d = ratio_and_grad(x[None, :], a, b)
            return -float(r[0]), -d[0]
        res = minimize(f, G[i], jac=True, method="L-BFGS-B",
                       options={"maxiter": 2000, "ftol": 1e-16, "gtol": 1e-14})
        vals.append(-float(res.fun))
        seqs.append(res.x)
    best = int(np.argmax(vals))
    seq = seqs[best] / seqs[best][-1]
    return {"best": float(vals[best]), "best_sequence": seq, "values": vals,
            "ascent_max": seen, "evaluations": starts * (ascent_steps + 2)}


def random_sweep(beta1: float, beta2: float, n: int, samples: int, seed: Any) -> dict:
    """Largest ``|R|`` over ``samples`` random sequences of each family (vectorised).

    Families: Gaussian; heavy-tailed (Gaussian times ``exp(3 N(0,1))``); geometric
    ``q^(n-k)`` with random ``q`` in ``(0, 2)`` and random sign flips.

    Examples
    --------
    >>> out = random_sweep(0.9, 0.999, 20, 1000, seed=0)
    >>> sorted(out)
    ['gaussian', 'geometric', 'heavy_tailed']
    """
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(ss)
    fam = {"gaussian": rng.standard_normal((samples, n)),
           "heavy_tailed": rng.standard_normal((samples, n)) * np.exp(3 * rng.standard_normal(
               (samples, n)))}
    q = rng.uniform(0, 2, (samples, 1))
    signs = np.where(rng.random((samples, n)) < 0.05, -1.0, 1.0)
    fam["geometric"] = q ** (n - np.arange(1, n + 1))[None, :] * signs
    return {k: float(np.max(np.abs(ratio(G, beta1, beta2)))) for k, G in fam.items()}
