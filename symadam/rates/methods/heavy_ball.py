"""Polyak's heavy ball: ``theta+ = theta - h grad f(theta) + beta (theta - theta_prev)``.

State ``(theta, theta_prev)``.  Papers' names: Polyak (1964) writes alpha for
the step ``h`` and beta for the momentum ``beta``; Adam papers call the
momentum beta1 (alpha in 2504.19426) when it enters as an averaging weight.
"""
from __future__ import annotations

import sympy

from ._base import THETA, THETA_PREV, IterationMap, Parameter

__all__ = ["HEAVY_BALL", "h", "beta"]

#: Step size (Polyak: alpha).
h = sympy.Symbol("h", positive=True)
#: Momentum (Polyak: beta).
beta = sympy.Symbol("beta", nonnegative=True)


def _step(state, grad, n=None):
    """One heavy-ball step on ``(theta, theta_prev)``.

    Examples
    --------
    >>> _step((THETA, THETA_PREV), lambda t: t)
    (beta*(theta - theta_prev) - h*theta + theta, theta)
    """
    theta, prev = state
    return (theta - h * grad(theta) + beta * (theta - prev), theta)


HEAVY_BALL = IterationMap(
    name="heavy-ball",
    title="Polyak's heavy ball",
    state=(THETA, THETA_PREV),
    params=(
        Parameter(h, "step size (Polyak: alpha)", lower=sympy.Integer(0), scale=-1),
        Parameter(beta, "momentum (Polyak: beta)", lower=sympy.Integer(0),
                  upper=sympy.Integer(1), lower_open=False, scale=0),
    ),
    step=_step,
    fixed_point=(sympy.Integer(0), sympy.Integer(0)),
    equations=(r"\theta_{n+1} = \theta_n - h\,\nabla f(\theta_n) "
               r"+ \beta\,(\theta_n - \theta_{n-1})"),
    reference="Polyak 1964, Some methods of speeding up the convergence of iteration methods",
)
