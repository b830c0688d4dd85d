"""A safe parser from user text to sympy expressions: no ``eval``, no ``sympify`` of raw text.

``sympy.sympify`` (and so ``parse_expr``) evaluates Python: a ``--target`` of
``__import__('os').system(...)`` runs.  :func:`parse_expression` instead
parses the text with :mod:`ast` and builds the sympy expression itself from a
whitelist:

* numbers (integers, decimals, scientific notation; read exactly from the
  text: ``0.1`` is ``1/10`` and ``1e-400`` is not ``0``; magnitudes within
  ``1e-1000 .. 1e1000`` as for every numeric input, see
  :func:`symadam.core.validate.parse_number`), the constants ``pi`` and ``E``;
* the caller's variables (real sympy symbols);
* ``+ - * / **`` and unary ``+ -``; exponents must be constant rationals
  with numerator and denominator at most ``max_exponent`` (default 100);
* the functions in :data:`FUNCTIONS` (``Abs``, ``Max``, ``Min``,
  ``Heaviside``, ``Piecewise``, ``sqrt``, ``exp``, ``log``, ``sin``, ``cos``,
  ``tanh``, ...), with comparisons allowed only inside ``Piecewise``
  conditions.

Everything else (names, attributes, subscripts, calls of other things,
keywords, lambdas, comprehensions, strings, ...) is refused with a
:class:`ValueError` naming the construct, before anything is evaluated.
Size limits (text length, nesting depth, node count, digits of constants)
are checked as the tree is walked, so no input makes the parser hang; a
result that is not finite (``log(0)``, ``1/(1 - 1)``) is refused too.

:func:`to_rational` is the one way a public function turns a number given
as text or as a Python/sympy number into an exact ``sympy.Rational``
(``sympy.nsimplify``/``sympify`` of a string would evaluate Python).
"""
from __future__ import annotations

import ast
import math
import numbers
import operator
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import sympy

from .validate import MAX_EXPONENT, parse_number

__all__ = ["FUNCTIONS", "parse_expression", "to_rational"]

#: Function names a user expression may call, and the sympy function each builds.
FUNCTIONS: Mapping[str, Callable] = {
    "Abs": sympy.Abs, "abs": sympy.Abs, "Max": sympy.Max, "max": sympy.Max,
    "Min": sympy.Min, "min": sympy.Min, "Heaviside": sympy.Heaviside,
    "Piecewise": sympy.Piecewise, "sqrt": sympy.sqrt, "exp": sympy.exp, "log": sympy.log,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "atan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "erf": sympy.erf,
    "sign": sympy.sign,
}
#: Allowed numbers of arguments (min, max) where a function is not unary.
_ARITY = {"Max": (1, 20), "max": (1, 20), "Min": (1, 20), "min": (1, 20),
          "Piecewise": (1, 20), "Heaviside": (1, 2), "log": (1, 2)}
_CONSTANTS = {"pi": sympy.pi, "E": sympy.E}
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: sympy.StrictLessThan, ast.LtE: sympy.LessThan,
            ast.Gt: sympy.StrictGreaterThan, ast.GtE: sympy.GreaterThan}
_MAX_DIGITS = 1000   # digits of any numeric constant built while parsing


