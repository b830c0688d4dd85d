"""Where a tuning holds: the kappa-pieces of the optimal active set (private; sympy only).

Every active set (see :mod:`symadam.rates._active_set`), also with tuned
parameters pinned at a closed end of their domain, is solved *symbolically in
kappa* (``mu = 1``, ``L = kappa``): each solution branch is a *candidate*
``(parameters(kappa), rho(kappa))``.  At a given kappa a candidate is

* feasible: ``rho`` real and positive, every tuned parameter real and in its domain;
* valid: no root of any factor of ``det(zI - J(lambda))`` has modulus above ``rho``
  for any ``lambda`` in ``[1, kappa]`` (checked at the endpoints and at every
  critical ``lambda`` -- branch points, stationary points of a real root, of the
  modulus of a complex pair -- the real roots of exact resultants in ``lambda``);

and the answer at kappa is the feasible, valid candidate with the smallest ``rho``.

The answer can change only where one of these *events* happens: a radicand or
denominator of a candidate vanishes; a parameter reaches a domain end; a root of
modulus ``rho`` appears at an end of the spectrum (``p(+-rho) = 0``, a complex pair
of modulus ``rho``, a change between real and complex roots) or touches ``rho``
inside it (double zero in ``lambda``); two candidates' rates coincide.  Each event
is an algebraic equation in kappa, turned into polynomials in ``Q[kappa]``
(:func:`symadam.rates._algebraic.zero_polynomials`); their real roots above 1 are
the only possible breakpoints, and on each open interval between consecutive ones
every sign condition above is constant, so one rational sample point decides
the whole interval (two are tried, and must agree).  Events are computed for the
winners, for every candidate that undercuts a winner somewhere, and rate
coincidences of winners with every candidate that is real somewhere; the loop
repeats until no new breakpoint appears.  Adjacent intervals with the same winner
are merged: what remains are the pieces and their exact breakpoints.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

import sympy

from . import _active_set as act
from ._algebraic import rational_between, real_roots_above, zero_polynomials
from .methods._base import KAPPA, LAM, RHO, Z
from .tuning import NotProvenError

__all__ = ["Candidate", "Piece", "enumerate_candidates", "derive_pieces", "evaluate",
           "worst_modulus"]

_DPS = 50
_TOL = sympy.Float("1e-25", _DPS)


@dataclass(frozen=True)
class Candidate:
    """One solution branch of one active set, symbolic in ``kappa`` (``mu = 1``)."""

    aset: act.ActiveSet
    pinned: tuple            # ((symbol, value), ...) tuned parameters at a domain end
    sol: tuple               # ((unknown, expression), ...) incl. pinned parameters and rho
    factors: tuple           # monic factors of the characteristic polynomial (pins applied)
    order: int
    raw: int

    @property
    def values(self) -> dict:
        return dict(self.sol)

    def label(self) -> str:
        pins = ", ".join(f"{s.name} = {v} (domain end)" for s, v in self.pinned)
        return self.aset.label() + (f", {pins}" if pins else "")


@dataclass(frozen=True)
class Piece:
    """A kappa-interval ``(kappa_from, kappa_to]`` and its winning candidate."""

    kappa_from: Any
    kappa_to: Any            # sympy.oo for the last piece
    closed_left: bool
    candidate: Candidate
    samples: tuple


def enumerate_candidates(params: tuple, charpoly: sympy.Expr) -> list[Candidate]:
    """Every active set, also with tuned parameters pinned at closed domain ends, solved in kappa.

    Examples
    --------
    >>> from symadam.rates.methods import get_method
    >>> from symadam.rates.engine import characteristic_polynomial
    >>> cs = enumerate_candidates(get_method("gd").params, characteristic_polynomial("gd"))
    >>> sorted(c.aset.label() for c in cs)
    ['mu: r+, L: r+', 'mu: r+, L: r-', 'mu: r-, L: r+', 'mu: r-, L: r-']
    """
    tuned = [p for p in params if p.tuned]
    choices = []
    for p in tuned:
        ends = [None]
        if p.lower is not None and not p.lower_open:
            ends.append(sympy.sympify(p.lower))
        if p.upper is not None and not p.upper_open:
            ends.append(sympy.sympify(p.upper))
        choices.append(ends)
    out, order = [], 0
    for pins in itertools.product(*choices):
        pinned = tuple((p.symbol, v) for p, v in zip(tuned, pins) if v is not None)
        free = [p.symbol for p, v in zip(tuned, pins) if v is None]
        facs = tuple(act.monic_factors(sympy.expand(charpoly.subs(dict(pinned)))))
        unknowns = free + [RHO]
        for aset, eqs in act.enumerate_active_sets(list(facs), len(unknowns),
                                                   (sympy.Integer(1), KAPPA)):
            raw = sum(2 if a is not None and a[1][0] == "d" else int(a is not None)
                      for a in aset)
            for sol in act.solve_active_set(eqs, unknowns):
                full = tuple(list(pinned) + [(u, sympy.sympify(sol[u])) for u in unknowns])
                out.append(Candidate(aset, pinned, full, facs, order, raw))
            order += 1
    return out


def _num(e: Any, subs: dict) -> Any:
    try:
        v = sympy.N(sympy.sympify(e).subs(subs), _DPS)
    except (ZeroDivisionError, TypeError, ValueError):  # pragma: no cover
        return None
    return None if v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) else v


def _real(v: Any) -> Any:
    if v is None:
        return None
    re, im = v.as_real_imag()
    return re if abs(im) <= _TOL * (1 + abs(re)) else None


def _coeffs(f: Any) -> list:
    return [sympy.N(x, _DPS) for x in sympy.Poly(sympy.expand(f), Z).all_coeffs()]


def _roots(coeffs: list) -> list:
    while coeffs and coeffs[0] == 0:
        coeffs = coeffs[1:]
    if len(coeffs) < 2:
        return []
    return sympy.Poly(coeffs, Z).nroots(n=_DPS, maxsteps=200)


def _real_roots_in(P: sympy.Poly, hi: Any) -> list:
    """Real roots of ``P`` in ``(1, hi)``: closed form up to degree 2, else ``nroots``; if that
    does not converge (clustered roots), every point of a 2001-point grid is returned
    instead (a superset of the points the maximum can sit at, to grid resolution)."""
    cs = [sympy.N(c, _DPS) for c in P.all_coeffs()]
    while cs and cs[0] == 0:
        cs = cs[1:]
    if len(cs) == 2:
        roots = [-cs[1] / cs[0]]
    elif len(cs) == 3:
        a, b, c = cs
        d = sympy.sqrt(b * b - 4 * a * c)
        roots = [(-b + d) / (2 * a), (-b - d) / (2 * a)]
    elif len(cs) > 3:
        try:
            roots = sympy.Poly(cs, LAM).nroots(n=30, maxsteps=500)
        except Exception:   # mpmath.NoConvergence: not importable here (route purity)
            return [1 + (hi - 1) * sympy.Rational(k, 2000) for k in range(1, 2000)]
    else:
        roots = []
    out = []
    for r in roots:
        r = _real(sympy.N(r, _DPS))
        if r is not None and 1 < r < hi:
            out.append(r)
    return out


def worst_modulus(factors: tuple, values: dict, kappa: Any) -> Any:
    """``max`` over ``lambda in [1, kappa]`` of the largest root modulus (exact critical points).

    Examples
    --------
    >>> h = sympy.Symbol("h", positive=True)
    >>> worst_modulus((Z - 1 + h * LAM,), {h: sympy.Rational(1, 2)}, 3)
    0.50000000000000000000000000000000000000000000000000
    """
    items = tuple(sorted(values.items(), key=lambda kv: str(kv[0])))
    return _worst_modulus(tuple(factors), items, sympy.sympify(kappa))


@functools.lru_cache(maxsize=1024)
def _worst_modulus(factors: tuple, items: tuple, kappa: Any) -> Any:
    """:func:`worst_modulus` on hashable arguments, cached (the branches of one active set
    often share their parameter values)."""
    values = dict(items)
    kv = sympy.N(kappa, _DPS)
    worst = sympy.Float(0, _DPS)
    for f in factors:
        f = sympy.expand(f.subs(values))
        deg = sympy.degree(f, Z)
        if deg > 2:
            raise NotImplementedError("pieces are derived for factors of degree <= 2 in z; "
                                      f"got degree {deg}")
        P = sympy.Poly(f, Z)
        crit = {sympy.Integer(1), sympy.sympify(kappa)}
        polys = []
        if deg == 2:
            _, a1, a0 = P.all_coeffs()
            polys += [a1**2 - 4 * a0, sympy.diff(a0, LAM)]
        polys.append(sympy.resultant(f, sympy.diff(f, LAM), Z) if deg == 2
                     else sympy.diff(f, LAM))
        for g in polys:
            g = sympy.expand(g)
            if g.has(LAM):
                crit.update(_real_roots_in(sympy.Poly(g, LAM), kv))
        for lam in crit:
            cs = [sympy.N(c.subs(LAM, lam), _DPS) for c in P.all_coeffs()]
            worst = max([worst] + [abs(z) for z in _roots(cs)])
    return worst


def evaluate(c: Candidate, kappa: Any, fixed: dict, params: dict) -> dict | None:
    """``c`` at ``kappa``: None if infeasible, else ``{"rho", "values", "worst", "valid"}``.

    Feasible: ``rho >= 0`` and every parameter real and in its domain (``params``:
    name -> Parameter); valid: the worst root modulus over ``lambda in [1, kappa]``
    (:func:`worst_modulus`) is at most ``rho`` (relative and absolute slack 1e-25).
    """
    subs = {KAPPA: kappa, **fixed}
    vals = {}
    for u, e in c.sol:
        v = _real(_num(e, subs))
        if v is None:
            return None
        vals[u] = v
    if vals[RHO] < 0:            # rho = 0 only at kappa = 1 (one eigenvalue)
        return None
    for u, v in vals.items():
        if u != RHO and not params[u.name].admits(v):
            return None
    pv = {**{u: v for u, v in vals.items() if u != RHO}, **fixed}
    ends = max([sympy.Float(0)] + [abs(z) for f in c.factors for lam in (1, kappa)
                                   for z in _roots(_coeffs(f.subs(pv).subs(LAM, lam)))])
    if ends > vals[RHO] * (1 + _TOL) + _TOL:   # already too large at an end of the spectrum
        return {"rho": vals[RHO], "values": vals, "worst": ends, "valid": False}
    w = worst_modulus(c.factors, pv, kappa)
    return {"rho": vals[RHO], "values": vals, "worst": w,
            "valid": bool(w <= vals[RHO] * (1 + _TOL) + _TOL)}


def _events(c: Candidate, params: dict, what: str) -> list:
    """``(reason, expression in kappa)`` of the events of ``c`` (``what``: branch or full)."""
    sol = c.values
    out = []
    for u, e in c.sol:
        num, den = sympy.fraction(sympy.together(e))
        if den.has(KAPPA):
            out.append((f"{u.name} has a pole", den))
        for a in e.atoms(sympy.Pow):
            if a.exp.is_Rational and not a.exp.is_Integer and a.base.has(KAPPA):
                out.append((f"a radicand of {u.name} vanishes", a.base))
    if what == "branch":
        return out
    for u, e in c.sol:
        if u == RHO or u in dict(c.pinned):
            continue
        p = params[u.name]
        for end in (p.lower, p.upper):
            if end is not None:
                out.append((f"{u.name} reaches its domain end {end}", e - end))
    rho = RHO
    for i, f in enumerate(c.factors):
        P = sympy.Poly(f, Z)
        deg = P.degree()
        if deg == 1:
            a0 = P.all_coeffs()[1]
            conds = [(f"factor {i}: real root {s}rho at {end}", a0.subs(LAM, lv) + sg * rho)
                     for s, sg in (("+", -1), ("-", 1)) for end, lv in (("mu", 1), ("L", KAPPA))]
            conds += [(f"factor {i}: root {s}rho touches inside the spectrum",
                       sympy.resultant(a0 + sg * rho, sympy.diff(a0, LAM), LAM))
                      for s, sg in (("+", -1), ("-", 1)) if a0.has(LAM)]
        else:
            _, a1, a0 = P.all_coeffs()
            disc = a1**2 - 4 * a0
            conds = []
            for end, lv in (("mu", 1), ("L", KAPPA)):
                conds += [(f"factor {i}: root +rho at {end}", f.subs({Z: rho, LAM: lv})),
                          (f"factor {i}: root -rho at {end}", f.subs({Z: -rho, LAM: lv})),
                          (f"factor {i}: complex pair of modulus rho at {end}",
                           a0.subs(LAM, lv) - rho**2),
                          (f"factor {i}: double root at {end}", disc.subs(LAM, lv))]
            for s, zv in (("+", rho), ("-", -rho)):
                g = f.subs(Z, zv)
                if g.has(LAM):
                    conds.append((f"factor {i}: root {s}rho touches inside the spectrum",
                                  sympy.resultant(g, sympy.diff(g, LAM), LAM)))
                    conds.append((f"factor {i}: double root {s}rho inside the spectrum",
                                  sympy.resultant(g, sympy.diff(f, Z).subs(Z, zv), LAM)))
            if a0.has(LAM):
                conds.append((f"factor {i}: complex modulus touches rho inside the spectrum",
                              sympy.resultant(a0 - rho**2, sympy.diff(a0, LAM), LAM)))
        out += [(why, e.subs(sol)) for why, e in conds]
    return out


def derive_pieces(params: tuple, charpoly: sympy.Expr, fixed: dict, max_rounds: int = 6):
    """The pieces of the optimal tuning in kappa, with exact breakpoints.

    Returns ``(pieces, breakpoints, record)``: ``pieces`` a list of :class:`Piece`
    (gaps -- intervals where no candidate is feasible and valid -- are left out),
    ``breakpoints`` the exact kappa where the winner changes, ``record`` a dict of
    counts and the reasons attached to each breakpoint.

    Examples
    --------
    >>> from symadam.rates.methods import get_method
    >>> from symadam.rates.engine import characteristic_polynomial
    >>> pieces, bps, _ = derive_pieces(get_method("gd").params,
    ...                                characteristic_polynomial("gd"), {})
    >>> [(p.kappa_from, p.kappa_to, p.candidate.aset.label()) for p in pieces], bps
    ([(1, oo, 'mu: r+, L: r-')], [])
    """
    pmap = {p.symbol.name: p for p in params}
    cands = enumerate_candidates(params, charpoly)
    polys: dict = {}                  # polynomial -> set of reasons

    def add(c_or_pair, events):
        for why, e in events:
            ps = zero_polynomials(e, KAPPA, samples=fixed)
            for p in ps or []:
                polys.setdefault(p, set()).add(f"{c_or_pair}: {why}")

    for c in cands:
        add(c.label(), _events(c, pmap, "branch"))
    done_full, done_pair = set(), set()
    classified: dict = {}             # sample kappa -> _classify(...): an interval that keeps
                                      # its ends keeps its samples from round to round

    def classify(s):
        if s not in classified:
            classified[s] = _classify(cands, s, fixed, pmap)
        return classified[s]

    for _round in range(max_rounds):
        bps = real_roots_above(list(polys), KAPPA, 1)
        ends = [sympy.Integer(1)] + bps + [sympy.oo]
        intervals = []
        for lo, hi in zip(ends[:-1], ends[1:]):
            s1, s2 = _samples(lo, hi)
            info = [classify(s) for s in (s1, s2)]
            intervals.append((lo, hi, (s1, s2), info))
        new = False
        for lo, hi, ss, info in intervals:
            for win, real, under in info:
                need = ([win] if win is not None else []) + under
                for c in need:
                    if c not in done_full:
                        done_full.add(c)
                        add(c.label(), _events(c, pmap, "full"))
                        new = True
                if win is not None:
                    for d in real:
                        key = (win, d)
                        if d is not win and key not in done_pair and (d, win) not in done_pair:
                            done_pair.add(key)
                            add(f"{win.label()} vs {d.label()}",
                                [("equal rates", win.values[RHO] - d.values[RHO])])
                            new = True
        if not new:
            break
    else:  # pragma: no cover
        raise NotProvenError(f"the event set did not close after {max_rounds} rounds: cannot "
                             "decide where the answer holds")
    pieces = []
    for lo, hi, ss, info in intervals:
        wins = [i[0] for i in info]
        if wins[0] is not wins[1]:
            raise NotProvenError(f"the winner differs at kappa = {ss[0]} and {ss[1]} inside one "
                                 "interval: an event is missing, so no piece is proven there")
        if wins[0] is None:
            continue
        if pieces and pieces[-1].candidate is wins[0] and pieces[-1].kappa_to == lo:
            last = pieces.pop()
            pieces.append(Piece(last.kappa_from, hi, last.closed_left, wins[0],
                                last.samples + ss))
        else:
            pieces.append(Piece(lo, hi, False, wins[0], ss))
    if pieces and pieces[0].kappa_from == 1:
        at1 = evaluate(pieces[0].candidate, sympy.Integer(1), fixed, pmap)
        if at1 is not None and at1["valid"]:
            p0 = pieces[0]
            pieces[0] = Piece(p0.kappa_from, p0.kappa_to, True, p0.candidate, p0.samples)
    breakpoints = [p.kappa_to for p in pieces if p.kappa_to != sympy.oo]
    reasons = {str(b): sorted(r for p, rs in polys.items() for r in rs if _vanishes(p, b))
               for b in breakpoints}
    record = dict(candidates=len(cands), polynomials=len(polys),
                  candidate_breakpoints=len(bps), reasons=reasons,
                  gaps=[(str(lo), str(hi)) for lo, hi, _, info in intervals if info[0][0] is None])
    return pieces, breakpoints, record


def _samples(lo: Any, hi: Any) -> tuple:
    """Two rational sample points inside ``(lo, hi)`` (``hi`` may be oo)."""
    if lo == 1 and hi == sympy.oo:
        return sympy.Integer(7), sympy.Integer(2000)
    if hi == sympy.oo:
        s1 = rational_between(lo)
        return s1, 1000 * s1
    s1 = rational_between(lo, hi)
    return s1, rational_between(lo, s1)


def _vanishes(p: Any, b: Any) -> bool:
    P = sympy.Poly(p, KAPPA)
    scale = sum(abs(c) for c in P.all_coeffs()) * (1 + abs(sympy.N(b, 30))) ** P.degree()
    return abs(sympy.N(P.as_expr().subs(KAPPA, b), 60)) <= sympy.Float("1e-40") * scale


def _classify(cands: list, kappa: Any, fixed: dict, pmap: dict) -> tuple:
    """``(winner, real candidates, undercutters)`` at ``kappa``."""
    evals, real = [], []
    for c in cands:
        r = _real(_num(c.values[RHO], {KAPPA: kappa, **fixed}))
        if r is None or not r > 0:
            continue
        real.append((c, r))
        ev = evaluate(c, kappa, fixed, pmap)
        if ev is not None and ev["valid"]:
            evals.append((sympy.N(ev["rho"], 25), -c.raw, c.order, c))
    if not evals:
        return None, [c for c, _ in real], []
    evals.sort(key=lambda t: t[:3])
    win = evals[0][3]
    rho = evals[0][0]
    under = [c for c, r in real if r < rho * (1 - _TOL) and c is not win]
    return win, [c for c, _ in real], under
