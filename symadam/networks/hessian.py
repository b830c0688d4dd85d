"""Exact gradients and Hessians of the empirical risk of shallow networks, batched.

For a shallow network ``(d, m, 1)`` with parameters ``theta = (w: m x d, b: m,
v: 1 x m, c: 1)`` (the flat layout of :class:`symadam.Network`) the
realization is ``N(x) = c + sum_j v_j sigma(z_j)``, ``z_j = w_j . x + b_j``,
and the empirical risk is ``L = (1/n) sum_i r_i^2`` with residuals
``r_i = N(x_i) - y_i``.  With the Jacobian ``J_i = dN(x_i)/dtheta``

    grad L = (2/n) sum_i r_i J_i,
    Hess L = (2/n) sum_i (J_i J_i^T + r_i Hess N(x_i)),

and ``Hess N(x_i)`` is block diagonal over neurons: writing
``xt = (x, 1)`` and ``u_j = (w_j, b_j)``, its only nonzero blocks are
``d2N/du_j du_j = v_j sigma''(z_j) xt xt^T`` and
``d2N/du_j dv_j = sigma'(z_j) xt``.  Everything here evaluates these
formulas with the analytic derivatives of :mod:`symadam.networks.activations`
(no finite differences) for a whole batch ``(B, P)`` of parameter vectors at
once; the eigenvalues then come from one batched ``numpy.linalg.eigvalsh``.
At a zero-loss point the residual term vanishes and ``Hess L = (2/n) J^T J``
(the Gauss-Newton matrix).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .activations import get_activation

__all__ = ["RiskDerivatives", "shallow_dims", "risk_derivatives", "risk_gradient",
           "risk_hessian", "require_analytic", "gradient_function"]


class RiskDerivatives(NamedTuple):
    """Risk, gradient, Hessian (batched) and the Jacobian/residuals they came from.

    Shapes: ``loss (B,)``, ``grad (B, P)``, ``hess (B, P, P)`` (or None),
    ``jac (B, n, P)``, ``resid (B, n)``.
    """

    loss: np.ndarray
    grad: np.ndarray
    hess: np.ndarray | None
    jac: np.ndarray
    resid: np.ndarray


def require_analytic(activation: str, what: str = "the Hessian") -> None:
    """Raise ``ValueError`` unless ``activation`` is analytic.

    Examples
    --------
    >>> require_analytic("tanh")
    >>> require_analytic("relu")
    Traceback (most recent call last):
    ...
    ValueError: activation must be analytic (tanh, logistic, softplus, gelu) for the Hessian; \
