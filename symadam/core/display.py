"""Printing mathematics: the one symbol-name table, the LaTeX printer, rich display helpers.

Every printer in symadam (:class:`~symadam.core.derivation.Derivation`, the
proof and report writers, the ``_repr_latex_`` / ``_repr_markdown_`` methods
of result objects) goes through this module, so a symbol prints the same way
everywhere: ``eps`` is :math:`\\varepsilon`, ``beta1`` is :math:`\\beta_1`,
``lr`` and ``gamma`` are :math:`\\gamma`, and so on (:data:`SYMBOL_LATEX`).

* :func:`latex` -- a sympy object as LaTeX, with the table applied;
* :func:`latex_value` -- anything a derivation stores as a result (sympy
  objects, numbers, tuples, and strings of Python-syntax formulas, which are
  parsed by the safe parser :func:`symadam.core.expr.parse_expression`, never
  evaluated) as LaTeX: no Python source reaches a formula;
* :func:`tex_text` -- a sentence with inline ``$...$`` mathematics, made safe
  for LaTeX text mode (``_``, ``^``, ``%``, ``&``, ``#`` escaped outside
  mathematics, mathematics left alone);
* :func:`number_str` -- a high-precision number with *all* its computed digits
  (an mpmath ``mpf`` is printed through its own context, so this module
  imports no mpmath);
* :func:`markdown_rows` -- the small Markdown tables result objects display
  in Jupyter.

Only sympy is imported here (an exact route in the import contract).
"""
from __future__ import annotations

import ast
import re
from typing import Any, Iterable, Mapping

import sympy
from sympy.printing.latex import LatexPrinter

__all__ = ["SYMBOL_LATEX", "SYMBOL_TEXT", "latex", "latex_value", "tex_text", "math_names",
           "number_str", "significant_digits", "evidence_markdown",
           "markdown_rows", "tex_preamble"]

#: Code name -> LaTeX, for every symbol whose name sympy would not print as the papers do.
#: The papers' letters: they write alpha for ``beta1`` and beta for ``beta2``; symadam
#: prints the code's names (``beta1`` as beta_1), see ``docs/conventions.md``.
SYMBOL_LATEX: dict[str, str] = {
    "eps": r"\varepsilon", "epsilon": r"\varepsilon", "varepsilon": r"\varepsilon",
    "beta1": r"\beta_1", "beta2": r"\beta_2", "beta_1": r"\beta_1", "beta_2": r"\beta_2",
    "gamma": r"\gamma", "lr": r"\gamma",
    "kappa": r"\kappa", "mu": r"\mu", "L": "L", "lam": r"\lambda", "lambda": r"\lambda",
    "theta": r"\theta", "theta_star": r"\theta^\ast", "vartheta": r"\vartheta",
    "rho": r"\rho", "sigma": r"\sigma", "alpha": r"\alpha", "beta": r"\beta", "h": "h",
    "kappa3": r"\kappa_3", "k3": r"k_3", "s2": r"s_2",
}

#: The same names in plain Unicode text (figure labels, one-line messages).
SYMBOL_TEXT: dict[str, str] = {
    "eps": "ε", "epsilon": "ε", "beta1": "β₁", "beta2": "β₂", "gamma": "γ", "lr": "γ",
    "kappa": "κ", "mu": "μ", "L": "L", "theta": "θ", "vartheta": "ϑ", "rho": "ρ",
    "lambda": "λ", "lam": "λ",
}


class _Printer(LatexPrinter):
    """sympy's LaTeX printer with :data:`SYMBOL_LATEX` applied to symbol names."""

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        name = expr.name
        if name in SYMBOL_LATEX:
            return SYMBOL_LATEX[name]
        m = re.fullmatch(r"([A-Za-z]+)_?(\d+)", name)   # eps0 -> \varepsilon_{0}
        if m and m.group(1) in SYMBOL_LATEX and "_" not in SYMBOL_LATEX[m.group(1)]:
            return f"{SYMBOL_LATEX[m.group(1)]}_{{{m.group(2)}}}"
        return super()._print_Symbol(expr, style=style)


