"""Exact global minimizers of the 1-D ReLU population risk (width 1-3, sympy only).

Why a finite enumeration is exhaustive.  On ``[a, b]`` a width-``m`` network
is ``c + slope*x + sum_{j<=k} u_j relu(x - t_j)`` with ``k < m`` kinks inside
``(a, b)`` (one neuron with its kink outside supplies the free ``slope``), or,
when all ``k = m`` kinks are inside, ``c + sum_j u_j relu(s_j (x - t_j))`` with
sides ``s_j`` in ``{+1, -1}`` (no free slope).  With an affine skip connection
(residual network, arXiv 2302.14690) the slope is free for every ``k <= m``.
Kinks are sorted, ``a < t_1 < ... < t_k < b``.  For a *continuous* target and
a continuous input law the infimum of the risk is attained (arXiv 2303.03950,
2302.14690), at some network of one of these *families*, with ``u_j != 0``;
there the risk is C^1 in ``(c, slope, u, t)`` (moving a kink changes the
integrand only through a continuous function), so the minimizer is a
stationary point: ``dR/dc = dR/dslope = dR/du_j = 0`` (linear in the linear
parameters) and ``dR/dt_j = u_j g_j = 0`` i.e. ``g_j = 0``.  On each *cell*
(the kinks' places among the target's breakpoints, closed) ``R`` is a
polynomial; we eliminate the linear parameters exactly, clear denominators,
and solve the remaining polynomial system in ``t`` exactly (Groebner basis,
lex order, then real roots).  The global minimum is the least risk over all
feasible stationary points of all families.  If some family fits the target
exactly (risk 0) the search stops there.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

import sympy

from ..core.derivation import Derivation
from ._polysolve import (
    _clean,
    _cramer,
    _curve_points,
    _drop_dead_neuron_components,
    _drop_degenerate,
    _numerator_linear,
    _real_solutions,
    _zero_check,
)
from .kinks import KinkNetwork, cell_risk
from .piecewise import PiecewisePolynomial, X, parse_target, uniform_density

__all__ = ["Candidate", "ExactSolution", "exact_minimizer", "solve_exact", "families",
           "realize_exactly"]


@dataclass(frozen=True)
class Candidate:
    """A feasible stationary point: the network and its exact risk."""

    family: tuple
    cell: tuple
    network: KinkNetwork
    risk: sympy.Expr

    def risk_float(self) -> float:
        """The risk as a float (evaluated at 30 digits, then rounded).

        Examples
        --------
        >>> exact_minimizer("x**2", 1).candidates[0].risk_float() == 4 / 3645
        True
        """
        return float(sympy.N(self.risk, 30))


@dataclass
class ExactSolution:
    """The global minimizer found by :func:`exact_minimizer`.

    Attributes
    ----------
    network : KinkNetwork
        The minimizer in kink form (exact numbers).
    risk : sympy.Expr
        Its exact population risk (the global minimum).
    candidates : list of Candidate
        All feasible stationary points examined (sorted by risk).
    width, skip : int, bool
    target, density : PiecewisePolynomial
    cells : int
        Number of (family, cell) systems solved.
    """

    network: KinkNetwork
    risk: Any
    candidates: list = field(default_factory=list)
    width: int = 1
    skip: bool = False
    target: PiecewisePolynomial | None = None
    density: PiecewisePolynomial | None = None
    cells: int = 0

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display: the exact minimum, the minimizer and its kinks.

        Examples
        --------
        >>> "4}{28125}" in exact_minimizer("x**2", 2)._repr_markdown_()
        True
        """
        from ..core.display import markdown_rows

        return markdown_rows(
            f"Global minimizer of the population risk, ReLU width {self.width}"
            + (" (residual)" if self.skip else ""),
            [("minimum risk", self.risk), ("kinks $t_j$", tuple(self.network.t)),
             ("network", self.network.expr()),
             ("candidates examined", f"text:{len(self.candidates)} in {self.cells} cells")])

    def theta(self) -> list:
        """Exact flat parameters ``(w: m, b: m, v: m, c)`` of a width-``m`` network
        (``m = width``, or ``width + 1`` with the skip's slope put in an extra
        neuron), :mod:`symadam.networks.network` layout.

        Kink neurons get ``w = s_j``, ``b = -s_j t_j``, ``v = u_j``; the free
        slope is a neuron ``relu(x - a)`` (kink at the left end); unused
        neurons are zero.

        Examples
        --------
        >>> exact_minimizer("x**2", 1).theta()
        [1, -1/3, 4/3, 1/27]
        """
        a, _ = self.target.domain
        net = self.network
        w, bb, v = [], [], []
        c = sympy.sympify(net.c)
        for uj, sj, tj in zip(net.u, net.s, net.t):
            w.append(sympy.Integer(sj)), bb.append(-sj * tj), v.append(uj)
        m = self.width + (1 if self.skip else 0)
        if net.slope != 0:
            w.append(sympy.Integer(1)), bb.append(-a), v.append(net.slope)
            c += net.slope * a
        while len(w) < m:
            w.append(sympy.Integer(0)), bb.append(sympy.Integer(0)), v.append(sympy.Integer(0))
        return w + bb + v + [c]


