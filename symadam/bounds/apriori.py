r"""A uniform a priori bound for Adam, valid for every learning rate (exact constant, sympy).

Context: arXiv 2603.18899 proves uniform a priori bounds for Adam on strongly convex
stochastic problems, 2509.10476 that Adam stays bounded for every learning rate on simple
quadratic problems, 2407.08100 uses pathwise a priori bounds.  The theorem below is ours (a
short, sharp, pathwise version for one coordinate; its constant is derived in
:func:`derive_apriori`), not a statement copied from those papers.

**Theorem.**  Let ``0 <= beta1 < 1``, ``0 < beta2 < 1`` with ``beta1^2 < beta2``,
``r = beta1^2/beta2``, ``eps >= 0``, and learning rates ``0 < gamma_n <= gamma``.  Let
``a <= b`` and let ``theta_n`` be bias-corrected Adam driven by gradients ``g_n`` that obey the
*sign condition*: ``g_n >= 0`` whenever ``theta_{n-1} > b`` and ``g_n <= 0`` whenever
``theta_{n-1} < a``.  Then for every ``n >= 0``

    ``min(theta_0, a - gamma K) <= theta_n <= max(theta_0, b + gamma K)``,
    ``K = C_inf/(1 - sqrt r)``,  ``C_inf = (1-beta1)/sqrt((1-beta2)(1-r))``,

uniformly in ``eps >= 0`` and in the gradient magnitudes.  The bound is sharp: gradient
sequences obeying the sign condition come arbitrarily close to ``b + gamma K``.

*Proof.*  (i) Every step is at most ``gamma C_n <= gamma C_inf``
(:mod:`symadam.bounds.step`).  (ii) Let ``theta_m > b`` for ``tau-1 <= m <= n-1`` with
``theta_{tau-2} <= b`` (or ``tau = 1``).  The gradients ``g_j``, ``tau <= j <= n``, are
``>= 0``, so ``mhat_n >= sum_{j<tau} a_{n,j} g_j =: -P`` and the upward move
``theta_n - theta_{n-1} = -gamma_n mhat_n/(eps + sqrt vhat_n)`` is at most
``gamma max(P, 0)/sqrt(vhat_n)``.  Cauchy--Schwarz over ``j < tau`` gives
``P <= (sum_{j<tau} a_{n,j}^2/b_{n,j})^(1/2) sqrt(vhat_n)`` and
``sum_{j<tau} a_{n,j}^2/b_{n,j} = C_inf^2 (1-beta2^n)(1-r^(tau-1)) r^(n-tau+1)/(1-beta1^n)^2
<= C_inf^2 r^(n-tau+1)``, by ``(1-beta1^n)^2 >= (1-beta2^n)(1-r^n)`` (the gap identity of
the step bound).  So the ``k``-th step of the excursion rises by at most
``gamma C_inf r^(k/2)``.  (iii) If ``tau = 1`` the sum is empty and the iterates do not rise
above ``theta_0``; otherwise ``theta_{tau-1} <= b + gamma C_inf`` and
``theta_n <= b + gamma C_inf (1 + sum_{k>=1} r^(k/2)) = b + gamma K``.  The lower bound is the
mirror image.  Sharpness: while below ``b``, feed the extremal sequence (``|g|`` growing by
``beta2/beta1`` per step) long after the bias corrections have settled, cross ``b`` with a
step of ``gamma C_inf``, then feed ``g = 0``: the rises are ``gamma C_inf r^(k/2)`` in the limit.
[]

**Applications.**  (1) A strictly convex 1-D objective (``F' < 0`` left of ``theta*``, ``> 0``
right of it), deterministic gradients: ``a = b = theta*`` and
``sup_n |theta_n - theta*| <= max(|theta_0 - theta*|, gamma K)``, for *every* learning rate --
gradient descent explodes for ``gamma > 2/L``, heavy ball for ``gamma > 2(1+beta)/L``.
(2) Stochastic quadratics ``E[lambda/2 (theta - X)^2]``, ``lambda > 0`` (even random), data
``X in [a, b]``: the per-sample gradient ``lambda (theta - X)`` obeys the sign condition;
for unbounded data the bound holds pathwise with ``a = min_{k<=N} X_k``, ``b = max_{k<=N} X_k``
up to step ``N``.  (3) Separable problems in ``d`` dimensions (Adam acts coordinatewise):
the bound holds for each coordinate.  Not covered: non-separable quadratics, where a
coordinate's gradient need not have the sign of that coordinate's error.

Only sympy is imported (an exact route).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy
from sympy import sqrt

from ..core.derivation import Derivation
from .step import _betas, _general, beta1, beta2, derive_step_bound, exact_number

__all__ = ["derive_apriori", "apriori_constant_formula", "apriori_constant", "apriori_bound"]


@lru_cache(maxsize=None)
def derive_apriori() -> Derivation:
    """The constant ``K`` of the a priori bound, with the proof's computations checked.

    Results: ``K`` (in ``beta1, beta2``), ``tail_weight`` (the Cauchy--Schwarz weight of the
    gradients before an excursion), ``rise`` (the bound on the ``k``-th rise, over
    ``gamma C_inf``).

    Examples
    --------
    >>> derive_apriori().results["K"]
    beta2*(1 - beta1)/(sqrt((1 - beta2)*(-beta1**2 + beta2))*(-beta1 + sqrt(beta2)))
    """
    st = derive_step_bound().results
    cinf = st["C_inf"]
    n, tau, j, kk = sympy.symbols("n tau j k", positive=True, integer=True)
    r = sympy.Symbol("r", positive=True)
    s = sympy.Symbol("s", positive=True)   # s = sqrt(r) < 1
    d = Derivation("Adam's a priori bound: every learning rate, sharp constant")
    d.add(r"Sign condition: $g_n\ge0$ if $\theta_{n-1}>b$, $g_n\le0$ if $\theta_{n-1}<a$. "
          r"Every step is at most $\gamma C_n\le\gamma C_\infty$ (step bound), with",
          cinf, r"C_\infty")
    tail = _general(sympy.piecewise_fold(sympy.summation(r**(n - j), (j, 1, tau - 1))))
    closed = r**(n - tau + 1) * (1 - r**(tau - 1)) / (1 - r)
    if sympy.cancel(sympy.expand(sympy.powsimp(tail * r**tau - closed * r**tau))) != 0:
        raise ArithmeticError("tail sum")  # pragma: no cover
    pref = (1 - beta1)**2 * (1 - beta2**n) / ((1 - beta1**n)**2 * (1 - beta2))
    weight = pref * closed
    d.add(r"During an excursion above $b$ that began at step $\tau$, $\hat m_n\ge -P$ with "
          r"$P\le(\sum_{j<\tau}a_{n,j}^2/b_{n,j})^{1/2}\sqrt{\hat v_n}$ (Cauchy--Schwarz), and "
          r"the weight is ($r=\beta_1^2/\beta_2$)", weight.subs(r, beta1**2 / beta2),
          r"\sum_{j<\tau}a_{n,j}^2/b_{n,j}")
    d.add(r"Over $C_\infty^2 r^{n-\tau+1}$ this is $(1-\beta_2^n)(1-r^{\tau-1})/(1-\beta_1^n)^2 "
          r"\le (1-\beta_2^n)(1-r^n)/(1-\beta_1^n)^2 \le 1$ by the gap identity "
          r"$(1-\beta_1^n)^2-(1-\beta_2^n)(1-r^n) = (\beta_2^{n/2}-\beta_1^n\beta_2^{-n/2})^2$; so "
          r"the $k$-th rise of an excursion is at most", sympy.Symbol("gamma") * sympy.Symbol(
              "C_inf") * r**(kk / 2), r"\theta_{\tau-1+k}-\theta_{\tau-2+k}")
    geo = sympy.summation(s**kk, (kk, 1, sympy.oo))
    if isinstance(geo, sympy.Piecewise):   # the convergent branch (condition s < 1)
        geo = [e for e, c in geo.args if not e.has(sympy.Sum)][0]
    total = sympy.cancel(1 + geo)
    if sympy.cancel(total - 1 / (1 - s)) != 0:  # pragma: no cover
        raise ArithmeticError("geometric series")
    d.add(r"The crossing step adds at most $\gamma C_\infty$, the excursion "
          r"$\gamma C_\infty\sum_{k\ge1}r^{k/2}$; in units of $\gamma C_\infty$ the total is",
          total.subs(s, sqrt(r)), r"1+\sum_{k\ge1}r^{k/2}")
    K = (1 - beta1) * beta2 / ((sqrt(beta2) - beta1) * sqrt((1 - beta2) * (beta2 - beta1**2)))
    if sympy.cancel(K - cinf * sqrt(beta2) / (sqrt(beta2) - beta1)) != 0:  # pragma: no cover
        raise ArithmeticError("K")
    d.add(r"Hence $\min(\theta_0,a-\gamma K)\le\theta_n\le\max(\theta_0,b+\gamma K)$ for every "
          r"$n$, every $\varepsilon\ge0$ and every learning rate, with", K, "K")
    d.add(r"Sharpness: the extremal build-up below $b$, one crossing step of $\gamma C_\infty$ "
          r"and then $g=0$ give rises $\gamma C_\infty r^{k/2}$ in the limit: no smaller "
          r"constant holds for all sign-respecting gradient sequences.")
    d.results.update(K=K, tail_weight=weight.subs(r, beta1**2 / beta2),
                     rise=r**(kk / 2))
    return d


def apriori_constant_formula() -> sympy.Expr:
    """``K(beta1, beta2) = C_inf/(1 - beta1/sqrt(beta2))``.

    Examples
    --------
    >>> sorted(s.name for s in apriori_constant_formula().free_symbols)
    ['beta1', 'beta2']
    """
    return derive_apriori().results["K"]


def apriori_constant(b1: Any, b2: Any) -> sympy.Expr:
    """``K`` at given ``beta1, beta2`` (exact); ``ValueError`` unless ``beta1^2 < beta2``.

    Examples
    --------
    >>> apriori_constant(0, "0.75")
    2
    >>> print(sympy.N(apriori_constant("0.9", "0.999"), 12))
    73.0318078231
    """
    v1, v2 = _betas(b1, b2)
    if v1**2 >= v2:
        raise ValueError(f"the a priori bound needs beta1**2 < beta2 (got beta1**2 = {v1**2} "
                         f">= beta2 = {v2})")
    return sympy.radsimp(apriori_constant_formula().subs({beta1: v1, beta2: v2}))


def apriori_bound(theta0: Any, gamma: Any, b1: Any, b2: Any, a: Any,
                  b: Any | None = None) -> tuple[sympy.Expr, sympy.Expr]:
    """The interval ``[min(theta0, a - gamma K), max(theta0, b + gamma K)]`` (exact).

    ``b`` defaults to ``a`` (deterministic gradients, ``a = b = theta*``).

    Examples
    --------
    >>> apriori_bound(3, 1, 0, "0.75", 0)
    (-2, 3)
    >>> apriori_bound(0, 0, 0, "0.75", 0)
    Traceback (most recent call last):
    ...
    ValueError: gamma must be > 0, got 0
    """
    g = exact_number("gamma", gamma)
    if not g > 0:
        raise ValueError(f"gamma must be > 0, got {gamma!r}")
    t0, lo = exact_number("theta0", theta0), exact_number("a", a)
    hi = lo if b is None else exact_number("b", b)
    if lo > hi:
        raise ValueError(f"a must be <= b, got a = {a!r}, b = {b!r}")
    K = apriori_constant(b1, b2)
    return sympy.Min(t0, lo - g * K), sympy.Max(t0, hi + g * K)