def latex(expr: Any, **settings: Any) -> str:
    """LaTeX of a sympy object with the symbol table applied (sympy's ``latex`` otherwise).

    Examples
    --------
    >>> g, e, b1 = sympy.symbols("gamma eps beta1", positive=True)
    >>> latex(g * (1 - b1) / e)
    '\\\\frac{\\\\gamma \\\\left(1 - \\\\beta_1\\\\right)}{\\\\varepsilon}'
    >>> latex(sympy.Symbol("eps") ** 2)
    '\\\\varepsilon^{2}'
    """
    return _Printer(settings).doprint(sympy.sympify(expr))


def _parse_source(text: str) -> Any:
    """A Python-syntax formula (or a tuple of them) as sympy, via the safe parser; else None."""
    from .expr import parse_expression

    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None
    names = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})
    parts = tree.body.elts if isinstance(tree.body, ast.Tuple) else [tree.body]
    try:
        out = [parse_expression(ast.get_source_segment(text.strip(), p) or "", names,
                                name="formula") for p in parts]
    except ValueError:
        return None
    return tuple(out) if isinstance(tree.body, ast.Tuple) else out[0]


def latex_value(v: Any, digits: int | None = None) -> str:
    """LaTeX for a result value: sympy objects, numbers, sequences, or a formula string.

    A string that parses as a Python-syntax formula (``"gamma*(1 - beta1)/eps"``,
    or a tuple of formulas) is printed as mathematics; any other string is set
    as escaped text.  Numbers with more than float precision keep their digits
    (:func:`number_str`).

    Examples
    --------
    >>> print(latex_value("(gamma*(1 - beta1)/eps, beta1)"))
    \\left( \\frac{\\gamma \\left(1 - \\beta_1\\right)}{\\varepsilon}, \\  \\beta_1\\right)
    >>> latex_value("mu: d+, L: d-")
    '\\\\text{mu: d+, L: d-}'
    >>> latex_value(sympy.Rational(1, 3))
    '\\\\frac{1}{3}'
    """
    if isinstance(v, str):
        parsed = _parse_source(v)
        if parsed is None:
            return r"\text{" + tex_text(v, math=False) + "}"
        return latex(parsed)
    if hasattr(v, "_mpf_") or isinstance(v, sympy.Float):
        return number_str(v, digits)
    if isinstance(v, (list, tuple)):
        return r"\left(" + ", ".join(latex_value(x, digits) for x in v) + r"\right)"
    if isinstance(v, Mapping):
        return ", ".join(f"{latex_value(k)} = {latex_value(x, digits)}" for k, x in v.items())
    if isinstance(v, (bool, type(None))):
        return r"\text{" + str(v) + "}"
    try:
        return latex(v)
    except (sympy.SympifyError, TypeError, AttributeError):
        return r"\text{" + tex_text(str(v), math=False) + "}"


def significant_digits(x: Any, reference: Any, digits: int) -> int:
    """Correct significant digits of ``x``, given ``digits`` of ``reference`` (``|x| <= |ref|``).

    A difference ``x = reference - c`` loses the leading digits it cancels:
    ``digits - (exponent(reference) - exponent(x))`` (at least 1).

    Examples
    --------
    >>> significant_digits(0.0037, 0.096, 25)
    24
    """
    import math

    try:
        ex, er = (math.floor(math.log10(abs(float(v)))) for v in (x, reference))
    except (ValueError, OverflowError):
        return max(1, int(digits))
    return max(1, int(digits) - max(0, er - ex))


def number_str(x: Any, digits: int | None = None, strip: bool = False) -> str:
    """A number as a decimal string with ``digits`` significant digits (default: all it has).

    mpmath numbers are printed by their own context (``x.context.nstr``) with
    the digits their precision carries, sympy Floats with their precision's
    digits; other numbers with ``str``.  Trailing zeros are computed digits and
    are kept unless ``strip=True`` (for inputs such as ``theta = 0.5``).

    Examples
    --------
    >>> number_str(sympy.Float("0.1234567890123456789012345678901", 30))
    '0.123456789012345678901234567890'
    >>> number_str(sympy.Rational(1, 3), 5)
    '0.33333'
    """
    if hasattr(x, "_mpf_") and hasattr(x, "context"):
        n = digits if digits is not None else max(1, int(x.context.prec_to_dps(x.context.prec)))
        return x.context.nstr(x, max(1, int(n)), strip_zeros=strip)
    if isinstance(x, sympy.Basic) and x.is_number:
        if digits is None and isinstance(x, sympy.Float):   # mpmath's prec_to_dps
            digits = max(1, int(round(int(x._prec) / 3.3219280948873626) - 1))
        return str(sympy.N(x, digits)) if digits is not None else str(x)
    return str(x)


