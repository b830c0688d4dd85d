"""A numeric minimax of the worst-case spectral radius over the parameters (mpmath; independent).

The check route for the rate engine's optimality and for its pieces in kappa:
nothing here knows the engine's active sets or formulas.  For a method's mpmath
recurrence (:mod:`symadam.rates.iterate_mp`; unregistered maps register theirs with
:func:`~symadam.rates.iterate_mp.register_mp_method`) it computes

* :func:`worst_radius`: ``max over lambda in [mu, L]`` of the spectral radius of the
  step's iteration matrix over the *whole* interval -- a grid, then golden-section
  refinement around the largest grid values (closed-form radii for 1x1 and 2x2
  matrices, ``mpmath.eig`` otherwise);
* :func:`minimax`: ``min over the parameters`` of that worst case, by Nelder-Mead
  from several starts inside a box of the parameter domain (points outside the
  domain are clamped onto it, so optima on the domain's boundary are reached).

A minimum found is an upper bound on the true minimax (each value is attained);
the engine's rate must never be beaten by more than the stated tolerance.
"""
from __future__ import annotations

import contextlib
from typing import Any, Sequence

import mpmath

try:                      # mpmath's GMP backend (a dependency of symadam)
    import gmpy2 as _gmpy2
except ImportError:       # pragma: no cover
    _gmpy2 = None

from ..core.validate import check_dps, check_int
from .iterate_mp import get_mp_method
from .spectral_mp import iteration_matrix, spectral_radius

__all__ = ["radius", "worst_radius", "minimax"]


def radius(M: mpmath.matrix, dps: int = 30) -> mpmath.mpf:
    """Spectral radius of a small matrix (closed forms for sizes 1 and 2).

    Examples
    --------
    >>> mpmath.nstr(radius(mpmath.matrix([[1, -0.25], [1, 0]]), 20), 10)
    '0.5'
    """
    with mpmath.workdps(dps):
        if M.rows == 1:
            return abs(M[0, 0])
        if M.rows == 2:
            tr, det = M[0, 0] + M[1, 1], M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
            disc = tr * tr / 4 - det
            if disc <= 0:
                return mpmath.sqrt(abs(det))
            s = mpmath.sqrt(disc)
            return max(abs(tr / 2 + s), abs(tr / 2 - s))
        return spectral_radius(M, dps)


def _radius_fn(method: str, params: dict, dps: int) -> tuple:
    """``(r, num, sqrt, enter, back)``: ``r(lam)`` is
    ``radius(iteration_matrix(method, lam, params, dps), dps)`` for ``lam = num(x)``, the
    same numbers, computed in the arithmetic that ``num``, ``sqrt`` and the context
    manager ``enter`` give; ``back`` turns its numbers into mpmath's, exactly.

    For the many evaluations of :func:`worst_radius`: the method and its
    parameters are looked up and converted once, and for sizes 1 and 2 the
    matrix entries ``step(e_j) - step(0)`` go straight into the closed forms of
    :func:`radius`.  With mpmath's GMP backend (``gmpy2``) a ``plain`` recurrence
    (:class:`~symadam.rates.iterate_mp.MpMethod`), the closed form and the search of
    :func:`worst_radius` run on ``gmpy2.mpfr`` numbers of mpmath's working precision
    (``mpmath.mp.prec`` bits, round to nearest): the same correctly rounded binary
    operations (``+ - * /``, ``sqrt``) that mpmath performs, at a fraction of the
    cost per operation; inputs and results convert exactly.  Call it inside
    ``mpmath.workdps(dps)``.
    """
    iteration_matrix(method, 1, params, dps)          # validates method and params once
    m = get_mp_method(method)
    size, step = m.size, m.step
    if size > 2 or _gmpy2 is None or not m.plain:     # mpmath numbers throughout
        num, sqrt, enter, back = mpmath.mpf, mpmath.sqrt, contextlib.nullcontext(), _same
    else:
        prec = mpmath.mp.prec
        enter = _gmpy2.context(precision=prec, round=_gmpy2.RoundToNearest)
        num = lambda x: _to_mpfr(mpmath.mpf(x), prec)  # noqa: E731  (inside ``enter``)
        sqrt, back = _gmpy2.sqrt, _to_mpf
    if size > 2:
        return (lambda lam: radius(iteration_matrix(method, lam, params, dps), dps),
                num, sqrt, enter, back)
    with enter:
        p = {k: num(v) for k, v in params.items()}
        zeros = tuple(num(0) for _ in range(size))
        units = [tuple(num(int(i == j)) for i in range(size)) for j in range(size)]

    def r(lam):
        grad = lambda x: lam * x  # noqa: E731
        zero = step(zeros, grad, p)
        c0 = step(units[0], grad, p)
        if size == 1:
            return abs(c0[0] - zero[0])
        c1 = step(units[1], grad, p)
        a, b, c, d = c0[0] - zero[0], c1[0] - zero[0], c0[1] - zero[1], c1[1] - zero[1]
        tr, det = a + d, a * d - b * c
        disc = tr * tr / 4 - det
        if disc <= 0:
            return sqrt(abs(det))
        s = sqrt(disc)
        return max(abs(tr / 2 + s), abs(tr / 2 - s))
    return r, num, sqrt, enter, back


def _same(x: Any) -> Any:
    return x


def _to_mpfr(x: mpmath.mpf, prec: int):
    """``x`` as a ``gmpy2.mpfr`` of ``prec`` bits, exactly (``x`` has at most ``prec`` bits)."""
    sign, man, exp, bc = x._mpf_
    if not man and (exp or bc):                       # inf or nan
        return _gmpy2.mpfr(str(x), prec)
    return _gmpy2.mul_2exp(_gmpy2.mpfr(-man if sign else man, max(prec, bc)), exp)


