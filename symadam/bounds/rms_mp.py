"""The RMS step of Adam at a frozen theta by the Laplace route of the Adam vector field (mpmath).

At a frozen ``theta`` with i.i.d. (batch-mean) gradients ``G_k`` the stationary moments are
``M = sum_k a_k G_k``, ``V = sum_k b_k G_k^2`` (``a_k = (1-beta1) beta1^k``,
``b_k = (1-beta2) beta2^k``); Adam's step is ``gamma M/(eps + sqrt V)`` and its RMS size is
``gamma R(theta)``, ``R = E[(M/(eps + sqrt V))^2]^(1/2)``.  The route extends the one of
:mod:`symadam.avf.field_mp` from ``E[M f(V)]`` to ``E[M^2 f(V)^2]``:

* ``1/(eps + sqrt v)^2 = int_0^oo K2(u) e^{-uv} du`` with
  ``K2(u) = (1 + 2 z^2) e^{z^2} erfc(z) - 2 z/sqrt(pi)``, ``z = eps sqrt(u)`` (``K2 = 1`` at
  ``eps = 0``; derived in :mod:`symadam.bounds.rms`, typed here and checked by quadrature);
* by independence, with ``phi(c) = E e^{-cG^2}``, ``psi(c) = E[G e^{-cG^2}]``,
  ``chi(c) = E[G^2 e^{-cG^2}]`` and ``c_k = u b_k``:
  ``E[M^2 e^{-uV}] = P (sum_k a_k^2 chi_k/phi_k + (sum_k a_k psi_k/phi_k)^2
  - sum_k a_k^2 psi_k^2/phi_k^2)``, ``P = prod_k phi_k``;
* the sums' tails ``k >= n(u)`` are summed in closed form from the power series of
  ``log phi``, ``chi/phi``, ``psi/phi`` and ``(psi/phi)^2`` in ``c`` (moments of ``G``).

Laws come from :class:`symadam.avf._law_mp.GradientLaw` (discrete laws: exact finite sums;
continuous laws: their closed-form ``phi, psi`` and ``chi = -d phi/dc`` differentiated by
sympy from :func:`symadam.avf.laplace.laplace_functionals`).  Every
value is computed at ``dps + 8`` and ``dps + 16`` working digits; the difference plus the
quadrature's error estimate is the reported error, and a shortfall raises ``ValueError``.
The series and ``E[M^2 e^{-uV}]`` run in MPFR (gmpy2, mpmath's own backend) at the working
precision's bits: the same arithmetic without mpf objects' overhead; ``mpmath.quad`` (tanh-sinh)
integrates.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import gmpy2
import mpmath
import sympy

from ..avf._law_mp import GradientLaw, to_mpf
from ..avf.laplace import THETA, C, laplace_functionals
from ..core.validate import check_dps, check_int

__all__ = ["kernel2", "RMSValue", "rms_step", "second_moment"]


def kernel2(u, eps):
    """``K2(u)`` with ``int_0^oo K2(u) e^{-uv} du = 1/(eps + sqrt v)^2`` (mpf in, mpf out).

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     q = mpmath.quad(lambda u: kernel2(u, mpmath.mpf("0.5")) * mpmath.exp(-2 * u),
    ...                     [0, 1, mpmath.inf])
    ...     print(mpmath.nstr(q - 1 / (mpmath.mpf("0.5") + mpmath.sqrt(2))**2, 3))
    0.0
    """
    if eps == 0:
        return mpmath.mpf(1)
    z = eps * mpmath.sqrt(u)
    if z == 0:
        return mpmath.mpf(1)
    # K2 ~ 1/(sqrt(pi) z^3) for large z while its terms are ~ z: guard the 4 log2 z bits
    # lost to the cancellation, and 34 more (mag(z) >= log2 z, the binary exponent bound)
    with mpmath.extraprec(4 * max(0, mpmath.mag(z)) + 34):
        return +((1 + 2 * z * z) * mpmath.exp(z * z) * mpmath.erfc(z)
                 - 2 * z / mpmath.sqrt(mpmath.pi))


@lru_cache(maxsize=32)
def _chi(law):
    """``chi(c, theta) = E[G^2 e^{-cG^2}] = -d phi/dc`` from the law's closed form (mpmath)."""
    phi, _ = laplace_functionals(law)
    expr = -sympy.diff(phi, C)
    erfcx = lambda z: mpmath.exp(z * z) * mpmath.erfc(z)  # noqa: E731
    return sympy.lambdify((C, THETA), expr, modules=[{"erfcx": erfcx}, "mpmath"])