def families(width: int, skip: bool = False) -> list[tuple]:
    """The families ``(k, sides, free_slope)`` of a width-``width`` network.

    Examples
    --------
    >>> families(1)
    [(0, (), True), (1, (1,), False), (1, (-1,), False)]
    >>> len(families(3)), len(families(3, skip=True))
    (11, 4)
    """
    out = []
    for k in range(width + 1):
        if k < width or skip:
            out.append((k, (1,) * k, True))
        else:
            out.extend((k, sides, False) for sides in itertools.product((1, -1), repeat=k))
    return out


def _solve_cell(fam, cell, target, density):
    k, sides, free = fam
    t = sympy.symbols(f"t1:{k + 1}", real=True) if k else ()
    u = sympy.symbols(f"u1:{k + 1}", real=True) if k else ()
    c, sl = sympy.symbols("c slope", real=True)
    net = KinkNetwork(c, sl if free else 0, tuple(u), tuple(sides), tuple(t))
    R = cell_risk(net, cell, target, density)
    lin = [c] + ([sl] if free else []) + list(u)
    eqs = [sympy.expand(sympy.diff(R, s)) for s in lin]
    A, rhs = sympy.linear_eq_to_matrix(eqs, lin)
    # divided t-derivatives g_j = (dR/dt_j) / u_j (exact polynomial division)
    gs = []
    for j in range(k):
        q, r = sympy.div(sympy.expand(sympy.diff(R, t[j])), u[j], *lin, *t)
        if r != 0:
            raise RuntimeError("dR/dt_j is not divisible by u_j")  # pragma: no cover
        gs.append(q)
    sub = _cramer(A, rhs, lin, t)
    fixed = sorted(set(target.breaks) | set(density.breaks))
    a, b = target.domain
    if k == 0:
        tsols = [{}]
    else:
        polys = []
        for g in gs:
            num = _numerator_linear(g, sub, lin)
            polys.append(sympy.expand(_drop_degenerate(num, t, a, b)))
        polys, curves = _drop_dead_neuron_components(polys, [sub[uj][0] for uj in u], t)
        box = {tj: (fixed[o], fixed[o + 1]) for tj, o in zip(t, cell)}
        tol = 1e-9

        def keep(v):
            return all(float(a) - tol < vi < float(b) + tol for vi in v) and \
                all(v[i] < v[i + 1] + tol for i in range(k - 1)) and \
                all(float(fixed[o]) - tol <= vi <= float(fixed[o + 1]) + tol
                    for vi, o in zip(v, cell))
        tsols = _real_solutions(polys, t, keep)
        for h in curves:
            pts = _curve_points(h, t, box, (a, b))
            if pts:
                # a curve of stationary points: the risk must be constant on it
                Rt = sympy.cancel(R.subs({s: sub[s][0] / sub[s][1] for s in lin}))
                vals = {_clean(Rt.subs(pt)) for pt in pts}
                if len(vals) > 1:
                    raise NotImplementedError("risk varies on a curve of stationary points")
                tsols.extend(pts)
    out = []
    for ts in tsols:
        vals = [ts[tj] for tj in t]
        if any(not (a < v < b) for v in vals):
            continue
        if any(not (vals[i] < vals[i + 1]) for i in range(k - 1)):
            continue
        if any(not (fixed[o] <= v <= fixed[o + 1]) for v, o in zip(vals, cell)):
            continue
        bn = rhs.subs(ts)
        D = sub[lin[0]][1].subs(ts)
        raw = {s: sub[s][0].subs(ts) / D for s in lin}
        if any(_zero_check(raw[uj]) == 0 for uj in u):
            continue
        R0 = R.subs({s: 0 for s in lin}).subs(ts)         # ||f||^2 term
        # at a stationary point R = R(0) - (1/2) * rhs . lin  (quadratic in lin)
        risk = _clean(R0 - sum(bi * raw[s] for bi, s in zip(bn, lin)) / 2)
        lv = {s: _clean(v) for s, v in raw.items()}
        nn = KinkNetwork(lv[c], lv[sl] if free else sympy.Integer(0),
                         tuple(lv[uj] for uj in u), tuple(sides), tuple(vals))
        out.append(Candidate(fam, tuple(cell), nn, risk))
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
        1, 2 or 3; any larger width when the target is a continuous piecewise
        linear function that width realizes exactly (minimum 0).
    domain : pair of rationals
        Input interval ``[a, b]`` (ignored if ``target`` is a PiecewisePolynomial).
    density : PiecewisePolynomial, optional
        Input density (default uniform on the domain).
    skip : bool
        Add a trainable affine skip connection (residual network).

    Returns
    -------
    ExactSolution

    Examples
    --------
    >>> sol = exact_minimizer("x**2", 1)
    >>> sol.risk
    4/3645
    >>> sol.network
    KinkNetwork(c=1/27, slope=0, u=(4/3,), s=(1,), t=(1/3,))
    >>> exact_minimizer("Abs(x - 1/2)", 2).risk
    0
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an integer in 1..3 for the exact route, got {width!r}")
    f = target if isinstance(target, PiecewisePolynomial) else \
        parse_target(target, domain, continuous=True)
    if not f.is_continuous():
        raise ValueError("target must be continuous on the domain")
    if width > 3 and realize_exactly(f, width, bool(skip)) is None:
        raise ValueError(f"width must be an integer in 1..3 for the exact route, got {width!r}"
                         " (larger widths only when the target is realized exactly)")
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


