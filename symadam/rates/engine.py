"""The rate engine: local rates and optimal tunings derived from an iteration map alone.

Given an :class:`~symadam.rates.methods.IterationMap`, the engine

1. linearizes it at its fixed point on the quadratic ``f = lambda theta^2/2``
   (:func:`linearize`), giving the iteration matrix ``J(lambda)``;
2. forms the characteristic polynomial ``det(z I - J(lambda))``
   (:func:`characteristic_polynomial`);
3. defines the local rate as the largest root modulus, worst case over
   ``lambda in [mu, L]``, and tunes the parameters to minimize it
   (:func:`tune`) by the equioscillation / active-set technique (see
   :mod:`symadam.rates._active_set`): every way the two interval ends can
   reach a common modulus ``rho`` (real root, complex pair, double root),
   also with parameters pinned at a closed end of their domain, is a
   polynomial system, solved *symbolically in kappa*;
4. states where each answer holds (:mod:`symadam.rates._pieces`): the
   conditions under which a solution is feasible, valid (no root above
   ``rho`` anywhere on the spectrum) and the best of the active sets change
   only at the real roots of explicit polynomials in ``kappa``; those exact
   algebraic numbers are the breakpoints, and a rational sample point decides
   each interval between them.  The result is a :class:`~symadam.rates.tuning.Tuning`
   made of :class:`~symadam.rates.tuning.TuningPiece` s; outside every piece
   the engine refuses (:class:`~symadam.rates.tuning.NotProvenError`).

Nothing here knows the answers; the results are whatever the systems give.
The declared curvature scaling of each parameter (``Parameter.scale``) is
checked symbolically and used to write the tuned parameters in ``L, mu``
from the solution at ``mu = 1, L = kappa``.

Results are cached (``functools.lru_cache``) per method (maps are frozen and hashable,
so an unregistered :class:`IterationMap` can be tuned too).
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
from typing import Any

import sympy

from ..core.derivation import Derivation
from ..core.runcache import shared
from . import _active_set as act
from . import _pieces
from ._algebraic import describe_algebraic
from ._tidy import in_L_mu as _in_L_mu
from ._tidy import tidy
from .methods import KAPPA, LAM, MU, RHO, IterationMap, L, Z, get_method, quadratic_gradient
from .tuning import NotProvenError, Tuning, TuningPiece, parse_kappa, piecewise

__all__ = ["linearize", "characteristic_polynomial", "Tuning", "TuningPiece", "NotProvenError",
           "tune", "local_rate", "tidy", "parse_kappa"]


def _key(method: "str | IterationMap") -> IterationMap:
    return get_method(method)


@functools.lru_cache(maxsize=None)
def _linearize(m: IterationMap) -> tuple[sympy.Matrix, tuple[str, ...]]:
    if m.linearize is not None:
        J, why = m.linearize(m, LAM)
        return sympy.Matrix(J), tuple(why)
    new = sympy.Matrix(list(m.step(tuple(m.state), quadratic_gradient(LAM), None)))
    J = new.jacobian(sympy.Matrix(list(m.state)))
    J = J.subs(dict(zip(m.state, m.fixed_point)))
    J = J.applyfunc(sympy.expand)
    why = (r"The map is polynomial in the state, so it is differentiated directly at the "
           r"fixed point.",)
    return J, why


def linearize(method: "str | IterationMap") -> sympy.Matrix:
    """The iteration matrix ``J(lambda)`` at the fixed point, on ``f = lambda theta^2/2``.

    Parameters
    ----------
    method : str or IterationMap
        A name from :data:`~symadam.rates.methods.METHODS` or a map.

    Examples
    --------
    >>> linearize("heavy-ball")
    Matrix([
    [beta - h*lambda + 1, -beta],
    [                  1,     0]])
    """
    return _linearize(_key(method))[0]


def characteristic_polynomial(method: "str | IterationMap") -> sympy.Expr:
    """``det(z I - J(lambda))`` as an expanded polynomial in ``z``.

    Examples
    --------
    >>> characteristic_polynomial("gd")
    h*lambda + z - 1
    """
    J = linearize(method)
    return sympy.expand((Z * sympy.eye(J.shape[0]) - J).det(method="berkowitz"))


def _check_map(m: IterationMap, cp: sympy.Expr) -> None:
    """Bad input: a linearization that is not polynomial in ``lambda``, a tuned parameter
    without a domain."""
    try:
        sympy.Poly(cp, Z, LAM)
    except sympy.PolynomialError:
        raise ValueError(f"{m.name}: det(zI - J(lambda)) must be a polynomial in z and lambda "
                         "(the linearization at the fixed point is not)") from None
    for p in m.tuned_params:
        if p.lower is None and p.upper is None:
            raise ValueError(f"{m.name}: tuned parameter {p.symbol.name} has no domain "
                             "(give Parameter(lower=..., upper=...))")

def _float_worst(facs: list, values: dict, kappa: Any) -> float:
    vals = {s: sympy.Float(v, 30) for s, v in values.items()}
    return act.worst_case_float(facs, vals, 1.0, float(kappa))[0]


def _perturbations(m: IterationMap, cand, kappa: Any, fixed: dict) -> tuple[int, int]:
    """At ``kappa``: how many admissible relative perturbations (+-1e-3) of the tuned
    parameters do not beat the candidate, out of how many (float screening)."""
    sub = {KAPPA: kappa, **fixed}
    tuned = [p.symbol for p in m.tuned_params]
    base = {s: sympy.N(sympy.sympify(cand.values[s]).subs(sub), 30) for s in tuned}
    r0 = float(sympy.re(sympy.N(sympy.sympify(cand.values[RHO]).subs(sub), 30)))
    facs = act.monic_factors(characteristic_polynomial(m))
    total = worse = 0
    for signs in itertools.product((-1, 0, 1), repeat=len(tuned)):
        if not any(signs):
            continue
        vals = {s: base[s] * (1 + sg * sympy.Rational(1, 1000)) if base[s] != 0
                else sympy.Rational(sg, 1000) for s, sg in zip(tuned, signs)}
        if not all(m.parameter(s.name).admits(v) for s, v in vals.items()):
            continue
        total += 1
        worse += _float_worst(facs, {**vals, **fixed}, kappa) >= r0 * (1 - 1e-9)
    return worse, total


def _same(a: Any, b: Any, kappas: tuple, fixed: dict) -> bool:
    return all(abs(sympy.N((sympy.sympify(a) - sympy.sympify(b)).subs({KAPPA: k, **fixed}), 50))
               < sympy.Float("1e-40") for k in kappas)


def _tuning_key(m: IterationMap) -> str:
    """What determines a tuning: the map's name, parameters and linearization."""
    J, why = _linearize(m)
    return repr((m.name, m.title, m.equations, m.reference, sympy.srepr(J), why,
                 [(sympy.srepr(p.symbol), repr(p)) for p in m.params]))


