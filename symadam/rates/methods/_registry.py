"""The registry of iteration maps: :data:`METHODS`, :func:`register_method`, :func:`get_method`.

Kept apart from the package ``__init__`` so that a method file can register
itself (``register_method(ADAM)``) without importing its own package.
"""
from __future__ import annotations

from ._base import IterationMap

__all__ = ["METHODS", "register_method", "get_method"]

#: name -> IterationMap; extended by :func:`register_method`.
METHODS: dict[str, IterationMap] = {}


def register_method(method: IterationMap) -> IterationMap:
    """Add ``method`` to :data:`METHODS` under ``method.name`` (names are unique).

    Examples
    --------
    >>> from symadam.rates.methods.gd import GD
    >>> register_method(GD) is GD
    True
    """
    old = METHODS.get(method.name)
    if old is not None and old is not method:
        raise ValueError(f"method name {method.name!r} is registered twice")
    METHODS[method.name] = method
    return method


def get_method(method: "str | IterationMap") -> IterationMap:
    """Look a method up by name (``_`` and ``-`` are interchangeable), or pass one through.

    Raises
    ------
    ValueError
        If the name is not registered.

    Examples
    --------
    >>> get_method("gd").name
    'gd'
    >>> get_method("sgd")
    Traceback (most recent call last):
    ...
    ValueError: method must be one of ...gd, heavy-ball, nesterov...; got 'sgd'
    """
    if isinstance(method, IterationMap):
        return method
    key = str(method).strip().lower().replace("_", "-")
    if key not in METHODS:
        raise ValueError(f"method must be one of {', '.join(sorted(METHODS))}; got {method!r}")
    return METHODS[key]