_MATH = re.compile(r"(\$\$.*?\$\$|\$.*?\$|\\\(.*?\\\)|\\\[.*?\\\])", re.S)
_TEXT_ESCAPES = [("%", r"\%"), ("&", r"\&"), ("#", r"\#"), ("_", r"\_"),
                 ("^", r"\^{}"), ("~", r"\textasciitilde{}"), ("<", r"\textless{}"),
                 (">", r"\textgreater{}"), ("|", r"\textbar{}")]
_UNICODE = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "ε": r"\varepsilon",
            "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "θ": r"\theta", "ϑ": r"\vartheta",
            "ρ": r"\rho", "σ": r"\sigma", "χ": r"\chi", "≤": r"\le", "≥": r"\ge",
            "→": r"\to", "∞": r"\infty", "√": r"\surd", "±": r"\pm", "×": r"\times",
            "−": "-", "≈": r"\approx", "′": "'", "₁": "_1", "₂": "_2", "²": "^2",
            "·": r"\cdot", "∈": r"\in", "≠": r"\ne", "…": r"\dots"}


_SCRIPT = re.compile(r"(?<![\\\w])([A-Za-z]+)([_^])([A-Za-z0-9]+|\{[^{}$]*\})(?!\w)")


def _script_math(m: re.Match) -> str:
    """``K_eps`` -> ``$K_{\\varepsilon}$``, ``C^2`` -> ``$C^{2}$`` (short names only)."""
    base, op, sub = m.groups()
    core = sub.strip("{}")
    if not (len(base) <= 2 or base in SYMBOL_LATEX) or not (len(core) <= 4 or core in SYMBOL_LATEX):
        return m.group(0)
    return f"${SYMBOL_LATEX.get(base, base)}{op}{{{SYMBOL_LATEX.get(core, core)}}}$"


#: Code names that are never meant literally in a formula or a sentence (``eps`` set in
#: math mode reads e*p*s): they are replaced by :data:`SYMBOL_LATEX`.
_NAMES = re.compile(r"(?<![\\\w.'-])(eps|epsilon|beta1|beta2|lr|kappa|gamma|lambda|theta|"
                    r"vartheta|mu|rho|sigma)(?![\w.'-])")


def math_names(s: str) -> str:
    """Replace code names (``eps``, ``beta1``, ...) inside a LaTeX formula by the table's LaTeX.

    Examples
    --------
    >>> math_names(r"\\gamma \\to c^{-1}\\gamma, eps \\to c^{0}eps")
    '\\\\gamma \\\\to c^{-1}\\\\gamma, \\\\varepsilon \\\\to c^{0}\\\\varepsilon'
    """
    def repl(m: re.Match) -> str:
        nxt = s[m.end():m.end() + 1]
        return SYMBOL_LATEX[m.group(1)] + (" " if nxt.isalpha() else "")

    return _NAMES.sub(repl, s)


def _escape_plain(s: str) -> str:
    s = re.sub(r"(?<=[\w)])\*\*(?=[\w(])", "^", s)        # Python power in a sentence
    s = _SCRIPT.sub(_script_math, s)
    s = _NAMES.sub(lambda m: "$" + SYMBOL_LATEX[m.group(1)] + "$", s)
    parts = re.split(r"(\$[^$]*\$)", s)
    return "".join(p if i % 2 else _escape_chars(p) for i, p in enumerate(parts))


def _escape_chars(s: str) -> str:
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and (s[i + 1].isalpha() or s[i + 1] in "_%&#{}$ ,;!"):
            j = i + 1
            while j < len(s) and s[j].isalpha():
                j += 1
            out.append(s[i:max(j, i + 2)])   # a LaTeX command or escape: keep
            i = max(j, i + 2)
            continue
        if c == "\\":
            out.append(r"\textbackslash{}")
        elif c in _UNICODE:
            out.append("$" + _UNICODE[c] + "$")
        else:
            out.append(dict(_TEXT_ESCAPES).get(c, c))
        i += 1
    return "".join(out)


