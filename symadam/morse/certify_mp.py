"""Shallow-network risk, gradient and Hessian in mpmath, and Newton refinement (mpmath only).

The float64 certificate of :mod:`symadam.morse.critical_np` needs
``min|eig| >= tau = 2 K |H^{-1} g|``; with ``|g| ~ 1e-16`` (round-off) it
cannot certify eigenvalues below about ``1e-7``.  This module is the
independent high-precision route: the gradient and the Hessian of the
empirical risk ``L = (1/n) sum_i r_i^2`` (``r_i = c + sum_j v_j
sigma(w_j . x_i + b_j) - y_i``, parameters laid out ``(w, b, v, c)``) are
written out as plain loops over data and neurons at ``dps`` digits (no numpy,
no code shared with the float64 Hessian), the point is refined by Newton steps
``theta <- theta - H^{-1} g`` (all in mpmath), and the spectrum of ``H`` and
the Newton step ``eta = |H^{-1} g|`` are returned at the refined point.  The
certificate itself (``min|eig| - slack >= 2 K eta`` with the float64
Lipschitz bound ``K``) is wired in :func:`symadam.morse.sweep.refine_and_certify`.
"""
from __future__ import annotations

from typing import Sequence

import mpmath

from ..core.validate import check_dps, check_int

__all__ = ["realization_mp", "risk_gradient_mp", "risk_hessian_mp", "newton_refine_mp"]

_NAMES = ("tanh", "logistic", "softplus", "gelu")


def _sig(name: str, z) -> tuple:
    """``(sigma, sigma', sigma'')`` at ``z`` in the current mpmath precision."""
    if name == "tanh":
        t = mpmath.tanh(z)
        return t, 1 - t * t, -2 * t * (1 - t * t)
    if name == "logistic":
        s = 1 / (1 + mpmath.exp(-z))
        return s, s * (1 - s), s * (1 - s) * (1 - 2 * s)
    if name == "softplus":
        s = 1 / (1 + mpmath.exp(-z))
        return mpmath.log1p(mpmath.exp(z)), s, s * (1 - s)
    if name == "gelu":
        Phi = (1 + mpmath.erf(z / mpmath.sqrt(2))) / 2
        phi = mpmath.npdf(z)
        return z * Phi, Phi + z * phi, (2 - z * z) * phi
    raise ValueError(f"activation must be one of {', '.join(_NAMES)}; got {name!r}")


def _parts(theta, x, y, activation: str):
    """Per data point: residual ``r``, ``grad r`` and the nonzero blocks of ``Hess r``."""
    X = [[mpmath.mpf(v) for v in (row if hasattr(row, "__len__") else [row])] for row in x]
    Y = [mpmath.mpf(v) for v in y]
    if len(X) != len(Y) or not X:
        raise ValueError(f"x and y must have the same nonzero length, got {len(X)} and {len(Y)}")
    t = [mpmath.mpf(v) for v in theta]
    d = len(X[0])
    if (len(t) - 1) % (d + 2):
        raise ValueError(f"theta must have length m*(d+2)+1 for d={d}, got {len(t)}")
    m = (len(t) - 1) // (d + 2)
    out = []
    for xi, yi in zip(X, Y):
        xt = list(xi) + [mpmath.mpf(1)]          # (x, 1): weights and bias of a neuron
        sig = []
        for j in range(m):
            z = mpmath.fsum(t[j * d + k] * xi[k] for k in range(d)) + t[m * d + j]
            sig.append(_sig(activation, z))
        r = t[-1] + mpmath.fsum(t[m * d + m + j] * sig[j][0] for j in range(m)) - yi
        gr = [mpmath.mpf(0)] * len(t)
        for j in range(m):
            vj = t[m * d + m + j]
            for k in range(d + 1):
                gr[_idx(j, k, m, d)] = vj * sig[j][1] * xt[k]
            gr[m * d + m + j] = sig[j][0]
        gr[-1] = mpmath.mpf(1)
        out.append((r, gr, sig, xt, t, m, d))
    return out


def _idx(j: int, k: int, m: int, d: int) -> int:
    """Flat index of ``w_jk`` (``k < d``) or ``b_j`` (``k = d``)."""
    return j * d + k if k < d else m * d + j