got 'relu': relu is not twice differentiable at 0, so the risk is not analytic and its Hessian \
is not defined where a pre-activation vanishes
    """
    act = get_activation(activation)
    if not act.analytic:
        from .activations import ANALYTIC

        raise ValueError(
            f"activation must be analytic ({', '.join(ANALYTIC)}) for {what}; got "
            f"{activation!r}: {activation} is not twice differentiable at 0, so the risk is "
            "not analytic and its Hessian is not defined where a pre-activation vanishes")


def shallow_dims(num_params: int, d: int) -> int:
    """Width ``m`` of a shallow network ``(d, m, 1)`` with ``num_params = m (d + 2) + 1``.

    Examples
    --------
    >>> shallow_dims(10, 1)
    3
    """
    m, rem = divmod(num_params - 1, d + 2)
    if rem or m < 1:
        raise ValueError(f"theta must have m*(d+2)+1 entries for a shallow (d={d}, m, 1) "
                         f"network, got {num_params}")
    return m


def _prepare(theta, x, y):
    t = np.asarray(theta, dtype=np.float64)
    batched = t.ndim == 2
    t = t if batched else t[None, :]
    xx = np.asarray(x, dtype=np.float64)
    if xx.ndim == 1:
        xx = xx[:, None]
    yy = np.asarray(y, dtype=np.float64)
    if xx.ndim != 2 or yy.shape != (xx.shape[0],):
        raise ValueError(f"x must have shape (n, d) and y shape (n,), got {np.shape(x)} "
                         f"and {np.shape(y)}")
    return t, batched, xx, yy


def risk_derivatives(theta, x, y, activation: str, hessian: bool = True) -> RiskDerivatives:
    """Risk, exact gradient and (optionally) exact Hessian for a batch of shallow networks.

    Parameters
    ----------
    theta : array (P,) or (B, P)
        Flat parameters ``(w, b, v, c)`` of networks ``(d, m, 1)``, ``P = m (d + 2) + 1``.
    x : array (n, d) (or (n,) when d = 1)
    y : array (n,)
    activation : str
        An analytic activation (``tanh``, ``logistic``, ``softplus``, ``gelu``).
    hessian : bool
        Also assemble the Hessian (default True).

    Returns
    -------
    RiskDerivatives
        Always batched (leading axis ``B``, ``B = 1`` for a single vector).

    Examples
    --------
    >>> th = np.array([1.0, 0.5, 2.0, 0.0])            # one tanh neuron, d = 1
    >>> rd = risk_derivatives(th, np.array([0.0, 1.0]), np.array([0.0, 1.0]), "tanh")
    >>> rd.hess.shape, bool(np.allclose(rd.hess, rd.hess.transpose(0, 2, 1)))
    ((1, 4, 4), True)
    """
    require_analytic(activation)
    act = get_activation(activation)
    t, _, xx, yy = _prepare(theta, x, y)
    return _derivatives(t, xx, yy, act, hessian)


def _derivatives(t: np.ndarray, xx: np.ndarray, yy: np.ndarray, act, hessian: bool,
                 with_loss: bool = True) -> RiskDerivatives:
    """The formulas of :func:`risk_derivatives` on checked arrays ``t (B, P)``, ``xx``, ``yy``."""
    n, d = xx.shape
    B, P = t.shape
    m = shallow_dims(P, d)
    w = t[:, :m * d].reshape(B, m, d)
    b = t[:, m * d:m * d + m]
    v = t[:, m * d + m:m * d + 2 * m]
    c = t[:, -1]
    z = np.einsum("bjk,nk->bnj", w, xx) + b[:, None, :]            # (B, n, m)
    s0, s1 = act.f(z), act.d1(z)
    r = c[:, None] + np.einsum("bnj,bj->bn", s0, v) - yy[None, :]  # (B, n)
    vs1 = v[:, None, :] * s1                                        # (B, n, m)
    jac = np.empty((B, n, P))
    jac[:, :, :m * d] = (vs1[..., None] * xx[None, :, None, :]).reshape(B, n, m * d)
    jac[:, :, m * d:m * d + m] = vs1
    jac[:, :, m * d + m:m * d + 2 * m] = s0
    jac[:, :, -1] = 1.0
    loss = np.mean(r * r, axis=1) if with_loss else None
    grad = (2.0 / n) * np.einsum("bn,bnp->bp", r, jac)
    hess = None
    if hessian:
        hess = (2.0 / n) * np.matmul(jac.transpose(0, 2, 1), jac)
        xt = np.concatenate([xx, np.ones((n, 1))], axis=1)          # (n, d+1)
        s2 = act.d2(z)
        # residual-weighted second derivatives of N, neuron by neuron
        xx2 = (xt[:, :, None] * xt[:, None, :]).reshape(n, -1)      # (n, (d+1)^2)
        rs2 = (r[:, :, None] * s2).transpose(0, 2, 1)                # (B, m, n)
        A = ((2.0 / n) * np.matmul(rs2, xx2)).reshape(B, m, d + 1, d + 1) * v[:, :, None, None]
        rs1 = (r[:, :, None] * s1).transpose(0, 2, 1)
        C = (2.0 / n) * np.matmul(rs1, xt)                           # (B, m, d+1)
        iu, iv = _neuron_indices(m, d)
        hess[:, iu[:, :, None], iu[:, None, :]] += A
        hess[:, iu, iv[:, None]] += C
        hess[:, iv[:, None], iu] += C
    return RiskDerivatives(loss, grad, hess, jac, r)


def gradient_function(x, y, activation: str) -> Callable[[np.ndarray], np.ndarray]:
    """``theta -> grad L(theta)`` for one parameter vector, the data checked once.

    The same arithmetic as ``risk_gradient(theta, x, y, activation)`` (bit for bit)
    without its per-call checks and without the risk itself: for long
    first-order runs (thousands of gradient steps).

    Examples
    --------
    >>> x, y = np.array([0.0, 1.0]), np.array([0.0, 1.0])
    >>> g = gradient_function(x, y, "tanh")
    >>> th = np.array([1.0, 0.5, 2.0, 0.0])
    >>> bool(np.array_equal(g(th), risk_gradient(th, x, y, "tanh")))
    True
    """
    require_analytic(activation)
    act = get_activation(activation)
    _, _, xx, yy = _prepare(np.zeros(1), x, y)

    def grad(theta: np.ndarray) -> np.ndarray:
        t = np.asarray(theta, dtype=np.float64)
        return _derivatives(t[None, :], xx, yy, act, False, with_loss=False).grad[0]

    return grad


def _neuron_indices(m: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of ``u_j = (w_j, b_j)`` (shape (m, d+1)) and of ``v_j`` (shape (m,))."""
    j = np.arange(m)
    iu = np.concatenate([j[:, None] * d + np.arange(d)[None, :], (m * d + j)[:, None]], axis=1)
    return iu, m * d + m + j


def risk_gradient(theta, x, y, activation: str) -> np.ndarray:
    """Exact gradient of the empirical risk: ``(P,)`` or ``(B, P)`` like ``theta``.

    Examples
    --------
    >>> g = risk_gradient([1.0, 0.5, 2.0, 0.0], [0.0, 1.0], [0.0, 1.0], "logistic")
    >>> g.shape
    (4,)
    """
    g = risk_derivatives(theta, x, y, activation, hessian=False).grad
    return g if np.ndim(theta) == 2 else g[0]


def risk_hessian(theta, x, y, activation: str) -> np.ndarray:
    """Exact Hessian of the empirical risk: ``(P, P)`` or ``(B, P, P)`` like ``theta``.

    Examples
    --------
    >>> H = risk_hessian(np.zeros((3, 7)), np.linspace(-1, 1, 5), np.ones(5), "tanh")
    >>> H.shape
    (3, 7, 7)
    """
    h = risk_derivatives(theta, x, y, activation, hessian=True).hess
    return h if np.ndim(theta) == 2 else h[0]
