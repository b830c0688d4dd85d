"""Invariant laws of constant-step SGD on quadratic problems, exactly (sympy; arXiv 2406.14340).

Conventions (stated once)
-------------------------
*Additive noise.* Per-sample loss ``(theta - X)^2/2`` with ``E X = theta*``,
``Var X = sigma^2``; objective ``F(theta) = E[(theta - X)^2]/2``; mini-batch of
``J`` i.i.d. samples, gradient ``theta - Xbar``.  SGD with constant step
``gamma``: ``e_{n+1} = (1 - gamma) e_n + gamma xi_n`` for ``e = theta - theta*``,
``Var xi = sigma^2/J``.  In ``d`` dimensions the loss is
``(theta - X)^T H (theta - X)/2`` and the gradient noise has covariance ``S/J``:
``e_{n+1} = (I - gamma H) e_n + gamma xi_n``.

*Multiplicative noise* (linear regression with random inputs): per-sample loss
``(a theta - y)^2/2`` with ``a ~ N(0, 1)``, ``y = a theta* + eps``,
``eps ~ N(0, sigma^2)`` independent of ``a`` (``regression:normal`` uses
``sigma = 1``).  With a batch of ``J``: ``e_{n+1} = (1 - gamma S_n) e_n + B_n``,
``S_n = mean of a_j^2 ~ chi^2_J/J``, ``B_n = gamma mean(a_j eps_j)``.

Results (derived below)
-----------------------
* Additive: stationary mean ``theta*``, ``Var = gamma sigma^2/(J (2 - gamma))``
  for ``0 < gamma < 2``, excess risk ``E F - F* = gamma sigma^2/(2 J (2 - gamma))``
  (the issue's formula, confirmed under this convention); in ``d`` dimensions the
  covariance solves the discrete Lyapunov equation
  ``Sigma = (I - gamma H) Sigma (I - gamma H)^T + gamma^2 S/J``, excess ``tr(H Sigma)/2``.
* Regression: ``E e^2 = gamma sigma^2/(2J - gamma (J + 2))``, finite iff
  ``gamma < 2J/(J + 2)`` (``2/3`` at ``J = 1``: ``2 E[a^2]/E[a^4]``); the stationary
  law has a power tail of index ``kappa`` solving ``E|1 - gamma S|^kappa = 1``
  (Kesten–Goldie), with the closed form of :func:`kesten_moment`.

Only sympy is imported here.
"""
from __future__ import annotations

from typing import Any

import sympy
from sympy import Rational

from ..core.derivation import Derivation

__all__ = ["GAMMA", "SIGMA", "J", "KAPPA", "scalar_invariant", "lyapunov", "sgd_covariance",
           "regression_second_moment", "variance_threshold", "kesten_moment", "trial_excess",
           "derive_invariant", "derive_kesten"]

GAMMA = sympy.Symbol("gamma", positive=True)
SIGMA = sympy.Symbol("sigma", positive=True)
J = sympy.Symbol("J", positive=True, integer=True)
KAPPA = sympy.Symbol("kappa", positive=True)


def scalar_invariant() -> dict:
    """Stationary mean, variance and excess risk of 1-D constant-step SGD (additive noise).

    Derived by solving the first- and second-moment recursions at their fixed points.

    Examples
    --------
    >>> r = scalar_invariant()
    >>> r["variance"], r["excess_risk"]
    (gamma*sigma**2/(J*(2 - gamma)), gamma*sigma**2/(2*J*(2 - gamma)))
    """
    m, v = sympy.symbols("m v")
    mean = sympy.solve(sympy.Eq(m, (1 - GAMMA) * m), m)[0]
    var = sympy.solve(sympy.Eq(v, (1 - GAMMA) ** 2 * v + GAMMA ** 2 * SIGMA ** 2 / J), v)[0]
    var = sympy.factor(var)
    var = GAMMA * SIGMA ** 2 / (J * (2 - GAMMA)) if sympy.cancel(
        var - GAMMA * SIGMA ** 2 / (J * (2 - GAMMA))) == 0 else var
    return {"mean_error": mean, "variance": var, "excess_risk": var / 2,
            "stable_below": Rational(2)}


def lyapunov(A: sympy.Matrix, Q: sympy.Matrix) -> sympy.Matrix:
    """The exact solution ``Sigma`` of ``Sigma = A Sigma A^T + Q`` (vectorised linear system).

    Examples
    --------
    >>> lyapunov(sympy.Matrix([[Rational(1, 2)]]), sympy.Matrix([[3]]))
    Matrix([[4]])
    """
    A, Q = sympy.Matrix(A), sympy.Matrix(Q)
    n = A.shape[0]
    syms = sympy.symbols(f"sig0:{n * n}")
    S = sympy.Matrix(n, n, syms)
    eqs = list(S - A * S * A.T - Q)
    sol = sympy.solve(eqs, syms, dict=True)
    if len(sol) != 1:
        raise ValueError("the Lyapunov equation has no unique solution (spectral radius >= 1?)")
    return S.subs(sol[0]).applyfunc(sympy.cancel)


