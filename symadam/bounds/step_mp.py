"""Adam's recursion at high precision: the normalised step of a given gradient sequence (mpmath).

An independent route for the step bound: nothing here uses the closed form of
:mod:`symadam.bounds.step`; the moments are accumulated step by step exactly as Adam does
(``m_n = beta1 m_{n-1} + (1-beta1) g_n``, ``v_n = beta2 v_{n-1} + (1-beta2) g_n^2``, bias
corrections ``1 - beta^n``), at ``dps`` working digits.  Call with numbers or decimal strings;
``beta1`` is the papers' alpha, ``beta2`` their beta.
"""
from __future__ import annotations

from typing import Any, Sequence

import mpmath

from ..core.validate import check_dps, check_positive, check_unit_interval

__all__ = ["adam_ratio", "adam_ratios", "geometric_sequence"]


def _mpf(name: str, x: Any) -> mpmath.mpf:
    if isinstance(x, mpmath.mpf):
        return x
    if isinstance(x, str) and "/" in x:
        p, q = x.split("/")
        return mpmath.mpf(p) / mpmath.mpf(q)
    return mpmath.mpf(x)


def adam_ratios(grads: Sequence[Any], beta1: Any, beta2: Any, eps: Any = 0,
                dps: int = 50) -> list:
    """``|mhat_n|/(eps + sqrt(vhat_n))`` after each step ``n = 1..len(grads)`` (mpf list).

    Examples
    --------
    >>> [mpmath.nstr(x, 6) for x in adam_ratios([1, -2, 3], "0.9", "0.999", dps=20)]
    ['1.0', '0.366104', '0.343241']
    """
    check_dps(dps)
    check_unit_interval("beta1", float(_mpf("beta1", beta1)))
    check_unit_interval("beta2", float(_mpf("beta2", beta2)))
    check_positive("eps", float(_mpf("eps", eps)), strict=False)
    out = []
    with mpmath.workdps(dps + 10):
        b1, b2, e = _mpf("beta1", beta1), _mpf("beta2", beta2), _mpf("eps", eps)
        m = v = mpmath.mpf(0)
        p1 = p2 = mpmath.mpf(1)
        for g in grads:
            g = _mpf("g", g)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            p1 *= b1
            p2 *= b2
            mh, vh = m / (1 - p1), v / (1 - p2)
            out.append(abs(mh) / (e + mpmath.sqrt(vh)) if vh != 0 else mpmath.mpf(0))
    return out


def adam_ratio(grads: Sequence[Any], beta1: Any, beta2: Any, eps: Any = 0,
               dps: int = 50) -> mpmath.mpf:
    """``|mhat_n|/(eps + sqrt(vhat_n))`` after the whole sequence (``n = len(grads)``).

    Examples
    --------
    >>> mpmath.nstr(adam_ratio([4, 6, 9], "0.5", "0.75", dps=20), 15)  # extremal for n = 3
    '1.0443672475934'
    """
    return adam_ratios(grads, beta1, beta2, eps, dps)[-1]


def geometric_sequence(q: Any, n: int, dps: int = 50) -> list:
    """``q^(n-1), ..., q, 1`` as mpf at ``dps + 10`` digits (oldest first).

    Examples
    --------
    >>> [mpmath.nstr(x, 4) for x in geometric_sequence("0.5", 3, dps=20)]
    ['0.25', '0.5', '1.0']
    """
    with mpmath.workdps(dps + 10):
        qq = _mpf("q", q)
        return [qq**(n - i) for i in range(1, n + 1)]


def enumerate_rms(atoms: Sequence, theta: Any, beta1: Any, beta2: Any, eps: Any, history: int,
                  dps: int = 30) -> mpmath.mpf:
    """``E[(M/(eps + sqrt V))^2]`` over all histories of length ``history`` (brute force).

    ``atoms`` are ``(x, p)`` pairs of a discrete law; ``G = theta - x``;
    ``M = sum_{k<n} a_k G_k``, ``V = sum_{k<n} b_k G_k^2`` (no bias correction, the
    finite-history stationary weights).  ``len(atoms)^history`` terms: keep it small.

    Examples
    --------
    >>> v = enumerate_rms([(-1, "0.5"), (1, "0.5")], 0, "0.9", "0.99", 0, 6, dps=20)
    >>> mpmath.nstr(v, 10)      # V = 1 - 0.99^6 and E M^2 = sum a_k^2 for +-1 data
    '0.6453684709'
    """
    import itertools

    check_dps(dps)
    with mpmath.workdps(dps + 10):
        b1, b2, e, th = (_mpf(n, x) for n, x in (("beta1", beta1), ("beta2", beta2),
                                                  ("eps", eps), ("theta", theta)))
        a = [(1 - b1) * b1**k for k in range(history)]
        b = [(1 - b2) * b2**k for k in range(history)]
        gs = [(th - _mpf("x", x), _mpf("p", p)) for x, p in atoms]
        tot = mpmath.mpf(0)
        for seq in itertools.product(range(len(gs)), repeat=history):
            M = mpmath.fsum(a[k] * gs[s][0] for k, s in enumerate(seq))
            V = mpmath.fsum(b[k] * gs[s][0]**2 for k, s in enumerate(seq))
            p = mpmath.fprod(gs[s][1] for s in seq)
            tot += p * (M / (e + mpmath.sqrt(V)))**2
        return tot