@functools.lru_cache(maxsize=None)
@shared(_tuning_key)      # in a parallel `verify`, one worker derives, the others load
def _tune(m: IterationMap) -> Tuning:
    J, why = _linearize(m)
    cp = characteristic_polynomial(m)
    _check_map(m, cp)
    tuned = [p.symbol for p in m.tuned_params]
    fixed = {p.symbol: act.sample_value(p) for p in m.params if not p.tuned}
    unknowns = tuned + [RHO]
    state = ", ".join(sympy.latex(s) for s in m.state)
    d = Derivation(f"{m.title}: optimal constant tuning on quadratics")
    d.add(f"The method as a map on its state $({state})$ ({m.reference}):", m.equations)
    d.add(r"On the quadratic $f(\theta) = \lambda\theta^2/2$ with $\mu \le \lambda \le L$ "
          r"the gradient is $\lambda\theta$ and the fixed point is", sympy.Matrix(
              [list(m.fixed_point)]), lhs=f"({state})^*")
    d.add(" ".join(why) + " The iteration matrix is", J, lhs=r"J(\lambda)")
    d.add(r"Its characteristic polynomial:", sympy.factor(cp), lhs=r"\det(zI - J(\lambda))")
    # curvature scaling: the spectrum of J(c lambda; c^s p) is that of J(lambda; p).  The
    # characteristic polynomial is compared, not J itself: a state holding a gradient-sized
    # quantity (QHM's buffer d) makes J only similar to itself, by diag(1, c).
    c = sympy.Dummy("c", positive=True)
    sub = {LAM: c * LAM, **{p.symbol: c**p.scale * p.symbol for p in m.params}}
    if sympy.cancel(cp.subs(sub, simultaneous=True) - cp) != 0:
        raise ValueError(f"{m.name}: the declared parameter scales (Parameter.scale) do not "
                         "leave det(zI - J) invariant under lambda -> c lambda")
    scales = ", ".join(f"{sympy.latex(p.symbol)} \\to c^{{{p.scale}}}{sympy.latex(p.symbol)}"
                       for p in m.params)
    d.add(r"$\det(zI - J)$ is unchanged under $\lambda \to c\lambda$, " + f"${scales}$, so "
          r"the spectrum, hence the tuned rate, "
          r"depends on $\kappa = L/\mu$ only: set $\mu = 1$, $L = \kappa$.")
    d.add(r"The local rate is the largest root modulus, worst case over the spectrum; at the "
          r"optimum the worst case sits at both ends $\lambda \in \{\mu, L\}$, each reaching "
          r"$\rho$ as a real root $\pm\rho$, a complex pair of modulus $\rho$, or a double root "
          r"$\pm\rho$ (an active set); a tuned parameter may also sit at a closed end of its "
          r"domain. Each active set is a polynomial system in "
          f"$({', '.join(sympy.latex(u) for u in unknowns)})$, solved symbolically in $\\kappa$.",
          r"\min_{" + ",".join(sympy.latex(s) for s in tuned) + r"} \max_{\mu\le\lambda\le L}"
          r" \max\{|z| : \det(zI - J(\lambda)) = 0\}", lhs=r"\rho^*")
    pieces, _bps, rec = _pieces.derive_pieces(m.params, cp, fixed)
    if not pieces:
        raise NotProvenError(f"{m.name}: no active set is feasible and valid at any kappa > 1")
    d.add(f"{rec['candidates']} solution branches. The answer can change only where a "
          r"branch's radicand or denominator vanishes, a parameter reaches a domain end, a root "
          r"of modulus $\rho$ appears at an end of the spectrum or touches $\rho$ inside it, or "
          f"two rates coincide: {rec['polynomials']} irreducible polynomials in $\\kappa$ "
          f"(by resultants), with {rec['candidate_breakpoints']} real roots above 1. On each "
          r"interval between them every such condition keeps its sign, so a rational sample "
          r"point (two are used, and agree) decides it; intervals with the same optimal active "
          r"set are merged.")
    tps = []
    for i, pc in enumerate(pieces):
        cand = pc.candidate
        raw = cand.values
        rate = tidy(raw[RHO])
        pk = {s.name: tidy(raw[s]) for s in tuned}
        if not all(_same(rate, raw[RHO], pc.samples, fixed) and
                   all(_same(pk[s.name], raw[s], pc.samples, fixed) for s in tuned)
                   for _ in (0,)):  # pragma: no cover - tidy is value-preserving
            raise ArithmeticError(f"{m.name}: a tidied form differs from the solution")
        closed = pc.closed_left
        if pc.kappa_from == 1 and not closed:
            tidied = dataclasses.replace(cand, sol=tuple(
                (u, rate if u == RHO else pk[u.name]) for u, _ in cand.sol))
            at1 = _pieces.evaluate(tidied, sympy.Integer(1), fixed,
                                   {p.symbol.name: p for p in m.params})
            closed = bool(at1 is not None and at1["valid"])
        worse, total = _perturbations(m, cand, pc.samples[0], fixed)
        if worse != total:
            raise NotProvenError(f"{m.name}: a perturbation of the optimum beats it at kappa = "
                                 f"{pc.samples[0]}")
        params = {s.name: _in_L_mu(pk[s.name], m.parameter(s.name).scale) for s in tuned}
        tp = TuningPiece(pc.kappa_from, pc.kappa_to, closed, rate, params, pk, cand.label())
        tps.append(tp)
        iv = sympy.Interval(pc.kappa_from, pc.kappa_to, not closed, True)
        where = (r"all $\kappa \ge 1$" if len(pieces) == 1 and closed else
                 f"$\\kappa \\in {sympy.latex(iv)}$")
        d.add(f"Piece {i + 1} ({where}): the active set {cand.label()}; samples "
              f"$\\kappa = {', '.join(map(str, pc.samples))}$; all {total} admissible relative "
              r"perturbations of the parameters by $\pm 10^{-3}$ at the first are slower.",
              sympy.Matrix([rate] + [pk[s.name] for s in tuned]),
              lhs="(" + ", ".join([r"\rho^*"] + [sympy.latex(s) for s in tuned]) + ")")
        if pc.kappa_to != sympy.oo:
            info = describe_algebraic(pc.kappa_to, KAPPA)
            why_b = [r for r in rec["reasons"].get(str(pc.kappa_to), [])
                     if r.startswith(cand.label() + ":")][:3]
            d.add(f"Breakpoint {i + 1}: a root of ${info['minimal_polynomial']} = 0$, "
                  f"$\\kappa \\approx {info['decimal']}$"
                  + (f" ({'; '.join(why_b)})" if why_b else "") + ":", pc.kappa_to,
                  lhs=f"\\kappa_{i + 1}")
    for lo, hi in rec["gaps"]:
        d.add(f"No active set is feasible and valid for $\\kappa \\in ({lo}, {hi})$: the "
              "engine refuses there.")
    rate = piecewise(tuple(tps), "rate")
    params = {s.name: piecewise(tuple(tps), s.name, L / MU) for s in tuned}
    pk = {s.name: piecewise(tuple(tps), s.name) for s in tuned}
    for n, v in (params.items() if len(tps) == 1 else ()):
        d.add(f"In $L, \\mu$ (scale ${m.parameter(n).scale}$):", v,
              lhs=sympy.latex(sympy.Symbol(n)) + "^*")
    d.add("The optimal local rate:", rate, lhs=r"\rho^*(\kappa)")
    d.results.update({"rate": rate, **params})
    active = (tps[0].active_set if len(tps) == 1 else
              "; ".join(f"{p.active_set} for kappa in {p.interval()}" for p in tps))
    return Tuning(m.name, rate, params, pk, active, cp, d,
                  {p.symbol.name: p for p in m.params if not p.tuned}, tuple(tps),
                  tuple(rec["gaps"]))


