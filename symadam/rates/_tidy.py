"""Canonical short forms for the rate engine's results (private; sympy only, no ``simplify``)."""
from __future__ import annotations

from typing import Any

import sympy

from .methods._base import KAPPA, MU, L

__all__ = ["tidy", "in_L_mu"]


def tidy(expr: Any, var: sympy.Symbol = KAPPA) -> sympy.Expr:
    """A short canonical form of an expression in ``var`` with square roots.

    If every radical is ``sqrt(a*var + b)`` for one linear ``a*var + b``, the
    expression is rewritten in ``s = sqrt(a*var + b)``, cancelled as a rational
    function of ``s`` and written back; otherwise the shortest of
    ``cancel``/``factor``/``radsimp`` is returned.  Deterministic, no ``simplify``.

    Examples
    --------
    >>> k = KAPPA
    >>> tidy((k + 1 - 2*sympy.sqrt(k)) / (k - 1))
    (sqrt(kappa) - 1)/(sqrt(kappa) + 1)
    """
    e = sympy.sympify(expr)
    rads = {p.base for p in e.atoms(sympy.Pow)
            if p.exp.is_Rational and p.exp.q == 2 and p.base.has(var)}
    cands = [sympy.cancel(e), sympy.factor(e), sympy.radsimp(sympy.cancel(e))]
    if len(rads) == 1:
        base = rads.pop()
        if sympy.degree(base, var) == 1:
            s = sympy.Dummy("s", positive=True)
            a, b = sympy.Poly(base, var).all_coeffs()
            inv = (s**2 - b) / a
            es = e.subs(var, inv)
            es = es.replace(lambda x: x.is_Pow and x.exp.is_Rational and x.exp.q == 2,
                            lambda x: sympy.powdenest(sympy.factor(x.base) ** x.exp, force=True))
            r = sympy.factor(sympy.cancel(es))
            half = [q for q in r.atoms(sympy.Pow)
                    if q.base.has(s) and q.exp.is_Rational and q.exp.q != 1]
            if not half and r.free_symbols <= {s} | (e.free_symbols - {var}):
                cands.insert(0, r.subs(s, sympy.sqrt(base)))
    return min(cands, key=lambda x: (sympy.count_ops(x), len(str(x))))


def in_L_mu(expr: Any, scale: int) -> sympy.Expr:
    """``mu**scale * expr(kappa = L/mu)``, kept in the shape of the tidy form in ``kappa``.

    Examples
    --------
    >>> in_L_mu(4 / (sympy.sqrt(KAPPA) + 1)**2, -1)
    4/(sqrt(L) + sqrt(mu))**2
    """
    e = sympy.sympify(expr).subs(KAPPA, L / MU) * MU**scale
    return sympy.factor(sympy.together(e))
