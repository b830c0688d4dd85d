"""Exact derivations (sympy only; no numpy, no numeric verification here)."""
from .derivation import Derivation, Step

__all__ = ["Derivation", "Step"]
