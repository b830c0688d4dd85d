"""Exact real solutions of the small polynomial systems of the ReLU minimizer (sympy only).

Private helpers of :mod:`symadam.existence.relu_exact`: Cramer's rule
with polynomial determinants, removal of degenerate components, real
solutions by resultants (two unknowns) or lex Groebner bases, and canonical
forms of algebraic numbers (``CRootOf`` of a minimal polynomial).
"""
from __future__ import annotations

import itertools

import sympy


def _cramer(A, rhs, lin, t):
    """Solve ``A(t) lin = rhs(t)`` by Cramer's rule with polynomial determinants.

    Returns ``{symbol: (numerator, denominator)}`` (polynomials in ``t``)."""
    from sympy.polys.matrices import DomainMatrix

    gens = tuple(t) if t else (sympy.Symbol("_dummy"),)
    dA = DomainMatrix.from_Matrix(A).convert_to(sympy.QQ[gens])
    den = dA.det().as_expr() if hasattr(dA.det(), "as_expr") else dA.det()
    den = sympy.sympify(dA.domain.to_sympy(dA.det()))
    out = {}
    for i, s in enumerate(lin):
        Ai = A.copy()
        Ai[:, i] = rhs
        dAi = DomainMatrix.from_Matrix(Ai).convert_to(sympy.QQ[gens])
        out[s] = (sympy.sympify(dAi.domain.to_sympy(dAi.det())), den)
    return out


def _numerator_linear(g, sub, lin):
    """``den * g(lin(t), t)`` for ``g`` linear in the linear parameters."""
    den = next(iter(sub.values()))[1]
    g0 = g.subs({s: 0 for s in lin})
    tot = sympy.expand(g0 * den)
    for s in lin:
        tot += sympy.expand(sympy.diff(g, s) * sub[s][0])
    return sympy.factor(sympy.expand(tot))


def _clean(e):
    e = sympy.sympify(e)
    if e.has(sympy.CRootOf):
        return _algebraic_canonical(e)
    return sympy.expand(sympy.radsimp(sympy.cancel(e)))


def _algebraic_canonical(e):
    """An expression in one ``CRootOf`` r as ``CRootOf(minimal polynomial, i)``.

    ``e = P(r)/Q(r)`` with ``m(r) = 0``; the resultant ``res_y(m(y), z Q(y) - P(y))``
    vanishes at ``z = e``; the irreducible factor and the root index are
    picked by isolating intervals (60-digit evaluation).  Expressions in
    several distinct roots are returned unchanged.
    """
    roots = list(e.atoms(sympy.CRootOf))
    if len(roots) != 1:
        return e
    r = roots[0]
    y, zz = sympy.symbols("_y _z")
    P, Q = sympy.fraction(sympy.cancel(sympy.together(e.subs(r, y))))
    m = r.poly.as_expr().subs(r.poly.gen, y)
    res = sympy.resultant(m, zz * Q - P, y)
    val = sympy.N(e, 60)
    best = None
    for fac, _mult in sympy.factor_list(res, zz)[1]:
        F = sympy.Poly(fac, zz)
        if F.degree() < 1:
            continue
        if F.degree() == 1:
            cand = [sympy.solve(fac, zz)[0]]
        else:
            cand = F.real_roots()
        for c in cand:
            if abs(sympy.N(c, 60) - val) < sympy.Float(10) ** -45:
                best = c
                break
        if best is not None:
            break
    return best if best is not None else e


def _drop_degenerate(num, t, a, b):
    """Remove factors that vanish only at degenerate configurations
    (``t_j = a``, ``t_j = b``, ``t_i = t_j``): they are excluded by feasibility."""
    bad = set()
    for tj in t:
        bad |= {sympy.expand(tj - a), sympy.expand(b - tj), sympy.expand(a - tj),
                sympy.expand(tj - b)}
    for i, j in itertools.combinations(t, 2):
        bad |= {sympy.expand(i - j), sympy.expand(j - i)}
    coeff, facs = sympy.factor_list(num)
    keep = sympy.Integer(1)
    for f, mult in facs:
        fe = sympy.expand(f)
        if fe in bad or sympy.expand(-fe) in bad:
            continue
        keep *= fe ** mult
    return keep


def _drop_dead_neuron_components(polys, uexprs, t):
    """Divide out common factors of the system that vanish where some optimal
    ``u_j(t) = 0``: those components consist of networks of a smaller family
    (a dead neuron), which is enumerated separately."""
    polys = [p for p in polys if p != 0]
    if len(polys) < 2:
        return polys, []
    g = sympy.gcd_list(polys)
    curves = []
    if not g.free_symbols:
        return polys, curves
    unums = [sympy.expand(sympy.numer(sympy.together(ue))) for ue in uexprs]
    _, facs = sympy.factor_list(g, *t)
    for h, _m in facs:
        dead = any(sympy.rem(un, h, *t) == 0 for un in unums if un != 0) or \
            any(un == 0 for un in unums)
        if not dead:
            curves.append(h)
        while all(sympy.rem(p, h, *t) == 0 for p in polys):
            polys = [sympy.quo(p, h, *t) for p in polys]
    return polys, curves


