"""mpmath view of the stochastic-gradient law ``G = g(theta, Xbar)`` (private helper).

Gives, at a given ``theta`` and working precision, the Laplace functionals
``phi(c) = E[e^{-c G^2}]``, ``psi(c) = E[G e^{-c G^2}]`` and the raw moments
``E[G^n]``.  Discrete laws (possibly with a user-given per-sample gradient
``g(theta, x)``) are exact finite sums; continuous laws use the closed forms
of :func:`symadam.avf.laplace.laplace_functionals`, evaluated with
mpmath.  Call inside ``mpmath.workdps``.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import mpmath
import sympy

from ..core.expr import parse_expression, to_rational
from .laplace import THETA, C, laplace_functionals
from .laws import DataLaw, parse_data

__all__ = ["GradientLaw", "to_mpf"]


def to_mpf(x: Any) -> mpmath.mpf:
    """An exact sympy number (or a float/int) as an mpf at the current precision."""
    if isinstance(x, mpmath.mpf):
        return x
    if isinstance(x, (int, float)):
        return mpmath.mpf(x)
    x = to_rational(x, "number") if isinstance(x, str) else sympy.sympify(x, strict=True)
    if x.is_Rational:
        return mpmath.mpf(int(x.p)) / int(x.q)
    return mpmath.mpf(sympy.N(x, mpmath.mp.dps + 10))


def _erfcx(z):
    return mpmath.exp(z * z) * mpmath.erfc(z)


@lru_cache(maxsize=64)
def _continuous(law: DataLaw):
    """``(phi, psi, both)``: mpmath functions of ``(c, theta)``; ``both`` shares subexpressions."""
    phi, psi = laplace_functionals(law)
    mods = [{"erfcx": _erfcx}, "mpmath"]
    f = sympy.lambdify((C, THETA), phi, modules=mods)
    g = sympy.lambdify((C, THETA), psi, modules=mods)
    fg = sympy.lambdify((C, THETA), (phi, psi), modules=mods, cse=True)
    if law.kind in ("exponential", "gamma"):
        # integration by parts loses ~log10(1 + lam^2/(4c)) digits per order at small c
        J, lam = (1, law.params[0]) if law.kind == "exponential" else law.params
        lamf = float(lam)
        J = int(J)

        def guard(c):
            cf = float(c) if c > 1e-300 else 1e-300
            return int((J + 1) * math.log10(1 + lamf**2 / (4 * cf))) + 5

        return _guarded(lambda c, th: guard(c), f, g, fg)
    if law.kind == "irwinhall":   # common subexpressions: the erf/exp of each breakpoint
        f = sympy.lambdify((C, THETA), phi, modules=mods, cse=True)
        g = sympy.lambdify((C, THETA), psi, modules=mods, cse=True)
        return _irwin_hall_guarded(law, f, g, fg)
    return f, g, fg


def _guarded(guard, f, g, fg):
    """Wrap the three functions so that each runs with ``guard(c, th)`` extra digits."""
    def f2(c, th):
        with mpmath.extradps(guard(c, th)):
            return +f(c, th)

    def g2(c, th):
        with mpmath.extradps(guard(c, th)):
            return +g(c, th)

    def fg2(c, th):
        with mpmath.extradps(guard(c, th)):
            a, b = fg(c, th)
            return +a, +b

    return f2, g2, fg2


def _irwin_hall_guarded(law: DataLaw, f, g, fg):
    """Guard digits for the Irwin--Hall closed forms (piecewise polynomial x Gaussian).

    Losses: the alternating binomial sums of the pieces (~ J log10(2e)), the
    power basis in ``y = theta - x`` (~ J log10(1 + R/w), ``w`` the piece width,
    ``R`` the largest ``|y|``), the integration-by-parts recursion at small ``c``
    (~ (J+1)/2 log10(1 + (J+1)/(c w^2))) and, for ``theta`` outside ``[a, b]``,
    the exponentially small result (``c dist^2 / ln 10``).  A deficient guard is
    caught by the evaluator's two-precision check, never silently accepted.
    """
    J, a, b = (float(v) for v in law.params)
    w = (b - a) / J
    base = J * math.log10(2 * math.e) + 10

    def guard(c, th):
        thf = float(th)
        R = max(abs(thf - a), abs(thf - b))
        dist = max(a - thf, thf - b, 0.0)
        cf = float(c)
        if 1e-300 < cf < 1e300:        # float logs: the guard is a digit count, not a value
            rec = (J + 1) / 2 * math.log10(1 + (J + 1) / (cf * w * w))
        else:
            cm = mpmath.mpf(c)
            rec = (J + 1) / 2 * float(mpmath.log10(1 + (J + 1) / (cm * w * w))) if cm > 0 else 0
        out = cf * dist * dist / math.log(10) if cf < 1e300 else 1e300
        return int(base + J * math.log10(1 + R / w) + rec + min(out, 1e6)) + 1

    return _guarded(guard, f, g, fg)


def _continuous_moments(law: DataLaw, theta, nmax: int) -> list:
    """``E[(theta - X)^n]``, ``n <= nmax``, for the continuous kinds (at the current precision)."""
    kind, par = law.kind, [to_mpf(v) for v in law.params]
    if kind == "normal":   # G ~ N(theta - m, s^2): E G^n = mu E G^{n-1} + (n-1) s^2 E G^{n-2}
        mu, s2 = theta - par[0], par[1]**2
        out = [mpmath.mpf(1), mu]
        for n in range(2, nmax + 1):
            out.append(mu * out[-1] + (n - 1) * s2 * out[-2])
        return out[:nmax + 1]
    if kind == "uniform":         # G uniform on [theta - b, theta - a]
        hi, lo = theta - par[0], theta - par[1]
        w = hi - lo
        return [(hi**(n + 1) - lo**(n + 1)) / ((n + 1) * w) for n in range(nmax + 1)]
    if kind in ("exponential", "gamma"):
        # Y = X - theta; Gamma(J, lam) (J = 1: exponential) with E_0 g = g(0) and
        # E_J g = E_{J-1} g + E_J g' / lam (integration by parts), so
        # E_J Y^n = E_{J-1} Y^n + (n / lam) E_J Y^{n-1}
        J, lam = (1, par[0]) if kind == "exponential" else (int(law.params[0]), par[1])
        cur = [(-theta)**n for n in range(nmax + 1)]
        for _ in range(J):
            new = [mpmath.mpf(1)]
            for n in range(1, nmax + 1):
                new.append(cur[n] + n / lam * new[n - 1])
            cur = new
        return [(-1)**n * v for n, v in enumerate(cur)]
    if kind == "irwinhall":
        # G = (Y_1 + ... + Y_J)/J, Y_i i.i.d. uniform on [lo, hi] = [theta - b, theta - a];
        # the Taylor coefficients of ((e^{hi t} - e^{lo t})/(w t))^J give
        # E[(sum Y)^n] = n!/(w^J (n+J)!) sum_k (-1)^k C(J,k) (J hi - k w)^{n+J}, w = b - a
        # (a J-th difference: ~ J log10(J (|hi| + |lo|)/w) digits cancel, added as guard)
        J, a, b = int(law.params[0]), par[1], par[2]
        hi, lo, w = theta - a, theta - b, b - a
        guard = int(J * mpmath.log10(J * (abs(hi) + abs(lo)) / w + 1)) + 10
        with mpmath.extradps(guard):
            pts = [(-1)**k * mpmath.binomial(J, k) for k in range(J + 1)]
            base = [J * hi - k * w for k in range(J + 1)]
            pw = [x**J for x in base]
            out, fac = [], mpmath.mpf(1) / (w**J * mpmath.factorial(J))  # n!/(w^J (n+J)!) at 0
            for n in range(nmax + 1):
                out.append(fac * mpmath.fsum(c * p for c, p in zip(pts, pw)) / mpmath.mpf(J)**n)
                pw = [p * x for p, x in zip(pw, base)]
                fac = fac * (n + 1) / (n + 1 + J)
            return [+v for v in out]
    raise ValueError(f"no moments for law kind {kind!r}")  # pragma: no cover


class GradientLaw:
    """The law of the stochastic gradient ``G`` at ``theta``.

    Parameters
    ----------
    data : str or DataLaw
        The data law (one point); see :func:`symadam.avf.laws.parse_data`.
    batch : int
        Mini-batch size ``J``; ``G`` is the gradient of the batch-mean loss.
    grad : sympy expression in ``theta`` and ``x``, optional
        Per-sample gradient for *discrete* data (``batch`` must then be 1);
        default ``theta - x`` (the quadratic loss ``1/2 (theta - x)^2``).

    Examples
    --------
    >>> with mpmath.workdps(20):
    ...     gl = GradientLaw("bernoulli:1/2")
    ...     gl.moment(2, mpmath.mpf(0))
    mpf('0.5')
    """

    def __init__(self, data: Any, batch: int = 1, grad: Any = None) -> None:
        self.data = parse_data(data)
        self.law = self.data.batch_mean(batch)
        self.batch = batch
        self.grad = None
        if grad is not None:
            if self.law.kind != "discrete":
                raise ValueError("grad (a per-sample gradient) needs discrete data")
            if batch != 1:
                raise ValueError("grad (a per-sample gradient) needs batch J = 1")
            expr = (parse_expression(grad, ("theta", "x"), name="grad")  # user text: no eval
                    if isinstance(grad, str) else sympy.sympify(grad, strict=True))
            x = sympy.Symbol("x", real=True)
            th = sympy.Symbol("theta", real=True)
            extra = {s for s in expr.free_symbols if s.name not in ("x", "theta")}
            if extra:
                raise ValueError(f"grad must be an expression in theta and x, got symbols {extra}")
            expr = expr.subs({s: (x if s.name == "x" else th) for s in expr.free_symbols})
            self.grad = expr
            self._g = sympy.lambdify((th, x), expr, modules="mpmath")
        self.discrete = self.law.kind == "discrete"

    # -- the law at theta --------------------------------------------------
    def atoms(self, theta: mpmath.mpf) -> list[tuple[mpmath.mpf, mpmath.mpf]]:
        """Atoms ``(g, p)`` of ``G`` (discrete laws)."""
        if self.grad is None:
            return [(theta - to_mpf(x), to_mpf(p)) for x, p in self.law.atoms]
        return [(mpmath.mpf(self._g(theta, to_mpf(x))), to_mpf(p)) for x, p in self.law.atoms]

    def functionals(self, theta: mpmath.mpf):
        """``(phi, psi)`` as functions of ``c`` at this ``theta``."""
        if self.discrete:
            at = self.atoms(theta)
            g2 = [(g, g * g, p) for g, p in at]

            def phi(c):
                return mpmath.fsum(p * mpmath.exp(-c * y) for _, y, p in g2)

            def psi(c):
                return mpmath.fsum(p * g * mpmath.exp(-c * y) for g, y, p in g2)

            return phi, psi
        f, g, _ = _continuous(self.law)
        return (lambda c: f(c, theta)), (lambda c: g(c, theta))

    def phipsi(self, theta: mpmath.mpf):
        """A function ``c -> (phi(c), psi(c))`` at this ``theta`` (shares the exponentials)."""
        if self.discrete:
            g2 = [(g, g * g, p) for g, p in self.atoms(theta)]
            exp = mpmath.exp

            def both(c):
                ph = ps = 0
                for g, y, p in g2:
                    t = p * exp(-c * y)
                    ph += t
                    ps += t * g
                return ph, ps

            return both
        fg = _continuous(self.law)[2]
        return lambda c: fg(c, theta)

    def moment(self, n: int, theta: mpmath.mpf) -> mpmath.mpf:
        """``E[G^n]`` at ``theta``."""
        return self.moments(n, theta)[n]

    def moments(self, nmax: int, theta: mpmath.mpf) -> list[mpmath.mpf]:
        """``[E[G^0], ..., E[G^nmax]]`` at ``theta`` (exact moments of the law).

        Continuous laws use recursions for the moments of ``G = theta - X``
        itself (no binomial expansion of the raw moments of ``X``, which cancels
        when ``|E X|`` is large against the spread), evaluated with guard digits.
        """
        if self.discrete:
            at = self.atoms(theta)
            out = []
            pw = [p for _, p in at]
            for n in range(nmax + 1):
                out.append(mpmath.fsum(pw))
                pw = [w * g for w, (g, _) in zip(pw, at)]
            return out
        with mpmath.extradps(10 + nmax // 4):
            out = _continuous_moments(self.law, +theta, nmax)
        return [+m for m in out]
    def minimizer(self) -> Any:
        """The minimizer ``theta*`` of ``F`` (a root of ``E[g(theta, X)]``), exact when possible."""
        if self.grad is None:
            return self.data.mean()
        x = sympy.Symbol("x", real=True)
        th = sympy.Symbol("theta", real=True)
        eq = sum((p * self.grad.subs(x, xi) for xi, p in self.law.atoms), sympy.Integer(0))
        sols = [s for s in sympy.solve(eq, th) if s.is_real]
        if len(sols) != 1:
            raise ValueError(f"E[grad] = 0 must have exactly one real root, got {sols}")
        return sols[0]