class _Builder:
    def __init__(self, name: str, variables: Mapping[str, sympy.Symbol], max_depth: int,
                 max_nodes: int, max_exponent: int, text: str = ""):
        self.name, self.vars, self.text = name, variables, text
        self.max_depth, self.max_nodes, self.max_exponent = max_depth, max_nodes, max_exponent
        self.nodes = 0

    def fail(self, what: str, prefix: str = "") -> ValueError:
        allowed = ", ".join(sorted(self.vars)) or "none"
        return ValueError(f"{prefix or self.name + ': '}{what} is not allowed (allowed: numbers, "
                          f"pi, E, the "
                          f"variables {allowed}, + - * / **, and the functions "
                          f"{', '.join(sorted(k for k in FUNCTIONS if k[0].isupper()))}, sqrt, "
                          f"exp, log, sin, cos, tanh, ...)")

    def build(self, node: ast.AST, depth: int = 0, in_piecewise: bool = False):
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise ValueError(f"{self.name}: more than {self.max_nodes} terms (the limit)")
        if depth > self.max_depth:
            raise ValueError(f"{self.name}: nested deeper than {self.max_depth} (the limit)")
        d = depth + 1
        if isinstance(node, ast.Expression):
            return self.build(node.body, d)
        if isinstance(node, ast.Constant):
            return self.number(node.value, ast.get_source_segment(self.text, node))
        if isinstance(node, ast.Name):
            if node.id in self.vars:
                return self.vars[node.id]
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            raise self.fail(f"the name {node.id!r}", prefix=(
                f"{self.name} must depend on {', '.join(sorted(self.vars))} only; "
                if self.vars else ""))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            v = self.build(node.operand, d)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            a, b = self.build(node.left, d), self.build(node.right, d)
            op = _BINOPS[type(node.op)]
            if op == "**":
                return self.power(a, b)
            if op == "/":
                if b == 0:
                    raise ValueError(f"{self.name}: division by zero")
                return a / b
            return a + b if op == "+" else a - b if op == "-" else a * b
        if isinstance(node, ast.Call):
            return self.call(node, d)
        if isinstance(node, ast.Compare) and in_piecewise:
            if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
                raise self.fail("a comparison other than one of < <= > >=")
            return _COMPARE[type(node.ops[0])](self.build(node.left, d),
                                               self.build(node.comparators[0], d))
        if isinstance(node, ast.Tuple) and in_piecewise and len(node.elts) == 2:
            cond = node.elts[1]
            c = (sympy.true if isinstance(cond, ast.Constant) and cond.value is True
                 else self.build(cond, d, in_piecewise=True))
            return (self.build(node.elts[0], d), c)
        raise self.fail(f"the construct {type(node).__name__!r}")

    def number(self, v, source: str | None = None):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.fail(f"the literal {v!r}")
        if source is not None:  # exactly as written: 1e-400 is not 0, 0.1 is 1/10
            f = parse_number(source, self.name)
            return sympy.Rational(f.numerator, f.denominator)
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ValueError(f"{self.name}: numbers must be finite, got {v!r}")
            return sympy.Rational(repr(v))
        if abs(v) >= 10 ** _MAX_DIGITS:
            raise ValueError(f"{self.name}: an integer with more than {_MAX_DIGITS} digits")
        return sympy.Integer(v)

    def power(self, base, exponent):
        if not (isinstance(exponent, sympy.Rational)):
            raise ValueError(f"{self.name}: exponents must be rational constants, got "
                             f"{exponent}")
        if max(abs(exponent.p), exponent.q) > self.max_exponent:
            raise ValueError(f"{self.name}: exponent {exponent} exceeds the limit "
                             f"{self.max_exponent} (numerator and denominator)")
        if isinstance(base, sympy.Rational) and base != 0:
            size = abs(exponent) * math.log10(max(abs(base.p), base.q))
            if size > _MAX_DIGITS:
                raise ValueError(f"{self.name}: a constant power with more than {_MAX_DIGITS} "
                                 f"digits")
        if base == 0 and exponent < 0:
            raise ValueError(f"{self.name}: division by zero")
        return base ** exponent

    def call(self, node: ast.Call, d: int):
        f = node.func
        if isinstance(f, ast.Attribute):
            raise self.fail("attribute access")
        if not isinstance(f, ast.Name) or f.id not in FUNCTIONS:
            raise self.fail(f"calling {f.id!r}" if isinstance(f, ast.Name) else "this call")
        if node.keywords:
            raise self.fail("a keyword argument")
        lo, hi = _ARITY.get(f.id, (1, 1))
        if not lo <= len(node.args) <= hi:
            raise ValueError(f"{self.name}: {f.id} takes "
                             f"{lo if lo == hi else f'{lo} to {hi}'} argument(s), "
                             f"got {len(node.args)}")
        pw = f.id == "Piecewise"
        args = [self.build(a, d, in_piecewise=pw) for a in node.args]
        if pw and not all(isinstance(a, tuple) for a in args):
            raise ValueError(f"{self.name}: Piecewise takes (expression, condition) pairs")
        try:
            return FUNCTIONS[f.id](*args)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self.name}: {f.id}{tuple(map(str, args))}: {exc}") from None


