"""The stationarity system of a kink family on a cell, by local projections (sympy only).

Setting and notation as in :mod:`symadam.existence.relu_exact`: on ``[a, b]``
a network of a *family* ``(k, sides, free)`` is
``N = c + slope*x + sum_j u_j relu(s_j (x - t_j))``, ``a < t_1 < ... < t_k < b``,
``slope`` a free parameter iff ``free`` (otherwise ``slope = 0``).  Write
``e = N - f``, ``p`` the density, ``E1(y) = int_y^b e p`` and
``E2(y) = int_y^b e p (x - y) dx`` (so ``E2' = -E1``).  The first-order
conditions of the risk ``R = int (N - f)^2 p`` are

* ``dR/dc = 0``: ``E1(a) = 0``; ``dR/dslope = 0`` (free slope): ``E2(a) = 0``;
* ``dR/dt_j = -2 u_j E1(t_j)``: with ``u_j != 0``, ``E1(t_j) = 0``;
* ``dR/du_j = 0``: ``E2(t_j) = 0`` if ``s_j = +1``, ``E2(t_j) = E2(a)`` if ``s_j = -1``
  (``relu(t - x) = relu(x - t) - (x - t)`` and ``E1(a) = 0``).

Give every point ``P`` of ``a = P_0 < t_1 < ... < t_k < P_{k+1} = b`` a
*label* ``lambda(P) = E2(P)``: ``0`` at ``b`` and at right-facing kinks,
``delta = E2(a)`` at ``a`` and at left-facing kinks (``delta = 0`` for a free
slope).  On every *kink interval* ``I_i = [P_i, P_{i+1}]`` the network is linear,
``l_i(x) = alpha_i + beta_i (x - P_i)``, and the conditions say exactly

    ``int_{I_i} e p = 0``,   ``int_{I_i} e p (x - P_i) = lambda(P_i) - lambda(P_{i+1})``:

a 2 x 2 linear system (the moments of ``p`` on ``I_i``): ``l_i`` is the local
``L^2(p)`` projection of ``f`` on linear functions, shifted when the label
changes across ``I_i``.  What is left are the *kink equations*: continuity
``l_{i-1}(t_i) = l_i(t_i)`` at every kink, and, without a free slope, the
slope rule ``beta_0 = -sum_{s_j = -1} u_j`` with ``u_j = beta_j - beta_{j-1}``:
``k`` (+1 with the unknown ``delta``) polynomial equations in ``t`` (and
``delta``, which enters linearly), each involving only neighbouring kinks.
Conversely every solution gives a stationary point (``c``, ``u`` read off the
``l_i``).  At a stationary point ``R = int f^2 p - int N f p`` (``N`` is
orthogonal to ``e``), which is :attr:`KinkSystem.risk`.

For ``f = x^2`` on ``[0, 1]`` (uniform) the projection on ``[A, B]`` has
error ``-(B - A)^2/6`` at both ends, so continuity is ``h_{i-1} = h_i``:
equispaced kinks (free slope: ``t_j = j/(k + 1)``, risk ``1/(180 (k+1)^4)``).
"""
from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Any, Sequence

import sympy

from .piecewise import PiecewisePolynomial, X

__all__ = ["DELTA", "KinkSystem", "kink_system", "fixed_points"]

#: The label ``E2(a)`` of a family without free slope.
DELTA = sympy.Symbol("delta", real=True)


