"""Every LaTeX file symadam writes compiles with pdflatex, and reads like mathematics.

The compile tests need ``pdflatex`` with the base packages (Debian:
``apt-get install texlive-latex-base``; ``.ci/run`` installs it).  Where it is
absent they are skipped with that reason; the printer tests below run anyway.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy

from symadam.core import Derivation, Evidence, load_all
from symadam.core.display import SYMBOL_LATEX, latex, latex_value, tex_text
from symadam.core.report import write_report

ROOT = Path(__file__).resolve().parents[1]
PROOFS = sorted((ROOT / "proofs").glob("*.tex"))
PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(
    PDFLATEX is None,
    reason="pdflatex not installed (optional; Debian: apt-get install texlive-latex-base)")


def _compile(tex: Path, out: Path) -> None:
    """Run pdflatex twice-safe in batch mode; fail with the first LaTeX error and its context."""
    r = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error",
                        "-output-directory", str(out), str(tex)],
                       capture_output=True, text=True, timeout=120, cwd=out)
    if r.returncode != 0 or not (out / (tex.stem + ".pdf")).exists():
        lines = r.stdout.splitlines()
        first = next((i for i, s in enumerate(lines) if s.startswith("!")), len(lines) - 5)
        pytest.fail(f"pdflatex failed on {tex.name}:\n" + "\n".join(lines[first:first + 6]))


@needs_pdflatex
@pytest.mark.parametrize("tex", PROOFS, ids=[p.name for p in PROOFS])
def test_proofs_compile(tex, tmp_path):
    _compile(tex, tmp_path)


@needs_pdflatex
def test_every_report_tex_compiles(tmp_path):
    """``verify --report DIR`` writes one standalone ``.tex`` per claim: all of them compile.

    The report is written for every registered claim (evidence marked ``error``
    so that no check or plot runs: the ``.tex`` files are the derivations,
    independent of the evidence).
    """
    claims = load_all()
    ev = [Evidence(i, "error", "not run (LaTeX test)", "", None, 0.0) for i in sorted(claims)]
    paths = write_report(tmp_path / "report", ev, 0.0, claims)
    texs = [p for p in paths if p.suffix == ".tex"]
    assert len(texs) >= len(claims) - 5     # every claim with a derivation
    for tex in texs:
        _compile(tex, tmp_path)


def test_proofs_use_the_symbol_table():
    """No bare code name in any formula of proofs/: ``eps`` is always ``\\varepsilon``."""
    bare = re.compile(r"(?<![\\\w])(eps|beta1|beta2|lr)(?![\w])")
    for tex in PROOFS:
        for n, line in enumerate(tex.read_text().splitlines(), 1):
            if line.startswith("%"):
                continue
            math = re.findall(r"\$[^$]*\$|\\\[.*?\\\]|&= .*", line)
            hits = [m for m in math if bare.search(re.sub(r"\\texttt\{[^}]*\}", "", m))]
            assert not hits, f"{tex.name}:{n}: code name in a formula: {hits[0][:120]}"


def test_no_python_source_in_formulas():
    """Results given as Python-syntax strings are printed as mathematics, not pasted."""
    out = latex_value("(gamma*(1 - beta1)/eps, beta1)")
    assert "*" not in out and "gamma" not in out.replace(r"\gamma", "")
    assert r"\varepsilon" in out and r"\beta_1" in out
    d = Derivation("T")
    d.results["depends_on"] = "(gamma*(1 - beta1)/eps, beta1)"
    assert "gamma*" not in d.to_latex() and "gamma*" not in d.to_markdown()
    for tex in PROOFS:
        assert not re.search(r"&= .*\w\*\w", tex.read_text()), tex.name


def test_symbol_table_is_used_by_every_printer():
    eps, b1 = sympy.symbols("eps beta1", positive=True)
    d = Derivation("Adam's block")
    d.add("step", eps / b1, lhs="h")
    d.results["h"] = eps / b1
    for text in (latex(eps), d.to_latex(), d.to_markdown(), d.to_latex(standalone=True)):
        assert SYMBOL_LATEX["eps"] in text and not re.search(r"(?<![\\\w])eps(?!\w)", text)


def test_text_is_escaped_outside_math():
    t = tex_text("the kernel K_eps: 50% of x**2 & more, $a_1^2$ kept")
    assert "$a_1^2$" in t and r"50\%" in t and r"\&" in t
    assert "K_eps" not in t and "**" not in t
    d = Derivation("An admissible C^2 family R_r")
    assert r"\section*{An admissible $C^{2}$ family $R_{r}$}" in d.to_latex()
