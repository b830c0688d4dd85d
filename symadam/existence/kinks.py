"""Shallow 1-D ReLU networks in kink form and their exact cell risks (sympy only).

Built on the targets and densities of :mod:`symadam.existence.piecewise`;
see that module for the setting.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy
from sympy.polys.polyerrors import CoercionFailed, GeneratorsError

from .piecewise import PiecewisePolynomial, X, _defint, uniform_density

__all__ = ["KinkNetwork", "cell_risk", "risk_of_kinks"]


@dataclass(frozen=True)
class KinkNetwork:
    """A shallow 1-D ReLU network in kink form on ``[a, b]``.

    ``N(x) = c + slope * x + sum_j u_j relu(s_j (x - t_j))``; ``slope`` is the
    free affine part (from neurons with kinks outside ``(a, b)``, or an affine
    skip connection), ``s_j`` in ``{+1, -1}``.

    Examples
    --------
    >>> from sympy import Rational
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
        """The linear polynomial on an interval; ``left_of[j]`` says the interval lies left of t_j.

        Examples
        --------
        >>> from sympy import Rational
        >>> n = KinkNetwork(c=0, slope=0, u=(1, 1), s=(1, -1), t=(Rational(1, 2),) * 2)
        >>> n.piece([True, True])
        1/2 - x
        """
        val = self.c + self.slope * X
        for uj, sj, tj, lft in zip(self.u, self.s, self.t, left_of):
            active = (sj < 0) if lft else (sj > 0)
            if active:
                val += uj * sj * (X - tj)
        return val

    def expr(self) -> sympy.Expr:
        """The network as a sympy expression in ``x`` (with ``Max``).

        Examples
        --------
        >>> from sympy import Rational
        >>> KinkNetwork(c=1, slope=0, u=(2,), s=(1,), t=(Rational(1, 2),)).expr()
        2*Max(0, x - 1/2) + 1
        """
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
    >>> from symadam.existence.piecewise import parse_target
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
    parts = []
    for (lo, fi, nk), (hi, _, _) in zip(seq[:-1], seq[1:]):
        ti = target.piece_index(fixed[fi])
        di = density.piece_index(fixed[fi])
        left_of = [j >= nk for j in range(k)]
        parts.append((net.piece(left_of) - target.pieces[ti], density.pieces[di], lo, hi))
    fast = _ring_risk(parts)
    if fast is not None:
        return fast
    total = sympy.Integer(0)
    for e, p, lo, hi in parts:
        total += _defint(sympy.expand(e ** 2 * p), lo, hi)
    return sympy.expand(total)


def _ring_risk(parts) -> sympy.Expr | None:
    """``sum int_lo^hi e^2 p dx`` over ``parts`` in ``QQ[symbols, x]``; None if some
    entry is not a polynomial with rational coefficients (e.g. a surd)."""
    syms = set()
    for part in parts:
        for v in part:
            syms |= sympy.sympify(v).free_symbols
    syms.discard(X)
    ring, *gens = sympy.ring([*sorted(syms, key=str), X], sympy.QQ)
    ix = len(gens) - 1
    try:
        conv = [[ring(v) for v in part] for part in parts]
    except (CoercionFailed, GeneratorsError, ValueError):
        return None
    total = ring.zero
    for e, p, lo, hi in conv:
        g = e ** 2 * p
        anti = ring.zero
        for mono, c in g.terms():                    # antiderivative in x
            n = mono[ix]
            anti += ring({mono[:ix] + (n + 1,) + mono[ix + 1:]: c / (n + 1)})
        total += anti.compose(gens[ix], hi) - anti.compose(gens[ix], lo)
    return total.as_expr()


def risk_of_kinks(net: KinkNetwork, target: PiecewisePolynomial,
                  density: PiecewisePolynomial | None = None) -> sympy.Expr:
    """Exact risk of a concrete network (numeric kinks) in kink form.

    Kinks outside ``[a, b]`` are folded into the affine part first.

    Examples
    --------
    >>> from sympy import Rational
    >>> from symadam.existence.piecewise import parse_target
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
