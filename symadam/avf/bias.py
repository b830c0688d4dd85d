"""The leading-order bias of Adam's limit: zero of the Adam vector field minus the minimizer.

Setting [reconstructed, docs/conventions.md]: quadratic loss ``1/2 (theta - x)^2``,
batch size ``J``, ``G = theta - Xbar``; ``A(theta) = E[M/(eps + sqrt V)]`` with
``M = sum a_k G_k``, ``V = sum b_k G_k^2`` over the same i.i.d. samples,
``a_k = (1-beta1) beta1^k``, ``b_k = (1-beta2) beta2^k`` (the papers' alpha,
beta are ``beta1``, ``beta2``).

Delta method: with ``f(v) = 1/(eps + sqrt v)`` and ``vbar = E V = E G^2``,
``A = f(vbar) E[M] + f'(vbar) Cov(M, V) + O((1-beta2)^2)``, where
``E[M] = mu = theta - E X`` and ``Cov(M, V) = (sum_k a_k b_k) Cov(G, G^2)``
(independence across ``k``), ``Cov(G, G^2) = kappa3(G) + 2 mu sigma^2``.
Solving ``A = 0`` to first order gives

    ``vartheta - theta* = - c_ab kappa3(X) / (2 J^2 sigma (eps + sigma))``,
    ``c_ab = (1-beta1)(1-beta2)/(1-beta1 beta2)``, ``sigma^2 = Var(X)/J``,

i.e. ``-c_ab kappa3(X)/(2 J Var X)`` at ``eps = 0``: linear in ``1-beta2``
and in ``1/J``, proportional to the third central moment.  This is the
leading term as ``beta2 -> 1``: the remainder is ``O((1-beta2)^2)`` in
absolute terms (a relative ``O(1-beta2)`` when ``kappa3 != 0``; a law with
``kappa3 = 0`` that is not symmetric has a bias of order ``(1-beta2)^2``).  At a
fixed ``beta2`` and ``J -> oo`` the exact bias is still ``~ C/J`` but its
coefficient ``C`` differs from ``c_ab kappa3/(2 Var X)`` by a relative
``O(1-beta2)`` (higher terms of the delta method carry the skewness too);
``eps > 0`` changes the ``J``-dependence to ``J^{-3/2}/eps`` once
``sigma << eps``.  Only sympy is used here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy
from sympy import Rational, sqrt

from ..core.derivation import Derivation
from .laws import parse_data

__all__ = ["SYMBOLS", "first_order_bias_formula", "first_order_bias", "derive_bias",
           "derive_symmetry"]

beta1, beta2, eps, J = sympy.symbols("beta1 beta2 eps J", positive=True)
s2 = sympy.Symbol("s2", positive=True)      # Var X
k3 = sympy.Symbol("k3", real=True)          # third central moment of X
#: The documented symbols of the bias formula.
SYMBOLS = {"beta1": beta1, "beta2": beta2, "eps": eps, "J": J, "s2": s2, "k3": k3}


@lru_cache(maxsize=None)
def derive_bias() -> Derivation:
    """Derive the first-order bias with sympy (delta method around ``V = E V``).

    Examples
    --------
    >>> d = derive_bias()
    >>> d.results["bias_eps0"]
    k3*(beta1 - 1)*(beta2 - 1)/(2*J*s2*(beta1*beta2 - 1))
    """
    k, v, mu, sig, kap = sympy.symbols("k v mu sigma kappa_3", real=True)
    d = Derivation("The Adam vector field: first-order bias of its zero")
    d.add(r"Convention [reconstructed]: $A(\theta)=E[M/(\varepsilon+\sqrt V)]$, "
          r"$M=\sum_k a_kG_k$, $V=\sum_k b_kG_k^2$ over the same i.i.d. $G_k=\theta-\bar X_k$, "
          r"$a_k=(1-\beta_1)\beta_1^k$, $b_k=(1-\beta_2)\beta_2^k$.")
    ak = (1 - beta1) * beta1**k
    bk = (1 - beta2) * beta2**k
    raw = sympy.summation((beta1 * beta2)**k, (k, 0, sympy.oo))
    if isinstance(raw, sympy.Piecewise):  # convergent branch: beta1*beta2 < 1
        raw = raw.args[0][0]
    cab = sympy.factor((1 - beta1) * (1 - beta2) * raw)
    assert sympy.expand(ak * bk - (1 - beta1) * (1 - beta2) * (beta1 * beta2)**k) == 0
    d.add(r"$\sum_k a_k = 1$, so $E[M]=\mu:=E[G]=\theta-E X$; by independence across $k$, "
          r"$\mathrm{Cov}(M,V)=c_{ab}\,\mathrm{Cov}(G,G^2)$ with", cab, r"c_{ab}=\sum_k a_kb_k")
    f = 1 / (eps + sqrt(v))
    fp = sympy.diff(f, v)
    d.add(r"Delta method with $f(v)=1/(\varepsilon+\sqrt v)$, $\bar v = E V = E G^2 = "
          r"\mu^2+\sigma^2$: $A = f(\bar v)\mu + f'(\bar v)\,c_{ab}\,\mathrm{Cov}(G,G^2) "
          r"+ O(c_{ab}^2)$, where", fp, r"f'(v)")
    cov = kap + 2 * mu * sig**2
    d.add(r"and $\mathrm{Cov}(G,G^2) = E G^3 - E G\,E G^2$ in central moments:", cov,
          r"\mathrm{Cov}(G,G^2)")
    lead = sympy.factor(-fp.subs(v, sig**2) / f.subs(v, sig**2) * cab * kap)
    d.add(r"Setting $A=0$ and keeping the terms of first order in $c_{ab}$ (so "
          r"$2\mu\sigma^2 c_{ab}$ and $\mu^2$ in $\bar v$ drop out):", lead, r"\mu^\ast")
    bias = lead.subs({kap: -k3 / J**2, sig: sqrt(s2 / J)})
    bias = sympy.factor(bias)
    d.add(r"For the batch mean of $J$ points, $\sigma^2=\mathrm{Var}(X)/J=s_2/J$ and "
          r"$\kappa_3(G)=-\kappa_3(\bar X)=-k_3/J^2$; the bias $\vartheta-\theta^\ast=\mu^\ast$ is",
          bias, r"\vartheta-\theta^\ast")
    b0 = sympy.factor(bias.subs(eps, 0))
    d.add(r"At $\varepsilon=0$: linear in $1-\beta_2$ and in $1/J$, proportional to the third "
          r"central moment; symmetric data ($k_3=0$) give no first-order bias.", b0,
          r"(\vartheta-\theta^\ast)|_{\varepsilon=0}")
    d.add(r"Next order: the neglected terms are $O(c_{ab}^2)=O((1-\beta_2)^2)$, so "
          r"exact $-$ leading $=O((1-\beta_2)^2)$; for $k_3\neq0$ the ratio exact/leading is "
          r"$1+O(1-\beta_2)$, while an asymmetric law with $k_3=0$ keeps a bias of order "
          r"$(1-\beta_2)^2$ (confirmed against exact zeros for five laws by the claim "
          r"avf.bias\_expansion).")
    d.results["c_ab"] = cab
    d.results["bias"] = bias
    d.results["bias_eps0"] = b0
    return d


def first_order_bias_formula() -> sympy.Expr:
    """The bias formula in the symbols ``beta1, beta2, eps, J, s2, k3``.

    Examples
    --------
    >>> sorted(s.name for s in first_order_bias_formula().free_symbols)
    ['J', 'beta1', 'beta2', 'eps', 'k3', 's2']
    """
    return derive_bias().results["bias"]


def first_order_bias(data: Any, beta1: Any = Rational(9, 10), beta2: Any = Rational(999, 1000),
                     eps: Any = 0, batch: int = 1) -> sympy.Expr:
    """The first-order bias for a data law, exact in its inputs (sympy number).

    ``data`` is a spec or :class:`DataLaw` of one data point; ``batch`` is ``J``.
    Numbers are read exactly (``0.999`` means ``999/1000``).

    Examples
    --------
    >>> first_order_bias("bernoulli:0.1", "0.9", "0.99")
    -2/545
    >>> first_order_bias("rademacher", "0.9", "0.99")
    0
    """
    law = parse_data(data)

    def ex(x):
        return sympy.Rational(repr(x)) if isinstance(x, float) else sympy.Rational(str(x))

    subs = {SYMBOLS["beta1"]: ex(beta1), SYMBOLS["beta2"]: ex(beta2), SYMBOLS["eps"]: ex(eps),
            SYMBOLS["J"]: sympy.Integer(batch), SYMBOLS["s2"]: law.variance(),
            SYMBOLS["k3"]: law.central_moment(3)}
    return sympy.radsimp(first_order_bias_formula().subs(subs))


@lru_cache(maxsize=None)
def derive_symmetry() -> Derivation:
    """Why symmetric noise gives a zero of ``A`` at the minimizer (an argument, no computation).

    Examples
    --------
    >>> len(derive_symmetry().steps) >= 3
    True
    """
    d = Derivation("The Adam vector field: symmetric noise gives a zero at the minimizer")
    d.add(r"If $G$ and $-G$ have the same law at $\theta^\ast$, replacing every $G_k$ by $-G_k$ "
          r"maps $(M,V)$ to $(-M,V)$, a measure-preserving change of the i.i.d. sequence; hence "
          r"$A(\theta^\ast)=E[M/(\varepsilon+\sqrt V)]=-A(\theta^\ast)=0$.")
    d.add(r"In the Laplace route: $\psi(c)=E[G e^{-cG^2}]=0$ for every $c$, so $S(u)\equiv 0$.")
    d.add(r"For skewed data $\psi\not\equiv 0$ at $\theta^\ast$: the first-order bias is "
          r"proportional to the third central moment (avf.bias\_expansion).")
    return d
