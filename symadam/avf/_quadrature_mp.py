"""The integrand of the exact Adam-vector-field route and its quadrature (private).

``A(theta) = int_0^oo K_eps(u) P(u) S(u) du`` (see
:mod:`symadam.avf.laplace`), with

* ``log P(u) = sum_j log phi(u b_j)``: the first ``n(u)`` terms are summed
  directly; the tail ``j >= n`` is summed in closed form through the power
  series ``log phi(c) = sum_r L_r c^r`` (cumulants of ``G^2``):
  ``sum_{j>=n} (u b_j)^r = x^r (1-beta2)^r / (1-beta2^r)``, ``x = u beta2^n``;
* ``S(u) = sum_k a_k psi(u b_k)/phi(u b_k)``: likewise, with the power series
  ``psi/phi = sum_r S_r c^r`` (joint cumulants of ``G`` and ``G^2``) and
  ``sum_{k>=n} a_k (u b_k)^r = beta1^n x^r (1-beta1)(1-beta2)^r/(1-beta1 beta2^r)``.

``n(u)`` is the smallest index at which the tail series, truncated at order
``R``, has its last terms below ``10^-wp`` (so the truncation is controlled,
not blind; for laws whose series only converge asymptotically, e.g.
exponential data, the same criterion selects a small enough ``x``).  The
substitution ``u = w^2 / E[G^2]`` removes the ``u^{-1/2}`` endpoint
singularity.  Everything runs at the caller's ``mpmath`` precision.

For the stationary field with ``beta1 > 0`` and ``beta2 >= 0.78``,
:func:`integrate_avf` integrates this integrand only up to ``u = xmax`` (no
head) and hands ``u > xmax`` to :func:`symadam.avf._history_mp.head_integral`;
``route="direct"`` keeps the factor-by-factor head (the previous route, kept
for cross-checks and benchmarks).
"""
from __future__ import annotations

import mpmath

from ._chebyshev_mp import Horner
from ._law_mp import GradientLaw

__all__ = ["AVFIntegrand", "integrate_avf"]


def _series_log(p):
    """Power series of log(p(c)) with p[0] == 1.

    ``L_n = p_n - (1/n) sum_{k<n} k L_k p_{n-k}``: each sum is one exact dot product
    (:func:`mpmath.fdot`, rounded once).
    """
    R = len(p) - 1
    L = [mpmath.mpf(0)] * (R + 1)
    kL = [mpmath.mpf(0)] * (R + 1)     # k L_k
    fdot = mpmath.fdot
    for n in range(1, R + 1):
        L[n] = p[n] - fdot(kL[1:n], p[n - 1:0:-1]) / n if n > 1 else +p[1]
        kL[n] = n * L[n]
    return L


def _series_div(q, p):
    """Power series of q(c)/p(c) with p[0] == 1 (``S_n = q_n - sum_{k=1}^n p_k S_{n-k}``)."""
    R = len(p) - 1
    S = [mpmath.mpf(0)] * (R + 1)
    fdot = mpmath.fdot
    for n in range(R + 1):
        S[n] = q[n] - fdot(p[1:n + 1], S[n - 1::-1]) if n else +q[0]
    return S


def _horner(coef, x):
    acc = mpmath.mpf(0)
    for a in reversed(coef):
        acc = acc * x + a
    return acc


