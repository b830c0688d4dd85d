"""Exact global minimizers of the 1-D ReLU population risk (widths 1-3, residual 1-4; sympy).

Why a finite enumeration is exhaustive.  On ``[a, b]`` a width-``m`` network
is ``c + slope*x + sum_{j<=k} u_j relu(x - t_j)`` with ``k < m`` kinks inside
``(a, b)`` (one neuron with its kink outside supplies the free ``slope``), or,
when all ``k = m`` kinks are inside, ``c + sum_j u_j relu(s_j (x - t_j))`` with
sides ``s_j`` in ``{+1, -1}`` (no free slope).  With an affine skip connection
(residual network, arXiv 2302.14690) the slope is free for every ``k <= m``.
For a *continuous* target and a continuous input law the infimum of the risk
is attained (arXiv 2303.03950, 2302.14690), at a network of one of these
*families* with distinct interior kinks and ``u_j != 0`` (a dead neuron or
two merged kinks is a network of a smaller family, also enumerated).  The
risk is C^1 there, so the minimizer is a stationary point.

Symmetries used: the kinks are sorted (neuron permutations); a free slope
absorbs the neurons' orientations (one family per ``k``), otherwise the
``2^m`` orientations are the families, halved when target and density are
symmetric under ``x -> a + b - x`` (the mirror family); the affine part and
all linear parameters are eliminated exactly: on each interval between
kinks the network is the local ``L^2`` projection of the target, shifted by
a label (:mod:`symadam.existence.kink_system`).  What remains per family and
*cell* (the kinks' places among the target's and density's breakpoints) are
the kink equations: ``k`` (+1) polynomial equations, each in neighbouring
kinks only.  They are split by factoring, solved by Groebner bases (FGLM to
lex order), and every real solution is kept exactly in a real number field
(:mod:`symadam.existence._polysolve`).  The global minimum is the least risk
over all feasible stationary points; the winner is re-verified exactly
against the direct risk polynomial (all partial derivatives zero, same risk).

Cost is bounded before any Groebner basis is computed: at most
:data:`MAX_SYSTEMS` (family, cell) systems, a total Bezout number of at
most :data:`MAX_BEZOUT` and at most :data:`MAX_BRANCH_BEZOUT` per factor
branch (by its number of unknowns); larger problems raise :class:`CannotDecide`
within seconds (never a hang).
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from math import comb
from typing import Any, Sequence

import sympy

from ..core.derivation import Derivation
from ._numberfield import RealField
from ._polysolve import CannotDecide, branches, solve_branch
from .kink_feasibility import curve_feasible, degenerate_factor
from .kink_system import (
    DELTA,
    KinkSystem,
    fixed_points,
    kink_system,
)
from .kinks import KinkNetwork
from .piecewise import PiecewisePolynomial, X, parse_target, uniform_density
from .relu_solution import Candidate, ExactSolution, RealizedCandidate

__all__ = ["Candidate", "ExactSolution", "CannotDecide", "exact_minimizer", "solve_exact",
           "families", "realize_exactly", "MAX_WIDTH", "MAX_WIDTH_PLAIN", "MAX_SYSTEMS",
           "MAX_BEZOUT", "MAX_BRANCH_BEZOUT"]

#: Largest width of the exact route with a skip connection (any width when the target is
#: realized exactly).
MAX_WIDTH = 4
#: Largest width of a plain network: at width 4 the 2^4 orientations x cells make the branch
#: splitting run for more than 25 minutes on x^2 (not decided in reasonable time).
MAX_WIDTH_PLAIN = 3
#: Largest number of (family, cell) systems.
MAX_SYSTEMS = 400
#: Largest total Bezout number over all factor branches of all systems.
MAX_BEZOUT = 3000
#: Largest Bezout number of one factor branch, by its number of unknowns (the last entry
#: for more).  Measured (sympy Groebner bases, one core): two unknowns up to 63 (e.g.
#: ``Max(0, x - 1/4)**2`` at width 2) and three up to 48 (``x**2``, width 3) take seconds;
#: plain width 3 on ``x**3`` (a branch of 270 in three unknowns: no Groebner basis in 25
#: minutes) and on a C^1 piecewise quadratic (192: a positive-dimensional basis in 40 s, its
#: saturation unfinished after 3 minutes), and 81 in four unknowns (``x**4``, width 4,
#: residual: unfinished after 2 minutes) did not finish.  Larger branches are refused
#: before anything is solved.
MAX_BRANCH_BEZOUT = (100, 100, 100, 64, 32)


def families(width: int, skip: bool = False, mirror: bool = False) -> list[tuple]:
    """The families ``(k, sides, free_slope)`` of a width-``width`` network.

    With ``mirror=True`` (target and density symmetric about the midpoint)
    only one of each mirror pair of orientations is kept.

    Examples
    --------
    >>> families(1)
    [(0, (), True), (1, (1,), False), (1, (-1,), False)]
    >>> len(families(3)), len(families(3, skip=True)), len(families(3, mirror=True))
    (11, 4, 7)
    """
    out = []
    for k in range(width + 1):
        if k < width or skip:
            out.append((k, (1,) * k, True))
        else:
            for sides in itertools.product((1, -1), repeat=k):
                if mirror and tuple(-s for s in reversed(sides)) < sides:
                    continue
                out.append((k, sides, False))
    return out


def exact_minimizer(target: Any, width: int, domain: Sequence = (0, 1),
                    density: PiecewisePolynomial | None = None,
                    skip: bool = False) -> ExactSolution:
    """Global minimizer of the population risk of a width-``width`` 1-D ReLU network.

    Parameters
    ----------
    target : str, sympy expression or PiecewisePolynomial
        A *continuous* piecewise polynomial on ``domain``.
    width : int
        1 to :data:`MAX_WIDTH_PLAIN` (plain) or :data:`MAX_WIDTH` (``skip``); any larger
        width when the target is a
        continuous piecewise linear function that width realizes exactly.
    domain : pair of rationals
        Input interval ``[a, b]`` (ignored if ``target`` is a PiecewisePolynomial).
    density : PiecewisePolynomial, optional
        Input density (default uniform on the domain); positive on every interval.
    skip : bool
        Add a trainable affine skip connection (residual network).

    Returns
    -------
    ExactSolution

    Raises
    ------
    ValueError
        Bad input: a width above ``MAX_WIDTH_PLAIN`` (``MAX_WIDTH`` with ``skip``)
        not realizing the target, a discontinuous target, a density that is not a positive density.
    CannotDecide
        The problem exceeds the cost limits (refused before solving), or a
        stationarity system is degenerate (positive-dimensional).

    Examples
    --------
    >>> sol = exact_minimizer("x**2", 1)
    >>> sol.risk
    4/3645
    >>> sol.network
    KinkNetwork(c=1/27, slope=0, u=(4/3,), s=(1,), t=(1/3,))
    >>> exact_minimizer("x**2", 3, skip=True).network.t
    (1/4, 1/2, 3/4)
    >>> exact_minimizer("Abs(x - 1/2)", 2).risk
    0
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an integer in 1..{MAX_WIDTH} for the exact route, "
                         f"got {width!r}")
    f = target if isinstance(target, PiecewisePolynomial) else \
        parse_target(target, domain, continuous=True)
    if not f.is_continuous():
        raise ValueError("target must be continuous on the domain")
    limit = MAX_WIDTH if skip else MAX_WIDTH_PLAIN
    if width > limit and realize_exactly(f, width, bool(skip)) is None:
        raise ValueError(f"width must be an integer in 1..{MAX_WIDTH_PLAIN} (plain) or "
                         f"1..{MAX_WIDTH} (skip=True) for the exact route, got {width!r} "
                         "(larger widths only when the target is realized exactly)")
    density = density or uniform_density(f.domain)
    _check_density(density, f.domain)
    return _solve_cached(f, width, density, bool(skip))


