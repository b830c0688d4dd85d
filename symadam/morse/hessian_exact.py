"""Exact symbolic Hessians of the empirical risk of tiny shallow networks (sympy only).

Network ``N(x) = c + sum_{j<=m} v_j sigma(w_j . x + b_j)`` with the flat layout
``theta = (w (m x d, row-major), b, v, c)`` of :class:`symadam.Network`;
empirical risk ``L = (1/n) sum_i (N(x_i) - y_i)^2``.  Everything is exact
sympy: ``sigma`` is ``tanh``, the logistic ``1/(1 + e^{-z})``, softplus
``log(1 + e^z)`` or GELU ``z (1 + erf(z/sqrt 2))/2``.  Meant for width <= 2
and a few data points (the expressions grow quickly).

Gauss-Newton structure: ``Hess L = (2/n) (J^T J + sum_i r_i Hess N(x_i))``;
at a zero-loss point (``y_i = N(x_i)``) the residual term vanishes and
``Hess L = (2/n) J^T J`` has rank ``<= n``: ``P - n`` zero eigenvalues, and
the others are the eigenvalues of the ``n x n`` Gram matrix ``(2/n) J J^T``
(closed form for ``n <= 2``: ``2 |J_1|^2`` and ``tr/2 +- sqrt(tr^2/4 - det)``).
"""
from __future__ import annotations

import functools

import sympy

from ..core.derivation import Derivation

__all__ = ["sigma", "parameter_symbols", "realization", "risk", "risk_hessian", "point_hessian",
           "zero_loss_targets", "gauss_newton", "gram_eigenvalues", "hessian_derivation",
           "gauss_newton_derivation",
           "SYMBOLIC_ACTIVATIONS"]

SYMBOLIC_ACTIVATIONS = ("tanh", "logistic", "softplus", "gelu")


def sigma(activation: str, z: sympy.Expr) -> sympy.Expr:
    """The activation as an exact sympy expression.

    Examples
    --------
    >>> z = sympy.Symbol("z")
    >>> sigma("logistic", z)
    1/(1 + exp(-z))
    >>> sigma("relu", z)
    Traceback (most recent call last):
    ...
    ValueError: activation must be one of tanh, logistic, softplus, gelu (analytic); got 'relu'
    """
    if activation == "tanh":
        return sympy.tanh(z)
    if activation == "logistic":
        return 1 / (1 + sympy.exp(-z))
    if activation == "softplus":
        return sympy.log(1 + sympy.exp(z))
    if activation == "gelu":
        return z * (1 + sympy.erf(z / sympy.sqrt(2))) / 2
    raise ValueError(f"activation must be one of {', '.join(SYMBOLIC_ACTIVATIONS)} (analytic); "
                     f"got {activation!r}")


def parameter_symbols(m: int, d: int = 1) -> list[sympy.Symbol]:
    """Real symbols in the flat layout ``(w_jk, b_j, v_j, c)``.

    Examples
    --------
    >>> parameter_symbols(2)
    [w_1_1, w_2_1, b_1, b_2, v_1, v_2, c]
    """
    if m < 1 or d < 1:
        raise ValueError(f"width and d must be >= 1, got m={m!r}, d={d!r}")
    w = [sympy.Symbol(f"w_{j}_{k}", real=True) for j in range(1, m + 1) for k in range(1, d + 1)]
    b = [sympy.Symbol(f"b_{j}", real=True) for j in range(1, m + 1)]
    v = [sympy.Symbol(f"v_{j}", real=True) for j in range(1, m + 1)]
    return w + b + v + [sympy.Symbol("c", real=True)]


def realization(theta, x, m: int, d: int, activation: str) -> sympy.Expr:
    """``N_theta(x)`` for symbols/numbers ``theta`` (flat) and a point ``x`` (length d).

    Examples
    --------
    >>> th = parameter_symbols(1)
    >>> realization(th, [sympy.Integer(0)], 1, 1, "tanh")
    c + v_1*tanh(b_1)
    """
    x = list(x)
    out = theta[-1]
    for j in range(m):
        z = sum(theta[j * d + k] * x[k] for k in range(d)) + theta[m * d + j]
        out += theta[m * d + m + j] * sigma(activation, z)
    return out


