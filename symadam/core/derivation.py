"""Derivations: ordered, printable records of an exact computation.

A :class:`Derivation` is what every exact (sympy) route
returns beside its result: a title, a list of steps (each a sentence plus an
optional sympy object) and a dictionary of named results.  It prints as LaTeX
(for papers and ``proofs/``) or Markdown (for reports and notebooks), and
renders itself in Jupyter.

Only sympy is imported here (an exact route in the import contract).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy

__all__ = ["Step", "Derivation"]


@dataclass(frozen=True)
class Step:
    """One step of a derivation: a sentence and, optionally, a displayed formula.

    Parameters
    ----------
    text : str
        A sentence; inline mathematics in ``$...$``.
    expr : sympy object or None
        The formula displayed below the sentence.
    lhs : str or None
        LaTeX for a left-hand side; the display then reads ``lhs = expr``.

    Examples
    --------
    >>> Step("The step size.", sympy.Rational(1, 2), "h").lhs
    'h'
    """

    text: str
    expr: Any = None
    lhs: str | None = None

    def latex(self) -> str:
        """LaTeX of the displayed formula (empty string if there is none).

        Examples
        --------
        >>> import sympy
        >>> Step("The rate.", sympy.Rational(1, 2), r"\\rho").latex()
        '\\\\rho = \\\\frac{1}{2}'
        """
        if self.expr is None:
            return ""
        body = self.expr if isinstance(self.expr, str) else sympy.latex(self.expr)
        return f"{self.lhs} = {body}" if self.lhs else body


@dataclass
class Derivation:
    """An ordered derivation with named results.

    Parameters
    ----------
    title : str
        A short title, e.g. ``"Gradient descent: optimal constant step"``.
    steps : list of Step
        The steps in order.
    results : dict
        Named results (sympy objects), e.g. ``{"rate": ..., "h": ...}``.

    Examples
    --------
    >>> import sympy
    >>> k = sympy.Symbol("kappa", positive=True)
    >>> d = Derivation("Toy")
    >>> d.add("The rate is", (k - 1) / (k + 1), lhs=r"\\rho")
    >>> d.results["rate"] = (k - 1) / (k + 1)
    >>> print(d.to_markdown().splitlines()[0])
    ### Toy
    """

    title: str
    steps: list[Step] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    def add(self, text: str, expr: Any = None, lhs: str | None = None) -> None:
        """Append a step (see :class:`Step`).

        Examples
        --------
        >>> d = Derivation("T")
        >>> d.add("The step is", sympy.Integer(2) / 3, lhs="h")
        >>> d.steps[-1].expr
        2/3
        """
        self.steps.append(Step(text, expr, lhs))

    def extend(self, other: "Derivation", prefix: str = "") -> None:
        """Append all steps of ``other`` (optionally prefixing each sentence).

        Examples
        --------
        >>> a, b = Derivation("A"), Derivation("B")
        >>> b.add("one")
        >>> a.extend(b, prefix="B: ")
        >>> a.steps[0].text
        'B: one'
        """
        for s in other.steps:
            self.steps.append(Step(prefix + s.text, s.expr, s.lhs))

    def to_latex(self, standalone: bool = False) -> str:
        """The derivation as LaTeX: a ``\\section*`` and an enumerated list.

        With ``standalone=True`` a complete compilable document is returned.

        Examples
        --------
        >>> d = Derivation("T"); d.add("x", sympy.Integer(2), "y")
        >>> "y = 2" in d.to_latex()
        True
        """
        out = [f"\\section*{{{self.title}}}", "\\begin{enumerate}"]
        for s in self.steps:
            out.append(f"  \\item {s.text}")
            if s.expr is not None:
                out.append(f"  \\[ {s.latex()} \\]")
        out.append("\\end{enumerate}")
        if self.results:
            out.append("\\paragraph{Results.}")
            out.append("\\begin{align*}")
            rows = [f"  \\text{{{_tex_escape(k)}}} &= {_latex(v)}" for k, v in self.results.items()]
            out.append(" \\\\\n".join(rows))
            out.append("\\end{align*}")
        body = "\n".join(out) + "\n"
        if not standalone:
            return body
        return (
            "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n"
            "\\begin{document}\n" + body + "\\end{document}\n"
        )

    def to_markdown(self) -> str:
        """The derivation as Markdown with ``$$...$$`` displays.

        Examples
        --------
        >>> Derivation("T").to_markdown().strip()
        '### T'
        """
        out = [f"### {self.title}", ""]
        for i, s in enumerate(self.steps, 1):
            out.append(f"{i}. {s.text}")
            if s.expr is not None:
                out.append(f"   $$ {s.latex()} $$")
        if self.results:
            out.append("")
            out.append("**Results.**")
            for k, v in self.results.items():
                out.append(f"- `{k}` = ${_latex(v)}$")
        return "\n".join(out) + "\n"

    def _repr_markdown_(self) -> str:  # Jupyter
        return self.to_markdown()


def _latex(v: Any) -> str:
    if isinstance(v, str):
        return v
    return sympy.latex(sympy.sympify(v))


def _tex_escape(s: str) -> str:
    return s.replace("_", "\\_")
