"""The nearly exact trust-region method (scipy's ``trust-exact``), lean, for small problems.

The Morse sweeps minimise a risk of a handful of parameters (``P = 7`` for
width 2) from hundreds of starts, most of which run the full ``maxiter``
iterations towards a saturated neuron.  For such tiny matrices the work per
iteration of :func:`scipy.optimize.minimize` with ``method="trust-exact"`` is
almost all Python-level overhead (input validation, ``check_finite`` copies,
the scalar-function wrappers, and evaluating the gradient twice per trial
point, once with the value and once with the Hessian).

:func:`minimize_trust_exact` is the same algorithm, step for step: the outer
trust-radius loop of ``scipy.optimize._trustregion._minimize_trust_region``
(acceptance ``rho > eta = 0.15``, radius ``1``, at most ``1000``) and the
More-Sorensen subproblem solver ``IterativeSubproblem`` of
``scipy.optimize._trustregion_exact`` (Conn, Gould and Toint, "Trust region
methods", 2000, section 7.3; Nocedal and Wright (4.44); More and Sorensen
1983), with ``k_easy = 0.1``, ``k_hard = 0.2``, ``UPDATE_COEFF = 0.01`` and at
most 25 subproblem iterations (scipy 1.17).  It calls the same LAPACK/BLAS
kernels on the same data (``potrf``, ``potrs``, ``trtrs``, ``lange``,
``nrm2``) and takes one fused ``fun(x) -> (value, gradient, Hessian)``
evaluation per trial point, so its iterates equal scipy's bit for bit (tested
in ``tests/test_morse_trust.py``), including scipy's ``ValueError`` on a
non-finite Hessian or gradient.  ``callback(x)`` runs after every iteration,
as in scipy.  :class:`RiskFGH` is that fused evaluation for the empirical risk
of a shallow network, bit for bit the one of
:func:`symadam.networks.hessian.risk_derivatives`.

The outer loop and the subproblem solver follow SciPy's code (BSD 3-Clause licence,
Copyright (c) 2001-2002 Enthought, Inc. and 2003-2025 SciPy Developers); the licence
terms are those of SciPy's ``LICENSE.txt``.
"""
from __future__ import annotations

import functools
import math
from typing import Callable, NamedTuple

import numpy as np
from scipy.linalg import get_blas_funcs, get_lapack_funcs

from ..networks.activations import get_activation

__all__ = ["TrustResult", "minimize_trust_exact", "RiskFGH"]

_F64 = np.zeros((1, 1))
_POTRF, _POTRS, _TRTRS, _LANGE = get_lapack_funcs(("potrf", "potrs", "trtrs", "lange"),
                                                  (_F64,))
_NRM2 = get_blas_funcs("nrm2", dtype=np.float64, ilp64="preferred")
_EPS = np.finfo(float).eps
_ADD = np.add.reduce
_K_EASY, _K_HARD, _UPDATE, _SUB_MAXITER = 0.1, 0.2, 0.01, 25
_MESSAGES = ("Optimization terminated successfully.",
             "Maximum number of iterations has been exceeded.",
             "A bad approximation caused failure to predict improvement.",
             "A linalg error occurred, such as a non-psd Hessian.")


class TrustResult(NamedTuple):
    """``x``, ``fun``, ``jac``, iterations ``nit``, ``status`` (scipy's codes), ``success``."""

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    status: int
    success: bool
    message: str


def _finite(a: np.ndarray) -> np.ndarray:
    """scipy's ``check_finite``: a finite sum implies finite entries; else look closely."""
    if not math.isfinite(_ADD(a, None)) and not np.isfinite(a).all():
        raise ValueError("array must not contain infs or NaNs")
    return a


def _norm(v: np.ndarray) -> float:
    """``scipy.linalg.norm(v)`` of a float vector (finite check, BLAS ``nrm2``)."""
    r = _NRM2(v)
    if not math.isfinite(r):
        _finite(v)
    return r


def _abs_sum(v: np.ndarray) -> float:
    """``scipy.linalg.norm(v, 1)`` of a float vector (finite check)."""
    r = _ADD(np.abs(v), None)
    if not math.isfinite(r):
        _finite(v)
    return r


def _trsolve(a: np.ndarray, b: np.ndarray, trans: int = 0, lower: bool = False) -> np.ndarray:
    """``scipy.linalg.solve_triangular`` (the same ``trtrs`` call on the same layout)."""
    _finite(a)
    _finite(b)
    if a.flags.f_contiguous:
        x, info = _TRTRS(a, b, lower=lower, trans=trans)
    else:
        x, info = _TRTRS(a.T, b, lower=not lower, trans=not trans)
    if info > 0:
        raise np.linalg.LinAlgError(f"singular matrix: resolution failed at diagonal {info-1}")
    return x


