"""Exact derivations behind the ``morse.*`` claims (sympy only).

* :func:`split_derivation`: neuron splitting leaves the realization unchanged
  to first order in the splitting direction ``zeta``; the second-order term is
  ``t (1-t) V sigma''(z) (zeta . xt)^2 / 2`` (sympy series), which gives the
  line of critical points and the Hessian block of the split point.
* :func:`zero_output_derivation`: criticality of a neuron with ``v = 0`` and
  the inertia of its Hessian block ``[[0, g], [g, s]]``.
* :func:`tolerance_derivation`: the Kantorovich-Weyl tolerance ``tau = 2 K eta``.
* :func:`local_rate_derivation`: local rates of gradient descent and heavy
  ball at a nondegenerate minimum with condition number ``kappa``.
"""
from __future__ import annotations

import sympy

from ..core.derivation import Derivation

__all__ = ["split_derivation", "split_second_order", "zero_output_derivation",
           "tolerance_derivation", "local_rate_derivation", "gd_local_rate",
           "heavy_ball_local_rate"]


def split_second_order() -> tuple:
    """``(first, second)`` Taylor coefficients in ``eps`` of a split pair along ``zeta``.

    With ``u_1 = u + (1-t) eps zeta``, ``u_2 = u - t eps zeta`` and output
    weights ``t V``, ``(1-t) V``: ``first = 0`` and
    ``second = t (1-t) V sigma''(z) s^2 / 2`` with ``s = zeta . xt``.

    Examples
    --------
    >>> first, second = split_second_order()
    >>> first
    0
    """
    t, V, z, s, eps = sympy.symbols("t V z s epsilon", real=True)
    sig = sympy.Function("sigma")
    pair = t * V * sig(z + (1 - t) * eps * s) + (1 - t) * V * sig(z - t * eps * s)
    ser = sympy.series(pair, eps, 0, 3).removeO()
    first = sympy.factor(sympy.expand(ser.coeff(eps, 1)).doit())
    second = sympy.factor(sympy.expand(ser.coeff(eps, 2)).doit())
    return first, second


def split_derivation() -> Derivation:
    """Neuron splitting: a line of critical points with one zero Hessian eigenvalue.

    Examples
    --------
    >>> split_derivation().results["linear term"]
    0
    """
    first, second = split_second_order()
    der = Derivation("Neuron splitting: lines of critical points (redundant domain)")
    der.add(r"Let $s$ be a critical point of width $m-1$ with residuals $r_i$. Duplicate "
            r"neuron $j$ ($u=(w_j,b_j)$, output weight $V$) as $u_1=u+(1-t)\varepsilon\zeta$, "
            r"$u_2=u-t\varepsilon\zeta$ with output weights $tV$, $(1-t)V$; with "
            r"$s=\zeta\cdot\tilde x$ the pair contributes $V\sigma(z)+\varepsilon a_1+"
            r"\varepsilon^2a_2+O(\varepsilon^3)$ where")
    der.add("the first-order coefficient is", first, "a_1")
    der.add("and the second-order coefficient is", second, "a_2")
    der.add(r"So $L$ does not depend on $t$ at $\zeta=0$ (a line of critical points, one zero "
            r"eigenvalue) and, in the coordinates $(s, V, t, \zeta)$, the Hessian is congruent "
            r"to $\operatorname{diag}\bigl(\nabla^2L_{m-1}(s),\,0,\,t(1-t)V\tfrac2n\sum_i r_i"
            r"\sigma''(z_{ij})\tilde x_i\tilde x_i^{\top}\bigr)$. By Sylvester's law of inertia "
            r"the numbers of zero and negative eigenvalues add up block by block.")
    t, V, d = sympy.symbols("t V d", real=True)
    exceptional = sympy.FiniteSet(*sympy.solve(t * (1 - t), t))
    der.add(r"The coordinate change $(u_1, u_2, v_1, v_2) \mapsto (u, \zeta, V, t)$ has "
            r"Jacobian determinant $\pm V$ for every $t$, so the congruence holds on the whole "
            r"line ($V \ne 0$). With $s$ nondegenerate and $D = \sum_i r_i\sigma''(z_{ij})"
            r"\tilde x_i\tilde x_i^{\top}$ ($(d+1)\times(d+1)$) invertible, the last block "
            r"$t(1-t)V\tfrac2nD$ is singular exactly for $t$ in the zero set of $t(1-t)$:",
            exceptional)
    der.add(r"where it vanishes: there the Hessian has $1 + (d+1)$ zero eigenvalues "
            r"(the other copy has output weight 0), elsewhere exactly one; the negative count "
            r"is that of $\nabla^2L_{m-1}(s)$ plus that of $t(1-t)VD$, whose sign flips at "
            r"$t = 0$ and $t = 1$.", d + 2, r"\#\{\lambda = 0\}\ (t \in \{0,1\})")
    der.results["linear term"] = first
    der.results["quadratic term"] = second
    der.results["exceptional t"] = exceptional
    der.results["zeros at exceptional t"] = d + 2
    return der