class AVFIntegrand:
    """``w -> K_eps(u) P(u) S(u) du/dw`` at ``u = w^2/E[G^2]`` for one ``theta``.

    Parameters
    ----------
    gl : GradientLaw
    theta : mpf
    beta1, beta2, eps : mpf
    history : int or None
        ``None``: the stationary (infinite-history) field.  An integer ``n``:
        the finite-history variant ``M = sum_{k<n} a_k G_k``,
        ``V = sum_{k<n} b_k G_k^2`` (used for brute-force cross-checks).
    order : int or None
        Truncation order ``R`` of the tail series (default ``2 wp + 20``).
    """

    def __init__(self, gl: GradientLaw, theta, beta1, beta2, eps, history=None, order=None):
        wp = mpmath.mp.dps
        self.b1, self.b2, self.eps = beta1, beta2, eps
        self.history = history
        self.both = gl.phipsi(theta)
        R = int(order or 2 * wp + 20)
        mom = gl.moments(2 * R + 1, theta)
        self.m2 = mom[2]
        self.mean = mom[1]
        self.zero = self.m2 == 0
        if self.zero:
            return
        # smallest non-zero |G|^2 of a discrete law: E[M e^{-uV}] has a feature out to
        # u ~ 1/gmin2 (V can be as small as gmin2), which integrate_avf must cover
        self.gmin2 = None
        if gl.discrete:
            g2 = [g * g for g, p in gl.atoms(theta) if g != 0 and p != 0]
            self.gmin2 = min(g2) if g2 else None
        fact = [mpmath.mpf(1)]
        for n in range(1, R + 1):
            fact.append(fact[-1] * n)
        p = [(-1)**n * mom[2 * n] / fact[n] for n in range(R + 1)]
        q = [(-1)**n * mom[2 * n + 1] / fact[n] for n in range(R + 1)]
        L = _series_log(p)
        S = _series_div(q, p)
        one = mpmath.mpf(1)
        self.Lc = [mpmath.mpf(0)] + [L[r] * (one - beta2)**r / (one - beta2**r)
                                     for r in range(1, R + 1)]
        self.Sc = [S[r] * (one - beta1) * (one - beta2)**r / (one - beta1 * beta2**r)
                   for r in range(R + 1)]
        tol = mpmath.mpf(10)**(-wp)
        sc = mpmath.sqrt(self.m2)

        def reach(RR):
            xm = mpmath.inf
            for r in range(max(2, RR - 3), RR + 1):
                for c, t in ((self.Lc[r], tol), (self.Sc[r], tol * sc)):
                    if c != 0:
                        xm = min(xm, mpmath.root(t / abs(c), r))
            return xm

        # the largest x at which the truncated tail series is still accurate; for laws whose
        # series only converge asymptotically (unbounded, non-Gaussian data) a lower order wins
        best, xmax = R, reach(R)
        for RR in range(8, R, 4):
            xm = reach(RR)
            if xm > xmax:
                best, xmax = RR, xm
        R = best
        self.Lc, self.Sc = self.Lc[:R + 1], self.Sc[:R + 1]
        self.L, self.S = L[:R + 1], S[:R + 1]   # log phi and psi/phi as series in c
        self.xmax = xmax
        self.order = R
        # fast fixed-point Horner in x/xmax (the tail is only evaluated at x <= xmax)
        fast = mpmath.isfinite(xmax) and xmax > 0
        self._lh = Horner(self.Lc, xmax) if fast else (lambda x: _horner(self.Lc, x))
        self._sh = Horner(self.Sc, xmax) if fast else (lambda x: _horner(self.Sc, x))
        self.ln_b2 = -mpmath.log(beta2) if beta2 > 0 else None
        self.scale = 1 / self.m2  # u = w^2 * scale
        self.kfac = 2 / mpmath.sqrt(mpmath.pi * self.m2)
        self.logcut = -(wp + 20) * mpmath.log(10)
        self.cut = mpmath.mpf(10)**(-(wp + 20))

    def head_count(self, u):
        """Number of directly summed factors at ``u``."""
        if self.history is not None:
            return self.history
        if u <= self.xmax:
            return 0
        if self.ln_b2 is None:  # beta2 == 0: only b_0 is non-zero
            return 1
        return int(mpmath.ceil(mpmath.log(u / self.xmax) / self.ln_b2))

    def moment_term(self, u):
        """``E[M e^{-uV}] = P(u) S(u)``."""
        b1, b2 = self.b1, self.b2
        n = self.head_count(u)
        logp = mpmath.mpf(0)
        s = mpmath.mpf(0)
        if self.history is None:
            x = u * b2**n
            logp = self._lh(x)  # the tail of log P first: it is <= 0 (phi <= 1)
            if logp < self.logcut:
                return mpmath.mpf(0)
            s = b1**n * self._sh(x)
        c = u * (1 - b2)
        a = 1 - b1
        both = self.both
        cut = self.cut / mpmath.exp(logp)  # the tail factor exp(logp) <= 1 multiplies prod
        prod = mpmath.mpf(1)
        for i in range(n):
            ph, ps = both(c)
            if ph == 0:
                return mpmath.mpf(0)
            prod *= ph
            s += a * ps / ph
            if (i & 31) == 31 and prod < cut:
                # every remaining factor of P is <= 1 and |S| <= sqrt(E[G^2]) (tilting by
                # e^{-cG^2} lowers E[G^2]), so |P S| < 10^-(wp+20) sqrt(E G^2): negligible
                return mpmath.mpf(0)
            c *= b2
            a *= b1
        return mpmath.exp(logp) * prod * s

    def __call__(self, w):
        if w == 0:
            u = mpmath.mpf(0)
        else:
            u = w * w * self.scale
        # kernel times du/dw: (pi u)^{-1/2} 2 w/m2 = 2/sqrt(pi m2); minus the eps part
        k = self.kfac
        if self.eps != 0 and u != 0:
            z = self.eps * mpmath.sqrt(u)
            if z > 1:  # 1 - sqrt(pi) z e^{z^2} erfc(z) ~ 1/(2 z^2): guard the cancellation
                with mpmath.extradps(int(2 * mpmath.log10(z)) + 5):
                    e = z * mpmath.exp(z * z) * mpmath.erfc(z)
                    k = self.kfac * (1 - mpmath.sqrt(mpmath.pi) * e)
            else:
                k = k - self.eps * mpmath.exp(z * z) * mpmath.erfc(z) * 2 * w * self.scale
        if k == 0:
            return mpmath.mpf(0)
        return k * self.moment_term(u)


