"""Discovery of the topic packages: where claims and sub-commands are found.

A *topic* is a sub-package of :mod:`symadam` other than the foundation
(``core``, ``networks``), the optional ``oracle`` and the dispatcher ``cli``.
A topic registers its claims in ``<topic>/claims.py`` and, if it has a
sub-command, defines it in ``<topic>/cli.py``; adding a topic is adding a
folder, nothing here changes.  Discovery is by name (``importlib``), so the
foundation never imports a topic statically.
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path
from types import ModuleType

__all__ = ["topics", "topic_modules"]

#: Sub-packages of symadam that are not topics.
NOT_TOPICS = frozenset({"core", "networks", "oracle", "cli"})

_ROOT = Path(__file__).resolve().parent.parent


def topics() -> list[str]:
    """Names of the topic packages, sorted.

    Examples
    --------
    >>> {"rates", "avf", "relu", "morse", "existence"} <= set(topics())
    True
    """
    return sorted(i.name for i in pkgutil.iter_modules([str(_ROOT)])
                  if i.ispkg and i.name not in NOT_TOPICS and not i.name.startswith("_"))


def topic_modules(name: str) -> list[ModuleType]:
    """Import and return module ``name`` (e.g. ``"claims"``, ``"cli"``) of every topic having one.

    Examples
    --------
    >>> {"symadam.avf.cli", "symadam.rates.cli"} <= {m.__name__ for m in topic_modules("cli")}
    True
    """
    out = []
    for t in topics():
        if (_ROOT / t / f"{name}.py").exists() or (_ROOT / t / name / "__init__.py").exists():
            out.append(importlib.import_module(f"symadam.{t}.{name}"))
    return out