@dataclass(frozen=True)
class KinkSystem:
    """The kink equations of one family on one cell, and what a solution gives.

    Attributes
    ----------
    family : tuple
        ``(k, sides, free)``.
    cell : tuple of int
        ``cell[j]`` = index of the (closed) interval between consecutive
        breakpoints of target and density that holds ``t_{j+1}``.
    t : tuple of Symbol
        The kinks ``t1, ..., tk``.
    gens : tuple of Symbol
        Unknowns in lex order for elimination: ``delta`` (without free slope)
        first, then ``t_k, ..., t_1`` (so the eliminant is a polynomial in ``t_1``).
    ring : sympy PolyRing
        ``QQ[delta, t_k, ..., t_1]``; equations are its elements, and
        ``alpha``, ``beta``, ``risk`` elements of its fraction field.
    equations : tuple of PolyElement
        Continuity at ``t_1 .. t_k``, then the slope rule (numerators).
    alpha, beta : tuple of FracElement
        ``l_i(x) = alpha_i + beta_i (x - P_i)`` on the kink intervals.
    risk : FracElement
        The risk at a stationary point.
    points : tuple
        ``(a, t_1, ..., t_k, b)`` (symbols and rationals).
    """

    family: tuple
    cell: tuple
    t: tuple
    gens: tuple
    ring: Any
    equations: tuple
    alpha: tuple
    beta: tuple
    risk: Any
    points: tuple

    def linear_parameters(self) -> dict:
        """``c``, ``slope`` and ``u_j`` as rational functions (fraction-field elements).

        Examples
        --------
        >>> from .piecewise import parse_target, uniform_density
        >>> s = kink_system((0, (), True), (), parse_target("x**2"), uniform_density((0, 1)))
        >>> {k: str(v) for k, v in s.linear_parameters().items()}
        {'c': '-1/6', 'slope': '1', 'u': '()'}
        """
        k, sides, free = self.family
        K = self.alpha[0].field
        a = K(self.points[0])
        u = tuple(self.beta[j + 1] - self.beta[j] for j in range(k))
        if free:
            return {"c": self.alpha[0] - self.beta[0] * a, "slope": self.beta[0], "u": u}
        c = self.alpha[0]
        for uj, tj, sj in zip(u, self.t, sides):
            if sj < 0:
                c = c - uj * (K(tj) - a)
        return {"c": c, "slope": K(0), "u": u}


def fixed_points(target: PiecewisePolynomial, density: PiecewisePolynomial) -> list:
    """The merged breakpoints of target and density (the cells' boundaries).

    Examples
    --------
    >>> from .piecewise import parse_target, uniform_density
    >>> fixed_points(parse_target("Abs(x - 1/3)"), uniform_density((0, 1)))
    [0, 1/3, 1]
    """
    return sorted(set(target.breaks) | set(density.breaks))


def _antiderivatives(q, r_max, dom=sympy.QQ):
    """Coefficients (of ``dom``, highest first) of ``Q_s`` with ``Q_s' = x^s q(x)``,
    ``s = 0..r_max``."""
    return [[dom.from_sympy(c) for c in
             sympy.Poly(X ** s * q, X, domain="QQ").integrate().all_coeffs()]
            for s in range(r_max + 1)]


def _horner(coeffs, v):
    out = v * 0
    for c in coeffs:
        out = out * v + c
    return out


def _moment(anti, lo, hi, P, r):
    """``int_lo^hi q(x) (x - P)^r dx`` from the antiderivatives of ``x^s q`` (binomial)."""
    tot = lo * 0
    for s_ in range(r + 1):
        shift = (-P) ** (r - s_) if r > s_ else lo * 0 + 1      # (ring 0**0 is an error)
        tot += comb(r, s_) * shift * (_horner(anti[s_], hi) - _horner(anti[s_], lo))
    return tot


