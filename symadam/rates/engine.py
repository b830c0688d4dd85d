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
   reach a common modulus ``rho`` (real root, complex pair, double root) is a
   polynomial system; the systems are solved exactly at a sample condition
   number, infeasible or invalid candidates (those whose true worst case
   over a dense ``lambda`` grid exceeds ``rho``) are dropped, the best one is
   re-solved symbolically in ``kappa`` and its optimality is confirmed by
   perturbing the parameters.

Nothing here knows the answers; the results are whatever the systems give.
The declared curvature scaling of each parameter (``Parameter.scale``) is
checked symbolically and used to write the tuned parameters in ``L, mu``
from the solution at ``mu = 1, L = kappa``.

Results are cached (``functools.lru_cache``) per method (maps are frozen and hashable,
so an unregistered :class:`IterationMap` can be tuned too).
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

import sympy

from ..core.derivation import Derivation
from . import _active_set as act
from ._tidy import in_L_mu as _in_L_mu
from ._tidy import tidy
from .methods import KAPPA, LAM, RHO, IterationMap, Z, get_method, quadratic_gradient

__all__ = ["linearize", "characteristic_polynomial", "Tuning", "tune", "local_rate",
           "tidy", "SCREEN_KAPPA"]

#: The condition number at which active sets are screened (rational, not a square).
SCREEN_KAPPA = sympy.Integer(7)
#: Condition numbers at which the symbolic winner is re-validated.
CHECK_KAPPAS = (sympy.Rational(3, 2), sympy.Integer(50), sympy.Integer(2000))


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


