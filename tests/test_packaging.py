"""Packaging a user can trust: one version, license, citation files, cite, --version."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

import symadam
from symadam.cli import main
from symadam.cli.cite import bibliography

ROOT = Path(__file__).resolve().parents[1]


def test_version_has_one_source(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"symadam {symadam.__version__}"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and "symadam.__version__" in pyproject
    cff = (ROOT / "CITATION.cff").read_text()
    assert re.search(rf"^version: {re.escape(symadam.__version__)}$", cff, re.M)
    assert f"## {symadam.__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_installed_metadata_matches():
    from importlib.metadata import metadata, version

    assert version("symadam") == symadam.__version__
    md = metadata("symadam")
    assert md.get("License-Expression") == "MIT" or md.get("License") == "MIT"


def test_license_typed_and_data_files_ship():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    pkg = Path(symadam.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "data" / "papers.bib").exists()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"py.typed"' in pyproject and '"data/*.bib"' in pyproject
    assert 'oracle = ["torch>=' in pyproject and "torch==" not in pyproject
    assert "torch==" in (ROOT / "constraints.txt").read_text()


def test_every_claims_paper_has_a_bibtex_entry():
    bib = bibliography()
    papers = {p for c in symadam.load_all().values() for p in re.split(r"[,\s]+", c.paper)}
    missing = papers - set(bib) - {"standard", ""}
    assert not missing, f"no BibTeX entry for {missing} in symadam/data/papers.bib"


def test_cite_prints_the_papers_behind_claims(capsys):
    assert main(["cite", "rates.adam", "avf.zero", "rates.adam_optimal"]) == 0
    out = capsys.readouterr().out
    assert out.count("@misc{") == 2 and "2504.19426" in out and "2407.21078" in out
    assert main(["cite", "rates.gd"]) == 0
    assert "standard mathematics (no paper): rates.gd" in capsys.readouterr().out


def test_cite_unknown_id_is_one_line_and_exit_2():
    r = subprocess.run([sys.executable, "-m", "symadam", "cite", "rates.adam", "no.such"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "no.such" in r.stderr


def test_cite_json(capsys):
    import json

    assert main(["cite", "morse", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["papers"] == ["2504.08867"] and "@misc{benning2025morse" in out["bibtex"]
