"""High-precision gradient-flow solutions (mpmath) and the decay laws measured on them.

The check route of the Łojasiewicz flow laws (:mod:`symadam.sgd.lojasiewicz`
derives them): it never sees the exponent, only ``f``, ``grad f`` (mpmath
callables), a start point and the critical value ``f*``.

Integrator: Gragg–Bulirsch–Stoer (modified midpoint rule, polynomial
extrapolation in ``h^2``, as many columns as the tolerance needs; a macro step
that does not converge is halved), in working precision ``dps + guard``.  When
``grad`` maps MPFR numbers to MPFR numbers (polynomial objectives), the
integration runs on ``gmpy2.mpfr`` at the same binary precision (correctly
rounded like mpmath's ``mpf``, several times faster); everything else
(samples, extrapolation, digits) is mpmath.

* Algebraic laws: in log-time ``s = log(1 + t)`` the flow
  ``dx/ds = -(1 + t) grad f(x)`` is smooth and non-stiff for homogeneous-type
  decay.  The local exponent ``beta(t) = t |grad f|^2 / (f - f*)`` (that is
  ``-d log(f - f*)/d log t``) is recorded at ``t = 2^j`` and extrapolated to
  ``t = oo`` by Neville's scheme in ``1/t``; the spread of the last two
  extrapolants is the error estimate.
* Exponential laws: in plain time, ``-d log(f - f*)/dt = |grad f|^2/(f - f*)``
  at ``t = 1, 2, ...``, accelerated by Aitken's delta-squared process until
  successive extrapolants agree to the requested digits; it tends to ``2 rate``.
"""
from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Callable, Sequence

import mpmath

try:  # mpmath's GMP backend (a dependency): MPFR numbers for the integrator's inner loop
    import gmpy2
except ImportError:  # pragma: no cover
    gmpy2 = None

__all__ = ["gbs_integrate", "algebraic_exponent", "exponential_rate", "neville_at_zero"]

Vec = list


_TARGET_COLUMNS = 30


def _gbs_macro(F: Callable, s, y: Vec, H, tol, max_cols: int = 40):
    """One extrapolated macro step of size ``H``; returns ``(y_new, converged, columns)``.

    Converged: two successive extrapolants agree to ``tol`` relative to
    ``1 + max |y|`` (from the third column on).  A step whose column errors
    cannot reach ``tol`` by ``max_cols`` at their current rate of decrease is
    given up early (:func:`_on_track`).
    """
    table: list[list[Vec]] = []
    ns: list[int] = []
    errs: list = [None, None]
    zero = H - H
    f0 = F(s, list(y))
    for j in range(1, max_cols + 1):
        n = 2 * j
        h = H / n
        h2 = 2 * h
        z0 = list(y)
        z1 = [a + h * b for a, b in zip(z0, f0)]
        for m in range(1, n):
            fm = F(s + m * h, z1)
            z0, z1 = z1, [a + h2 * b for a, b in zip(z0, fm)]
        fn = F(s + H, z1)
        row = [[(a + b + h * c) / 2 for a, b, c in zip(z1, z0, fn)]]
        ns.append(n)
        for k in range(1, j):
            inv = (zero + ns[-1 - k] ** 2) / (ns[-1] ** 2 - ns[-1 - k] ** 2)
            prev, up = row[k - 1], table[-1][k - 1]
            row.append([a + (a - b) * inv for a, b in zip(prev, up)])
        table.append(row)
        if j >= 2:
            scale = 1 + max(abs(a) for a in row[-1])
            errs.append(max(abs(a - b) for a, b in zip(row[-1], row[-2])) / scale)
            if j >= 3 and errs[j] <= tol:
                return row[-1], True, j
            if not _on_track(errs, j, tol, max_cols):
                break
    return table[-1][-1], False, j


def _on_track(errs: list, j: int, tol, max_cols: int) -> bool:
    """Whether column errors decreasing at their rate over the last 4 columns reach ``tol``.

    Judged from column 12 on, with 5 columns of slack (the early columns of a
    large step may not decrease yet).
    """
    if j < 12:
        return True
    a, b = errs[j - 4], errs[j]
    if b == 0:
        return True
    if a == 0 or b >= a:
        return False
    return j + 4 * math.log(float(tol / b)) / math.log(float(b / a)) <= max_cols + 5


