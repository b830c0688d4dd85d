"""Polyak's heavy ball: ``theta+ = theta - h grad f(theta) + beta (theta - theta_prev)``.

State ``(theta, theta_prev)``.  Papers' names: Polyak (1964) writes alpha for
the step ``h`` and beta for the momentum ``beta``; Adam papers call the
momentum beta1 (alpha in 2504.19426) when it enters as an averaging weight.
"""
from __future__ import annotations

import functools
from typing import Any

import sympy

from ...core.expr import to_rational
from ._base import THETA, THETA_PREV, IterationMap, Parameter

__all__ = ["HEAVY_BALL", "h", "beta", "fixed_momentum"]

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


def fixed_momentum(momentum: Any) -> IterationMap:
    """Heavy ball with its momentum fixed at ``momentum`` (exact, in ``[0, 1)``); only the
    step ``h`` is tuned.  Not registered (``tune`` accepts it as a map); the same exact value
    gives the same map, so its tuning is cached.

    Its optimum changes character at ``kappa* = ((1 + sqrt b)/(1 - sqrt b))^2``: the engine
    returns two pieces (see ``rates.heavy_ball_fixed_momentum``).

    Raises
    ------
    ValueError
        If ``momentum`` is not a number in ``[0, 1)`` (text is read, never evaluated).

    Examples
    --------
    >>> m = fixed_momentum("0.99")
    >>> m.name, [p.symbol.name for p in m.tuned_params], m is fixed_momentum("99/100")
    ('heavy-ball-beta=99/100', ['h'], True)
    >>> fixed_momentum(1)
    Traceback (most recent call last):
    ...
    ValueError: momentum must be in [0, 1), got 1
    """
    b = to_rational(momentum, "momentum")
    if not 0 <= b < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    return _fixed_momentum(b)


@functools.lru_cache(maxsize=64)
def _fixed_momentum(b: sympy.Rational) -> IterationMap:
    def step(state, grad, n=None):
        theta, prev = state
        return (theta - h * grad(theta) + b * (theta - prev), theta)

    return IterationMap(
        name=f"heavy-ball-beta={b}",
        title=f"Heavy ball with momentum fixed at $\\beta = {sympy.latex(b)}$",
        state=(THETA, THETA_PREV),
        params=(Parameter(h, "step size (Polyak: alpha)", lower=sympy.Integer(0), scale=-1),),
        step=step,
        fixed_point=(sympy.Integer(0), sympy.Integer(0)),
        equations=(r"\theta_{n+1} = \theta_n - h\,\nabla f(\theta_n) "
                   f"+ {sympy.latex(b)}\\,(\\theta_n - \\theta_{{n-1}})"),
        reference="Polyak 1964, with the momentum fixed",
    )
