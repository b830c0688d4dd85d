"""RMSprop as in the Adam papers: Adam with ``beta1 = 0`` (bias-corrected, eps outside the root).

State ``(theta, v)``; one componentwise step with ``g = grad f(theta)``::

    v+ = beta2 v + (1 - beta2) g^2,   theta+ = theta - gamma g / (eps + sqrt(v+/(1 - beta2^n))).

Papers' letters (arXiv 2504.19426): beta = ``beta2``, gamma = ``gamma``.
``torch.optim.RMSprop`` differs only by having no bias correction (its
``alpha`` is ``beta2``); the stationary map (``n=None``), and hence the local
rate, is the same.  At the fixed point ``(0, 0)`` the ``theta`` block is
gradient descent with step ``gamma/eps`` (see
:func:`symadam.rates.adam_linearization.linearize_adaptive`).
"""
from __future__ import annotations

import sympy

from ..adam_linearization import SYMBOLS, linearize_adaptive
from ._base import THETA, IterationMap, Parameter
from ._registry import register_method

__all__ = ["RMSPROP"]

gamma, beta2, eps, V = (SYMBOLS[k] for k in ("gamma", "beta2", "eps", "v"))


def _step(state, grad, n=None):
    """One RMSprop step (bias-corrected at step ``n``; stationary if ``n`` is None).

    Examples
    --------
    >>> RMSPROP.step((THETA, V), lambda t: t)[0]
    -gamma*theta/(eps + sqrt(beta2*v + theta**2*(1 - beta2))) + theta
    """
    theta, v = state
    g = grad(theta)
    c2 = 1 if n is None else 1 - beta2 ** n
    v_new = beta2 * v + (1 - beta2) * g ** 2
    return (theta - gamma * g / (eps + sympy.sqrt(v_new / c2)), v_new)


def _linearize(method, lam):
    J = linearize_adaptive("rmsprop").results["jacobian"][:1, :1].subs(SYMBOLS["lam"], lam)
    why = (r"The map is not differentiable in $v$ at $v = 0$. Exactly, "
           r"$\theta^+ = \theta - \gamma g/\varepsilon + R$, $R = O(|g|\sqrt{\hat v})$, and "
           r"$v^+$ depends on $\theta$ only through $g^2$: the Jacobian is "
           r"$\mathrm{diag}(1 - \gamma\lambda/\varepsilon, \beta_2)$ and $\theta$ is governed by "
           r"its first entry (gradient descent with step $\gamma/\varepsilon$).",)
    return J, why


RMSPROP = IterationMap(
    name="rmsprop", title="RMSprop (Adam with beta1 = 0, bias-corrected)",
    state=(THETA, V),
    params=(Parameter(gamma, "learning rate lr (papers: gamma)", lower=sympy.Integer(0),
                      scale=-1),
            Parameter(beta2, "second-moment momentum (papers: beta; torch: alpha)",
                      lower=sympy.Integer(0), upper=sympy.Integer(1), lower_open=False,
                      scale=0, tuned=False),
            Parameter(eps, "denominator offset eps > 0", lower=sympy.Integer(0), scale=0,
                      tuned=False)),
    step=_step, fixed_point=(sympy.Integer(0), sympy.Integer(0)),
    equations=(r"v_{n} = \beta_2 v_{n-1} + (1-\beta_2) g_n^2,\ "
               r"\theta_{n} = \theta_{n-1} - \gamma\,\frac{g_n}"
               r"{\varepsilon + \sqrt{v_n/(1-\beta_2^n)}}"),
    reference="Tieleman-Hinton 2012 (lecture); as Adam with beta1 = 0: arXiv 2504.19426",
    linearize=_linearize,
    notes="torch.optim.RMSprop: no bias correction, alpha = beta2, eps outside the root",
)

register_method(RMSPROP)
