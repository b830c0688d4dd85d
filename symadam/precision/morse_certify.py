"""High-precision residuals for certifying critical points of shallow-network risks (mpmath).

The float64 certificate of :mod:`symadam.numeric.critical_points` needs
``min|eig| >= tau = 2 K |H^{-1} g|``; with ``|g| ~ 1e-16`` (round-off) it
cannot certify eigenvalues below about ``1e-7``.  Here the gradient residual is
evaluated in mpmath at ``dps`` digits (an independent route: plain loops over
data and neurons, no numpy), and the point is refined by Newton steps
``theta <- theta - H^{-1} g_mp`` held in mpmath (``H`` in float64 is enough
for a contraction ``|I - H_64^{-1} H| ~ kappa 1e-16 << 1``).  Then
``eta = |H^{-1} g_mp|`` is tiny and ``tau = 2 K eta`` certifies much smaller
eigenvalues.  The float64 eigenvalues are taken at the float64 rounding
``t64`` of the refined point; the certificate subtracts the slack
``delta = K |theta_mp - t64| + 10 P eps |H|_F`` (Hessian change over the rounding
plus the backward error of ``eigvalsh``): certified iff
``min|eig| - delta >= tau``.
"""
from __future__ import annotations

import mpmath
import numpy as np

__all__ = ["risk_gradient_mp", "refine_and_certify", "recertify_sweep"]


def _sig(name: str, z):
    if name == "tanh":
        t = mpmath.tanh(z)
        return t, 1 - t * t
    if name == "logistic":
        s = 1 / (1 + mpmath.exp(-z))
        return s, s * (1 - s)
    if name == "softplus":
        return mpmath.log1p(mpmath.exp(z)), 1 / (1 + mpmath.exp(-z))
    if name == "gelu":
        Phi = (1 + mpmath.erf(z / mpmath.sqrt(2))) / 2
        return z * Phi, Phi + z * mpmath.npdf(z)
    raise ValueError(f"activation must be one of tanh, logistic, softplus, gelu; got {name!r}")


def risk_gradient_mp(theta, x, y, activation: str, dps: int = 40) -> list:
    """Gradient of the empirical risk at ``theta`` (mpf list) in mpmath, ``dps`` digits.

    Examples
    --------
    >>> g = risk_gradient_mp([1, 0, 1, 0], [[0.0], [1.0]], [0.0, 0.5], "tanh")
    >>> len(g)
    4
    """
    with mpmath.workdps(dps):
        xa = np.asarray(x, float).reshape(len(x), -1)
        X = [[mpmath.mpf(float(v)) for v in row] for row in xa]
        Y = [mpmath.mpf(float(v)) for v in np.asarray(y, float)]
        t = [mpmath.mpf(v) for v in theta]
        n, d = len(X), len(X[0])
        m = (len(t) - 1) // (d + 2)
        g = [mpmath.mpf(0)] * len(t)
        for i in range(n):
            s0, s1 = [], []
            for j in range(m):
                z = mpmath.fsum(t[j * d + k] * X[i][k] for k in range(d)) + t[m * d + j]
                a, b = _sig(activation, z)
                s0.append(a)
                s1.append(b)
            r = t[-1] + mpmath.fsum(t[m * d + m + j] * s0[j] for j in range(m)) - Y[i]
            for j in range(m):
                vs1 = t[m * d + m + j] * s1[j]
                for k in range(d):
                    g[j * d + k] += r * vs1 * X[i][k]
                g[m * d + j] += r * vs1
                g[m * d + m + j] += r * s0[j]
            g[-1] += r
        return [2 * gi / n for gi in g]


def refine_and_certify(theta, x, y, activation: str, dps: int = 40, steps: int = 4) -> dict:
    """Newton-refine ``theta`` with mpmath residuals and certify nondegeneracy.

    Returns a JSON-ready dict: ``certified``, ``min_abs_eig``, ``tau``,
    ``slack``, ``grad_norm`` (mp residual, as a decimal string) and the index.

    Examples
    --------
    >>> from symadam.numeric.critical_points import planted_minimum
    >>> x, y, pt = planted_minimum("tanh", 1, 8, np.random.default_rng(0))
    >>> refine_and_certify(pt.theta, x, y, "tanh")["certified"]
    True
    """
    from ..numeric.critical_points import hessian_lipschitz_bound
    from ..numeric.hessian import risk_derivatives

    xx = np.asarray(x, float).reshape(len(x), -1)
    with mpmath.workdps(dps):
        t = [mpmath.mpf(float(v)) for v in theta]
        for _ in range(steps):
            g = risk_gradient_mp(t, xx, y, activation, dps)
            H = risk_derivatives(np.array([float(v) for v in t]), xx, y, activation).hess[0]
            step = np.linalg.lstsq(H, np.array([float(v) for v in g]), rcond=1e-15)[0]
            t = [ti - mpmath.mpf(float(si)) for ti, si in zip(t, step)]
        g = risk_gradient_mp(t, xx, y, activation, dps)
        t64 = np.array([float(v) for v in t])
        round_err = float(mpmath.sqrt(mpmath.fsum((ti - mpmath.mpf(float(ti))) ** 2 for ti in t)))
        gnorm = mpmath.sqrt(mpmath.fsum(gi * gi for gi in g))
        gf = np.array([float(gi) for gi in g])
    H = risk_derivatives(t64, xx, y, activation).hess[0]
    lam, U = np.linalg.eigh(H)
    lmin = float(np.min(np.abs(lam)))
    eta = float(np.linalg.norm((U.T @ gf) / lam)) if lmin > 0 else float("inf")
    K = hessian_lipschitz_bound(t64, xx, y, activation, 2 * eta + round_err + 1e-12)
    slack = K * round_err + 10 * H.shape[0] * np.finfo(float).eps * float(np.linalg.norm(H))
    tau = 2 * K * eta
    return {"certified": bool(lmin - slack >= tau), "min_abs_eig": lmin, "tau": tau,
            "slack": slack, "grad_norm": mpmath.nstr(gnorm, 5), "index": int(np.sum(lam < 0)),
            "dps": dps}


def recertify_sweep(results: list, activation: str, points: int, seed: int, d: int = 1,
                    kind: str = "gp", dps: int = 40) -> int:
    """Re-examine the uncertified efficient points of a sweep with mpmath residuals (in place).

    Every efficient point whose float64 certificate failed is refined by
    :func:`refine_and_certify`; if that certifies it, its ``kind`` becomes
    ``minimum``/``saddle`` with ``"certified_by": "mpmath"`` (the float64
    verdict stays in ``"kind64"``).  Returns the number of points re-examined.

    Examples
    --------
    >>> recertify_sweep([], "tanh", 10, 0)
    0
    """
    from ..numeric.problems import make_problem

    count = 0
    for r in results:
        for p in r["points"]:
            p.setdefault("kind64", p["kind"])
            if p["domain"] != "efficient" or p["kind"] != "degenerate":
                continue
            prob = make_problem(seed, r["index"], points, d, kind)
            cert = refine_and_certify(np.array(p["theta"]), prob.x, prob.y, activation, dps)
            p["mp_certificate"] = cert
            count += 1
            if cert["certified"]:
                p["kind"] = "minimum" if cert["index"] == 0 else "saddle"
                p["class"] = f"{p['domain']}_{p['kind']}"
                p["min_abs_eig"], p["tau"] = cert["min_abs_eig"], cert["tau"]
                p["certified_by"] = "mpmath"
    return count
