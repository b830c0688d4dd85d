"""Rigorous evaluation of exact sympy results in Arb ball arithmetic (python-flint).

A certified route proves a property of a *derived* quantity (a tuning, a rate):
it needs that quantity as a ball that provably contains it.  Floating-point
conversion (``sympy.N``, ``float``) is not rigorous, and ``sympy.lambdify``
prints rationals such as ``1/3`` as Python floats.  :func:`to_arb` walks the
expression tree itself: integers and rationals become exact ``fmpq``, and
``+``, ``*``, integer and half-integer powers, ``sqrt``, ``exp``, ``log`` are
Arb operations, each of which returns a ball containing the exact result.

Call inside ``flint.ctx.workprec(...)`` (or :func:`workprec`); the precision
is never changed globally.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Mapping

import sympy

__all__ = ["flint_or_none", "to_arb", "workprec", "arb_str"]


def flint_or_none() -> Any:
    """The ``flint`` module if the ``[certify]`` extra (python-flint) is installed, else None.

    Examples
    --------
    >>> f = flint_or_none()
    >>> f is None or hasattr(f, "arb")
    True
    """
    try:
        import flint
    except ImportError:
        return None
    return flint


@contextmanager
def workprec(bits: int) -> Iterator[None]:
    """Arb working precision ``bits`` for the block (restored afterwards, even on error).

    Examples
    --------
    >>> flint = flint_or_none()
    >>> if flint is not None:
    ...     with workprec(200):
    ...         assert flint.ctx.prec == 200
    """
    import flint

    with flint.ctx.workprec(int(bits)):
        yield


def to_arb(expr: Any, values: Mapping[Any, Any] | None = None) -> Any:
    """A ball (``flint.arb``) that rigorously contains the real value of ``expr``.

    Parameters
    ----------
    expr : sympy expression (or int / str of an exact rational)
        Built from rationals, ``pi``, ``E``, symbols, ``+``, ``*``, powers with
        rational exponents, ``sqrt``, ``exp``, ``log``, ``Abs``.
    values : mapping of sympy Symbol to ``flint.arb`` / ``flint.fmpq`` / int
        Values of the free symbols (balls are allowed).

    Raises
    ------
    ValueError
        For a construct it cannot enclose (it never guesses).

    Examples
    --------
    >>> flint = flint_or_none()
    >>> if flint is not None:
    ...     k = sympy.Symbol("kappa", positive=True)
    ...     with workprec(120):
    ...         b = to_arb((sympy.sqrt(k) - 1) / (sympy.sqrt(k) + 1), {k: flint.fmpq(100)})
    ...         print(b.contains(flint.fmpq(9, 11)), b.rad() < 1e-30)
    True True
    """
    import flint

    values = dict(values or {})
    expr = sympy.sympify(expr) if isinstance(expr, (int, str)) else expr

    def ev(e):
        if e in values:
            return flint.arb(values[e]) if not isinstance(values[e], flint.arb) else values[e]
        if e.is_Integer:
            return flint.arb(int(e))
        if e.is_Rational:
            return flint.arb(flint.fmpq(int(e.p), int(e.q)))
        if e is sympy.pi:
            return flint.arb.pi()
        if e is sympy.E:
            return flint.arb(1).exp()
        if e.is_Add:
            out = flint.arb(0)
            for a in e.args:
                out += ev(a)
            return out
        if e.is_Mul:
            out = flint.arb(1)
            for a in e.args:
                out *= ev(a)
            return out
        if e.is_Pow:
            base, ex = ev(e.base), e.exp
            if ex.is_Integer:
                return base ** int(ex)
            if ex.is_Rational:
                return base.root(int(ex.q)) ** int(ex.p) if base > 0 else _fail(e)
            return (ev(ex) * base.log()).exp() if base > 0 else _fail(e)
        if isinstance(e, sympy.exp):
            return ev(e.args[0]).exp()
        if isinstance(e, sympy.log) and len(e.args) == 1:
            a = ev(e.args[0])
            return a.log() if a > 0 else _fail(e)
        if isinstance(e, sympy.Abs):
            return abs(ev(e.args[0]))
        return _fail(e)

    return ev(expr)


def _fail(e: Any) -> Any:
    raise ValueError(f"cannot enclose {e} in ball arithmetic (unsupported or undecidable sign)")


def arb_str(x: Any, digits: int = 30) -> str:
    """Arb's notation ``[mid +/- rad]`` with ``digits`` significant digits of the midpoint.

    Examples
    --------
    >>> flint = flint_or_none()
    >>> if flint is not None:
    ...     with workprec(100):
    ...         print(arb_str(flint.arb(1) / 3, 10))
    [0.3333333333 +/- 3.34e-11]
    """
    return x.str(int(digits), radius=True)