@dataclass(frozen=True)
class Tuning:
    """The optimal constant tuning of a method on quadratics, as derived by :func:`tune`.

    Attributes
    ----------
    method : str
        Registry name.
    rate : sympy.Expr
        The optimal worst-case local rate, in ``kappa`` (and untuned parameters).
    parameters : dict
        Tuned parameter name -> expression in ``L``, ``mu`` (and untuned parameters).
    parameters_kappa : dict
        The same at ``mu = 1, L = kappa``.
    active_set : str
        Which constraints are active at the optimum (see ``_active_set``).
    charpoly : sympy.Expr
        The characteristic polynomial in ``z``, ``lambda`` and the parameters.
    derivation : Derivation
        The steps, printable as LaTeX / Markdown.
    untuned : dict
        Untuned parameter name -> its :class:`~symadam.rates.methods.Parameter`
        (domain used to validate :meth:`parameters_at`).

    Examples
    --------
    >>> t = tune("heavy-ball")
    >>> t.active_set, t.parameters_kappa["beta"]
    ('mu: d+, L: d-', (sqrt(kappa) - 1)**2/(sqrt(kappa) + 1)**2)
    """

    method: str
    rate: sympy.Expr
    parameters: dict
    parameters_kappa: dict
    active_set: str
    charpoly: sympy.Expr
    derivation: Derivation = field(compare=False)
    untuned: dict = field(default_factory=dict, compare=False)

    def rate_at(self, kappa: Any, dps: int = 50) -> sympy.Float:
        """The rate at a numeric ``kappa`` (``dps`` significant digits).

        Examples
        --------
        >>> tune("gd").rate_at(3, dps=20)
        0.50000000000000000000
        """
        from ..core.validate import check_dps, check_kappa

        check_kappa(kappa)
        check_dps(dps)
        k = sympy.nsimplify(str(kappa), rational=True) if not isinstance(kappa, sympy.Basic) \
            else kappa
        return sympy.N(self.rate.subs(KAPPA, k), dps)

    def parameters_at(self, L: Any, mu: Any, dps: int = 50, **untuned: Any) -> dict:
        """The tuned parameters at numeric ``L`` and ``mu`` (``dps`` digits).

        Untuned parameters (e.g. Adam's ``eps``) are passed by name.

        Raises
        ------
        ValueError
            If ``L <= 0``, ``mu <= 0``, ``mu > L``, a value is not finite, or an
            untuned parameter is missing, unknown or outside its domain.

        Examples
        --------
        >>> tune("gd").parameters_at(L=3, mu=1, dps=15)
        {'h': 0.500000000000000}
        >>> tune("gd").parameters_at(L=1, mu=2)
        Traceback (most recent call last):
        ...
        ValueError: mu must be <= L (got mu=2, L=1)
        """
        from ..core.validate import check_dps, check_positive

        check_dps(dps)
        check_positive("L", L)
        check_positive("mu", mu)
        if _exact(mu) > _exact(L):  # exact: float() would merge mu = L + 1 with L for huge L
            raise ValueError(f"mu must be <= L (got mu={mu}, L={L})")
        subs = {sympy.Symbol("L", positive=True): _exact(L),
                sympy.Symbol("mu", positive=True): _exact(mu)}
        for name, v in untuned.items():
            if name not in self.untuned:
                raise ValueError(f"{name} is not an untuned parameter of {self.method} "
                                 f"(untuned: {', '.join(self.untuned) or 'none'})")
            self.untuned[name].check(v)
            subs.update({s: _exact(v) for e in self.parameters.values()
                         for s in e.free_symbols if s.name == name})
        out = {}
        for name, e in self.parameters.items():
            v = e.subs(subs)
            missing = sorted(s.name for s in v.free_symbols)
            if missing:
                raise ValueError(f"{', '.join(missing)} must be given for {self.method}")
            out[name] = sympy.N(v, dps)
        return out

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display: rate, tuned parameters and active set as mathematics.

        Examples
        --------
        >>> print(tune("gd")._repr_markdown_())
        **Optimal tuning of `gd` on quadratics...
        | rate | $\\rho = \\frac{\\kappa - 1}{\\kappa + 1}$ |
        | parameter | $h = \\frac{2}{L + \\mu}$ |
        ...
        """
        from ..core.display import latex, markdown_rows

        rows = [("rate", f"text:$\\rho = {latex(self.rate)}$")]
        rows += [("parameter", f"text:${latex(sympy.Symbol(k))} = {latex(v)}$")
                 for k, v in self.parameters.items()]
        rows += [("active set", "text:" + self.active_set),
                 ("characteristic polynomial", f"text:${latex(self.charpoly)}$")]
        return markdown_rows(f"Optimal tuning of `{self.method}` on quadratics, "
                             "spectrum in $[\\mu, L]$, $\\kappa = L/\\mu$", rows,
                             note="The steps: `.derivation` (LaTeX: `.derivation.to_latex()`).")


def _exact(x: Any) -> sympy.Expr:
    """A number as an exact sympy rational (via its decimal string)."""
    if isinstance(x, sympy.Basic):
        return x
    return sympy.Rational(str(x))


def _numeric(x: Any, subs: dict) -> complex:
    return complex(sympy.sympify(x).subs(subs).evalf(30))


def _feasible(m: IterationMap, tuned: list, sol: dict, fixed: dict) -> bool:
    r = _numeric(sol[RHO], fixed)
    if abs(r.imag) > 1e-12 or not r.real > 0:
        return False
    return all(m.parameter(s.name).admits(sympy.sympify(sol[s]).subs(fixed)) for s in tuned)


def _worst(facs: list, tuned: list, sol: dict, fixed: dict, kappa: Any,
           scale: dict | None = None) -> float:
    vals = {s: sympy.Float(_numeric(sol[s], fixed).real, 30) * (scale or {}).get(s, 1)
            for s in tuned}
    vals.update(fixed)
    return act.worst_case_float(facs, vals, 1.0, float(kappa))[0]


@functools.lru_cache(maxsize=None)
def _tune(m: IterationMap) -> Tuning:
    J, why = _linearize(m)
    cp = characteristic_polynomial(m)
    facs = act.monic_factors(cp)
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
        raise NotImplementedError(f"{m.name}: the declared parameter scales do not leave "
                                  "det(zI - J) invariant under lambda -> c lambda")
    scales = ", ".join(f"{sympy.latex(p.symbol)} \\to c^{{{p.scale}}}{sympy.latex(p.symbol)}"
                       for p in m.params)
    d.add(r"$\det(zI - J)$ is unchanged under $\lambda \to c\lambda$, " + f"${scales}$, so "
          r"the spectrum, hence the tuned rate, "
          r"depends on $\kappa = L/\mu$ only: set $\mu = 1$, $L = \kappa$.")
    d.add(r"The local rate is the largest root modulus, worst case over the spectrum; at the "
          r"optimum the worst case sits at both ends $\lambda \in \{\mu, L\}$, each reaching "
          r"$\rho$ as a real root $\pm\rho$, a complex pair of modulus $\rho$, or a double root "
          r"$\pm\rho$ (an active set). Each active set is a polynomial system in "
          f"$({', '.join(sympy.latex(u) for u in unknowns)})$.",
          r"\min_{" + ",".join(sympy.latex(s) for s in tuned) + r"} \max_{\mu\le\lambda\le L}"
          r" \max\{|z| : \det(zI - J(\lambda)) = 0\}", lhs=r"\rho^*")
    # screening
    k0 = SCREEN_KAPPA
    sets = act.enumerate_active_sets(facs, len(unknowns), (sympy.Integer(1), k0))
    cands = []
    n_sol = n_feas = 0
    for order, (aset, eqs) in enumerate(sets):
        for sol in act.solve_active_set([e.subs(fixed) for e in eqs], unknowns):
            n_sol += 1
            if not _feasible(m, tuned, sol, {}):
                continue
            n_feas += 1
            r = _numeric(sol[RHO], {}).real
            w = _worst(facs, tuned, sol, fixed, k0)
            if abs(w - r) <= 1e-6 * r:
                raw = sum(2 if a is not None and a[1][0] == "d" else int(a is not None)
                          for a in aset)
                cands.append((round(r, 9), -raw, order, aset, sol))
    if not cands:
        raise RuntimeError(f"{m.name}: no feasible active set at kappa = {k0}")
    cands.sort(key=lambda t: t[:3])
    best = cands[0]
    listing = "; ".join(f"{c[3].label()}: $\\rho = {c[0]:.9f}$" for c in cands)
    d.add(f"At $\\kappa = {k0}$, {len(sets)} active sets were solved exactly: {n_sol} "
          f"solutions, {n_feas} with $\\rho > 0$ and parameters in their domains; those whose "
          f"true worst case over a 201-point $\\lambda$ grid equals $\\rho$ "
          f"are: {listing}. The smallest is {best[3].label()}.")
    # symbolic solve of the winning active set
    aset = best[3]
    eqs = []
    for a, end in zip(aset, (sympy.Integer(1), KAPPA)):
        if a is not None:
            eqs += act.end_equations(facs[a[0]], end, a[1])
    eqs = [e for e in dict.fromkeys(sympy.expand(e) for e in eqs) if e != 0]
    d.add(f"The active set {aset.label()} as equations at $\\mu = 1$, $L = \\kappa$:",
          sympy.Matrix(eqs), lhs=r"0")
    sols = act.solve_active_set(eqs, unknowns)
    k0sub = {KAPPA: k0, **fixed}
    target = {s: _numeric(best[4][s], {}) for s in unknowns}
    sol = None
    for s in sols:
        if all(abs(_numeric(s[u], k0sub) - target[u]) < 1e-9 * (1 + abs(target[u]))
               for u in unknowns):
            sol = s
            break
    if sol is None:
        raise RuntimeError(f"{m.name}: symbolic solution does not match the screened optimum")
    rate = tidy(sol[RHO])
    pk = {s.name: tidy(sol[s]) for s in tuned}
    for n, v in pk.items():
        tex = sympy.latex(sympy.Symbol(n))
        d.add(f"Solving (the branch that matches the screened optimum) gives ${tex}$ at "
              r"$\mu = 1$:", v, lhs=tex)
    # re-validate at other condition numbers and confirm local optimality
    for kc in CHECK_KAPPAS:
        subs = {KAPPA: kc, **fixed}
        solk = {u: sympy.sympify(sol[u]).subs(subs) for u in unknowns}
        r = _numeric(solk[RHO], {}).real
        ok = (_feasible(m, tuned, solk, {})
              and abs(_worst(facs, tuned, solk, fixed, kc) - r) <= 1e-6 * r)
        if not ok:
            raise RuntimeError(f"{m.name}: the optimum's active set changes at kappa = {kc}")
    worse = 0
    r0 = _numeric(best[4][RHO], {}).real
    for signs in itertools.product((-1, 0, 1), repeat=len(tuned)):
        if any(signs):
            sc = {s: 1 + sg * sympy.Rational(1, 1000) for s, sg in zip(tuned, signs)}
            worse += _worst(facs, tuned, best[4], fixed, k0, sc) >= r0 * (1 - 1e-9)
    if worse != 3 ** len(tuned) - 1:
        raise RuntimeError(f"{m.name}: a perturbation of the candidate beats it")
    d.add(f"Checks: the solution is feasible and its worst case equals $\\rho$ at "
          f"$\\kappa \\in \\{{{', '.join(map(str, CHECK_KAPPAS))}\\}}$; at $\\kappa = {k0}$ all "
          f"{3 ** len(tuned) - 1} relative perturbations of the parameters by "
          r"$\pm 10^{-3}$ give a larger worst case.")
    params = {s.name: _in_L_mu(pk[s.name], m.parameter(s.name).scale) for s in tuned}
    for n, v in params.items():
        d.add(f"In $L, \\mu$ (scale ${m.parameter(n).scale}$):", v,
              lhs=sympy.latex(sympy.Symbol(n)) + "^*")
    d.add("The optimal local rate:", rate, lhs=r"\rho^*(\kappa)")
    d.results.update({"rate": rate, **params})
    return Tuning(m.name, rate, params, pk, aset.label(), cp, d,
                  {p.symbol.name: p for p in m.params if not p.tuned})


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
        For an unknown method name.

    Examples
    --------
    >>> t = tune("gd")
    >>> t.rate, t.parameters["h"]
    ((kappa - 1)/(kappa + 1), 2/(L + mu))
    """
    return _tune(_key(method))


def local_rate(method: "str | IterationMap", kappa: Any = None, dps: int = 50) -> Any:
    """The optimally tuned local rate: an expression in ``kappa``, or its value at ``kappa``.

    Examples
    --------
    >>> local_rate("heavy-ball")
    (sqrt(kappa) - 1)/(sqrt(kappa) + 1)
    >>> local_rate("heavy-ball", kappa=9, dps=15)
    0.500000000000000
    """
    t = tune(method)
    return t.rate if kappa is None else t.rate_at(kappa, dps)
