"""Piecewise polynomial targets and densities for the exact ReLU population risk (sympy only).

Setting (docs/conventions.md, arXiv 2303.03950): inputs ``X`` on ``[a, b]`` with a
piecewise polynomial density ``p`` (default uniform), a piecewise polynomial
target ``f``, and a shallow ReLU network ``N(x) = c + sum_j v_j relu(w_j x + b_j)``.
On ``[a, b]`` every neuron with ``w_j != 0`` is ``u_j relu(s_j (x - t_j))`` with
*kink* ``t_j = -b_j / w_j``, *side* ``s_j = sign(w_j)`` and *slope*
``u_j = v_j |w_j|`` (ReLU homogeneity); a neuron whose kink lies outside
``(a, b)`` is affine or zero there.  Hence on ``[a, b]`` the network is a
continuous piecewise linear function and, once the *order* of the kinks among
the target's breakpoints is fixed (a *cell*), the risk
``R = int_a^b (N - f)^2 p dx`` is a **polynomial** in ``(c, slope, u, t)``.

:class:`PiecewisePolynomial` holds targets and densities;
:func:`parse_target` turns a sympy expression (``Abs``, ``Max``, ``Min``,
``Piecewise``, ``Heaviside`` allowed) into one.  The networks in kink form,
:func:`~symadam.existence.kinks.cell_risk` (the risk polynomial of a cell) and
:func:`~symadam.existence.kinks.risk_of_kinks` live in :mod:`symadam.existence.kinks`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import sympy

from ..core.expr import parse_expression, to_rational

__all__ = ["X", "PiecewisePolynomial", "uniform_density", "parse_target", "MAX_DEGREE"]

#: The input variable of targets and densities.
X = sympy.Symbol("x", real=True)
#: Largest polynomial degree :func:`parse_target` accepts (a bound computed before
#: anything is expanded: ``(x**100)**100`` is refused at once, not after expanding).
MAX_DEGREE = 40


def _rat(name: str, v: Any) -> sympy.Rational:
    return to_rational(v, name)


def degree_bound(e: sympy.Basic) -> int:
    """An upper bound of the degree in :data:`X` of every polynomial branch of ``e``.

    Computed on the expression tree without expanding anything (sums: max;
    products: sum; integer powers: multiple; ``Abs``, ``Max``, ``Min``,
    ``Piecewise`` branches: max; ``Heaviside``, ``sign``: 0).  Anything else
    containing ``x`` (``sin(x)``, ``x**(1/2)``) gets ``0`` here: it is refused
    later as not piecewise polynomial.

    Examples
    --------
    >>> degree_bound(parse_target("x**2").pieces[0])
    2
    >>> degree_bound(((X**3 + 1)**4 * X) + sympy.Abs(X - 1)**2)
    13
    """
    if not e.has(X):
        return 0
    if e == X:
        return 1
    if isinstance(e, sympy.Add) or isinstance(e, (sympy.Abs, sympy.Max, sympy.Min)):
        return max(degree_bound(a) for a in e.args)
    if isinstance(e, sympy.Mul):
        return sum(degree_bound(a) for a in e.args)
    if isinstance(e, sympy.Pow):
        n = e.exp
        if n.is_Integer and n > 0:
            return int(n) * degree_bound(e.base)
        return 0
    if isinstance(e, sympy.Piecewise):
        return max(degree_bound(q) for q, _ in e.args)
    return 0


@dataclass(frozen=True)
class PiecewisePolynomial:
    """A function given by polynomials in :data:`X` between rational breakpoints.

    Parameters
    ----------
    breaks : tuple of Rational
        ``a = x_0 < x_1 < ... < x_k = b``.
    pieces : tuple of sympy expressions
        ``k`` polynomials in ``x`` (rational coefficients); piece ``i`` on
        ``[x_i, x_{i+1}]``.

    Examples
    --------
    >>> from sympy import Rational
    >>> f = parse_target("Abs(x - 1/2)", (0, 1))
    >>> f.breaks
    (0, 1/2, 1)
    >>> f.is_continuous()
    True
    >>> f(Rational(1, 4))
    1/4
    """

    breaks: tuple
    pieces: tuple

    def __post_init__(self):
        if len(self.pieces) != len(self.breaks) - 1 or len(self.pieces) < 1:
            raise ValueError("pieces must have one polynomial per interval between breaks")
        if any(not (self.breaks[i] < self.breaks[i + 1]) for i in range(len(self.pieces))):
            raise ValueError("breaks must be strictly increasing")

    @property
    def domain(self) -> tuple:
        """``(a, b)``.

        Examples
        --------
        >>> parse_target("x**2", (-1, 2)).domain
        (-1, 2)
        """
        return self.breaks[0], self.breaks[-1]

    @property
    def interior_breaks(self) -> tuple:
        """The breakpoints strictly inside ``(a, b)``.

        Examples
        --------
        >>> parse_target("Abs(x - 1/3)").interior_breaks
        (1/3,)
        """
        return self.breaks[1:-1]

    def piece_index(self, x0) -> int:
        """Index of the piece containing ``x0`` (left-closed; the last piece is closed).

        Examples
        --------
        >>> from sympy import Rational
        >>> f = parse_target("Abs(x - 1/2)")
        >>> f.piece_index(Rational(1, 2)), f.piece_index(1)
        (1, 1)
        """
        for i in range(len(self.pieces)):
            if x0 < self.breaks[i + 1]:
                return i
        return len(self.pieces) - 1

    def __call__(self, x0):
        return sympy.expand(self.pieces[self.piece_index(x0)].subs(X, x0))

    def is_continuous(self) -> bool:
        """Exact continuity at every interior breakpoint.

        Examples
        --------
        >>> from sympy import Rational
        >>> PiecewisePolynomial((0, Rational(1, 2), 1), (X, X + 1)).is_continuous()
        False
        """
        return all(sympy.expand(self.pieces[i].subs(X, p) - self.pieces[i + 1].subs(X, p)) == 0
                   for i, p in enumerate(self.interior_breaks))

    def integral(self) -> sympy.Expr:
        """``int_a^b`` of the function (exact).

        Examples
        --------
        >>> uniform_density((0, 2)).integral()
        1
        """
        return sum((_defint(q, left, right) for q, left, right in
                    zip(self.pieces, self.breaks[:-1], self.breaks[1:])), sympy.Integer(0))

    def as_piecewise(self) -> sympy.Expr:
        """A sympy ``Piecewise`` (for display).

        Examples
        --------
        >>> parse_target("Abs(x - 1/2)").as_piecewise()
        Piecewise((1/2 - x, x <= 1/2), (x - 1/2, True))
        """
        args = [(q, X <= r) for q, r in zip(self.pieces[:-1], self.breaks[1:-1])]
        return sympy.Piecewise(*args, (self.pieces[-1], True))


def _defint(poly_expr, lo, hi):
    """``int_lo^hi poly dx`` through the antiderivative (lo, hi may be symbolic)."""
    P = sympy.Poly(poly_expr, X)
    F = P.integrate()
    return F.as_expr().subs(X, hi) - F.as_expr().subs(X, lo)


def uniform_density(domain: Sequence) -> PiecewisePolynomial:
    """The uniform density ``1/(b - a)`` on ``[a, b]``.

    Examples
    --------
    >>> uniform_density((0, 4)).pieces
    (1/4,)
    """
    a, b = _domain(domain)
    return PiecewisePolynomial((a, b), (1 / (b - a),))


def _domain(domain: Sequence) -> tuple:
    try:
        a, b = domain
    except (TypeError, ValueError):
        raise ValueError(f"domain must be a pair (a, b), got {domain!r}") from None
    a, b = _rat("domain", a), _rat("domain", b)
    if not a < b:
        raise ValueError(f"domain must satisfy a < b, got ({a}, {b})")
    return a, b


def _relational_roots(rel, a, b) -> set:
    d = sympy.expand(rel.lhs - rel.rhs)
    if not d.has(X):
        return set()
    try:
        P = sympy.Poly(d, X)
    except sympy.PolynomialError:
        raise ValueError(f"target conditions must be polynomial in x, got {rel}") from None
    if not all(c.is_Rational for c in P.all_coeffs()):
        raise ValueError(f"target conditions must have rational coefficients, got {rel}")
    out = set()
    for r in P.real_roots():
        if a < r < b:
            if not r.is_Rational:
                raise ValueError(f"target breakpoints must be rational, got {r}")
            out.add(r)
    return out


def parse_target(expr: Any, domain: Sequence = (0, 1), *,
                 continuous: bool = False) -> PiecewisePolynomial:
    """A target as a piecewise polynomial on ``domain``.

    Parameters
    ----------
    expr : str or sympy expression in ``x``
        Polynomial pieces combined with ``Abs``, ``Max``, ``Min``,
        ``Heaviside`` or ``Piecewise``; conditions polynomial in ``x`` with
        rational roots.
    domain : pair of rationals
    continuous : bool
        If True, a discontinuous target raises ``ValueError``.

    Raises
    ------
    ValueError
        If ``expr`` does not parse, is not piecewise polynomial, or is
        discontinuous while ``continuous`` is required.

    Examples
    --------
    >>> parse_target("x**2", (0, 1)).pieces
    (x**2,)
    >>> parse_target("Max(0, 1 - Abs(4*x - 2))", (0, 1)).breaks
    (0, 1/4, 1/2, 3/4, 1)
    >>> parse_target("Heaviside(x - 1/2)", continuous=True)
    Traceback (most recent call last):
    ...
    ValueError: target must be continuous on the domain; it jumps at x = 1/2
    >>> parse_target("sin(x)")
    Traceback (most recent call last):
    ...
    ValueError: target must be piecewise polynomial in x (rational coefficients), got sin(x)
    """
    a, b = _domain(domain)
    if isinstance(expr, str):   # user text: the safe parser, never sympify (it runs Python)
        e = parse_expression(expr, ("x",), name="target")
    elif isinstance(expr, sympy.Basic):
        e = expr.subs(sympy.Symbol("x"), X)
    elif isinstance(expr, (int, Fraction)) and not isinstance(expr, bool):
        e = sympy.Rational(expr)
    else:
        raise ValueError(f"target must be a string or a sympy expression in x, got "
                         f"{type(expr).__name__}")
    if not isinstance(e, sympy.Expr):
        raise ValueError(f"target must be an expression in x, got {expr!r}")
    if e.free_symbols - {X}:
        raise ValueError(f"target must depend on x only, got symbols {e.free_symbols - {X}}")
    deg = degree_bound(e)
    if deg > MAX_DEGREE:
        raise ValueError(f"target: polynomial degree up to {deg} exceeds the limit {MAX_DEGREE}")
    e = sympy.piecewise_fold(e.rewrite(sympy.Piecewise))
    rels = e.atoms(sympy.core.relational.Relational)
    cuts = set()
    for rel in rels:
        cuts |= _relational_roots(rel, a, b)
    breaks = tuple([a] + sorted(cuts) + [b])
    pieces = []
    for left, right in zip(breaks[:-1], breaks[1:]):
        mid = (left + right) / 2
        q = _branch_at(e, mid)
        if not _is_rational_poly(q):
            raise ValueError(f"target must be piecewise polynomial in x (rational "
                             f"coefficients), got {expr}")
        pieces.append(sympy.expand(q))
    # merge equal neighbouring pieces
    bk, pc = [breaks[0]], []
    for i, q in enumerate(pieces):
        if pc and sympy.expand(pc[-1] - q) == 0:
            bk[-1] = breaks[i + 1]
        else:
            pc.append(q)
            bk.append(breaks[i + 1])
    f = PiecewisePolynomial(tuple(bk), tuple(pc))
    if continuous:
        for i, p in enumerate(f.interior_breaks):
            if sympy.expand(f.pieces[i].subs(X, p) - f.pieces[i + 1].subs(X, p)) != 0:
                raise ValueError(f"target must be continuous on the domain; it jumps at x = {p}")
    return f


def _branch_at(e, mid):
    """The polynomial branch of a folded Piecewise that is active at ``mid``."""
    if isinstance(e, sympy.Piecewise):
        for q, cond in e.args:
            if bool(cond.subs(X, mid)):
                return _branch_at(q, mid)
        raise ValueError("target is undefined somewhere on the domain")
    return e


def _is_rational_poly(q) -> bool:
    try:
        P = sympy.Poly(q, X)
    except sympy.PolynomialError:
        return False
    return all(cf.is_Rational for cf in P.all_coeffs())

