"""Activation functions with their first and second derivatives (float64 numpy).

Conventions: ``relu'(0) = 0`` (the convention of ``torch.relu`` and
TensorFlow, and the one the generalized gradient of arXiv 2501.15646 is the
limit of); ``relu''`` is 0 everywhere (as a function, not a distribution).
GELU is the exact one, ``z * Phi(z)`` with the standard normal cdf Phi.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
from scipy.special import erf, expit

__all__ = ["Activation", "ACTIVATIONS", "get_activation", "ANALYTIC"]


class Activation(NamedTuple):
    """An activation ``f`` with derivatives ``d1 = f'`` and ``d2 = f''``."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    d1: Callable[[np.ndarray], np.ndarray]
    d2: Callable[[np.ndarray], np.ndarray]
    analytic: bool
    odd: bool


_SQRT2 = np.sqrt(2.0)
_INV_SQRT2PI = 1.0 / np.sqrt(2.0 * np.pi)


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_d1(z):
    return (z > 0).astype(np.float64)


def _zero(z):
    return np.zeros_like(z, dtype=np.float64)


def _tanh_d1(z):
    t = np.tanh(z)
    return 1.0 - t * t


def _tanh_d2(z):
    t = np.tanh(z)
    return -2.0 * t * (1.0 - t * t)


def _log_d1(z):
    s = expit(z)
    return s * (1.0 - s)


def _log_d2(z):
    s = expit(z)
    return s * (1.0 - s) * (1.0 - 2.0 * s)


def _softplus(z):
    return np.logaddexp(0.0, z)


def _softplus_d2(z):
    s = expit(z)
    return s * (1.0 - s)


def _phi(z):
    return _INV_SQRT2PI * np.exp(-0.5 * z * z)


def _gelu(z):
    return z * 0.5 * (1.0 + erf(z / _SQRT2))


def _gelu_d1(z):
    return 0.5 * (1.0 + erf(z / _SQRT2)) + z * _phi(z)


def _gelu_d2(z):
    return (2.0 - z * z) * _phi(z)


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", _relu, _relu_d1, _zero, analytic=False, odd=False),
    "tanh": Activation("tanh", np.tanh, _tanh_d1, _tanh_d2, analytic=True, odd=True),
    "logistic": Activation("logistic", expit, _log_d1, _log_d2, analytic=True, odd=False),
    "softplus": Activation("softplus", _softplus, expit, _softplus_d2, analytic=True, odd=False),
    "gelu": Activation("gelu", _gelu, _gelu_d1, _gelu_d2, analytic=True, odd=False),
}

#: Names of the analytic activations (those the Morse and SAD results need).
ANALYTIC = tuple(k for k, a in ACTIVATIONS.items() if a.analytic)


def get_activation(name: str) -> Activation:
    """Look up an activation by name; ``ValueError`` naming the allowed ones.

    Examples
    --------
    >>> float(get_activation("relu").d1(np.array(0.0)))
    0.0
    >>> get_activation("swish")
    Traceback (most recent call last):
    ...
    ValueError: activation must be one of relu, tanh, logistic, softplus, gelu; got 'swish'
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[name]
