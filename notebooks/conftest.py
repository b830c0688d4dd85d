"""Notebooks 01-06 are executed by tests/test_notebooks.py (a real kernel, figures counted),
not a second time by nbmake; any other notebook here runs under nbmake as usual."""
collect_ignore_glob = ["0[1-6]_*.ipynb"]
