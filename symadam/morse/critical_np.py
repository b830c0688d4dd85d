"""Critical points of the empirical risk: search, certification, classification.

**Nondegeneracy tolerance from the gradient residual.**  A numerical critical
point ``t`` has a small but nonzero gradient ``g``.  Let ``H = Hess L(t)``
with smallest ``|eigenvalue|`` ``lam``, ``eta = |H^{-1} g|`` (the Newton
step) and ``K`` a Lipschitz constant of ``Hess L`` on the ball of radius
``2 eta`` about ``t``.  Newton-Kantorovich (for ``F = grad L``): if
``h = K eta / lam <= 1/2`` there is a true critical point ``t*`` with
``|t* - t| <= r* = (1 - sqrt(1 - 2h)) lam / K <= 2 eta``, and by Weyl's
inequality every eigenvalue of ``Hess L(t*)`` is within ``K r* < lam`` of the
corresponding one of ``H``: ``t*`` is nondegenerate with the same index.
So the tolerance for every Morse decision is

    lam >= tau := 2 K eta        (equivalently h <= 1/2),

and since ``eta <= |g| / lam`` it is implied by ``lam >= sqrt(2 K |g|)``: a
residual ``|g| ~ 1e-15`` certifies eigenvalues down to about ``sqrt(K) 4e-8``.
``K`` is a rigorous bound on
``sup |D^3 L|`` over the ball (:func:`hessian_lipschitz_bound`), built from
the global bounds ``S_k >= sup |sigma^(k)|`` of :data:`DERIVATIVE_BOUNDS`:
with ``X = max_i |(x_i, 1)|``, ``V`` the largest ``|v_j|`` and ``R`` the
largest ``|r_i|`` on the ball,
``|DN| <= G1 = sqrt(m (S0^2 + V^2 S1^2 X^2) + 1)``,
``|D^2N| <= G2 = S1 X + V S2 X^2``, ``|D^3N| <= G3 = 3 S2 X^2 + V S3 X^3`` and
``|D^3 L| <= 2 (3 G1 G2 + R G3)``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import root

from ..networks.activations import get_activation
from ..networks.hessian import require_analytic, risk_derivatives
from .efficiency_np import canonicalize, classify_efficiency, split_parameters
from .trust_np import RiskFGH, minimize_trust_exact

__all__ = ["KANTOROVICH_FACTOR", "DERIVATIVE_BOUNDS", "hessian_lipschitz_bound", "Certificate",
           "certify",
           "CriticalPoint", "classify_point", "planted_minimum", "newton_polish",
           "search_critical_points", "LABELS"]

#: Labels of a numerical critical point (see :func:`symadam.morse.sweep.analyze_problem`):
#: ``certified_minimum``/``certified_saddle`` (a true nondegenerate critical point of that
#: index lies within ``2 eta``), ``singular`` (Newton in mpmath converges to a critical point
#: whose Hessian is numerically singular), ``diverging`` (the mpmath Newton iteration runs
#: off: an approximate critical point at infinity), ``uncertified`` (none of these shown).
LABELS = ("certified_minimum", "certified_saddle", "uncertified", "singular", "diverging")

#: The factor in ``tau = KANTOROVICH_FACTOR * K * eta``: ``h = K eta / lam <= 1/2`` (see the
#: module docstring); ``morse.efficient_nondegenerate`` checks every reported ``tau`` against
#: the derived ``2 K eta`` recomputed in mpmath, so a weaker factor is caught.
KANTOROVICH_FACTOR = 2.0

#: Upper bounds on sup|sigma'|, sup|sigma''|, sup|sigma'''| (exact maxima rounded up):
#: tanh 1, 4/(3 sqrt 3), 2; logistic 1/4, sqrt(3)/18, 1/8; softplus 1, 1/4, sqrt(3)/18;
#: GELU Phi(sqrt2) + sqrt2 phi(sqrt2) = 1.12890, 2 phi(0) = 0.7979, max |z (z^2-4)| phi(z) < 0.78.
DERIVATIVE_BOUNDS = {
    "tanh": (1.0, 0.7699, 2.0),
    "logistic": (0.25, 0.09623, 0.125),
    "softplus": (1.0, 0.25, 0.09623),
    "gelu": (1.129, 0.7979, 0.78),
}


def _sup_abs_sigma(activation: str, zmax: float) -> float:
    """Bound on ``|sigma(z)|`` for ``|z| <= zmax``."""
    if activation in ("tanh", "logistic"):
        return 1.0
    if activation == "softplus":
        return float(np.log(2.0) + zmax)
    return float(zmax)                       # |gelu(z)| <= |z|


def hessian_lipschitz_bound(theta, x, y, activation: str, radius: float) -> float:
    """Rigorous bound ``K`` on ``sup |D^3 L|`` over the ball of ``radius`` about ``theta``.

    Examples
    --------
    >>> th = np.array([1.0, 0.0, 1.0, 0.0])
    >>> K = hessian_lipschitz_bound(th, np.array([[0.0], [1.0]]), np.zeros(2), "tanh", 0.1)
    >>> 0 < K < 100
    True
    """
    require_analytic(activation)
    xx = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    d = xx.shape[1]
    w, b, v, _ = split_parameters(theta, d)
    m = len(v)
    S1, S2, S3 = DERIVATIVE_BOUNDS[activation]
    X = float(np.sqrt(np.max(np.sum(xx * xx, axis=1)) + 1.0))
    V = float(np.max(np.abs(v))) + radius
    U = float(np.max(np.linalg.norm(np.concatenate([w, b[:, None]], 1), axis=1))) + radius
    S0 = _sup_abs_sigma(activation, U * X)
    G1 = np.sqrt(m * (S0 ** 2 + V ** 2 * S1 ** 2 * X ** 2) + 1.0)
    G2 = S1 * X + V * S2 * X ** 2
    G3 = 3.0 * S2 * X ** 2 + V * S3 * X ** 3
    r = risk_derivatives(theta, xx, y, activation, hessian=False).resid[0]
    R = float(np.max(np.abs(r))) + G1 * radius
    return float(2.0 * (3.0 * G1 * G2 + R * G3))


class Certificate(NamedTuple):
    """Nondegeneracy certificate of a numerical critical point (see module docstring)."""

    grad_norm: float
    eigenvalues: np.ndarray
    min_abs_eig: float
    newton_step: float
    lipschitz: float
    tau: float
    certified: bool
    slack: float = 0.0


def certify(theta, x, y, activation: str) -> Certificate:
    """Eigenvalues, the tolerance ``tau = 2 K eta + slack`` and the test ``min |eig| >= tau``.

    Float64 round-off is accounted for (a standard model, not interval
    arithmetic): the computed gradient is a sum of ``n`` residual-weighted
    Jacobian rows of ``P`` entries, so it is within
    ``g_err = (n + P) u (2/n) |sum_i |r_i| |J_i||`` of the exact one
    (``u`` = float64 unit round-off), and ``eta = |H^{-1} g| + g_err / min|eig|``;
    ``eigh`` is backward stable, so the eigenvalues move by at most
    ``slack = 10 P u |H|_F``.  Points below this float64 floor are left to the
    mpmath route (:func:`symadam.morse.sweep.refine_and_certify`).

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 6)
    >>> c = certify(np.array([1.0, 0.0, 0.5, 0.0]), p.x, p.y, "tanh")
    >>> c.eigenvalues.shape
    (4,)
    """
    rd = risk_derivatives(theta, x, y, activation)
    g, H = rd.grad[0], rd.hess[0]
    lam, U = np.linalg.eigh(H)
    lmin = float(np.min(np.abs(lam)))
    gn = float(np.linalg.norm(g))
    u = np.finfo(np.float64).eps
    n, P = rd.jac.shape[1], H.shape[0]
    g_err = (n + P) * u * (2.0 / n) * float(np.linalg.norm(np.abs(rd.resid[0])
                                                          @ np.abs(rd.jac[0])))
    slack = 10.0 * P * u * float(np.linalg.norm(H))
    eta = float(np.linalg.norm((U.T @ g) / lam)) + g_err / lmin if lmin > 0 else np.inf
    K = hessian_lipschitz_bound(theta, x, y, activation, 2.0 * eta if np.isfinite(eta) else 1.0)
    tau = float(KANTOROVICH_FACTOR * K * eta + slack)
    ok = bool(lmin > 0 and np.isfinite(eta) and lmin >= tau)
    return Certificate(gn, lam, lmin, eta, K, tau, ok, slack)


class CriticalPoint(NamedTuple):
    """A converged point and its float64 classification."""

    theta: np.ndarray
    loss: float
    cert: Certificate
    kind: str        # float64 certificate: "minimum", "saddle" or "uncertified"
    domain: str      # "efficient", "redundant", "borderline" (margins), or "diverging"
    index: int       # number of negative eigenvalues
    method: str

    @property
    def label(self) -> str:
        """``certified_minimum``/``certified_saddle`` if the float64 certificate holds, else
        ``uncertified`` (or ``diverging`` outside the box); the mpmath stage of
        :func:`symadam.morse.sweep.analyze_problem` refines ``uncertified``."""
        if self.domain == "diverging":
            return "diverging"
        return "uncertified" if self.kind == "uncertified" else f"certified_{self.kind}"


def classify_point(theta, x, y, activation: str, method: str = "", bound: float = 50.0,
                   tol_efficient: float = 1e-3, tol_redundant: float = 1e-6) -> CriticalPoint:
    """Classify a numerical critical point: kind by the certified spectrum, domain by margins.

    ``kind`` is ``"uncertified"`` unless the float64 certificate holds, ``min |eig| >= tau``
    (then ``"minimum"`` if all eigenvalues are positive, else ``"saddle"``).  ``domain`` is
    ``"diverging"`` when ``max |theta| > bound``, else the efficiency class of
    :func:`~symadam.morse.efficiency_np.classify_efficiency`.  Whether an uncertified point
    is finite (singular or not) or runs off to infinity is decided by the mpmath stage of
    :func:`symadam.morse.sweep.analyze_problem` (Newton refinement), not by a rule on the
    float64 point: a finite minimum is certified there, whatever its neurons look like.

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 6)
    >>> classify_point(np.array([1.0, 0.0, 0.0, 0.0]), p.x, p.y, "tanh").domain
    'redundant'
    """
    xx = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    t = np.asarray(theta, dtype=np.float64)
    cert = certify(t, xx, y, activation)
    if cert.certified:
        kind = "minimum" if cert.eigenvalues[0] > 0 else "saddle"
    else:
        kind = "uncertified"
    if np.max(np.abs(t)) > bound:
        domain = "diverging"
    else:
        domain = classify_efficiency(t, xx.shape[1], activation, tol_efficient, tol_redundant)
    loss = float(risk_derivatives(t, xx, y, activation, hessian=False).loss[0])
    return CriticalPoint(t, loss, cert, kind, domain, int(np.sum(cert.eigenvalues < 0)), method)


def newton_polish(theta, x, y, activation: str, steps: int = 6) -> np.ndarray:
    """A few plain Newton steps on ``grad L = 0``, kept while the gradient shrinks.

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 6)
    >>> newton_polish(np.array([1.0, 0.0, 0.5, 0.0]), p.x, p.y, "tanh").shape
    (4,)
    """
    t = np.asarray(theta, dtype=np.float64).copy()
    rd = risk_derivatives(t, x, y, activation)
    gn = np.linalg.norm(rd.grad[0])
    for _ in range(steps):
        try:
            step = np.linalg.lstsq(rd.hess[0], rd.grad[0], rcond=1e-14)[0]
        except np.linalg.LinAlgError:  # pragma: no cover
            break
        cand = t - step
        rc = risk_derivatives(cand, x, y, activation)
        gc = np.linalg.norm(rc.grad[0])
        if not np.isfinite(gc) or gc >= gn:
            break
        t, rd, gn = cand, rc, gc
    return t


def _hess(t, x, y, a):
    return risk_derivatives(t, x, y, a).hess[0]


def _grad(t, x, y, a):
    return risk_derivatives(t, x, y, a, hessian=False).grad[0]


class _Escaped(Exception):
    pass


def search_critical_points(x, y, width: int, activation: str, restarts: int,
                           rng: np.random.Generator, gtol: float = 1e-9, init_scale: float = 1.0,
                           saddle_fraction: float = 0.5, maxiter: int = 100,
                           bound: float = 50.0, dedupe: float = 1e-12
                           ) -> tuple[list[CriticalPoint], dict]:
    """Critical points from ``restarts`` random starts; returns ``(points, counts)``.

    A fraction ``1 - saddle_fraction`` of the starts runs scipy's
    ``trust-exact`` algorithm (exact Hessian; finds minima;
    :func:`~symadam.morse.trust_np.minimize_trust_exact`, the same iterates), the
    rest ``scipy.optimize.root`` (``hybr``, Jacobian = exact Hessian) on ``grad L = 0``, which also
    converges to saddles.  Every end point inside the box ``max |theta| <=
    bound`` is polished by Newton steps and counted as converged if
    ``|grad L| <= gtol``; runs that leave the box are counted as
    ``"escaped"`` (diverging), others as ``"not_converged"``.  Only repeats of
    the same float64 point (canonical vectors, :func:`~symadam.morse.efficiency_np.canonicalize`,
    equal to ``dedupe`` relative) are dropped here; distinct numerical points of
    one critical point are merged after certification, by a certified distance
    (:func:`symadam.morse.sweep.deduplicate`).  Starts draw
    ``w, b ~ N(0, init_scale^2)``, ``v ~ N(0, 1)``, ``c = mean(y)``.

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 8)
    >>> pts, counts = search_critical_points(p.x, p.y, 2, "tanh", 2, np.random.default_rng(0))
    >>> all(pt.cert.grad_norm <= 1e-9 for pt in pts), sorted(counts)
    (True, ['duplicate', 'escaped', 'not_converged'])
    """
    require_analytic(activation)
    xx = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    yy = np.asarray(y, dtype=np.float64)
    d = xx.shape[1]
    m = int(width)
    args = (xx, yy, activation)
    found: list[CriticalPoint] = []
    canon: list[np.ndarray] = []
    counts = {"escaped": 0, "not_converged": 0, "duplicate": 0}
    n_saddle = int(round(restarts * saddle_fraction))
    fgh = RiskFGH(xx, yy, activation, m)

    def watch(xk, *_):
        if np.max(np.abs(xk)) > bound:
            raise _Escaped

    def grad_watch(t, *a):
        watch(t)
        return _grad(t, *a)

    for k in range(restarts):
        t0 = np.concatenate([init_scale * rng.standard_normal(m * d + m),
                             rng.standard_normal(m), [yy.mean()]])
        method = "trust-exact" if k < restarts - n_saddle else "newton-root"
        try:
            with np.errstate(all="ignore"):
                if method == "trust-exact":
                    res = minimize_trust_exact(fgh, t0, gtol=gtol * 1e-2, maxiter=maxiter,
                                               callback=watch)
                else:
                    res = root(grad_watch, t0, args=args, jac=_hess, method="hybr",
                               options={"maxfev": maxiter * 2})
                t = res.x
                if not np.all(np.isfinite(t)) or np.max(np.abs(t)) > bound:
                    raise _Escaped
                t = newton_polish(t, xx, yy, activation)
                watch(t)
        except _Escaped:
            counts["escaped"] += 1
            continue
        except ValueError as exc:
            # trust-exact (as scipy's) raises on a trial point whose Hessian or gradient
            # overflowed; that start escaped too.
            if "infs or NaNs" not in str(exc):
                raise
            counts["escaped"] += 1
            continue
        gn = float(np.linalg.norm(_grad(t, *args)))
        if not gn <= gtol:
            counts["not_converged"] += 1
            continue
        ct = canonicalize(t, d, activation)
        if any(np.max(np.abs(ct - q)) <= dedupe * (1 + np.max(np.abs(q))) for q in canon):
            counts["duplicate"] += 1
            continue
        canon.append(ct)
        found.append(classify_point(t, xx, yy, activation, method, bound=bound))
    return found, counts


def planted_minimum(activation: str, width: int, points: int, rng: np.random.Generator,
                    noise: float = 0.1, tries: int = 60, min_rel_eig: float = 1e-6
                    ) -> tuple[np.ndarray, np.ndarray, CriticalPoint]:
    """A certified efficient minimum with nonzero residual, near a planted network.

    Targets ``y = N_theta0(x) + noise * (GP draw)`` on the fixed design
    (``theta0``: ``w ~ N(0, 1.5^2)``, ``b ~ N(0, 0.5^2)``, ``v ~ N(0, 1)``,
    ``c = 0``); ``trust-exact`` from ``theta0`` plus Newton polishing.  Returns
    ``(x, y, point)``; raises ``RuntimeError`` after ``tries`` failed draws.
    Minima with ``min eig < min_rel_eig * max eig`` (nearly saturated, e.g. a
    steep logistic step) are skipped, so that zero eigenvalues of constructed
    redundant points stand out by orders of magnitude.

    Examples
    --------
    >>> x, y, pt = planted_minimum("tanh", 1, 8, np.random.default_rng(0))
    >>> pt.domain, pt.kind
    ('efficient', 'minimum')
    """
    from ..networks.problems import fixed_design, gp_targets

    require_analytic(activation)
    x = fixed_design(points)
    act = get_activation(activation)
    for _ in range(tries):
        w = 1.5 * rng.standard_normal((width, 1))
        b = 0.5 * rng.standard_normal(width)
        v = rng.standard_normal(width)
        y = act.f(x @ w.T + b) @ v + noise * gp_targets(x, rng)
        t0 = np.concatenate([w.ravel(), b, v, [0.0]])
        with np.errstate(all="ignore"):
            res = minimize_trust_exact(RiskFGH(x, y, activation, width), t0, gtol=1e-12,
                                       maxiter=200)
        if not np.all(np.isfinite(res.x)) or np.max(np.abs(res.x)) > 50:
            continue
        t = newton_polish(res.x, x, y, activation)
        if np.linalg.norm(_grad(t, x, y, activation)) > 1e-9:
            continue
        pt = classify_point(t, x, y, activation, "trust-exact")
        ev = pt.cert.eigenvalues
        if pt.domain == "efficient" and pt.kind == "minimum" and ev[0] >= min_rel_eig * ev[-1]:
            return x, y, pt
    raise RuntimeError(f"no planted efficient minimum found for {activation} in {tries} tries")
