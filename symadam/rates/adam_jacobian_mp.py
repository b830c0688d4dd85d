"""Numeric Jacobians of the Adam step at the degenerate fixed point, in mpmath.

An independent route for the linearization claims: the Jacobian of the actual
(nonlinear) Adam step at ``(theta, m, v) = (0, 0, 0)`` on one Hessian
eigendirection ``g = lam * theta`` is computed by finite differences at
``dps`` digits (central in ``theta`` and ``m``, one-sided in ``v >= 0``,
step ``h = 10^(-dps/3)``, one Richardson extrapolation), and its eigenvalues
numerically.  Nothing here
uses the symbolic linearization.  Notation: ``beta1`` is the papers' alpha,
``beta2`` their beta, ``lr`` their gamma.

The autonomous limit is used (bias corrections equal to 1); ``sqrt(v)`` makes
the step non-smooth at ``v = 0``: the difference quotients have an ``O(h)``
error, removed by Richardson extrapolation to ``O(h^2) ~ 10^(-2 dps/3)``.  At
a double root of the block (the heavy-ball optimum) an ``O(delta)`` error in
``J`` moves the radius by ``O(sqrt(delta))``, i.e. ``10^(-dps/3)``.
"""
from __future__ import annotations

from typing import Sequence

import mpmath
from mpmath import mpf

from ..core.validate import check_dps, check_int, check_positive, check_unit_interval

__all__ = ["adam_step_scalar", "jacobian_at_fixed_point", "block_radius", "full_radius",
           "worst_case_radii"]


def adam_step_scalar(theta, m, v, lam, *, lr, beta1, beta2, eps,
                     eps_inside: bool = False) -> tuple:
    """One autonomous Adam step on ``F = lam theta^2 / 2`` (mpf in, mpf out).

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     th, m, v = adam_step_scalar(mpf(1), mpf(0), mpf(0), mpf(2), lr=mpf("0.1"),
    ...                                 beta1=mpf("0.5"), beta2=mpf("0.75"), eps=mpf(1))
    >>> float(th), float(m), float(v)
    (0.95, 1.0, 1.0)
    """
    g = lam * theta
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    den = mpmath.sqrt(v + eps) if eps_inside else eps + mpmath.sqrt(v)
    return theta - lr * m / den, m, v


def jacobian_at_fixed_point(lam, *, lr, beta1, beta2, eps, dps: int = 50,
                            eps_inside: bool = False) -> mpmath.matrix:
    """3x3 Jacobian (state ``(theta, m, v)``) of the Adam step at the origin, by differences.

    Examples
    --------
    >>> J = jacobian_at_fixed_point("2", lr="0.1", beta1="0.5", beta2="0.9", eps="1", dps=30)
    >>> [mpmath.nstr(J[0, j], 10) for j in range(3)]
    ['0.9', '-0.05', '0.0']
    >>> mpmath.nstr(J[2, 2], 10)
    '0.9'
    """
    check_dps(dps)
    check_positive("lam", lam)
    check_positive("lr", lr)
    check_unit_interval("beta1", beta1)
    check_unit_interval("beta2", beta2)
    check_positive("eps", eps)
    with mpmath.workdps(dps):
        p = dict(lr=mpf(lr), beta1=mpf(beta1), beta2=mpf(beta2), eps=mpf(eps),
                 eps_inside=eps_inside)
        lm = mpf(lam)
        z = mpf(0)
        base = adam_step_scalar(z, z, z, lm, **p)

        def quotients(h):
            cols = []
            for j in range(3):
                e = [z, z, z]
                e[j] = h
                plus = adam_step_scalar(*e, lm, **p)
                if j < 2:
                    e[j] = -h
                    minus = adam_step_scalar(*e, lm, **p)
                    cols.append([(a - b) / (2 * h) for a, b in zip(plus, minus)])
                else:
                    cols.append([(a - b) / h for a, b in zip(plus, base)])
            return cols

        # The quotients are analytic in h > 0 with an O(h) error term (|h| from sqrt(v));
        # one Richardson step leaves O(h^2) = 10^(-2 dps/3), equal to the rounding error.
        h = mpf(10) ** (-(dps // 3))
        q1, q2 = quotients(h), quotients(h / 2)
        J = mpmath.matrix(3, 3)
        for j in range(3):
            for i in range(3):
                J[i, j] = 2 * q2[j][i] - q1[j][i]
        return J


def block_radius(J: mpmath.matrix, dps: int = 50) -> mpf:
    """Spectral radius of the leading 2x2 (``(theta, m)``) block, closed-form roots.

    Examples
    --------
    >>> block_radius(mpmath.matrix([[0, 1, 0], [-0.25, 1, 0], [0, 0, 0.99]]))
    mpf('0.5')
    """
    with mpmath.workdps(dps):
        a, b, c, d = J[0, 0], J[0, 1], J[1, 0], J[1, 1]
        tr, det = a + d, a * d - b * c
        disc = mpmath.sqrt(mpmath.mpc(tr * tr / 4 - det))
        return max(abs(tr / 2 + disc), abs(tr / 2 - disc))


def full_radius(J: mpmath.matrix, dps: int = 50) -> mpf:
    """Spectral radius of the full Jacobian (``mpmath.eig``).

    Examples
    --------
    >>> full_radius(mpmath.matrix([[0, 1, 0], [-0.25, 1, 0], [0, 0, 0.99]]), dps=30)
    mpf('0.99000000000000000000000000000000004')
    """
    with mpmath.workdps(dps):
        ev = mpmath.eig(mpmath.matrix(J), left=False, right=False)
        return max(abs(x) for x in ev)


def worst_case_radii(mu, L, *, lr, beta1, beta2, eps, n_lambda: int = 41, dps: int = 50,
                     eps_inside: bool = False, lambdas: Sequence | None = None) -> dict:
    """Worst case over ``lambda`` in ``[mu, L]`` (uniform grid incl. both ends).

    Returns ``{"block": max block radius, "full": max full-Jacobian radius,
    "argmax": lambda of the worst block radius}`` (mpf).  The block radius is
    the local rate of ``theta``; the full radius is ``max(beta2, block)``.

    Examples
    --------
    >>> r = worst_case_radii(1, 100, lr="0.1", beta1="0.6694214876033057851239669421487603305785",
    ...                      beta2="0.999", eps="1", n_lambda=11, dps=30)
    >>> mpmath.nstr(r["block"], 8), mpmath.nstr(r["full"], 8)
    ('0.81818182', '0.999')
    """
    check_int("n_lambda", n_lambda, minimum=2)
    with mpmath.workdps(dps):
        mu_, L_ = mpf(mu), mpf(L)
        check_positive("mu", mu_)
        if L_ < mu_:
            raise ValueError(f"L must be >= mu, got L={L}, mu={mu}")
        lams = ([mpf(x) for x in lambdas] if lambdas is not None else
                [mu_ + (L_ - mu_) * k / (n_lambda - 1) for k in range(n_lambda)])
        best = (mpf(-1), None)
        full = mpf(0)
        for lam in lams:
            J = jacobian_at_fixed_point(lam, lr=lr, beta1=beta1, beta2=beta2, eps=eps, dps=dps,
                                        eps_inside=eps_inside)
            rb = block_radius(J, dps)
            if rb > best[0]:
                best = (rb, lam)
            full = max(full, full_radius(J, dps))
        return {"block": best[0], "full": full, "argmax": best[1]}
