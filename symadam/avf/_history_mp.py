"""The product over the history in closed form: Euler--Maclaurin on Chebyshev panels (private).

Notation of :mod:`symadam.avf._quadrature_mp`: ``A = int_0^oo K_eps(u) P(u) S(u) du``
with ``P(u) = prod_{j>=0} phi(u b_j)``, ``S(u) = sum_k a_k psi(u b_k)/phi(u b_k)``,
``a_k = (1-beta1) beta1^k``, ``b_j = (1-beta2) beta2^j`` (the papers' alpha, beta).
In the variable ``s = log c`` of the Laplace argument put ``F(s) = log phi(e^s)``,
``R(s) = psi(e^s)/phi(e^s)``, ``h = -log beta2``, ``h1 = -log beta1``; at
``s0 = log(u b_0)``

    ``log P = sum_{j>=0} F(s0 - j h)``,   ``S = (1-beta1) sum_{k>=0} e^{-h1 k} R(s0 - k h)``.

Both are sums of a smooth function over a lattice of step ``h``.  The
Euler--Maclaurin formula, written with the generating function
``g(w) = 1/(1 - e^{-w}) - 1/w = sum_{n>=1} B_n^+ w^{n-1}/n!`` (radius ``2 pi``), gives

    ``sum_{k>=0} e^{-gam k} G(s0 - k h) = (1/h) int_{-oo}^{s0} e^{-(gam/h)(s0-t)} G(t) dt
    + sum_i c_i(gam) h^i G^(i)(s0)``,  ``c_i(gam) = g^(i)(gam)/i!``,

an asymptotic series whose smallest term is about ``exp(-2 pi d/h)`` (``d``:
the half-width of the strip where ``F``, ``R`` are analytic), negligible for
``beta2 >= 0.99`` unless ``phi`` has zeros near the positive axis.  With
``gam = 0`` the integral is ``Phi(s0)/h``, ``Phi`` the antiderivative of ``F``;
with ``gam = h1`` it is ``E(s0)/h`` where ``E' + (h1/h) E = R``.  Below
``s_lo`` (where the cumulant series of the tail converges) ``Phi`` and ``E``
are series in ``e^s``; above, ``F`` and ``R`` are interpolated on Chebyshev
panels (one law evaluation per point, panels halved until the coefficients
decay), ``Phi`` and ``E`` are continued panel by panel (exact antiderivative;
the polynomial particular solution of the ODE plus its exponential, or the
ultraspherical solve when ``h1/h`` times the panel is small), and ``log P``
and ``S`` become Chebyshev series on each panel.  The ``u``-integral over a
panel is then a quadrature of ``K(u) u e^{log P} S`` in ``s``.  If a series of
Euler--Maclaurin terms stops decreasing before it is negligible, the route
declines (returns ``None``) and the caller sums the product directly.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import mpmath

from ._chebyshev_mp import (
    Clenshaw,
    antiderivative,
    clenshaw_curtis,
    coefficients,
    fixed,
    fixed_derivative,
    lobatto_points,
    solve_exp_ode,
)

__all__ = ["em_weights", "kernel_u", "lattice_step", "head_integral", "H_MAX"]

#: Largest lattice step ``h = -log beta2`` this route takes (beta2 >= e^-0.25 = 0.78).
H_MAX = 0.25


def em_weights(w0: Any, count: int) -> list:
    """``c_i = g^(i)(w0)/i!``, ``i < count``, ``g(w) = 1/(1 - e^{-w}) - 1/w``, ``0 <= w0 < 2 pi``.

    ``g(w) = sum_{n>=1} b_n w^{n-1}``, ``b_n = B_n^+/n!`` (``B_1^+ = +1/2``), so
    ``c_i = sum_{n>i} b_n C(n-1, i) w0^{n-1-i}``, a series with ratio ``w0/(2 pi)``.

    Examples
    --------
    >>> [mpmath.nstr(c, 10) for c in em_weights(0, 4)]       # B_n^+/n!: 1/2, 1/12, 0, -1/720
    ['0.5', '0.08333333333', '0.0', '-0.001388888889']
    >>> h1 = -mpmath.log(mpmath.mpf("0.9"))                  # c_0 = 1/(1 - beta1) - 1/h1
    >>> mpmath.nstr(em_weights(h1, 1)[0] - (10 - 1 / h1), 5)
    '0.0'
    """
    w0 = mpmath.mpf(w0)
    if not 0 <= w0 < 2 * mpmath.pi:
        raise ValueError(f"w0 must be in [0, 2 pi), got {w0}")
    extra = 0 if w0 == 0 else int(
        (mpmath.mp.dps + 10) * mpmath.log(10) / mpmath.log(2 * mpmath.pi / w0)) + 4
    return list(_em_weights(mpmath.nstr(w0, mpmath.mp.dps + 5), count, extra, mpmath.mp.dps))


@lru_cache(maxsize=64)
def _em_weights(w0s: str, count: int, extra: int, dps: int) -> tuple:
    with mpmath.workdps(dps + 10):
        w0 = mpmath.mpf(w0s)
        m = count + extra + 1
        b = [mpmath.mpf(0)] + [mpmath.bernoulli(n) / mpmath.factorial(n) for n in range(1, m + 1)]
        b[1] = -b[1]
        # Taylor shift of sum_k b_{k+1} w^k to w0 (repeated synthetic division, O(m^2))
        a = b[1:]
        if w0 != 0:
            for i in range(len(a) - 1):
                for k in range(len(a) - 2, i - 1, -1):
                    a[k] += w0 * a[k + 1]
        out = a[:count]
    return tuple(+v for v in out)


def lattice_step(beta: Any) -> Any:
    """``-log beta``: the step of the lattice ``log(u b_j) = log(u b_0) - j h`` in ``s = log c``.

    Not ``1 - beta`` (its first order): the lattice is exactly geometric.

    Examples
    --------
    >>> mpmath.nstr(lattice_step(mpmath.mpf("0.99")), 12)
    '0.0100503358535'
    """
    return -mpmath.log(beta)


def kernel_u(eps: Any, u: Any) -> Any:
    """``u K_eps(u) = sqrt(u/pi) (1 - sqrt(pi) z e^{z^2} erfc(z))``, ``z = eps sqrt(u)``.

    Examples
    --------
    >>> mpmath.nstr(kernel_u(0, 4), 10)                      # sqrt(4/pi)
    '1.128379167'
    """
    u = mpmath.mpf(u)
    base = mpmath.sqrt(u / mpmath.pi)
    if eps == 0:
        return base
    z = eps * mpmath.sqrt(u)
    with mpmath.extradps(int(2 * mpmath.log10(z + 1)) + 5):  # ~1/(2 z^2) for large z
        return base * (1 - mpmath.sqrt(mpmath.pi) * z * mpmath.exp(z * z) * mpmath.erfc(z))


def _apply_series(d, weights, h, ihw, p, tol):
    """``sum_i w_i h^i D^i d`` in fixed point (``D = d/ds``); None if the terms stop decreasing."""
    one = 1 << p
    out = [0] * len(d)
    last = None
    hp = mpmath.mpf(1)
    for i, w in enumerate(weights):
        if w != 0:
            wf = fixed([w * hp], p)[0]
            term = abs(wf) * sum(abs(v) for v in d) >> p
            if term < tol and i > 1:
                return out
            if last is not None and i > 4 and term > last:
                # the terms stop decreasing: accept a floor within 100 tol (the noise of the
                # interpolated derivatives), otherwise the asymptotic series is too coarse
                return out if last < 100 * tol else None
            last = term
            out = [o + ((wf * v) >> p) for o, v in zip(out, d)]
        d = fixed_derivative(d, ihw, p)
        hp *= h
        if i > 1 and not any(d):
            return out
    del one
    return None


def _particular(r, lam, ihw, p, tol):
    """The polynomial solution ``sum_i (-1)^i D^i r / lam^(i+1)`` of ``E' + lam E = r``.

    Returns ``(coefficients, largest term / result)`` in fixed point.
    """
    il = fixed([1 / lam], p)[0]
    t = [(v * il) >> p for v in r]
    out = list(t)
    big = sum(abs(v) for v in t)
    for _ in range(len(r)):
        t = [-((v * il) >> p) for v in fixed_derivative(t, ihw, p)]
        nt = sum(abs(v) for v in t)
        if nt == 0:
            break
        big = max(big, nt)
        out = [o + v for o, v in zip(out, t)]
        if nt < tol:
            break
    return out, big


class _Interp:
    """``F`` and ``R`` interpolated on Chebyshev panels from ``s_lo`` upward, built on demand."""

    def __init__(self, f, s_lo, n, tolF, tolR, width):
        self.f, self.n, self.tolF, self.tolR, self.width = f, n, tolF, tolR, mpmath.mpf(width)
        self.panels = []              # (a, b, cF, cR, ClenshawF, ClenshawR)
        self.end = s_lo

    def extend(self):
        """Add the next panel (halving its width until ``F`` and ``R`` are resolved)."""
        a, H = self.end, self.width
        while True:
            got = self._sample(a, a + H)
            if got is not None:
                break
            H /= 2
            if H < mpmath.mpf(1) / 256:
                raise _Decline("F, R not resolved on panels of width 1/256")
        cF, cR = got
        self.panels.append((a, a + H, cF, cR, Clenshaw(cF), Clenshaw(cR)))
        self.end = a + H
        return self.panels[-1]

    def _sample(self, a, b):
        hw = (b - a) / 2
        F, Rv = [], []
        for x in lobatto_points(self.n):
            ph, ps = self.f.both(mpmath.exp((a + b) / 2 + hw * x))
            if ph <= 0:
                return None
            F.append(mpmath.log(ph))
            Rv.append(ps / ph)
        cF, cR = coefficients(F), coefficients(Rv)
        if max(abs(v) for v in cF[-3:]) > self.tolF or max(abs(v) for v in cR[-3:]) > self.tolR:
            return None
        return cF, cR

    def __call__(self, s):
        """``(F(s), R(s))``."""
        while s > self.end:
            self.extend()
        for a, b, _, _, fF, fR in reversed(self.panels):
            if s >= a:
                x = (2 * s - a - b) / (b - a)
                return fF(x), fR(x)
        raise ValueError("s below the first panel")  # pragma: no cover


class _Decline(Exception):
    """The Euler--Maclaurin route does not apply (the caller falls back)."""


class _Panel:
    """``log P`` and ``S`` on ``[a, b]`` as Chebyshev series (plus ``S``'s exponential part)."""

    def __init__(self, a, b, logp, spoly, p, cexp, lam):
        self.a, self.b = a, b
        self.logp, self.s = Clenshaw(logp, p), Clenshaw(spoly, p)
        self.cexp, self.lam = cexp, lam

    def x(self, s):
        return (2 * s - self.a - self.b) / (self.b - self.a)

    def log_p(self, s):
        return self.logp(self.x(s))

    def big_s(self, s):
        v = self.s(self.x(s))
        if self.cexp:
            v += self.cexp * mpmath.exp(-self.lam * (s - self.a))
        return v


def _em_panel(f, a, b, cF, cR, n, st):
    """``log P`` and ``S`` on one panel by Euler--Maclaurin (raises _Decline)."""
    hw = (b - a) / 2
    h, lam, b1, p = st["h"], st["lam"], f.b1, st["p"]
    ihw = fixed([1 / hw], p)[0]
    tol = fixed([st["tolL"]], p)[0]
    # log P = Phi/h + sum_i c_i(0) h^i F^(i)
    phi = antiderivative(cF, hw)
    phi[0] += st["Phi"]
    em = _apply_series(fixed(cF, p), st["cP"], h, ihw, p, tol)
    if em is None:
        raise _Decline("Euler-Maclaurin terms of log P stop decreasing")
    logp = [v + e for v, e in zip(fixed([v / h for v in phi], p), em + [0])]
    # S/(1-beta1) = E/h + sum_i c_i(h1) h^i R^(i), with E' + lam E = R, E(a) = st["E"]
    rf = fixed(cR, p)
    ems = _apply_series(rf, st["cS"], h, ihw, p, fixed([st["tolR"]], p)[0])
    if ems is None:
        raise _Decline("Euler-Maclaurin terms of S stop decreasing")
    cexp, ep = 0, None
    if lam * hw > n / 4:
        ep, big = _particular(rf, lam, ihw, p, tol)
        if big > (sum(abs(v) for v in ep) + tol) << 26:   # > 1e8 cancellation: solve instead
            ep = None
    if ep is None:
        ep = fixed(solve_exp_ode(cR, lam, hw, st["E"]), p)
    else:
        cexp = st["E"] - Clenshaw(ep, p)(-1)
    ih = fixed([(1 - b1) / h], p)[0]
    w1 = fixed([1 - b1], p)[0]
    spoly = [((ih * e) >> p) + ((w1 * v) >> p) for e, v in zip(ep, ems)]
    pan = _Panel(a, b, logp, spoly, p, (1 - b1) * cexp / h, lam)
    st["Phi"] = Clenshaw(phi)(1)
    st["E"] = Clenshaw(ep, p)(1) + (cexp * mpmath.exp(-lam * (b - a)) if cexp else 0)
    return pan


def _em_route(f, interp, st, g_of, tol, cut):
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for count in range(400):
        a, b, cF, cR, _, _ = interp.extend() if count >= len(interp.panels) else \
            interp.panels[count]
        pan = _em_panel(f, a, b, cF, cR, interp.n, st)

        def g(t, pan=pan):
            return g_of(t, pan.log_p(t), pan.big_s)

        lp_a, lp_b = pan.log_p(a), pan.log_p(b)
        pieces = max(1, min(32, int((lp_a - lp_b) / 8) + 1))   # log P drops <= ~8 per piece
        for k in range(pieces):
            v, e = clenshaw_curtis(g, a + (b - a) * k / pieces, a + (b - a) * (k + 1) / pieces,
                                   tol / 10)
            total += v
            err += e
        if lp_b + b / 2 < cut:
            return total, err
    raise _Decline("no end of the history integral after 400 panels")


def _lattice_route(f, interp, st, g_of, s_lo, q, cut):
    """Direct products along ``q`` lattices ``s_lo + (m + tau) h``: one ``(F, R)`` per node."""
    h, b1 = st["h"], f.b1
    b2 = f.b2
    total = mpmath.mpf(0)
    nodes = mpmath.gauss_quadrature(q, "legendre")
    for x, w in zip(*nodes):
        tau = (x + 1) / 2
        sig = s_lo + tau * h
        Fv, Rv = interp(sig)
        xx = mpmath.exp(sig) / (1 - b2) * b2          # the tail starts one factor later
        logp = Fv + f._lh(xx)
        big_s = (1 - b1) * Rv + b1 * f._sh(xx)
        part = mpmath.mpf(0)
        for _ in range(10**6):
            part += g_of(sig, logp, lambda t, v=big_s: v)
            if logp + sig / 2 < cut:
                break
            sig += h
            Fv, Rv = interp(sig)
            logp += Fv
            big_s = (1 - b1) * Rv + b1 * big_s
        total += w / 2 * h * part
    return total


def head_integral(f: Any, u_lo: Any, h_panel: Any = 1, order: int | None = None,
                  regime: str = "auto") -> Any:
    """``(int_{u_lo}^oo K_eps(u) P(u) S(u) du, error estimate)``, or ``None`` if it declines.

    ``f`` is a :class:`symadam.avf._quadrature_mp.AVFIntegrand` (stationary
    history, ``beta1, beta2 > 0``); ``u_lo`` must lie where its cumulant
    series of the tail converges (``u_lo <= f.xmax``).  ``regime``:
    ``"em"`` (Euler--Maclaurin on panels; for ``beta2`` near 1), ``"lattice"``
    (direct products along Gauss--Legendre lattices of step ``h``, with the
    interpolated ``F``, ``R``; for ``h = -log beta2`` not small) or ``"auto"``
    (EM for ``h <= 0.05``, falling back to the lattice).  Declines for
    ``h > H_MAX``.  Works at the current precision plus guard digits for the
    ``1/h`` amplification; the lattice's error estimate is 0 (the caller
    compares two precisions, whose rules differ).
    """
    wp = mpmath.mp.dps
    b1, b2 = f.b1, f.b2
    h, h1 = lattice_step(b2), lattice_step(b1)
    if h > H_MAX:              # beta2 < 0.78: the head has few factors; sum them directly
        return None
    guard = 8 + max(0, int(mpmath.log10(1 / h)))
    with mpmath.extradps(guard):
        n = order or max(24, int(1.3 * mpmath.mp.dps))
        b0 = 1 - b2
        s_lo = mpmath.log(u_lo * b0)
        c = mpmath.exp(s_lo)
        lam = h1 / h
        tol = mpmath.mpf(10)**(-(wp + 4))
        interp = _Interp(f, s_lo, n, tol * h, tol * mpmath.sqrt(f.m2), h_panel)
        cut = -(wp + 25) * mpmath.log(10)
        kpi = 1 / mpmath.sqrt(mpmath.pi * b0)
        if f._lh(u_lo) + s_lo / 2 < cut:       # P(u_lo) is already negligible (P decreases)
            return mpmath.mpf(0), mpmath.mpf(0)

        def g_of(t, lp, big_s):
            if lp < cut:
                return mpmath.mpf(0)
            if f.eps == 0:         # u K_0(u) = sqrt(u/pi), u = e^t/b0
                return kpi * mpmath.exp(lp + t / 2) * big_s(t)
            return kernel_u(f.eps, mpmath.exp(t) / b0) * mpmath.exp(lp) * big_s(t)

        if regime in ("auto", "em") and h1 < 2 * mpmath.pi and (regime == "em" or h <= 0.05):
            L, Sr = f.L, f.S
            st = {"h": h, "lam": lam, "p": mpmath.mp.prec + 40,
                  "Phi": mpmath.fsum(L[r] * c**r / r for r in range(1, len(L))),
                  "E": mpmath.fsum(Sr[r] * c**r / (lam + r) for r in range(len(Sr))),
                  "cP": em_weights(0, n), "cS": em_weights(h1, n),
                  "tolR": tol * mpmath.sqrt(f.m2), "tolL": tol}
            try:
                v, e = _em_route(f, interp, st, g_of, tol, cut)
                return +v, +e
            except _Decline:
                if regime == "em":
                    return None
        if regime == "em":
            return None
        # Gauss-Legendre on cells of width h: error ~ (h/(4 d))^(2q), d ~ 0.3 in s
        q = max(8, int((wp + 8) * mpmath.log(10) / (2 * mpmath.log(1.2 / h))) + 2)
        try:
            v = _lattice_route(f, interp, {"h": h}, g_of, s_lo, q, cut)
        except _Decline:
            return None
        return +v, mpmath.mpf(0)
