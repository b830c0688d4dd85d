"""Rigorous enclosures of the Adam vector field and of its zero, in Arb ball arithmetic.

For discrete data (atoms ``x_i`` with probabilities ``p_i``) and the quadratic
loss, the stochastic gradient at ``theta`` takes the values ``g_i = theta - x_i``.
With ``a_k = (1 - beta1) beta1^k``, ``b_k = (1 - beta2) beta2^k`` and
``phi(c) = E[e^{-c G^2}]``, ``psi(c) = E[G e^{-c G^2}]``,

    A(theta) = int_0^oo 2 w K(w^2) P(w^2) S(w^2) dw,
    P(u) = prod_{j>=0} phi(u b_j),   S(u) = sum_{k>=0} a_k psi(u b_k)/phi(u b_k),
    2 w K(w^2) = 2/sqrt(pi) - 2 eps w e^{eps^2 w^2} erfc(eps w)

(the Laplace route of :mod:`symadam.avf.laplace` with ``u = w^2``).  Every
approximation is bounded rigorously:

* **Integral**: Arb's certified Gauss-Legendre integration (``acb.integral``)
  on ``[0, W]``; the rest is at most ``(g_max/g_min) erfc(W g_min)``, because
  ``0 <= 2 w K <= 2/sqrt(pi)``, ``P(u) <= e^{-u g_min^2}`` and ``|S| <= g_max``
  (all ``g_i != 0`` is required).
* **Infinite product and sum**: the first ``n(u)`` factors and terms exactly;
  the tails through the power series ``log phi(c) = sum_r L_r c^r`` and
  ``psi/phi(c) = sum_r S_r c^r`` (exact coefficients from the moments),
  summed over ``j >= n`` in closed form, with the truncation after order ``R``
  bounded by Cauchy's estimate on the disc ``|c| <= rho0 = 1/(4 g_max^2)``:
  there ``|phi - 1| <= e^{1/4}/4``, so ``|log phi| <= M_L = -log(1 - e^{1/4}/4)``
  and ``|psi/phi| <= M_S = g_max e^{1/4}/(1 - e^{1/4}/4)``, hence
  ``|sum_{r>R} L_r c^r| <= M_L q^{R+1}/(1-q)`` for ``|c| <= q rho0``.  These
  bounds hold for complex ``c``, as the certified integration needs.

For the zero, :func:`certify_zero` proves a sign change of the enclosures at
both ends of a small bracket and that ``A' != 0`` on it: the secant slope over
``[t - h, t + h]`` minus Cauchy bounds on ``A''`` and ``A'''`` from
``|A(z)| <= (g_max + r)/(eps + sqrt(gamma))`` on complex discs of radius ``r``
(``gamma = min Re (z - x_i)^2 > 0``), so the zero in the bracket is unique.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from flint import acb, arb, ctx, fmpq

__all__ = ["DiscreteLaw", "avf_enclosure", "certify_zero", "ZeroCertificate"]

_E14 = arb(fmpq(1, 4)).exp()


@dataclass(frozen=True)
class DiscreteLaw:
    """Data atoms ``x_i`` with probabilities ``p_i`` (exact rationals), quadratic loss.

    Examples
    --------
    >>> DiscreteLaw.of([(0, fmpq(9, 10)), (1, fmpq(1, 10))]).mean() == fmpq(1, 10)
    True
    """

    xs: tuple
    ps: tuple

    @classmethod
    def of(cls, atoms: Sequence[tuple[Any, Any]]) -> "DiscreteLaw":
        """From ``[(x, p), ...]`` with rational entries (int, fmpq or 'p/q' strings)."""
        xs = tuple(fmpq(x) if not isinstance(x, str) else _q(x) for x, _ in atoms)
        ps = tuple(fmpq(p) if not isinstance(p, str) else _q(p) for _, p in atoms)
        if any(p < 0 for p in ps) or sum(ps, fmpq(0)) != 1:
            raise ValueError("probabilities must be non-negative and sum to 1 exactly")
        return cls(xs, ps)

    def mean(self) -> fmpq:
        """``E[X]``, the minimizer of ``E[(theta - X)^2]/2``."""
        return sum((x * p for x, p in zip(self.xs, self.ps)), fmpq(0))


def _q(s: str) -> fmpq:
    num, _, den = s.partition("/")
    return fmpq(int(num), int(den or 1))


def _coefficients(gs: list, ps: list, R: int) -> tuple[list, list]:
    """Exact (fmpq) series coefficients of ``log phi`` and ``psi/phi`` up to order ``R``."""
    fact = [fmpq(1)]
    for r in range(1, R + 1):
        fact.append(fact[-1] * r)
    phi = [sum((p * g ** (2 * r) for g, p in zip(gs, ps)), fmpq(0)) * (-1) ** r / fact[r]
           for r in range(R + 1)]
    psi = [sum((p * g ** (2 * r + 1) for g, p in zip(gs, ps)), fmpq(0)) * (-1) ** r / fact[r]
           for r in range(R + 1)]
    L = [fmpq(0)] * (R + 1)
    for n in range(1, R + 1):
        acc = phi[n]
        for k in range(1, n):
            acc -= fmpq(k, n) * L[k] * phi[n - k]
        L[n] = acc
    S = [fmpq(0)] * (R + 1)
    for n in range(R + 1):
        acc = psi[n]
        for k in range(1, n + 1):
            acc -= phi[k] * S[n - k]
        S[n] = acc
    return L, S


class _Integrand:
    """``w -> 2 w K(w^2) P(w^2) S(w^2)`` with rigorous tails, for real or complex balls."""

    def __init__(self, gs, ps, beta1, beta2, eps, digits: int):
        self.gs = [arb(g) for g in gs]
        self.g2 = [g * g for g in self.gs]
        self.ps = [arb(p) for p in ps]
        self.b1, self.b2, self.eps = arb(beta1), arb(beta2), arb(eps)
        gmax = max(abs(arb(g)) for g in gs)
        self.gmax = arb(gmax.upper())
        self.rho0 = 1 / (4 * self.gmax * self.gmax)
        self.ML = -(1 - _E14 / 4).log()
        self.MS = self.gmax * _E14 / (1 - _E14 / 4)
        # q <= 1/4 at the first tail index: truncation error <= M 4^-(R+1) * 4/3
        self.R = int((digits + 10) * 1.661) + 2
        L, S = _coefficients(list(gs), list(ps), self.R)
        self.L, self.S = [arb(c) for c in L], [arb(c) for c in S]
        self.one_b1, self.one_b2 = 1 - self.b1, 1 - self.b2

    def _n(self, u) -> int:
        """Smallest n with |u| b_n <= rho0/4 (an upper bound of |u| over the ball)."""
        au = abs(acb(u)).upper()
        n, bn = 0, arb(self.one_b2)
        while not (au * bn <= self.rho0 / 4):
            bn *= self.b2
            n += 1
            if n > 10**6:
                raise ArithmeticError("history too long for this u (beta2 too close to 1)")
        return n

    def moment_term(self, u):
        """``P(u) S(u)`` enclosed for a complex ball ``u``."""
        n = self._n(u)
        a, b = self.one_b1, self.one_b2          # a_0, b_0
        P, S = acb(1), acb(0)
        for _ in range(n):
            c = u * b
            ph = ps_ = acb(0)
            for g, y, p in zip(self.gs, self.g2, self.ps):
                t = p * (-c * y).exp()
                ph += t
                ps_ += t * g
            P *= ph
            S += a * ps_ / ph
            a *= self.b1
            b *= self.b2
        # tails j, k >= n: x = u beta2^n, sums of b_j^r and a_k b_k^r in closed form
        b2n = self.b2 ** n
        b1n = self.b1 ** n
        x = u * b2n
        logt = acb(0)
        st = acb(0)
        xr = acb(1)
        for r in range(self.R + 1):
            if r >= 1:
                logt += self.L[r] * xr * self.one_b2 ** r / (1 - self.b2 ** r)
            st += self.S[r] * xr * self.one_b1 * self.one_b2 ** r / (1 - self.b1 * self.b2 ** r)
            xr *= x
        q = arb(1) / 4
        rem = q ** (self.R + 1) / (1 - q)
        err_log = self.ML * rem / (1 - self.b2 ** (self.R + 1))
        err_s = self.MS * rem
        logt += acb(arb(0, err_log.upper()), arb(0, err_log.upper()))
        st = b1n * st + acb(arb(0, (b1n * err_s).upper()), arb(0, (b1n * err_s).upper()))
        return P * logt.exp() * (S + st)

    def __call__(self, w, analytic):
        k = 2 / arb.pi().sqrt()
        if not self.eps == 0:
            z = self.eps * w
            k = k - 2 * z * (z * z).exp() * z.erfc()
        return k * self.moment_term(w * w)


def avf_enclosure(law: DiscreteLaw, theta: Any, beta1: Any, beta2: Any, eps: Any = 0,
                  digits: int = 30) -> arb:
    """A ball that rigorously contains ``A(theta)`` (stationary history, quadratic loss).

    Parameters
    ----------
    law : DiscreteLaw
    theta, beta1, beta2, eps : exact rationals (int, fmpq) or arb balls
        ``0 <= beta1 < 1``, ``0 < beta2 < 1``, ``eps >= 0``; with ``eps = 0``
        ``beta1**2 < beta2`` is required (else ``A`` need not be finite).
    digits : int
        Target accuracy (absolute, relative to the scale ``g_max``).

    Raises
    ------
    ValueError
        If some ``theta - x_i`` is 0 (the tail bound needs ``g_min > 0``).

    Examples
    --------
    >>> law = DiscreteLaw.of([(-1, fmpq(1, 2)), (1, fmpq(1, 2))])     # Rademacher
    >>> with ctx.workdps(30):                                          # G = +-1: A = E[G]
    ...     a = avf_enclosure(law, fmpq(0), fmpq(9, 10), fmpq(99, 100), 0, digits=20)
    >>> a.contains(0), a.rad() < 1e-19
    (True, True)
    """
    b1, b2, e = arb(beta1), arb(beta2), arb(eps)
    if not (b1 >= 0 and b1 < 1 and b2 > 0 and b2 < 1 and e >= 0):
        raise ValueError("need 0 <= beta1 < 1, 0 < beta2 < 1, eps >= 0")
    if e == 0 and not b1 * b1 < b2:
        raise ValueError("with eps = 0, beta1**2 < beta2 is required")
    th = arb(theta)
    gs = [th - x for x in law.xs] if not isinstance(theta, (int, fmpq)) else \
        [fmpq(theta) - x for x in law.xs]
    pairs = [(g, p) for g, p in zip(gs, law.ps) if p != 0]
    gmin = min(abs(arb(g)) for g, _ in pairs)
    if not gmin > 0:
        raise ValueError("every gradient value theta - x_i must be non-zero (theta is an atom)")
    gmin = arb(gmin.lower())
    gmax = max(abs(arb(g)) for g, _ in pairs)
    # the kernel 2/sqrt(pi) - 2 z e^{z^2} erfc(z), z = eps w, cancels ~2 log2(z) bits
    w_end = ((digits + 5) * 2.31) ** 0.5 / float(gmin.lower()) + 1
    extra = 20 + 2 * int(float(e.upper()) * w_end + 1).bit_length()
    with ctx.workprec(int((digits + 15) * 3.33) + extra):
        f = _Integrand([g for g, _ in pairs], [p for _, p in pairs], beta1, beta2, eps, digits)
        tol = arb(10) ** (-(digits + 5))
        # the rest beyond W: (g_max/g_min) erfc(W g_min) <= tol
        W = arb(1)
        while not ((gmax / gmin) * (W * gmin).erfc() < tol):
            W *= 2
        val = acb.integral(f, 0, W, abs_tol=tol * gmax, rel_tol=tol)
        rest = ((gmax / gmin) * (W * gmin).erfc()).upper()
        out = val.real + arb(0, rest)
    return out


@dataclass(frozen=True)
class ZeroCertificate:
    """A proven zero of ``A``: a unique zero in ``[left, right]``, or why not."""

    certified: bool
    left: Any
    right: Any
    A_left: Any
    A_right: Any
    slope: Any
    why_not: str | None = None


def certify_zero(law: DiscreteLaw, guess: Any, beta1: Any, beta2: Any, eps: Any = 0,
                 digits: int = 25, h: Any = fmpq(1, 1000)) -> ZeroCertificate:
    """Prove that ``A`` has exactly one zero in ``[guess - d, guess + d]``, ``d = 10^-digits``.

    ``guess`` must be accurate to about ``digits`` digits (e.g. from the mpmath
    route).  The proof: the enclosures of ``A`` at the two ends have opposite
    signs, and ``A'`` has a constant sign on the bracket (secant slope over
    ``[guess - h, guess + h]`` minus Cauchy bounds on ``A''``, ``A'''``).

    Examples
    --------
    >>> law = DiscreteLaw.of([(-1, fmpq(1, 2)), (1, fmpq(1, 2))])
    >>> c = certify_zero(law, fmpq(0), fmpq(1, 2), fmpq(3, 4), 0, digits=8, h=fmpq(1, 100))
    >>> c.certified
    True
    """
    g = fmpq(guess) if not isinstance(guess, str) else _q(guess)
    d = fmpq(1, 10 ** digits)
    left, right = g - d, g + d
    with ctx.workdps(digits + 20):
        aL = avf_enclosure(law, left, beta1, beta2, eps, digits + 8)
        aR = avf_enclosure(law, right, beta1, beta2, eps, digits + 8)
        hq = fmpq(h)
        slope = (avf_enclosure(law, g + hq, beta1, beta2, eps, digits + 8)
                 - avf_enclosure(law, g - hq, beta1, beta2, eps, digits + 8)) / (2 * arb(hq))
        # Cauchy bounds on the real segment [g - h, g + h] from discs of radius r
        dist = min(abs(arb(g) - x) for x, p in zip(law.xs, law.ps) if p != 0) - arb(hq)
        r = dist / 3
        gamma = (dist - r) ** 2 - r ** 2                 # min Re (z - x_i)^2 on the discs
        gmax = max(abs(arb(g) - x) for x, p in zip(law.xs, law.ps) if p != 0) + arb(hq)
        why = None
        if not gamma > 0:
            why = "an atom is too close to the zero for the derivative bound"
            M = arb(0)
        else:
            M = (gmax + r) / (arb(eps) + gamma.sqrt())
            d2 = 2 * M / r ** 2
            d3 = 6 * M / r ** 3
            # |A'(t) - slope| <= |t - g| max|A''| + h^2/6 max|A'''|
            err = arb(d) * d2 + arb(hq) ** 2 / 6 * d3
            slope = slope + arb(0, err.upper())
        signs = (aL < 0 and aR > 0) or (aL > 0 and aR < 0)
        if why is None and not signs:
            why = "the enclosures at the bracket's ends do not have opposite signs"
        if why is None and not (slope > 0 or slope < 0):
            why = "the derivative bound does not exclude 0 on the bracket"
    return ZeroCertificate(why is None, left, right, aL, aR, slope, why)
