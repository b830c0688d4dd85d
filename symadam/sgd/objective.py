"""Safe reading of the ``sgd`` inputs: objectives, their variables, points (sympy only).

Objectives are parsed only by :func:`symadam.core.expr.parse_expression`
(never ``eval``/``sympify``), in their variables sorted by name.
"""
from __future__ import annotations

from typing import Sequence

import sympy

__all__ = ["MAX_VARIABLES", "MAX_DEGREE", "objective_variables", "parse_point", "parse_objective"]

#: Limits checked before any exact work: number of variables, total degree of a polynomial.
MAX_VARIABLES, MAX_DEGREE = 4, 24


def objective_variables(text: str) -> list[str]:
    """The variable names of an objective, sorted by name (``ast`` names that are not functions).

    Nothing is evaluated: the text is only tokenised by :func:`ast.parse`;
    :func:`symadam.core.expr.parse_expression` then refuses anything else.

    Examples
    --------
    >>> objective_variables("(y**2 + x**2 - 1)**2 + tanh(z)")
    ['x', 'y', 'z']
    >>> objective_variables("x**")
    Traceback (most recent call last):
    ...
    ValueError: objective is not a valid expression: 'x**'
    """
    import ast

    from ..core.expr import FUNCTIONS

    if not isinstance(text, str) or len(text) > 2000:
        raise ValueError("objective must be a string of at most 2000 characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ValueError(f"objective is not a valid expression: {text[:80]!r}") from None
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names -= set(FUNCTIONS) | {"pi", "E"}
    if not names:
        raise ValueError("objective has no variables (a constant has no critical-point structure)")
    if len(names) > MAX_VARIABLES:
        raise ValueError(f"objective has {len(names)} variables; the limit is {MAX_VARIABLES}")
    return sorted(names)


def parse_point(text: str, dim: int) -> list:
    """A point ``X1,X2,...`` as exact numbers (``0.5`` is ``1/2``; ``sqrt(2)/2`` allowed).

    Examples
    --------
    >>> parse_point("1, 0.5", 2)
    [1, 1/2]
    >>> parse_point("1", 2)
    Traceback (most recent call last):
    ...
    ValueError: point must have 2 coordinates (one per variable), got 1
    """
    from ..core.expr import parse_expression

    parts = [t for t in str(text).split(",")]
    if len(parts) != dim:
        raise ValueError(f"point must have {dim} coordinates (one per variable), got {len(parts)}")
    out = []
    for t in parts:
        v = parse_expression(t, (), name="point")
        if not (v.is_real and v.is_finite):
            raise ValueError(f"point coordinates must be finite real numbers, got {t.strip()!r}")
        out.append(v)
    return out


def parse_objective(text: str, variables: Sequence[str]) -> sympy.Expr:
    """``text`` parsed safely in ``variables`` (see :func:`symadam.core.expr.parse_expression`).

    Examples
    --------
    >>> parse_objective("x**4 - y**2", ("x", "y"))
    x**4 - y**2
    """
    from ..core.expr import parse_expression

    return parse_expression(text, tuple(variables), name="objective")
