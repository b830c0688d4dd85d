"""Adam and RMSprop steps in float64 numpy (the implementation the torch oracle checks).

Notation.  The papers (e.g. arXiv 2504.19426) write alpha for Adam's ``beta1``,
beta for ``beta2`` and gamma for the learning rate ``lr``.  One Adam step from
``theta_{n-1}`` with gradient ``g_n = grad F(theta_{n-1})`` is, componentwise,

.. math::

    m_n = \\beta_1 m_{n-1} + (1-\\beta_1) g_n, \\quad
    v_n = \\beta_2 v_{n-1} + (1-\\beta_2) g_n^2, \\quad
    \\theta_n = \\theta_{n-1}
        - \\gamma \\frac{m_n/(1-\\beta_1^n)}{\\varepsilon + \\sqrt{v_n/(1-\\beta_2^n)}},

with ``m_0 = v_0 = 0`` (eps *outside* the root, as in ``torch.optim.Adam`` and
the research group's code).  ``eps_inside=True`` selects the other common
variant, denominator ``sqrt(v_hat + eps)`` (then ``eps`` has the units of a
squared gradient).

Conventions and how they map to PyTorch (``foreach=False, fused=False``,
``amsgrad=False``, ``weight_decay=0``, ``maximize=False``):

* :func:`adam_step` is ``torch.optim.Adam(betas=(beta1, beta2), eps=eps)``.
  The arithmetic follows torch's order of operations (``lerp`` for ``m``,
  ``sqrt(v)/sqrt(1-beta2**n) + eps`` for the denominator, step size
  ``lr/(1-beta1**n)``, ``addcdiv`` as ``p + (value*m)/denom``), and the
  multiply-adds torch fuses (``lerp``, ``addcmul``) are fused here too
  (:func:`fma`), so on small problems the trajectories agree bit for bit.
  (On large tensors torch's vectorized ``sqrt`` is occasionally 1 ulp off
  the correctly rounded value; then only ulp-level agreement per step holds.)
* The papers' RMSprop is Adam with ``beta1 = 0`` *with* bias correction of
  ``v`` (:func:`rmsprop_step` with ``bias_correction=True``; it equals
  ``torch.optim.Adam(betas=(0, beta2))``).
* ``torch.optim.RMSprop(alpha=beta2, eps=eps)`` has eps *outside* the root
  (like Adam) and **no** bias correction: :func:`rmsprop_step` with
  ``bias_correction=False`` (the default, to match the torch name).  Its
  ``alpha`` is our ``beta2``.  Without bias correction the first steps are
  larger by ``1/sqrt(1-beta2**n)`` in the denominator; the local rate is the
  same, because the correction tends to 1 geometrically.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..core.validate import check_int, check_positive, check_unit_interval

__all__ = ["adam_step", "rmsprop_step", "adam_trajectory", "rmsprop_trajectory",
           "check_adam_hyper", "fma"]


def check_adam_hyper(lr: float, beta1: float, beta2: float, eps: float) -> None:
    """Validate Adam hyper-parameters: ``lr > 0``, ``beta1, beta2`` in [0, 1), ``eps > 0``.

    Examples
    --------
    >>> check_adam_hyper(1e-3, 0.9, 0.999, 1e-8)
    >>> check_adam_hyper(1e-3, 0.9, 1.0, 1e-8)
    Traceback (most recent call last):
    ...
    ValueError: beta2 must be in [0, 1), got 1.0
    """
    check_positive("lr", lr)
    check_unit_interval("beta1", beta1)
    check_unit_interval("beta2", beta2)
    check_positive("eps", eps)


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a*b = p + e`` exactly (Dekker/Veltkamp splitting; no overflow assumed)."""
    p = a * b
    c = 134217729.0 * a  # 2**27 + 1
    ah = c - (c - a)
    al = a - ah
    c = 134217729.0 * b
    bh = c - (c - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def fma(a, b, c) -> np.ndarray:
    """Fused multiply-add ``a*b + c`` with one rounding, emulated in float64 numpy.

    torch's CPU kernels fuse some multiply-adds (``lerp``, ``addcmul``); to
    reproduce its trajectories bit for bit (which matters where the dynamics
    amplify rounding, e.g. RMSprop with tiny eps), :func:`adam_step` uses this
    emulation at the same places.  Error-free transformations (TwoProduct,
    TwoSum) give ``a*b + c = s + t + e`` exactly; ``s + (t + e)`` is then the
    correctly rounded result except in rare double-rounding ties (probability
    of order 2**-50 per operation).

    Examples
    --------
    >>> x = 1.0 + 2.0**-30
    >>> float(fma(x, x, -(x * x)))     # the rounding error of x*x, lost without FMA
    8.673617379884035e-19
    """
    a, b, c = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (a, b, c)))
    p, e = _two_prod(a, b)
    s = p + c
    bb = s - p
    t = (p - (s - bb)) + (c - bb)
    return s + (t + e)


def _lerp(a: np.ndarray, b: np.ndarray, w: float) -> np.ndarray:
    """``a + w (b - a)`` as torch's ``lerp`` kernel computes it (with FMA)."""
    if w < 0.5:
        return fma(w, b - a, a)
    return fma(w - 1.0, b - a, b)


