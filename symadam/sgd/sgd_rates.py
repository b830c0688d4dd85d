"""Predicted rates of (momentum) SGD with steps ``c n^-a`` near Łojasiewicz minima (sympy).

Setting (arXiv 2102.09385: SGD and momentum SGD converge on the event of
staying bounded on Łojasiewicz landscapes; the rates below are *ours*, a
quasi-static (equipartition) heuristic checked by simulation, not a theorem of
the paper).  Stochastic gradient ``grad f(x) + sigma xi``, ``xi`` standard
normal; plain SGD ``x_{n+1} = x_n - gamma_n g_n``; momentum SGD (heavy ball)
``x_{n+1} = x_n - gamma_n g_n + beta (x_n - x_{n-1})``.

* Deterministic part: in the ODE time ``T_n = sum_k gamma_k ~ c n^{1-a}/(1-a)``
  the flow law gives ``f - f* ~ T_n^{-1/(2 theta - 1)}``, i.e. the exponent
  ``(1 - a)/(2 theta - 1)`` in ``n`` (exponential when ``theta = 1/2``).
* Noise floor: with slowly varying steps the iterates follow the Gibbs law
  ``exp(-2 (f - f*)/(gamma sigma^2))`` of the Langevin limit (temperature
  ``T = gamma sigma^2/(2(1 - beta))`` with momentum).  In a direction where
  ``f - f* ~ |z|^q`` this gives ``E[f - f*] = T/q`` (derived below), so
  ``E[f(x_n) - f*] ~ (m/q) sigma^2 c n^{-a}/(2(1 - beta))`` with ``m`` such
  directions (flat directions of a Morse–Bott manifold contribute nothing).
* The slower of the two wins: ``E[f - f*] ~ n^{-min(a, (1-a)/(2 theta-1))}``.
"""
from __future__ import annotations

from typing import Any

import sympy
from sympy import Rational

from ..core.derivation import Derivation

__all__ = ["gibbs_mean", "predicted_exponent", "noise_constant", "derive_sgd_rates"]

_T = sympy.Symbol("T", positive=True)
_Z = sympy.Symbol("z", positive=True)


def gibbs_mean(q: int) -> sympy.Expr:
    """``E[|z|^q]`` under the density ``proportional to exp(-|z|^q/T)`` (exactly ``T/q``).

    Examples
    --------
    >>> gibbs_mean(4), gibbs_mean(2)
    (T/4, T/2)
    """
    w = sympy.exp(-_Z ** q / _T)
    num = sympy.integrate(_Z ** q * w, (_Z, 0, sympy.oo))
    den = sympy.integrate(w, (_Z, 0, sympy.oo))
    return sympy.gammasimp(num / den)


def predicted_exponent(theta: Any, a: Any) -> sympy.Expr:
    """The exponent ``min(a, (1-a)/(2 theta - 1))`` of ``E[f - f*]`` (``a`` at ``theta = 1/2``).

    Examples
    --------
    >>> a = Rational(3, 5)
    >>> predicted_exponent(Rational(3, 4), a), predicted_exponent(Rational(1, 2), a)
    (3/5, 3/5)
    >>> predicted_exponent(Rational(3, 4), Rational(9, 10))
    1/5
    """
    theta, a = sympy.nsimplify(theta), sympy.nsimplify(a)
    if not (Rational(1, 2) < a <= 1):
        raise ValueError(f"a must be in (1/2, 1] (sum gamma = oo, sum gamma^2 < oo), got {a}")
    if theta == Rational(1, 2):
        return a
    return sympy.Min(a, (1 - a) / (2 * theta - 1))


def noise_constant(q: int, m: int, c: Any, sigma: Any, beta: Any = 0) -> sympy.Expr:
    """``lim n^a E[f - f*]`` in the noise-dominated regime: ``m c sigma^2/(2 q (1 - beta))``.

    Examples
    --------
    >>> noise_constant(4, 1, Rational(1, 2), Rational(1, 2))
    1/64
    """
    T = sympy.nsimplify(c) * sympy.nsimplify(sigma) ** 2 / (2 * (1 - sympy.nsimplify(beta)))
    return m * gibbs_mean(q).subs(_T, T)


def derive_sgd_rates() -> Derivation:
    """The derivation of the predicted exponent and noise constant.

    Examples
    --------
    >>> derive_sgd_rates().results["gibbs_mean_q4"]
    T/4
    """
    d = Derivation("SGD and momentum SGD with steps c n^-a near Łojasiewicz minima (our heuristic)")
    d.add(r"Deterministic part: ODE time $T_n=\sum_{k\le n}\gamma_k\sim cn^{1-a}/(1-a)$ and the "
          r"flow law $f-f^\ast=O(T^{-1/(2\theta-1)})$ give the exponent $(1-a)/(2\theta-1)$.")
    d.add(r"Noise floor: the Gibbs law $\propto e^{-(f-f^\ast)/T}$, "
          r"$T=\gamma\sigma^2/(2(1-\beta))$; per direction with $f-f^\ast\sim|z|^q$:",
          gibbs_mean(4), r"E|z|^4\ (q=4)")
    d.add("and for a quadratic (normal) direction", gibbs_mean(2), r"E|z|^2\ (q=2)")
    d.add(r"Hence $E[f(x_n)-f^\ast]\sim n^{-\min(a,(1-a)/(2\theta-1))}$; e.g. $x^4$ "
          r"($\theta=3/4$) with $a=11/20$:", predicted_exponent(Rational(3, 4), Rational(11, 20)),
          r"\text{exponent}")
    d.add(r"noise constant $\lim n^aE[f-f^\ast]$ for $x^4$, $c=1/2$, $\sigma=1/2$, $\beta=0$:",
          noise_constant(4, 1, Rational(1, 2), Rational(1, 2)), r"C")
    d.results.update({"gibbs_mean_q4": gibbs_mean(4), "gibbs_mean_q2": gibbs_mean(2)})
    return d
