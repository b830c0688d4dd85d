"""Fully connected feedforward networks with a flat parameter vector.

Parameter layout of ``theta`` (docs/conventions.md): layer by layer from the input,
each layer's weight matrix (shape out x in, row-major) followed by its bias
vector.  A shallow network ``(d, m, 1)`` is therefore ``(w: m x d, b: m,
v: 1 x m, c: 1)``, realising ``N(x) = c + sum_j v_j sigma(w_j . x + b_j)``.
The output layer is affine (no activation).  Every method accepts a single
parameter vector ``(P,)`` or a batch ``(B, P)`` and returns correspondingly
shaped results.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .backprop import backprop_gradient
from .base import NetworkBase
from .hessian import risk_hessian
from .population import population_risk

__all__ = ["Network"]


class Network(NetworkBase):
    """A feedforward network ``widths = (d, m1, ..., 1)`` with one activation.

    Parameters
    ----------
    widths : sequence of int
        Input dimension, hidden widths, and output width 1.
    activation : {"relu", "tanh", "logistic", "softplus", "gelu"} or Activation
        A name, or an :class:`~symadam.networks.activations.Activation` (e.g. a
        smooth ReLU approximation from :func:`symadam.relu.smooth_np.smooth_relu`).

    Examples
    --------
    >>> net = Network((1, 2, 1), "relu")
    >>> net.num_params
    7
    >>> theta = np.array([1.0, -1.0, 0.0, 0.0, 1.0, 1.0, 0.5])   # |x| + 0.5
    >>> net.realization(theta, np.array([[-2.0], [3.0]]))
    array([2.5, 3.5])
    >>> float(net.risk(theta, np.array([[-2.0], [3.0]]), np.array([2.5, 3.5])))
    0.0
    """

    def generalized_gradient(self, theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """The generalized gradient ``G(theta)`` of :meth:`risk` (arXiv 2501.15646).

        Backpropagation with the convention ``relu'(0) = 0`` (what
        ``torch.relu`` and TensorFlow compute); for a smooth activation this is
        the true gradient.  ``(P,)`` for ``theta (P,)``, ``(B, P)`` for a batch.
        See :mod:`symadam.networks.backprop` for the definition and its
        properties.

        Examples
        --------
        >>> net = Network((1, 1, 1), "relu")       # N(x) = v relu(w x + b) + c
        >>> net.generalized_gradient([1.0, 0.0, 1.0, 0.0], [[0.0]], [1.0])
        array([ 0.,  0.,  0., -2.])
        """
        return backprop_gradient(self, theta, x, y)

    def population_risk(self, theta: ArrayLike, target: ArrayLike | object,
                        density: tuple | object = (0.0, 1.0)) -> np.ndarray | float:
        """``int (N(x) - f(x))^2 p(x) dx`` for 1-D inputs (exact for ReLU).

        ``target`` is a polynomial (coefficients, ascending powers) or a
        :class:`~symadam.networks.population.PiecewisePolynomial`; ``density``
        is ``(a, b)`` (uniform) or a piecewise polynomial density.  For ReLU
        the integral is evaluated in closed form between the kinks (see
        :func:`symadam.networks.population.population_risk`).

        Examples
        --------
        >>> net = Network((1, 1, 1), "relu")
        >>> round(net.population_risk([1.0, 0.0, 1.0, 0.0], [0.0]), 12)  # int_0^1 x^2 dx
        0.333333333333
        """
        return population_risk(self, theta, target, density)

    def hessian(self, theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Exact Hessian of :meth:`risk` (shallow networks, analytic activations).

        Analytic second derivatives, batched (:mod:`symadam.networks.hessian`):
        ``(P, P)`` for ``theta (P,)``, ``(B, P, P)`` for a batch.  ReLU raises
        ``ValueError`` (the risk is not twice differentiable there).

        Examples
        --------
        >>> net = Network((1, 2, 1), "tanh")
        >>> net.hessian(np.zeros(7), np.array([[0.0], [1.0]]), np.zeros(2)).shape
        (7, 7)
        """
        if self.depth != 1:
            raise ValueError(f"hessian needs a shallow network (d, m, 1), got widths {self.widths}")
        t, batched = self.check_theta(theta)
        xx = self.check_x(x)
        h = risk_hessian(t, xx, self.check_y(y, xx.shape[0]), self.activation)
        return h if batched else h[0]
