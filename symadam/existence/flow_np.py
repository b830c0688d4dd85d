"""Gradient flows of network risks by a stiff ODE solver, and growth-law fits.

``theta'(t) = -grad L(theta(t))`` with ``L`` the empirical risk
``mean_i (N_theta(x_i) - y_i)^2`` of a :class:`~symadam.networks.network.Network`.
The right-hand side is the exact gradient (backpropagation,
``Network.generalized_gradient``; for smooth activations the true gradient),
the Jacobian ``-Hessian`` is exact for analytic activations
(``Network.hessian``).  Near divergence the flow is stiff (fast relaxation
across a valley, slow drift along it), so an implicit solver (Radau, BDF) or
LSODA is used with tight tolerances, sampled on a logarithmic time grid.

Also: :func:`restart_minimize` (seeded random restarts of scipy's L-BFGS-B on a
float objective, the numeric route that confirms exact minimizers) and
:func:`fit_power_law` (least squares on log-log axes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize

from ..networks.network import Network

__all__ = ["FlowResult", "gradient_flow", "fit_power_law", "restart_minimize",
           "tanh_width1_law", "relu_risk_and_grad", "relu_restarts"]


@dataclass
class FlowResult:
    """Samples of a gradient flow on a log-time grid.

    Attributes
    ----------
    t : ndarray (n,)
    theta : ndarray (n, P)
    loss : ndarray (n,)
    norm : ndarray (n,)
        Euclidean norm of ``theta``.
    nfev, njev : int
        Right-hand side and Jacobian evaluations.
    method : str
    """

    t: np.ndarray
    theta: np.ndarray
    loss: np.ndarray
    norm: np.ndarray
    nfev: int
    njev: int
    method: str

    def monotone_loss(self, rtol: float = 1e-9) -> bool:
        """True if the sampled loss never increases beyond ``rtol`` relative.

        Examples
        --------
        >>> e = np.zeros(3)
        >>> FlowResult(e, e[:, None], np.array([3.0, 2.0, 2.5]), e, 0, 0, "BDF").monotone_loss()
        False
        """
        d = np.diff(self.loss)
        return bool(np.all(d <= rtol * np.abs(self.loss[:-1]) + 1e-300))


def gradient_flow(net: Network, theta0, x, y, t_max: float, t_min: float = 1.0,
                  samples: int = 41, method: str = "BDF", rtol: float = 1e-10,
                  atol: float = 1e-12) -> FlowResult:
    """Integrate the gradient flow of the empirical risk from ``theta0`` to ``t_max``.

    Parameters
    ----------
    net : Network
    theta0 : array (P,)
    x, y : data (n, d) and (n,)
    t_max, t_min : float
        Samples at ``0`` and at ``samples`` log-spaced times in ``[t_min, t_max]``.
    method : {"Radau", "BDF", "LSODA"}
        Stiff solvers only; ``Radau``/``BDF`` get the exact Jacobian for
        analytic activations.
    rtol, atol : float
        Solver tolerances.

    Examples
    --------
    >>> net = Network((1, 1, 1), "tanh")
    >>> x = np.linspace(-1, 1, 9); y = x.copy()
    >>> fr = gradient_flow(net, [1.0, 0.0, 1.0, 0.0], x, y, 100.0, samples=5)
    >>> bool(fr.monotone_loss()) and bool(fr.loss[-1] < fr.loss[0])
    True
    """
    if method not in ("Radau", "BDF", "LSODA"):
        raise ValueError(f"method must be one of Radau, BDF, LSODA; got {method!r}")
    if not (t_max > t_min > 0):
        raise ValueError(f"t_max must be > t_min > 0, got t_min={t_min}, t_max={t_max}")
    th0 = np.asarray(theta0, dtype=np.float64)
    xx = net.check_x(x)
    yy = net.check_y(y, xx.shape[0])
    counts = {"jac": 0}
    shallow = _shallow_gradient(net, xx, yy)

    def rhs(_t, th):
        return -shallow(th) if shallow is not None else -net.generalized_gradient(th, xx, yy)

    jac = None
    if net.act.analytic and method in ("Radau", "BDF"):
        def jac(_t, th):
            counts["jac"] += 1
            return -net.hessian(th, xx, yy)

    t_eval = np.concatenate([[0.0], np.geomspace(t_min, t_max, samples)])
    kw = {"jac": jac} if jac is not None else {}
    sol = solve_ivp(rhs, (0.0, t_max), th0, method=method, t_eval=t_eval, rtol=rtol,
                    atol=atol, **kw)
    if not sol.success:
        raise RuntimeError(f"gradient flow solver failed: {sol.message}")
    th = sol.y.T
    loss = np.asarray(net.risk(th, xx, yy))
    return FlowResult(sol.t, th, loss, np.linalg.norm(th, axis=1), int(sol.nfev),
                      int(getattr(sol, "njev", counts["jac"])), method)


def _shallow_gradient(net: Network, x: np.ndarray, y: np.ndarray):
    """The empirical-risk gradient of a ``(1, m, 1)`` network as a closure, or None.

    Same chain rule as :meth:`Network.generalized_gradient` (the activation's
    ``d1``, so ``relu'(0) = 0``), without the per-call input checks and the
    batching: the ODE right-hand side is called tens of thousands of times.
    Flat layout ``(w: m, b: m, v: m, c)``.
    """
    if len(net.widths) != 3 or net.widths[0] != 1 or net.widths[2] != 1:
        return None
    m, xs, n = net.widths[1], x[:, 0], x.shape[0]
    f, d1 = net.act.f, net.act.d1

    def grad(th):
        w, b, v, c = th[:m], th[m:2 * m], th[2 * m:3 * m], th[3 * m]
        z = np.multiply.outer(xs, w) + b                     # (n, m)
        a = f(z)
        r = (2.0 / n) * (a @ v + c - y)                      # dL/dN
        gz = np.multiply.outer(r, v) * d1(z)                 # dL/dz
        return np.concatenate([xs @ gz, gz.sum(axis=0), r @ a, [r.sum()]])

    return grad


def fit_power_law(t, values, t_from: float | None = None) -> dict:
    """Least-squares fit ``values ~ C t^p`` on log-log axes (``t >= t_from``).

    Returns
    -------
    dict with ``exponent``, ``prefactor``, ``max_log_residual`` (largest
    ``|log v - log(C t^p)|``), ``decades`` (``log10`` of the fitted t-range).

    Examples
    --------
    >>> t = np.geomspace(1, 1e4, 9)
    >>> round(fit_power_law(t, 3 * t ** 0.5)["exponent"], 12)
    0.5
    """
    t = np.asarray(t, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    m = (t > 0) & (v > 0)
    if t_from is not None:
        m &= t >= t_from
    if m.sum() < 3:
        raise ValueError("need at least 3 positive samples to fit a power law")
    lt, lv = np.log(t[m]), np.log(v[m])
    A = np.vstack([lt, np.ones_like(lt)]).T
    (p, logc), *_ = np.linalg.lstsq(A, lv, rcond=None)
    res = lv - (p * lt + logc)
    return {"exponent": float(p), "prefactor": float(np.exp(logc)),
            "max_log_residual": float(np.max(np.abs(res))),
            "decades": float(np.log10(t[m].max() / t[m].min()))}


def tanh_width1_law(x) -> dict:
    """Leading-order law of the gradient flow of ``v tanh(w x)`` fitting ``y = x``.

    Data ``x`` symmetric about 0, so ``b = c = 0`` is invariant.  With
    ``s = v w`` the network is ``s x - s w^2 x^3/3 + O(w^4)``; minimizing the
    risk over ``s`` leaves ``L*(w) = K w^4``, ``K = (E x^6 - (E x^4)^2/E x^2)/9``.
    The flow relaxes fast onto the valley ``v = s*(w)/w`` and then drifts
    along it; the valley's tangent has squared length ``~ w^{-4}``, so
    ``dw/dt = -L*'(w) w^4 = -4K w^7``: ``w ~ (24 K t)^{-1/6}``,
    ``||theta|| ~ 1/w = (24 K t)^{1/6}`` and ``L ~ K (24 K t)^{-2/3}``.

    Examples
    --------
    >>> law = tanh_width1_law(np.linspace(-1, 1, 9))
    >>> law["norm_exponent"], law["loss_exponent"]
    (0.16666666666666666, -0.6666666666666666)
    """
    x = np.asarray(x, dtype=np.float64)
    m2, m4, m6 = (np.mean(x ** k) for k in (2, 4, 6))
    K = (m6 - m4 ** 2 / m2) / 9.0
    return {"K": float(K), "norm_exponent": 1 / 6, "loss_exponent": -2 / 3,
            "norm_prefactor": float((24 * K) ** (1 / 6)),
            "loss_prefactor": float(K * (24 * K) ** (-2 / 3))}


def restart_minimize(objective: Callable[[np.ndarray], float], dim: int, restarts: int,
                     seed: np.random.SeedSequence | int, scale: float = 1.0,
                     method: str = "L-BFGS-B") -> dict:
    """Best of ``restarts`` local minimizations from seeded random starts.

    Starts are ``N(0, scale^2)`` in every coordinate.

    Returns
    -------
    dict with ``best`` (value), ``theta`` (its minimizer), ``values`` (all
    final values, sorted).

    Examples
    --------
    >>> r = restart_minimize(lambda z: float((z[0] - 1) ** 2 + z[1] ** 2), 2, 3, 0)
    >>> r["best"] < 1e-10
    True
    """
    rng = np.random.default_rng(seed)
    vals, best, arg = [], np.inf, None
    for _ in range(restarts):
        z0 = rng.normal(0.0, scale, dim)
        res = minimize(objective, z0, method=method)
        v = float(objective(res.x))
        vals.append(v)
        if v < best:
            best, arg = v, res.x
    return {"best": best, "theta": arg, "values": sorted(vals)}


_GL: dict = {}


def _leggauss(n: int):
    if n not in _GL:
        _GL[n] = np.polynomial.legendre.leggauss(n)
    return _GL[n]


def relu_risk_and_grad(theta, width: int, target: Callable, domain=(0.0, 1.0),
                       breaks=(), density: Callable | None = None, nodes: int = 8,
                       skip: bool = False):
    """Population risk of a shallow 1-D ReLU network and its gradient (float64).

    Gauss-Legendre with ``nodes`` points on every interval between the
    network's kinks, the target's ``breaks`` and the domain ends: exact (up
    to rounding) when ``(N - f)^2 p`` is a polynomial of degree
    ``<= 2 nodes - 1`` on each interval.  The risk is C^1, so the gradient
    (``relu'(0) = 0``; kinks on nodes have measure zero) is its true gradient.
    With ``skip=True`` (residual network) ``theta`` has one more entry, the
    slope ``alpha`` of the affine skip connection ``alpha x``.

    Examples
    --------
    >>> th = np.array([1.0, -0.5, 1.0, 0.0])            # relu(x - 1/2) vs f = 0
    >>> r, g = relu_risk_and_grad(th, 1, lambda x: 0 * x)
    >>> round(r, 15)
    0.041666666666667
    """
    a, b = (float(v) for v in domain)
    th = np.asarray(theta, dtype=np.float64)
    m = int(width)
    w, bb, v, c = th[:m], th[m:2 * m], th[2 * m:3 * m], th[3 * m]
    safe = np.where(w != 0, w, 1.0)
    kinks = np.where(w != 0, -bb / safe, a)
    pts = np.sort(np.clip(np.concatenate([[a, b], np.asarray(breaks, float), kinks]), a, b))
    s, gw = _leggauss(nodes)
    lo, hi = pts[:-1, None], pts[1:, None]
    xs = (0.5 * (hi - lo) * s + 0.5 * (hi + lo)).ravel()
    ws = (0.5 * (hi - lo) * gw).ravel()
    if density is None:
        ws = ws / (b - a)
    else:
        ws = ws * density(xs)
    z = xs[:, None] * w + bb
    on = z > 0
    act = np.where(on, z, 0.0)
    r = c + act @ v - target(xs)
    if skip:
        r = r + th[3 * m + 1] * xs
    wr = ws * r
    risk = float(np.sum(wr * r))
    gw_ = 2 * (wr @ (on * xs[:, None])) * v
    gb_ = 2 * (wr @ on) * v
    gv_ = 2 * (wr @ act)
    gc_ = 2 * np.sum(wr)
    extra = [2 * np.sum(wr * xs)] if skip else []
    return risk, np.concatenate([gw_, gb_, gv_, [gc_], extra])


def relu_restarts(width: int, target: Callable, restarts: int, seed, domain=(0.0, 1.0),
                  breaks=(), density: Callable | None = None, skip: bool = False) -> dict:
    """Best of ``restarts`` L-BFGS-B runs (exact gradient) on the ReLU population risk.

    Starts: kinks uniform on the domain, ``|w| = exp(N(0, 1/4))`` with a random
    sign, ``b = -w t``, ``v, c ~ N(0, 1)``; all from ``seed``.

    Returns
    -------
    dict with ``best``, ``theta``, ``values`` (sorted final risks).

    Examples
    --------
    >>> r = relu_restarts(1, lambda x: np.abs(x - 0.5), 10, 0, breaks=(0.5,))
    >>> bool(abs(r["best"] - (0.25 - np.sqrt(2) / 6)) < 1e-9)
    True
    """
    rng = np.random.default_rng(seed)
    a, b = (float(v) for v in domain)
    m = int(width)
    vals, best, arg = [], np.inf, None

    def fun(th):
        return relu_risk_and_grad(th, m, target, domain, breaks, density, skip=skip)

    for _ in range(restarts):
        t = rng.uniform(a, b, m)
        w = rng.choice([-1.0, 1.0], m) * np.exp(rng.normal(0, 0.5, m))
        th0 = np.concatenate([w, -w * t, rng.normal(0, 1, m), rng.normal(0, 1, 1 + int(skip))])
        res = minimize(fun, th0, jac=True, method="L-BFGS-B",
                       options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 400})
        v = float(fun(res.x)[0])
        vals.append(v)
        if v < best:
            best, arg = v, res.x
    return {"best": best, "theta": arg, "values": sorted(vals)}