def _smallest_singular(U: np.ndarray) -> tuple[float, np.ndarray]:
    """scipy's ``estimate_smallest_singular_value`` (Cline, Moler, Stewart, Wilkinson 1979).

    Up to ``n = 8`` in Python floats: the same IEEE operations, and numpy sums
    fewer than 8 terms left to right, so the result is the same to the bit.
    """
    n = U.shape[0]
    if n > 8 or not np.all(np.diag(U)):
        return _smallest_singular_np(U)
    rows = U.tolist()
    p = [0.0] * n
    w = [0.0] * n
    for k in range(n):
        ukk, tail = rows[k][k], rows[k][k + 1:]
        wp = (1 - p[k]) / ukk
        wm = (-1 - p[k]) / ukk
        pp = [a + b * wp for a, b in zip(p[k + 1:], tail)]
        pm = [a + b * wm for a, b in zip(p[k + 1:], tail)]
        if abs(wp) + _abs_sum_list(pp) >= abs(wm) + _abs_sum_list(pm):
            w[k] = wp
            p[k + 1:] = pp
        else:
            w[k] = wm
            p[k + 1:] = pm
    v = _trsolve(U, np.array(w))
    v_norm = _norm(v)
    return _norm(np.array(w)) / v_norm, v / v_norm


def _abs_sum_list(v: list) -> float:
    r = 0.0
    for a in v:
        r += abs(a)
    if not math.isfinite(r):
        _finite(np.array(v))
    return r


def _smallest_singular_np(U: np.ndarray) -> tuple[float, np.ndarray]:
    n = U.shape[0]
    p = np.zeros(n)
    w = np.empty(n)
    UT = U.T
    for k in range(n):
        wp = (1 - p[k]) / UT[k, k]
        wm = (-1 - p[k]) / UT[k, k]
        pp = p[k + 1:] + UT[k + 1:, k] * wp
        pm = p[k + 1:] + UT[k + 1:, k] * wm
        if abs(wp) + _abs_sum(pp) >= abs(wm) + _abs_sum(pm):
            w[k] = wp
            p[k + 1:] = pp
        else:
            w[k] = wm
            p[k + 1:] = pm
    v = _trsolve(U, w)
    v_norm = _norm(v)
    return _norm(w) / v_norm, v / v_norm


@functools.lru_cache(maxsize=8)
def _eye(n: int) -> np.ndarray:
    e = np.eye(n)
    e.flags.writeable = False
    return e


def _boundaries(z: np.ndarray, d: np.ndarray, radius: float) -> list:
    """The two ``t`` with ``|z + t d| = radius``, sorted (scipy's rounding-safe form)."""
    a = np.dot(d, d)
    b = 2 * np.dot(z, d)
    c = np.dot(z, z) - radius ** 2
    sq = math.sqrt(b * b - 4 * a * c)
    aux = b + math.copysign(sq, b)
    return sorted([-aux / (2 * a), -2 * c / aux])


