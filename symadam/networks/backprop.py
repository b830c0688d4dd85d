"""Backpropagation for the empirical risk, batched over parameter vectors.

The object computed (arXiv 2501.15646, "Mathematical analysis of the
gradients in deep learning", Dereich, Do, Jentzen, Weber) is the
*generalized gradient* ``G(theta)`` of the empirical risk

    L(theta) = (1/n) sum_i (N_theta(x_i) - y_i)^2,

defined by the chain rule with the activation's derivative replaced by
``relu'(z) = 1_{(0, inf)}(z)``, i.e. **relu'(0) = 0** (the convention of
``torch.relu`` and TensorFlow).  For a smooth activation it is the true
gradient.  Where no hidden pre-activation vanishes at a data point, ``L`` is
a polynomial near ``theta`` and ``G = grad L``; where one does (a *kink sits
on a data point*), ``G`` is the gradient of the polynomial piece in which
those neurons are switched off.  The paper shows ``G`` is a limiting Frechet
subgradient of ``L`` and the limit of gradients of smooth approximations of
``L`` (see :mod:`symadam.relu.smooth_np` for which approximations).

The optional ``d1`` argument replaces the activation derivative, e.g. with
``relu'(0) = 1/2`` (``torch.maximum(z, 0)``) or ``1`` (``clamp(min=0)``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .base import NetworkBase

__all__ = ["backprop_gradient", "relu_d1_at_zero"]

#: Elements per intermediate array: batches are processed in chunks of this size.
_CHUNK_ELEMENTS = 1 << 16     # cache-sized blocks measured fastest (benchmarks/bench_relu.py)


def relu_d1_at_zero(value: float) -> Callable[[np.ndarray], np.ndarray]:
    """The ReLU derivative with ``relu'(0) = value`` (``1_{z>0} + value 1_{z=0}``).

    Examples
    --------
    >>> relu_d1_at_zero(0.5)(np.array([-1.0, 0.0, 2.0]))
    array([0. , 0.5, 1. ])
    """
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"value must be finite, got {value!r}")

    def d1(z):
        return (z > 0).astype(np.float64) + v * (z == 0)

    return d1


def backprop_gradient(net: NetworkBase, theta: ArrayLike, x: ArrayLike, y: ArrayLike,
                      d1: Callable | None = None) -> np.ndarray:
    """Gradient of the empirical risk by backpropagation, batched.

    Parameters
    ----------
    net : NetworkBase (e.g. a Network)
    theta : array ``(P,)`` or ``(B, P)``
    x : array ``(n, d)``
    y : array ``(n,)``
    d1 : callable, optional
        Derivative of the activation to use in the backward pass (default:
        the network's, which for ReLU is ``relu'(0) = 0``).

    Returns
    -------
    ndarray ``(P,)`` or ``(B, P)``
        In the flat layout of :class:`~symadam.networks.network.Network`.

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> net = Network((1, 1, 1), "relu")   # N(x) = v relu(w x + b) + c
    >>> theta = np.array([1.0, 0.0, 1.0, 0.0])   # kink at the data point x = 0
    >>> backprop_gradient(net, theta, [[0.0]], [1.0])
    array([ 0.,  0.,  0., -2.])
    >>> backprop_gradient(net, theta, [[0.0]], [1.0], d1=relu_d1_at_zero(1.0))
    array([ 0., -2.,  0., -2.])
    """
    t, batched = net.check_theta(theta)
    xx = net.check_x(x)
    yy = net.check_y(y, xx.shape[0])
    if d1 is not None and not callable(d1):
        raise ValueError(f"d1 must be a callable (e.g. relu_d1_at_zero(1.0)), got {d1!r}")
    deriv = net.act.d1 if d1 is None else d1
    per_vector = xx.shape[0] * max(net.widths)
    step = max(1, _CHUNK_ELEMENTS // per_vector)
    out = np.empty_like(t)
    for s in range(0, t.shape[0], step):
        out[s:s + step] = _chunk(net, t[s:s + step], xx, yy, deriv)
    return out if batched else out[0]


def _chunk(net, t, x, y, deriv) -> np.ndarray:
    layers = net.unpack(t)
    last = len(layers) - 1
    a = x
    zs, acts = [], [x]
    for li, (W, b) in enumerate(layers):
        if li == 0 and W.shape[2] == 1:          # 1-D input: an outer product
            z = x[None, :, :] * W[:, None, :, 0]
        else:
            z = np.matmul(a, W.transpose(0, 2, 1))
        z += b[:, None, :]
        zs.append(z)
        a = z if li == last else net.act.f(z)
        acts.append(a)
    n = x.shape[0]
    delta = (2.0 / n) * (zs[-1] - y[None, :, None])          # dL/dz_out, (B, n, 1)
    grads = []
    for li in range(last, -1, -1):
        W, _ = layers[li]
        gW = np.matmul(delta.transpose(0, 2, 1), acts[li])    # (B, out, in)
        gb = delta.sum(axis=1)                                # (B, out)
        grads.append((gW, gb))
        if li > 0:
            delta = np.matmul(delta, W)
            delta *= deriv(zs[li - 1])
    parts = []
    for gW, gb in reversed(grads):
        parts += [gW.reshape(gW.shape[0], -1), gb]
    return np.concatenate(parts, axis=1)
