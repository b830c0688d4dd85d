"""Vectorised simulations for the bounds topic (float64 numpy): array operations over all
runs at once, and over whole blocks of steps wherever a recursion does not feed back.

* :func:`adversarial_rises` -- the sharpness construction of the a priori bound, for a grid of
  build-up lengths at once (scale-free: ``eps = 0`` and the moments are renormalised by the
  current gradient size, so geometric build-ups of any length stay in range);
* :func:`random_adversary` -- sign-respecting gradient sequences with random, persistent
  magnitudes (log-random walk), positions tracked;
* :func:`quadratic_sup` -- Adam, gradient descent or heavy ball on a separable quadratic
  ``E[sum_i lam_i/2 (theta_i - X_i)^2]`` with i.i.d. data (or deterministic gradients),
  recording how far the iterates ever get from the data range;
* :func:`frozen_rms` -- the stationary moment chain at a frozen ``theta``, estimating
  ``E[(M/(eps + sqrt V))^2]``; :func:`adam_step_rms` -- the RMS step of running Adam;
* :func:`check_memory` -- refuses a simulation whose arrays would not fit before it starts.

Adam is bias-corrected, ``eps`` outside the root (``torch.optim.Adam``); ``beta1`` is the
papers' alpha, ``beta2`` their beta, ``lr`` their gamma.  Data laws are
:class:`symadam.avf.laws.DataLaw` objects, sampled by :func:`symadam.avf.mc_np.sample_batch_means`.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.signal import lfilter

from ..avf.mc_np import history_length, sample_batch_means
from ..core.validate import check_memory

__all__ = ["adversarial_rises", "random_adversary",
           "quadratic_sup", "frozen_rms", "adam_step_rms"]

_BLOCK = 256  # data drawn in blocks of this many steps


def _rng(seed: Any) -> np.random.Generator:
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.default_rng(ss)


def adversarial_rises(beta1: float, beta2: float, warmups: Any, buildups: Any,
                      tail: int) -> dict:
    """Rise above ``b`` (in units of ``gamma``) of the sharpness construction, per variant.

    Variant ``(W, N)``: ``W`` steps of gradient ``-1`` (the bias corrections settle), then
    ``N`` steps whose gradients grow by ``beta2/beta1`` per step (the extremal sequence), the
    last of which crosses ``b``, then ``tail`` steps of ``g = 0`` above ``b``.  While below
    ``b`` the increments do not depend on the position, so the start is placed at the
    distance that makes the last build-up step start just below ``b``; the sign condition
    is then checked on the positions.  ``eps = 0`` (the worst case).  Each variant runs
    ``max(W + N) + tail`` steps; with no feedback from the position, its moment recursions
    run as IIR filters over the whole sequence (``scipy.signal.lfilter``).

    Returns ``rise`` (max over the tail of ``theta - b``, over ``gamma``), ``crossing``
    (the crossing step's size over ``gamma``), ``sign_ok`` (per variant) and ``grid``.

    Examples
    --------
    >>> out = adversarial_rises(0.5, 0.75, [0, 200], [5, 60], 200)
    >>> out["rise"].round(4).tolist()
    [2.6705, 2.8978, 2.8802, 2.8978]
    """
    W, N = np.meshgrid(np.asarray(warmups, int), np.asarray(buildups, int), indexing="ij")
    W, N = W.ravel(), N.ravel()
    T = int((W + N).max()) + int(tail)     # every variant runs T steps (its tail: the rest)
    q = beta2 / beta1 if beta1 > 0 else np.inf     # beta1 = 0: only the last gradient counts
    t = np.arange(1, T + 1)
    c1 = np.cumprod(np.full(T, float(beta1)))      # beta1^t, beta2^t (sequential products)
    c2 = np.cumprod(np.full(T, float(beta2)))
    rise, crossing, up_ok = np.zeros(W.size), np.zeros(W.size), np.ones(W.size, bool)
    for j, (w, n) in enumerate(zip(W.tolist(), N.tolist())):
        # the moments are linear recursions in the gradients (which do not depend on the
        # position while below b): three constant-coefficient pieces, run as IIR filters
        # -- ratio 1, g = -1 up to step w + 1; ratio q, g = -1 to step w + n; g = 0 after
        g = np.where(t <= w + n, -1.0, 0.0)
        s1 = min(w + 1, w + n)
        m = _piecewise_filter(g, 1 - beta1, (beta1, beta1 / q, beta1), (s1, w + n))
        v = _piecewise_filter(g * g, 1 - beta2, (beta2, beta2 / q**2, beta2), (s1, w + n))
        vh = v / (1 - c2)
        step = -(m / (1 - c1)) / np.sqrt(np.where(vh > 0, vh, 1.0))
        k = w + n - 1                     # index of the crossing step (step w + n)
        crossing[j] = step[k]
        up_ok[j] = bool(np.all(step[:k + 1] > 0))
        # b sits just above the crossing start: the rise is the largest partial sum of the
        # steps from the crossing on
        rise[j] = np.cumsum(step[k:]).max()
    # the sign condition: before the crossing every increment is upward, so every earlier
    # position is below the crossing start (gradients < 0 there); g = 0 in the tail obeys it
    return {"rise": rise, "crossing": crossing, "sign_ok": up_ok,
            "grid": list(zip(W.tolist(), N.tolist()))}


def _piecewise_filter(x, gain: float, coefs: tuple, ends: tuple) -> np.ndarray:
    """``y_t = coef y_{t-1} + gain x_t`` from ``y_0 = 0``, ``coef`` constant on the pieces
    ``t <= ends[0]``, ``ends[0] < t <= ends[1]``, ``t > ends[1]`` (``scipy.signal.lfilter``).
    """
    y = np.empty_like(x)
    prev, lo = 0.0, 0
    for coef, hi in zip(coefs, (*ends, x.size)):
        if hi > lo:
            y[lo:hi], _ = lfilter([gain], [1.0, -coef], x[lo:hi], zi=[coef * prev])
            prev = y[hi - 1]
            lo = hi
    return y


def random_adversary(beta1: float, beta2: float, lr: float, a: float, b: float,
                     theta0: float, steps: int, runs: int, seed: Any,
                     eps: Any = 0.0) -> dict:
    """Adam driven by random sign-respecting gradients; returns the extreme positions.

    ``eps`` is a float or one value per run (several settings in one pass).

    Outside ``[a, b]`` the gradient has the forced sign (``+`` above ``b``, ``-`` below
    ``a``), inside a random sign; its magnitude follows a log-random walk
    (``log|g|`` steps ``N(0, 1)``), so long build-ups of growing gradients occur.  Only the
    sign feeds back: per block of steps the magnitudes, ``v`` (an IIR filter) and Adam's
    denominators are computed first, then ``m`` and ``theta`` step by step.

    Examples
    --------
    >>> out = random_adversary(0.9, 0.999, 1.0, -1.0, 1.0, 0.0, 2000, 64, seed=0)
    >>> bool(out["max"].max() < 1 + 73.04 and out["min"].min() > -1 - 73.04)
    True
    """
    check_memory(f"random_adversary with {runs} runs", 8.0 * runs * (12 + 8 * _BLOCK))
    rng = _rng(seed)
    th = np.full(runs, float(theta0))
    m = np.zeros(runs)
    v = np.zeros(runs)
    logmag = np.zeros(runs)
    hi = th.copy()
    lo = th.copy()
    p1 = p2 = 1.0
    TH = np.empty((_BLOCK, runs))
    for t0 in range(1, steps + 1, _BLOCK):
        nb = min(_BLOCK, steps + 1 - t0)
        Z = rng.standard_normal((_BLOCK, runs))
        S = np.where(rng.random((_BLOCK, runs)) < 0.5, -1.0, 1.0)
        # everything but the sign is independent of the position: the magnitudes, the
        # second moment and Adam's denominator for the whole block first
        mag, carry = np.empty((nb, runs)), logmag
        for i in range(nb):
            logmag = mag[i]
            np.add(mag[i - 1] if i else carry, Z[i], out=logmag)
            np.clip(logmag, -30, 30, out=logmag)            # |g| in [e^-30, e^30]
        logmag = logmag.copy()
        mag = np.exp(mag)
        V, _ = lfilter([1 - beta2], [1.0, -beta2], mag * mag, axis=0, zi=beta2 * v[None])
        v = V[-1]
        P1 = p1 * np.cumprod(np.full(nb, beta1))
        P2 = p2 * np.cumprod(np.full(nb, beta2))
        p1, p2 = P1[-1], P2[-1]
        fac = lr / ((1 - P1)[:, None] * (eps + np.sqrt(V / (1 - P2)[:, None])))
        mag *= 1 - beta1
        prev = th
        for i in range(nb):
            sign = np.where(prev > b, 1.0, np.where(prev < a, -1.0, S[i]))
            m *= beta1
            m += sign * mag[i]
            np.subtract(prev, fac[i] * m, out=TH[i])
            prev = TH[i]
        th = prev.copy()
        np.maximum(hi, TH[:nb].max(axis=0), out=hi)
        np.minimum(lo, TH[:nb].min(axis=0), out=lo)
    return {"max": hi, "min": lo, "final": th}


def quadratic_sup(method: str, lam: Any, law: Any, theta0: Any, lr: Any, steps: int,
                  runs: int, seed: Any, *, beta1: float = 0.9, beta2: float = 0.999,
                  eps: float = 1e-8, momentum: float = 0.9, blowup: float = 1e100) -> dict:
    """``method`` on ``E[sum_i lam_i/2 (theta_i - X_i)^2]``: how far the iterates ever get.

    The iterates of each block of steps are buffered and their extremes taken at the block's
    end; a block in which a run blows up is redone step by step (exploded runs are frozen).

    Parameters
    ----------
    method : {"adam", "gd", "heavy-ball"}
    lam : array (d,)
        Curvatures ``lam_i > 0``.
    law : DataLaw, list of DataLaw, or None
        Law of each ``X_i`` (i.i.d. over coordinates, steps and runs); ``None``: ``X = 0``
        (deterministic gradients, minimiser 0).  A list of ``k`` laws splits the runs into
        ``k`` equal consecutive groups, one law each (several laws in one pass).
    theta0 : float or array (d,)
    lr : float or array (runs,)
        Learning rate(s) (one per run allows a sweep in one pass).
    steps, runs : int
    momentum : float
        Heavy ball's ``beta``.

    Returns
    -------
    dict with ``above`` / ``below`` (runs, d): how far the iterates ever got above
    ``max(theta_0, max X)`` / below ``min(theta_0, min X)``, the data range of the whole
    run (the theorem's pathwise ``[a, b]``; 0 if never), ``dist`` (runs,): the largest
    ``|theta - E X|_inf``, ``blowup_step`` (runs,): first step with ``|theta| > blowup``
    (``-1`` if never), ``final`` (runs, d).

    Examples
    --------
    >>> out = quadratic_sup("gd", [1.0], None, 1.0, [0.5, 2.5], 700, 2, seed=0)
    >>> out["blowup_step"].tolist()
    [-1, 568]
    """
    if method not in ("adam", "gd", "heavy-ball"):
        raise ValueError(f"method must be one of adam, gd, heavy-ball; got {method!r}")
    lam = np.atleast_1d(np.asarray(lam, float))
    d = lam.size
    check_memory(f"{method} with runs x d = {runs} x {d}", 8.0 * runs * d * (12 + 2 * _BLOCK))
    rng = _rng(seed)
    lr = np.broadcast_to(np.asarray(lr, float), (runs,))[:, None]
    th = np.broadcast_to(np.asarray(theta0, float), (runs, d)).copy()
    prev = th.copy()
    m = np.zeros((runs, d))
    v = np.zeros((runs, d))
    laws = None if law is None else list(law) if isinstance(law, (list, tuple)) else [law]
    if laws is not None and (not laws or runs % len(laws)):
        raise ValueError(f"runs must be a multiple of the number of laws ({len(laws)}), "
                         f"got {runs}")
    mean = 0.0 if laws is None else np.repeat([float(w.mean()) for w in laws],
                                              runs // len(laws))[:, None]
    xmax = np.full((runs, d), -np.inf if law is not None else 0.0)
    xmin = np.full((runs, d), np.inf if law is not None else 0.0)
    thmax = th.copy()
    thmin = th.copy()
    dist = np.abs(th - mean).max(axis=1)
    blow = np.full(runs, -1)
    alive = np.ones(runs, bool)
    p = [1.0, 1.0]                # beta1^t, beta2^t

    g, w1, w2 = (np.empty((runs, d)) for _ in range(3))

    def update(th, prev, m, v, x):
        """One step; Adam in place, operation for operation
        ``th - lr (m/(1-p1))/(eps + sqrt(v/(1-p2)))`` with the moments' recursions."""
        if method == "adam":
            np.subtract(th, x, out=g)
            np.multiply(g, lam, out=g)
            m *= beta1
            m += np.multiply(g, 1 - beta1, out=w1)
            np.multiply(g, 1 - beta2, out=w1)
            np.multiply(w1, g, out=w1)
            v *= beta2
            v += w1
            p[0] *= beta1
            p[1] *= beta2
            np.divide(v, 1 - p[1], out=w1)
            np.sqrt(w1, out=w1)
            np.add(w1, eps, out=w1)
            np.divide(m, 1 - p[0], out=w2)
            np.multiply(w2, lr, out=w2)
            np.divide(w2, w1, out=w2)
            th -= w2
            return th, m, v
        gr = lam * (th - x)
        if method == "gd":
            return th - lr * gr, m, v
        return th - lr * gr + momentum * (th - prev), m, v

    TH = np.empty((_BLOCK, runs, d))
    for t0 in range(1, steps + 1, _BLOCK):
        nb = min(_BLOCK, steps + 1 - t0)
        X = None if laws is None else np.concatenate(
            [sample_batch_means(w, (_BLOCK, runs // len(laws), d), rng) for w in laws], axis=1)
        if alive.all():
            # fast path: the block's iterates are buffered and bookkept at its end; if a run
            # leaves |theta| <= blowup in the block, the block is redone step by step below
            saved = th.copy(), prev.copy(), m.copy(), v.copy(), list(p)
            with np.errstate(over="ignore", invalid="ignore"):
                for i in range(nb):
                    prev_ = th if method != "adam" else None    # Adam updates in place
                    th, m, v = update(th, prev, m, v, 0.0 if X is None else X[i])
                    prev = prev_ if prev_ is not None else prev
                    TH[i] = th
                hi, lo = TH[:nb].max(axis=0), TH[:nb].min(axis=0)
                # NaN propagates into hi/lo and fails the test
                ok = bool((np.maximum(np.abs(hi), np.abs(lo)) <= blowup).all())
            if ok:
                if X is not None:
                    np.maximum(xmax, X[:nb].max(axis=0), out=xmax)
                    np.minimum(xmin, X[:nb].min(axis=0), out=xmin)
                np.maximum(thmax, hi, out=thmax)
                np.minimum(thmin, lo, out=thmin)
                # max |theta - mean| = max(hi - mean, mean - lo) (rounding is monotone)
                dist = np.maximum(dist, np.maximum(hi - mean, mean - lo).max(axis=1))
                continue
            th, prev, m, v, p[:] = saved
        for i in range(nb):           # step by step (after a blow-up)
            t = t0 + i
            x = X[i] if law is not None else 0.0
            if law is not None:
                np.maximum(xmax, x, out=xmax)
                np.minimum(xmin, x, out=xmin)
            prev_ = th if method != "adam" else prev
            th, m, v = update(th, prev, m, v, x)
            prev = prev_
            with np.errstate(invalid="ignore"):
                np.maximum(thmax, th, out=thmax)
                np.minimum(thmin, th, out=thmin)
                big = ~(np.abs(th).max(axis=1) <= blowup)
            newly = big & alive
            blow[newly] = t
            alive &= ~big
            dist = np.where(alive, np.maximum(dist, np.abs(th - mean).max(axis=1)), np.inf)
            if not alive.any():
                break
            if not alive.all():      # exploded runs are frozen (no overflow warnings)
                th[~alive] = 0.0
                prev[~alive] = 0.0
        if not alive.any():
            break
    th0 = np.broadcast_to(np.asarray(theta0, float), (runs, d))
    with np.errstate(invalid="ignore"):
        above = np.maximum(thmax - np.maximum(th0, xmax), 0.0)
        below = np.maximum(np.minimum(th0, xmin) - thmin, 0.0)
    return {"above": above, "below": below, "dist": dist, "blowup_step": blow, "final": th}


def frozen_rms(law: Any, theta: float, beta1: float, beta2: float, eps: float, steps: int,
               runs: int, seed: Any) -> dict:
    """``E[(M/(eps + sqrt V))^2]`` at a frozen ``theta`` by the stationary moment chain.

    Each run first runs the recursion ``m <- beta1 m + (1-beta1) G``,
    ``v <- beta2 v + (1-beta2) G^2`` (no bias correction) for a burn-in after which the
    start's weight is below 1e-17, then averages ``(m/(eps + sqrt v))^2`` over ``steps``
    steps; the standard error is over the independent runs.

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> out = frozen_rms(parse_data("rademacher"), 0.0, 0.9, 0.99, 0.0, 2000, 32, seed=0)
    >>> bool(abs(out["mean"] - 1/19) < 5 * out["se"])    # (1-beta1)/(1+beta1) = 1/19
    True
    """
    check_memory(f"frozen_rms with {runs} runs", 8.0 * runs * (8 + 6 * _BLOCK))
    rng = _rng(seed)
    burn = history_length(beta1, beta2)
    m = np.zeros(runs)
    v = np.zeros(runs)
    acc = np.zeros(runs)
    for t0 in range(1, burn + steps + 1, _BLOCK):
        nb = min(_BLOCK, burn + steps + 1 - t0)
        G = theta - sample_batch_means(law, (_BLOCK, runs), rng)
        # G does not depend on the chain: m and v are IIR filters over the whole block
        M, _ = lfilter([1 - beta1], [1.0, -beta1], G[:nb], axis=0, zi=beta1 * m[None])
        V, _ = lfilter([1 - beta2], [1.0, -beta2], G[:nb] * G[:nb], axis=0,
                       zi=beta2 * v[None])
        m, v = M[-1], V[-1]
        k = max(0, burn + 1 - t0)           # rows with t > burn
        if k < nb:
            # rows summed in order, after acc (the sequential sum, as step by step)
            acc = np.concatenate([acc[None], (M[k:] / (eps + np.sqrt(V[k:]))) ** 2]).sum(0)
    per_run = acc / steps
    return {"mean": float(per_run.mean()), "se": float(per_run.std(ddof=1) / math.sqrt(runs)),
            "per_run": per_run}


def adam_step_rms(law: Any, theta0: float, lr: float, beta1: float, beta2: float, eps: float,
                  steps: int, runs: int, seed: Any, floor_schedule: bool = True) -> dict:
    """RMS of Adam's steps ``(theta_n - theta_{n-1})/gamma_n`` over the second half of a run.

    ``gamma_n = lr (1 + n^{-1/2})`` if ``floor_schedule`` (a schedule bounded below by
    ``lr`` but not constant), else ``lr``.  Returns the per-run RMS over the second half,
    its mean and standard error, and the spread (std across runs) of the final iterates
    at 3/4 and at the end.

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> out = adam_step_rms(parse_data("rademacher"), 0.0, 1e-3, 0.9, 0.99, 0.0, 4000, 16, 0)
    >>> bool(abs(out["mean"] - (1/19) ** 0.5) < 0.02)
    True
    """
    check_memory(f"adam_step_rms with {runs} runs", 8.0 * runs * (10 + 2 * _BLOCK))
    rng = _rng(seed)
    th = np.full(runs, float(theta0))
    m = np.zeros(runs)
    v = np.zeros(runs)
    g = np.empty(runs)
    acc = np.zeros(runs)
    spread_mid = float("nan")
    half = steps // 2
    p1 = p2 = 1.0
    ST = np.empty((_BLOCK, runs))            # the block's steps (their squares summed after)
    for t0 in range(1, steps + 1, _BLOCK):
        nb = min(_BLOCK, steps + 1 - t0)
        X = sample_batch_means(law, (_BLOCK, runs), rng)
        for i in range(nb):                  # in place; the same operations as written out
            t = t0 + i
            np.subtract(th, X[i], out=g)
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p1 *= beta1
            p2 *= beta2
            gam = lr * (1 + t ** -0.5) if floor_schedule else lr
            step = ST[i]                     # step / gamma_n
            np.divide(v, 1 - p2, out=step)
            np.sqrt(step, out=step)
            step += eps
            np.divide(-(m / (1 - p1)), step, out=step)
            th += gam * step
            if t == (3 * steps) // 4:
                spread_mid = float(th.std())
        k = max(0, half + 1 - t0)            # rows with t > half, summed in order after acc
        if k < nb:
            acc = np.concatenate([acc[None], ST[k:nb] * ST[k:nb]]).sum(axis=0)
    per_run = np.sqrt(acc / (steps - half))
    return {"mean": float(per_run.mean()), "se": float(per_run.std(ddof=1) / math.sqrt(runs)),
            "per_run": per_run, "spread": float(th.std()), "spread_mid": spread_mid,
            "final": th}