@contextmanager
def _mpfr(prec: int):
    """MPFR (gmpy2, mpmath's own backend) at ``prec`` bits for the integrand's inner loops."""
    old = gmpy2.get_context()
    gmpy2.set_context(gmpy2.context(precision=prec))
    try:
        yield
    finally:
        gmpy2.set_context(old)


def _fr(x) -> gmpy2.mpfr:
    """An mpf as an MPFR number (exact: the mantissa fits the working precision)."""
    sign, man, exp, bc = mpmath.mpf(x)._mpf_
    if not man:
        if mpmath.isinf(x):
            return gmpy2.inf(-1 if sign else 1)
        return gmpy2.mpfr(0)
    if exp + bc < -2**29:            # below MPFR's exponent range (e.g. exp(-huge)): 0
        return gmpy2.mpfr(0)
    if exp + bc > 2**29:
        return gmpy2.inf(-1 if sign else 1)
    v = gmpy2.mul_2exp(gmpy2.mpfr(man), exp)
    return -v if sign else v


def _mpf(x: gmpy2.mpfr) -> mpmath.mpf:
    """An MPFR number as an mpf (exact)."""
    if x == 0:
        return mpmath.mpf(0)
    man, exp = x.as_mantissa_exp()
    return mpmath.mpf((int(man), int(exp)))


def _series_log(p):
    """Power series of ``log p(c)``, ``p[0] == 1`` (MPFR coefficients)."""
    L = [gmpy2.mpfr(0)] * len(p)
    for n in range(1, len(p)):
        acc = p[n]
        for k in range(1, n):
            acc -= (gmpy2.mpfr(k) / n) * L[k] * p[n - k]
        L[n] = acc
    return L


def _series_div(q, p):
    """Power series of ``q(c)/p(c)``, ``p[0] == 1`` (MPFR coefficients)."""
    S = [gmpy2.mpfr(0)] * len(p)
    for n in range(len(p)):
        acc = q[n]
        for k in range(1, n + 1):
            acc -= p[k] * S[n - k]
        S[n] = acc
    return S


def _horner(coef, x):
    """``sum_r coef[r] x^r`` by Horner's rule with fused multiply-adds (MPFR numbers)."""
    acc = gmpy2.mpfr(0)
    fma = gmpy2.fma
    for a in reversed(coef):
        acc = fma(acc, x, a)
    return acc