def _curve_points(h, t, box, strict_pairs):
    """Feasible points of the curve ``h(t1, t2) = 0`` (h of degree 1 in one variable).

    ``box[v] = (lo, hi)`` closed bounds; ``strict_pairs``: ``t1 < t2`` and the
    open domain bounds.  Returns exact sample points (one per feasible
    sub-interval), or raises NotImplementedError for other curves.
    """
    if len(t) != 2:
        raise NotImplementedError("degenerate stationarity system in more than 2 kinks")
    for lin_var, par in ((t[1], t[0]), (t[0], t[1])):
        P = sympy.Poly(h, lin_var)
        if P.degree() == 1:
            A, B = P.all_coeffs()
            phi = -B / A
            break
    else:
        raise NotImplementedError("degenerate stationarity curve not linear in any kink")
    lo, hi = box[par]
    conds = [A] + [sympy.expand(B + q * A) for q in box[lin_var]] + \
        [sympy.expand(B + par * A)] + [sympy.expand(B + q * A) for q in strict_pairs]
    crit = {lo, hi}
    for q in conds:
        Q = sympy.Poly(q, par)
        if Q.degree() > 0:
            crit |= {r for r in Q.real_roots() if lo <= r <= hi}
    crit = sorted(crit, key=lambda z: float(z))
    samples = list(crit) + [(u + v) / 2 for u, v in zip(crit[:-1], crit[1:])]
    pts = []
    for z in samples:
        if A.subs(par, z) == 0:
            continue
        w = sympy.radsimp(phi.subs(par, z))
        pt = {par: z, lin_var: w}
        t1, t2 = pt[t[0]], pt[t[1]]
        a, b = strict_pairs
        if not (a < t1 < t2 < b):
            continue
        if not all(box[v][0] <= pt[v] <= box[v][1] for v in t):
            continue
        pts.append(pt)
    return pts


def _real_solutions(polys, t, keep=None) -> list[dict]:
    """All real solutions of a zero-dimensional polynomial system (exact)."""
    polys = [p for p in polys if p != 0]
    if len(t) == 1:
        if not polys:
            raise NotImplementedError("degenerate (positive-dimensional) stationarity system")
        g = sympy.gcd_list(polys) if len(polys) > 1 else polys[0]
        P = sympy.Poly(g, t[0])
        if P.degree() <= 0:
            return []
        return [{t[0]: r} for r in sorted(set(P.real_roots()), key=lambda z: float(z))]
    if len(t) == 2 and len(polys) == 2:
        return _solve_by_resultants(polys, t, keep)
    G = sympy.groebner(polys, *t, order="lex")
    if list(G.exprs) == [1]:
        return []
    if not G.is_zero_dimensional:
        raise NotImplementedError("degenerate (positive-dimensional) stationarity system")
    return _back_substitute(list(G.exprs), list(t), {})


def _univariate_real_roots(poly, var):
    out = []
    for q, _m in sympy.factor_list(poly, var)[1]:
        Q = sympy.Poly(q, var)
        if Q.degree() > 0:
            out.extend(_as_radical(r) for r in Q.real_roots())
    return out


def _solve_by_resultants(polys, t, keep=None):
    """Real solutions of two polynomial equations in two unknowns.

    Each coordinate ranges over the real roots of a resultant (exact root
    isolation); pairs are kept when every equation vanishes at them to 50
    digits (evaluated with 70).  Roots of degree <= 2 are given as radicals,
    higher ones as ``CRootOf``.
    """
    p1, p2 = polys
    r_last = sympy.resultant(p1, p2, t[0])
    r_first = sympy.resultant(p1, p2, t[1])
    if sympy.expand(r_last) == 0 or sympy.expand(r_first) == 0:
        raise NotImplementedError("degenerate (positive-dimensional) stationarity system")
    xs = _univariate_real_roots(r_first, t[0])
    ys = _univariate_real_roots(r_last, t[1])
    sols = []
    for x0 in xs:
        for y0 in ys:
            pt = {t[0]: x0, t[1]: y0}
            if keep is not None and not keep([float(x0), float(y0)]):
                continue
            if all(_zero_check(sympy.sympify(p).subs(pt)) == 0 for p in polys):
                sols.append(pt)
    return sols


def _back_substitute(G, t, partial):
    """Solve a zero-dimensional lex Groebner basis triangularly (last variable first).

    The last variable's values are the real roots of the basis' univariate
    polynomial; each earlier variable is read off a basis element of degree 1
    in it (shape position, the generic case).  Other bases raise
    NotImplementedError rather than guess.
    """
    G = [sympy.expand(g) for g in G]
    last = t[-1]
    only = [g for g in G if g.free_symbols <= {last}]
    if not only:
        raise NotImplementedError("lex Groebner basis has no univariate element")
    P = sympy.Poly(sympy.gcd_list(only) if len(only) > 1 else only[0], last)
    roots = [] if P.degree() <= 0 else sorted(set(P.real_roots()), key=lambda z: float(z))
    sols = []
    for r in roots:
        pt = {last: _as_radical(r)}
        for var in reversed(t[:-1]):
            known = set(pt)
            lin = None
            for g in G:
                if g.free_symbols <= known | {var} and var in g.free_symbols:
                    Pg = sympy.Poly(g, var)
                    if Pg.degree() == 1:
                        A, B = Pg.all_coeffs()
                        Av = _zero_check(A.subs(pt))
                        if Av != 0:
                            lin = _clean(-B.subs(pt) / Av)
                            break
            if lin is None:
                raise NotImplementedError("lex Groebner basis not in shape position")
            pt[var] = lin
        if all(_zero_check(g.subs(pt)) == 0 for g in G):
            sols.append(pt)
    return sols


def _zero_check(e):
    """0 if ``e`` vanishes (exactly, or to 50 digits at 70-digit working precision)."""
    if e.is_number:
        return sympy.Integer(0) if abs(sympy.N(e, 70)) < sympy.Float(10) ** -50 else e
    return sympy.expand(e)


def _as_radical(r):
    """A CRootOf of degree <= 2 as radicals (nicer exact output); else unchanged."""
    if isinstance(r, sympy.CRootOf) and sympy.degree(r.poly) <= 2:
        sols = sympy.roots(r.poly)
        val = float(r)
        return min(sols, key=lambda z: abs(float(z) - val))
    return r
