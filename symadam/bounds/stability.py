"""Adam's stability region on quadratics and what lies beyond it (exact, sympy).

Context: arXiv 2509.10476 introduces the stability region of deep-learning optimizers and
shows that Adam does not explode on simple quadratics for any learning rate.  Here, for the
quadratic ``F = lam/2 theta^2`` (one Hessian eigendirection; ``lam`` in ``[mu, L]``), with
``eps > 0`` outside the root and the autonomous limit of the bias corrections:

1. **Local stability of the degenerate fixed point** ``(theta, m, v) = (0, 0, 0)``.  The
   linearization is taken from the rates engine
   (:func:`symadam.rates.adam_linearization.block_char_poly`): the ``(theta, m)`` block is
   heavy ball with step ``h = gamma (1-beta1)/eps`` and momentum ``beta1``,
   ``p(z) = z^2 - (1 + beta1 - h lam) z + beta1``.  The Jury conditions ``p(1) > 0``,
   ``p(-1) > 0``, ``|beta1| < 1`` give stability iff

       ``gamma < gamma_max = 2 eps (1 + beta1)/((1 - beta1) L)``,

   larger than RMSprop's ``2 eps/L`` by ``(1+beta1)/(1-beta1)`` (19 at ``beta1 = 0.9``).  At
   ``gamma = gamma_max`` the root ``-1`` (period two) reaches the unit circle.
2. **Beyond it.**  Adam does not diverge: the map has an exact period-2 orbit
   ``theta = +-A``, ``m = -+(1-beta1) lam A/(1+beta1)``, ``v = lam^2 A^2`` with

       ``A = gamma (1-beta1)/(2(1+beta1)) - eps/lam = (eps/lam)(gamma/gamma_max - 1)``

   (``eps + lam A`` is exactly the denominator that puts the effective step on the
   stability boundary).  Its multipliers are the squares of the roots of the cubic
   ``z^3 - (1 + beta1 + beta2 - 2a(1-beta2)) z^2 + (beta1 + beta2 + beta1 beta2
   + 2a beta1 (1-beta2)) z - beta1 beta2`` with ``a = lam A/(eps + lam A) = 1 -
   gamma_max/gamma``; the Jury conditions reduce to one inequality: the orbit attracts iff

       ``a < a_c = (1-beta1)(1-beta1 beta2)/(2 beta1 (1+beta2))``

   (always for RMSprop, ``beta1 = 0``; for ``gamma`` up to ``gamma_max/(1-a_c)``).  At
   ``a = a_c`` a complex pair leaves the unit circle (Neimark--Sacker): beyond it Adam's
   oscillation is intermittent (bursts), still bounded by the a priori bound
   (:mod:`symadam.bounds.apriori`).

Only sympy is imported (an exact route); the linearization comes from the rates topic.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy

from ..core.derivation import Derivation
from ..rates.adam_linearization import SYMBOLS as RS
from ..rates.adam_linearization import adaptive_map, block_char_poly
from .step import exact_number

__all__ = ["L", "A_SYM", "derive_stability", "derive_two_cycle", "gamma_max_formula",
           "gamma_max", "two_cycle_amplitude", "critical_a"]

L = sympy.Symbol("L", positive=True)
A_SYM = sympy.Symbol("a", positive=True)
gam, b1, b2, eps, lam, z = (RS[k] for k in ("gamma", "beta1", "beta2", "eps", "lam", "z"))


def _jury_quadratic(p: sympy.Expr) -> list[sympy.Expr]:
    """Jury's conditions (each ``> 0``) for a monic quadratic in ``z``."""
    c = sympy.Poly(p, z).all_coeffs()
    return [sympy.expand(p.subs(z, 1)), sympy.expand(p.subs(z, -1)), 1 - c[2]**2]


