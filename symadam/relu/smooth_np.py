"""The approximation procedure: smooth activations ``R_r -> relu`` and their risk gradients.

arXiv 2501.15646 describes what libraries compute for ReLU networks as the
limit ``G(theta) = lim_{r -> inf} grad L_r(theta)``, where ``L_r`` is the
risk with ReLU replaced by a C^1 function ``R_r`` with ``R_r -> relu``
locally uniformly, ``sup_r sup_{|z| <= K} |R_r'(z)| < inf`` and
``R_r'(z) -> 1_{(0, inf)}(z)`` for every ``z`` (so ``R_r'(0) -> 0``).

Families implemented (``R_r(z) = P(r z) / r`` unless stated):

``"hermite"`` (admissible, C^2, piecewise polynomial)
    ``P(t) = 0`` for ``t <= 0``, ``6t^3 - 8t^4 + 3t^5`` on ``[0, 1]``,
    ``t`` for ``t >= 1``.  ``R_r = relu`` outside ``(0, 1/r)``, so for the
    empirical risk ``grad L_r(theta) = G(theta)`` *exactly* once ``1/r`` is
    below the smallest positive hidden pre-activation at a data point, at any
    depth (the network and all derivatives coincide at every data point).
    ``0 <= R_r' <= 1.512``.
``"shifted_softplus"`` (admissible, analytic)
    ``R_r(z) = softplus(r z - log r) / r``: ``R_r'(0) = 1/(1+r) -> 0``,
    ``|R_r - relu| <= (log r + log 2)/r``.  For depth 1 the gradients
    converge to ``G`` at rate ``O(log(r)/r)``.
``"softplus"`` (NOT admissible: the contrast)
    ``R_r(z) = softplus(r z) / r`` has ``R_r'(0) = 1/2`` for every ``r``;
    with a kink on a data point the gradients converge (depth 1) to
    backpropagation with ``relu'(0) = 1/2``, a different vector.

**Caveat for depth >= 2 (measured, see the ``relu.deep_kink_limit`` claim).**
Pointwise convergence of ``R_r'`` alone does not fix the limit when a kink
of a *deeper* layer sits on a data point: the approximation error of the
earlier layers, of order ``eps_r = sup |R_r - relu|``, shifts that
pre-activation to ``O(eps_r)`` and ``R_r'`` evaluated there need not tend to
0 (for shifted softplus it tends to 1 when the shift is positive enough).
Families with ``R_r = relu`` outside ``(0, 1/r)`` (``"hermite"``) avoid
this; we could not check which extra hypothesis the paper uses.

Gradients of ``L_r`` are computed here by the **complex step** (``Im
L_r(theta + i h e_k) / h``, no cancellation, exact to rounding), a route
independent of backpropagation; each ``f`` accepts complex arguments (for
the piecewise family the branch is chosen by the real part, valid because
``R_r`` is C^1).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from ..core.validate import check_real
from ..networks.activations import Activation

if TYPE_CHECKING:  # annotations only
    from ..networks.network import Network

__all__ = ["FAMILIES", "smooth_relu", "complex_step_gradient", "approximation_gradient",
           "convergence_study", "log_rate_fit", "admissibility"]

FAMILIES = ("hermite", "shifted_softplus", "softplus")


def _check_r(r) -> float:
    try:
        v = float(check_real("r", r))    # rejects bool, complex, text, nan, inf
    except ValueError:
        raise ValueError(f"r must be a finite real number >= 1, got {r!r}") from None
    if not v >= 1:
        raise ValueError(f"r must be a finite real number >= 1, got {r!r}")
    return v


def _softplus_c(w):
    """softplus for real or complex arrays (branch by the real part)."""
    w = np.asarray(w)
    if not np.iscomplexobj(w):
        return np.logaddexp(0.0, w)
    pos = w.real > 0
    with np.errstate(over="ignore", invalid="ignore"):
        a = w + np.log1p(np.exp(-np.where(pos, w, 0)))
        b = np.log1p(np.exp(np.where(pos, 0, w)))
    return np.where(pos, a, b)


def _sigmoid_c(w):
    w = np.asarray(w)
    if not np.iscomplexobj(w):
        return expit(w)
    pos = w.real > 0
    e = np.exp(-np.where(pos, w, -w))                  # exp(-w) or exp(w): modulus <= 1
    return np.where(pos, 1 / (1 + e), e / (1 + e))


#: complex-capable versions of the named activations whose float code rejects complex input
_COMPLEX_F = {"softplus": _softplus_c, "logistic": _sigmoid_c}


def _hermite(r: float) -> Activation:
    # The quintic is evaluated only on the transition 0 < t = r z < 1 (elsewhere on 0), so
    # huge pre-activations cannot overflow it; for t >= 1 the value is z itself, exactly.
    def split(z):
        z = np.asarray(z)
        with np.errstate(over="ignore", invalid="ignore"):
            t = r * z                                   # +-inf for |z| > 1.8e308 / r: fine
        return z, t.real >= 1, np.where((t.real > 0) & (t.real < 1), t, 0 * z)

    def f(z):
        z, above, t = split(z)
        return np.where(above, z, t * t * t * (6 + t * (-8 + 3 * t)) / r)

    def d1(z):
        z, above, t = split(z)
        return np.where(above, 1 + 0 * z, t * t * (18 + t * (-32 + 15 * t)))

    def d2(z):
        _, _, t = split(z)
        return r * t * (36 + t * (-96 + 60 * t))

    return Activation(f"hermite_relu(r={r:g})", f, d1, d2, analytic=False, odd=False)


def _softplus_family(r: float, shift: float, name: str) -> Activation:
    def f(z):
        return _softplus_c(r * np.asarray(z) - shift) / r

    def d1(z):
        return _sigmoid_c(r * np.asarray(z) - shift)

    def d2(z):
        s = _sigmoid_c(r * np.asarray(z) - shift)
        return r * s * (1 - s)

    return Activation(f"{name}(r={r:g})", f, d1, d2, analytic=True, odd=False)


def smooth_relu(family: str, r: float) -> Activation:
    """The activation ``R_r`` of a family (see the module docstring).

    Parameters
    ----------
    family : {"hermite", "shifted_softplus", "softplus"}
    r : float >= 1
        Sharpness; ``R_r -> relu`` as ``r -> inf``.

    Examples
    --------
    >>> z = np.array([-1.0, 0.0, 0.001, 1.0])
    >>> smooth_relu("hermite", 1e4).d1(z)
    array([0., 0., 1., 1.])
    >>> float(smooth_relu("softplus", 1e6).d1(np.array(0.0)))
    0.5
    >>> round(float(smooth_relu("shifted_softplus", 999.0).d1(np.array(0.0))), 6)
    0.001
    """
    rr = _check_r(r)
    if family == "hermite":
        return _hermite(rr)
    if family == "shifted_softplus":
        return _softplus_family(rr, math.log(rr), "shifted_softplus")
    if family == "softplus":
        return _softplus_family(rr, 0.0, "softplus")
    raise ValueError(f"family must be one of {', '.join(FAMILIES)}; got {family!r}")


def complex_step_gradient(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike,
                          activation: Activation | None = None,
                          h: float = 1e-40) -> np.ndarray:
    """Gradient of the empirical risk by the complex step, for one ``theta``.

    ``dL/dtheta_k = Im L(theta + i h e_k) / h + O(h^2)``; with ``h = 1e-40``
    the truncation is far below rounding, and there is no subtractive
    cancellation.  Only forward passes are used (independent of
    :mod:`symadam.networks.backprop`).  ``activation`` must accept complex
    input (default: the network's own, which must then be smooth).

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> net = Network((1, 2, 1), "tanh")
    >>> th = np.array([0.3, -0.5, 0.1, 0.2, 1.0, -1.0, 0.5])
    >>> x, y = np.array([[0.5], [-1.0]]), np.array([0.25, 1.0])
    >>> bool(np.allclose(complex_step_gradient(net, th, x, y),
    ...                  net.generalized_gradient(th, x, y), rtol=1e-13, atol=1e-15))
    True
    """
    t, batched = net.check_theta(theta)
    if batched:
        raise ValueError(f"theta must have shape ({net.num_params},) for the complex step")
    xx = net.check_x(x)
    yy = net.check_y(y, xx.shape[0])
    act = net.act if activation is None else activation
    if activation is None and act.name == "relu":
        raise ValueError("activation must be smooth for the complex step (got relu)")
    f = _COMPLEX_F.get(act.name, act.f) if activation is None else act.f
    P = net.num_params
    tc = t[0][None, :] + 1j * h * np.eye(P)                  # (P, P) complex batch
    a = xx.astype(complex)
    k, last = 0, len(net.shapes) - 1
    for li, (o, i) in enumerate(net.shapes):
        W = tc[:, k:k + o * i].reshape(P, o, i)
        k += o * i
        b = tc[:, k:k + o]
        k += o
        z = np.matmul(a, W.transpose(0, 2, 1)) + b[:, None, :]
        a = z if li == last else f(z)
    res = a[..., 0] - yy[None, :]
    L = np.mean(res * res, axis=1)
    return L.imag / h


def approximation_gradient(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike,
                           family: str, r: float,
                           method: str = "complex_step") -> np.ndarray:
    """``grad L_r(theta)``: the risk gradient of ``net`` with ReLU replaced by ``R_r``.

    ``method="complex_step"`` (independent of backprop, one ``theta``) or
    ``"backprop"`` (batched; :func:`~symadam.networks.backprop.backprop_gradient`
    of the ``R_r`` network).

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> net = Network((1, 1, 1), "relu")
    >>> th, x, y = np.array([1.0, 0.0, 1.0, 0.0]), [[0.0], [1.0]], [1.0, 0.0]
    >>> approximation_gradient(net, th, x, y, "hermite", 1e3)
    array([1., 1., 1., 0.])
    >>> net.generalized_gradient(th, x, y)
    array([1., 1., 1., 0.])
    """
    from ..networks.backprop import backprop_gradient
    from ..networks.network import Network

    act = smooth_relu(family, r)
    if net.activation != "relu":
        raise ValueError(f"net must be a relu network, got activation {net.activation!r}")
    if method == "complex_step":
        return complex_step_gradient(net, theta, x, y, act)
    if method == "backprop":
        return backprop_gradient(Network(net.widths, act), theta, x, y)
    raise ValueError(f"method must be 'complex_step' or 'backprop', got {method!r}")


def convergence_study(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike, family: str,
                      rs: Sequence[float], reference: ArrayLike | None = None) -> dict:
    """Errors ``|grad L_r(theta) - ref|_inf`` for each ``r`` and the log-log slope.

    ``reference`` defaults to ``G(theta)``.  ``slope`` is the least-squares
    slope of ``log(err)`` against ``log(r)`` over the ``r`` with ``err > 0``
    (``None`` if fewer than two); the measured convergence order is
    ``-slope``.  ``slope_log`` is the same for ``log(err / log r)`` (the
    order once a ``log r`` factor is divided out, as for shifted softplus,
    whose error is ``~ C log(r)/r``).

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> net = Network((1, 2, 1), "relu")
    >>> th = np.array([1.0, -1.0, 0.0, 0.5, 1.0, 1.0, 0.0])
    >>> out = convergence_study(net, th, [[0.0], [1.0], [-1.0]], [0.5, 0.0, 2.0],
    ...                         "shifted_softplus", [1e3, 1e4, 1e5])
    >>> 0.7 < -out["slope"] < 1.1
    True
    """
    ref = net.generalized_gradient(theta, x, y) if reference is None else np.asarray(reference)
    rs = [float(r) for r in rs]
    errs = [float(np.max(np.abs(approximation_gradient(net, theta, x, y, family, r) - ref)))
            for r in rs]
    pos = [(math.log(r), math.log(e)) for r, e in zip(rs, errs) if e > 0]
    slope = slope_log = None
    if len(pos) >= 2:
        lr, le = np.array(pos).T
        slope = float(np.polyfit(lr, le, 1)[0])
        if np.all(lr > 0):
            slope_log = float(np.polyfit(lr, le - np.log(lr), 1)[0])
    return {"r": rs, "error": errs, "slope": slope, "slope_log": slope_log}


def log_rate_fit(rs: Sequence[float], errors: Sequence[float]) -> dict:
    """Tell ``(A log r + B)/r`` from a power law ``C r^-p``: both least-squares fits.

    ``r * err`` is fitted by ``A log r + B`` (linear least squares); its
    ``max_rel_residual`` is ``max |r err - (A log r + B)| / (r err)``.  The power
    law is fitted on log-log axes; ``power_max_log_residual`` is its largest
    ``|log err - (log C - p log r)|``.  ``log_law`` and ``power_law`` are the two
    fitted errors at ``rs`` (for plots).  Over ``r = 10^4 .. 10^13`` an error
    ``(A log r + B)/r`` fits the first to ~1e-4 and the second only to ~0.1,
    while ``r^-0.9`` (whose ``r err = C r^0.1`` is convex in ``log r``) misses
    the first by ~0.1 and fits the second exactly.

    Examples
    --------
    >>> rs = 10.0 ** np.arange(4, 14)
    >>> fit = log_rate_fit(rs, (3 * np.log(rs) + 1) / rs)
    >>> round(fit["A"], 10), fit["max_rel_residual"] < 1e-12, fit["power_max_log_residual"] > 0.05
    (3.0, True, True)
    >>> log_rate_fit(rs, rs ** -0.9)["max_rel_residual"] > 0.05
    True
    """
    r = np.asarray(rs, dtype=np.float64)
    e = np.asarray(errors, dtype=np.float64)
    if r.shape != e.shape or r.size < 3 or not np.all((r > 1) & (e > 0)):
        raise ValueError("rs and errors must be equal-length arrays (>= 3) with r > 1, err > 0")
    L = np.log(r)
    M = np.vstack([L, np.ones_like(L)]).T
    (A, B), *_ = np.linalg.lstsq(M, r * e, rcond=None)
    rel = np.abs(r * e - M @ np.array([A, B])) / (r * e)
    p, logc = np.polyfit(L, np.log(e), 1)
    plog = np.abs(np.log(e) - (p * L + logc))
    return {"A": float(A), "B": float(B), "max_rel_residual": float(rel.max()),
            "power_exponent": float(-p), "power_max_log_residual": float(plog.max()),
            "log_law": [float(v) for v in M @ np.array([A, B]) / r],
            "power_law": [float(v) for v in np.exp(p * L + logc)]}


def admissibility(family: str, rs: Sequence[float], z: ArrayLike | None = None) -> dict:
    """Measure the admissibility conditions of ``R_r`` on a grid of ``z``, for each ``r``.

    For each ``r``: ``sup_dist`` = ``max_z |R_r(z) - max(z, 0)|`` (times ``r``:
    ``r_sup_dist``), ``sup_d1`` = ``max_z |R_r'(z)|``, ``d1_at_0`` = ``R_r'(0)``,
    and ``d1_gap`` = ``max |R_r'(z) - 1_{(0, inf)}(z)|`` over the fixed points
    ``z = -1, -0.01, 0.01, 1`` (pointwise convergence away from 0).  The grid
    defaults to 20001 points on ``[-2, 2]`` plus the dyadic points near 0.
    ``d1_consistency`` = ``max |Im R_r(z + i h)/h - R_r'(z)|`` (complex step,
    ``h = 1e-30``) on the grid and on 801 points of ``[-4/r, 4/r]``: the
    derivative measured above is the derivative of the ``R_r`` measured above
    (``R_r'`` and ``R_r`` are separate formulas).

    Examples
    --------
    >>> a = admissibility("shifted_softplus", [1e2, 1e6])
    >>> a["d1_at_0"][1] < 1e-5 and a["d1_gap"][1] < 1e-6
    True
    >>> admissibility("softplus", [1e6])["d1_at_0"]
    [0.5]
    >>> admissibility("hermite", [1e3])["d1_consistency"][0] < 1e-12
    True
    """
    zz = np.concatenate([np.linspace(-2, 2, 20001), 2.0 ** -np.arange(1, 40),
                         -(2.0 ** -np.arange(1, 40)), [0.0]]) if z is None \
        else np.asarray(z, dtype=np.float64)
    fixed = np.array([-1.0, -0.01, 0.01, 1.0])
    out: dict = {"r": [], "sup_dist": [], "r_sup_dist": [], "sup_d1": [], "d1_at_0": [],
                 "d1_gap": [], "d1_consistency": []}
    for r in rs:
        act = smooth_relu(family, r)
        dist = float(np.max(np.abs(act.f(zz) - np.maximum(zz, 0.0))))
        out["r"].append(float(r))
        out["sup_dist"].append(dist)
        out["r_sup_dist"].append(dist * float(r))
        out["sup_d1"].append(float(np.max(np.abs(act.d1(zz)))))
        out["d1_at_0"].append(float(act.d1(np.array(0.0))))
        out["d1_gap"].append(float(np.max(np.abs(act.d1(fixed) - (fixed > 0)))))
        zc = np.concatenate([zz, np.linspace(-4.0, 4.0, 801) / float(r)])
        cs = np.imag(act.f(zc + 1e-30j)) / 1e-30
        out["d1_consistency"].append(float(np.max(np.abs(cs - act.d1(zc)))))
    return out
