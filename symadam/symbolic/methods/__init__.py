"""Optimizers as symbolic iteration maps, and the registry of them.

:data:`METHODS` maps a name (the CLI's METHOD) to an :class:`IterationMap`.
One file per method defines it once; :func:`register_method` adds more.
Every public module in this package is imported when the package is, so a
new method is one new file here (e.g. ``adam.py``) that ends with
``register_method(ADAM)``.

Examples
--------
>>> {"gd", "heavy-ball", "nesterov"} <= set(METHODS)
True
>>> get_method("heavy_ball").title
"Polyak's heavy ball"
"""
from __future__ import annotations

from ._base import (KAPPA, L, LAM, MU, N, RHO, THETA, THETA_PREV, Z, IterationMap,
                    Parameter, quadratic_gradient)
from .gd import GD
from .heavy_ball import HEAVY_BALL
from .nesterov import NESTEROV

__all__ = [
    "METHODS", "register_method", "get_method", "IterationMap", "Parameter",
    "quadratic_gradient", "LAM", "MU", "L", "KAPPA", "Z", "RHO", "N", "THETA", "THETA_PREV",
]

#: name -> IterationMap; extended by :func:`register_method`.
METHODS: dict[str, IterationMap] = {}


def register_method(method: IterationMap) -> IterationMap:
    """Add ``method`` to :data:`METHODS` under ``method.name`` (names are unique).

    Examples
    --------
    >>> register_method(GD) is GD
    True
    """
    old = METHODS.get(method.name)
    if old is not None and old is not method:
        raise ValueError(f"method name {method.name!r} is registered twice")
    METHODS[method.name] = method
    return method


for _m in (GD, HEAVY_BALL, NESTEROV):
    register_method(_m)


def _load_extra() -> None:
    """Import optional method modules that register themselves (e.g. Adam, RMSprop)."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_load_extra()


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
