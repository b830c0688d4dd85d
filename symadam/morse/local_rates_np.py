"""Run gradient descent and heavy ball from starts near a minimum; measure their rates.

At a nondegenerate minimum ``theta*`` with Hessian spectrum ``[mu, L]`` the
predicted local rates are ``(kappa-1)/(kappa+1)`` (GD, step ``2/(L+mu)``) and
``(sqrt kappa - 1)/(sqrt kappa + 1)`` (heavy ball, Polyak's tuning).  The
measured rate is fitted to the distances ``e_k = |theta_k - theta*|`` by least
squares on ``log e_k = a + p log(k) + k log(rho)`` over the iterations with
``1e-8 < e_k / e_0 < 1e-2`` and ``e_k > 100 min(tail of e)`` (clear of the round-off
floor) (the ``log k`` term absorbs
the polynomial factor
``k rho^k`` of the double roots at Polyak's tuning; it is ~0 for GD).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..networks.hessian import gradient_function, risk_derivatives

__all__ = ["RateMeasurement", "fit_rate", "run_gd", "run_heavy_ball", "run_adaptive",
           "run_together", "measure_local_rates"]


class RateMeasurement(NamedTuple):
    """Spectrum bounds, and measured vs predicted rates per method."""

    mu: float
    L: float
    kappa: float
    measured: dict
    predicted: dict
    iterations: dict


def fit_rate(errors) -> float:
    """Fitted contraction factor ``rho`` from a sequence of errors (see module docstring).

    Examples
    --------
    >>> k = np.arange(200)
    >>> round(fit_rate(0.9 ** k * (k + 1)), 6)
    0.9
    """
    e = np.asarray(errors, dtype=float)
    rel = e / e[0]
    floor = 100.0 * np.min(e[-max(10, e.size // 10):])        # stay clear of round-off
    k = np.flatnonzero((rel < 1e-2) & (rel > 1e-8) & (e > floor))
    if k.size < 5:
        raise ValueError("not enough iterations in the asymptotic window to fit a rate")
    A = np.column_stack([np.ones(k.size), np.log(k + 1.0), k])
    coef = np.linalg.lstsq(A, np.log(e[k]), rcond=None)[0]
    return float(np.exp(coef[2]))


def run_gd(theta0, theta_star, x, y, activation: str, h: float, iters: int) -> np.ndarray:
    """Distances ``|theta_k - theta*|`` of gradient descent with step ``h``.

    Examples
    --------
    >>> x = np.linspace(-1, 1, 5); y = np.tanh(x)
    >>> e = run_gd(np.array([1.1, 0.0, 1.0, 0.0]), np.array([1.0, 0, 1, 0]), x, y, "tanh", 0.5, 3)
    >>> e.shape
    (4,)
    """
    grad = gradient_function(x, y, activation)
    t = np.asarray(theta0, dtype=float).copy()
    out = [np.linalg.norm(t - theta_star)]
    for _ in range(iters):
        t = t - h * grad(t)
        out.append(np.linalg.norm(t - theta_star))
    return np.array(out)


def run_heavy_ball(theta0, theta_star, x, y, activation: str, h: float, beta: float,
                   iters: int) -> np.ndarray:
    """Distances of heavy ball ``t+ = t - h grad + beta (t - t_prev)`` (``t_prev = t0``).

    Examples
    --------
    >>> x = np.linspace(-1, 1, 5); y = np.tanh(x)
    >>> run_heavy_ball(np.array([1.1, 0, 1, 0]), np.array([1.0, 0, 1, 0]), x, y, "tanh",
    ...                0.5, 0.1, 2).shape
    (3,)
    """
    grad = gradient_function(x, y, activation)
    t = np.asarray(theta0, dtype=float).copy()
    prev = t.copy()
    out = [np.linalg.norm(t - theta_star)]
    for _ in range(iters):
        t, prev = t - h * grad(t) + beta * (t - prev), t
        out.append(np.linalg.norm(t - theta_star))
    return np.array(out)


def run_adaptive(theta0, theta_star, x, y, activation: str, method: str, lr: float,
                 beta1: float, beta2: float, eps: float, iters: int) -> np.ndarray:
    """Distances of Adam (``method="adam"``) or the papers' RMSprop (Adam with ``beta1 = 0``).

    Uses :func:`symadam.rates.optimizers_np.adam_step` (torch convention, eps
    outside the root).  The step counter starts at ``n0 = 10^4``, so the bias
    corrections ``1 - beta^n`` are 1 to float64 accuracy for ``beta1`` and
    ``e^{-10}``-close for ``beta2 = 0.999``: this is the limit map ``n -> oo``
    that the rate engine linearizes.  (With the counter at 1, the corrected
    first steps are ``1/(1 - beta1)`` times larger than the asymptotic ones and
    throw the iterate out of the basin at the rate engine's tuning.)

    Examples
    --------
    >>> x = np.linspace(-1, 1, 5); y = np.tanh(x)
    >>> run_adaptive(np.array([1.1, 0, 1, 0]), np.array([1.0, 0, 1, 0]), x, y, "tanh",
    ...              "adam", 0.01, 0.5, 0.999, 0.1, 2).shape
    (3,)
    """
    from ..rates.optimizers_np import adam_step

    grad = gradient_function(x, y, activation)
    t = np.asarray(theta0, dtype=float).copy()
    m = np.zeros_like(t)
    v = np.zeros_like(t)
    b1 = beta1 if method == "adam" else 0.0
    out = [np.linalg.norm(t - theta_star)]
    for n in range(1, iters + 1):
        t, m, v = adam_step(t, grad(t), m, v, n + 10_000, lr=lr, beta1=b1,
                            beta2=beta2, eps=eps)
        out.append(np.linalg.norm(t - theta_star))
    return np.array(out)


def measure_local_rates(theta_star, x, y, activation: str, rng: np.random.Generator,
                        delta: float = 1e-4, predicted: dict | None = None,
                        tunings: dict | None = None, eps: float = 0.1,
                        beta2: float = 0.999) -> RateMeasurement:
    """Measure GD and heavy-ball rates from ``theta* + delta * (random unit vector)``.

    ``predicted`` maps method -> predicted rate (e.g. from the rate engine);
    by default the closed forms of :mod:`symadam.morse.exact` evaluated in
    float.  ``tunings`` maps method -> callable ``(L, mu) -> dict`` of tuned
    parameters (default: Polyak's heavy-ball tuning; ``"adam"`` needs
    ``gamma, beta1``, ``"rmsprop"`` needs ``gamma``; both use ``eps``,
    ``beta2``; at ``delta = 1e-4`` already ``sqrt(v) << eps = 0.1``: the
    linear regime of the rate engine's Adam analysis).  Iteration counts are chosen
    from the predicted rates so that the
    error falls by ~1e-8.  All methods run side by side from the same start
    (:func:`run_together`: one batched gradient per step).

    Examples
    --------
    >>> x = np.linspace(-1, 1, 6)[:, None]; th = np.array([1.5, 0.3, 0.8, 0.1])
    >>> y = 0.1 + 0.8 * np.tanh(1.5 * x[:, 0] + 0.3)           # zero-loss minimum
    >>> r = measure_local_rates(th, x, y, "tanh", np.random.default_rng(0))
    >>> abs(r.measured["gd"] - r.predicted["gd"]) < 1e-3
    True
    """
    ts = np.asarray(theta_star, dtype=float)
    lam = np.linalg.eigvalsh(risk_derivatives(ts, x, y, activation).hess[0])
    mu, L = float(lam[0]), float(lam[-1])
    if mu <= 0:
        raise ValueError(f"theta_star must be a nondegenerate minimum (smallest eigenvalue {mu})")
    kappa = L / mu
    if predicted is None:
        predicted = {"gd": (kappa - 1) / (kappa + 1),
                     "heavy_ball": float((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))}
    u = rng.standard_normal(ts.size)
    t0 = ts + delta * u / np.linalg.norm(u)
    iters = {k: int(min(200000, np.ceil(20.0 / max(1e-12, -np.log(max(v, 1e-300))))) + 50)
             for k, v in predicted.items()}
    steps = {}
    if "gd" in predicted:
        steps["gd"] = _gd_rule(2.0 / (L + mu))
    tunings = dict(tunings or {})
    if "heavy_ball" in predicted:
        hb = tunings.get("heavy_ball", lambda L_, mu_: {
            "h": 4.0 / (np.sqrt(L_) + np.sqrt(mu_)) ** 2,
            "beta": ((np.sqrt(L_) - np.sqrt(mu_)) / (np.sqrt(L_) + np.sqrt(mu_))) ** 2})(L, mu)
        steps["heavy_ball"] = _heavy_ball_rule(hb["h"], hb["beta"], t0)
    for meth in ("adam", "rmsprop"):
        if meth in predicted:
            tp = tunings[meth](L, mu)
            steps[meth] = _adaptive_rule(meth, tp["gamma"], tp.get("beta1", 0.0), beta2, eps,
                                         ts.size)
    errors = run_together(t0, ts, x, y, activation, steps, {k: iters[k] for k in steps})
    measured = {k: fit_rate(e) for k, e in errors.items()}
    return RateMeasurement(mu, L, kappa, measured, dict(predicted), iters)


def _gd_rule(h):
    return lambda t, g, n: t - h * g


def _heavy_ball_rule(h, beta, t0):
    prev = [np.asarray(t0, dtype=float).copy()]

    def step(t, g, n):
        new = t - h * g + beta * (t - prev[0])
        prev[0] = t.copy()             # t is a row of the batch, overwritten next
        return new
    return step


def _adaptive_rule(method, lr, beta1, beta2, eps, size):
    from ..rates.optimizers_np import adam_step

    mv = [np.zeros(size), np.zeros(size)]
    b1 = beta1 if method == "adam" else 0.0

    def step(t, g, n):
        t, mv[0], mv[1] = adam_step(t, g, mv[0], mv[1], n + 10_000, lr=lr, beta1=b1,
                                    beta2=beta2, eps=eps)
        return t
    return step


def run_together(theta0, theta_star, x, y, activation: str, steps: dict,
                 iters: dict) -> dict:
    """Distances ``|theta_k - theta*|`` of several methods run side by side.

    ``steps`` maps a name to ``step(theta, grad, n) -> theta`` (``n = 1, 2, ...``),
    ``iters`` to its number of steps.  The iterates of all methods still running
    form one batch, so each step costs one batched gradient evaluation
    (:func:`symadam.networks.hessian.risk_derivatives`) instead of one per method;
    each method's trajectory is that of running it alone (:func:`run_gd`,
    :func:`run_heavy_ball`, :func:`run_adaptive`).

    Examples
    --------
    >>> x = np.linspace(-1, 1, 5); y = np.tanh(x); ts = np.array([1.0, 0, 1, 0])
    >>> t0 = np.array([1.1, 0.0, 1.0, 0.0])
    >>> e = run_together(t0, ts, x, y, "tanh", {"gd": _gd_rule(0.5)}, {"gd": 3})
    >>> bool(np.allclose(e["gd"], run_gd(t0, ts, x, y, "tanh", 0.5, 3), rtol=1e-14))
    True
    """
    names = list(steps)
    ts = np.asarray(theta_star, dtype=float)
    T = np.tile(np.asarray(theta0, dtype=float), (len(names), 1))
    path = {k: np.empty((iters[k] + 1, T.shape[1])) for k in names}
    for k in names:
        path[k][0] = T[0]
    rules = [steps[k] for k in names]
    ends = sorted({iters[k] for k in names} | {0})
    for lo, hi in zip(ends[:-1], ends[1:]):
        live = [i for i, k in enumerate(names) if iters[k] >= hi]   # constant on (lo, hi]
        rows = [path[names[i]] for i in live]
        sub = T[live]
        for n in range(lo + 1, hi + 1):
            G = risk_derivatives(sub, x, y, activation, hessian=False).grad
            for r, i in enumerate(live):
                sub[r] = rules[i](sub[r], G[r], n)
                rows[r][n] = sub[r]
        T[live] = sub
    return {k: np.linalg.norm(path[k] - ts, axis=1) for k in names}
