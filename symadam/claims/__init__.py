"""Claims: where the papers meet the code.

One module per paper or topic registers :class:`Claim` objects with the
:func:`claim` decorator; :func:`load_all` imports them all.  A claim wires an
exact derivation (:mod:`symadam.symbolic`) to an independent check
(:mod:`symadam.precision`, :mod:`symadam.numeric`, :mod:`symadam.oracle`).
"""
from ._record import CheckContext, Claim, Evidence
from ._registry import REGISTRY, claim, graph, load_all, register, run_claims, select

__all__ = [
    "Claim", "Evidence", "CheckContext", "REGISTRY", "claim", "register",
    "load_all", "graph", "select", "run_claims",
]
