"""What :func:`symadam.rates.engine.tune` returns: a tuning, piecewise in kappa (sympy only).

A :class:`Tuning` holds one :class:`TuningPiece` per kappa-interval on which one
active set is feasible, valid and optimal among the active sets, with exact
(algebraic) breakpoints; :meth:`Tuning.rate_at` and :meth:`Tuning.parameters_at`
pick the piece and refuse (:class:`NotProvenError`) outside every piece.  For a
single piece ``rate`` and ``parameters`` are its expressions; for several they
are ``Piecewise`` expressions in ``kappa`` (``L/mu``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy

from ..core.derivation import Derivation
from ..core.validate import ShortfallError
from .methods._base import KAPPA, MU
from .methods._base import L as L_SYM

__all__ = ["NotProvenError", "TuningPiece", "Tuning", "parse_kappa"]


class NotProvenError(ShortfallError, RuntimeError):
    """The engine cannot decide here: no derived piece covers the input (CLI exit 1).

    A :class:`~symadam.core.validate.ShortfallError` (not bad input), so every command
    prints the reason on one line and exits 1.

    Examples
    --------
    >>> issubclass(NotProvenError, ShortfallError), issubclass(NotProvenError, ValueError)
    (True, False)
    """


def parse_kappa(kappa: Any) -> sympy.Expr:
    """A condition number as an exact sympy number ``>= 1``: ``"7/3"``, ``"2.5"``, ``1e400``, 3.

    Text and floats go through :func:`symadam.core.expr.to_rational` (``0.1`` is ``1/10``;
    nothing is evaluated); exact sympy algebraic numbers (breakpoints) are taken as they are.

    Examples
    --------
    >>> parse_kappa("7/3"), parse_kappa(2.5), parse_kappa("1e400") > 10**399
    (7/3, 5/2, True)
    >>> parse_kappa("0.5")
    Traceback (most recent call last):
    ...
    ValueError: kappa must be >= 1 (condition number L/mu), got '0.5'
    """
    from ..core.expr import to_rational

    if isinstance(kappa, sympy.Basic) and not isinstance(kappa, (sympy.Rational, sympy.Float)):
        v = kappa                                   # an exact algebraic number (a breakpoint)
        if not (v.is_number and v.is_real and v.is_finite):
            raise ValueError(f"kappa must be a finite real number, got {kappa!r}")
    else:
        v = to_rational(kappa, "kappa")             # text is read, never evaluated
    if not bool(v >= 1):
        raise ValueError(f"kappa must be >= 1 (condition number L/mu), got {kappa!r}")
    return v


def _leq(a: Any, b: Any) -> bool:
    """``a <= b`` for exact real algebraic numbers (sympy decides, else 100 digits)."""
    if b == sympy.oo:
        return True
    d = sympy.sympify(b - a)
    if d.is_nonnegative is not None:
        return bool(d.is_nonnegative)
    return bool(sympy.N(d, 100) >= 0)  # pragma: no cover


@dataclass(frozen=True)
class TuningPiece:
    """One kappa-interval of a tuning: ``(kappa_from, kappa_to]`` (``[`` if ``closed_left``).

    Attributes
    ----------
    kappa_from, kappa_to : sympy.Expr
        Exact breakpoints (rationals, radicals or ``CRootOf``); ``kappa_to`` may be ``oo``.
    rate, parameters, parameters_kappa, active_set
        As in :class:`Tuning`, on this interval.

    Examples
    --------
    >>> p = TuningPiece(sympy.Integer(1), sympy.oo, True, KAPPA, {}, {}, "mu: r+, L: r-")
    >>> p.contains(sympy.Integer(1)), p.interval()
    (True, '[1, oo)')
    """

    kappa_from: Any
    kappa_to: Any
    closed_left: bool
    rate: sympy.Expr
    parameters: dict
    parameters_kappa: dict
    active_set: str

    def contains(self, kappa: Any) -> bool:
        """Whether the exact ``kappa`` lies in the piece."""
        k = parse_kappa(kappa)
        left = _leq(self.kappa_from, k) if self.closed_left else not _leq(k, self.kappa_from)
        return left and (self.kappa_to == sympy.oo or _leq(k, self.kappa_to))

    def interval(self) -> str:
        """The interval as text, e.g. ``(9, oo)``."""
        right = ")" if self.kappa_to == sympy.oo else "]"
        return f"{'[' if self.closed_left else '('}{self.kappa_from}, {self.kappa_to}{right}"

    def to_dict(self) -> dict:
        """``{"kappa_from", "kappa_to", "closed_left", "rate", "parameters", "active_set"}``
        as strings that ``sympy.sympify`` parses (``"oo"`` for infinity)."""
        return {"kappa_from": str(self.kappa_from), "kappa_to": str(self.kappa_to),
                "closed_left": bool(self.closed_left), "rate": str(self.rate),
                "parameters": {k: str(v) for k, v in self.parameters.items()},
                "active_set": self.active_set}


def piecewise(pieces: tuple, key: str, var: Any = KAPPA) -> Any:
    """The pieces' expressions (``key``: ``rate`` or a parameter name) as one expression.

    One piece: its expression; several: a ``Piecewise`` in ``var`` (``kappa`` or ``L/mu``).
    """
    def get(p):
        return p.rate if key == "rate" else (p.parameters if var is not KAPPA
                                             else p.parameters_kappa)[key]
    if len(pieces) == 1:
        return get(pieces[0])
    args = []
    for p in pieces:
        lo = (var >= p.kappa_from) if p.closed_left else (var > p.kappa_from)
        cond = lo if p.kappa_to == sympy.oo else sympy.And(lo, var <= p.kappa_to)
        args.append((get(p), cond))
    return sympy.Piecewise(*args)


@dataclass(frozen=True)
class Tuning:
    """The optimal constant tuning of a method on quadratics, as derived by ``tune``.

    Attributes
    ----------
    method : str
        Registry name.
    rate : sympy.Expr
        The optimal worst-case local rate, in ``kappa`` (and untuned parameters); a
        ``Piecewise`` in ``kappa`` if the optimum changes character.
    parameters : dict
        Tuned parameter name -> expression in ``L``, ``mu`` (and untuned parameters).
    parameters_kappa : dict
        The same at ``mu = 1, L = kappa``.
    active_set : str
        Which constraints are active at the optimum (see ``_active_set``); one per
        piece, with its interval, if there are several.
    charpoly : sympy.Expr
        The characteristic polynomial in ``z``, ``lambda`` and the parameters.
    derivation : Derivation
        The steps, printable as LaTeX / Markdown.
    untuned : dict
        Untuned parameter name -> its :class:`~symadam.rates.methods.Parameter`.
    pieces : tuple of TuningPiece
        The kappa-intervals and their tunings, in increasing kappa.
    gaps : tuple
        ``(kappa_from, kappa_to)`` intervals where no active set is feasible and valid
        (the engine refuses there).

    Examples
    --------
    >>> from symadam.rates.engine import tune
    >>> t = tune("heavy-ball")
    >>> t.active_set, t.parameters_kappa["beta"]
    ('mu: d+, L: d-', (sqrt(kappa) - 1)**2/(sqrt(kappa) + 1)**2)
    >>> [p.interval() for p in t.pieces]
    ['[1, oo)']
    """

    method: str
    rate: sympy.Expr
    parameters: dict
    parameters_kappa: dict
    active_set: str
    charpoly: sympy.Expr
    derivation: Derivation = field(compare=False)
    untuned: dict = field(default_factory=dict, compare=False)
    pieces: tuple = ()
    gaps: tuple = ()

    @property
    def breakpoints(self) -> list:
        """The exact kappa where the optimal active set changes.

        Examples
        --------
        >>> from symadam.rates.engine import tune
        >>> tune("gd").breakpoints
        []
        """
        return [p.kappa_to for p in self.pieces[:-1]]

    def piece_at(self, kappa: Any) -> TuningPiece:
        """The piece containing ``kappa`` (exact: ``"7/3"``, ``2.5``, a sympy number).

        Raises
        ------
        ValueError
            If ``kappa`` is not a real number ``>= 1``.
        NotProvenError
            If no derived piece contains it.

        Examples
        --------
        >>> from symadam.rates.engine import tune
        >>> tune("nesterov").piece_at("7/3").active_set
        'mu: d+, L: r-'
        """
        k = parse_kappa(kappa)
        for p in self.pieces:
            if p.contains(k):
                return p
        where = ", ".join(p.interval() for p in self.pieces) or "none"
        raise NotProvenError(f"{self.method}: kappa = {kappa} lies in no derived piece "
                             f"(pieces: {where}); the engine refuses to extrapolate")

    def rate_at(self, kappa: Any, dps: int = 50) -> sympy.Float:
        """The rate at ``kappa`` (exact input, e.g. ``"7/3"``), ``dps`` significant digits.

        Examples
        --------
        >>> from symadam.rates.engine import tune
        >>> tune("gd").rate_at(3, dps=20), tune("gd").rate_at("7/3", dps=15)
        (0.50000000000000000000, 0.400000000000000)
        """
        from ..core.validate import check_dps

        check_dps(dps)
        k = parse_kappa(kappa)
        return sympy.N(self.piece_at(k).rate.subs(KAPPA, k), dps)

    def parameters_at(self, L: Any, mu: Any, dps: int = 50, **untuned: Any) -> dict:
        """The tuned parameters at numeric ``L`` and ``mu`` (``dps`` digits), from the piece
        containing ``kappa = L/mu``; untuned parameters (e.g. Adam's ``eps``) by name.

        Raises
        ------
        ValueError
            If ``L <= 0``, ``mu <= 0``, ``mu > L``, a value is not finite, or an
            untuned parameter is missing, unknown or outside its domain.

        Examples
        --------
        >>> from symadam.rates.engine import tune
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
        Lx, mux = _exact(L), _exact(mu)
        if mux > Lx:  # exact: float() would merge mu = L + 1 with L for huge L
            raise ValueError(f"mu must be <= L (got mu={mu}, L={L})")
        piece = self.piece_at(Lx / mux)
        subs = {L_SYM: Lx, MU: mux}
        for name, v in untuned.items():
            if name not in self.untuned:
                raise ValueError(f"{name} is not an untuned parameter of {self.method} "
                                 f"(untuned: {', '.join(self.untuned) or 'none'})")
            self.untuned[name].check(v)
            subs.update({s: _exact(v) for e in piece.parameters.values()
                         for s in e.free_symbols if s.name == name})
        out = {}
        for name, e in piece.parameters.items():
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
        >>> from symadam.rates.engine import tune
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
        if len(self.pieces) > 1:
            rows += [("piece", f"text:$\\kappa \\in {'[' if p.closed_left else '('}"
                      f"{latex(p.kappa_from)}, {latex(p.kappa_to)}"
                      f"{')' if p.kappa_to == sympy.oo else ']'}$: {p.active_set}, "
                      f"$\\rho = {latex(p.rate)}$") for p in self.pieces]
        rows += [("active set", "text:" + self.active_set),
                 ("characteristic polynomial", f"text:${latex(self.charpoly)}$")]
        return markdown_rows(f"Optimal tuning of `{self.method}` on quadratics, "
                             "spectrum in $[\\mu, L]$, $\\kappa = L/\\mu$", rows,
                             note="The steps: `.derivation` (LaTeX: `.derivation.to_latex()`).")


def _exact(x: Any) -> sympy.Expr:
    """A number as an exact sympy rational (text read by ``to_rational``, never evaluated)."""
    from ..core.expr import to_rational

    if isinstance(x, sympy.Basic) and not isinstance(x, (sympy.Rational, sympy.Float)):
        return x
    return to_rational(x, "value")
