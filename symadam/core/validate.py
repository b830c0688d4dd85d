"""Input validation and resource guards shared by every layer.

Every public entry point checks its arguments here and raises a
:class:`ValueError` that names the argument and the allowed range.  The CLI
turns these into a one-line message and exit status 2.  A numerical route
that cannot reach the requested precision even after escalating raises
:class:`ShortfallError` instead (exit status 1: not bad input).  Only the
standard library is imported: the exact (sympy), mpmath and float64 routes
all use these helpers.

The documented limits (README, "Limits and errors") are the module
constants below; input beyond them is refused before any work starts.
"""
from __future__ import annotations

import math
import os
import re
from fractions import Fraction
from typing import Any

__all__ = [
    "MAX_DPS",
    "MAX_EXPONENT",
    "MAX_NUMBER_LENGTH",
    "ShortfallError",
    "check_real",
    "check_positive",
    "check_kappa",
    "check_unit_interval",
    "check_dps",
    "check_choice",
    "check_int",
    "parse_number",
    "check_memory",
    "check_work",
    "available_memory",
]

#: Largest working precision (decimal digits) any command accepts.  Python refuses to
#: convert integers of more than 4300 digits to text, and the cost of the mpmath routes
#: grows like dps^2 to dps^3; some commands document a lower limit.
MAX_DPS = 1000
#: Numeric input is refused unless 10^-MAX_EXPONENT <= |x| <= 10^MAX_EXPONENT (or x = 0):
#: an exact rational ``1e1000000000`` would have a billion digits.
MAX_EXPONENT = 1000
#: Longest numeric input, in characters.
MAX_NUMBER_LENGTH = 1000
#: Fraction of the available memory one array (or one estimated working set) may take.
MEMORY_FRACTION = 0.5


class ShortfallError(ArithmeticError):
    """A numerical route fell short of the requested precision after escalating.

    Not bad input: the command line prints one line and exits with status 1.

    Examples
    --------
    >>> isinstance(ShortfallError("20 digits not reached"), ArithmeticError)
    True
    """


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
    if v == 0.0 and not isinstance(x, float):  # an exact number below the float range
        try:
            if x != 0:
                return math.copysign(5e-324, 1 if x > 0 else -1)
        except TypeError:
            pass
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
    >>> from fractions import Fraction
    >>> check_positive("eps", Fraction(1, 10**400)) == Fraction(1, 10**400)  # not 0.0
    True
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


def check_dps(dps: Any, minimum: int = 15, maximum: int = MAX_DPS) -> int:
    """Check a working precision in decimal digits (an integer in ``[minimum, maximum]``).

    Examples
    --------
    >>> check_dps(50)
    50
    >>> check_dps(10)
    Traceback (most recent call last):
    ...
    ValueError: dps must be an integer >= 15, got 10
    >>> check_dps(5000)
    Traceback (most recent call last):
    ...
    ValueError: dps must be <= 1000 (the limit), got 5000
    """
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < minimum:
        raise ValueError(f"dps must be an integer >= {minimum}, got {dps!r}")
    if dps > maximum:
        raise ValueError(f"dps must be <= {maximum} (the limit), got {dps!r}")
    return dps