class _Model:
    """The quadratic model at ``x`` and the state of its subproblem solver."""

    def __init__(self, x, f, g, H):
        self.x, self.fun, self.jac, self.hess = x, f, g, H
        self._jac_mag = None
        self.previous_tr_radius = -1
        self.lambda_lb = None
        diag = np.diag(H)
        dabs = np.abs(diag)
        rows = np.sum(np.abs(H), axis=1)
        self.glb = np.min(diag + dabs - rows)
        self.gub = np.max(diag - dabs + rows)
        _finite(H)
        if np.isfortran(H):
            self.hess_inf = _LANGE("i", H)
        elif np.isfortran(H.T):
            self.hess_inf = _LANGE("1", H.T)
        else:
            self.hess_inf = np.linalg.norm(H, np.inf)
        self.hess_fro = np.linalg.norm(H, "fro")
        self.close_to_zero = len(H) * _EPS * self.hess_inf

    @property
    def jac_mag(self) -> float:
        if self._jac_mag is None:
            self._jac_mag = _norm(self.jac)
        return self._jac_mag

    def value(self, p: np.ndarray) -> float:
        return self.fun + np.dot(self.jac, p) + 0.5 * np.dot(p, np.dot(self.hess, p))

    def _initial(self, radius: float):
        lub = max(0, self.jac_mag / radius + min(-self.glb, self.hess_fro, self.hess_inf))
        llb = max(0, -min(self.hess.diagonal()),
                  self.jac_mag / radius - min(self.gub, self.hess_fro, self.hess_inf))
        if radius < self.previous_tr_radius:
            llb = max(self.lambda_lb, llb)
        if llb == 0:
            return 0, llb, lub
        return max(np.sqrt(llb * lub), llb + _UPDATE * (lub - llb)), llb, lub

    def solve(self, radius: float):  # noqa: C901 - scipy's control flow, kept verbatim
        lam, llb, lub = self._initial(radius)
        n = len(self.hess)
        eye = _eye(n)
        hits_boundary = True
        factorized = False
        niter = 0
        while niter < _SUB_MAXITER:
            if factorized:
                factorized = False
            else:
                H = self.hess + lam * eye
                U, info = _POTRF(H, lower=False, overwrite_a=False, clean=True)
            niter += 1
            if info == 0 and self.jac_mag > self.close_to_zero:
                p, pinfo = _POTRS(_finite(U), _finite(-self.jac), lower=False)
                if pinfo != 0:  # pragma: no cover - LAPACK argument error
                    raise ValueError(f"illegal value in {-pinfo}th argument of internal potrs")
                p_norm = _norm(p)
                if p_norm <= radius and lam == 0:
                    hits_boundary = False
                    break
                w = _trsolve(U, p, trans=1)
                w_norm = _norm(w)
                lam_new = lam + (p_norm / w_norm) ** 2 * (p_norm - radius) / radius
                if p_norm < radius:
                    s_min, z_min = _smallest_singular(U)
                    ta, tb = _boundaries(p, z_min, radius)
                    step_len = min([ta, tb], key=abs)
                    quad = np.dot(p, np.dot(H, p))
                    if (step_len ** 2 * s_min ** 2) / (quad + lam * radius ** 2) <= _K_HARD:
                        p += step_len * z_min
                        break
                    lub = lam
                    llb = max(llb, lam - s_min ** 2)
                    H = self.hess + lam_new * eye
                    c, info = _POTRF(H, lower=False, overwrite_a=False, clean=True)
                    if info == 0:
                        lam = lam_new
                        factorized = True
                    else:
                        llb = max(llb, lam_new)
                        lam = max(np.sqrt(np.abs(llb * lub)), llb + _UPDATE * (lub - llb))
                else:
                    if abs(p_norm - radius) / radius <= _K_EASY:
                        break
                    llb = lam
                    lam = lam_new
            elif info == 0 and self.jac_mag <= self.close_to_zero:
                if lam == 0:
                    p = np.zeros(n)
                    hits_boundary = False
                    break
                s_min, z_min = _smallest_singular(U)
                p = radius * z_min
                if radius ** 2 * s_min ** 2 <= _K_HARD * lam * radius ** 2:
                    break
                lub = lam
                llb = max(llb, lam - s_min ** 2)
                lam = max(np.sqrt(llb * lub), llb + _UPDATE * (lub - llb))
            else:
                k = info
                delta = np.sum(U[:k - 1, k - 1] ** 2) - H[k - 1, k - 1]
                v = np.zeros(n)
                v[k - 1] = 1
                if k != 1:
                    v[:k - 1] = _trsolve(U[:k - 1, :k - 1], -U[:k - 1, k - 1])
                llb = max(llb, lam + delta / _norm(v) ** 2)
                lam = max(np.sqrt(np.abs(llb * lub)), llb + _UPDATE * (lub - llb))
        self.lambda_lb = llb
        self.previous_tr_radius = radius
        return p, hits_boundary


def minimize_trust_exact(fgh: Callable, x0, gtol: float = 1e-4, maxiter: int | None = None,
                         callback: Callable | None = None, initial_trust_radius: float = 1.0,
                         max_trust_radius: float = 1000.0, eta: float = 0.15) -> TrustResult:
    """Minimise with scipy's ``trust-exact`` algorithm; ``fgh(x) -> (f, grad, Hessian)``.

    Same options, defaults, iterates and status codes as
    ``scipy.optimize.minimize(fun, x0, jac=True, hess=..., method="trust-exact")``
    (see the module docstring); ``fgh`` is called once per trial point.

    Examples
    --------
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]]); b = np.array([1.0, -1.0])
    >>> r = minimize_trust_exact(lambda x: (0.5 * x @ A @ x - b @ x, A @ x - b, A),
    ...                          np.zeros(2), gtol=1e-10)
    >>> bool(np.allclose(r.x, np.linalg.solve(A, b))), r.status
    (True, 0)
    """
    if not 0 <= eta < 0.25:
        raise ValueError(f"eta must be in [0, 0.25), got {eta!r}")
    if not 0 < initial_trust_radius < max_trust_radius:
        raise ValueError("initial_trust_radius must be in (0, max_trust_radius), got "
                         f"{initial_trust_radius!r}")
    x = np.asarray(x0, dtype=np.float64).flatten()
    maxiter = len(x) * 200 if maxiter is None else maxiter

    def model(xp):
        f, g, H = fgh(xp.copy())
        return _Model(xp, float(f), np.atleast_1d(g), np.atleast_2d(H))

    radius = initial_trust_radius
    m = model(x)
    k, status = 0, 0
    while m.jac_mag >= gtol:
        try:
            p, hits_boundary = m.solve(radius)
        except np.linalg.LinAlgError:
            status = 3
            break
        predicted = m.value(p)
        mp = model(x + p)
        actual_reduction = m.fun - mp.fun
        predicted_reduction = m.fun - predicted
        if predicted_reduction <= 0:
            status = 2
            break
        rho = actual_reduction / predicted_reduction
        if rho < 0.25:
            radius *= 0.25
        elif rho > 0.75 and hits_boundary:
            radius = min(2 * radius, max_trust_radius)
        if rho > eta:
            x, m = mp.x, mp
        k += 1
        if callback is not None:
            callback(np.copy(x))
        if m.jac_mag < gtol:
            status = 0
            break
        if k >= maxiter:
            status = 1
            break
    return TrustResult(x, m.fun, m.jac, k, status, status == 0, _MESSAGES[status])