def realization_mp(theta: Sequence, x: Sequence, activation: str, dps: int = 40) -> list:
    """The network outputs ``N(x_i) = c + sum_j v_j sigma(w_j . x_i + b_j)`` in mpmath.

    Examples
    --------
    >>> [mpmath.nstr(v, 10) for v in realization_mp([1, 0, 2, 0.5], [[0.0], [1.0]], "tanh")]
    ['0.5', '2.023188312']
    """
    check_dps(dps)
    with mpmath.workdps(dps):
        parts = _parts(theta, x, [0] * len(x), activation)
        return [+p[0] for p in parts]          # residuals against y = 0


def risk_gradient_mp(theta: Sequence, x: Sequence, y: Sequence, activation: str,
                     dps: int = 40) -> list:
    """Gradient ``(2/n) sum_i r_i grad r_i`` of the empirical risk in mpmath, ``dps`` digits.

    Parameters
    ----------
    theta : sequence of numbers
        ``(w (m*d, row-major), b (m), v (m), c)``.
    x : sequence of rows (length ``d``) or numbers (``d = 1``)
    y : sequence of numbers
    activation : {"tanh", "logistic", "softplus", "gelu"}
    dps : int

    Examples
    --------
    >>> g = risk_gradient_mp([1, 0, 1, 0], [[0.0], [1.0]], [0.0, 0.5], "tanh")
    >>> len(g), mpmath.nstr(g[-1], 10)     # dL/dc = mean(2 r) = tanh(1) - 1/2
    (4, '0.2615941560')
    """
    check_dps(dps)
    with mpmath.workdps(dps):
        return _gradient(_parts(theta, x, y, activation))


def _gradient(parts) -> list:
    """``(2/n) sum_i r_i grad r_i`` from :func:`_parts` (at the current precision)."""
    n = len(parts)
    P = len(parts[0][1])
    return [2 * mpmath.fsum(p[0] * p[1][a] for p in parts) / n for a in range(P)]


def risk_hessian_mp(theta: Sequence, x: Sequence, y: Sequence, activation: str,
                    dps: int = 40) -> mpmath.matrix:
    """Hessian ``(2/n) sum_i (grad r_i grad r_i^T + r_i Hess r_i)`` in mpmath.

    ``Hess r_i`` has, per neuron ``j`` with ``x~ = (x_i, 1)``, the block
    ``v_j sigma''(z) x~ x~^T`` on ``(w_j, b_j)`` and ``sigma'(z) x~`` between
    ``(w_j, b_j)`` and ``v_j``.

    Examples
    --------
    >>> H = risk_hessian_mp([1, 0, 1, 0], [[0.0], [1.0]], [0.0, 0.5], "tanh")
    >>> H.rows, mpmath.nstr(H[3, 3], 5)     # d^2 L / dc^2 = 2
    (4, '2.0')
    """
    check_dps(dps)
    with mpmath.workdps(dps):
        return _hessian(_parts(theta, x, y, activation))


def _hessian(parts) -> mpmath.matrix:
    """The Hessian from :func:`_parts` (at the current precision; rows of mpf, one matrix)."""
    n = len(parts)
    P = len(parts[0][1])
    zero = mpmath.mpf(0)
    H = [[zero] * P for _ in range(P)]
    for r, gr, sig, xt, t, m, d in parts:
        for a in range(P):
            ga = gr[a]
            if ga:
                row = H[a]
                for b in range(P):
                    row[b] += ga * gr[b]
        for j in range(m):
            vj = t[m * d + m + j]
            iv = m * d + m + j
            for k in range(d + 1):
                ik = _idx(j, k, m, d)
                H[ik][iv] += r * sig[j][1] * xt[k]
                H[iv][ik] += r * sig[j][1] * xt[k]
                for k2 in range(d + 1):
                    H[ik][_idx(j, k2, m, d)] += r * vj * sig[j][2] * xt[k] * xt[k2]
    c = mpmath.mpf(2) / n
    return mpmath.matrix([[c * v for v in row] for row in H])


