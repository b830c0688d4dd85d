"""Collection rules for the doctests of optional routes."""
import importlib.util

collect_ignore_glob = []
if importlib.util.find_spec("flint") is None:  # the [certify] extra is not installed
    collect_ignore_glob.append("symadam/*/*_arb.py")