@lru_cache(maxsize=None)
def derive_stability() -> Derivation:
    """``gamma_max`` from the Jury conditions of the rates engine's heavy-ball block.

    Examples
    --------
    >>> derive_stability().results["gamma_max"]
    2*eps*(beta1 + 1)/(L*(1 - beta1))
    """
    d = Derivation("Adam on quadratics: the stability region of the linearization")
    p = block_char_poly("adam")
    d.add(r"From the rates engine (Adam linearized at $(\theta,m,v)=(0,0,0)$, $g=\lambda\theta$,"
          r" bias corrections $\to1$): the $(\theta,m)$ block's characteristic polynomial",
          sympy.collect(p, z), "p(z)")
    conds = _jury_quadratic(p)
    d.add(r"Jury's conditions for a monic quadratic: $p(1)>0$, $p(-1)>0$, $1-p(0)^2>0$:",
          sympy.Matrix(conds))
    if sympy.cancel(conds[0] - gam * lam * (1 - b1) / eps) != 0:  # pragma: no cover
        raise ArithmeticError("p(1)")
    root = sympy.solve(sympy.Eq(conds[1], 0), gam)
    if len(root) != 1:  # pragma: no cover
        raise ArithmeticError("p(-1) = 0 must have one root in gamma")
    g_lam = sympy.factor(root[0])
    d.add(r"$p(1)=\gamma\lambda(1-\beta_1)/\varepsilon>0$ always and $1-\beta_1^2>0$; "
          r"$p(-1)$ is decreasing in $\gamma$ and vanishes at", g_lam, r"\gamma(\lambda)")
    gmax = 2 * eps * (1 + b1) / ((1 - b1) * L)
    if sympy.cancel(g_lam.subs(lam, L) - gmax) != 0:  # pragma: no cover
        raise ArithmeticError("gamma_max")
    d.add(r"Over the spectrum $\lambda\in[\mu,L]$ the binding eigenvalue is $L$: the fixed "
          r"point is locally stable iff $\gamma<\gamma_{\max}$,", gmax, r"\gamma_{\max}")
    ratio = sympy.cancel(gmax / (2 * eps / L))
    d.add(r"RMSprop's block is $z-(1-\gamma\lambda/\varepsilon)$ (stable iff $\gamma<2\varepsilon"
          r"/L$); Adam's region is larger by", ratio, r"\gamma_{\max}^{\rm Adam}/"
          r"\gamma_{\max}^{\rm RMSprop}")
    pm1 = sympy.factor(p.subs({gam: gmax, lam: L}).subs(z, -1))
    d.add(r"At $\gamma=\gamma_{\max}$, $\lambda=L$: $p(-1)=$", pm1)
    d.results.update(gamma_max=gmax, rmsprop_gamma_max=2 * eps / L, ratio_to_rmsprop=ratio)
    return d


