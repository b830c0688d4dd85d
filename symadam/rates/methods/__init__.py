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

from ._base import (
    KAPPA,
    LAM,
    MU,
    RHO,
    THETA,
    THETA_PREV,
    IterationMap,
    L,
    N,
    Parameter,
    Z,
    quadratic_gradient,
)
from ._registry import METHODS, get_method, register_method
from .gd import GD
from .heavy_ball import HEAVY_BALL
from .nesterov import NESTEROV

__all__ = [
    "METHODS", "register_method", "get_method", "IterationMap", "Parameter",
    "quadratic_gradient", "LAM", "MU", "L", "KAPPA", "Z", "RHO", "N", "THETA", "THETA_PREV",
]

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