class _Integrand:
    """``u -> K2(u) E[M^2 e^{-uV}]`` at one ``theta`` and the working precision.

    The series are built in mpmath; ``E[M^2 e^{-uV}]`` (four Horner sums and the head
    factors) runs in MPFR at the same precision (``mpmath.mp.prec`` bits), several times
    faster than mpf objects.
    """

    def __init__(self, gl: GradientLaw, theta, b1, b2, eps, history=None):
        wp = mpmath.mp.dps
        self.prec = mpmath.mp.prec
        self.b1, self.b2, self.eps, self.history = b1, b2, eps, history
        R = 2 * wp + 20
        mom = gl.moments(2 * R + 2, theta)
        self.m2 = mom[2]
        self.zero = self.m2 == 0
        if self.zero:
            return
        if gl.discrete:
            with _mpfr(self.prec):
                at = [(_fr(g), _fr(g * g), _fr(p)) for g, p in gl.atoms(theta)]
            exp = gmpy2.exp

            def fun(c):
                ph = ps = ch = gmpy2.mpfr(0)
                for g, y, p in at:
                    t = p * exp(-c * y)
                    ph += t
                    ps += t * g
                    ch += t * y
                return ph, ps, ch
        else:
            phi, psi = gl.functionals(theta)
            chi = _chi(gl.law)
            prec = self.prec

            def fun(c):
                # closed forms in 1/sqrt(c): guard the digits their differences cancel
                with mpmath.workprec(prec):
                    cm = _mpf(c)
                    guard = 10 + (int(2 * mpmath.log10(1 / cm)) if 0 < cm < 1 else 0)
                    with mpmath.extradps(guard):
                        out = +phi(cm), +psi(cm), +chi(cm, theta)
                    return tuple(_fr(+v) for v in out)
        self.fun = fun
        self.ln_b2 = -mpmath.log(b2) if b2 > 0 else None
        with _mpfr(self.prec):
            self.fb1, self.fb2 = _fr(b1), _fr(b2)
            self.cut = _fr(mpmath.mpf(10)**(-(wp + 20)))
            self.logcut = _fr(-(wp + 20) * mpmath.log(10))
            if history is None:          # a finite history has no tail: no series
                self._tail_series([_fr(x) for x in mom], R, wp)

    def _tail_series(self, mom, R, wp):
        """The tails' power series in ``x = u beta2^n`` and ``xmax`` (MPFR)."""
        b1, b2 = self.fb1, self.fb2
        p = [(-1)**n * mom[2 * n] / gmpy2.fac(n) for n in range(R + 1)]
        q = [(-1)**n * mom[2 * n + 1] / gmpy2.fac(n) for n in range(R + 1)]
        h = [(-1)**n * mom[2 * n + 2] / gmpy2.fac(n) for n in range(R + 1)]
        Lg, S, C = _series_log(p), _series_div(q, p), _series_div(h, p)
        S2 = [gmpy2.fsum([S[i] * S[n - i] for i in range(n + 1)]) for n in range(R + 1)]
        c2 = 1 - b2
        Lc = [gmpy2.mpfr(0)] + [Lg[r] * c2**r / (1 - b2**r) for r in range(1, R + 1)]
        Sc = [S[r] * (1 - b1) * c2**r / (1 - b1 * b2**r) for r in range(R + 1)]
        Cc = [C[r] * (1 - b1)**2 * c2**r / (1 - b1 * b1 * b2**r) for r in range(R + 1)]
        Qc = [S2[r] * (1 - b1)**2 * c2**r / (1 - b1 * b1 * b2**r) for r in range(R + 1)]
        tol = gmpy2.mpfr(10)**(-wp)
        m2 = mom[2]
        xm = gmpy2.inf()
        for r in range(R - 3, R + 1):   # the largest x at which the truncated tails are exact
            for c, t in ((Lc[r], tol), (Sc[r], tol), (Cc[r], tol * m2), (Qc[r], tol * m2)):
                if c != 0:
                    xm = min(xm, gmpy2.rootn(t / abs(c), r))
        self.xmax = mpmath.inf if gmpy2.is_infinite(xm) else _mpf(xm)
        self.series = [Lc, Sc, Cc, Qc]

    def head_count(self, u):
        if self.history is not None:
            return self.history
        if u <= self.xmax:
            return 0
        if self.ln_b2 is None:
            return 1
        return int(mpmath.ceil(mpmath.log(u / self.xmax) / self.ln_b2))

    def moment(self, u):
        """``E[M^2 e^{-uV}]`` (an mpf; computed in MPFR at the working precision)."""
        n = self.head_count(u)
        with _mpfr(self.prec):
            return _mpf(self._moment(_fr(u), n))

    def _moment(self, u, n):
        b1, b2 = self.fb1, self.fb2
        zero = gmpy2.mpfr(0)
        logp = T = S = Q = zero
        if self.history is None:
            x = u * b2**n
            Lc, Sc, Cc, Qc = self.series
            logp = _horner(Lc, x)
            if logp < self.logcut:
                return zero
            S = b1**n * _horner(Sc, x)
            T = b1**(2 * n) * _horner(Cc, x)
            Q = b1**(2 * n) * _horner(Qc, x)
        c = u * (1 - b2)
        a = 1 - b1
        prod = gmpy2.mpfr(1)
        cut = self.cut / gmpy2.exp(logp)   # the tail factor exp(logp) <= 1 multiplies prod
        fun = self.fun
        for i in range(n):
            ph, ps, ch = fun(c)
            if ph == 0:
                return zero
            prod *= ph
            if (i & 31) == 31 and prod < cut:
                # the remaining factors of P are <= 1 and |T + S^2 - Q| <= 3 E[G^2] (tilting
                # by e^{-cG^2} lowers E[G^2]): the integrand is below 10^-(wp+20) E[G^2]
                return zero
            r = ps / ph
            S += a * r
            aa = a * a
            T += aa * ch / ph
            Q += aa * r * r
            c *= b2
            a *= b1
        return gmpy2.exp(logp) * prod * (T + S * S - Q)

    def __call__(self, w):
        u = w * w / self.m2
        mo = self.moment(u)
        if mo == 0:
            return mo
        return kernel2(u, self.eps) * mo * 2 * w / self.m2


