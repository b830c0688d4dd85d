"""Derivations: ordered, printable records of an exact computation.

A :class:`Derivation` is what every exact (sympy) route
returns beside its result: a title, a list of steps (each a sentence plus an
optional sympy object) and a dictionary of named results.  It prints as LaTeX
(for papers and ``proofs/``) or Markdown (for reports and notebooks), and
renders itself in Jupyter.

All printing goes through :mod:`symadam.core.display` (one symbol-name table:
``eps`` is always :math:`\\varepsilon`, ``beta1`` :math:`\\beta_1`, ...; text is
escaped outside ``$...$``; string results are parsed as formulas, never pasted).
Only sympy is imported here (an exact route in the import contract).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy  # noqa: F401  (the doctests use it)

from .display import latex, latex_value, math_names, tex_preamble, tex_text

__all__ = ["Step", "Derivation"]


@dataclass(frozen=True)
class Step:
    """One step of a derivation: a sentence and, optionally, a displayed formula.

    Parameters
    ----------
    text : str
        A sentence; inline mathematics in ``$...$`` (text outside it is escaped
        for LaTeX when printed).
    expr : sympy object, LaTeX string, or None
        The formula displayed below the sentence (a string is taken as LaTeX).
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
        >>> Step("Adam's step.", sympy.Symbol("eps") / 2).latex()
        '\\\\frac{\\\\varepsilon}{2}'
        """
        if self.expr is None:
            return ""
        body = math_names(self.expr) if isinstance(self.expr, str) else latex(self.expr)
        return f"{math_names(self.lhs)} = {body}" if self.lhs else body


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

        Titles and sentences are escaped outside ``$...$``, formulas use the
        symbol table of :mod:`symadam.core.display`, and results are printed as
        mathematics (a string result is parsed as a formula, or set as text).
        With ``standalone=True`` a complete document that compiles with
        ``pdflatex`` (base packages only) is returned.

        Examples
        --------
        >>> d = Derivation("T"); d.add("x", sympy.Integer(2), "y")
        >>> "y = 2" in d.to_latex()
        True
        >>> d = Derivation("the kernel K_eps"); d.results["gd - nag (D^2)"] = sympy.Symbol("eps")
        >>> print(d.to_latex())
        \\section*{the kernel $K_{\\varepsilon}$}
        \\begin{enumerate}
        \\item[] (no steps)
        \\end{enumerate}
        \\paragraph{Results.}
        \\begin{align*}
          \\text{\\texttt{gd - nag (D\\^{}2)}} &= \\varepsilon
        \\end{align*}
        <BLANKLINE>
        """
        out = [f"\\section*{{{tex_text(self.title)}}}", "\\begin{enumerate}"]
        for s in self.steps:
            out.append(f"  \\item{{}} {tex_text(s.text)}")
            if s.expr is not None:
                out.append(f"  \\[ {s.latex()} \\]")
        if not self.steps:
            out.append("\\item[] (no steps)")
        out.append("\\end{enumerate}")
        if self.results:
            out.append("\\paragraph{Results.}")
            out.append("\\begin{align*}")
            rows = [f"  \\text{{\\texttt{{{tex_text(str(k), math=False)}}}}} &= {latex_value(v)}"
                    for k, v in self.results.items()]
            out.append(" \\\\\n".join(rows))
            out.append("\\end{align*}")
        body = "\n".join(out) + "\n"
        if not standalone:
            return body
        return tex_preamble() + "\\begin{document}\n" + body + "\\end{document}\n"

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
                out.append(f"- `{k}` = ${latex_value(v)}$")
        return "\n".join(out) + "\n"

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display: the Markdown of :meth:`to_markdown`.

        Examples
        --------
        >>> Derivation("T")._repr_markdown_().startswith("### T")
        True
        """
        return self.to_markdown()
