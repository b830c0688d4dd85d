"""Independent high-precision routes (mpmath only, always inside ``mpmath.workdps``)."""
from .identity import agreeing_digits, assert_identity, canonical_zero

__all__ = ["assert_identity", "canonical_zero", "agreeing_digits"]
