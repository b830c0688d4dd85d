"""Learning-rate-adaptive SGD and Adam (arXiv 2406.14340) on the quadratic class (float64 numpy).

The rule is a named, documented *convention*; the paper's exact rule for its
convergence theorem is not known to us.  The group's public code
(``deeplearningmethods/adaptive-learning-rate``, ``reset_adam``) does this:
train at the current rate ``gamma``; when the training loss has not improved
on its best value for ``patience`` steps, save the state, run ``K`` trial
copies for ``trial_steps`` steps at the candidate rates
``gamma * factor^j``, ``j = -(K-1)/2, ..., (K-1)/2``, estimate each copy's
objective by the empirical risk on ``test_samples`` fresh samples, restore the
saved state (parameters and optimizer moments) and continue with the best
candidate.  :class:`Rule` holds these numbers; each may scale with the current
rate as ``ceil(c gamma^-p)``:

* ``PRESETS["group"]``: the code's defaults (patience 400, ``K = 3``, factor 4,
  50 trial steps, 10000 test samples), all fixed;
* ``PRESETS["invariant"]`` (ours): patience ``ceil(4/gamma)``, trial steps
  ``ceil(2/gamma)`` (long enough for a trial chain to approach its invariant
  law, whose excess risk ``gamma sigma^2/(2(2-gamma)J)`` increases with
  ``gamma``), test samples ``ceil(16/gamma^2)`` (enough to resolve an
  ``O(gamma)`` difference), ``K = 3``, factor 2.

Problem: ``F(theta) = E[(theta - X)^2]/2``, ``X ~ N(theta*, sigma^2)``, batches of
``J``.  The empirical risk of ``N`` fresh samples is drawn exactly in law from
its sufficient statistics (``Xbar ~ N(theta*, sigma^2/N)``,
``N s^2 ~ sigma^2 chi^2_{N-1}``), so any ``N`` costs O(1).

Vectorised: ``R`` runs advance together in ticks; a run in its main phase does
one optimizer step per tick, a run in a trial does one step of each of its
``K`` copies per tick (its ``work`` counts gradient evaluations, trial steps
included, as the group's code counts them).  Also here: constant rates and a
numpy mirror of ``torch.optim.lr_scheduler.ReduceLROnPlateau`` (mode ``min``,
relative threshold) fed the mean training loss of each epoch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Rule", "PRESETS", "run_adaptive", "run_plateau", "plateau_mirror"]


@dataclass(frozen=True)
class Rule:
    """A learning-rate search convention; ``(c, p)`` pairs mean ``ceil(c * gamma^-p)``.

    Examples
    --------
    >>> PRESETS["group"].count("trial_steps", np.array([0.01]))
    array([50])
    >>> PRESETS["invariant"].count("trial_steps", np.array([0.01]))
    array([200])
    """

    name: str
    patience: tuple[float, float]
    trial_steps: tuple[float, float]
    test_samples: tuple[float, float]
    candidates: int = 3
    factor: float = 2.0

    def count(self, what: str, gamma: np.ndarray) -> np.ndarray:
        """The integer count ``ceil(c gamma^-p)`` of ``what`` at rates ``gamma``."""
        c, p = getattr(self, what)
        return np.ceil(c * np.asarray(gamma, float) ** (-p) - 1e-9).astype(np.int64)


PRESETS = {
    "group": Rule("group", (400, 0), (50, 0), (10000, 0), 3, 4.0),
    "invariant": Rule("invariant", (4, 1), (2, 1), (16, 2), 3, 2.0),
}


def _sample_batch(rng, shape, sigma, batch):
    return rng.standard_normal(shape) * (sigma / math.sqrt(batch))


def _empirical_risk(rng, e, n, sigma):
    """``(1/N) sum (theta - X_i)^2/2`` at ``e = theta - theta*``, from sufficient statistics."""
    xbar = rng.standard_normal(e.shape) * sigma / np.sqrt(n)
    s2 = sigma ** 2 * rng.chisquare(np.maximum(n - 1, 1)) / n
    return 0.5 * ((e - xbar) ** 2 + s2)


class _Opt:
    """SGD or bias-corrected Adam (eps outside the root) on arrays of any shape."""

    def __init__(self, kind, beta1=0.9, beta2=0.999, eps=1e-8):
        if kind not in ("sgd", "adam"):
            raise ValueError(f"optimizer must be 'sgd' or 'adam', got {kind!r}")
        self.kind, self.b1, self.b2, self.eps = kind, beta1, beta2, eps

    def init(self, e):
        return {"e": e, "m": np.zeros_like(e), "v": np.zeros_like(e), "t": np.zeros_like(e)}

    def step(self, st, g, lr):
        if self.kind == "sgd":
            return {**st, "e": st["e"] - lr * g}
        t = st["t"] + 1
        m = self.b1 * st["m"] + (1 - self.b1) * g
        v = self.b2 * st["v"] + (1 - self.b2) * g * g
        mh, vh = m / (1 - self.b1 ** t), v / (1 - self.b2 ** t)
        return {"e": st["e"] - lr * mh / (self.eps + np.sqrt(vh)), "m": m, "v": v, "t": t}


def _where(mask, a, b):
    return {k: a[k] if a[k] is b[k] else np.where(mask, a[k], b[k]) for k in a}


def run_adaptive(rule: Rule | str, gamma0: float, n_ticks: int, n_runs: int, seed: Any,
                 sigma: float = 1.0, batch: int = 1, theta0: float = 3.0,
                 optimizer: str = "sgd", record: int = 40, **opt) -> dict:
    """Learning-rate-adaptive SGD/Adam on ``E[(theta - X)^2]/2`` (``theta* = 0``), ``n_runs`` runs.

    Returns
    -------
    dict with, at ``record`` log-spaced ticks: ``tick``, ``work`` (median
    gradient evaluations per run), ``gamma_geomean``, ``excess`` (mean of
    ``F(theta) - F* = theta^2/2`` over runs) and ``excess_se``; plus ``searches``
    (mean number of searches per run) and the final ``gamma``.

    Examples
    --------
    >>> r = run_adaptive("invariant", 0.5, 4000, 200, seed=0)
    >>> bool(r["gamma_geomean"][-1] < 0.1), bool(r["excess"][-1] < 0.05)
    (True, True)
    """
    rule = PRESETS[rule] if isinstance(rule, str) else rule
    if not gamma0 > 0:
        raise ValueError(f"gamma0 must be > 0, got {gamma0!r}")
    rng = np.random.default_rng(seed if isinstance(seed, np.random.SeedSequence)
                                else np.random.SeedSequence(seed))
    K, R = rule.candidates, n_runs
    js = np.arange(K) - (K - 1) / 2
    op = _Opt(optimizer, **opt)
    main = op.init(np.full(R, float(theta0)))
    trial = op.init(np.zeros((R, K)))
    gam = np.full(R, float(gamma0))
    cand = np.zeros((R, K))
    best = np.full(R, np.inf)
    since = np.zeros(R, np.int64)
    left = np.zeros(R, np.int64)
    in_trial = np.zeros(R, bool)
    work = np.zeros(R, np.int64)
    searches = np.zeros(R, np.int64)
    marks = set(np.unique(np.geomspace(10, n_ticks, record).astype(int)).tolist())
    out = {k: [] for k in ("tick", "work", "gamma_geomean", "excess", "excess_se")}
    patience = None
    for tick in range(1, n_ticks + 1):
        # main phase: one step, loss bookkeeping, maybe start a trial
        xb = _sample_batch(rng, R, sigma, batch)
        loss = 0.5 * (main["e"] - xb) ** 2
        stepped = op.step(main, main["e"] - xb, gam)
        act = ~in_trial
        main = _where(act, stepped, main)
        work += act
        imp = act & (loss < best)
        best = np.where(imp, loss, best)
        since = np.where(act & ~imp, since + 1, np.where(imp, 0, since))
        if patience is None:                    # the rates changed: recount
            patience = rule.count("patience", gam)
        start = act & (since >= patience)
        if start.any():
            cand = np.where(start[:, None], gam[:, None] * rule.factor ** js[None, :], cand)
            copies = {k: np.repeat(v[:, None], K, 1) for k, v in main.items()}
            trial = _where(start[:, None], copies, trial)
            left = np.where(start, rule.count("trial_steps", gam), left)
            in_trial |= start
            searches += start
        # trial phase: one step of each candidate copy
        if in_trial.any():
            xt = _sample_batch(rng, (R, K), sigma, batch)
            st = op.step(trial, trial["e"] - xt, cand)
            trial = _where(in_trial[:, None], st, trial)
            work += in_trial * K
            left = np.where(in_trial, left - 1, left)
            done = in_trial & (left <= 0)
            if done.any():
                n_test = np.repeat(rule.count("test_samples", gam)[:, None], K, 1)
                est = _empirical_risk(rng, trial["e"], n_test, sigma)
                pick = np.argmin(est, axis=1)
                gam = np.where(done, cand[np.arange(R), pick], gam)
                patience = None
                in_trial &= ~done
                since = np.where(done, 0, since)
        if tick in marks:
            ex = 0.5 * main["e"] ** 2
            out["tick"].append(tick)
            out["work"].append(float(np.median(work)))
            out["gamma_geomean"].append(float(np.exp(np.mean(np.log(gam)))))
            out["excess"].append(float(ex.mean()))
            out["excess_se"].append(float(ex.std(ddof=1) / np.sqrt(R)))
    res = {k: np.array(v) for k, v in out.items()}
    res.update({"searches": float(searches.mean()), "gamma": gam, "rule": rule.name})
    return res


def plateau_mirror(metrics: np.ndarray, lr0: float, factor: float = 0.1, patience: int = 10,
                   threshold: float = 1e-4, min_lr: float = 0.0, eps: float = 1e-8) -> np.ndarray:
    """Learning rates after each ``ReduceLROnPlateau.step(metric)`` (mode min, threshold rel).

    ``metrics`` has shape ``(epochs, R)``; returns the rates ``(epochs, R)``
    in effect after each step (``cooldown = 0``), mirroring torch's logic.

    Examples
    --------
    >>> plateau_mirror(np.array([[3.0], [2.0], [2.0], [2.0]]), 1.0, factor=0.5, patience=1)[:, 0]
    array([1. , 1. , 1. , 0.5])
    """
    E, R = metrics.shape
    best = np.full(R, np.inf)
    bad = np.zeros(R, np.int64)
    lr = np.full(R, float(lr0))
    out = np.empty((E, R))
    for i in range(E):
        better = metrics[i] < best * (1 - threshold)
        best = np.where(better, metrics[i], best)
        bad = np.where(better, 0, bad + 1)
        red = bad > patience
        new = np.maximum(lr * factor, min_lr)
        lr = np.where(red & (lr - new > eps), new, lr)
        bad = np.where(red, 0, bad)
        out[i] = lr
    return out


def run_plateau(gamma0: float, n_steps: int, n_runs: int, seed: Any, epoch: int = 50,
                factor: float = 0.1, patience: int = 10, sigma: float = 1.0, batch: int = 1,
                theta0: float = 3.0, record: int = 40) -> dict:
    """SGD whose rate is set by the ReduceLROnPlateau mirror on per-epoch mean training losses.

    ``gamma0`` constant with ``patience = n_steps`` gives constant-rate SGD.

    Examples
    --------
    >>> r = run_plateau(0.5, 5000, 200, seed=0)
    >>> bool(r["gamma_geomean"][-1] < 0.5)
    True
    """
    rng = np.random.default_rng(seed if isinstance(seed, np.random.SeedSequence)
                                else np.random.SeedSequence(seed))
    e = np.full(n_runs, float(theta0))
    lr = np.full(n_runs, float(gamma0))
    best = np.full(n_runs, np.inf)
    bad = np.zeros(n_runs, np.int64)
    acc = np.zeros(n_runs)
    marks = set(np.unique(np.geomspace(10, n_steps, record).astype(int)).tolist())
    out = {k: [] for k in ("tick", "work", "gamma_geomean", "excess", "excess_se")}
    for n in range(1, n_steps + 1):
        xb = _sample_batch(rng, n_runs, sigma, batch)
        acc += 0.5 * (e - xb) ** 2
        e = e - lr * (e - xb)
        if n % epoch == 0:
            m = acc / epoch
            acc[:] = 0
            better = m < best * (1 - 1e-4)
            best = np.where(better, m, best)
            bad = np.where(better, 0, bad + 1)
            red = bad > patience
            new = lr * factor
            lr = np.where(red & (lr - new > 1e-8), new, lr)
            bad = np.where(red, 0, bad)
        if n in marks:
            ex = 0.5 * e ** 2
            out["tick"].append(n)
            out["work"].append(float(n))
            out["gamma_geomean"].append(float(np.exp(np.mean(np.log(lr)))))
            out["excess"].append(float(ex.mean()))
            out["excess_se"].append(float(ex.std(ddof=1) / np.sqrt(n_runs)))
    res = {k: np.array(v) for k, v in out.items()}
    res["gamma"] = lr
    return res