def tex_text(s: str, math: bool = True) -> str:
    """Make a sentence safe for LaTeX text mode; ``$...$`` mathematics is left alone.

    Outside mathematics a short sub- or superscripted name (``K_eps``, ``C^2``,
    ``beta_2``) becomes inline mathematics with the symbol table applied, the
    remaining ``_ ^ % & # ~ < > |`` are escaped (an existing LaTeX command such
    as ``\\texttt{...}`` or ``\\_`` is kept) and Greek letters typed as Unicode
    become inline mathematics.  With ``math=False`` the whole
    string is treated as text (dollar signs escaped).

    Examples
    --------
    >>> tex_text("the kernel K_eps at $\\\\beta_2$, 50% done, heavy_ball")
    'the kernel $K_{\\\\varepsilon}$ at $\\\\beta_2$, 50\\\\% done, heavy\\\\_ball'
    >>> tex_text("gd - nag (D^2)", math=False)
    'gd - nag (D\\\\^{}2)'
    """
    if not math:
        return _escape_chars(s.replace("$", r"\$"))
    parts = _MATH.split(s)
    return "".join(math_names(p) if i % 2 else _escape_plain(p) for i, p in enumerate(parts))


def tex_preamble() -> str:
    """The preamble of every standalone document symadam writes (base LaTeX packages only).

    ``amsmath``/``amssymb`` are in every LaTeX distribution (Debian:
    ``texlive-latex-base``); ``breqn`` or anything heavier is avoided.

    Examples
    --------
    >>> tex_preamble().splitlines()[0]
    '\\\\documentclass{article}'
    """
    return ("\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n"
            "\\usepackage{amsmath,amssymb}\n\\allowdisplaybreaks\n\\sloppy\n")


def markdown_rows(title: str, rows: Iterable[tuple[str, Any]], note: str | None = None) -> str:
    """A small Markdown block: a bold title, then ``name: value`` rows rendered as mathematics.

    Each row is ``(label, value)``: a sympy object or formula string is set as
    ``$...$`` LaTeX (:func:`latex_value`), a plain string is kept as text when
    it starts with ``"text:"``.

    Examples
    --------
    >>> k = sympy.Symbol("kappa", positive=True)
    >>> print(markdown_rows("GD", [("rate", (k - 1)/(k + 1)), ("active set", "text:mu: r+")]))
    **GD**
    <BLANKLINE>
    | | |
    |---|---|
    | rate | $\\frac{\\kappa - 1}{\\kappa + 1}$ |
    | active set | mu: r+ |
    <BLANKLINE>
    """
    out = [f"**{title}**", "", "| | |", "|---|---|"]
    for label, v in rows:
        label = label.replace("|", r"\vert ")
        if isinstance(v, str) and v.startswith("text:"):
            cell = v[5:].replace("|", r"\|")
        else:
            cell = "$" + latex_value(v).replace("|", r"\vert ") + "$"
        out.append(f"| {label} | {cell} |")
    if note:
        out += ["", note]
    return "\n".join(out) + "\n"


_STATUS = {"verified": "✅", "failed": "❌", "error": "⚠️"}


def evidence_markdown(ev: Any) -> str:
    """Markdown for a :class:`~symadam.core.record.Evidence` (its ``_repr_markdown_``).

    Detail values are shown as given (JSON-ready strings keep all their digits),
    cut at 200 characters.

    Examples
    --------
    >>> from symadam.core.record import Evidence
    >>> evidence_markdown(Evidence("a.b", "failed", "r", "0.1", None, 1.0)).splitlines()[0]
    '**❌ `a.b` failed** (1.00 s)'
    """
    rows = [("route", "text:" + ev.route), ("residual", "text:" + str(ev.residual))]
    if ev.digits is not None:
        rows.append(("agreeing digits", f"text:{ev.digits}"))
    if ev.precision:
        rows.append(("precision", "text:" + ", ".join(
            f"{k}: {v}" for k, v in ev.precision.items() if k != "kind")
            if ev.precision.get("kind") == "dps"
            else "text:" + ", ".join(f"{k}: {v}" for k, v in ev.precision.items())))
    for k, v in ev.details.items():
        if k == "traceback":
            continue
        text = v if isinstance(v, str) else repr(v)
        rows.append((str(k), "text:" + (text if len(text) <= 200 else text[:197] + "...")))
    title = f"{_STATUS.get(ev.status, '')} `{ev.claim_id}` {ev.status}".strip()
    return markdown_rows(title, rows).replace(f"**{title}**", f"**{title}** ({ev.seconds:.2f} s)")