@lru_cache(maxsize=None)
def derive_two_cycle() -> Derivation:
    """The period-2 orbit beyond ``gamma_max``, its multipliers and where it attracts.

    Examples
    --------
    >>> r = derive_two_cycle().results
    >>> r["amplitude"]
    -eps/lambda + gamma*(1 - beta1)/(2*beta1 + 2)
    >>> r["a_c"]
    (1 - beta1)*(-beta1*beta2 + 1)/(2*beta1*(beta2 + 1))
    """
    d = Derivation("Adam beyond its stability region: the period-2 orbit")
    th, m, v = RS["theta"], RS["m"], RS["v"]
    mp_ = adaptive_map("adam")
    upd = [e.subs({RS["c1"]: 1, RS["c2"]: 1}) for e in mp_.on_quadratic()]
    A = sympy.Symbol("A", positive=True)
    mu_ = (1 - b1) * lam * A / (1 + b1)
    start = {th: A, m: -mu_, v: lam**2 * A**2}
    after = [sympy.factor(e.subs(start)) for e in upd]
    if sympy.cancel(after[1] - mu_) != 0 or sympy.cancel(after[2] - lam**2 * A**2) != 0:
        raise ArithmeticError("cycle moments")  # pragma: no cover
    amp = sympy.solve(sympy.Eq(after[0], -A), A)
    amp = [x for x in amp if x.has(gam)]
    if len(amp) != 1:  # pragma: no cover
        raise ArithmeticError("cycle amplitude")
    amplitude = gam * (1 - b1) / (2 * (1 + b1)) - eps / lam
    if sympy.cancel(amp[0] - amplitude) != 0:  # pragma: no cover
        raise ArithmeticError("cycle amplitude form")
    d.add(r"Try $\theta=\pm A$, $m=\mp(1-\beta_1)\lambda A/(1+\beta_1)$, $v=\lambda^2A^2$ in the "
          r"autonomous Adam map: $m$ and $v$ reproduce themselves (with the sign of $m$ "
          r"flipped), and $\theta^+=-A$ holds iff", amplitude, "A")
    gmax = 2 * eps * (1 + b1) / ((1 - b1) * lam)
    if sympy.cancel(amplitude - (eps / lam) * (gam / gmax - 1)) != 0:  # pragma: no cover
        raise ArithmeticError("A vs gamma_max")
    d.add(r"$A=(\varepsilon/\lambda)(\gamma/\gamma_{\max}-1)$: the orbit exists exactly beyond "
          r"the stability threshold, and $\varepsilon+\lambda A=\gamma\lambda(1-\beta_1)/"
          r"(2(1+\beta_1))$ puts the effective heavy-ball step $h\lambda$ at $2(1+\beta_1)$.")
    Jm = sympy.Matrix(upd).jacobian([th, m, v]).subs(start)
    S = sympy.diag(-1, -1, 1)
    D = sympy.Symbol("D", positive=True)
    a = A_SYM
    # write everything with D = eps + lam A and a = lam A/D: gamma = 2(1+beta1) D/((1-beta1) lam)
    sub = {gam: 2 * (1 + b1) * D / ((1 - b1) * lam), eps: D * (1 - a)}
    Ma = (S * Jm).subs(A, a * D / lam).subs(sub).applyfunc(sympy.cancel)
    cub = sympy.expand(sympy.cancel(-(Ma - z * sympy.eye(3)).det()))
    cub = sympy.Poly(cub, z).monic().as_expr()
    target = (z**3 - (1 + b1 + b2 - 2 * a * (1 - b2)) * z**2
              + (b1 + b2 + b1 * b2 + 2 * a * b1 * (1 - b2)) * z - b1 * b2)
    if sympy.expand(cub - target) != 0:  # pragma: no cover
        raise ArithmeticError("cycle cubic")
    d.add(r"The map is odd under $S=\mathrm{diag}(-1,-1,1)$, so the two-step Jacobian is "
          r"$(SJ)^2$ and the orbit's multipliers are the squares of the roots of "
          r"($a=\lambda A/(\varepsilon+\lambda A)=1-\gamma_{\max}/\gamma$)", target, "q(z)")
    _, c2, c1, c0 = sympy.Poly(target, z).all_coeffs()
    q1 = sympy.factor(target.subs(z, 1))
    qm1 = sympy.factor(target.subs(z, -1))
    last = sympy.factor(sympy.expand((1 - c0**2) + (c0 * c2 - c1)))
    last2 = sympy.factor(sympy.expand((1 - c0**2) - (c0 * c2 - c1)))
    d.add(r"Jury for the cubic: $q(1)>0$, $-q(-1)>0$, $|c_0|<1$ and "
          r"$1-c_0^2>|c_1-c_0c_2|$; here $q(1)$ and $q(-1)$ are", sympy.Matrix([q1, qm1]))
    d.add(r"(positive, negative for $0<a<1$), $|c_0|=\beta_1\beta_2<1$, and the last "
          r"condition's two sides are", sympy.Matrix([last, last2]))
    ac = (1 - b1) * (1 - b1 * b2) / (2 * b1 * (1 + b2))
    sol = sympy.solve(sympy.Eq(last, 0), a)
    if len(sol) != 1 or sympy.cancel(sol[0] - ac) != 0:  # pragma: no cover
        raise ArithmeticError("critical a")
    d.add(r"The second is positive for $a>0$; the first vanishes at $a=a_c$: the orbit "
          r"attracts iff $a<a_c$ (for RMSprop, $\beta_1=0$, always), with", ac, "a_c")
    d.add(r"In learning rates: attracting for $\gamma_{\max}<\gamma<\gamma_{\max}/(1-a_c)$ "
          r"($a_c<1$); at $a=a_c$ a complex pair of multipliers leaves the unit circle.")
    d.results.update(amplitude=amplitude, cubic=target, a_c=ac,
                     gamma_attracting_max=gmax / (1 - ac))
    return d


