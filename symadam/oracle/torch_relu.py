"""PyTorch reference for the ReLU generalized gradient (float64, CPU; test oracle only).

``torch.autograd`` differentiates ``torch.relu`` with ``relu'(0) = 0`` (the
generalized gradient ``G`` of arXiv 2501.15646), but other spellings of the
same function give other vectors at kinks: ``z.clamp(min=0)`` passes the
gradient at ``z = 0`` (derivative 1) and ``torch.maximum(z, 0)`` splits it
between the two tied arguments (derivative 1/2).  torch is imported lazily.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import torch_or_none

__all__ = ["PRIMITIVES", "torch_gradient"]

PRIMITIVES = ("relu", "clamp", "maximum")


def _act(torch, primitive):
    if primitive == "relu":
        return torch.relu
    if primitive == "clamp":
        return lambda z: z.clamp(min=0)
    if primitive == "maximum":
        return lambda z: torch.maximum(z, torch.zeros((), dtype=z.dtype))
    raise ValueError(f"primitive must be one of {', '.join(PRIMITIVES)}; got {primitive!r}")


def torch_gradient(net: Any, theta: Any, x: Any, y: Any, primitive: str = "relu") -> np.ndarray:
    """Risk gradient of a ReLU ``net`` by ``torch.autograd``, one vector at a time.

    Parameters
    ----------
    net : symadam.Network (activation "relu")
    theta : array ``(P,)`` or ``(B, P)``
    x, y : data, as for :meth:`symadam.Network.risk`
    primitive : {"relu", "clamp", "maximum"}
        How ReLU is spelled in torch (see the module docstring).

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> net = Network((1, 1, 1), "relu")
    >>> th, x, y = [1.0, 0.0, 1.0, 0.0], [[0.0]], [1.0]
    >>> from symadam.oracle import torch_or_none
    >>> g = torch_gradient(net, th, x, y) if torch_or_none() else np.array([0., 0., 0., -2.])
    >>> g
    array([ 0.,  0.,  0., -2.])
    """
    torch = torch_or_none()
    if torch is None:  # pragma: no cover
        raise ImportError("torch_gradient needs the [oracle] extra (PyTorch)")
    if net.activation != "relu":
        raise ValueError(f"net must be a relu network, got {net.activation!r}")
    act = _act(torch, primitive)
    t, batched = net.check_theta(theta)
    xx = torch.from_numpy(net.check_x(x))
    yy = torch.from_numpy(net.check_y(y, xx.shape[0]))
    out = np.empty_like(t)
    last = len(net.shapes) - 1
    for k in range(t.shape[0]):
        th = torch.tensor(t[k], dtype=torch.float64, requires_grad=True)
        a, j = xx, 0
        for li, (o, i) in enumerate(net.shapes):
            W = th[j:j + o * i].reshape(o, i)
            j += o * i
            b = th[j:j + o]
            j += o
            z = a @ W.T + b
            a = z if li == last else act(z)
        loss = torch.mean((a[:, 0] - yy) ** 2)
        (g,) = torch.autograd.grad(loss, th)
        out[k] = g.numpy()
    return out if batched else out[0]