_POINTS = (0, 0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)


def second_moment(gl: GradientLaw, theta, b1, b2, eps, history=None):
    """``(E[(M/(eps + sqrt V))^2], error)`` at the current precision (``u = w^2/E G^2``)."""
    f = _Integrand(gl, theta, b1, b2, eps, history)
    if f.zero:
        return mpmath.mpf(0), mpmath.mpf(0)
    pts = [mpmath.mpf(p) for p in _POINTS] + [mpmath.inf]
    return mpmath.quad(f, pts, error=True)


@dataclass(frozen=True)
class RMSValue:
    """``R(theta) = E[(M/(eps + sqrt V))^2]^(1/2)`` with its error estimate and digits."""

    theta: Any
    value: Any
    error: Any
    digits: int
    dps: int


def rms_step(data: Any, theta: Any, beta1: Any, beta2: Any, eps: Any = 0, batch: int = 1,
             dps: int = 30, history: int | None = None) -> RMSValue:
    """``R(theta)``, the RMS of Adam's step over ``gamma`` at a frozen ``theta``.

    ``beta1, beta2, eps, theta`` are read exactly (decimal strings, ``p/q``); ``eps = 0``
    needs ``beta1^2 < beta2`` (else ``E[M^2/V]`` may be infinite).  ``history``: only
    ``G_0..G_{n-1}`` (cross-checks against enumeration).

    Examples
    --------
    >>> r = rms_step("rademacher", 0, "0.9", "0.999", dps=20)   # sqrt((1-b1)/(1+b1))
    >>> mpmath.nstr(r.value, 15), r.digits
    ('0.229415733870562', 20)
    """
    from ..avf.field_mp import check_avf_params, exact_param

    check_dps(dps)
    check_int("batch (J)", batch, 1)
    b1, b2, e = check_avf_params(beta1, beta2, eps)
    th = exact_param("theta", theta)
    gl = GradientLaw(data, batch)
    vals = []
    for wp in (dps + 8, dps + 16):
        with mpmath.workdps(wp):
            v, err = second_moment(gl, to_mpf(th), to_mpf(b1), to_mpf(b2), to_mpf(e), history)
            vals.append((v, err))
    with mpmath.workdps(dps + 16):
        (v1, _), (v2, e2) = vals
        err2 = abs(v1 - v2) + e2
        value = mpmath.sqrt(v2) if v2 > 0 else mpmath.mpf(0)
        err = err2 / (2 * value) if value > 0 else mpmath.sqrt(err2)
        digits = dps if err == 0 else min(dps, int(mpmath.floor(-mpmath.log10(
            err / max(value, mpmath.mpf(10)**-dps)))))
    if digits < dps:
        raise ValueError(f"dps: the requested {dps} digits of the RMS step are not reached "
                         f"(estimated error {mpmath.nstr(err, 3)})")
    return RMSValue(th, value, err, digits, dps)