def _check_density(p: PiecewisePolynomial, domain):
    if p.domain != domain:
        raise ValueError("density must live on the target's domain")
    if p.integral() != 1:
        raise ValueError(f"density must integrate to 1, got {p.integral()}")
    for q, left, right in zip(p.pieces, p.breaks[:-1], p.breaks[1:]):
        P = sympy.Poly(q, X)
        if P.is_zero:
            raise ValueError("density must not vanish on an interval")
        pts = [left, right] + [z for z in P.diff(X).real_roots() if left < z < right]
        if any(P.eval(z) < 0 for z in pts):
            raise ValueError("density must be nonnegative")


def realize_exactly(f: PiecewisePolynomial, width: int, skip: bool = False):
    """The network realizing a continuous piecewise *linear* target exactly, or None.

    ``r`` interior kinks with slope changes ``D_j`` are realizable by width
    ``m`` iff ``r < m`` (or ``r <= m`` with a skip connection), or ``r = m``
    and the left slope equals ``-sum_{j in S} D_j`` for some set ``S`` of
    left-facing neurons.

    Examples
    --------
    >>> realize_exactly(parse_target("Abs(x - 1/2)"), 1) is None
    True
    >>> realize_exactly(parse_target("Abs(x - 1/2)"), 2)
    KinkNetwork(c=1/2, slope=-1, u=(2,), s=(1,), t=(1/2,))
    """
    if any(sympy.Poly(q, X).degree() > 1 for q in f.pieces) or not f.is_continuous():
        return None
    slopes = [sympy.Poly(q, X).coeff_monomial(X) for q in f.pieces]
    kinks = list(f.interior_breaks)
    D = [slopes[j + 1] - slopes[j] for j in range(len(kinks))]
    a = f.domain[0]
    r = len(kinks)
    if r < width or (skip and r <= width):
        return KinkNetwork(f(a) - slopes[0] * a, slopes[0], tuple(D), (1,) * r, tuple(kinks))
    if r > width:
        return None
    for S in itertools.product((False, True), repeat=r):
        if slopes[0] == -sum((d for d, inS in zip(D, S) if inS), sympy.Integer(0)):
            sides = tuple(-1 if inS else 1 for inS in S)
            c = f(a) - sum((d * (tj - a) for d, tj, inS in zip(D, kinks, S) if inS),
                           sympy.Integer(0))
            return KinkNetwork(c, sympy.Integer(0), tuple(D), sides, tuple(kinks))
    return None


