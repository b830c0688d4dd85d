"""The documentation site (docs/, Sphinx + MyST-NB) builds with warnings as errors.

Needs the ``docs`` extra (``pip install -e ".[docs]"``; the README's test command installs
it); without Sphinx the build test is skipped with that reason.  The repository is
self-contained: nothing points to files outside it.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_docs_build_without_warnings(tmp_path):
    why = "the docs extra is not installed (pip install -e .[docs])"
    pytest.importorskip("sphinx", reason=why)
    pytest.importorskip("myst_nb", reason=why)
    r = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                        str(ROOT / "docs"), str(tmp_path / "html")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    html = tmp_path / "html"
    for page in ("index", "conventions", "api", "readme", "citing"):
        assert (html / f"{page}.html").exists(), page
    assert len(list((html / "notebooks").glob("0[1-6]_*.html"))) == 6
    api = (html / "api.html").read_text()
    assert "assert_equal" in api and "avf_value" in api and "tune" in api


def test_conventions_page_has_what_readers_need():
    text = (ROOT / "docs" / "conventions.md").read_text()
    for needed in ("[reconstructed]", "[paper]", "[standard]", "outside the root",
                   r"\mathrm{relu}'(0) = 0", r"| `beta1` | $\beta_1$ | $\alpha$",
                   "E\\left[\\frac{M}"):
        assert needed in text, needed


def test_nothing_points_outside_the_repository():
    files = [ROOT / "README.md", *ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("symadam/**/*.py"),
             *ROOT.glob("docs/*.md"), *ROOT.glob("proofs/*.tex")]
    bad = [str(p.relative_to(ROOT)) for p in files
           if re.search(r"\.\./shared|MATH\.md|DESIGN\.md", p.read_text(encoding="utf-8"))]
    assert not bad, f"references to files outside the repository in {bad}"