def sgd_covariance(H: Any, S: Any, gamma: Any, batch: Any = 1) -> dict:
    """Stationary covariance and excess risk of constant-step SGD (loss ``e^T H e/2``).

    Examples
    --------
    >>> r = sgd_covariance([[2, 1], [1, 3]], [[1, 0], [0, 2]], Rational(1, 10))
    >>> r["excess_risk"]
    53/610
    """
    H, S = sympy.Matrix(H), sympy.Matrix(S)
    n = H.shape[0]
    A = sympy.eye(n) - gamma * H
    Sig = lyapunov(A, gamma ** 2 * S / batch)
    return {"covariance": Sig, "excess_risk": sympy.cancel((H * Sig).trace() / 2), "A": A}


def regression_second_moment() -> dict:
    """``E e^2`` at stationarity for regression with random inputs, and its finiteness threshold.

    ``E S = 1``, ``E S^2 = 1 + 2/J`` for ``S = chi^2_J/J``; ``E[A B] = 0``.

    Examples
    --------
    >>> r = regression_second_moment()
    >>> r["second_moment"], r["threshold"]
    (-gamma*sigma**2/(J*gamma - 2*J + 2*gamma), 2*J/(J + 2))
    """
    v = sympy.Symbol("v")
    ES, ES2 = 1, 1 + Rational(2) / J
    EA2 = sympy.expand(1 - 2 * GAMMA * ES + GAMMA ** 2 * ES2)
    sol = sympy.solve(sympy.Eq(v, EA2 * v + GAMMA ** 2 * SIGMA ** 2 / J), v)[0]
    sol = sympy.cancel(sol)
    thr = sympy.solve(sympy.Eq(EA2, 1), GAMMA)
    thr = [t for t in thr if t != 0][0]
    return {"second_moment": sol, "excess_risk": sol / 2, "threshold": sympy.factor(thr),
            "E_A2": EA2}


def variance_threshold(batch: int = 1) -> sympy.Rational:
    """``2J/(J + 2)``: the largest step with a finite stationary variance (regression noise).

    Examples
    --------
    >>> variance_threshold(1), variance_threshold(4)
    (2/3, 4/3)
    """
    return Rational(2 * batch, batch + 2)