def _mirror_symmetric(f: PiecewisePolynomial, p: PiecewisePolynomial) -> bool:
    a, b = f.domain
    return all(sympy.expand(g.as_piecewise().subs(X, a + b - X) - g.as_piecewise()) == 0
               and tuple(a + b - q for q in reversed(g.breaks)) == g.breaks for g in (f, p))


def plan(f: PiecewisePolynomial, width: int, density: PiecewisePolynomial,
         skip: bool = False) -> list[tuple]:
    """The work of the exact route: ``(system, branches, bezout)`` per (family, cell).

    Refuses (:class:`CannotDecide`) before building anything when the number
    of systems exceeds :data:`MAX_SYSTEMS`, and before solving anything when
    the total Bezout number exceeds :data:`MAX_BEZOUT` or one branch's exceeds
    :data:`MAX_BRANCH_BEZOUT`.

    Examples
    --------
    >>> f, p = parse_target("x**2"), uniform_density((0, 1))
    >>> [bz for _, _, bz in plan(f, 3, p, skip=True)]
    [1, 1, 1, 1]
    """
    fixed = fixed_points(f, density)
    fams = families(width, skip, mirror=_mirror_symmetric(f, density))
    n_int = len(fixed) - 1
    count = sum(comb(n_int + fam[0] - 1, fam[0]) for fam in fams)
    if count > MAX_SYSTEMS:
        raise CannotDecide(f"{count} (family, cell) stationarity systems exceed the limit "
                           f"{MAX_SYSTEMS} of the exact route (fewer breakpoints or a smaller "
                           "width)")
    out, total = [], 0
    for fam in fams:
        for cell in itertools.combinations_with_replacement(range(n_int), fam[0]):
            sys_ = kink_system(fam, cell, f, density)
            brs = branches(sys_.equations, sys_.gens,
                           lambda g, s=sys_: degenerate_factor(g, s, fixed),
                           split=(DELTA,))
            bz = sum(br.bezout() for br in brs)
            total += bz
            out.append((sys_, brs, bz))
    if total > MAX_BEZOUT:
        raise CannotDecide(f"the stationarity systems have total Bezout number {total} > "
                           f"{MAX_BEZOUT} (the exact route's limit); nothing was solved")
    for sys_, brs, _ in out:
        for br in brs:
            n = len(br.gens)
            lim = MAX_BRANCH_BEZOUT[min(n, len(MAX_BRANCH_BEZOUT) - 1)]
            if br.bezout() > lim:
                raise CannotDecide(
                    f"a stationarity branch of family {sys_.family} has Bezout number "
                    f"{br.bezout()} in {n} unknowns > {lim} (too large for exact Groebner "
                    "bases in reasonable time); nothing was solved")
    return out


