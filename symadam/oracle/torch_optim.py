"""PyTorch reference trajectories of Adam and RMSprop (float64, CPU, test oracle only).

torch is imported lazily inside each function; importing this module never
imports torch.  The optimizers run with ``foreach=False, fused=False``
(the single-tensor reference loop), ``amsgrad=False``, ``weight_decay=0``,
``maximize=False``.

To compare *optimizer steps* rather than gradient arithmetic, the gradient is
computed by the same numpy function ``grad_fn`` on both sides and written to
``param.grad``; the two trajectories then differ only through the optimizer.

Reproducibility limits (measured, torch 2.13 CPU): torch fuses the
multiply-adds in ``lerp`` and ``addcmul`` (reproduced by
:func:`symadam.rates.optimizers_np.fma`), and its vectorized ``sqrt`` is
occasionally one ulp off the correctly rounded value.  Where the dynamics
contract, trajectories agree to ~1e-16 over thousands of steps; where they
amplify rounding (RMSprop with ``eps << |g|``, oscillating around the
minimizer) even torch started one ulp apart drifts, so :func:`torch_step`
compares step by step from identical states instead.

Conventions (see :mod:`symadam.rates.optimizers_np` for the mapping):

* ``torch.optim.Adam``: eps outside the root, bias-corrected ``m`` and ``v``,
  ``betas=(beta1, beta2)`` are the papers' (alpha, beta).
* ``torch.optim.RMSprop``: ``alpha`` is the papers' beta (our ``beta2``); eps is
  *outside* the root (as in Adam, unlike Hinton's lecture form
  ``g / sqrt(v + eps)``); **no** bias correction.  The papers' (bias-corrected)
  RMSprop is ``torch.optim.Adam(betas=(0, beta2))``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..core.validate import check_choice, check_int
from ..rates.optimizers_np import check_adam_hyper

__all__ = ["torch_trajectory", "torch_step"]


def torch_trajectory(
    optimizer: str,
    grad_fn: Callable[[np.ndarray], np.ndarray],
    theta0: np.ndarray,
    steps: int,
    *,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> np.ndarray:
    """Iterates of ``torch.optim.Adam`` or ``torch.optim.RMSprop``, shape ``(steps+1, d)``.

    Parameters
    ----------
    optimizer : {"adam", "rmsprop"}
        ``"rmsprop"`` is ``torch.optim.RMSprop(alpha=beta2, eps=eps, momentum=0,
        centered=False)`` (``beta1`` ignored).
    grad_fn : callable
        float64 numpy gradient; called on ``param.detach().numpy()``.
    theta0 : array_like
        Starting point.
    steps : int
    lr, beta1, beta2, eps : float

    Raises
    ------
    ImportError
        If torch is not installed (extra ``[oracle]``).

    Examples
    --------
    >>> import pytest; torch = pytest.importorskip("torch")
    >>> traj = torch_trajectory("adam", lambda th: 2 * th, np.array([1.0]), 1, lr=0.1)
    >>> round(float(traj[1, 0]), 6)
    0.9
    """
    check_choice("optimizer", optimizer, ("adam", "rmsprop"))
    check_adam_hyper(lr, beta1, beta2, eps)
    check_int("steps", steps, minimum=0)
    import torch

    p = torch.nn.Parameter(torch.tensor(np.array(theta0, dtype=np.float64), dtype=torch.float64))
    opt = _make(optimizer, p, lr, beta1, beta2, eps)
    out = np.empty((steps + 1,) + tuple(p.shape))
    out[0] = p.detach().numpy()
    for n in range(1, steps + 1):
        g = np.asarray(grad_fn(p.detach().numpy().copy()), dtype=np.float64)
        p.grad = torch.from_numpy(g.copy())
        opt.step()
        out[n] = p.detach().numpy()
    return out


def _make(optimizer: str, p, lr: float, beta1: float, beta2: float, eps: float):
    import torch

    if optimizer == "adam":
        return torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=0,
                                amsgrad=False, foreach=False, fused=False)
    return torch.optim.RMSprop([p], lr=lr, alpha=beta2, eps=eps, weight_decay=0,
                               momentum=0, centered=False, foreach=False)


def torch_step(
    optimizer: str,
    theta: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray | None,
    v: np.ndarray,
    step: int | np.ndarray,
    *,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Torch optimizer steps from given states; returns ``(theta, m, v)`` after each.

    The optimizer's internal state is set to ``step - 1`` completed steps with
    moments ``m`` (Adam's ``exp_avg``; ignored for RMSprop) and ``v``
    (``exp_avg_sq`` / ``square_avg``), so a trajectory can be checked step by
    step from the *same* state on both sides ("teacher forcing"): this
    separates the step arithmetic from any amplification of rounding
    differences by the dynamics.  Batched: with ``step`` an integer array of
    length N, ``theta, grad, m, v`` have shape ``(N, d)`` and row ``i`` is one
    independent step (one optimizer object is reused).

    Examples
    --------
    >>> import pytest; torch = pytest.importorskip("torch")
    >>> th, m, v = torch_step("adam", np.array([1.0]), np.array([2.0]), np.zeros(1),
    ...                       np.zeros(1), 1, lr=0.1)
    >>> round(float(th[0]), 6), float(m[0]), round(float(v[0]), 6)
    (0.9, 0.2, 0.004)
    """
    check_choice("optimizer", optimizer, ("adam", "rmsprop"))
    check_adam_hyper(lr, beta1, beta2, eps)
    single = np.ndim(step) == 0
    steps = np.atleast_1d(np.asarray(step))
    for s in steps:
        check_int("step", s if float(s) != int(s) else int(s))
    as2d = lambda a: np.atleast_2d(np.asarray(a, dtype=np.float64))  # noqa: E731
    theta, grad, v = as2d(theta), as2d(grad), as2d(v)
    m = as2d(m) if optimizer == "adam" else None
    import torch

    p = torch.nn.Parameter(torch.zeros(theta.shape[1], dtype=torch.float64))
    opt = _make(optimizer, p, lr, beta1, beta2, eps)
    key = "exp_avg_sq" if optimizer == "adam" else "square_avg"
    # torch keeps the step count as a float tensor; counts below 2**24 are exact.
    st = {"step": torch.tensor(0.0, dtype=torch.float64), key: torch.zeros_like(p)}
    if optimizer == "adam":
        st["exp_avg"] = torch.zeros_like(p)
    opt.state[p] = st
    p.grad = torch.zeros_like(p)
    out_t, out_m, out_v = np.empty_like(theta), None if m is None else np.empty_like(m), \
        np.empty_like(v)
    with torch.no_grad():
        for i, n in enumerate(steps):
            p.copy_(torch.from_numpy(theta[i]))
            p.grad.copy_(torch.from_numpy(grad[i]))
            st["step"].fill_(float(int(n) - 1))
            st[key].copy_(torch.from_numpy(v[i]))
            if m is not None:
                st["exp_avg"].copy_(torch.from_numpy(m[i]))
            opt.step()
            out_t[i] = p.detach().numpy()
            out_v[i] = st[key].numpy()
            if m is not None:
                out_m[i] = st["exp_avg"].numpy()
    if single:
        return out_t[0], None if out_m is None else out_m[0], out_v[0]
    return out_t, out_m, out_v
