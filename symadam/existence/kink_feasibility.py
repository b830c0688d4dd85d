"""Which factors of the kink equations can vanish at a feasible point (sympy only).

Private helpers of :mod:`symadam.existence.relu_exact` for the systems of
:mod:`symadam.existence.kink_system`: a *feasible* point has
``a < t_1 < ... < t_k < b`` with every kink in its closed cell interval.
:func:`degenerate_factor` drops factors that cannot vanish there (before any
branch is solved); :func:`curve_feasible` decides whether a one-parameter
family of solutions meets the feasible set.
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy
from sympy.polys.rings import PolyElement

__all__ = ["degenerate_factor", "curve_feasible"]

#: ``system`` arguments are :class:`~symadam.existence.kink_system.KinkSystem` instances.
KinkSystem = Any


def _kink_terms(factor, t) -> list | None:
    """``[(exponents in t, Rational coefficient)]`` of ``factor`` (an expression or a
    ``PolyRing`` element), or None if it involves an unknown other than the kinks."""
    if isinstance(factor, PolyElement):
        syms, to_sympy = factor.ring.symbols, factor.ring.domain.to_sympy
        pos = {v: i for i, v in enumerate(syms)}
        if any(n and syms[i] not in t for mono in factor.monoms() for i, n in enumerate(mono)):
            return None
        return [(tuple(mono[pos[tj]] if tj in pos else 0 for tj in t), to_sympy(c))
                for mono, c in factor.terms()]
    if not factor.free_symbols <= set(t):
        return None
    return sympy.Poly(factor, *t, domain="QQ").terms()


def degenerate_factor(factor: Any, system: KinkSystem, fixed: Sequence) -> bool:
    """True if ``factor`` (a polynomial in the kinks) cannot vanish at a feasible point.

    ``factor`` is a sympy expression or an element of the system's ring.

    Feasible: ``a < t_1 < ... < t_k < b`` with every kink in its closed cell
    interval.  Nonlinear factors: :func:`_gap_definite`.  A linear form of
    one sign at the vertices of the (closed) cell
    polytope vanishes on it exactly on the face spanned by its zero vertices;
    that face is infeasible iff it lies in one hyperplane ``t_i = t_{i+1}``,
    ``t_1 = a`` or ``t_k = b``.

    Examples
    --------
    >>> from .piecewise import parse_target, uniform_density
    >>> from .kink_system import kink_system
    >>> f, p = parse_target("x**2"), uniform_density((0, 1))
    >>> s = kink_system((2, (1, 1), True), (0, 0), f, p)
    >>> t1, t2 = s.t
    >>> degenerate_factor(t2, s, [0, 1]), degenerate_factor(t1 - 1, s, [0, 1])
    (True, True)
    >>> degenerate_factor(2*t1 - t2, s, [0, 1])
    False
    """
    t = system.t
    terms = _kink_terms(factor, t) if t else None
    if terms is None:
        return False
    if max(sum(mono) for mono, _c in terms) != 1:
        return _gap_definite(terms, system, fixed)
    a, b = system.points[0], system.points[-1]
    groups: dict = {}
    for j, o in enumerate(system.cell):
        groups.setdefault(o, []).append(j)
    verts = [{}]
    for o, js in groups.items():
        lo, hi = fixed[o], fixed[o + 1]
        verts = [dict(v, **{t[j].name: (lo if n < r else hi) for n, j in enumerate(js)})
                 for v in verts for r in range(len(js) + 1)]
    vals = [sum((c * v[tj.name] for (mono, c) in terms for tj, e in zip(t, mono) if e),
                sum((c for mono, c in terms if not any(mono)), sympy.Integer(0)))
            for v in verts]
    if not (all(x >= 0 for x in vals) or all(x <= 0 for x in vals)):
        return False
    zero = [v for v, x in zip(verts, vals) if x == 0]
    hyper = [lambda v, i=i: v[t[i].name] == v[t[i + 1].name] for i in range(len(t) - 1)]
    hyper += [lambda v: v[t[0].name] == a, lambda v: v[t[-1].name] == b]
    return any(all(H(v) for v in zero) for H in hyper)


def _gap_definite(factor: Any, system: KinkSystem, fixed: Sequence) -> bool:
    """Sufficient test that ``factor`` has no zero at a feasible point of the cell.

    Write every kink as its cell interval's left end plus the gaps before it
    (or, mirrored, the right end minus the gaps after it).  Gaps between
    consecutive kinks, from ``a`` to the first and from the last to ``b``
    are positive at feasible points, the others nonnegative.  If the factor,
    as a polynomial in the gaps, has coefficients of one sign and a monomial
    in positive gaps only, it cannot vanish (e.g. ``t1**2 + (t4 - t3)**2``).
    ``factor``: an expression in the kinks or its terms (:func:`_kink_terms`).

    Examples
    --------
    >>> from .piecewise import parse_target, uniform_density
    >>> from .kink_system import kink_system
    >>> s = kink_system((2, (1, 1), True), (0, 0), parse_target("x**2"),
    ...                 uniform_density((0, 1)))
    >>> t1, t2 = s.t
    >>> _gap_definite(t1**2 + (t2 - t1)**2, s, [0, 1]), _gap_definite(t1**2 - t2, s, [0, 1])
    (True, False)
    """
    t, cell = system.t, system.cell
    a, b = system.points[0], system.points[-1]
    k = len(t)
    terms = factor if isinstance(factor, list) else _kink_terms(factor, t)
    gaps = sympy.symbols(f"_g0:{k}", positive=True)
    ring, *gens = sympy.ring(gaps, sympy.QQ)
    for mirrored in (False, True):
        sub, strict = {}, set()
        order = range(k - 1, -1, -1) if mirrored else range(k)
        prev = None
        for n, j in enumerate(order):
            o = cell[j]
            same = prev is not None and cell[prev] == o
            base = sub[t[prev]] if same else (fixed[o + 1] if mirrored else fixed[o])
            sub[t[j]] = ring(base) - gens[n] if mirrored else ring(base) + gens[n]
            if same or (mirrored and fixed[o + 1] == b) or (not mirrored and fixed[o] == a):
                strict.add(gaps[n])
            prev = j
        vals = [sub[tj] for tj in t]                 # substitute in the polynomial ring
        P = ring.zero
        for mono, coeff in terms:
            term = ring(coeff)
            for v, e in zip(vals, mono):
                if e:
                    term *= v ** e
            P += term
        coeffs = P.coeffs()
        if not (all(c > 0 for c in coeffs) or all(c < 0 for c in coeffs)):
            continue
        if any(all(e == 0 or g in strict for e, g in zip(mono, gaps)) for mono in P.monoms()):
            return True
    return False


def curve_feasible(system: KinkSystem, gen, subs: Sequence, fixed: Sequence) -> bool:
    """Whether a one-parameter family of solutions meets the open feasible set.

    The family is ``gen`` free and every other unknown ``v = -B/A`` as in a
    :class:`~symadam.existence._polysolve.Branch` with no equations left
    (``subs`` in the order made).  Feasible means ``a < t_1 < ... < t_k < b``
    (an open condition: if it holds somewhere it holds between two consecutive
    real roots of the numerators and denominators of the differences, where
    the gap between their refined, strictly separated isolating intervals
    gives a rational sample); every sample is tested exactly.  Returns True
    if some sample satisfies the order (the caller then refuses to guess).

    Examples
    --------
    >>> from .piecewise import parse_target, uniform_density
    >>> from .kink_system import kink_system
    >>> s = kink_system((2, (1, 1), True), (0, 0), parse_target("x**2"),
    ...                 uniform_density((0, 1)))
    >>> R = s.ring
    >>> t2, t1 = s.gens
    >>> curve_feasible(s, t1, [(t2, R(1), -2 * R(t1))], [0, 1])       # t2 = 2 t1
    True
    >>> curve_feasible(s, t1, [(t2, R(1), 2 * R(t1))], [0, 1])        # t2 = -2 t1
    False
    """
    val: dict = {gen: gen}
    for v, A, B in reversed(list(subs)):
        num, den = B.as_expr().subs(val), A.as_expr().subs(val)
        val[v] = sympy.cancel(-num / den)
    pts = [sympy.sympify(system.points[0])] + [sympy.sympify(val.get(tj, tj)) for tj in system.t] \
        + [sympy.sympify(system.points[-1])]
    diffs = [sympy.cancel(hi - lo) for lo, hi in zip(pts[:-1], pts[1:])]
    if any(d.free_symbols - {gen} for d in diffs):
        return True                      # not a curve in ``gen``: do not claim infeasibility
    prod = sympy.Poly(1, gen, domain="QQ")
    for d in diffs:
        for part in sympy.fraction(d):
            prod *= sympy.Poly(part, gen, domain="QQ")
    samples = [sympy.Integer(0)]
    if prod.degree() > 0:                # one rational strictly between consecutive roots
        Q, eps = prod.sqf_part(), sympy.Rational(1, 2 ** 10)
        while True:
            ivs = [(sympy.Rational(lo), sympy.Rational(hi)) for (lo, hi), _m in
                   Q.intervals(eps=eps)]
            if all(h < l_ for (_, h), (l_, _) in zip(ivs[:-1], ivs[1:])):
                break
            eps /= 2 ** 10
        samples = [ivs[0][0] - 1, ivs[-1][1] + 1] + \
            [(h + l_) / 2 for (_, h), (l_, _) in zip(ivs[:-1], ivs[1:])]
    for s_ in samples:
        ok = True
        for d in diffs:
            num, den = (sympy.sympify(q).subs(gen, s_) for q in sympy.fraction(d))
            if den == 0 or num * den <= 0:
                ok = False
                break
        if ok:
            return True
    return False
