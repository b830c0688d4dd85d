"""Wiring for ``symadam sgd invariant``: exact invariant-law results evaluated to ``dps`` digits.

No mathematics of its own: the formulas come from :mod:`symadam.sgd.invariant`
(sympy), the tail index is the positive root of its closed form
(:func:`symadam.sgd.invariant_mp.positive_root`), and whether a stationary law
exists at all under multiplicative noise is the sign of ``E log|1 - gamma S|``
(:func:`symadam.sgd.invariant_mp.log_moment_quad`).  Every decimal printed
with ``dps`` digits is computed at two working precisions and must agree.
"""
from __future__ import annotations

from typing import Any

import mpmath
import sympy
from sympy import Rational

from .invariant import (
    GAMMA,
    KAPPA,
    SIGMA,
    J,
    kesten_moment,
    regression_second_moment,
    scalar_invariant,
)

__all__ = ["parse_noise", "decimal", "kesten_function", "tail_index", "invariant_report"]


def _g21(a_s, b_s, z):
    """``G^{2,1}_{1,2}(z | 1-a; 0, 1-c) = Gamma(a) Gamma(a-c+1) U(a, c, z)`` via ``mpmath.hyperu``.

    ``mpmath`` fails at integer ``kappa`` (``a`` integer, ``c`` a half-integer:
    coinciding terms of its connection formula); there the value is the mean
    of the values at ``kappa -+ delta``, ``delta = 2^(-prec/2)`` (error
    ``O(delta^2)``, below the working precision).
    """
    if len(a_s[0]) != 1 or a_s[1] or len(b_s[0]) != 2 or b_s[0][0] != 0 or b_s[1]:
        return mpmath.meijerg(a_s, b_s, z)
    a = 1 - a_s[0][0]
    c = 1 - b_s[0][1]

    def G(a, c):
        return mpmath.gamma(a) * mpmath.gamma(a - c + 1) * mpmath.hyperu(a, c, z)

    try:
        return G(a, c)
    except ValueError:
        d = mpmath.ldexp(1, -(mpmath.mp.prec // 2))
        return (G(a + d, c + d) + G(a - d, c - d)) / 2


def kesten_function(expr: Any) -> Any:
    """An mpmath callable of ``kappa`` for a closed form from :func:`.invariant.kesten_moment`.

    Examples
    --------
    >>> f = kesten_function(kesten_moment(Rational(1), 1))
    >>> with mpmath.workdps(20):
    ...     print(mpmath.nstr(f(mpmath.mpf(2)), 15))          # 1 - 2 + 3 = 2
    2.0
    """
    return sympy.lambdify(KAPPA, expr, [{"meijerg": _g21}, "mpmath"])


def parse_noise(text: str) -> tuple[str, Any]:
    """``additive:SIGMA`` (``SIGMA > 0``, exact) or ``regression:normal`` (``sigma = 1``).

    Examples
    --------
    >>> parse_noise("additive:0.5"), parse_noise("regression:normal")
    (('additive', 1/2), ('regression', 1))
    >>> parse_noise("additive:-1")
    Traceback (most recent call last):
    ...
    ValueError: --noise additive:SIGMA needs SIGMA > 0, got '-1'
    """
    from ..core.expr import parse_expression

    kind, _, par = str(text).strip().partition(":")
    if kind == "additive":
        sig = parse_expression(par, (), name="--noise SIGMA") if par.strip() else None
        if sig is None or not (sig.is_real and sig.is_finite and sig > 0):
            raise ValueError(f"--noise additive:SIGMA needs SIGMA > 0, got {par!r}")
        return "additive", sig
    if kind == "regression" and par == "normal":
        return "regression", Rational(1)
    raise ValueError(f"--noise must be additive:SIGMA or regression:normal, got {text!r}")


def decimal(x: Any, dps: int) -> str:
    """An exact sympy number as a decimal string with ``dps`` significant digits.

    Examples
    --------
    >>> decimal(Rational(2, 3), 10)
    '0.6666666667'
    """
    with mpmath.workdps(dps + 20):
        v = mpmath.mpf(sympy.N(x, dps + 20))
        return mpmath.nstr(v, dps)


def tail_index(gamma: Any, batch: int, dps: int) -> str:
    """The Kesten index to ``dps`` digits (two working precisions must agree), or exit-1 error.

    Examples
    --------
    >>> tail_index(Rational(1, 2), 1, 15)
    '2.90396622891633'
    """
    from .invariant_mp import positive_root

    f = kesten_function(kesten_moment(gamma, batch))

    a = positive_root(f, dps + 5)
    b = positive_root(f, dps + 15, guess=a)
    with mpmath.workdps(dps + 20):
        if abs(a - b) > abs(b) * mpmath.mpf(10) ** (-(dps + 2)):
            raise RuntimeError(f"the tail index did not converge to {dps} digits")
        return mpmath.nstr(b, dps)


def invariant_report(gamma: Any, batch: int, noise: tuple[str, Any], dps: int) -> dict:
    """The CLI's JSON: ``mean``, ``variance``, ``excess_risk``, ``finite_variance_below``, ...

    ``None`` marks a moment that is infinite or a law that does not exist.

    Examples
    --------
    >>> r = invariant_report(Rational(1, 2), 1, ("additive", 1), 10)
    >>> r["variance"], r["excess_risk_exact"]
    ('0.3333333333', '1/6')
    """
    kind, sigma = noise
    g = sympy.nsimplify(gamma)
    out: dict = {"gamma": str(g), "batch": batch, "noise": kind}
    if kind == "additive":
        thr = scalar_invariant()["stable_below"]
        out["finite_variance_below"] = decimal(thr, dps)
        if g < thr:
            sub = {GAMMA: g, SIGMA: sigma, J: batch}
            var = sympy.nsimplify(scalar_invariant()["variance"].subs(sub))
            ex = sympy.nsimplify(scalar_invariant()["excess_risk"].subs(sub))
            out.update({"mean": "0", "variance": decimal(var, dps), "variance_exact": str(var),
                        "excess_risk": decimal(ex, dps), "excess_risk_exact": str(ex)})
        else:
            out.update({"mean": None, "variance": None, "excess_risk": None})
        out["stationary_law"] = bool(g < thr)
        return out
    from .invariant_mp import log_moment_quad

    rr = regression_second_moment()
    thr = rr["threshold"].subs(J, batch)
    out["finite_variance_below"] = decimal(thr, dps)
    with mpmath.workdps(30):
        lm = log_moment_quad(mpmath.mpf(g.p) / g.q, batch)
    out["stationary_law"] = bool(lm < 0)
    if lm >= 0:
        out.update({"mean": None, "variance": None, "excess_risk": None, "tail_index": None})
        return out
    kap = tail_index(g, batch, dps)
    out["tail_index"] = kap
    out["mean"] = "0" if mpmath.mpf(kap) > 1 else None
    if g < thr:
        sub = {GAMMA: g, SIGMA: sigma, J: batch}
        var = sympy.nsimplify(rr["second_moment"].subs(sub))
        ex = sympy.nsimplify(rr["excess_risk"].subs(sub))
        out.update({"variance": decimal(var, dps), "variance_exact": str(var),
                    "excess_risk": decimal(ex, dps), "excess_risk_exact": str(ex)})
    else:
        out.update({"variance": None, "excess_risk": None})
    return out
