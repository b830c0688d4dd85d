"""The RMS step of Adam at a frozen theta: the kernel of the Laplace route and a closed form
(exact, sympy).

Context: arXiv 2407.08100 shows that Adam with learning rates bounded away from zero does not
converge.  The quantitative reason: at a frozen ``theta`` the stationary step of Adam is
``gamma M/(eps + sqrt V)`` (``M = sum a_k G_k``, ``V = sum b_k G_k^2`` over i.i.d.
gradients, as in the Adam vector field), so its RMS size is ``gamma R(theta)`` with

    ``R(theta) = E[(M/(eps + sqrt V))^2]^(1/2) > 0``

unless the gradient noise vanishes; with ``gamma_n >= gamma > 0`` the increments do not tend
to zero and the iterates have no limit.  :mod:`symadam.bounds.rms_mp` computes ``R`` by the
Laplace route; this module derives what that route needs:

* ``1/(eps + sqrt v)^2 = int_0^oo s e^{-(eps + sqrt v) s} ds`` and
  ``e^{-s sqrt v} = int_0^oo s/(2 sqrt(pi)) u^{-3/2} e^{-s^2/(4u)} e^{-uv} du``, hence
  ``1/(eps + sqrt v)^2 = int_0^oo K2(u) e^{-uv} du`` with
  ``K2(u) = (1 + 2 z^2) e^{z^2} erfc(z) - 2 z/sqrt(pi)``, ``z = eps sqrt(u)``;
* for ``G = +-1`` with ``E G = mu``: ``V = 1`` and ``E M^2 = mu^2 + (1 - mu^2)(1-beta1)/(1+beta1)``,
  so ``R = sqrt(mu^2 + (1 - mu^2)(1-beta1)/(1+beta1))/(1 + eps)``; at ``mu = 0`` this is
  ``sqrt((1-beta1)/(1+beta1))/(1 + eps)`` (0.2294 at ``beta1 = 0.9``, ``eps = 0``).

Only sympy is imported (an exact route).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy
from sympy import erf, erfc, exp, pi, sqrt

from ..core.derivation import Derivation
from .step import exact_number

__all__ = ["derive_rms", "kernel2_formula", "pm1_rms_formula", "pm1_rms"]

s_, u_, v_ = sympy.symbols("s u v", positive=True)
eps = sympy.Symbol("eps", positive=True)
beta1 = sympy.Symbol("beta1", positive=True)
mu = sympy.Symbol("mu", real=True)
k = sympy.Symbol("k", nonnegative=True, integer=True)


@lru_cache(maxsize=None)
def derive_rms() -> Derivation:
    """Derive ``K2`` and the closed form of ``R`` for ``+-1`` gradients (sympy).

    Examples
    --------
    >>> derive_rms().results["R_pm1"]
    sqrt(mu**2 + (1 - beta1)*(1 - mu**2)/(beta1 + 1))/(eps + 1)
    """
    d = Derivation("Adam's RMS step at a frozen theta: kernel and closed form")
    i1 = sympy.integrate(s_ * exp(-(eps + sqrt(v_)) * s_), (s_, 0, sympy.oo))
    if sympy.cancel(i1 - 1 / (eps + sqrt(v_))**2) != 0:  # pragma: no cover
        raise ArithmeticError("first integral")
    d.add(r"$\int_0^\infty s\,e^{-(\varepsilon+\sqrt v)s}ds$ evaluates to", i1,
          r"1/(\varepsilon+\sqrt v)^2")
    lev = s_ / (2 * sqrt(pi)) * u_**sympy.Rational(-3, 2) * exp(-s_**2 / (4 * u_))
    i2 = sympy.integrate(lev * exp(-u_ * v_), (u_, 0, sympy.oo))
    if sympy.expand(i2.rewrite(exp) - exp(-s_ * sqrt(v_))) != 0:  # pragma: no cover
        raise ArithmeticError("subordination")
    d.add(r"The one-sided stable law of index $\tfrac12$ writes $e^{-s\sqrt v}$ as a mixture of "
          r"$e^{-uv}$: $\int_0^\infty \frac{s}{2\sqrt\pi}u^{-3/2}e^{-s^2/(4u)}e^{-uv}du$ "
          r"evaluates to", i2.rewrite(exp))
    raw = sympy.integrate(s_**2 * exp(-eps * s_ - s_**2 / (4 * u_)), (s_, 0, sympy.oo))
    raw = raw / (2 * sqrt(pi) * u_**sympy.Rational(3, 2))
    K2 = kernel2_formula()
    diff = sympy.expand(sympy.expand(raw - K2).rewrite(erf))
    if sympy.cancel(diff) != 0:  # pragma: no cover
        raise ArithmeticError("kernel")
    d.add(r"Exchanging the integrals, $1/(\varepsilon+\sqrt v)^2=\int_0^\infty K_2(u)e^{-uv}du$ "
          r"with $K_2(u)=\frac{1}{2\sqrt\pi u^{3/2}}\int_0^\infty s^2e^{-\varepsilon s-s^2/(4u)}"
          r"ds$, i.e. ($z=\varepsilon\sqrt u$; $K_2\equiv1$ at $\varepsilon=0$)", K2, "K_2(u)")
    d.add(r"By independence over $k$ ($c_k=ub_k$, $\phi=Ee^{-cG^2}$, $\psi=E[Ge^{-cG^2}]$, "
          r"$\chi=E[G^2e^{-cG^2}]$): $E[M^2e^{-uV}]=\prod_j\phi_j\,\big(\sum_ka_k^2\chi_k/\phi_k"
          r"+(\sum_ka_k\psi_k/\phi_k)^2-\sum_ka_k^2\psi_k^2/\phi_k^2\big)$, and "
          r"$R^2=\int_0^\infty K_2(u)E[M^2e^{-uV}]du$.")
    geo = sympy.summation((beta1**2)**k, (k, 0, sympy.oo))
    if isinstance(geo, sympy.Piecewise):   # the convergent branch, beta1^2 < 1
        geo = geo.args[0][0]
    a2 = sympy.factor(sympy.cancel((1 - beta1)**2 * geo))
    d.add(r"For $G=\pm1$: $V=\sum_kb_k=1$, $E[G_kG_l]=\mu^2$ ($k\ne l$), so "
          r"$EM^2=\mu^2+(1-\mu^2)\sum_ka_k^2$ with", a2, r"\sum_k a_k^2")
    R = pm1_rms_formula()
    if sympy.cancel(R**2 * (1 + eps)**2 - (mu**2 + (1 - mu**2) * a2)) != 0:  # pragma: no cover
        raise ArithmeticError("pm1")
    d.add(r"and the RMS step over $\gamma$ is", R, "R")
    d.results.update(K2=K2, R_pm1=R, sum_a2=a2)
    return d


def kernel2_formula() -> sympy.Expr:
    """``K2(u) = (1 + 2 z^2) e^{z^2} erfc(z) - 2 z/sqrt(pi)``, ``z = eps sqrt(u)``.

    Examples
    --------
    >>> kernel2_formula().subs(eps, 0)
    1
    """
    z = eps * sqrt(u_)
    return (1 + 2 * z**2) * exp(z**2) * erfc(z) - 2 * z / sqrt(pi)


def pm1_rms_formula() -> sympy.Expr:
    """``R`` for ``G = +-1`` with mean ``mu``, in ``beta1, eps, mu``.

    Examples
    --------
    >>> pm1_rms_formula().subs(mu, 0)
    sqrt(1 - beta1)/(sqrt(beta1 + 1)*(eps + 1))
    """
    return sqrt(mu**2 + (1 - mu**2) * (1 - beta1) / (1 + beta1)) / (1 + eps)


def pm1_rms(b1: Any, epsv: Any, mean: Any = 0) -> sympy.Expr:
    """``R`` for ``+-1`` gradients at given ``beta1, eps`` and ``E G = mean`` (exact).

    Examples
    --------
    >>> pm1_rms("0.9", 0)
    sqrt(19)/19
    """
    v1, e, m = (exact_number(n, x) for n, x in (("beta1", b1), ("eps", epsv), ("mean", mean)))
    if not (0 <= v1 < 1 and e >= 0 and -1 <= m <= 1):
        raise ValueError("need beta1 in [0, 1), eps >= 0 and the mean of G in [-1, 1]")
    return sympy.radsimp(pm1_rms_formula().subs({beta1: v1, eps: e, mu: m}))