@lru_cache(maxsize=64)
def _solve_cached(f, width, density, skip):
    exact = realize_exactly(f, width, skip)
    if exact is not None:
        fam = (len(exact.t), exact.s, exact.slope != 0 or skip)
        cd = Candidate(fam, (), exact, sympy.Integer(0))
        return ExactSolution(exact, sympy.Integer(0), [cd], width, skip, f, density, 0)
    fixed = sorted(set(f.breaks) | set(density.breaks))
    cands, ncells = [], 0
    for fam in families(width, skip):
        k = fam[0]
        for cell in itertools.combinations_with_replacement(range(len(fixed) - 1), k):
            ncells += 1
            cands.extend(_solve_cell(fam, cell, f, density))
        if cands and min(cd.risk_float() for cd in cands) == 0 and \
                any(cd.risk == 0 for cd in cands):
            break
    cands.sort(key=lambda cd: (cd.risk_float(), cd.family[0]))
    best = cands[0]
    return ExactSolution(best.network, best.risk, cands, width, skip, f, density, ncells)


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
    d.add(f"Families (kinks inside, sides, free slope) enumerated: {families(width, skip)}; "
          f"{sol.cells} cells; each cell's risk is a polynomial, the linear parameters are "
          "eliminated exactly and $g_j = \\partial_{t_j} R / u_j = 0$ is solved exactly.")
    for cd in sol.candidates[:6]:
        d.add(f"Feasible stationary point, family {cd.family}, kinks "
              f"${sympy.latex([_show(v) for v in cd.network.t])}$, risk", _show(cd.risk), "R")
    d.add("The global minimizer (least risk among all feasible stationary points)",
          _show(sol.network.expr()), "N^*(x)")
    d.results["minimum"] = _show(sol.risk)
    d.results["kinks"] = sympy.Tuple(*[_show(v) for v in sol.network.t])
    return d
