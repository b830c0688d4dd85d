"""Notebooks 01-06 run top to bottom in a real Jupyter kernel and show their figures.

Each notebook is executed with nbclient (the ``python3`` kernel of this
environment, matplotlib's inline backend as in Jupyter: no backend is forced
in the notebooks), so every ``assert`` cell runs; then every code cell that
draws a figure must carry an ``image/png`` output -- what a reader sees when
opening the notebook.  (``--ignore-glob`` in setup.cfg keeps nbmake from running
these six a second time.)
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0[1-6]_*.ipynb"))
DRAWS = re.compile(r"plt\.(subplots|figure)\(")


def test_six_notebooks_and_no_backend_forcing():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]
    for p in NOTEBOOKS:
        text = p.read_text()
        assert "matplotlib.use" not in text, f"{p.name} forces a backend: figures would not show"
        assert not re.search(r"\.\./shared|MATH\.md|DESIGN\.md", text), \
            f"{p.name} points outside the repository"
        nb = nbformat.read(p, as_version=4)
        prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert nb.cells[0].cell_type == "markdown" and "Theorem" in prose, p.name
        assert "docs/conventions.md" in prose and "claim" in prose.lower(), p.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_its_figures(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"   # what Jupyter uses
    client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed:\n{str(exc)[-1500:]}")
    drawing = [c for c in nb.cells if c.cell_type == "code" and DRAWS.search(c.source)]
    assert drawing, f"{path.name} draws no figure"
    blind = [c.source.splitlines()[0] for c in drawing
             if not any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert not blind, f"{path.name}: cells that draw but show no figure: {blind}"
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert images >= len(drawing)
    rich = [o for c in nb.cells for o in c.get("outputs", [])
            if "text/markdown" in o.get("data", {})]
    if path.name[:2] in ("01", "03", "06"):
        assert rich, f"{path.name}: the rich-display cell showed no Markdown"