def zero_output_derivation() -> Derivation:
    """Zero output weight: critical iff ``g(u) = 0``; ``d`` zeros, one saddle direction.

    Examples
    --------
    >>> zero_output_derivation().results["det of (grad g, v) block"]
    -g**2
    """
    g, s = sympy.symbols("g s", real=True)
    B = sympy.Matrix([[0, g], [g, s]])
    der = Derivation("Zero output weight: when is it critical, and its Hessian")
    der.add(r"Append a neuron $u=(w,b)$ with $v=0$ to a critical point of width $m-1$. "
            r"$\partial L/\partial u$ carries the factor $v$, so it vanishes; "
            r"$\partial L/\partial v=\frac2n g(u)$ with $g(u)=\sum_i r_i\sigma(u\cdot\tilde x_i)$. "
            r"Hence the point is critical iff $g(u)=0$ ($u=0$ always qualifies because "
            r"$\sum_i r_i=\frac n2\,\partial L/\partial c=0$).")
    der.add(r"At $v=0$ the $uu$-block of the Hessian vanishes, the $(s,u)$ block vanishes, "
            r"and the $(u,v)$ block is $\frac2n\nabla g$. Along $\nabla g$ and $v$ the Hessian "
            r"restricts to the following matrix (scaled by $\frac2n$), with negative determinant:",
            B)
    der.add(r"So if $\nabla g(u)\neq0$ and $\nabla^2L_{m-1}(s)$ is invertible the Hessian has "
            r"exactly $d$ zero eigenvalues (tangent to the critical set $\{v=0,\ g(u)=0\}$) and "
            r"one more negative eigenvalue than $\nabla^2L_{m-1}(s)$.")
    der.results["det of (grad g, v) block"] = B.det()
    return der


def tolerance_derivation() -> Derivation:
    """The nondegeneracy tolerance from the gradient residual (Kantorovich + Weyl).

    Examples
    --------
    >>> tolerance_derivation().results["tau"]
    2*K*eta
    """
    K, eta, lam, g = sympy.symbols("K eta lambda g", positive=True)
    h = K * eta / lam
    der = Derivation("Certified nondegeneracy of a numerical critical point")
    der.add(r"At $\hat\theta$ let $g=\nabla L(\hat\theta)$, $H=\nabla^2L(\hat\theta)$ with "
            r"smallest $|\text{eigenvalue}|$ $\lambda$, $\eta=\|H^{-1}g\|$, and $K$ a bound on "
            r"$\|D^3L\|$ on the ball of radius $2\eta$ (from $\sup|\sigma^{(k)}|$, $k\le3$).")
    der.add(r"Newton-Kantorovich for $F=\nabla L$: if $h\le\frac12$ there is $\theta^*$ with "
            r"$\nabla L(\theta^*)=0$ and $\|\theta^*-\hat\theta\|\le r^*=(1-\sqrt{1-2h})\lambda/K"
            r"\le2\eta$, where", h, "h")
    der.add(r"Weyl: each eigenvalue of $\nabla^2L(\theta^*)$ is within $Kr^*<\lambda$ of the "
            r"corresponding eigenvalue of $H$, so $\theta^*$ is nondegenerate with the same index. "
            r"The test $h\le\frac12$ reads $\lambda\ge\tau$ with", 2 * K * eta, r"\tau")
    der.add(r"Since $\eta\le\|g\|/\lambda$, $\lambda\ge\sqrt{2K\|g\|}$ suffices.")
    der.results["tau"] = 2 * K * eta
    return der


def gd_local_rate(kappa=None) -> sympy.Expr:
    """Local rate of gradient descent with step ``2/(L + mu)``: ``(kappa-1)/(kappa+1)``.

    Examples
    --------
    >>> gd_local_rate(sympy.Integer(3))
    1/2
    """
    k = sympy.Symbol("kappa", positive=True) if kappa is None else kappa
    L, mu = sympy.symbols("L mu", positive=True)
    h = 2 / (L + mu)
    # |1 - h mu| = |1 - h L| at this step; the common value is the rate
    rate = sympy.factor(sympy.cancel((1 - h * mu).subs(L, k * mu)))
    return rate


def heavy_ball_local_rate(kappa=None) -> sympy.Expr:
    """Local rate of heavy ball with Polyak's tuning: ``(sqrt(kappa)-1)/(sqrt(kappa)+1)``.

    Examples
    --------
    >>> heavy_ball_local_rate(sympy.Integer(9))
    1/2
    """
    k = sympy.Symbol("kappa", positive=True) if kappa is None else kappa
    return (sympy.sqrt(k) - 1) / (sympy.sqrt(k) + 1)


def local_rate_derivation() -> Derivation:
    """Local rates at a nondegenerate minimum with Hessian spectrum in ``[mu, L]``.

    Examples
    --------
    >>> sorted(local_rate_derivation().results)
    ['gd', 'heavy_ball']
    """
    lam, h, beta, z = sympy.symbols("lambda h beta z")
    der = Derivation("Local rates at an efficient (nondegenerate) minimum")
    der.add(r"Near a minimum $\theta^*$ with $\nabla^2L(\theta^*)$ having spectrum in "
            r"$[\mu,L]$, $\kappa=L/\mu$, the iterations linearize; gradient descent with "
            r"$h=2/(L+\mu)$ multiplies the eigencomponent $\lambda$ by $1-h\lambda$, "
            r"so its rate is", gd_local_rate(), r"\rho_{GD}")
    der.add(r"Heavy ball $\theta_{k+1}=\theta_k-h\nabla L(\theta_k)+\beta(\theta_k-\theta_{k-1})$ "
            r"has per-eigenvalue characteristic polynomial",
            z ** 2 - (1 + beta - h * lam) * z + beta)
    der.add(r"with $h=4/(\sqrt L+\sqrt\mu)^2$, $\beta=\rho^2$ both roots have modulus "
            r"$\sqrt\beta$ for every $\lambda\in[\mu,L]$, so the rate is",
            heavy_ball_local_rate(), r"\rho_{HB}")
    der.results["gd"] = gd_local_rate()
    der.results["heavy_ball"] = heavy_ball_local_rate()
    return der