def risk(theta, xs, ys, m: int, d: int, activation: str) -> sympy.Expr:
    """``(1/n) sum_i (N(x_i) - y_i)^2`` with exact ``1/n``.

    Examples
    --------
    >>> th = parameter_symbols(1)
    >>> risk(th, [[0]], [1], 1, 1, "tanh")
    (c + v_1*tanh(b_1) - 1)**2
    """
    n = len(xs)
    if n < 1 or len(ys) != n:
        raise ValueError(f"xs and ys must have the same length >= 1, got {len(xs)}, {len(ys)}")
    return sympy.Rational(1, n) * sum(
        (realization(theta, xi, m, d, activation) - yi) ** 2 for xi, yi in zip(xs, ys))


def risk_hessian(m: int, d: int, xs, ys, activation: str) -> tuple:
    """``(theta, L, H)``: symbols, the risk and its exact Hessian (a sympy Matrix).

    Examples
    --------
    >>> th, L, H = risk_hessian(1, 1, [[0], [1]], [0, 1], "tanh")
    >>> H.shape, H == H.T
    ((4, 4), True)
    """
    th = parameter_symbols(m, d)
    L = risk(th, xs, ys, m, d, activation)
    return th, L, sympy.hessian(L, th)


@functools.lru_cache(maxsize=None)
def point_hessian(m: int, d: int, activation: str) -> tuple:
    """``(theta, x, y, H)``: the exact Hessian in ``theta`` of one data point's loss.

    ``H`` is ``sympy.hessian((N_theta(x) - y)^2, theta)`` with symbols ``x``
    (length ``d``) and ``y``.  The risk is a sum of such terms, so exactly
    ``Hess L = (1/n) sum_i H(x_i, y_i)`` (the :func:`risk_hessian` of any data
    set); one ``H`` per ``(m, d, activation)`` serves every data set, and its
    expression is ``n`` times smaller than :func:`risk_hessian`'s.

    Examples
    --------
    >>> th, x, y, H = point_hessian(1, 1, "tanh")
    >>> x, y, H.shape
    ([x_1], y, (4, 4))
    >>> _, _, Hn = risk_hessian(1, 1, [[0], [1]], [0, 1], "tanh")
    >>> pts = [{x[0]: 0, y: 0}, {x[0]: 1, y: 1}]
    >>> sympy.expand(Hn - sum((H.subs(p) for p in pts), sympy.zeros(4)) / 2) == sympy.zeros(4)
    True
    """
    th = parameter_symbols(m, d)
    x = [sympy.Symbol(f"x_{k}", real=True) for k in range(1, d + 1)]
    y = sympy.Symbol("y", real=True)
    return th, x, y, sympy.hessian((realization(th, x, m, d, activation) - y) ** 2, th)


def zero_loss_targets(m: int, d: int, xs, activation: str) -> list[sympy.Expr]:
    """Targets ``y_i = N_theta(x_i)`` (in the parameter symbols): the loss is zero.

    Examples
    --------
    >>> zero_loss_targets(1, 1, [[0]], "tanh")
    [c + v_1*tanh(b_1)]
    """
    th = parameter_symbols(m, d)
    return [realization(th, xi, m, d, activation) for xi in xs]


def gauss_newton(m: int, d: int, xs, activation: str) -> tuple[sympy.Matrix, sympy.Matrix]:
    """``(J, G)``: the Jacobian ``J (n x P)`` of the realization and ``G = (2/n) J^T J``.

    Examples
    --------
    >>> J, G = gauss_newton(1, 1, [[0]], "tanh")
    >>> J
    Matrix([[0, v_1*(1 - tanh(b_1)**2), tanh(b_1), 1]])
    """
    th = parameter_symbols(m, d)
    N = sympy.Matrix([realization(th, xi, m, d, activation) for xi in xs])
    J = N.jacobian(th)
    return J, sympy.Rational(2, len(xs)) * J.T * J


def gram_eigenvalues(J: sympy.Matrix) -> list[sympy.Expr]:
    """Nonzero eigenvalues of ``(2/n) J^T J`` in closed form, via ``(2/n) J J^T`` (n <= 2).

    Examples
    --------
    >>> a, b = sympy.symbols("a b", real=True)
    >>> gram_eigenvalues(sympy.Matrix([[a, b]]))
    [2*(a**2 + b**2)]
    """
    n = J.shape[0]
    G = sympy.Rational(2, n) * J * J.T
    if n == 1:
        return [sympy.factor(G[0, 0])]
    if n == 2:
        tr, det = G[0, 0] + G[1, 1], G[0, 0] * G[1, 1] - G[0, 1] * G[1, 0]
        disc = sympy.sqrt(tr ** 2 / 4 - det)
        return [tr / 2 + disc, tr / 2 - disc]
    raise ValueError(f"closed-form Gram eigenvalues need n <= 2 data points, got {n}")


