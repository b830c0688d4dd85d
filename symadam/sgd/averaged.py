"""Averaged Adam (arXiv 2501.06081): the linearised stochastic system, its covariance (sympy).

Convention (ours, stated once).  Near the zero ``vartheta`` of the Adam vector
field (:mod:`symadam.avf`), with a small constant learning rate ``gamma``, the
second-moment estimate ``v`` is slow and close to ``vbar = E[G(vartheta)^2]``;
freezing it gives the preconditioner ``P = 1/(eps + sqrt(vbar))`` and bias
corrections tend to 1.  The fluctuation ``e = theta - E theta`` and the momentum
then follow the *linear* stochastic system (gradient ``h e + xi``, curvature
``h``, noise variance ``q``; ``beta1`` is the papers' alpha)::

    m_n = beta1 m_{n-1} + (1 - beta1)(h e_{n-1} + xi_n)
    e_n = e_{n-1} - gamma P m_n
    a_n = delta a_{n-1} + (1 - delta) e_n        (geometric average, decay delta)

``z_n = A z_{n-1} + B xi_n``; the stationary covariance solves the discrete
Lyapunov equation ``Sigma = A Sigma A^T + q B B^T``.  The group's code
(``deeplearningmethods/averaged-adam``) uses geometric averages with decays
0.99 and 0.999 (``a_0 = theta_0``) and arithmetic averages from a start index.
For the arithmetic average of ``N`` consecutive iterates,
``Var ~ S/N`` with the long-run variance ``S = [(I - A)^{-1} B]_e^2 q``, which
equals ``q/h^2`` whatever ``gamma``, ``P`` and ``beta1``: averaging removes the
``gamma^{1/2}`` spread (``Var e ~ gamma P q/(2h)``) but not the mean, which
stays at ``vartheta + O(gamma)``, biased away from the minimizer ``theta*``.
"""
from __future__ import annotations

from typing import Any

import sympy
from sympy import Rational

from ..core.derivation import Derivation
from .invariant import lyapunov

__all__ = ["GAMMA", "P", "H", "Q", "BETA1", "DELTA", "linear_system", "stationary_covariance",
           "long_run_variance", "variance_factors", "derive_averaged"]

GAMMA, P, H, Q = sympy.symbols("gamma P h q", positive=True)
BETA1, DELTA = sympy.symbols("beta1 delta", positive=True)


def linear_system(gamma: Any = GAMMA, p: Any = P, h: Any = H, beta1: Any = BETA1,
                  delta: Any = None) -> tuple[sympy.Matrix, sympy.Matrix]:
    """``(A, B)`` of the linearised Adam system on ``(e, m)``, or on ``(e, m, a)`` (EMA ``delta``).

    Examples
    --------
    >>> A, B = linear_system()
    >>> A
    Matrix([
    [-P*gamma*h*(1 - beta1) + 1, -P*beta1*gamma],
    [             h*(1 - beta1),          beta1]])
    >>> B.T
    Matrix([[-P*gamma*(1 - beta1), 1 - beta1]])
    """
    c = gamma * p * (1 - beta1)
    A = sympy.Matrix([[1 - c * h, -gamma * p * beta1], [(1 - beta1) * h, beta1]])
    B = sympy.Matrix([-c, 1 - beta1])
    if delta is None:
        return A, B
    A3 = sympy.zeros(3, 3)
    A3[:2, :2] = A
    A3[2, 0] = (1 - delta) * A[0, 0]
    A3[2, 1] = (1 - delta) * A[0, 1]
    A3[2, 2] = delta
    B3 = sympy.Matrix([B[0], B[1], (1 - delta) * B[0]])
    return A3, B3


def stationary_covariance(gamma: Any, p: Any, h: Any, beta1: Any, q: Any,
                          delta: Any = None) -> sympy.Matrix:
    """Exact stationary covariance of the linear system (``Sigma = A Sigma A^T + q B B^T``).

    Examples
    --------
    >>> S = stationary_covariance(Rational(1, 10), 1, 1, Rational(9, 10), 1)
    >>> S[0, 0]
    19/379
    """
    A, B = linear_system(gamma, p, h, beta1, delta)
    return lyapunov(A, q * B * B.T)


def long_run_variance(gamma: Any = GAMMA, p: Any = P, h: Any = H, beta1: Any = BETA1,
                      q: Any = Q) -> sympy.Expr:
    """``[(I - A)^{-1} B]_e^2 q`` for the ``(e, m)`` system: ``q/h^2`` (Polyak–Ruppert).

    Examples
    --------
    >>> long_run_variance()
    q/h**2
    """
    A, B = linear_system(gamma, p, h, beta1)
    x = (sympy.eye(2) - A).LUsolve(B)
    return sympy.factor(sympy.cancel(x[0] ** 2 * q))


def variance_factors(gamma: Any, p: Any, h: Any, beta1: Any, q: Any,
                     decays: tuple = (Rational(99, 100), Rational(999, 1000))) -> dict:
    """Stationary variances of the iterate and of EMAs (given decays); the long-run variance.

    Examples
    --------
    >>> r = variance_factors(Rational(1, 10), 1, 1, Rational(9, 10), 1, decays=(Rational(1, 2),))
    >>> r["var_iterate"], r["long_run"]
    (19/379, 1)
    """
    out = {"var_iterate": stationary_covariance(gamma, p, h, beta1, q)[0, 0],
           "long_run": long_run_variance(gamma, p, h, beta1, q)}
    for dlt in decays:
        out[f"var_ema_{dlt}"] = stationary_covariance(gamma, p, h, beta1, q, dlt)[2, 2]
    return out


def derive_averaged() -> Derivation:
    """The stationary covariance, its small-``gamma`` form and the long-run variance.

    Examples
    --------
    >>> derive_averaged().results["long_run"]
    q/h**2
    """
    d = Derivation("Averaged Adam: the linearised stochastic system near the Adam field's zero")
    A, B = linear_system()
    d.add(r"Frozen $v=\bar v$, $P=1/(\varepsilon+\sqrt{\bar v})$: $z_n=Az_{n-1}+B\xi_n$ on "
          r"$(e,m)$ with", A, "A")
    d.add("and", B, "B")
    S = lyapunov(A, Q * B * B.T)
    var = sympy.factor(S[0, 0])
    d.add(r"The discrete Lyapunov equation $\Sigma=A\Sigma A^\top+qBB^\top$ gives", var,
          r"\mathrm{Var}\,e")
    lead = sympy.cancel(sympy.limit(var / GAMMA, GAMMA, 0))
    d.add(r"so the spread is of order $\gamma^{1/2}$:", lead,
          r"\lim_{\gamma\to0}\mathrm{Var}\,e/\gamma")
    lr = long_run_variance()
    d.add(r"Arithmetic average of $N$ iterates: $\mathrm{Var}\approx S/N$ with "
          r"$S=[(I-A)^{-1}B]_e^2q$, independent of $\gamma$, $P$, $\beta_1$:", lr, "S")
    d.add(r"Geometric average (decay $\delta$): augment the state by $a_n=\delta a_{n-1}+"
          r"(1-\delta)e_n$ and solve the $3\times3$ Lyapunov equation (numbers in the claim).")
    d.add(r"Averaging acts on fluctuations only: every average has mean $E\theta$, which for "
          r"Adam is the zero $\vartheta$ of the Adam vector field up to $O(\gamma)$, not "
          r"$\theta^\ast$.")
    d.results.update({"var_iterate": var, "leading": lead, "long_run": lr})
    return d
