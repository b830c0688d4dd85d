"""PyTorch references for the ``sgd`` topic (test oracle only; torch imported lazily).

* :func:`torch_plateau_rates`: the learning rates that
  ``torch.optim.lr_scheduler.ReduceLROnPlateau`` sets when fed a sequence of
  metrics (one scheduler per run), to compare with the numpy mirror
  :func:`symadam.sgd.adaptive_np.plateau_mirror`;
* :func:`torch_adam_ema`: ``torch.optim.Adam`` on the quadratic loss
  ``(theta - x)^2/2`` driven by given data, with
  ``torch.optim.swa_utils.AveragedModel`` (EMA ``multi_avg_fn``, updated once
  at the start so that ``a_0 = theta_0``) — the reference for the geometric
  averages of :func:`symadam.sgd.averaged_np.simulate_averaged_adam`;
* :func:`torch_sgd_loop`: plain per-step SGD on the same quadratic, the
  baseline of ``benchmarks/bench_sgd.py``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["torch_plateau_rates", "torch_adam_ema", "torch_sgd_loop"]


def torch_plateau_rates(metrics: np.ndarray, lr0: float, factor: float = 0.1,
                        patience: int = 10, threshold: float = 1e-4) -> np.ndarray:
    """Rates after each ``scheduler.step(metric)`` for ``metrics`` of shape ``(epochs, R)``."""
    import torch

    E, R = metrics.shape
    out = np.empty((E, R))
    for r in range(R):
        p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
        opt = torch.optim.SGD([p], lr=lr0)
        sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=factor,
                                                         patience=patience,
                                                         threshold=threshold,
                                                         threshold_mode="rel")
        for i in range(E):
            sch.step(float(metrics[i, r]))
            out[i, r] = opt.param_groups[0]["lr"]
    return out


def torch_adam_ema(xs: Sequence[float], theta0: float, lr: float, beta1: float, beta2: float,
                   eps: float, decays: Sequence[float]) -> dict:
    """Final iterate and EMA averages of torch Adam on ``(theta - x_n)^2/2`` (float64)."""
    import torch
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

    model = torch.nn.Linear(1, 1, bias=False).double()
    with torch.no_grad():
        model.weight.fill_(theta0)
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(beta1, beta2), eps=eps,
                           foreach=False)
    avgs = {d: AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(d)) for d in decays}
    for a in avgs.values():
        a.update_parameters(model)            # first call copies: a_0 = theta_0
    for x in xs:
        opt.zero_grad()
        w = model.weight
        loss = 0.5 * (w.sum() - float(x)) ** 2
        loss.backward()
        opt.step()
        for a in avgs.values():
            a.update_parameters(model)
    out = {"final": float(model.weight.item())}
    out.update({f"ema_{d}": float(a.module.weight.item()) for d, a in avgs.items()})
    return out


def torch_sgd_loop(n_runs: int, n_steps: int, lr: float, seed: int) -> float:
    """Constant-step SGD on ``(theta - x)^2/2`` as a torch loop (one tensor of runs); seconds."""
    import time

    import torch

    g = torch.Generator().manual_seed(seed)
    theta = torch.nn.Parameter(torch.zeros(n_runs, dtype=torch.float64))
    opt = torch.optim.SGD([theta], lr=lr)
    t0 = time.perf_counter()
    for _ in range(n_steps):
        x = torch.randn(n_runs, generator=g, dtype=torch.float64)
        opt.zero_grad()
        loss = 0.5 * ((theta - x) ** 2).sum()
        loss.backward()
        opt.step()
    return time.perf_counter() - t0
