"""The second-order bias of Adam's limit: the zero of the Adam vector field to order (1-beta2)^2.

Setting as in :mod:`symadam.avf.bias` [reconstructed; README, "Conventions"]: quadratic loss
``1/2 (theta - x)^2``, batch size ``J``, ``G = theta - Xbar = mu - Y`` with ``mu = theta - E X``
and ``Y = Xbar - E X`` (cumulants ``kappa_r(Y) = k_r/J^(r-1)``, ``k_r`` the cumulants of one
data point: ``s2``, ``k3``, ``k4``, ``k5``), ``A = E[M f(V)]``, ``f(v) = 1/(eps + sqrt v)``.

Delta method to second order.  With ``W = V - E V`` and ``E V = mu^2 + sigma^2``
(``sigma^2 = s2/J``), ``A = sum_j f^(j)(E V)/j! E[M W^j]``; by independence across ``k`` the
joint cumulants of ``(M, V)`` are lattice sums times joint cumulants of ``(G, G^2)``:

    ``kappa(M, V) = c_ab Cov(G, G^2)``,  ``kappa(V, V) = S_bb Var(G^2)``,
    ``kappa(M, V, V) = S_abb kappa(G, G^2, G^2)``,
    ``c_ab = sum a_k b_k = (1-beta1)(1-beta2)/(1-beta1 beta2)``,
    ``S_bb = sum b_k^2 = (1-beta2)/(1+beta2)``,
    ``S_abb = sum a_k b_k^2 = (1-beta1)(1-beta2)^2/(1-beta1 beta2^2)``,

with ``c_ab, S_bb = O(1-beta2)`` and ``S_abb = O((1-beta2)^2)``.  Keeping every term of
second order in these sums (partitions of ``{M, W, ..., W}`` without ``W``-singletons):

    ``A = f mu + f' c_ab (-kappa_3 + 2 mu sigma^2) + f''/2 (mu S_bb Var(G^2) + S_abb kappa_GGG)
       + f'''/2 c_ab (-kappa_3) S_bb Var(G^2) + O((1-beta2)^3)``,

``kappa_3 = kappa_3(Y)``, ``Var(G^2) = kappa_4 + 2 kappa_2^2`` and
``kappa_GGG = kappa(G, G^2, G^2) = -(kappa_5 + 8 kappa_2 kappa_3)`` at ``mu = 0``.  Solving
``A = 0`` order by order gives ``mu* = b_1 + b_2 + O((1-beta2)^3)``: ``b_1`` is the first-order
bias of :mod:`symadam.avf.bias` (exact in ``c_ab``), ``b_2`` (:func:`second_order_bias`) is
quadratic in ``(c_ab, S_bb)`` and linear in ``S_abb``.  At ``eps = 0``, for data with zero
third central moment (``k3 = 0``) the first order vanishes and

    ``b_2 = 3 (1-beta1)(1-beta2)^2 k5 / (8 (1-beta1 beta2^2) s2^2 J^2)``:

order ``(1-beta2)^2`` and ``J^-2``, proportional to the fifth cumulant.  For
``X in {-2, 1, 3}`` with probabilities ``(0.4, 0.5, 0.1)`` (``s2 = 3``, ``k3 = 0``,
``k5 = 12``, not symmetric) and ``beta1 = 0.9`` this is ``0.05 (1-beta2)^2/(1 - 0.9 beta2^2)``
(4.91e-7 at ``beta2 = 0.999``; the exact zero: 4.92e-7).  The relative error of
``b_1 + b_2`` is ``O(1-beta2)`` as ``beta2 -> 1`` (checked against exact zeros by claim
``avf.bias_order2``); at a fixed ``beta2`` and ``J -> oo`` the exact ``J^-2`` coefficient
differs from ``b_2``'s by a relative ``O(1-beta2)`` as well.  Only sympy is used here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy
from sympy import sqrt

from ..core.derivation import Derivation
from .bias import SYMBOLS as BIAS_SYMBOLS
from .bias import first_order_bias, first_order_bias_formula
from .laws import parse_data

__all__ = ["SYMBOLS", "derive_bias_order2", "second_order_formula", "second_order_bias",
           "cumulants", "order2_fields"]

beta1, beta2, eps, J = sympy.symbols("beta1 beta2 eps J", positive=True)
s2 = sympy.Symbol("s2", positive=True)
k3, k4, k5 = sympy.symbols("k3 k4 k5", real=True)
#: The documented symbols of the second-order formula.
SYMBOLS = {"beta1": beta1, "beta2": beta2, "eps": eps, "J": J, "s2": s2, "k3": k3, "k4": k4,
           "k5": k5}


@lru_cache(maxsize=None)
def derive_bias_order2() -> Derivation:
    """Derive the second-order bias ``b_2`` with sympy (perturbation series in the sums).

    Results: ``first`` (equal to the first-order bias of :mod:`symadam.avf.bias`),
    ``second`` (``b_2``), ``second_eps0``, ``second_zero_skew_eps0``.

    Examples
    --------
    >>> derive_bias_order2().results["second_zero_skew_eps0"]
    3*k5*(beta1 - 1)*(beta2 - 1)**2/(8*J**2*s2**2*(beta1*beta2**2 - 1))
    """
    v = sympy.Symbol("v", positive=True)
    d = Derivation("The Adam vector field: second-order bias of its zero")
    cab = (1 - beta1) * (1 - beta2) / (1 - beta1 * beta2)
    sbb = (1 - beta2) / (1 + beta2)
    sabb = (1 - beta1) * (1 - beta2)**2 / (1 - beta1 * beta2**2)
    kk = sympy.Symbol("k", nonnegative=True, integer=True)
    for name, summand, closed in (
            ("c_ab", (1 - beta1) * beta1**kk * (1 - beta2) * beta2**kk, cab),
            ("S_bb", ((1 - beta2) * beta2**kk)**2, sbb),
            ("S_abb", (1 - beta1) * beta1**kk * ((1 - beta2) * beta2**kk)**2, sabb)):
        tot = sympy.summation(sympy.powsimp(sympy.expand(summand), force=True),
                              (kk, 0, sympy.oo))
        tot = sympy.piecewise_fold(tot)
        if isinstance(tot, sympy.Piecewise):
            tot = tot.args[0][0]
        if sympy.cancel(tot - closed) != 0:  # pragma: no cover
            raise ArithmeticError(f"lattice sum {name}")
    d.add(r"Lattice sums of the weights $a_k=(1-\beta_1)\beta_1^k$, $b_k=(1-\beta_2)\beta_2^k$ "
          r"(joint cumulants of $(M,V)$ are these times joint cumulants of $(G,G^2)$):",
          sympy.Matrix([cab, sbb, sabb]), r"(c_{ab}, S_{bb}, S_{abb})")
    K2, K3, K4, K5 = s2 / J, k3 / J**2, k4 / J**3, k5 / J**4
    var_g2 = K4 + 2 * K2**2
    kggg = -(K5 + 8 * K2 * K3)
    d.add(r"With $G=\mu-Y$, $\kappa_r(Y)=k_r/J^{r-1}$: $\mathrm{Cov}(G,G^2)=-\kappa_3+2\mu"
          r"\kappa_2$, and at $\mu=0$ $\mathrm{Var}(G^2)=\kappa_4+2\kappa_2^2$, "
          r"$\kappa(G,G^2,G^2)=-(\kappa_5+8\kappa_2\kappa_3)$:", sympy.Matrix([var_g2, kggg]))
    w = sympy.Symbol("sigma", positive=True)   # sqrt(E G^2) at mu = 0
    f = 1 / (eps + sqrt(v))
    # f^(j)(sigma^2)/f(sigma^2): rational in sigma and eps
    R = [sympy.cancel((sympy.diff(f, v, j) / f).subs(v, w**2)) for j in range(4)]
    d.add(r"Delta method around $E V=\sigma^2+\mu^2$ ($\mu^2$ and the $\mu$-dependence of "
          r"the higher cumulants enter at third order only); with $r_j=f^{(j)}(\sigma^2)/"
          r"f(\sigma^2)$", sympy.Matrix(R[1:]), r"(r_1, r_2, r_3)")
    N1 = R[1] * cab * (-K3)
    N2 = R[2] / 2 * sabb * kggg + R[3] / 2 * cab * (-K3) * sbb * var_g2
    D1 = 2 * R[1] * cab * K2 + R[2] / 2 * sbb * var_g2
    d.add(r"$A/f=\mu(1+D_1)+N_1+N_2+O((1-\beta_2)^3)$ with $N_1=O(1-\beta_2)$, "
          r"$N_2, D_1\mu=O((1-\beta_2)^2)$:", sympy.Matrix([N1, N2, D1]), r"(N_1, N_2, D_1)")
    to_s2 = {w: sqrt(s2 / J)}
    first = sympy.factor(sympy.cancel(-N1).subs(to_s2))
    second = sympy.factor(sympy.cancel(-N2 + N1 * D1).subs(to_s2))
    fo = first_order_bias_formula().subs(
        {BIAS_SYMBOLS[n]: SYMBOLS[n] for n in ("beta1", "beta2", "eps", "J", "s2", "k3")})
    if sympy.cancel(sympy.radsimp(first - fo)) != 0:  # pragma: no cover
        raise ArithmeticError("the first order does not match avf.bias")
    d.add(r"Solving order by order, $b_1=-N_1$ is the first-order bias of "
          r"avf.bias\_expansion and the second-order bias is $b_2=-N_2+N_1D_1$:", second,
          r"b_2")
    second0 = sympy.factor(second.subs(eps, 0))
    d.add(r"At $\varepsilon=0$:", second0, r"b_2|_{\varepsilon=0}")
    zs = sympy.factor(second0.subs(k3, 0))
    d.add(r"Zero third central moment ($k_3=0$, e.g. $X\in\{-2,1,3\}$ w.p. $(0.4,0.5,0.1)$): "
          r"the first order vanishes and the bias is of order $(1-\beta_2)^2J^{-2}$, "
          r"proportional to the fifth cumulant:", zs, r"b_2|_{\varepsilon=0,k_3=0}")
    d.add(r"The neglected terms are $O((1-\beta_2)^3)$: $(b_1+b_2)/(\vartheta-\theta^\ast)"
          r"=1+O(1-\beta_2)$ (confirmed against exact zeros by the claim avf.bias\_order2).")
    d.results.update(first=first, second=second, second_eps0=second0,
                     second_zero_skew_eps0=zs)
    return d


def second_order_formula() -> sympy.Expr:
    """``b_2`` in ``beta1, beta2, eps, J, s2, k3, k4, k5``.

    Examples
    --------
    >>> sorted(s.name for s in second_order_formula().free_symbols)
    ['J', 'beta1', 'beta2', 'eps', 'k3', 'k4', 'k5', 's2']
    """
    return derive_bias_order2().results["second"]


def cumulants(data: Any) -> dict:
    """``{s2, k3, k4, k5}`` of one data point (exact).

    Examples
    --------
    >>> c = cumulants("discrete:-2,1,3@0.4,0.5,0.1")
    >>> [c[x] for x in (s2, k3, k4, k5)]
    [3, 0, -12, 12]
    """
    law = parse_data(data)
    m = [law.central_moment(i) for i in range(6)]
    return {s2: m[2], k3: m[3], k4: sympy.expand(m[4] - 3 * m[2]**2),
            k5: sympy.expand(m[5] - 10 * m[3] * m[2])}


def _ex(name: str, x: Any) -> sympy.Rational:
    if isinstance(x, sympy.Rational):
        return x
    try:
        return sympy.Rational(repr(x) if isinstance(x, float) else str(x).strip())
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {x!r}") from None


def second_order_bias(data: Any, beta1v: Any = sympy.Rational(9, 10),
                      beta2v: Any = sympy.Rational(999, 1000), epsv: Any = 0,
                      batch: int = 1) -> sympy.Expr:
    """``b_2`` for a data law, exact in its inputs (numbers read exactly).

    Examples
    --------
    >>> second_order_bias("discrete:-2,1,3@0.4,0.5,0.1", "0.9", "0.999")
    1/2035982
    >>> second_order_bias("rademacher", "0.9", "0.99")
    0
    """
    c = cumulants(data)
    subs = {beta1: _ex("beta1", beta1v), beta2: _ex("beta2", beta2v), eps: _ex("eps", epsv),
            J: sympy.Integer(batch), **c}
    return sympy.radsimp(second_order_formula().subs(subs))


def order2_fields(data: Any, beta1v: Any, beta2v: Any, epsv: Any, batch: int,
                  digits: int) -> dict:
    """The ``avf bias --order 2`` JSON fields: ``second_order`` (decimal), ``second_order_exact``,
    ``second_order_formula``, ``predicted_zero`` (``theta* + b_1 + b_2``, decimal).

    Decimals carry ``digits`` significant digits, evaluated by sympy with guard digits.

    Examples
    --------
    >>> out = order2_fields("discrete:-2,1,3@0.4,0.5,0.1", "0.9", "0.999", 0, 1, 15)
    >>> out["second_order"], out["predicted_zero"]
    ('4.91163477869647e-7', '4.91163477869647e-7')
    """
    law = parse_data(data)
    b2 = second_order_bias(law, beta1v, beta2v, epsv, batch)
    b1 = first_order_bias(law, beta1v, beta2v, epsv, batch)
    zero = law.mean() + b1 + b2

    def dec(x):
        return str(sympy.Float(sympy.N(x, digits + 10), digits)) if x != 0 else "0"

    return {"second_order": dec(b2), "second_order_exact": str(b2),
            "second_order_formula": str(second_order_formula()), "predicted_zero": dec(zero)}