def kink_system(family: tuple, cell: Sequence[int], target: PiecewisePolynomial,
                density: PiecewisePolynomial) -> KinkSystem:
    """Build the kink equations of ``family`` on ``cell`` (see the module docstring).

    Parameters
    ----------
    family : tuple
        ``(k, sides, free)`` as in :func:`symadam.existence.relu_exact.families`.
    cell : sequence of int
        Nondecreasing interval indices, one per kink.
    target, density : PiecewisePolynomial
        On the same domain; the density must not vanish on any interval.

    Examples
    --------
    >>> from .piecewise import parse_target, uniform_density
    >>> s = kink_system((2, (1, 1), True), (0, 0), parse_target("x**2"),
    ...                 uniform_density((0, 1)))
    >>> [sympy.factor(e.as_expr()) for e in s.equations]
    [-t2*(2*t1 - t2), -(t1 - 1)*(t1 - 2*t2 + 1)]
    """
    k, sides, free = family
    fixed = fixed_points(target, density)
    if len(cell) != k or list(cell) != sorted(cell) or \
            any(not 0 <= o < len(fixed) - 1 for o in cell):
        raise ValueError("cell must give one nondecreasing interval index per kink")
    t = sympy.symbols(f"t1:{k + 1}", real=True) if k else ()
    gens = tuple(reversed(t)) if free else (DELTA, *reversed(t))
    K, *kg = sympy.field(list(gens) or [DELTA], sympy.QQ)
    sym = dict(zip(gens, kg))
    Rg = K.ring                  # moments are polynomials: ring arithmetic (no gcds)
    rsym = dict(zip(gens, Rg.gens))
    a, b = target.domain
    P = (K(a), *[sym[tj] for tj in t], K(b))
    Pr = (Rg(a), *[rsym[tj] for tj in t], Rg(b))
    where = (0, *cell, len(fixed) - 2)          # fixed interval holding each point
    lam = [K(0)] * (k + 2) if free else \
        [sym[DELTA]] + [sym[DELTA] if sd < 0 else K(0) for sd in sides] + [K(0)]
    cache: dict = {}

    def anti(q, what):
        if (q, what) not in cache:
            tp = density.pieces[density.piece_index(fixed[q])]
            fq = target.pieces[target.piece_index(fixed[q])]
            cache[(q, what)] = _antiderivatives({"p": tp, "pf": tp * fq, "pff": tp * fq ** 2}
                                                [what], 2, Rg.domain)
        return cache[(q, what)]

    alpha, beta, risk_r, risk_terms = [], [], Rg(0), []
    for i in range(k + 1):
        lo, hi, oi, oj = Pr[i], Pr[i + 1], where[i], where[i + 1]
        subs = [(lo, hi, oi)] if oi == oj else \
            [(lo, Rg(fixed[oi + 1]), oi)] + \
            [(Rg(fixed[q]), Rg(fixed[q + 1]), q) for q in range(oi + 1, oj)] + \
            [(Rg(fixed[oj]), hi, oj)]
        mr, Fr = [Rg(0)] * 3, [Rg(0)] * 2
        for s_lo, s_hi, q in subs:
            mr = [mr[r] + _moment(anti(q, "p"), s_lo, s_hi, Pr[i], r) for r in range(3)]
            Fr = [Fr[r] + _moment(anti(q, "pf"), s_lo, s_hi, Pr[i], r) for r in range(2)]
            risk_r += _moment(anti(q, "pff"), s_lo, s_hi, Pr[i], 0)
        m, F = [K(v) for v in mr], [K(v) for v in Fr]
        G = m[0] * m[2] - m[1] ** 2
        F1 = F[1] + lam[i] - lam[i + 1]
        alpha.append((m[2] * F[0] - m[1] * F1) / G)
        beta.append((m[0] * F1 - m[1] * F[0]) / G)
        risk_terms.append(alpha[-1] * F[0] + beta[-1] * F[1])
    risk = K(risk_r)
    for term in risk_terms:
        risk -= term
    eqs = [(alpha[j - 1] + beta[j - 1] * (P[j] - P[j - 1]) - alpha[j]).numer
           for j in range(1, k + 1)]
    if not free:
        rule = beta[0]
        for j in range(k):
            if sides[j] < 0:
                rule = rule + beta[j + 1] - beta[j]
        eqs.append(rule.numer)
    return KinkSystem(family, tuple(cell), t, gens, K.ring, tuple(eqs), tuple(alpha),
                      tuple(beta), risk, (a, *t, b))