def tune(method: "str | IterationMap") -> Tuning:
    """Derive the optimal constant tuning of ``method`` on quadratics and its rate.

    Parameters
    ----------
    method : str or IterationMap
        A registered name (``"gd"``, ``"heavy-ball"``, ``"nesterov"``, ...) or a map.

    Returns
    -------
    Tuning
        Rate in ``kappa``, parameters in ``L, mu``, and the derivation.

    Raises
    ------
    ValueError
        For an unknown method name, a map whose linearization is not polynomial in
        ``lambda``, a tuned parameter without a domain, or declared curvature scales
        (``Parameter.scale``) that do not leave ``det(zI - J)`` invariant.
    NotProvenError
        If no active set is feasible and valid at any ``kappa > 1``.

    Examples
    --------
    >>> t = tune("gd")
    >>> t.rate, t.parameters["h"]
    ((kappa - 1)/(kappa + 1), 2/(L + mu))
    >>> [(p.interval(), p.active_set) for p in t.pieces]
    [('[1, oo)', 'mu: r+, L: r-')]
    """
    return _tune(_key(method))


def local_rate(method: "str | IterationMap", kappa: Any = None, dps: int = 50) -> Any:
    """The optimally tuned local rate: an expression in ``kappa``, or its value at ``kappa``
    (exact input such as ``"7/3"``; the piece containing it is used).

    Examples
    --------
    >>> local_rate("heavy-ball")
    (sqrt(kappa) - 1)/(sqrt(kappa) + 1)
    >>> local_rate("heavy-ball", kappa=9, dps=15), local_rate("gd", kappa="7/3", dps=15)
    (0.500000000000000, 0.400000000000000)
    """
    t = tune(method)
    return t.rate if kappa is None else t.rate_at(kappa, dps)