def check_int(name: str, x: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """Check an integer ``>= minimum`` (and ``<= maximum``, a documented limit, if given).

    Examples
    --------
    >>> check_int("J", 4)
    4
    >>> check_int("J", 0)
    Traceback (most recent call last):
    ...
    ValueError: J must be an integer >= 1, got 0
    >>> check_int("J", 10**6, maximum=1000)
    Traceback (most recent call last):
    ...
    ValueError: J must be <= 1000 (the limit), got 1000000
    """
    if isinstance(x, bool) or not isinstance(x, int) or x < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {x!r}")
    if maximum is not None and x > maximum:
        raise ValueError(f"{name} must be <= {maximum} (the limit), got {x!r}")
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


_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def _decimal(name: str, text: str, s: str, max_exponent: int) -> Fraction:
    m = _DECIMAL.fullmatch(s)
    if m is None or not (m.group(2) or m.group(3)):
        raise ValueError(f"{name} must be a number (integer, decimal, 1e-3 or p/q), "
                         f"got {text!r}")
    sign, whole, frac, exp = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    digits = (whole + frac).lstrip("0")
    if not digits:
        return Fraction(0)
    scale = (int(exp) if exp else 0) - len(frac)          # value = digits * 10^scale
    digits_t = digits.rstrip("0")
    scale += len(digits) - len(digits_t)
    magnitude = len(digits_t) - 1 + scale                  # floor(log10 |x|)
    if not -max_exponent - 1 <= magnitude <= max_exponent - 1:
        raise ValueError(f"{name}: {text.strip()[:40]!r} is beyond the limit 1e-{max_exponent}"
                         f" <= |x| < 1e{max_exponent} for numeric input")
    n = int(digits_t) * (-1 if sign == "-" else 1)
    return Fraction(n * 10**scale) if scale >= 0 else Fraction(n, 10**-scale)


def parse_number(text: Any, name: str, *, max_exponent: int = MAX_EXPONENT) -> Fraction:
    """Read a number from user text *exactly*, refusing anything else before any work.

    Accepted: integers, decimals and scientific notation (``0.1`` is exactly ``1/10``,
    ``1e-3`` is ``1/1000``), and a quotient ``p/q`` of two of them.  Refused with a
    :class:`ValueError` naming ``name``: anything else (no expression is evaluated),
    ``nan``/``inf``, a zero denominator, text longer than :data:`MAX_NUMBER_LENGTH`,
    and magnitudes outside ``[1e-max_exponent, 1e max_exponent)`` (:data:`MAX_EXPONENT`;
    ``1e1000000000`` would be an integer of a billion digits).

    Parameters
    ----------
    text : str
        The user's text (``str()`` of anything else).
    name : str
        The argument's name, for the message.
    max_exponent : int
        Largest ``|log10 |x||`` accepted.

    Returns
    -------
    fractions.Fraction

    Examples
    --------
    >>> parse_number("0.1", "theta"), parse_number("-3/2", "kappa"), parse_number("2e3", "x")
    (Fraction(1, 10), Fraction(-3, 2), Fraction(2000, 1))
    >>> parse_number("1e1000000000", "kappa")
    Traceback (most recent call last):
    ...
    ValueError: kappa: '1e1000000000' is beyond the limit 1e-1000 <= |x| < 1e1000 for numeric input
    >>> parse_number("1/0", "theta")
    Traceback (most recent call last):
    ...
    ValueError: theta: division by zero in '1/0'
    >>> parse_number("__import__('os')", "eps")
    Traceback (most recent call last):
    ...
    ValueError: eps must be a number (integer, decimal, 1e-3 or p/q), got "__import__('os')"
    """
    text = text if isinstance(text, str) else str(text)
    s = text.strip().replace(" ", "")
    if not s:
        raise ValueError(f"{name} is empty")
    if len(s) > MAX_NUMBER_LENGTH:
        raise ValueError(f"{name}: longer than {MAX_NUMBER_LENGTH} characters (the limit)")
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError(f"{name} must be finite, got {text.strip()!r}")
    if s.count("/") > 1:
        raise ValueError(f"{name} must be a number (integer, decimal, 1e-3 or p/q), "
                         f"got {text!r}")
    if "/" in s:
        p, q = s.split("/")
        fp = _decimal(name, text, p, max_exponent)
        fq = _decimal(name, text, q, max_exponent)
        if fq == 0:
            raise ValueError(f"{name}: division by zero in {text.strip()!r}")
        out = fp / fq
        if out != 0 and not -max_exponent <= _log10(out) <= max_exponent:
            raise ValueError(f"{name}: {text.strip()[:40]!r} is beyond the limit "
                             f"1e-{max_exponent} <= |x| < 1e{max_exponent} for numeric input")
        return out
    return _decimal(name, text, s, max_exponent)


def _log10(f: Fraction) -> float:
    return math.log10(abs(f.numerator)) - math.log10(f.denominator)


def available_memory() -> int:
    """Bytes of memory available now (``MemAvailable``; 4 GiB if it cannot be read).

    Examples
    --------
    >>> available_memory() > 0
    True
    """
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * 2**30


def _bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024:
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"


def check_memory(what: str, nbytes: float, limit: float | None = None) -> float:
    """Refuse a computation whose estimated memory exceeds ``limit``, before allocating.

    ``limit`` defaults to :data:`MEMORY_FRACTION` of :func:`available_memory`.

    Examples
    --------
    >>> check_memory("a 10 x 10 float64 array", 800)
    800
    >>> check_memory("--points 1000000000", 8e18, limit=2**30)
    Traceback (most recent call last):
    ...
    ValueError: --points 1000000000 would need about 6.94 EiB of memory, more than the limit 1 GiB
    """
    why = ""
    if limit is None:
        limit = MEMORY_FRACTION * available_memory()
        why = f" ({MEMORY_FRACTION:.0%} of the available memory)"
    if nbytes > limit:
        raise ValueError(f"{what} would need about {_bytes(nbytes)} of memory, more than the "
                         f"limit {_bytes(limit)}{why}")
    return nbytes


def check_work(what: str, estimate: float, limit: float, formula: str) -> float:
    """Refuse a computation whose estimated cost ``estimate`` (by ``formula``) exceeds ``limit``.

    Examples
    --------
    >>> check_work("the sweep", 2e5, 2e8, "problems x restarts x points x P^2")
    200000.0
    >>> check_work("the sweep", 4e12, 2e8, "problems x restarts x points x P^2")
    Traceback (most recent call last):
    ...
    ValueError: the sweep: problems x restarts x points x P^2 = 4e+12 exceeds the limit 2e+08
    """
    if estimate > limit:
        raise ValueError(f"{what}: {formula} = {estimate:.3g} exceeds the limit {limit:.3g}")
    return float(estimate)