class RiskFGH:
    """``theta -> (L, grad L, Hess L)`` on fixed data, from one evaluation (a trial point).

    The operations of :func:`symadam.networks.hessian.risk_derivatives` (same
    numpy calls on the same shapes, so the same rounding) with what depends on
    the data alone (``(x, 1)``, its outer products, the neuron index arrays)
    computed once; for the many trial points of the trust-region searches.
    ``tests/test_morse_trust.py`` checks the equality with ``risk_derivatives``.

    Examples
    --------
    >>> x = np.linspace(-1, 1, 5); th = np.array([1.0, 0.5, 2.0, 0.0])
    >>> L, g, H = RiskFGH(x, np.tanh(x), "tanh", 1)(th)
    >>> g.shape, H.shape
    ((4,), (4, 4))
    """

    def __init__(self, x, y, activation: str, m: int):
        self.act = get_activation(activation)
        self.x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
        self.y = np.asarray(y, dtype=np.float64)
        n, d = self.x.shape
        self.n, self.d, self.m = n, d, m
        self.xt = np.concatenate([self.x, np.ones((n, 1))], axis=1)
        self.xx2 = (self.xt[:, :, None] * self.xt[:, None, :]).reshape(n, -1)
        j = np.arange(m)
        self.iu = np.concatenate([j[:, None] * d + np.arange(d)[None, :],
                                  (m * d + j)[:, None]], axis=1)
        self.iv = m * d + m + j
        self.P = m * (d + 2) + 1

    def __call__(self, theta):
        n, d, m, P, act = self.n, self.d, self.m, self.P, self.act
        t = np.asarray(theta, dtype=np.float64)[None, :]
        w = t[:, :m * d].reshape(1, m, d)
        b = t[:, m * d:m * d + m]
        v = t[:, m * d + m:m * d + 2 * m]
        c = t[:, -1]
        z = np.einsum("bjk,nk->bnj", w, self.x) + b[:, None, :]
        s0, s1 = act.f(z), act.d1(z)
        r = c[:, None] + np.einsum("bnj,bj->bn", s0, v) - self.y[None, :]
        vs1 = v[:, None, :] * s1
        jac = np.empty((1, n, P))
        jac[:, :, :m * d] = (vs1[..., None] * self.x[None, :, None, :]).reshape(1, n, m * d)
        jac[:, :, m * d:m * d + m] = vs1
        jac[:, :, m * d + m:m * d + 2 * m] = s0
        jac[:, :, -1] = 1.0
        loss = np.add.reduce(r * r, axis=1) / n          # np.mean's own arithmetic
        grad = (2.0 / n) * np.einsum("bn,bnp->bp", r, jac)
        hess = (2.0 / n) * np.matmul(jac.transpose(0, 2, 1), jac)
        s2 = act.d2(z)
        rs2 = (r[:, :, None] * s2).transpose(0, 2, 1)
        A = ((2.0 / n) * np.matmul(rs2, self.xx2)).reshape(1, m, d + 1, d + 1) \
            * v[:, :, None, None]
        rs1 = (r[:, :, None] * s1).transpose(0, 2, 1)
        C = (2.0 / n) * np.matmul(rs1, self.xt)
        iu, iv = self.iu, self.iv
        hess[:, iu[:, :, None], iu[:, None, :]] += A
        hess[:, iu, iv[:, None]] += C
        hess[:, iv[:, None], iu] += C
        return float(loss[0]), grad[0], hess[0]
