"""Exact population risk of shallow 1-D ReLU networks (sympy only).

Setting (MATH.md section 4, arXiv 2303.03950): inputs ``X`` on ``[a, b]`` with a
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
``Piecewise``, ``Heaviside`` allowed) into one; :func:`cell_risk` builds the
risk polynomial of a cell; :func:`risk_of_kinks` evaluates the exact risk of
a concrete network in kink form.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy
from sympy import Rational

__all__ = ["X", "PiecewisePolynomial", "uniform_density", "parse_target",
           "KinkNetwork", "cell_risk", "risk_of_kinks"]

#: The input variable of targets and densities.
X = sympy.Symbol("x", real=True)


def _rat(name: str, v: Any) -> sympy.Rational:
    r = sympy.nsimplify(v, rational=True) if not isinstance(v, sympy.Basic) else v
    r = sympy.sympify(r)
    if not r.is_Rational:
        raise ValueError(f"{name} must be a rational number, got {v!r}")
    return r


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
        """``(a, b)``."""
        return self.breaks[0], self.breaks[-1]

    @property
    def interior_breaks(self) -> tuple:
        """The breakpoints strictly inside ``(a, b)``."""
        return self.breaks[1:-1]

    def piece_index(self, x0) -> int:
        """Index of the piece containing ``x0`` (left-closed; the last piece is closed)."""
        for i in range(len(self.pieces)):
            if x0 < self.breaks[i + 1]:
                return i
        return len(self.pieces) - 1

    def __call__(self, x0):
        return sympy.expand(self.pieces[self.piece_index(x0)].subs(X, x0))

    def is_continuous(self) -> bool:
        """Exact continuity at every interior breakpoint."""
        return all(sympy.expand(self.pieces[i].subs(X, p) - self.pieces[i + 1].subs(X, p)) == 0
                   for i, p in enumerate(self.interior_breaks))

    def integral(self) -> sympy.Expr:
        """``int_a^b`` of the function (exact).

        Examples
        --------
        >>> uniform_density((0, 2)).integral()
        1
        """
        return sum((_defint(q, l, r) for q, l, r in
                    zip(self.pieces, self.breaks[:-1], self.breaks[1:])), sympy.Integer(0))

    def as_piecewise(self) -> sympy.Expr:
        """A sympy ``Piecewise`` (for display)."""
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
    if isinstance(expr, str):
        try:
            e = sympy.sympify(expr, locals={"x": X}, rational=True)
        except (sympy.SympifyError, SyntaxError, TypeError) as exc:
            raise ValueError(f"target must be a sympy expression in x, got {expr!r}") from exc
    else:
        e = sympy.sympify(expr).subs(sympy.Symbol("x"), X)
    if not isinstance(e, sympy.Expr):
        raise ValueError(f"target must be an expression in x, got {expr!r}")
    if e.free_symbols - {X}:
        raise ValueError(f"target must depend on x only, got symbols {e.free_symbols - {X}}")
    e = sympy.piecewise_fold(e.rewrite(sympy.Piecewise))
    rels = e.atoms(sympy.core.relational.Relational)
    cuts = set()
    for rel in rels:
        cuts |= _relational_roots(rel, a, b)
    breaks = tuple([a] + sorted(cuts) + [b])
    pieces = []
    for l, r in zip(breaks[:-1], breaks[1:]):
        mid = (l + r) / 2
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


@dataclass(frozen=True)
class KinkNetwork:
    """A shallow 1-D ReLU network in kink form on ``[a, b]``.

    ``N(x) = c + slope * x + sum_j u_j relu(s_j (x - t_j))``; ``slope`` is the
    free affine part (from neurons with kinks outside ``(a, b)``, or an affine
    skip connection), ``s_j`` in ``{+1, -1}``.

    Examples
    --------
    >>> n = KinkNetwork(c=0, slope=0, u=(1, 1), s=(1, -1), t=(Rational(1, 2),) * 2)
    >>> n(Rational(0))        # |x - 1/2| at 0
    1/2
    """

    c: Any
    slope: Any
    u: tuple
    s: tuple
    t: tuple

    def __call__(self, x0):
        val = self.c + self.slope * x0
        for uj, sj, tj in zip(self.u, self.s, self.t):
            val += uj * sympy.Max(0, sj * (x0 - tj))
        return sympy.expand(val)

    def piece(self, left_of: Sequence[bool]) -> sympy.Expr:
        """The linear polynomial on an interval; ``left_of[j]`` says the interval lies left of t_j."""
        val = self.c + self.slope * X
        for uj, sj, tj, lft in zip(self.u, self.s, self.t, left_of):
            active = (sj < 0) if lft else (sj > 0)
            if active:
                val += uj * sj * (X - tj)
        return val

    def expr(self) -> sympy.Expr:
        """The network as a sympy expression in ``x`` (with ``Max``)."""
        return self.c + self.slope * X + sum(
            (uj * sympy.Max(0, sj * (X - tj)) for uj, sj, tj in zip(self.u, self.s, self.t)),
            sympy.Integer(0))


def cell_risk(net: KinkNetwork, order: Sequence, target: PiecewisePolynomial,
              density: PiecewisePolynomial | None = None) -> sympy.Expr:
    """Risk polynomial of ``net`` on a cell: the kinks' places among the breakpoints.

    Parameters
    ----------
    net : KinkNetwork
        Entries may be symbols.
    order : sequence of int
        ``order[j]`` = index of the merged breakpoint interval (of target and
        density breakpoints) containing ``t_j``; kinks are assumed sorted,
        ``t_0 <= t_1 <= ...``, and inside ``[a, b]``.
    target, density : PiecewisePolynomial
        ``density`` defaults to uniform on the target's domain.

    Returns
    -------
    sympy.Expr
        ``int_a^b (N - f)^2 p dx``, a polynomial in the network's symbols.

    Examples
    --------
    >>> t, u, c = sympy.symbols("t u c")
    >>> f = parse_target("x", (0, 1))
    >>> R = cell_risk(KinkNetwork(c, 0, (u,), (1,), (t,)), [0], f)
    >>> sympy.factor(R.subs({c: 0, u: 1}))
    -t**2*(2*t - 3)/3
    """
    density = density or uniform_density(target.domain)
    if density.domain != target.domain:
        raise ValueError("density and target must live on the same domain")
    fixed = sorted(set(target.breaks) | set(density.breaks))
    k = len(net.t)
    if len(order) != k or list(order) != sorted(order) or \
            any(not 0 <= o < len(fixed) - 1 for o in order):
        raise ValueError("order must give one nondecreasing interval index per kink")
    seq = []                       # (position, fixed interval index, kinks at or left of it)
    done = 0
    for i, p in enumerate(fixed):
        seq.append((p, min(i, len(fixed) - 2), done))
        for j in range(k):
            if order[j] == i:
                done += 1
                seq.append((net.t[j], i, done))
    total = sympy.Integer(0)
    for (lo, fi, nk), (hi, _, _) in zip(seq[:-1], seq[1:]):
        ti = target.piece_index(fixed[fi])
        di = density.piece_index(fixed[fi])
        left_of = [j >= nk for j in range(k)]
        e = net.piece(left_of) - target.pieces[ti]
        total += _defint(sympy.expand(e ** 2 * density.pieces[di]), lo, hi)
    return sympy.expand(total)


def risk_of_kinks(net: KinkNetwork, target: PiecewisePolynomial,
                  density: PiecewisePolynomial | None = None) -> sympy.Expr:
    """Exact risk of a concrete network (numeric kinks) in kink form.

    Kinks outside ``[a, b]`` are folded into the affine part first.

    Examples
    --------
    >>> f = parse_target("Abs(x - 1/2)", (0, 1))
    >>> risk_of_kinks(KinkNetwork(0, 0, (1, 1), (1, -1), (Rational(1, 2),) * 2), f)
    0
    >>> risk_of_kinks(KinkNetwork(Rational(1, 4), 0, (), (), ()), f)
    1/48
    """
    a, b = target.domain
    density = density or uniform_density(target.domain)
    c, slope = sympy.sympify(net.c), sympy.sympify(net.slope)
    us, ss, ts = [], [], []
    for uj, sj, tj in zip(net.u, net.s, net.t):
        tj = sympy.sympify(tj)
        if tj <= a or tj >= b:
            on = (sj > 0) == (tj <= a)   # active on the whole domain
            if on:
                slope += uj * sj
                c -= uj * sj * tj
            continue
        us.append(uj), ss.append(sj), ts.append(tj)
    idx = sorted(range(len(ts)), key=lambda j: ts[j])
    us, ss, ts = [us[j] for j in idx], [ss[j] for j in idx], [ts[j] for j in idx]
    fixed = sorted(set(target.breaks) | set(density.breaks))
    order = [max(i for i, p in enumerate(fixed[:-1]) if p <= tj) for tj in ts]
    return cell_risk(KinkNetwork(c, slope, tuple(us), tuple(ss), tuple(ts)), order, target,
                     density)
