"""Running optimizers in mpmath arithmetic on diagonal quadratics (an independent route).

The recurrences are written here again, directly in mpmath, from the methods'
definitions (they share no code with :mod:`symadam.rates.engine`): a claim that
the engine's tuned rate is right is checked by *running* the method at 50
digits and measuring how fast it converges.

At an optimal tuning the worst-case root is double (heavy ball at both ends
of the spectrum, Nesterov at ``mu``), so the error behaves like
``C n^p rho^n`` with ``p = 1`` rather than ``C rho^n``; short-window ratios
then read slightly high.  :func:`empirical_rate` therefore fits

    ``log e_n^2 = c0 + 2 n log(rho) + q log(n) + c1/n + c2/n^2``

by least squares over the window ``[N/2, N]`` (``q = 2p`` is fitted too, and
reported: ``q ~ 2`` signals a double root, ``q ~ 0`` a simple one).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import mpmath

from ..core.validate import check_dps, check_int

__all__ = ["MpMethod", "MP_METHODS", "register_mp_method", "get_mp_method", "run_diagonal",
           "empirical_rate", "envelope_rate", "grid_rates"]


@dataclass(frozen=True)
class MpMethod:
    """A method's recurrence in mpmath arithmetic.

    Attributes
    ----------
    name : str
        Same key as in :data:`symadam.rates.methods.METHODS`.
    size : int
        Length of the state (theta first).
    step : callable ``(state, grad, params) -> tuple``
        One step; ``grad(x)`` is the gradient oracle, ``params`` a dict of mpf
        keyed by parameter name.
    init : callable ``theta0 -> state``
        The starting state for a starting point ``theta0``.
    plain : bool
        ``step`` uses only ``+ - *`` on the state, ``grad`` and ``params`` (no
        mpmath constants or functions), so it runs unchanged on another exact
        binary type of the same precision (:mod:`symadam.rates.minimax_mp` uses
        ``gmpy2.mpfr``, mpmath's backend, for speed).  Default ``False``.

    Examples
    --------
    >>> m = MpMethod("half-gd", 1, lambda s, grad, p: (s[0] - p["h"] * grad(s[0]) / 2,),
    ...              lambda x: (x,))
    >>> m.step(m.init(mpmath.mpf(1)), lambda x: 2 * x, {"h": mpmath.mpf(1)})
    (mpf('0.0'),)
    """

    name: str
    size: int
    step: Callable[[tuple, Callable, dict], tuple]
    init: Callable[[Any], tuple]
    plain: bool = False


def _gd(state, grad, p):
    (x,) = state
    return (x - p["h"] * grad(x),)


def _hb(state, grad, p):
    x, xp = state
    return (x - p["h"] * grad(x) + p["beta"] * (x - xp), x)


def _nag(state, grad, p):
    x, xp = state
    y = x + p["beta"] * (x - xp)
    return (y - p["h"] * grad(y), x)


#: name -> MpMethod (extend with :func:`register_mp_method`).
MP_METHODS: dict[str, MpMethod] = {
    "gd": MpMethod("gd", 1, _gd, lambda x: (x,), plain=True),
    "heavy-ball": MpMethod("heavy-ball", 2, _hb, lambda x: (x, x), plain=True),
    "nesterov": MpMethod("nesterov", 2, _nag, lambda x: (x, x), plain=True),
}


def register_mp_method(m: MpMethod) -> MpMethod:
    """Add an mpmath recurrence (e.g. Adam's) to :data:`MP_METHODS`.

    Examples
    --------
    >>> register_mp_method(MP_METHODS["gd"]).size
    1
    """
    MP_METHODS[m.name] = m
    return m


def get_mp_method(name: str) -> MpMethod:
    """The mpmath recurrence called ``name``.

    Examples
    --------
    >>> get_mp_method("heavy-ball").size
    2
    >>> get_mp_method("sgd")
    Traceback (most recent call last):
    ...
    ValueError: method must be one of ...; got 'sgd'
    """
    if name not in MP_METHODS:
        raise ValueError(f"method must be one of {', '.join(sorted(MP_METHODS))}; got {name!r}")
    return MP_METHODS[name]


def run_diagonal(method: str, lams: Sequence[Any], params: dict, steps: int,
                 theta0: Sequence[Any], dps: int = 50) -> list:
    """Errors ``e_n = ||theta_n||`` of ``method`` on ``f = sum_i lam_i theta_i^2 / 2``.

    Each coordinate is an independent scalar recurrence (the Hessian is
    diagonal); the minimizer is 0, so the error is the norm of theta.

    Parameters
    ----------
    method : str
    lams : sequence
        The Hessian's diagonal.
    params : dict
        Parameter name -> value (converted to mpf at ``dps`` digits).
    steps : int
    theta0 : sequence
        The starting point (one entry per coordinate).
    dps : int

    Returns
    -------
    list of mpf, length ``steps + 1``.

    Examples
    --------
    >>> e = run_diagonal("gd", [1, 3], {"h": "0.5"}, 3, [1, 1], dps=20)
    >>> [mpmath.nstr(x, 6) for x in e]
    ['1.41421', '0.707107', '0.353553', '0.176777']
    """
    check_dps(dps)
    check_int("steps", steps)
    m = get_mp_method(method)
    if len(lams) != len(theta0):
        raise ValueError("theta0 must have one entry per eigenvalue in lams")
    with mpmath.workdps(dps):
        p = {k: mpmath.mpf(v) for k, v in params.items()}
        states = []
        grads = []
        for lam, x0 in zip(lams, theta0):
            lam = mpmath.mpf(lam)
            grads.append(lambda x, lam=lam: lam * x)
            states.append(m.init(mpmath.mpf(x0)))
        errs = []
        for _ in range(steps + 1):
            errs.append(mpmath.sqrt(mpmath.fsum(s[0] ** 2 for s in states)))
            states = [m.step(s, g, p) for s, g in zip(states, grads)]
        return [+e for e in errs]


def empirical_rate(errors: Sequence[Any], stride: int = 10, dps: int = 50,
                   envelope: bool = False) -> tuple:
    """Fit ``e_n ~ C n^{q/2} rho^n (1 + c1/n + c2/n^2)`` over ``[N/2, N]``; return ``(rho, q)``.

    With ``envelope=True`` each sampled ``e_n`` is replaced by the maximum of
    ``e_n, ..., e_{n+stride-1}``, which removes the dips of oscillating
    (complex-root) errors before the fit.

    Examples
    --------
    >>> e = [(n + 3) * mpmath.mpf("0.5") ** n for n in range(401)]
    >>> rho, q = empirical_rate(e, dps=30)
    >>> mpmath.nstr(rho, 12), mpmath.nstr(q, 3)
    ('0.5', '2.0')
    """
    check_dps(dps)
    check_int("stride", stride)
    N = len(errors) - 1
    if N < 40:
        raise ValueError("errors must hold at least 41 values")
    _check_positive_errors(errors, N // 2)
    with mpmath.workdps(dps):
        rows, rhs = [], []
        for n in range(N // 2, N + 1 - (stride if envelope else 0), stride):
            x = mpmath.mpf(n)
            e = max(errors[n:n + stride]) if envelope else errors[n]
            rows.append([1, x, mpmath.log(x), 1 / x, 1 / x**2])
            rhs.append(2 * mpmath.log(mpmath.mpf(e)))
        if len(rows) < 8:
            raise ValueError("errors too short for this stride: need 8 fit points")
        sol, _res = mpmath.qr_solve(mpmath.matrix(rows), mpmath.matrix(rhs))
        return +mpmath.exp(sol[1] / 2), +sol[2]


def _check_positive_errors(errors: Sequence[Any], start: int) -> None:
    """Rates are fitted to ``log e_n``: every error from ``start`` on must be > 0."""
    if any(not e > 0 for e in errors[start:]):
        raise ValueError("errors must be > 0 over the fit window (an error of exactly 0 means "
                         "the iteration terminated: its rate is 0)")


def envelope_rate(errors: Sequence[Any], dps: int = 30) -> mpmath.mpf:
    """Robust rate estimate ``(max e over [N - W, N] / max e over [N/2 - W, N/2])^(2/N)``.

    ``W = N/10``.  The window maxima ride over the dips of oscillating errors;
    a polynomial prefactor ``n^p`` biases the estimate up by about
    ``2 p log(2) / N``.  Measured against exact spectral radii on grids of
    tunings of GD, heavy ball and Nesterov, the relative error stayed below
    ``2.7 / N`` (see ``tests/test_rates_precision.py``).

    Examples
    --------
    >>> e = [mpmath.mpf("0.5") ** n for n in range(201)]
    >>> mpmath.nstr(envelope_rate(e), 10)
    '0.5'
    """
    N = len(errors) - 1
    if N < 40:
        raise ValueError("errors must hold at least 41 values")
    W, M = N // 10, N // 2
    _check_positive_errors(errors, M - W)
    with mpmath.workdps(dps):
        a = max(mpmath.mpf(e) for e in errors[N - W:N + 1])
        b = max(mpmath.mpf(e) for e in errors[M - W:M + 1])
        return +(a / b) ** (mpmath.mpf(1) / (N - M))


def grid_rates(method: str, params: dict, lams: Sequence[Any], theta0: Sequence[Any],
               factors: Sequence[Any], steps: int = 600, dps: int = 30,
               upper: dict | None = None) -> list:
    """Empirical rates for every parameter choice ``params[k] * f_k`` on a product grid.

    Parameters outside their domain (``upper``: exclusive bounds by name) are
    skipped.  Returns a list of ``(choice_dict, rho_hat, resolution)`` with
    :func:`envelope_rate` estimates and the resolution ``4 rho_hat / steps``.

    Examples
    --------
    >>> rows = grid_rates("gd", {"h": "0.5"}, [1, 3], [1, 1], [0.9, 1, 1.1], steps=200)
    >>> min(rows, key=lambda r: r[1])[0]["h"] == mpmath.mpf("0.5")
    True
    """
    import itertools

    check_int("steps", steps, minimum=40)
    names = list(params)
    out = []
    with mpmath.workdps(dps):
        for combo in itertools.product(factors, repeat=len(names)):
            choice = {k: mpmath.mpf(params[k]) * mpmath.mpf(f) for k, f in zip(names, combo)}
            if upper and any(choice[k] >= mpmath.mpf(v) for k, v in upper.items() if k in choice):
                continue
            e = run_diagonal(method, lams, choice, steps, theta0, dps)
            r = envelope_rate(e, dps)
            out.append((choice, r, 4 * r / steps))
    return out
