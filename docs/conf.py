"""Sphinx configuration of the symadam documentation (``docs/``).

Build: ``sphinx-build -W -b html docs docs/_build/html`` (``pip install -e ".[docs]"``);
the test suite builds it the same way (tests/test_docs.py).  The notebooks are copied in
from ``notebooks/`` and shown as stored (no outputs); to execute them during the build,
so that the pages carry their figures: ``SYMADAM_DOCS_EXECUTE=1 sphinx-build ...``.
"""
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import symadam  # noqa: E402

project = "symadam"
author = "symadam developers"
copyright = "2026, symadam developers"
release = version = symadam.__version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
autodoc_member_order = "bysource"
autodoc_typehints = "none"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "force" if os.environ.get("SYMADAM_DOCS_EXECUTE") else "off"
nb_execution_timeout = 900
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]   # the README starts its sections at level 2 under one h1
html_theme = "alabaster"
html_title = f"symadam {release}"

# The notebooks live in notebooks/ (executed by the test suite); copy them in for the site.
_NB = HERE / "notebooks"
_NB.mkdir(exist_ok=True)
for _p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
    if not (_NB / _p.name).exists() or (_NB / _p.name).read_bytes() != _p.read_bytes():
        shutil.copyfile(_p, _NB / _p.name)
