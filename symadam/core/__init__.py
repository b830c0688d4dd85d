"""The foundation every topic builds on (no mathematics of any topic here).

=====================  =========================================================
module                 what
=====================  =========================================================
``record``             :class:`Claim`, :class:`Evidence`, :class:`CheckContext`
``registry``           the claim registry, its dependency DAG, :func:`run_claims`
``derivation``         :class:`Derivation`, printable records of exact work (sympy)
``identity``           :func:`assert_identity`, :func:`agreeing_digits` (sympy + mpmath)
``validate``           input validation shared by every topic
``parallel``           the one executor abstraction (serial, processes, Dask)
``report``             reports and proof documents, written atomically
``cli_common``         shared pieces of the command line
``topics``             discovery of the topic packages' ``claims``/``cli`` modules
``expr``               the safe parser from user text to sympy expressions
``arb_bridge``         exact sympy results as rigorous Arb balls (python-flint)
=====================  =========================================================
"""
from .derivation import Derivation, Step
from .identity import agreeing_digits, assert_identity, canonical_zero
from .record import Certificate, CheckContext, Claim, Evidence
from .registry import (
                       CERTIFIERS,
                       REGISTRY,
                       certifier,
                       claim,
                       graph,
                       load_all,
                       register,
                       run_claims,
                       select,
)

__all__ = [
    "Claim", "Evidence", "CheckContext", "REGISTRY", "claim", "register",
    "load_all", "graph", "select", "run_claims", "Derivation", "Step",
    "Certificate", "CERTIFIERS", "certifier",
    "assert_identity", "canonical_zero", "agreeing_digits",
]
