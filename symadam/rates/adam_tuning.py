"""Adam's and RMSprop's optimal local tunings and why nothing beats them (arXiv 2504.19426).

The derivations behind the claims ``rates.adam*`` and ``rates.rmsprop*``: the
linearization of :mod:`symadam.rates.adam_linearization` at the degenerate
fixed point, tuned by the rate engine (:func:`symadam.rates.engine.tune`)
applied to the iteration maps :data:`~symadam.rates.methods.adam.ADAM` and
:data:`~symadam.rates.methods.rmsprop.RMSPROP` (sympy only).
"""
from __future__ import annotations

import functools

import sympy

from ..core.derivation import Derivation
from .adam_linearization import SYMBOLS, adam_as_heavy_ball, linearize_adaptive
from .engine import tune

__all__ = ["adam_linearization_derivation", "adam_rate_derivation", "adam_eps_inside_derivation",
           "adam_optimality_derivation", "rmsprop_rate_derivation",
           "rmsprop_optimality_derivation"]

gamma, beta1, eps = (SYMBOLS[k] for k in ("gamma", "beta1", "eps"))


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
    t = tune("adam")
    d = Derivation("Adam: optimal local tuning and rate (engine)")
    d.extend(t.derivation)
    d.add(r"The rate does not involve $\beta_2$ or $\varepsilon$: it holds for every "
          r"$\beta_2 \in [0, 1)$, $\varepsilon > 0$; $\varepsilon$ only rescales $\gamma$.")
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

@functools.lru_cache(maxsize=None)
def rmsprop_rate_derivation() -> Derivation:
    """RMSprop's optimal ``gamma`` and local rate, derived by the rate engine.

    Examples
    --------
    >>> r = rmsprop_rate_derivation().results
    >>> r["rate"], r["gamma"]
    ((kappa - 1)/(kappa + 1), 2*eps/(L + mu))
    """
    t = tune("rmsprop")
    d = Derivation("RMSprop: optimal local tuning and rate (engine)")
    d.extend(t.derivation)
    d.add(r"The rate does not involve $\beta_2$ or $\varepsilon$ ($\varepsilon$ only rescales "
          r"$\gamma$).")
    d.results.update(rate=t.rate, gamma=t.parameters["gamma"])
    return d


@functools.lru_cache(maxsize=None)
def rmsprop_optimality_derivation() -> Derivation:
    """Why no ``(gamma, beta2, eps)`` beats ``(kappa - 1)/(kappa + 1)``.

    Examples
    --------
    >>> rmsprop_optimality_derivation().results["depends_on"]
    'gamma/eps'
    """
    lin = linearize_adaptive("rmsprop")
    p = lin.results["block_char_poly"]
    d = Derivation("RMSprop: no parameter choice beats gradient descent's rate")
    d.add(r"The $\theta$ block's characteristic polynomial depends on the parameters only "
          r"through $h = \gamma/\varepsilon$ (not on $\beta_2$):", p, "p(z)")
    d.add(r"$(\gamma, \beta_2, \varepsilon) \mapsto h$ is onto $(0, \infty)$, so the attainable "
          r"local rates are exactly those of gradient descent with step $h$, whose optimum the "
          r"engine derives; no $(\gamma, \beta_2, \varepsilon)$ does better. (Adam's extra "
          r"parameter $\beta_1$ is what buys the accelerated rate.)")
    d.results.update(depends_on=str(lin.results["h_eff"]))
    return d