def adam_step(
    theta: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    step: int,
    *,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    eps_inside: bool = False,
    bias_correction: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One bias-corrected Adam step (torch convention); returns new ``(theta, m, v)``.

    Parameters
    ----------
    theta, grad, m, v : ndarray
        Current iterate, the gradient at it, and the moment estimates
        (``m = v = 0`` before the first step).
    step : int
        The index ``n >= 1`` of this step (bias corrections use ``beta**n``).
    lr, beta1, beta2, eps : float
        Learning rate (papers: gamma), ``beta1`` (papers: alpha), ``beta2``
        (papers: beta), and ``eps > 0``.
    eps_inside : bool
        Denominator ``sqrt(v_hat + eps)`` instead of ``eps + sqrt(v_hat)``.
    bias_correction : bool
        Divide ``m`` and ``v`` by ``1 - beta**n`` (Adam: yes; torch RMSprop: no).

    Examples
    --------
    >>> th, m, v = adam_step(np.array([1.0]), np.array([2.0]), np.zeros(1), np.zeros(1), 1,
    ...                      lr=0.1, eps=1e-8)
    >>> round(float(th[0]), 6)      # first step moves by lr*sign(g)
    0.9
    """
    check_int("step", step)
    g = np.asarray(grad, dtype=np.float64)
    m = _lerp(np.asarray(m, dtype=np.float64), g, 1.0 - beta1)
    v = fma((1.0 - beta2) * g, g, np.asarray(v, dtype=np.float64) * beta2)  # addcmul_
    if bias_correction:
        bc1 = 1.0 - beta1 ** step
        bc2 = 1.0 - beta2 ** step
    else:
        bc1 = bc2 = 1.0
    step_size = lr / bc1
    if eps_inside:
        denom = np.sqrt(v / bc2 + eps)
    else:
        denom = np.sqrt(v) / (bc2 ** 0.5) + eps
    theta = np.asarray(theta, dtype=np.float64) + ((-step_size) * m) / denom  # addcdiv_
    return theta, m, v


def rmsprop_step(
    theta: np.ndarray,
    grad: np.ndarray,
    v: np.ndarray,
    step: int,
    *,
    lr: float,
    beta2: float = 0.99,
    eps: float = 1e-8,
    bias_correction: bool = False,
    eps_inside: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """One RMSprop step; returns new ``(theta, v)``.

    ``bias_correction=False`` (default) is ``torch.optim.RMSprop(alpha=beta2)``:
    ``v = beta2 v + (1-beta2) g^2``, ``theta -= lr g / (sqrt(v) + eps)``.
    ``bias_correction=True`` is the papers' RMSprop, i.e. Adam with ``beta1 = 0``.

    Examples
    --------
    >>> th, v = rmsprop_step(np.array([1.0]), np.array([2.0]), np.zeros(1), 1,
    ...                      lr=0.1, beta2=0.99, eps=1e-8)
    >>> round(float(th[0]), 6)      # no bias correction: sqrt(v) = 0.1 |g|
    0.0
    """
    check_int("step", step)
    g = np.asarray(grad, dtype=np.float64)
    v = fma((1.0 - beta2) * g, g, np.asarray(v, dtype=np.float64) * beta2)  # addcmul_
    bc2 = (1.0 - beta2 ** step) if bias_correction else 1.0
    if eps_inside:
        denom = np.sqrt(v / bc2 + eps)
    elif bias_correction:
        denom = np.sqrt(v) / (bc2 ** 0.5) + eps
    else:
        denom = np.sqrt(v) + eps
    theta = np.asarray(theta, dtype=np.float64) + ((-lr) * g) / denom  # addcdiv_
    return theta, v


def adam_trajectory(
    grad_fn: Callable[[np.ndarray], np.ndarray],
    theta0: np.ndarray,
    steps: int,
    *,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    eps_inside: bool = False,
) -> np.ndarray:
    """Iterates ``theta_0, ..., theta_steps`` of bias-corrected Adam, shape ``(steps+1, d)``.

    Examples
    --------
    >>> lam = np.array([1.0, 10.0])
    >>> traj = adam_trajectory(lambda th: lam * th, np.array([1.0, 1.0]), 300,
    ...                        lr=0.05, beta1=0.5, beta2=0.9, eps=1.0)
    >>> bool(np.abs(traj[-1]).max() < 1e-6)
    True
    """
    check_adam_hyper(lr, beta1, beta2, eps)
    check_int("steps", steps, minimum=0)
    theta = np.array(theta0, dtype=np.float64)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    out = np.empty((steps + 1,) + theta.shape)
    out[0] = theta
    for n in range(1, steps + 1):
        theta, m, v = adam_step(theta, grad_fn(theta), m, v, n, lr=lr, beta1=beta1,
                                beta2=beta2, eps=eps, eps_inside=eps_inside)
        out[n] = theta
    return out


def rmsprop_trajectory(
    grad_fn: Callable[[np.ndarray], np.ndarray],
    theta0: np.ndarray,
    steps: int,
    *,
    lr: float,
    beta2: float = 0.99,
    eps: float = 1e-8,
    bias_correction: bool = False,
    eps_inside: bool = False,
) -> np.ndarray:
    """Iterates of RMSprop (torch convention unless ``bias_correction=True``).

    Examples
    --------
    >>> lam = np.array([1.0, 10.0])
    >>> traj = rmsprop_trajectory(lambda th: lam * th, np.array([1.0, 1.0]), 400,
    ...                           lr=0.1, beta2=0.9, eps=1.0)
    >>> bool(np.abs(traj[-1]).max() < 1e-6)
    True
    """
    check_adam_hyper(lr, 0.0, beta2, eps)
    check_int("steps", steps, minimum=0)
    theta = np.array(theta0, dtype=np.float64)
    v = np.zeros_like(theta)
    out = np.empty((steps + 1,) + theta.shape)
    out[0] = theta
    for n in range(1, steps + 1):
        theta, v = rmsprop_step(theta, grad_fn(theta), v, n, lr=lr, beta2=beta2, eps=eps,
                                bias_correction=bias_correction, eps_inside=eps_inside)
        out[n] = theta
    return out

