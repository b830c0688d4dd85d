"""Chebyshev series on an interval, in mpmath (private helper of the Adam-vector-field route).

A function on ``[a, b]`` is represented by its Chebyshev coefficients
``f(s) = sum_k c_k T_k(x)``, ``x = (2 s - a - b)/(b - a)``, obtained by
interpolation at the Chebyshev--Lobatto points.  On such series this module
differentiates, integrates, evaluates (Clenshaw, in fixed-point integers for
speed) and solves the linear ODE ``E' + lam E = r`` with an initial value by
the ultraspherical (Olver--Townsend) spectral method: ``T_n' = n C^(1)_{n-1}``
and the banded conversion ``T -> C^(1)`` turn it into a tridiagonal system
whose symmetric part is positive definite, so it is solved stably in ``O(N)``
operations for every ``lam >= 0``.  Everything runs at the caller's
``mpmath`` precision.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Sequence

import mpmath
from mpmath.libmp import from_man_exp, to_fixed

__all__ = ["lobatto_points", "coefficients", "Clenshaw", "Horner", "derivative",
           "antiderivative", "solve_exp_ode", "coefficient_norm", "fixed", "unfixed",
           "fixed_derivative", "clenshaw_curtis"]


def _fix(x: Any, p: int) -> int:
    return to_fixed(mpmath.mpf(x)._mpf_, p)


def lobatto_points(n: int) -> list:
    """``x_j = cos(pi j / n)``, ``j = 0..n`` (from 1 down to -1).

    Examples
    --------
    >>> [float(x) for x in lobatto_points(2)]
    [1.0, 0.0, -1.0]
    """
    return [mpmath.cospi(mpmath.mpf(j) / n) for j in range(n + 1)]


def coefficients(values: Sequence[Any]) -> list:
    """Chebyshev coefficients of the interpolant through ``values`` at :func:`lobatto_points`.

    The ``O(N^2)`` cosine sums run in fixed-point integers (20 guard bits beyond
    the working precision, relative to the largest value).

    Examples
    --------
    >>> xs = lobatto_points(4)
    >>> [round(float(c), 12) for c in coefficients([2 * x * x - 1 for x in xs])]   # T_2
    [0.0, 0.0, 1.0, 0.0, 0.0]
    """
    n = len(values) - 1
    top = max((abs(mpmath.mpf(v)) for v in values), default=mpmath.mpf(0))
    shift = 0 if top == 0 else max(0, int(mpmath.floor(mpmath.log(top, 2))) + 1)
    p = mpmath.mp.prec + 20 + n.bit_length()
    q = p - shift                       # values scaled by 2^q stay below 2^p
    cos = _cos_table(n, p)
    f = [_fix(v, q) for v in values]
    f[0], f[n] = f[0] >> 1, f[n] >> 1
    out = []
    for k in range(n + 1):
        acc = 0
        for j in range(n + 1):
            acc += f[j] * cos[(j * k) % (2 * n)]
        c = mpmath.mpf(from_man_exp(acc, -(p + q))) * 2 / n
        out.append(c)
    out[0], out[n] = out[0] / 2, out[n] / 2
    return out


@lru_cache(maxsize=64)
def _cos_table(n: int, p: int) -> tuple:
    with mpmath.workprec(p + 10):
        return tuple(_fix(mpmath.cospi(mpmath.mpf(m) / n), p) for m in range(2 * n))


@lru_cache(maxsize=64)
def _cc_weights(m: int, prec: int) -> tuple:
    """Clenshaw--Curtis weights on ``[-1, 1]`` at the ``m + 1`` Lobatto points.

    ``w_j = (1/m) sum_{k even} c_k cos(pi j k/m) 2/(1 - k^2)`` (halved at ``j = 0, m``),
    ``c_k = 1`` at ``k = 0, m`` and 2 otherwise; the cosines come from one table of
    ``cos(pi i/m)``, ``i < 2 m`` (``j k`` reduced mod ``2 m``), each sum is one dot product.
    """
    with mpmath.workprec(prec + 20):
        cos = [mpmath.cospi(mpmath.mpf(i) / m) for i in range(2 * m)]
        ks = range(0, m + 1, 2)
        coef = [(1 if k in (0, m) else 2) * mpmath.mpf(2) / (1 - k * k) for k in ks]
        w = []
        for j in range(m + 1):
            acc = mpmath.fdot(coef, [cos[(j * k) % (2 * m)] for k in ks]) / m
            w.append(acc / 2 if j in (0, m) else acc)
        return tuple(w)


def clenshaw_curtis(g: Callable[[Any], Any], a: Any, b: Any, tol: Any, m: int = 16,
                    mmax: int = 1024) -> tuple:
    """``int_a^b g`` by Clenshaw--Curtis rules with nested Lobatto points; ``(value, error)``.

    The number of points doubles (reusing every value) until two successive
    rules agree to ``tol``; the error is their difference.

    Examples
    --------
    >>> v, e = clenshaw_curtis(mpmath.exp, 0, 1, mpmath.mpf(10)**-20)
    >>> abs(v - (mpmath.e - 1)) < 1e-14, e < 1e-14
    (True, True)
    """
    hw, mid = (b - a) / 2, (a + b) / 2
    vals: dict = {}
    prev = None
    while True:
        xs = []
        for j in range(m + 1):           # the j-th point of the m-rule is point 2j of the 2m-rule
            key = (j * (mmax // m))
            if key not in vals:
                vals[key] = g(mid + hw * mpmath.cospi(mpmath.mpf(j) / m))
            xs.append(vals[key])
        w = _cc_weights(m, mpmath.mp.prec)
        val = hw * mpmath.fdot(w, xs)
        if prev is not None:
            err = abs(val - prev)
            if err < tol or m >= mmax:
                return val, err
        prev, m = val, 2 * m


def fixed(c: Sequence[Any], p: int) -> list:
    """Coefficients as integers with ``p`` fractional bits (for the fast series algebra).

    Examples
    --------
    >>> [int(c) for c in fixed([mpmath.mpf("0.5"), 3], 4)]
    [8, 48]
    """
    return [_fix(v, p) for v in c]


def unfixed(c: Sequence[int], p: int) -> list:
    """Inverse of :func:`fixed` (mpf at the working precision).

    Examples
    --------
    >>> [float(v) for v in unfixed([8, 48], 4)]
    [0.5, 3.0]
    """
    return [mpmath.mpf(from_man_exp(v, -p)) for v in c]


def fixed_derivative(c: Sequence[int], inv_half_width: int, p: int) -> list:
    """:func:`derivative` on fixed-point coefficients (``inv_half_width`` fixed as well).

    Examples
    --------
    >>> [int(v) for v in fixed_derivative(fixed([0, 0, 1], 8), fixed([1], 8)[0], 8)]   # 4 T_1
    [0, 1024, 0]
    """
    n = len(c) - 1
    d = [0] * (n + 2)
    for k in range(n, 0, -1):
        d[k - 1] = d[k + 1] + 2 * k * c[k]
    d[0] >>= 1
    return [(v * inv_half_width) >> p for v in d[:n + 1]]


class Clenshaw:
    """Fast evaluation of ``sum_k c_k T_k(x)`` in fixed-point integer arithmetic.

    The coefficients are converted once to integers scaled by ``2^p``
    (``p`` = the working precision in bits plus 20 guard bits); one evaluation
    then costs about ``N`` integer multiplications.

    Examples
    --------
    >>> f = Clenshaw([0, 0, 1])                  # T_2(x) = 2 x^2 - 1
    >>> float(f(mpmath.mpf("0.5")))
    -0.5
    """

    def __init__(self, coeffs: Sequence[Any], fixed_prec: int | None = None) -> None:
        if fixed_prec is None:
            self.prec = mpmath.mp.prec + 20 + len(coeffs).bit_length()
            self.c = [to_fixed(mpmath.mpf(c)._mpf_, self.prec) for c in coeffs]
        else:                        # already integers with fixed_prec fractional bits
            self.prec, self.c = fixed_prec, list(coeffs)

    def __call__(self, x: Any) -> Any:
        p = self.prec
        x2 = to_fixed(mpmath.mpf(2 * x)._mpf_, p)
        b1 = b2 = 0
        for c in reversed(self.c[1:]):
            b1, b2 = c + ((x2 * b1) >> p) - b2, b1
        xx = x2 >> 1
        return mpmath.mpf(from_man_exp(self.c[0] + ((xx * b1) >> p) - b2, -p))


class Horner:
    """Fast evaluation of ``sum_r c_r x^r`` for ``|x| <= xmax`` (fixed-point integers).

    The coefficients are stored as ``c_r xmax^r`` in integers scaled by ``2^p``;
    an evaluation at ``x`` runs Horner's rule in ``y = x/xmax``, ``|y| <= 1``.

    Examples
    --------
    >>> f = Horner([1, 2, 3], 10)              # 1 + 2 x + 3 x^2
    >>> float(f(mpmath.mpf(2)))
    17.0
    """

    def __init__(self, coeffs: Sequence[Any], xmax: Any) -> None:
        self.xmax = mpmath.mpf(xmax)
        self.prec = mpmath.mp.prec + 30
        xm = mpmath.mpf(1)
        self.c = []
        for c in coeffs:
            self.c.append(_fix(mpmath.mpf(c) * xm, self.prec))
            xm *= self.xmax
        self.c.reverse()

    def __call__(self, x: Any) -> Any:
        p = self.prec
        y = _fix(mpmath.mpf(x) / self.xmax, p)
        acc = 0
        for c in self.c:
            acc = ((acc * y) >> p) + c
        return mpmath.mpf(from_man_exp(acc, -p))


def derivative(c: Sequence[Any], half_width: Any) -> list:
    """Coefficients of ``d f/ds`` (``s`` the interval variable, ``half_width = (b - a)/2``).

    Examples
    --------
    >>> [float(v) for v in derivative([0, 0, 1], 1)]      # (2 x^2 - 1)' = 4 x = 4 T_1
    [0.0, 4.0, 0.0]
    """
    n = len(c) - 1
    d = [mpmath.mpf(0)] * (n + 2)
    for k in range(n, 0, -1):
        d[k - 1] = d[k + 1] + 2 * k * c[k]
    d[0] = d[0] / 2
    return [v / half_width for v in d[:n + 1]]


def antiderivative(c: Sequence[Any], half_width: Any) -> list:
    """Coefficients of ``int_a^s f`` (zero at the left end ``x = -1``), one degree higher.

    Examples
    --------
    >>> F = antiderivative([1], 1)                  # int_{-1}^x 1 = x + 1
    >>> [float(v) for v in F]
    [1.0, 1.0]
    """
    n = len(c) - 1
    cc = list(c) + [mpmath.mpf(0), mpmath.mpf(0)]
    b = [mpmath.mpf(0)] * (n + 2)
    b[1] = cc[0] - cc[2] / 2
    for k in range(2, n + 2):
        b[k] = (cc[k - 1] - cc[k + 1]) / (2 * k)
    b = [v * half_width for v in b]
    b[0] = -mpmath.fsum((-1)**k * b[k] for k in range(1, n + 2))
    return b


def coefficient_norm(c: Sequence[Any]) -> Any:
    """``sum |c_k|``: a bound on ``max |f|`` over the interval.

    Examples
    --------
    >>> float(coefficient_norm([1, -2, 0.5]))
    3.5
    """
    return mpmath.fsum(abs(v) for v in c)


def solve_exp_ode(r: Sequence[Any], lam: Any, half_width: Any, e0: Any) -> list:
    """Coefficients of ``E`` with ``dE/ds + lam E = r`` on the interval and ``E(a) = e0``.

    In ``x``: ``E_x + mu E = g`` with ``mu = lam half_width``, ``g = half_width r``.
    In the ``C^(1)`` basis row ``k`` reads ``(k+1) e_{k+1} + mu (S e)_k = (S g)_k``
    with ``(S v)_0 = v_0 - v_2/2`` and ``(S v)_k = (v_k - v_{k+2})/2``; together
    with ``sum (-1)^n e_n = e0`` this is tridiagonal in ``e_1..e_N`` (diagonal
    ``k + 1``, off-diagonals ``+-mu/2``) plus one unknown ``e_0``.

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     xs = lobatto_points(24)
    ...     r = coefficients([mpmath.mpf(1) for x in xs])          # r = 1, lam = 3, E(-1) = 0
    ...     E = solve_exp_ode(r, 3, 1, 0)
    ...     f = Clenshaw(E)
    ...     err = f(mpmath.mpf("0.5")) - (1 - mpmath.exp(-3 * mpmath.mpf("1.5"))) / 3
    >>> abs(err) < 1e-20
    True
    """
    n = len(r) - 1
    mu = lam * half_width
    g = [half_width * v for v in r] + [mpmath.mpf(0), mpmath.mpf(0)]
    rhs = [g[0] - g[2] / 2] + [(g[k] - g[k + 2]) / 2 for k in range(1, n)]
    half = mu / 2
    # tridiagonal T (unknown y_k = e_{k+1}): diag k + 1, sub +mu/2, super -mu/2
    piv, ya, yb = [], [], []
    for k in range(n):
        if k == 0:
            d, ra, rb = mpmath.mpf(1), rhs[0], mu
        else:
            w = half / piv[-1]
            d = (k + 1) + w * half
            ra, rb = rhs[k] - w * ya[-1], -w * yb[-1]
        piv.append(d)
        ya.append(ra)
        yb.append(rb)
    for k in range(n - 1, -1, -1):
        if k < n - 1:
            ya[k] = (ya[k] + half * ya[k + 1]) / piv[k]
            yb[k] = (yb[k] + half * yb[k + 1]) / piv[k]
        else:
            ya[k], yb[k] = ya[k] / piv[k], yb[k] / piv[k]
    sa = mpmath.fsum((-1)**(k + 1) * ya[k] for k in range(n))
    sb = mpmath.fsum((-1)**(k + 1) * yb[k] for k in range(n))
    e_0 = (e0 - sa) / (1 - sb)
    return [e_0] + [ya[k] - e_0 * yb[k] for k in range(n)]


def sample(f: Callable[[Any], Any], a: Any, b: Any, n: int) -> tuple[list, list]:
    """Points ``s_j`` of :func:`lobatto_points` mapped to ``[a, b]`` and ``f(s_j)``."""
    mid, hw = (a + b) / 2, (b - a) / 2
    s = [mid + hw * x for x in lobatto_points(n)]
    return s, [f(v) for v in s]
