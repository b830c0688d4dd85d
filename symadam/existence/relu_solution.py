"""Result types of the exact ReLU minimizer: stationary points and the solution (sympy only).

Private to :mod:`symadam.existence.relu_exact` (which re-exports :class:`Candidate`
and :class:`ExactSolution`); the setting and notation are explained there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sympy

from ._numberfield import RealField
from .kink_system import KinkSystem
from .kinks import KinkNetwork, cell_risk
from .piecewise import PiecewisePolynomial

__all__ = ["Candidate", "ExactSolution", "RealizedCandidate"]


class Candidate:
    """A feasible stationary point: family, cell, exact network and exact risk.

    The point lives in a real number field; :attr:`network` and :attr:`risk`
    are its canonical exact forms (rationals, surds or ``CRootOf``).
    """

    def __init__(self, system: KinkSystem, fld: RealField, point: dict, risk_el):
        self.system, self.field, self.point, self.risk_element = system, fld, point, risk_el
        self.family, self.cell = system.family, system.cell
        self.risk_value = fld.value(risk_el, 40)

    def __repr__(self) -> str:
        return f"Candidate(family={self.family}, cell={self.cell}, risk={self.risk})"

    def _elements(self) -> dict:
        F, lp = self.field, self.system.linear_parameters()
        return {"c": F.evaluate_rational(lp["c"], self.point),
                "slope": F.evaluate_rational(lp["slope"], self.point),
                "u": [F.evaluate_rational(uj, self.point) for uj in lp["u"]],
                "t": [self.point[tj] for tj in self.system.t]}

    @cached_property
    def network(self) -> KinkNetwork:
        """The network in kink form (exact)."""
        F, el = self.field, self._elements()
        return KinkNetwork(F.canonical(el["c"]), F.canonical(el["slope"]),
                           tuple(F.canonical(v) for v in el["u"]), self.family[1],
                           tuple(F.canonical(v) for v in el["t"]))

    @cached_property
    def risk(self) -> sympy.Expr:
        """The exact risk."""
        return self.field.canonical(self.risk_element)

    def risk_float(self) -> float:
        """The risk as a float (from a rigorous 40-digit enclosure).

        Examples
        --------
        >>> from symadam.existence.relu_exact import exact_minimizer
        >>> exact_minimizer("x**2", 1).candidates[0].risk_float() == 4 / 3645
        True
        """
        return float(self.risk_value)

    def verify(self, target: PiecewisePolynomial, density: PiecewisePolynomial) -> None:
        """Exact re-check against the direct risk polynomial of the cell.

        All partial derivatives of ``int (N - f)^2 p`` (in ``c``, ``slope``
        if free, ``u_j``, ``t_j``) vanish at the point, and the risk equals
        :attr:`risk`, in exact number-field arithmetic; raises ``ArithmeticError``
        otherwise.
        """
        k, sides, free = self.family
        F, el = self.field, self._elements()
        c, sl = sympy.symbols("c slope")
        u = sympy.symbols(f"u1:{k + 1}") if k else ()
        t = sympy.symbols(f"t1:{k + 1}") if k else ()
        syms = [c] + ([sl] if free else []) + list(u) + list(t)
        ring = sympy.ring(syms, sympy.QQ)[0]            # exact polynomial ring arithmetic
        R = ring(cell_risk(KinkNetwork(c, sl if free else 0, u, sides, t), self.cell, target,
                           density))
        pt = {c: el["c"], sl: el["slope"], **dict(zip(u, el["u"])), **dict(zip(t, el["t"]))}
        for s, g in zip(syms, ring.gens):
            if not F.is_zero(F.evaluate(R.diff(g), pt)):
                raise ArithmeticError(f"not stationary in {s}: {self}")
        if not F.is_zero(F.evaluate(R, pt) - self.risk_element):
            raise ArithmeticError(f"risk mismatch: {self}")


@dataclass
class ExactSolution:
    """The global minimizer found by :func:`~symadam.existence.relu_exact.exact_minimizer`.

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
    bezout : int
        Total Bezout number of the factor branches solved.
    """

    network: KinkNetwork
    risk: Any
    candidates: list = field(default_factory=list)
    width: int = 1
    skip: bool = False
    target: PiecewisePolynomial | None = None
    density: PiecewisePolynomial | None = None
    cells: int = 0
    bezout: int = 0

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display: the exact minimum, the minimizer and its kinks.

        Examples
        --------
        >>> from symadam.existence.relu_exact import exact_minimizer
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
        >>> from symadam.existence.relu_exact import exact_minimizer
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


class RealizedCandidate:
    """The exact realization of a piecewise linear target (risk 0)."""

    def __init__(self, family, network):
        self.family, self.cell, self.network = family, (), network
        self.risk = sympy.Integer(0)

    def risk_float(self) -> float:
        return 0.0
