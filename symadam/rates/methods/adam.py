"""Adam (Kingma-Ba, PyTorch convention) as an iteration map, and its local rate.

State ``(theta, m, v)``; one componentwise step with gradient ``g = grad f(theta)``::

    m+ = beta1 m + (1 - beta1) g,     v+ = beta2 v + (1 - beta2) g^2,
    theta+ = theta - gamma (m+/(1 - beta1^n)) / (eps + sqrt(v+/(1 - beta2^n))).

Papers' letters (arXiv 2504.19426): alpha = ``beta1``, beta = ``beta2``,
gamma = ``gamma`` (the learning rate ``lr``).  ``eps > 0`` sits *outside* the
root (PyTorch, the research group's code);
:func:`symadam.rates.adam_tuning.adam_eps_inside_derivation` treats the variant
``sqrt(v_hat + eps)``.  The bias corrections make the map non-autonomous
(``n`` given); ``n=None`` is the limit ``n -> oo`` (they tend to 1 geometrically).

At the fixed point ``(0, 0, 0)`` the map is not smooth (``sqrt(v)`` at
``v = 0``), so the engine's linearization is overridden by the exact analysis
of :func:`symadam.rates.adam_linearization.linearize_adaptive`: the matrix
governing ``theta`` is the ``(theta, m)`` block, which is heavy ball with
step ``gamma (1 - beta1)/eps`` and momentum ``beta1``; ``beta2`` and ``eps``
are not tuned (``eps`` scales ``gamma``, ``beta2`` drops out).
"""
from __future__ import annotations

import sympy

from ..adam_linearization import SYMBOLS, linearize_adaptive
from ._base import THETA, IterationMap, Parameter
from ._registry import register_method

__all__ = ["ADAM"]

gamma, beta1, beta2, eps = (SYMBOLS[k] for k in ("gamma", "beta1", "beta2", "eps"))
M, V = SYMBOLS["m"], SYMBOLS["v"]


def _make_step(eps_inside: bool):
    def step(state, grad, n=None):
        """One Adam step (bias-corrected at step ``n``; stationary if ``n`` is None).

        Examples
        --------
        >>> ADAM.step((THETA, M, V), lambda t: t)[1]
        beta1*m + theta*(1 - beta1)
        """
        theta, m, v = state
        g = grad(theta)
        c1 = 1 if n is None else 1 - beta1 ** n
        c2 = 1 if n is None else 1 - beta2 ** n
        m_new = beta1 * m + (1 - beta1) * g
        v_new = beta2 * v + (1 - beta2) * g ** 2
        den = sympy.sqrt(v_new / c2 + eps) if eps_inside else eps + sympy.sqrt(v_new / c2)
        return (theta - gamma * (m_new / c1) / den, m_new, v_new)

    return step


def _make_linearize(eps_inside: bool):
    def lin(method, lam):
        d = linearize_adaptive("adam", eps_inside)
        block = d.results["jacobian"][:2, :2]
        # In the coordinates (theta, u = gamma m / eps_eff) -- u is the step theta_n - theta_{n+1}
        # in the local limit -- the block is invariant under lambda -> c lambda, gamma -> gamma/c
        # (m scales with the gradient); a similarity, so the spectrum is unchanged.
        e_eff = sympy.sqrt(eps) if eps_inside else eps
        D = sympy.diag(1, gamma / e_eff)
        J = (D * block * D.inv()).applyfunc(sympy.cancel)
        if (sympy.cancel(J.det() - block.det()) != 0
                or sympy.cancel(J.trace() - block.trace()) != 0):
            raise ArithmeticError("similarity changed the spectrum")  # pragma: no cover
        J = J.subs(SYMBOLS["lam"], lam)
        e = r"\sqrt{\varepsilon}" if eps_inside else r"\varepsilon"
        why = (r"The map is not differentiable in $v$ at $v = 0$. Exactly, "
               r"$\theta^+ = \theta - \gamma m^+/(c_1 " + e + r") + R$ with "
               r"$R = O(|m^+|\sqrt{\hat v})$ (a product with $m^+$), and $v^+$ depends on "
               r"$\theta$ only through $g^2$; so the Jacobian is block diagonal with the "
               r"$v$ block $\beta_2$, and $\theta$ is governed by the $(\theta, m)$ block "
               r"(bias corrections $\to 1$ geometrically; see the linearization claim). "
               r"It is written in the coordinates $(\theta, u)$, $u = \gamma m/" + e + r"$ "
               r"(a similarity, so the spectrum is that of the $(\theta, m)$ block), in which it "
               r"is invariant under $\lambda \to c\lambda$, $\gamma \to \gamma/c$.",)
        return J, why

    return lin


_PARAMS = (
    Parameter(gamma, "learning rate lr (papers: gamma)", lower=sympy.Integer(0), scale=-1),
    Parameter(beta1, "first-moment momentum (papers: alpha)", lower=sympy.Integer(0),
              upper=sympy.Integer(1), lower_open=False, scale=0),
    Parameter(beta2, "second-moment momentum (papers: beta); drops out of the rate",
              lower=sympy.Integer(0), upper=sympy.Integer(1), lower_open=False, scale=0,
              tuned=False),
    Parameter(eps, "denominator offset eps > 0", lower=sympy.Integer(0), scale=0, tuned=False),
)

ADAM = IterationMap(
    name="adam", title="Adam (bias-corrected, eps outside the root)",
    state=(THETA, M, V), params=_PARAMS, step=_make_step(False),
    fixed_point=(sympy.Integer(0), sympy.Integer(0), sympy.Integer(0)),
    equations=(r"m_{n} = \beta_1 m_{n-1} + (1-\beta_1) g_n,\ "
               r"v_{n} = \beta_2 v_{n-1} + (1-\beta_2) g_n^2,\ "
               r"\theta_{n} = \theta_{n-1} - \gamma\,\frac{m_n/(1-\beta_1^n)}"
               r"{\varepsilon + \sqrt{v_n/(1-\beta_2^n)}}"),
    reference="Kingma-Ba 2015 (PyTorch convention); rates: arXiv 2504.19426",
    linearize=_make_linearize(False),
    notes="papers: alpha = beta1, beta = beta2, gamma = lr",
)

register_method(ADAM)