def _saturator(sys_: KinkSystem):
    """Vanishes where a neuron is dead (``u_j = 0``) or two kinks meet (a ring element)."""
    R = sys_.ring
    out = R.one
    for uj in sys_.linear_parameters()["u"]:
        out *= uj.numer
    P = [R(v) for v in sys_.points]
    for lo, hi in zip(P[:-1], P[1:]):
        out *= hi - lo
    return out


def _feasible(sys_: KinkSystem, F: RealField, point: dict, fixed) -> bool:
    vals = [point[tj] for tj in sys_.t]
    ends = [F.element(sys_.points[0])] + vals + [F.element(sys_.points[-1])]
    if any(F.compare(hi, lo) <= 0 for lo, hi in zip(ends[:-1], ends[1:])):
        return False
    for v, o in zip(vals, sys_.cell):
        if F.compare(v, F.element(fixed[o])) < 0 or F.compare(v, F.element(fixed[o + 1])) > 0:
            return False
    lp = sys_.linear_parameters()
    return not any(F.is_zero(F.evaluate_rational(uj, point)) for uj in lp["u"])


@lru_cache(maxsize=64)
def _solve_cached(f, width, density, skip):
    exact = realize_exactly(f, width, skip)
    if exact is not None:
        fam = (len(exact.t), exact.s, exact.slope != 0 or skip)
        cd = RealizedCandidate(fam, exact)
        return ExactSolution(exact, sympy.Integer(0), [cd], width, skip, f, density, 0)
    fixed = fixed_points(f, density)
    work = plan(f, width, density, skip)
    cands, seen = [], set()
    for sys_, brs, _bz in work:
        sat = lru_cache(maxsize=1)(lambda s=sys_: _saturator(s))
        for br in brs:
            try:
                sols = solve_branch(br, sat)
            except CannotDecide:
                if br.polys or len(br.gens) != 1 or \
                        curve_feasible(sys_, br.gens[0], br.subs, fixed):
                    raise
                continue                       # a curve of solutions outside the feasible set
            for F, point in sols:
                if not _feasible(sys_, F, point, fixed):
                    continue
                cd = Candidate(sys_, F, point, F.evaluate_rational(sys_.risk, point))
                key = (sys_.family, tuple(F.value(point[tj], 30) for tj in sys_.t))
                if key not in seen:
                    seen.add(key)
                    cands.append(cd)
    if not cands:                                          # pragma: no cover
        raise CannotDecide("no feasible stationary point found")
    cands.sort(key=lambda cd: (cd.risk_value, cd.family[0]))
    best = cands[0]
    best.verify(f, density)
    return ExactSolution(best.network, best.risk, cands, width, skip, f, density, len(work),
                         sum(b for _, _, b in work))


def _show(e):
    """Display form: exact unless it involves several distinct ``CRootOf`` (then 30 digits)."""
    if len(sympy.sympify(e).atoms(sympy.CRootOf)) > 1:
        return sympy.N(e, 30)
    return e


def solve_exact(target: str, width: int, domain: Sequence = (0, 1),
                skip: bool = False) -> Derivation:
    """The exact minimizer as a :class:`Derivation` (for claims and proofs).

    Examples
    --------
    >>> solve_exact("x**2", 1).results["minimum"]
    4/3645
    """
    sol = exact_minimizer(target, width, domain, skip=skip)
    f = sol.target
    d = Derivation(f"Exact ReLU minimizer: target ${sympy.latex(f.as_piecewise())}$, "
                   f"width {width}{' (residual)' if skip else ''}, $X \\sim U[{f.domain[0]},"
                   f" {f.domain[1]}]$")
    fams = families(width, skip, mirror=_mirror_symmetric(f, sol.density))
    d.add(f"Families (kinks inside, sides, free slope) enumerated: {fams}; {sol.cells} cells "
          f"(total Bezout number {sol.bezout}); on each, the network between kinks is the "
          "local $L^2$ projection of the target (shifted by the label $\\delta$ without a free "
          "slope), and the continuity (and slope) equations in the kinks are solved exactly.")
    for cd in sol.candidates[:6]:
        d.add(f"Feasible stationary point, family {cd.family}, kinks "
              f"${sympy.latex([_show(v) for v in cd.network.t])}$, risk", _show(cd.risk), "R")
    d.add("The global minimizer (least risk among all feasible stationary points; its "
          "stationarity and risk re-verified exactly on the direct risk polynomial)",
          _show(sol.network.expr()), "N^*(x)")
    d.results["minimum"] = _show(sol.risk)
    d.results["kinks"] = sympy.Tuple(*[_show(v) for v in sol.network.t])
    return d
