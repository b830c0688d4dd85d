"""All real solutions of the small square polynomial systems of the ReLU minimizer (sympy only).

Private helpers of :mod:`symadam.existence.relu_exact`.  A system is split
into *branches* by factoring every equation over the rationals (a product
vanishes iff one factor does; factors that cannot vanish at a feasible point
are dropped by the caller's predicate).  Each branch is solved exactly:

1. a Groebner basis in grevlex order; ``[1]`` means no complex solution;
2. if the branch is positive-dimensional, it is *saturated* by the caller's
   polynomial ``s`` (``I : s^infinity``, by the Rabinowitsch variable
   ``1 - z s``): the components on which ``s`` vanishes (dead neurons,
   coincident kinks) are removed; what is still positive-dimensional is
   reported (:class:`CannotDecide`), never guessed;
3. FGLM to lex order: a triangular basis whose last element is univariate;
   each irreducible factor ``Q`` of it gives a component in *shape position*
   (every other unknown a polynomial in the last one modulo ``Q``), after a
   generic linear change of the last unknown if needed;
4. every real root of ``Q`` (exact isolation) is a point with coordinates in
   the field ``Q(theta)`` (:class:`~symadam.existence._numberfield.RealField`),
   where zero tests are exact and signs are decided by interval refinement.

Cost: the Bezout number of a branch (product of degrees) bounds its
solutions; callers refuse systems whose total Bezout number is too large
before any Groebner basis is computed (:func:`branches` and :func:`bezout`).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Sequence

import sympy

from ._numberfield import THETA, RealField, real_fields

__all__ = ["CannotDecide", "Branch", "branches", "bezout", "solve_branch"]


class CannotDecide(NotImplementedError):
    """The exact route cannot decide this problem (too large, or a degenerate system)."""


@dataclass(frozen=True)
class Branch:
    """One branch of a system: irreducible factors left after linear substitutions.

    Attributes
    ----------
    polys : tuple of PolyElement
        The remaining equations (irreducible, in :attr:`gens`).
    gens : tuple of Symbol
        The remaining unknowns, in lex order.
    subs : tuple
        ``((v, A, B), ...)`` in the order made: ``v = -B/A`` with ``A``, ``B``
        polynomials in the unknowns left at that time, ``A`` nonzero at every
        feasible point.
    """

    polys: tuple
    gens: tuple
    subs: tuple = ()

    def bezout(self) -> int:
        """The Bezout bound: the product of the total degrees (1 if nothing is left).

        Examples
        --------
        >>> R, x, y = sympy.ring("x y", sympy.QQ)
        >>> Branch((x**2 - y, x*y - 1), R.symbols).bezout()
        4
        """
        return bezout(self.polys)


def _tdeg(p) -> int:
    return max((sum(m) for m in p.monoms()), default=0)


def bezout(polys: Sequence) -> int:
    """The product of the total degrees of ring elements ``polys``.

    Examples
    --------
    >>> R, x, y = sympy.ring("x y", sympy.QQ)
    >>> bezout((x**2 - y, x*y - 1))
    4
    """
    out = 1
    for f in polys:
        out *= max(1, _tdeg(f))
    return out


def _factors(e, drop):
    """Irreducible factors of ``e`` that may vanish (None: ``e`` is identically 0)."""
    if not e:
        return None
    fl = [f for f, _m in e.factor_list()[1] if not f.is_ground]
    return [f for f in fl if not drop(f)]


def _linear_pick(polys, gens, drop, split=()):
    """``(i, v, A, B, safe)``: ``polys[i] = A v + B``.  ``safe``: ``A`` is a nonzero
    number or a product of factors that cannot vanish at a feasible point
    (``drop``); otherwise (only for ``v`` in ``split``) the caller splits on ``A = 0``."""
    R = polys[0].ring
    best = None
    for tier in (0, 1, 2):
        for v in gens:
            if tier == 2 and v not in split:
                continue
            rv = R.gens[R.symbols.index(v)]
            for i, p in enumerate(polys):
                if p.degree(rv) != 1:
                    continue
                A, B = p.coeff_wrt(rv, 1), p.coeff_wrt(rv, 0)
                if tier == 0 and A.is_ground:
                    return i, v, A, B, True
                if tier == 1 and all(drop(f) for f, _m in A.factor_list()[1] if not f.is_ground):
                    return i, v, A, B, True
                if tier == 2 and (best is None or _tdeg(A) < _tdeg(best[2])):
                    best = (i, v, A, B, False)
    return best


def substitute(q, v, A, B):
    """The numerator ``A^d q(v = -B/A)`` (``d`` the degree of ``q`` in ``v``).

    Examples
    --------
    >>> R, x, y = sympy.ring("x y", sympy.QQ)
    >>> substitute(x**2 + y, R.symbols[0], 2 + 0*x, -y)        # x = y/2
    y**2 + 4*y
    """
    R = q.ring
    rv = R.gens[R.symbols.index(v)]
    d = q.degree(rv)
    if d <= 0:
        return q
    def pw(x, n):                       # ring ``0**0`` is an error; here it is 1
        return R.one if n == 0 else x ** n

    return sum((q.coeff_wrt(rv, i) * pw(-B, i) * pw(A, d - i) for i in range(d + 1)), R.zero)


def branches(equations: Sequence, gens: Sequence,
             drop: Callable = lambda f: False, limit: int = 20000,
             split: Sequence = ()) -> list[Branch]:
    """Split a system into branches: factor, pick one factor per equation, substitute.

    ``equations`` are elements of one sympy ``PolyRing`` whose symbols include
    ``gens``.  Every equation is factored over the rationals and factors that
    cannot vanish at a feasible point (``drop``) are removed; one factor per
    equation is chosen (all combinations); an unknown that a chosen factor
    gives linearly (coefficient a number, or nonvanishing) is substituted
    into the others, which are factored again.  An unknown in ``split`` that
    enters some factor linearly, ``A v + B``, with a coefficient that may
    vanish is eliminated too, in two cases: ``A != 0`` (substitute; points
    with ``A = 0`` are discarded later) and ``A = B = 0``.  Returns ``[]`` when some
    equation cannot vanish at a feasible point.  More than ``limit``
    branches raise :class:`CannotDecide`.

    Examples
    --------
    >>> R, x, y = sympy.ring("x y", sympy.QQ)
    >>> [(b.polys, b.subs) for b in branches([x * (x - y), y**2 - 2], R.symbols,
    ...                                      drop=lambda f: f == x)]
    [((y**2 - 2,), ((x, 1, -y),))]
    """
    out: list = []
    _split(list(equations), list(gens), [], drop, out, limit, tuple(split))
    return out


def _split(eqs, gens, subs, drop, out, limit, split):
    lists = []
    for e in eqs:
        fl = _factors(e, drop)
        if fl is None:
            continue
        if not fl:
            return
        lists.append(fl)
    for combo in itertools.product(*lists):
        combo = list(dict.fromkeys(combo))
        pick = _linear_pick(combo, gens, drop, split) if combo else None
        if pick is None:
            out.append(Branch(tuple(combo), tuple(gens), tuple(subs)))
            if len(out) > limit:
                raise CannotDecide(f"more than {limit} factor branches")
            continue
        i, v, A, B, safe = pick
        rest = [substitute(q, v, A, B) for j, q in enumerate(combo) if j != i]
        _split(rest, [g for g in gens if g != v], subs + [(v, A, B)], drop, out, limit, split)
        if not safe:                                   # the case A = B = 0
            others = [q for j, q in enumerate(combo) if j != i]
            _split(others + [A, B], gens, subs, drop, out, limit, split)


def _lex_basis(branch, gens, saturate_by):
    G = sympy.groebner(list(branch), *gens, order="grevlex")
    if list(G.exprs) == [1]:
        return None
    if G.is_zero_dimensional:
        return list(G.fglm("lex").exprs)
    saturate_by = saturate_by()
    if saturate_by == 0:
        return None
    if saturate_by is None:
        raise CannotDecide("positive-dimensional stationarity system")
    z = sympy.Dummy("z")
    S = sympy.groebner(list(G.exprs) + [1 - z * saturate_by], z, *gens, order="grevlex")
    if list(S.exprs) == [1]:
        return None
    if not S.is_zero_dimensional:
        raise CannotDecide("positive-dimensional family of stationary points with living "
                           "neurons (the risk may vary along it)")
    return [g for g in S.fglm("lex").exprs if z not in g.free_symbols]


def _shape(basis, gens):
    """``{gen: polynomial in THETA}`` if ``basis`` (lex, irreducible last eliminant)
    is ``[g_0 - q_0(last), ..., Q(last)]``; else None."""
    last = gens[-1]
    sol = {last: sympy.Poly(THETA, THETA, domain="QQ")}
    for v in gens[:-1]:
        cand = [g for g in basis if v in g.free_symbols]
        lin = None
        for g in cand:
            P = sympy.Poly(g, *gens)
            if P.degree(v) == 1 and (g.free_symbols - {v}) <= {last}:
                A, B = sympy.Poly(g, v).all_coeffs()
                if A.is_number:
                    lin = sympy.Poly(sympy.expand(-B / A).subs(last, THETA), THETA, domain="QQ")
                    break
        if lin is None:
            return None
        sol[v] = lin
    return sol


def _components(basis, gens):
    """``(Q, {gen: poly in THETA})`` for every irreducible factor ``Q`` of the eliminant."""
    last = gens[-1]
    uni = [g for g in basis if g.free_symbols <= {last}]
    if not uni:
        raise CannotDecide("lex basis without univariate element")   # pragma: no cover
    out = []
    for q, _m in sympy.factor_list(uni[-1], last)[1]:
        Q = sympy.Poly(q, last)
        if Q.degree() < 1 or Q.count_roots() == 0:          # no real root: nothing to keep
            continue
        comp = list(sympy.groebner(list(basis) + [q], *gens, order="lex").exprs)
        sol = _shape(comp, gens)
        if sol is None:
            sol = _generic_shape(comp, gens)
            if sol is None:
                raise CannotDecide("a component of the stationarity system is not in shape "
                                   "position")
            for Qs, s in sol:
                out.append((Qs, s))
            continue
        out.append((sympy.Poly(q.subs(last, THETA), THETA, domain="QQ"), sol))
    return out


def _generic_shape(comp, gens):
    """Shape position after ``s = last + sum c_i gen_i`` (small integers ``c``), on the radical."""
    s = sympy.Dummy("s")
    rad = list(comp)
    for v in gens:                                      # Seidenberg: add square-free parts
        Gv = sympy.groebner(comp, *[g for g in gens if g != v], v, order="lex")
        uni = [g for g in Gv.exprs if g.free_symbols <= {v}]
        rad.append(sympy.sqf_part(uni[-1]) if uni else 0)
    for c in itertools.product((1, 2, -1, 3), repeat=len(gens) - 1):
        lin = s - gens[-1] - sum(ci * g for ci, g in zip(c, gens[:-1]))
        G = list(sympy.groebner(rad + [lin], *gens, s, order="lex").exprs)
        uni = [g for g in G if g.free_symbols <= {s}]
        if not uni:
            continue
        out = []
        for q, _m in sympy.factor_list(uni[-1], s)[1]:
            Q = sympy.Poly(q, s)
            if Q.degree() < 1 or Q.count_roots() == 0:
                continue
            comp_s = list(sympy.groebner(G + [q], *gens, s, order="lex").exprs)
            sol = _shape(comp_s, (*gens, s))
            if sol is None:
                break
            sol.pop(s)
            out.append((sympy.Poly(q.subs(s, THETA), THETA, domain="QQ"), sol))
        else:
            return out
    return None


def solve_branch(branch: Branch, saturate_by=None) -> list[tuple[RealField, dict]]:
    """All real solutions of one branch: ``(field, {unknown: element})`` pairs.

    ``saturate_by`` (a ring element in the original unknowns, or a function
    returning one) is used only if the branch is positive-dimensional:
    components on which it vanishes are removed.

    Examples
    --------
    >>> R, x, y = sympy.ring("x y", sympy.QQ)
    >>> sols = solve_branch(Branch((x**2 + y**2 - 1, x - y), R.symbols))
    >>> sorted(F.canonical(p[R.symbols[0]]) for F, p in sols)
    [-sqrt(2)/2, sqrt(2)/2]
    """
    gens = tuple(branch.gens)

    def saturator():                   # only needed (and built) for positive dimension
        if saturate_by is None:
            return None
        sat = saturate_by() if callable(saturate_by) else saturate_by
        for v, A, B in branch.subs:
            sat = substitute(sat, v, A, B)
        return sat.as_expr()

    if not gens:
        sols = [(real_fields(sympy.Poly(THETA, THETA))[0], {})]
    elif not branch.polys:
        raise CannotDecide("positive-dimensional family of stationary points with living "
                           "neurons (the risk may vary along it)")
    else:
        basis = _lex_basis([p.as_expr() for p in branch.polys], gens, saturator)
        if basis is None:
            return []
        sols = []
        for Q, sol in _components(basis, gens):
            for F in real_fields(Q):
                sols.append((F, {v: F.element(p.as_expr()) for v, p in sol.items()}))
    out = []
    for F, point in sols:
        try:
            for v, A, B in reversed(branch.subs):
                point[v] = F.mul(-F.evaluate(B, point), F.inv(F.evaluate(A, point)))
        except ZeroDivisionError:       # a denominator that vanishes only off the feasible set
            continue
        out.append((F, point))
    return out