def kesten_moment(gamma: Any, batch: int = 1, drop_upper: bool = False) -> sympy.Expr:
    """Closed form of ``E|1 - gamma S|^kappa`` for ``S ~ chi^2_J/J``, as an expression in ``kappa``.

    With ``b = 1/gamma`` and the density ``c_J s^{J/2-1} e^{-J s/2}`` of ``S``
    (``c_J = (J/2)^{J/2}/Gamma(J/2)``), Kummer's and Tricomi's integral
    representations give

    ``c_J b^{J/2} [B(J/2, kappa+1) 1F1(J/2; kappa+1+J/2; -J b/2)``
    ``+ e^{-J b/2} Gamma(kappa+1) U(kappa+1, kappa+1+J/2, J b/2)]``,

    the first term from ``S < 1/gamma``, the second from ``S > 1/gamma``;
    ``U(a, c, z) = G^{2,1}_{1,2}(z | 1-a; 0, 1-c)/(Gamma(a) Gamma(a-c+1))`` is
    written as a Meijer G-function for odd ``J``; for even ``J`` the integral
    ``int_0^oo v^kappa (1+v)^{J/2-1} e^{-z v} dv`` is a finite sum of
    ``Gamma(kappa+m+1) z^{-(kappa+m+1)}``.  ``drop_upper`` omits the second term (a
    named wrong answer for the sabotage of the claim).

    Examples
    --------
    >>> e = kesten_moment(Rational(1, 2))
    >>> [sympy.N(e.subs(KAPPA, k), 20) for k in (1, 2)]        # E|1 - a^2/2|, E(1 - a^2/2)^2
    [0.75780829037030957268, 0.75000000000000000000]
    """
    g = sympy.nsimplify(gamma)
    Jb = Rational(batch)
    b = 1 / g
    cJ = (Jb / 2) ** (Jb / 2) / sympy.gamma(Jb / 2)
    lower = cJ * b ** (Jb / 2) * sympy.beta(Jb / 2, KAPPA + 1) * sympy.hyper(
        [Jb / 2], [KAPPA + 1 + Jb / 2], -Jb * b / 2)
    if drop_upper:
        return lower
    z = Jb * b / 2
    if batch % 2 == 0:
        # (1 + v)^{J/2 - 1} is a polynomial: a finite sum of Gamma functions
        U_int = sum(sympy.binomial(batch // 2 - 1, m) * sympy.gamma(KAPPA + m + 1)
                    * z ** (-(KAPPA + m + 1)) for m in range(batch // 2))
    else:
        a_, c_ = KAPPA + 1, KAPPA + 1 + Jb / 2
        U_int = sympy.gamma(KAPPA + 1) * sympy.meijerg(
            [[1 - a_], []], [[0, 1 - c_], []], z) / (sympy.gamma(a_) * sympy.gamma(a_ - c_ + 1))
    upper = cJ * b ** (Jb / 2) * sympy.exp(-z) * U_int
    return lower + upper


def trial_excess(v0: Any, g: Any, steps: Any, sigma2: Any = 1, batch: Any = 1) -> sympy.Expr:
    """Expected excess risk after ``steps`` SGD steps at rate ``g`` from ``E e_0^2 = v0``.

    ``E e_T^2 = (1-g)^{2T} v0 + (1 - (1-g)^{2T}) g sigma^2/(J (2-g))``, excess half of it
    (additive noise; the trial phase of the learning-rate-adaptive rule).

    Examples
    --------
    >>> trial_excess(Rational(1, 3), Rational(1, 4), 2)
    13/128
    """
    q = (1 - sympy.nsimplify(g)) ** (2 * steps)
    stat = sympy.nsimplify(g) * sigma2 / (batch * (2 - sympy.nsimplify(g)))
    return sympy.nsimplify(q * v0 + (1 - q) * stat) / 2


def derive_invariant() -> Derivation:
    """Derivation of the stationary moments (scalar, matrix, regression).

    Examples
    --------
    >>> derive_invariant().results["excess_risk"]
    gamma*sigma**2/(2*J*(2 - gamma))
    """
    d = Derivation("Invariant laws of constant-step SGD on quadratic problems")
    r = scalar_invariant()
    d.add(r"Additive noise: $e_{n+1}=(1-\gamma)e_n+\gamma\xi_n$, $\mathrm{Var}\,\xi=\sigma^2/J$; "
          r"the mean recursion's fixed point is $0$ (for $0<\gamma<2$) and "
          r"$v=(1-\gamma)^2v+\gamma^2\sigma^2/J$ gives", r["variance"],
          r"\mathrm{Var}\,\theta_\infty")
    d.add(r"Excess risk $E F(\theta_\infty)-F^\ast=\frac12 E e_\infty^2$:", r["excess_risk"],
          r"E F-F^\ast")
    H = sympy.Matrix([[2, 1], [1, 3]])
    S = sympy.Matrix([[1, 0], [0, 2]])
    A = sympy.eye(2) - GAMMA * H
    Sig = lyapunov(A, GAMMA ** 2 * S / J)
    d.add(r"Several dimensions: $\Sigma=(I-\gamma H)\Sigma(I-\gamma H)^\top+\gamma^2S/J$; for "
          r"$H=\begin{pmatrix}2&1\\1&3\end{pmatrix}$, $S=\mathrm{diag}(1,2)$ (non-commuting):",
          sympy.factor(Sig[0, 0]), r"\Sigma_{11}")
    d.add(r"Commuting case $S=\sigma^2 I$: $\Sigma=\gamma\sigma^2(2H-\gamma H^2)^{-1}/J$, "
          r"excess $\sum_i\gamma\sigma^2/(2J(2-\gamma\lambda_i))$.")
    rr = regression_second_moment()
    d.add(r"Regression with $a\sim N(0,1)$: $E S=1$, $E S^2=1+2/J$, so "
          r"$E(1-\gamma S)^2$ equals", rr["E_A2"], r"E A^2")
    d.add(r"and $E e_\infty^2=E A^2\,E e_\infty^2+\gamma^2\sigma^2/J$ gives", rr["second_moment"],
          r"E e_\infty^2")
    d.add(r"finite iff $E A^2<1$, i.e. below", rr["threshold"], r"\gamma_{\max}")
    d.results.update({"variance": r["variance"], "excess_risk": r["excess_risk"],
                      "regression_second_moment": rr["second_moment"],
                      "threshold": rr["threshold"]})
    return d


def derive_kesten() -> Derivation:
    """Derivation of the closed form of ``E|1 - gamma S|^kappa`` and the threshold ``kappa = 2``.

    Examples
    --------
    >>> d = derive_kesten()
    >>> d.results["E_A2_at_threshold"]
    1
    """
    d = Derivation("Kesten tail index of SGD for linear regression with random inputs")
    d.add(r"Stationary $e=A e+B$, $A=1-\gamma S$, $S\sim\chi^2_J/J$, $B$ symmetric, "
          r"$A$ with a density: by Kesten–Goldie, if $E\log|A|<0$ then "
          r"$P(|e|>x)\sim Cx^{-\kappa}$ with $\kappa>0$ solving $E|A|^\kappa=1$.")
    d.add(r"Split at $S=1/\gamma$; substitute $s=bu$ below and $s=b(1+v)$ above "
          r"($b=1/\gamma$); Kummer's and Tricomi's integrals give, at $\gamma=1/2$, $J=1$:",
          kesten_moment(Rational(1, 2)), r"E|1-\gamma S|^\kappa")
    e2 = sympy.expand(1 - 2 * GAMMA + GAMMA ** 2 * (1 + Rational(2, 1)))
    d.add(r"At $\kappa=2$ the moment is $1-2\gamma+3\gamma^2$ ($J=1$): equal to 1 exactly at "
          r"$\gamma=2/3$, so $\kappa>2$ (finite variance) iff $\gamma<2/3$.", e2, r"E A^2")
    d.results.update({"E_A2_at_threshold": e2.subs(GAMMA, Rational(2, 3)),
                      "threshold": Rational(2, 3)})
    return d
