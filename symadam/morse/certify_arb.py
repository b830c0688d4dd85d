"""Computer-assisted proofs of nondegenerate local minima of shallow-network risks (Arb balls).

For the empirical risk ``L(theta) = (1/n) sum_i r_i^2`` of a shallow network
``N(x) = c + sum_j v_j sigma(w_j . x + b_j)`` (``r_i = N(x_i) - y_i``,
parameters ``(w, b, v, c)`` as in :mod:`symadam.morse.certify_mp`) with an
analytic activation, :func:`prove_minimum` proves, for a point ``t`` found by a
float64 search, that a box ``X = t + [-rho, rho]^P`` contains exactly one
critical point and that it is a nondegenerate local minimum:

1. **Krawczyk test**: with ``Y`` an approximate inverse of the Hessian at ``t``,
   ``K(X) = t - Y grad L(t) + (I - Y Hess L(X)) (X - t)``; if ``K(X)`` lies in
   the interior of ``X`` then ``grad L`` has exactly one zero in ``X`` and
   every matrix in ``Hess L(X)`` is nonsingular, so the zero is a
   nondegenerate critical point (Krawczyk 1969; Moore 1977; Rump 1983).
   ``Hess L(X)`` is one ball matrix that contains the Hessian at every point
   of ``X`` (inclusion isotonicity of ball arithmetic).
2. **Positive definiteness over the box**: a Cholesky factorisation of the
   ball matrix ``Hess L(X)``; every pivot's ball is a superset of that pivot
   for every symmetric matrix in the ball matrix, so positive pivots prove
   that the Hessian is positive definite at every point of ``X``, in
   particular at the critical point: a strict, nondegenerate local minimum.

Data ``x, y`` and ``t`` are read exactly (floats are dyadic rationals), so the
statement is about the risk of the given data, not of rounded copies.  Written
from the definitions with plain loops (no numpy, no code shared with the
float64 or mpmath routes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from flint import arb, arb_mat, ctx, fmpq

__all__ = ["risk_grad_hess_arb", "prove_critical_point", "prove_minimum", "CriticalProof"]

ACTIVATIONS = ("tanh", "logistic", "softplus", "gelu")


def _sig(name: str, z: arb) -> tuple:
    """``(sigma, sigma', sigma'')`` at the ball ``z``."""
    if name == "tanh":
        t = z.tanh()
        return t, 1 - t * t, -2 * t * (1 - t * t)
    if name == "logistic":
        s = 1 / (1 + (-z).exp())
        return s, s * (1 - s), s * (1 - s) * (1 - 2 * s)
    if name == "softplus":
        s = 1 / (1 + (-z).exp())
        return z.exp().log1p(), s, s * (1 - s)
    if name == "gelu":
        Phi = (1 + (z / arb(2).sqrt()).erf()) / 2
        phi = (-z * z / 2).exp() / (2 * arb.pi()).sqrt()
        return z * Phi, Phi + z * phi, (2 - z * z) * phi
    raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")


def _exact(v: Any) -> arb:
    """A float/int/str/fmpq as an exact ball (floats are dyadic rationals)."""
    if isinstance(v, arb):
        return v
    if isinstance(v, float):
        num, den = v.as_integer_ratio()
        return arb(fmpq(num, den))
    return arb(fmpq(v) if not isinstance(v, str) else fmpq(*map(int, v.split("/"))))


def risk_grad_hess_arb(theta: Sequence, x: Sequence, y: Sequence, activation: str
                       ) -> tuple[list, arb_mat]:
    """Balls of ``grad L`` and ``Hess L`` over the box ``theta`` (a sequence of balls or numbers).

    Examples
    --------
    >>> g, H = risk_grad_hess_arb([1, 0, 1, 0], [[0.0], [1.0]], [0.0, 0.5], "tanh")
    >>> (g[3] - ((arb(1).tanh() - arb(1) / 2))).contains(0)     # dL/dc = mean(2 r)
    True
    >>> H[3, 3]                                                  # d2L/dc2 = 2
    2.00000000000000
    """
    t = [_exact(v) for v in theta]
    X = [[_exact(v) for v in (row if hasattr(row, "__len__") else [row])] for row in x]
    Y = [_exact(v) for v in y]
    n, d = len(X), len(X[0])
    if n == 0 or len(Y) != n:
        raise ValueError(f"x and y must have the same nonzero length, got {n} and {len(Y)}")
    if (len(t) - 1) % (d + 2):
        raise ValueError(f"theta must have length m*(d+2)+1 for d={d}, got {len(t)}")
    m = (len(t) - 1) // (d + 2)
    P = len(t)

    def idx(j, k):
        return j * d + k if k < d else m * d + j

    J = arb_mat(n, P)
    R = arb_mat(n, 1)
    H2 = arb_mat(P, P)                      # sum_i r_i Hess r_i
    for i, (xi, yi) in enumerate(zip(X, Y)):
        xt = list(xi) + [arb(1)]
        sig = []
        for j in range(m):
            z = t[m * d + j]
            for k in range(d):
                z += t[j * d + k] * xi[k]
            sig.append(_sig(activation, z))
        r = t[-1] - yi
        for j in range(m):
            r += t[m * d + m + j] * sig[j][0]
        R[i, 0] = r
        for j in range(m):
            vj = t[m * d + m + j]
            for k in range(d + 1):
                J[i, idx(j, k)] = vj * sig[j][1] * xt[k]
            J[i, m * d + m + j] = sig[j][0]
            iv = m * d + m + j
            for k in range(d + 1):
                a = idx(j, k)
                H2[a, iv] += r * sig[j][1] * xt[k]
                H2[iv, a] += r * sig[j][1] * xt[k]
                for k2 in range(d + 1):
                    H2[a, idx(j, k2)] += r * vj * sig[j][2] * xt[k] * xt[k2]
        J[i, P - 1] = arb(1)
    scale = arb(2) / n
    g = (J.transpose() * R) * scale
    H = (J.transpose() * J + H2) * scale
    return [g[a, 0] for a in range(P)], H


def _cholesky_positive(H: arb_mat) -> tuple[bool, Any]:
    """Ball Cholesky; ``(True, smallest pivot)`` iff every pivot ball is positive."""
    P = H.nrows()
    A = [[H[i, j] for j in range(P)] for i in range(P)]
    least = None
    for k in range(P):
        piv = A[k][k]
        for s in range(k):
            piv -= A[k][s] * A[k][s]
        if not piv > 0:
            return False, piv
        least = piv if least is None or piv.lower() < least.lower() else least
        lkk = piv.sqrt()
        A[k][k] = lkk
        for i in range(k + 1, P):
            v = A[i][k]
            for s in range(k):
                v -= A[i][s] * A[k][s]
            A[i][k] = v / lkk
    return True, least


@dataclass
class CriticalProof:
    """The outcome of :func:`prove_critical_point`.

    ``nondegenerate``: a unique, nondegenerate critical point is proven in the
    box of half-width ``radius``; ``minimum``: its Hessian is moreover proven
    positive definite (a strict local minimum); ``proven`` is ``minimum``.
    """

    nondegenerate: bool
    minimum: bool = False
    radius: Any = None
    min_pivot: Any = None
    why_not: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def proven(self) -> bool:
        """A nondegenerate local minimum is proven."""
        return self.minimum


def prove_minimum(theta: Sequence[float], x: Sequence, y: Sequence, activation: str,
                  digits: int = 30, newton_steps: int = 3) -> CriticalProof:
    """Prove a nondegenerate local minimum in a small box about ``theta``, or say why not.

    Same as :func:`prove_critical_point`; ``.proven`` is True only for a minimum.

    Examples
    --------
    >>> import math
    >>> xs = [[-1.0], [0.0], [0.5], [1.0]]
    >>> ys = [-0.3 + 2 * math.tanh(v[0] + 0.5) for v in xs]   # a zero-loss fit: a minimum
    >>> p = prove_minimum([1.0, 0.5, 2.0, -0.3], xs, ys, "tanh")
    >>> p.proven, p.radius < 1e-12
    (True, True)
    """
    return prove_critical_point(theta, x, y, activation, digits, newton_steps)


def prove_critical_point(theta: Sequence[float], x: Sequence, y: Sequence, activation: str,
                         digits: int = 30, newton_steps: int = 3) -> CriticalProof:
    """Prove a nondegenerate critical point in a small box about ``theta`` (and if a minimum).

    Parameters
    ----------
    theta : sequence of float
        A point from the float64 search (``(w, b, v, c)``, shallow network).
    x, y : data (rows of length ``d`` or numbers; targets)
    activation : {"tanh", "logistic", "softplus", "gelu"}
    digits : int
        Working precision (decimal digits).
    newton_steps : int
        Newton steps at the box centre (in ball arithmetic, midpoints kept)
        before the test, to shrink the box.

    Examples
    --------
    >>> import math
    >>> xs = [[-1.0], [0.0], [0.5], [1.0]]
    >>> ys = [-0.3 + 2 * math.tanh(v[0] + 0.5) for v in xs]
    >>> p = prove_critical_point([1.0, 0.5, 2.0, -0.3], xs, ys, "tanh")
    >>> p.nondegenerate, p.minimum
    (True, True)
    >>> prove_critical_point([1.1, 0.5, 2.0, -0.3], xs, ys, "tanh", newton_steps=0).why_not
    'Krawczyk test failed: ...'
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; "
                         f"got {activation!r}")
    with ctx.workdps(int(digits)):
        t = [_exact(float(v)) for v in theta]
        P = len(t)
        for _ in range(newton_steps):
            g, H = risk_grad_hess_arb(t, x, y, activation)
            try:
                step = H.mid().solve(arb_mat([[gi.mid()] for gi in g]))
            except (ZeroDivisionError, ValueError):
                return CriticalProof(False, why_not="the Hessian is numerically singular at "
                                     "the point (not a nondegenerate critical point)")
            t = [(ti - step[a, 0]).mid() for a, ti in enumerate(t)]
            t = [arb(v) for v in t]
        g, H = risk_grad_hess_arb(t, x, y, activation)
        try:
            Yinv = H.mid().inv().mid()
        except (ZeroDivisionError, ValueError):
            return CriticalProof(False, why_not="the Hessian at the point is singular")
        Yg = Yinv * arb_mat([[gi] for gi in g])
        delta = max(abs(Yg[a, 0]).upper() for a in range(P))
        floor = arb(10) ** (-(digits - 8))
        rho = arb((2 * delta + floor).upper())
        box = [ti + arb(0, rho.mid()) for ti in t]
        _, HX = risk_grad_hess_arb(box, x, y, activation)
        C = arb_mat(P, P)
        for i in range(P):
            for j in range(P):
                C[i, j] = (1 if i == j else 0)
        C = C - Yinv * HX
        dev = arb_mat([[arb(0, rho.mid())] for _ in range(P)])
        K = C * dev
        inside = all(abs(-Yg[a, 0] + K[a, 0]).upper() < rho for a in range(P))
        if not inside:
            return CriticalProof(False, False, rho, why_not="Krawczyk test failed: the box is "
                                 "not mapped into itself (the point is not close enough to a "
                                 "regular critical point, or the Hessian varies too much)",
                                 details={"newton_step": str(arb(delta))})
        pd, pivot = _cholesky_positive(HX)
        info = {"newton_step": str(arb(delta)), "parameters": P}
        if not pd:
            return CriticalProof(True, False, rho, pivot, why_not="a unique nondegenerate "
                                 "critical point is proven in the box, but the Hessian over "
                                 "the box is not proven positive definite (a saddle, or an "
                                 "eigenvalue too small for this box)", details=info)
        return CriticalProof(True, True, rho, pivot, details=info)
