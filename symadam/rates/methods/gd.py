"""Gradient descent with constant step: ``theta_{n+1} = theta_n - h grad f(theta_n)``.

Papers' names: the step ``h`` is written alpha (Lessard-Recht-Packard 2016,
Polyak 1987) or gamma / the learning rate ``lr`` (Adam papers).
"""
from __future__ import annotations

import sympy

from ._base import THETA, IterationMap, Parameter

__all__ = ["GD", "h"]

#: Step size (papers: alpha, gamma, learning rate).
h = sympy.Symbol("h", positive=True)


def _step(state, grad, n=None):
    """One GD step on the state ``(theta,)``.

    Examples
    --------
    >>> _step((THETA,), lambda t: 2 * t)
    (-2*h*theta + theta,)
    """
    (theta,) = state
    return (theta - h * grad(theta),)


GD = IterationMap(
    name="gd",
    title="Gradient descent",
    state=(THETA,),
    params=(Parameter(h, "step size (papers: alpha, gamma, lr)", lower=sympy.Integer(0),
                      scale=-1),),
    step=_step,
    fixed_point=(sympy.Integer(0),),
    equations=r"\theta_{n+1} = \theta_n - h\,\nabla f(\theta_n)",
    reference="standard (Cauchy 1847; Polyak 1987, Introduction to Optimization)",
)
