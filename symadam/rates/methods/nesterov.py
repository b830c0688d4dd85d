"""Nesterov's accelerated gradient with constant momentum.

``y_n = theta_n + beta (theta_n - theta_{n-1})``,
``theta_{n+1} = y_n - h grad f(y_n)``; state ``(theta, theta_prev)``.
Papers' names: Lessard-Recht-Packard (2016) write alpha for the step ``h``
and beta for the momentum; Nesterov (1983/2004) uses the same constant-momentum
form for strongly convex functions.
"""
from __future__ import annotations

import sympy

from ._base import THETA, THETA_PREV, IterationMap, Parameter

__all__ = ["NESTEROV", "h", "beta"]

#: Step size (Lessard-Recht-Packard: alpha).
h = sympy.Symbol("h", positive=True)
#: Momentum (Lessard-Recht-Packard: beta).
beta = sympy.Symbol("beta", nonnegative=True)


def _step(state, grad, n=None):
    """One Nesterov step on ``(theta, theta_prev)`` (the gradient at the extrapolated point).

    Examples
    --------
    >>> _step((THETA, THETA_PREV), lambda t: t)[0].expand()
    -beta*h*theta + beta*h*theta_prev + beta*theta - beta*theta_prev - h*theta + theta
    """
    theta, prev = state
    y = theta + beta * (theta - prev)
    return (y - h * grad(y), theta)


NESTEROV = IterationMap(
    name="nesterov",
    title="Nesterov's accelerated gradient (constant momentum)",
    state=(THETA, THETA_PREV),
    params=(
        Parameter(h, "step size (Lessard-Recht-Packard: alpha)", lower=sympy.Integer(0),
                  scale=-1),
        Parameter(beta, "momentum (Lessard-Recht-Packard: beta)", lower=sympy.Integer(0),
                  upper=sympy.Integer(1), lower_open=False, scale=0),
    ),
    step=_step,
    fixed_point=(sympy.Integer(0), sympy.Integer(0)),
    equations=(r"y_n = \theta_n + \beta\,(\theta_n - \theta_{n-1}),\quad "
               r"\theta_{n+1} = y_n - h\,\nabla f(y_n)"),
    reference="Nesterov 1983/2004; tuning on quadratics: Lessard, Recht, Packard 2016",
)