def hessian_derivation(m: int = 2, d: int = 1) -> Derivation:
    """The structure of ``Hess L`` for shallow networks, with the Gauss-Newton identity.

    Examples
    --------
    >>> hessian_derivation().results["P"]
    7
    """
    th = parameter_symbols(m, d)
    P = len(th)
    der = Derivation(f"Exact Hessian of the empirical risk, shallow network (d={d}, m={m})")
    z, v, r = sympy.symbols("z_j v_j r_i", real=True)
    s = sympy.Function("sigma")
    der.add(r"Realization $N(x)=c+\sum_j v_j\sigma(w_j\cdot x+b_j)$, risk "
            r"$L=\frac1n\sum_i r_i^2$, $r_i=N(x_i)-y_i$; then "
            r"$\nabla^2L=\frac2n\sum_i\bigl(J_iJ_i^{\top}+r_i\nabla^2N(x_i)\bigr)$.")
    der.add(r"$\nabla^2N(x)$ is block diagonal over neurons; with $u_j=(w_j,b_j)$, "
            r"$\tilde x=(x,1)$, $z_j=u_j\cdot\tilde x$, the block of neuron $j$ in the "
            r"coordinates $(u_j, v_j)$ is the following matrix, its upper-left entry times "
            r"$\tilde x\tilde x^{\top}$ and off-diagonal entries times $\tilde x$:",
            sympy.Matrix([[v * sympy.Derivative(s(z), z, 2), sympy.Derivative(s(z), z)],
                          [sympy.Derivative(s(z), z), 0]]))
    der.add(r"At a zero-loss point ($r_i=0$ for all $i$) the residual term vanishes: "
            r"$\nabla^2L=\frac2nJ^{\top}J$ (Gauss-Newton), of rank at most $n$, so it has at "
            r"least $P-n$ zero eigenvalues and its nonzero eigenvalues are those of the "
            r"$n\times n$ Gram matrix $\frac2nJJ^{\top}$.")
    der.add(r"Closed forms: $n=1$: $\lambda=2\|J_1\|^2$; $n=2$: "
            r"$\lambda_\pm=\frac{\operatorname{tr}G}{2}\pm\sqrt{\frac{(\operatorname{tr}G)^2}{4}"
            r"-\det G}$ with $G=\frac2nJJ^{\top}$.")
    der.results["P"] = sympy.Integer(P)
    der.results["zero-loss Hessian"] = sympy.Symbol(r"\frac{2}{n} J^{\top} J")
    return der


def gauss_newton_derivation(activation: str = "tanh") -> Derivation:
    """Zero-loss Hessian of a width-1 network on one point: rank one, eigenvalue ``2 |J|^2``.

    Examples
    --------
    >>> d = gauss_newton_derivation()
    >>> d.results["zero eigenvalues"]
    3
    """
    th = parameter_symbols(1, 1)
    x = sympy.Symbol("x_1", real=True)
    N = realization(th, [x], 1, 1, activation)
    y = sympy.Symbol("y_1", real=True)
    L = (N - y) ** 2
    H = sympy.hessian(L, th)
    Hz = H.subs(y, N)
    J = sympy.Matrix([N]).jacobian(th)
    der = Derivation(f"Gauss-Newton structure at a zero-loss point ({activation}, m=1, n=1)")
    der.add(r"With one data point, $L=(N(x_1)-y_1)^2$ and the Hessian is "
            r"$2(J^{\top}J+(N(x_1)-y_1)\nabla^2N(x_1))$.")
    der.add(r"At $y_1=N(x_1)$ (zero loss) the residual term cancels exactly: "
            r"$\nabla^2L-2J^{\top}J$ is", sympy.expand(Hz - 2 * J.T * J))
    der.add(r"So $\nabla^2L=2J^{\top}J$ has rank one: three zero eigenvalues and one "
            r"eigenvalue", gram_eigenvalues(J)[0], r"\lambda")
    der.results["zero eigenvalues"] = sympy.Integer(len(th) - 1)
    der.results["lambda"] = gram_eigenvalues(J)[0]
    return der