def _to_mpf(y) -> mpmath.mpf:
    """A ``gmpy2.mpfr`` as an mpmath number, exactly."""
    if not _gmpy2.is_finite(y):
        return mpmath.mpf(str(y))
    man, exp = y.as_mantissa_exp()
    return mpmath.mpf((int(man), int(exp)))


def worst_radius(method: str, params: dict, mu: Any, L: Any, dps: int = 30,
                 points: int = 64, refine: int = 3) -> tuple:
    """``(worst, lambda)``: the largest spectral radius over ``lambda in [mu, L]``.

    Examples
    --------
    >>> w, lam = worst_radius("gd", {"h": "0.5"}, 1, 3, dps=20)
    >>> mpmath.nstr(w, 12), mpmath.nstr(lam, 3)
    ('0.5', '1.0')
    """
    check_dps(dps)
    check_int("points", points, minimum=3)
    with mpmath.workdps(dps):
        r, num, sqrt, enter, back = _radius_fn(method, params, dps)
        with enter:
            worst, at = _search(r, num(mu), num(L), num(5), sqrt, points, refine)
        return back(worst), back(at)


def _search(r, mu, L, five, sqrt, points: int, refine: int) -> tuple:
    """:func:`worst_radius`'s grid and golden-section search, in the arithmetic of ``r``."""
    lams = [mu + (L - mu) * k / (points - 1) for k in range(points)]
    vals = [r(x) for x in lams]
    best = max(range(points), key=lambda k: vals[k])
    worst, at = vals[best], lams[best]
    for k in sorted(range(points), key=lambda j: -vals[j])[:refine]:
        a, b = lams[max(k - 1, 0)], lams[min(k + 1, points - 1)]
        g = (sqrt(five) - 1) / 2
        c, d = b - g * (b - a), a + g * (b - a)
        fc, fd = r(c), r(d)
        for _ in range(40):
            if fc > fd:
                b, d, fd = d, c, fc
                c = b - g * (b - a)
                fc = r(c)
            else:
                a, c, fc = c, d, fd
                d = a + g * (b - a)
                fd = r(d)
        for x, f in ((c, fc), (d, fd)):
            if f > worst:
                worst, at = f, x
    return worst, at


def _clamp(x: Sequence, box: Sequence) -> list:
    return [min(max(v, lo), hi) for v, (lo, hi) in zip(x, box)]


def minimax(method: str, box: dict, mu: Any, L: Any, starts: Sequence[dict],
            fixed: dict | None = None, dps: int = 30, iterations: int = 120,
            points: int = 48) -> tuple:
    """Nelder-Mead minimum over ``box`` of :func:`worst_radius`: ``(value, parameters)``.

    Parameters
    ----------
    box : dict
        Tuned parameter -> ``(lo, hi)``, a closed box inside its domain.
    starts : list of dict
        Starting points (clamped into the box).
    fixed : dict
        Parameters that are not tuned.

    Examples
    --------
    >>> v, p = minimax("gd", {"h": ("0.01", "1.9")}, 1, 3, [{"h": "1"}], dps=20)
    >>> mpmath.nstr(v, 6), mpmath.nstr(p["h"], 6)       # h = 2/(mu + L), rho = 1/2
    ('0.5', '0.5')
    """
    check_dps(dps)
    names = list(box)
    fixed = dict(fixed or {})
    with mpmath.workdps(dps):
        bx = [(mpmath.mpf(box[n][0]), mpmath.mpf(box[n][1])) for n in names]

        seen: dict = {}      # clamping maps many trial points onto the same boundary point

        def f(x):
            x = tuple(_clamp(x, bx))
            if x not in seen:
                seen[x] = worst_radius(method, {**fixed, **dict(zip(names, x))}, mu, L, dps,
                                       points=points)[0]
            return seen[x]

        best_v, best_x = None, None
        for st in starts:
            x0 = _clamp([mpmath.mpf(st[n]) for n in names], bx)
            simplex = [x0] + [[x0[j] + (mpmath.mpf("0.05") * (bx[j][1] - bx[j][0]) if j == i
                                        else 0) for j in range(len(names))]
                              for i in range(len(names))]
            vals = [f(x) for x in simplex]
            for _ in range(iterations):
                order = sorted(range(len(simplex)), key=lambda k: vals[k])
                simplex, vals = [simplex[k] for k in order], [vals[k] for k in order]
                cen = [mpmath.fsum(x[j] for x in simplex[:-1]) / (len(simplex) - 1)
                       for j in range(len(names))]
                xr = [2 * c - w for c, w in zip(cen, simplex[-1])]
                fr = f(xr)
                if fr < vals[0]:
                    xe = [3 * c - 2 * w for c, w in zip(cen, simplex[-1])]
                    fe = f(xe)
                    simplex[-1], vals[-1] = (xe, fe) if fe < fr else (xr, fr)
                elif fr < vals[-2]:
                    simplex[-1], vals[-1] = xr, fr
                else:
                    xc = [(c + w) / 2 for c, w in zip(cen, simplex[-1])]
                    fc = f(xc)
                    if fc < vals[-1]:
                        simplex[-1], vals[-1] = xc, fc
                    else:
                        simplex = [simplex[0]] + [[(a + b) / 2 for a, b in zip(simplex[0], x)]
                                                  for x in simplex[1:]]
                        vals = [vals[0]] + [f(x) for x in simplex[1:]]
            k = min(range(len(simplex)), key=lambda i: vals[i])
            if best_v is None or vals[k] < best_v:
                best_v, best_x = vals[k], _clamp(simplex[k], bx)
        return best_v, dict(zip(names, best_x))