def newton_refine_mp(theta: Sequence, x: Sequence, y: Sequence, activation: str,
                     dps: int = 40, steps: int = 4, cutoff=None, gtol=None,
                     step_tol=None, damping: int = 0, max_move=None) -> dict:
    """Newton-refine a critical point in mpmath; spectrum and Newton step at the result.

    Each step solves ``H s = g`` (LU), or, with ``cutoff``, uses the
    pseudo-inverse of ``H`` on the eigenvalues ``|e| > cutoff * max|e|`` (so that
    Newton also converges onto a manifold of critical points, where ``H`` is
    singular).  A step that does not shrink ``|g|`` is halved up to ``damping``
    times; if none does, the iteration stops.  It also stops once ``|g| <= gtol``
    and the last step is at most ``step_tol`` (if given), or once the iterate is
    farther than ``max_move`` from the start (if given).

    Returns a dict with ``theta`` (list of mpf), ``grad_norm`` (mpf),
    ``eigenvalues`` (ascending list of mpf, from ``mpmath.eigsy``), ``eta``
    (``|H^{-1} g|``, mpf; ``inf`` if ``H`` is singular at ``dps`` digits) and
    ``history``: per step taken, ``(|g|, distance from the start, step length)`` as mpf.

    Examples
    --------
    A zero-loss fit ``y = -0.3 + 2 tanh(x + 0.5)`` is a strict minimum;
    Newton from a perturbed start converges quadratically to it:

    >>> x = [[-1.0], [0.0], [0.5], [1.0]]
    >>> y = [-0.3 + 2 * mpmath.tanh(xi[0] + 0.5) for xi in x]
    >>> res = newton_refine_mp([1.01, 0.49, 2.02, -0.31], x, y, "tanh", dps=30, steps=8)
    >>> res["grad_norm"] < mpmath.mpf("1e-25"), [mpmath.nstr(v, 6) for v in res["theta"]]
    (True, ['1.0', '0.5', '2.0', '-0.3'])
    >>> res["eigenvalues"][0] > 0, len(res["history"]) <= 8
    (True, True)
    """
    check_dps(dps)
    check_int("steps", steps, minimum=0)
    with mpmath.workdps(dps):
        t0 = [mpmath.mpf(v) for v in theta]
        t = list(t0)
        parts = _parts(t, x, y, activation)
        g = mpmath.matrix(_gradient(parts))
        gn = mpmath.norm(g)
        history = []
        last = mpmath.inf
        for _ in range(steps):
            if gtol is not None and gn <= gtol and (step_tol is None or last <= step_tol):
                break
            H = _hessian(parts)
            s = _solve(H, g, cutoff)
            if s is None:
                break
            for _ in range(damping + 1):
                cand = [ti - si for ti, si in zip(t, s)]
                pc = _parts(cand, x, y, activation)
                gc = mpmath.matrix(_gradient(pc))
                if mpmath.norm(gc) < gn:
                    break
                s = s / 2
            else:
                break
            last = mpmath.norm(s)
            t, g, gn, parts = cand, gc, mpmath.norm(gc), pc
            history.append((gn, mpmath.sqrt(mpmath.fsum((a - b) ** 2 for a, b in zip(t, t0))),
                            last))
            if max_move is not None and history[-1][1] > max_move:
                break
        H = _hessian(parts)
        ev = sorted(mpmath.eigsy(H, eigvals_only=True))
        try:
            eta = mpmath.norm(mpmath.lu_solve(H, g))
        except ZeroDivisionError:
            eta = mpmath.inf
        return {"theta": t, "grad_norm": gn, "eigenvalues": ev, "eta": eta, "history": history}


def _solve(H, g, cutoff):
    """``H^{-1} g`` (LU) or the pseudo-inverse solve on ``|e| > cutoff max|e|``; None: singular.

    With a cutoff, the eigenvalues decide: if none is cut, the pseudo-inverse is
    ``H^{-1}`` and the step is an LU solve; otherwise the eigenvectors are computed.
    """
    if cutoff is None:
        try:
            return mpmath.lu_solve(H, g)
        except ZeroDivisionError:
            return None
    E = mpmath.eigsy(H, eigvals_only=True)
    big = max(abs(e) for e in E)
    if big == 0:
        return None
    if all(abs(e) > cutoff * big for e in E):
        try:                                 # no eigenvalue cut: the pseudo-inverse is H^-1
            return mpmath.lu_solve(H, g)
        except ZeroDivisionError:            # pragma: no cover - LU pivot underflow
            pass
    E, Q = mpmath.eigsy(H)
    n = H.rows
    s = mpmath.matrix(n, 1)
    for k in range(n):
        if abs(E[k]) > cutoff * big:
            coef = mpmath.fsum(Q[i, k] * g[i] for i in range(n)) / E[k]
            for i in range(n):
                s[i] += coef * Q[i, k]
    return s