#: Subdivision of the w-axis (w^2 = u E[G^2]); the last piece runs to infinity.
_POINTS = (0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32)


def integrate_avf(f: AVFIntegrand, method: str = "gauss-legendre", route: str = "auto"):
    """``(value, error_estimate)`` of ``int_0^oo f(w) dw`` at the current precision.

    ``route="auto"``: for the stationary field with ``beta1, beta2 > 0`` the part
    ``u > xmax`` (where the tail series alone does not reach) goes to
    :func:`symadam.avf._history_mp.head_integral` (Euler--Maclaurin over the
    history); if that declines, or with ``route="direct"``, the head of the
    product is summed factor by factor.
    """
    if route not in ("auto", "direct"):
        raise ValueError(f"route must be 'auto' or 'direct', got {route!r}")
    if f.zero:
        return mpmath.mpf(0), mpmath.mpf(0)
    if (route == "auto" and f.history is None and f.b1 > 0 and f.ln_b2 is not None
            and mpmath.isfinite(f.xmax)):
        from ._history_mp import head_integral

        head = head_integral(f, f.xmax)
        if head is not None:
            wlo = mpmath.sqrt(f.xmax * f.m2)
            pts = [mpmath.mpf(p) for p in _POINTS if p < wlo] + [wlo]
            low, elow = mpmath.quad(f, pts, method=method, error=True)
            return low + head[0], elow + head[1]
    pts = [mpmath.mpf(p) for p in _POINTS]
    if getattr(f, "gmin2", None):
        # an atom with |g| << sqrt(E G^2) contributes ~ e^{-w^2 g^2/E G^2}: extend the
        # subdivision geometrically to where that factor is below 10^-(wp+20)
        # (a bernoulli:0.1 field at theta = 0.01 was off by 3e-15 with a 1e-20 estimate)
        wend = mpmath.sqrt(f.m2 / f.gmin2 * (mpmath.mp.dps + 20) * mpmath.log(10))
        while pts[-1] < wend:
            pts.append(2 * pts[-1])
    pts.append(mpmath.inf)
    val, err = mpmath.quad(f, pts, method=method, error=True)
    return val, err
