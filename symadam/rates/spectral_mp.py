"""Spectral radii of iteration matrices, computed numerically in mpmath (an independent route).

The iteration matrix is built here from the mpmath recurrence of
:mod:`symadam.rates.iterate_mp` (never from the symbolic engine): on the
quadratic ``f = lambda theta^2/2`` one step is a linear map of the state, so
its matrix has as column ``j`` the image of the ``j``-th unit state.  Its
eigenvalues come from ``mpmath.eig``.

Double roots.  At an optimal tuning the matrix is often a Jordan block
(critical damping): its computed eigenvalues split by about
``sqrt(10^-dps)``, although their *mean* is accurate to about ``10^-dps``
(the mean of an eigenvalue cluster is well conditioned).
:func:`spectral_radius` therefore merges eigenvalues closer than
``10^(-dps/2 + 5)`` (relative) into one cluster and uses its mean.  Distinct
eigenvalues that close would need a discriminant below ``10^(-dps+10)``,
which only happens at a double root.
"""
from __future__ import annotations

from typing import Any

import mpmath

from ..core.validate import check_dps, check_int
from .iterate_mp import get_mp_method

__all__ = ["iteration_matrix", "spectral_radius", "worst_case_radius", "char_value"]


def _mpf(name: str, v: Any) -> mpmath.mpf:
    try:
        x = mpmath.mpf(v)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {v!r}") from None
    if not mpmath.isfinite(x):
        raise ValueError(f"{name} must be finite, got {v!r}")
    return x


def iteration_matrix(method: str, lam: Any, params: dict, dps: int = 50) -> mpmath.matrix:
    """The matrix of one step of ``method`` on ``f = lam theta^2 / 2`` (mpmath).

    Examples
    --------
    >>> M = iteration_matrix("heavy-ball", 2, {"h": "0.25", "beta": "0.5"}, dps=20)
    >>> [[mpmath.nstr(M[i, j], 5) for j in range(2)] for i in range(2)]
    [['1.0', '-0.5'], ['1.0', '0.0']]
    """
    check_dps(dps)
    m = get_mp_method(method)
    with mpmath.workdps(dps):
        lam = _mpf("lam", lam)
        p = {k: _mpf(f"params[{k!r}]", v) for k, v in params.items()}
        grad = lambda x: lam * x  # noqa: E731
        try:
            zero = m.step(tuple(mpmath.mpf(0) for _ in range(m.size)), grad, p)
        except KeyError as e:
            raise ValueError(f"params must give {e.args[0]!r} for {method}") from None
        M = mpmath.matrix(m.size, m.size)
        for j in range(m.size):
            e = tuple(mpmath.mpf(int(i == j)) for i in range(m.size))
            col = m.step(e, grad, p)
            for i in range(m.size):
                M[i, j] = col[i] - zero[i]
        return M


def spectral_radius(M: mpmath.matrix, dps: int = 50) -> mpmath.mpf:
    """Largest eigenvalue modulus of ``M`` (``mpmath.eig``), clusters merged by their mean.

    Examples
    --------
    >>> J = mpmath.matrix([[1, -0.25], [1, 0]])   # (z - 1/2)^2: a Jordan block
    >>> mpmath.nstr(spectral_radius(J, dps=30), 30)
    '0.5'
    """
    check_dps(dps)
    with mpmath.workdps(dps):
        ev = mpmath.eig(mpmath.matrix(M), left=False, right=False)
        if isinstance(ev, tuple):  # mpmath returns (E, ER, EL) for 1 x 1 matrices
            ev = ev[0]
        tol = mpmath.mpf(10) ** (-(dps // 2) + 5)
        clusters: list[list] = []
        for z in ev:
            for c in clusters:
                if abs(z - c[0]) <= tol * max(1, abs(c[0])):
                    c.append(z)
                    break
            else:
                clusters.append([z])
        return max(abs(mpmath.fsum(c) / len(c)) for c in clusters)


def worst_case_radius(method: str, params: dict, mu: Any, L: Any, points: int = 33,
                      dps: int = 50) -> tuple:
    """Spectral radius at every ``lambda`` of an equispaced grid on ``[mu, L]`` (ends included).

    Returns ``(worst, radii)`` with ``radii`` a list of ``(lambda, radius)``.

    Examples
    --------
    >>> w, r = worst_case_radius("gd", {"h": "0.5"}, 1, 3, points=5, dps=20)
    >>> mpmath.nstr(w, 10), len(r)
    ('0.5', 5)
    """
    check_dps(dps)
    check_int("points", points, minimum=2)
    with mpmath.workdps(dps):
        mu, L = _mpf("mu", mu), _mpf("L", L)
        if not 0 <= mu <= L:
            raise ValueError(f"mu and L must satisfy 0 <= mu <= L, got mu={mu}, L={L}")
        radii = []
        for k in range(points):
            lam = mu + (L - mu) * k / (points - 1)
            radii.append((lam, spectral_radius(iteration_matrix(method, lam, params, dps), dps)))
        return max(r for _, r in radii), radii


def char_value(M: mpmath.matrix, z: Any, dps: int = 50) -> mpmath.mpf:
    """``det(z I - M)``: the characteristic polynomial of ``M`` at ``z`` (mpmath).

    Examples
    --------
    >>> M = iteration_matrix("gd", 3, {"h": "0.25"}, dps=20)     # 1 - h lambda
    >>> mpmath.nstr(char_value(M, 1, dps=20), 10)                 # h lambda
    '0.75'
    """
    check_dps(dps)
    with mpmath.workdps(dps):
        n = M.rows
        return mpmath.det(mpmath.mpf(z) * mpmath.eye(n) - M)