def _advance(F: Callable, s, y: Vec, target, tol, H) -> tuple:
    """Integrate from ``s`` to ``target``; returns ``(y, H)`` with the macro step to use next.

    Step control: a converged step that needed few columns lets ``H`` grow
    (high columns are the cheapest per unit length at these tolerances), one that
    needed many shrinks it, aiming at :data:`_TARGET_COLUMNS`; a step that did
    not converge is halved.
    """
    while s < target:
        step = min(H, target - s)
        y_new, ok, cols = _gbs_macro(F, s, y, step, tol)
        if not ok:
            H = step / 2
            if H < 1e-8:
                raise ValueError("the flow integrator failed to converge (step below 1e-8)")
            continue
        s, y = s + step, y_new
        if step == H:
            if cols <= _TARGET_COLUMNS - 8:
                H *= 2
            elif cols <= _TARGET_COLUMNS - 3:
                H *= 1.25
            elif cols > _TARGET_COLUMNS + 3:
                H *= 0.75
    return y, H


def gbs_integrate(F: Callable, s0, y0: Sequence, s_points: Sequence, tol, H=None) -> list[Vec]:
    """Integrate ``y' = F(s, y)`` from ``s0`` and return ``y`` at each of ``s_points`` (increasing).

    ``H`` is the first macro step; later ones follow the number of columns the
    steps needed (:func:`_advance`).  Each macro step is accepted only when two
    successive extrapolants agree to ``tol`` (relative to ``1 + max |y|``).

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     ys = gbs_integrate(lambda s, y: [-y[0]], 0, [mpmath.mpf(1)], [1, 2],
    ...                        mpmath.mpf(10)**-28)
    ...     print(mpmath.nstr(ys[1][0] - mpmath.exp(-2), 3))
    0.0
    """
    y = [mpmath.mpf(v) for v in y0]
    s = mpmath.mpf(s0)
    H = mpmath.mpf("0.5") if H is None else mpmath.mpf(H)
    out = []
    for target in s_points:
        target = mpmath.mpf(target)
        y, H = _advance(F, s, y, target, tol, H)
        s = max(s, target)
        out.append(list(y))
    return out


def _mpfr_context():
    """A gmpy2 context at mpmath's current binary precision (or None without gmpy2)."""
    if gmpy2 is None:
        return None
    ctx = gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec)
    return ctx if hasattr(ctx, "__enter__") else None


def _to_mpfr(v):
    """An mpf as an MPFR number, exactly (call inside :func:`_mpfr_context`)."""
    sign, man, exp, _ = mpmath.mpf(v)._mpf_
    if not man and exp:
        raise ValueError("infinite or nan value for the MPFR loop")
    return gmpy2.mul_2exp(gmpy2.mpfr(-man if sign else man), exp)


def _from_mpfr(v):
    """An MPFR number as an mpf, exactly (at mpmath's precision, which is the same)."""
    man, exp = v.as_mantissa_exp()
    return mpmath.mpf((int(man), int(exp)))


def _fast_start(grad: Callable, y0: Sequence):
    """``y0`` as MPFR numbers if ``grad`` maps MPFR lists to MPFR lists, else None."""
    try:
        y = [_to_mpfr(v) for v in y0]
        g = grad(y)
        if all(isinstance(v, type(y[0])) for v in g):
            return y
    except (TypeError, ValueError, AttributeError, ZeroDivisionError):
        pass
    return None


def neville_at_zero(xs: Sequence, ys: Sequence):
    """Value at 0 of the interpolating polynomial through ``(xs, ys)`` (Neville's scheme).

    Examples
    --------
    >>> print(neville_at_zero([1, 2, 3], [3, 5, 7]))        # 2x + 1
    1.0
    """
    p = [mpmath.mpf(v) for v in ys]
    x = [mpmath.mpf(v) for v in xs]
    n = len(p)
    for k in range(1, n):
        for i in range(n - 1, k - 1, -1):
            p[i] = (x[i] * p[i - 1] - x[i - k] * p[i]) / (x[i] - x[i - k])
    return p[-1]


