"""Input validation shared by every layer.

Every public entry point checks its arguments here and raises a
:class:`ValueError` that names the argument and the allowed range.  The CLI
turns these into a one-line message and exit status 2.  No numpy import:
the exact (sympy) routes use these helpers too.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = [
    "check_real",
    "check_positive",
    "check_kappa",
    "check_unit_interval",
    "check_dps",
    "check_choice",
    "check_int",
]


def _as_float(name: str, x: Any) -> float:
    if isinstance(x, bool) or type(x).__name__ == "bool_":  # True == 1 would pass silently
        raise ValueError(f"{name} must be a real number, got {x!r}")
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {x!r}") from None
    except OverflowError:
        # an exact number (int, Fraction) beyond the float range is finite; its sign is all
        # the range checks below need
        return math.inf if x > 0 else -math.inf
    if math.isinf(v) and getattr(x, "is_finite", None) is True:  # exact sympy number, huge
        return v
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return v


def check_real(name: str, x: Any) -> Any:
    """Check that ``x`` is a finite real number; return it unchanged.

    Examples
    --------
    >>> check_real("theta", 0.5)
    0.5
    >>> check_real("theta", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: theta must be finite, got nan
    """
    if isinstance(x, complex):
        raise ValueError(f"{name} must be a real number, got {x!r}")
    _as_float(name, x)
    return x


def check_positive(name: str, x: Any, strict: bool = True) -> Any:
    """Check ``x > 0`` (or ``x >= 0`` with ``strict=False``), finite.

    Examples
    --------
    >>> check_positive("L", 2)
    2
    >>> check_positive("eps", 0, strict=False)
    0
    >>> check_positive("L", -1)
    Traceback (most recent call last):
    ...
    ValueError: L must be > 0, got -1
    """
    v = _as_float(name, x)
    if strict and not v > 0:
        raise ValueError(f"{name} must be > 0, got {x!r}")
    if not strict and not v >= 0:
        raise ValueError(f"{name} must be >= 0, got {x!r}")
    return x


def check_kappa(kappa: Any) -> Any:
    """Check a condition number: finite and ``kappa >= 1``.

    Examples
    --------
    >>> check_kappa(100)
    100
    >>> check_kappa(10**400) == 10**400        # exact integers beyond float range are finite
    True
    >>> check_kappa(0.5)
    Traceback (most recent call last):
    ...
    ValueError: kappa must be >= 1 (condition number L/mu), got 0.5
    """
    v = _as_float("kappa", kappa)
    if v < 1:
        raise ValueError(f"kappa must be >= 1 (condition number L/mu), got {kappa!r}")
    return kappa


def check_unit_interval(name: str, x: Any, closed_right: bool = False) -> Any:
    """Check ``0 <= x < 1`` (``0 <= x <= 1`` with ``closed_right=True``).

    Used for the momentum parameters ``beta1``, ``beta2``.

    Examples
    --------
    >>> check_unit_interval("beta2", 0.999)
    0.999
    >>> check_unit_interval("beta1", 1)
    Traceback (most recent call last):
    ...
    ValueError: beta1 must be in [0, 1), got 1
    """
    v = _as_float(name, x)
    if closed_right:
        if not 0 <= v <= 1:
            raise ValueError(f"{name} must be in [0, 1], got {x!r}")
    elif not 0 <= v < 1:
        raise ValueError(f"{name} must be in [0, 1), got {x!r}")
    return x


def check_dps(dps: Any, minimum: int = 15) -> int:
    """Check a working precision in decimal digits (an integer ``>= minimum``).

    Examples
    --------
    >>> check_dps(50)
    50
    >>> check_dps(10)
    Traceback (most recent call last):
    ...
    ValueError: dps must be an integer >= 15, got 10
    """
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < minimum:
        raise ValueError(f"dps must be an integer >= {minimum}, got {dps!r}")
    return dps


def check_int(name: str, x: Any, minimum: int = 1) -> int:
    """Check an integer ``>= minimum``.

    Examples
    --------
    >>> check_int("J", 4)
    4
    >>> check_int("J", 0)
    Traceback (most recent call last):
    ...
    ValueError: J must be an integer >= 1, got 0
    """
    if isinstance(x, bool) or not isinstance(x, int) or x < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {x!r}")
    return x


def check_choice(name: str, x: Any, allowed: Any) -> Any:
    """Check ``x`` is one of ``allowed``.

    Examples
    --------
    >>> check_choice("method", "gd", ("gd", "heavy-ball"))
    'gd'
    >>> check_choice("method", "sgd", ("gd", "heavy-ball"))
    Traceback (most recent call last):
    ...
    ValueError: method must be one of gd, heavy-ball; got 'sgd'
    """
    allowed = tuple(allowed)
    if x not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}; got {x!r}")
    return x
