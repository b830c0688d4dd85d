"""Fully connected feedforward networks: parameter layout and forward pass.

Parameter layout of ``theta`` (docs/conventions.md): layer by layer from the input,
each layer's weight matrix (shape out x in, row-major) followed by its bias
vector.  A shallow network ``(d, m, 1)`` is therefore ``(w: m x d, b: m,
v: 1 x m, c: 1)``, realising ``N(x) = c + sum_j v_j sigma(w_j . x + b_j)``.
The output layer is affine (no activation).  Every method accepts a single
parameter vector ``(P,)`` or a batch ``(B, P)`` and returns correspondingly
shaped results.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import Activation, get_activation

__all__ = ["NetworkBase"]


class NetworkBase:
    """Layout and forward pass of a feedforward network ``widths = (d, m1, ..., 1)``.

    The part of :class:`~symadam.networks.network.Network` that the gradient,
    population-risk and Hessian routes build on; use :class:`Network`.

    Examples
    --------
    >>> NetworkBase((1, 2, 1), "relu").num_params
    7
    """

    def __init__(self, widths: Sequence[int], activation: str | Activation = "relu"):
        try:
            widths = tuple(widths)
        except TypeError:
            raise ValueError(f"widths must be a sequence (d, m1, ..., 1) of integers >= 1, "
                             f"got {widths!r}") from None
        if len(widths) < 2 or any(isinstance(w, bool) or not isinstance(w, (int, np.integer))
                                  or w < 1 for w in widths):
            raise ValueError(f"widths must be a sequence (d, m1, ..., 1) of integers >= 1, "
                             f"got {widths!r}")
        if widths[-1] != 1:
            raise ValueError(f"widths must end with output width 1, got {widths!r}")
        self.widths = tuple(int(w) for w in widths)
        if isinstance(activation, Activation):
            self.act: Activation = activation
        elif isinstance(activation, str):
            self.act = get_activation(activation)
        else:
            raise ValueError(f"activation must be a name or an Activation, got {activation!r}")
        self.activation = self.act.name
        self.shapes = [(self.widths[i + 1], self.widths[i]) for i in range(len(self.widths) - 1)]
        self.num_params = sum(o * i + o for o, i in self.shapes)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(widths={self.widths}, activation={self.activation!r})"

    @property
    def depth(self) -> int:
        """Number of hidden layers.

        Examples
        --------
        >>> NetworkBase((2, 4, 3, 1)).depth
        2
        """
        return len(self.widths) - 2

    # -- input handling -------------------------------------------------------------------
    def check_theta(self, theta: ArrayLike) -> tuple[np.ndarray, bool]:
        """Return ``theta`` as a float64 batch ``(B, P)`` and whether it was batched.

        Examples
        --------
        >>> t, batched = NetworkBase((1, 1, 1)).check_theta([1, 0, 1, 0])
        >>> t.shape, batched
        ((1, 4), False)
        >>> NetworkBase((1, 1, 1)).check_theta([1, 0, 1])
        Traceback (most recent call last):
        ...
        ValueError: theta must have shape (4,) or (B, 4), got (3,)
        """
        t = _real_array("theta", theta)
        batched = t.ndim == 2
        if t.ndim not in (1, 2) or t.shape[-1] != self.num_params:
            raise ValueError(f"theta must have shape ({self.num_params},) or "
                             f"(B, {self.num_params}), got {t.shape}")
        if not np.all(np.isfinite(t)):
            raise ValueError("theta must be finite (found nan or inf)")
        return (t if batched else t[None, :]), batched

    def check_x(self, x: ArrayLike) -> np.ndarray:
        """Return ``x`` as float64 ``(n, d)`` (a 1-D array is read as n points when d = 1).

        Examples
        --------
        >>> NetworkBase((1, 1, 1)).check_x([0.0, 1.0, 2.0]).shape
        (3, 1)
        >>> NetworkBase((1, 1, 1)).check_x([])
        Traceback (most recent call last):
        ...
        ValueError: x must have shape (n, 1) with n >= 1, got (0,)
        """
        a = _real_array("x", x)
        if a.ndim == 1 and self.widths[0] == 1:
            a = a[:, None]
        if a.ndim != 2 or a.shape[1] != self.widths[0] or a.shape[0] < 1:
            raise ValueError(f"x must have shape (n, {self.widths[0]}) with n >= 1, "
                             f"got {np.shape(x)}")
        if not np.all(np.isfinite(a)):
            raise ValueError("x must be finite (found nan or inf)")
        return a

    def check_y(self, y: ArrayLike, n: int) -> np.ndarray:
        """Return ``y`` as float64 ``(n,)``.

        Examples
        --------
        >>> NetworkBase((1, 1, 1)).check_y([1, 2], 2)
        array([1., 2.])
        """
        a = _real_array("y", y)
        if a.shape != (n,):
            raise ValueError(f"y must have shape ({n},), got {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError("y must be finite (found nan or inf)")
        return a

    # -- parameters -----------------------------------------------------------------------
    def unpack(self, theta: ArrayLike) -> list[tuple[np.ndarray, np.ndarray]]:
        """Split a batch ``(B, P)`` into ``[(W (B, out, in), b (B, out)), ...]`` (views).

        Examples
        --------
        >>> [w.shape for w, b in NetworkBase((2, 3, 1)).unpack(np.zeros((4, 13)))]
        [(4, 3, 2), (4, 1, 3)]
        """
        t = _real_array("theta", theta)
        if t.ndim == 1:
            t = t[None, :]
        if t.ndim != 2 or t.shape[1] != self.num_params:
            raise ValueError(f"theta must have shape ({self.num_params},) or "
                             f"(B, {self.num_params}), got {t.shape}")
        out, k = [], 0
        for o, i in self.shapes:
            W = t[:, k:k + o * i].reshape(t.shape[0], o, i)
            k += o * i
            b = t[:, k:k + o]
            k += o
            out.append((W, b))
        return out

    def pack(self, layers: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Inverse of :meth:`unpack` for a batch: ``(B, P)``.

        Examples
        --------
        >>> net = NetworkBase((1, 2, 1))
        >>> net.pack(net.unpack(np.arange(7.0)))
        array([[0., 1., 2., 3., 4., 5., 6.]])
        """
        parts = []
        for W, b in layers:
            W = np.asarray(W, dtype=np.float64)
            b = np.asarray(b, dtype=np.float64)
            if W.ndim == 2:
                W, b = W[None], b[None]
            parts += [W.reshape(W.shape[0], -1), b.reshape(b.shape[0], -1)]
        return np.concatenate(parts, axis=1)

    # -- forward --------------------------------------------------------------------------
    def forward(self, theta: ArrayLike, x: ArrayLike) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations ``z_l`` and activations ``a_l`` of every layer.

        Shapes ``(B, n, width_l)``; ``a_0 = x``; the last ``z`` is the output
        (no activation), and the last ``a`` equals it.

        Examples
        --------
        >>> zs, acts = NetworkBase((1, 1, 1)).forward([1.0, -1.0, 2.0, 0.0], [[0.0], [3.0]])
        >>> zs[0][0, :, 0], acts[1][0, :, 0], zs[1][0, :, 0]      # z = x - 1, relu, 2 relu
        (array([-1.,  2.]), array([0., 2.]), array([0., 4.]))
        """
        t, _ = self.check_theta(theta)
        xx = self.check_x(x)
        a = np.broadcast_to(xx, (t.shape[0],) + xx.shape)
        zs, acts = [], [a]
        layers = self.unpack(t)
        for li, (W, b) in enumerate(layers):
            z = np.einsum("bni,boi->bno", a, W) + b[:, None, :]
            zs.append(z)
            a = z if li == len(layers) - 1 else self.act.f(z)
            acts.append(a)
        return zs, acts

    def realization(self, theta: ArrayLike, x: ArrayLike) -> np.ndarray:
        """The network function at the points ``x``: ``(n,)``, or ``(B, n)`` for a batch.

        Examples
        --------
        >>> NetworkBase((1, 1, 1)).realization([[1.0, 0, 1, 0], [2.0, 0, 1, 1]], [[1.0]])
        array([[1.],
               [3.]])
        """
        _, batched = self.check_theta(theta)
        zs, _ = self.forward(theta, x)
        out = zs[-1][..., 0]
        return out if batched else out[0]

    def risk(self, theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> np.ndarray | float:
        """Empirical mean squared error ``mean_i (N(x_i) - y_i)^2``.

        Examples
        --------
        >>> NetworkBase((1, 1, 1)).risk([1.0, 0, 1, 0], [[1.0], [2.0]], [0.0, 0.0])  # (1 + 4)/2
        2.5
        """
        _, batched = self.check_theta(theta)
        xx = self.check_x(x)
        yy = self.check_y(y, xx.shape[0])
        r = np.mean((self.realization(np.atleast_2d(np.asarray(theta, float)), xx) - yy) ** 2,
                    axis=-1)
        return r if batched else float(r[0])


def _real_array(name: str, v) -> np.ndarray:
    """``v`` as a float64 array; a ValueError naming ``name`` for complex or non-numeric input."""
    try:
        a = np.asarray(v)
        if np.iscomplexobj(a):
            raise ValueError(f"{name} must be real, got a complex array")
        return a.astype(np.float64, copy=False)
    except (TypeError, ValueError) as e:
        if str(e).startswith(name):
            raise
        raise ValueError(f"{name} must be an array of real numbers, got {v!r}") from None