def algebraic_exponent(f: Callable, grad: Callable, x0: Sequence, fstar, dps: int,
                       j_range: tuple[int, int] = (6, 22), points: int = 12) -> dict:
    """Measure ``beta = lim -d log(f - f*)/d log t`` on the mpmath gradient flow from ``x0``.

    Parameters
    ----------
    f, grad : callables on a list of mpf (mpmath arithmetic)
    x0 : start point; fstar : the critical value the flow converges to
    dps : digits wanted; the integration runs at ``dps + 15`` with tolerance ``10^-(dps+11)``
    j_range : the flow is sampled at ``t = 2^j`` for ``j`` in this range (inclusive)
    points : how many of the last samples enter the extrapolation

    Returns
    -------
    dict with ``beta`` (mpf), ``error`` (spread of the last two extrapolants),
    ``digits`` and ``samples`` (``t``, local exponent) as strings.

    Examples
    --------
    >>> r = algebraic_exponent(lambda x: x[0]**4, lambda x: [4*x[0]**3], [1], 0, 20)
    >>> print(mpmath.nstr(r["beta"], 12)), r["digits"] >= 18
    2.0
    (None, True)
    """
    wp = dps + 15
    with mpmath.workdps(wp):
        fs = mpmath.mpf(fstar)

        ts = [mpmath.mpf(2) ** j for j in range(j_range[0], j_range[1] + 1)]
        tol = mpmath.mpf(10) ** -(dps + 11)
        ss = [mpmath.log1p(t) for t in ts]
        ctx = _mpfr_context()
        with ctx or nullcontext():
            y = _fast_start(grad, x0) if ctx else None
            if y is not None:
                def F(s, y):
                    e = gmpy2.exp(s)
                    return [-e * g for g in grad(y)]

                ys, s, H = [], _to_mpfr(0), _to_mpfr(1)
                for target in ss:
                    y, H = _advance(F, s, y, _to_mpfr(target), _to_mpfr(tol), H)
                    s = max(s, _to_mpfr(target))
                    ys.append([_from_mpfr(v) for v in y])
        if y is None:
            def F(s, y):
                e = mpmath.exp(s)
                return [-e * g for g in grad(y)]

            ys = gbs_integrate(F, 0, x0, ss, tol, H=1)
        loc = []
        for t, y in zip(ts, ys):
            g = grad(y)
            loc.append(t * mpmath.fsum(v * v for v in g) / (f(y) - fs))
        xs = [1 / t for t in ts][-points:]
        a = neville_at_zero(xs, loc[-points:])
        b = neville_at_zero(xs[1:], loc[-points + 1:])
        err = abs(a - b)
        digits = int(min(dps, mpmath.floor(-mpmath.log10(err / abs(a))))) if err else dps
        return {"beta": +a, "error": err, "digits": digits,
                "samples": [(mpmath.nstr(t, 8), mpmath.nstr(v, 15)) for t, v in zip(ts, loc)]}


def exponential_rate(f: Callable, grad: Callable, x0: Sequence, fstar, dps: int,
                     t_max: int = 60, step=None) -> dict:
    """Measure ``lim -d log(f - f*)/dt`` (twice the exponential rate) on the mpmath flow.

    The local value ``|grad f|^2/(f - f*)`` is sampled at ``t = 1, 2, ...``;
    its corrections decay geometrically, so Aitken's delta-squared extrapolant
    of the last three samples is formed and the run stops when two successive
    extrapolants agree to ``dps + 2`` digits.  Works at ``3 dps/2 + 20`` digits:
    near the limit ``f - f*`` is formed by cancellation.

    Examples
    --------
    >>> r = exponential_rate(lambda x: x[0]**2/2, lambda x: [x[0]], [1], 0, 20)
    >>> print(mpmath.nstr(r["twice_rate"], 10)), r["digits"] >= 20
    2.0
    (None, True)
    """
    wp = (3 * dps) // 2 + 20
    with mpmath.workdps(wp):
        fs = mpmath.mpf(fstar)
        y = [mpmath.mpf(v) for v in x0]
        vals, ext, t, samples = [], [], 0, []
        tol = mpmath.mpf(10) ** -(wp - 8)
        H = mpmath.mpf(step or "0.25")
        ctx = _mpfr_context()
        fast = ctx is not None
        if fast:
            with ctx:
                fast = _fast_start(grad, y) is not None
        while t < t_max:
            if fast:
                with ctx:
                    yf, Hf = _advance(lambda s, z: [-g for g in grad(z)], _to_mpfr(t),
                                      [_to_mpfr(v) for v in y], t + 1, _to_mpfr(tol),
                                      _to_mpfr(H))
                    y, H = [_from_mpfr(v) for v in yf], _from_mpfr(Hf)
            else:
                y, H = _advance(lambda s, z: [-g for g in grad(z)], mpmath.mpf(t), y, t + 1,
                                tol, H)
            t += 1
            vals.append(mpmath.fsum(v * v for v in grad(y)) / (f(y) - fs))
            samples.append((t, mpmath.nstr(vals[-1], 20)))
            if len(vals) >= 3:
                a, b, c = vals[-3:]
                den = (c - b) - (b - a)
                ext.append(c - (c - b) ** 2 / den if den != 0 else c)
            if len(ext) >= 2 and abs(ext[-1] - ext[-2]) <= mpmath.mpf(10) ** -(dps + 2) * abs(
                    ext[-1]):
                err = abs(ext[-1] - ext[-2])
                digits = dps if err == 0 else int(min(dps, -mpmath.log10(err / abs(ext[-1]))))
                return {"twice_rate": +ext[-1], "error": err, "digits": digits, "t": t,
                        "samples": samples}
        raise ValueError(f"the exponential rate did not settle to {dps} digits by t = {t_max}")
