"""Adam (Kingma-Ba, PyTorch convention) as an iteration map, and its local rate.

State ``(theta, m, v)``; one componentwise step with gradient ``g = grad f(theta)``::

    m+ = beta1 m + (1 - beta1) g,     v+ = beta2 v + (1 - beta2) g^2,
    theta+ = theta - gamma (m+/(1 - beta1^n)) / (eps + sqrt(v+/(1 - beta2^n))).

Papers' letters (arXiv 2504.19426): alpha = ``beta1``, beta = ``beta2``,
gamma = ``gamma`` (the learning rate ``lr``).  ``eps > 0`` sits *outside* the
root (PyTorch, the research group's code); :func:`adam_eps_inside_derivation`
treats the variant ``sqrt(v_hat + eps)``.  The bias corrections make the map non-autonomous
(``n`` given); ``n=None`` is the limit ``n -> oo`` (they tend to 1 geometrically).

At the fixed point ``(0, 0, 0)`` the map is not smooth (``sqrt(v)`` at
``v = 0``), so the engine's linearization is overridden by the exact analysis
of :func:`symadam.symbolic.adam_linearization.linearize_adaptive`: the matrix
governing ``theta`` is the ``(theta, m)`` block, which is heavy ball with
step ``gamma (1 - beta1)/eps`` and momentum ``beta1``; ``beta2`` and ``eps``
are not tuned (``eps`` scales ``gamma``, ``beta2`` drops out).
"""
from __future__ import annotations

import functools

import sympy

from ..adam_linearization import SYMBOLS, adam_as_heavy_ball, linearize_adaptive
from ..derivation import Derivation
from . import register_method
from ._base import THETA, IterationMap, Parameter

__all__ = ["ADAM", "adam_rate_derivation", "adam_linearization_derivation",
           "adam_optimality_derivation", "adam_eps_inside_derivation", "gamma", "beta1",
           "beta2", "eps"]

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


def _tuning(name: str):
    from ..rate_engine import tune

    return tune(name)


@functools.lru_cache(maxsize=None)
def adam_linearization_derivation() -> Derivation:
    """Adam and RMSprop at the degenerate fixed point (both eps placements), and the exact
    elimination of ``m`` (Adam = heavy ball with adaptive step and momentum).

    Examples
    --------
    >>> d = adam_linearization_derivation()
    >>> d.results["h_adam"], d.results["h_rmsprop"]
    (gamma*(1 - beta1)/eps, gamma/eps)
    """
    d = Derivation("Adam and RMSprop: linearization at the degenerate fixed point")
    a = linearize_adaptive("adam")
    d.extend(a, prefix="Adam: ")
    d.extend(linearize_adaptive("rmsprop"), prefix="RMSprop: ")
    d.extend(linearize_adaptive("adam", eps_inside=True), prefix=r"Adam, $\varepsilon$ inside: ")
    d.extend(adam_as_heavy_ball(), prefix="Exact: ")
    d.results.update(h_adam=a.results["h_eff"],
                     h_rmsprop=linearize_adaptive("rmsprop").results["h_eff"],
                     h_adam_eps_inside=linearize_adaptive("adam", True).results["h_eff"])
    return d


@functools.lru_cache(maxsize=None)
def adam_rate_derivation() -> Derivation:
    """Adam's optimal ``(beta1, gamma)`` and local rate, derived by the rate engine.

    Results: ``rate`` (in ``kappa``), ``beta1``, ``gamma`` (in ``L, mu, eps``).

    Examples
    --------
    >>> r = adam_rate_derivation().results
    >>> r["rate"], r["gamma"]
    ((sqrt(kappa) - 1)/(sqrt(kappa) + 1), eps/(sqrt(L)*sqrt(mu)))
    """
    t = _tuning("adam")
    d = Derivation("Adam: optimal local tuning and rate (engine)")
    d.extend(t.derivation)
    d.add(r"The rate does not involve $\beta_2$ or $\varepsilon$: it holds for every "
          r"$\beta_2 \in (0, 1)$, $\varepsilon > 0$; $\varepsilon$ only rescales $\gamma$.")
    d.results.update(rate=t.rate, beta1=t.parameters["beta1"], gamma=t.parameters["gamma"])
    return d


@functools.lru_cache(maxsize=None)
def adam_eps_inside_derivation() -> Derivation:
    """The eps-inside variant: its block is Adam's with ``eps -> sqrt(eps)``, so is its tuning.

    Examples
    --------
    >>> adam_eps_inside_derivation().results["gamma"]
    sqrt(eps)/(sqrt(L)*sqrt(mu))
    """
    out = linearize_adaptive("adam").results["block_char_poly"]
    ins = linearize_adaptive("adam", eps_inside=True).results["block_char_poly"]
    root = sympy.sqrt(eps)
    if sympy.cancel(ins - out.subs(eps, root)) != 0:  # pragma: no cover
        raise ArithmeticError("eps-inside block is not the eps-outside block at sqrt(eps)")
    r = adam_rate_derivation().results
    d = Derivation(r"Adam with $\varepsilon$ inside the root: optimal tuning")
    d.add(r"The $(\theta, m)$ block of the variant $\sqrt{\hat v + \varepsilon}$ has the "
          r"characteristic polynomial of the $\varepsilon$-outside block with "
          r"$\varepsilon \to \sqrt{\varepsilon}$ (checked exactly):", ins, "p(z)")
    d.add(r"so its optimal tuning is Adam's with $\varepsilon \to \sqrt{\varepsilon}$, and the "
          r"rate is unchanged:", sympy.Matrix([r["beta1"], r["gamma"].subs(eps, root), r["rate"]]),
          r"(\beta_1^*, \gamma^*, \rho^*)")
    d.results.update(rate=r["rate"], beta1=r["beta1"], gamma=r["gamma"].subs(eps, root))
    return d


@functools.lru_cache(maxsize=None)
def adam_optimality_derivation() -> Derivation:
    """Why no ``(gamma, beta1, beta2, eps)`` beats the tuned rate.

    Examples
    --------
    >>> adam_optimality_derivation().results["depends_on"]
    '(gamma*(1 - beta1)/eps, beta1)'
    """
    S = SYMBOLS
    lin = linearize_adaptive("adam")
    p = lin.results["block_char_poly"]
    hb = sympy.Symbol("h", positive=True)
    p_h = sympy.cancel(p.subs(gamma, hb * eps / (1 - beta1)))
    free = sorted(s.name for s in p.free_symbols)
    d = Derivation("Adam: no parameter choice beats the tuned rate")
    d.add(r"The $(\theta, m)$ block's characteristic polynomial involves the symbols "
          f"{', '.join(free)}: not $\\beta_2$.", p, "p(z)")
    d.add(r"Substituting $\gamma = h\varepsilon/(1-\beta_1)$ removes $\gamma$ and $\varepsilon$:",
          sympy.collect(p_h, S["z"]), r"p(z)")
    d.add(r"For fixed $\varepsilon > 0$ and $\beta_1 \in [0, 1)$, $\gamma \mapsto h$ is a "
          r"bijection of $(0, \infty)$, so Adam's attainable local rates over "
          r"$(\gamma, \beta_1, \beta_2, \varepsilon)$ are exactly heavy ball's over "
          r"$(h, \beta) \in (0,\infty)\times[0,1)$; the engine's optimum over $(\gamma, \beta_1)$ "
          r"is therefore optimal over all four parameters.")
    d.results.update(depends_on=str((lin.results["h_eff"], beta1)))
    return d