def parse_expression(text: str, variables: Sequence[str] = ("x",), *, name: str = "expression",
                     max_length: int = 2000, max_depth: int = 60, max_nodes: int = 2000,
                     max_exponent: int = 100) -> sympy.Expr:
    """Parse ``text`` into a sympy expression in ``variables`` without evaluating any code.

    Parameters
    ----------
    text : str
        The user's expression, e.g. ``"Abs(x - 1/2) + x**2"``.
    variables : sequence of str
        Allowed variable names; each becomes ``sympy.Symbol(name, real=True)``.
    name : str
        The argument's name, used in error messages (e.g. ``"target"``).
    max_length, max_depth, max_nodes, max_exponent : int
        Limits on the text, its nesting, its size and the exponents in it.

    Raises
    ------
    ValueError
        Naming ``name`` and the refused construct or limit.

    Examples
    --------
    >>> parse_expression("Abs(x - 1/2) + 0.25*x**2")
    x**2/4 + Abs(x - 1/2)
    >>> parse_expression("(x**2 + y**2 - 1)**2", ("x", "y")).free_symbols == {
    ...     sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)}
    True
    >>> parse_expression("__import__('os').system('touch f')", name="target")
    Traceback (most recent call last):
    ...
    ValueError: target: attribute access is not allowed (allowed: ...)
    >>> parse_expression("__import__('os')", name="target")
    Traceback (most recent call last):
    ...
    ValueError: target: calling '__import__' is not allowed (allowed: ...)
    >>> parse_expression("x**10**10")
    Traceback (most recent call last):
    ...
    ValueError: expression: exponent 10000000000 exceeds the limit 100 (numerator and denominator)
    """
    if not isinstance(text, str):
        raise ValueError(f"{name} must be a string, got {type(text).__name__}")
    if len(text) > max_length:
        raise ValueError(f"{name}: longer than {max_length} characters (the limit)")
    if not text.strip():
        raise ValueError(f"{name} is empty")
    for v in variables:
        if not v.isidentifier() or v in FUNCTIONS or v in _CONSTANTS:
            raise ValueError(f"variable names must be identifiers other than function names, "
                             f"got {v!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        msg = getattr(exc, "msg", None) or type(exc).__name__
        raise ValueError(f"{name} is not a valid expression ({msg}): {text[:80]!r}") from None
    builder = _Builder(name, {v: sympy.Symbol(v, real=True) for v in variables}, max_depth,
                       max_nodes, max_exponent, text.strip())
    try:
        out = builder.build(tree)
    except RecursionError:
        raise ValueError(f"{name}: nested too deeply") from None
    if isinstance(out, tuple):
        raise ValueError(f"{name}: a tuple is not an expression")
    if not isinstance(out, sympy.Expr):
        raise ValueError(f"{name}: not an expression: {text[:80]!r}")
    if out.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise ValueError(f"{name}: not finite: {text[:80]!r} gives {out}")
    return out


def to_rational(value: Any, name: str, *, max_exponent: int = MAX_EXPONENT) -> sympy.Rational:
    """An exact ``sympy.Rational`` from text or a number; nothing is evaluated.

    Text goes through :func:`symadam.core.validate.parse_number` (integers,
    decimals, ``1e-3``, ``p/q``; magnitudes within ``1e-max_exponent ..
    1e max_exponent``); a Python ``float`` is read through its shortest decimal
    ``repr`` (``0.1`` is ``1/10``); ints, ``Fraction`` and sympy rationals are
    taken as they are, sympy ``Float`` through its decimal string.

    Raises
    ------
    ValueError
        Naming ``name``: not a finite real rational number, or beyond the limits.

    Examples
    --------
    >>> to_rational("0.25", "domain"), to_rational(0.1, "theta"), to_rational(3, "a")
    (1/4, 1/10, 3)
    >>> to_rational("__import__('os').system('touch f')", "domain")
    Traceback (most recent call last):
    ...
    ValueError: domain must be a number (integer, decimal, 1e-3 or p/q), got "__import__..."
    >>> to_rational(sympy.sqrt(2), "domain")
    Traceback (most recent call last):
    ...
    ValueError: domain must be a rational number, got sqrt(2)
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, str):
        f = parse_number(value, name, max_exponent=max_exponent)
        return sympy.Rational(f.numerator, f.denominator)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return to_rational(repr(value), name, max_exponent=max_exponent)
    if isinstance(value, sympy.Float):
        if not value.is_finite:
            raise ValueError(f"{name} must be finite, got {value}")
        return to_rational(str(value), name, max_exponent=max_exponent)
    if isinstance(value, sympy.Rational):
        r = value
    elif isinstance(value, (int, Fraction)):
        r = sympy.Rational(value.numerator, value.denominator)
    elif isinstance(value, sympy.Basic):
        raise ValueError(f"{name} must be a rational number, got {value}")
    elif hasattr(type(value), "__index__"):            # numpy integers
        r = sympy.Integer(operator.index(value))
    elif isinstance(value, (numbers.Real, Decimal)):   # numpy floats, Decimal
        return to_rational(repr(float(value)) if isinstance(value, numbers.Real)
                           else str(value), name, max_exponent=max_exponent)
    else:
        raise ValueError(f"{name} must be a number, got {type(value).__name__}")
    if r != 0:
        mag = math.log10(abs(r.p)) - math.log10(r.q)
        if not -max_exponent - 1 <= mag < max_exponent:
            raise ValueError(f"{name}: a number beyond the limit 1e-{max_exponent} <= |x| < "
                             f"1e{max_exponent} for numeric input")
    return r