def gamma_max_formula() -> sympy.Expr:
    """``2 eps (1+beta1)/((1-beta1) L)`` in the symbols ``beta1, eps, L``.

    Examples
    --------
    >>> sorted(s.name for s in gamma_max_formula().free_symbols)
    ['L', 'beta1', 'eps']
    """
    return derive_stability().results["gamma_max"]


def _params(beta1: Any, epsv: Any, Lv: Any) -> dict:
    v1, e, l_ = exact_number("beta1", beta1), exact_number("eps", epsv), exact_number("L", Lv)
    if not 0 <= v1 < 1:
        raise ValueError(f"beta1 must be in [0, 1), got {beta1!r}")
    if not e > 0:
        raise ValueError(f"eps must be > 0 (at eps = 0 the fixed point is never linearly "
                         f"stable), got {epsv!r}")
    if not l_ > 0:
        raise ValueError(f"L (largest Hessian eigenvalue) must be > 0, got {Lv!r}")
    return {b1: v1, eps: e, L: l_}


def gamma_max(beta1: Any, epsv: Any, Lv: Any) -> sympy.Rational:
    """``gamma_max`` at given ``beta1, eps, L`` (exact).

    Examples
    --------
    >>> gamma_max("0.9", "1e-8", 1)
    19/50000000
    >>> gamma_max("0.9", "0", 1)
    Traceback (most recent call last):
    ...
    ValueError: eps must be > 0 (at eps = 0 the fixed point is never linearly stable), got '0'
    """
    return gamma_max_formula().subs(_params(beta1, epsv, Lv))


def two_cycle_amplitude(gamma: Any, beta1: Any, epsv: Any, lamv: Any) -> sympy.Rational:
    """``A = (eps/lam)(gamma/gamma_max - 1)``; ``ValueError`` if ``gamma <= gamma_max``.

    Examples
    --------
    >>> two_cycle_amplitude("0.66", "0.5", "0.1", 1)      # gamma_max = 3/5
    1/100
    """
    p = _params(beta1, epsv, lamv)
    g = exact_number("gamma", gamma)
    gm = gamma_max_formula().subs(p)
    if not g > gm:
        raise ValueError(f"gamma must exceed gamma_max = {gm} for the period-2 orbit, got "
                         f"{gamma!r}")
    return derive_two_cycle().results["amplitude"].subs(
        {gam: g, b1: p[b1], eps: p[eps], lam: p[L]})


def critical_a(beta1: Any, beta2: Any) -> sympy.Expr:
    """``a_c(beta1, beta2)`` (``oo`` for ``beta1 = 0``).

    Examples
    --------
    >>> critical_a("0.5", "0.9")
    11/76
    >>> critical_a(0, "0.9")
    oo
    """
    v1, v2 = exact_number("beta1", beta1), exact_number("beta2", beta2)
    if v1 == 0:
        return sympy.oo
    return derive_two_cycle().results["a_c"].subs({b1: v1, b2: v2})
