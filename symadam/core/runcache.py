"""A cache shared by the worker processes of one ``symadam verify`` run.

In one process, an exact derivation needed by several claims (the rate engine's
tuning of heavy ball, say, needed by ``rates.heavy_ball``,
``rates.heavy_ball_optimal`` and ``morse.local_rates``) is computed once and
kept by :func:`functools.lru_cache`.  With a pool of worker processes each
worker would derive it again.  :func:`shared` adds a second level: while a run
directory is active (:func:`run_directory`, opened by the parallel route of
:func:`symadam.core.registry.run_claims`), the first worker to finish a
derivation stores it there (pickled, written atomically) and the others load it.

The cache lives for one run only (a temporary directory, removed at its end),
so nothing computed by an earlier version of the code is ever served; outside a
run (notebooks, the CLI's other commands, sabotage runs) :func:`shared` does
nothing.  A result that cannot be pickled is simply not shared.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

__all__ = ["shared", "run_directory", "active_directory", "using"]

F = TypeVar("F", bound=Callable[..., Any])

#: The run directory of this process (set in the parent by :func:`run_directory`
#: and in a pool worker, per job, by :func:`using`).
_ACTIVE: str | None = None


def active_directory() -> str | None:
    """The active run directory, or None outside a parallel ``verify`` run.

    Examples
    --------
    >>> active_directory() is None
    True
    """
    return _ACTIVE


@contextmanager
def using(directory: str | None) -> Iterator[None]:
    """Make ``directory`` the active run directory inside the block (None: no sharing).

    Examples
    --------
    >>> with using("/tmp/x"):
    ...     active_directory()
    '/tmp/x'
    >>> active_directory() is None
    True
    """
    global _ACTIVE
    old, _ACTIVE = _ACTIVE, directory
    try:
        yield
    finally:
        _ACTIVE = old


@contextmanager
def run_directory() -> Iterator[str]:
    """A fresh temporary run directory, active inside the block and removed after it.

    Examples
    --------
    >>> with run_directory() as d:
    ...     os.path.isdir(d) and active_directory() == d
    True
    >>> os.path.isdir(d)
    False
    """
    with tempfile.TemporaryDirectory(prefix="symadam-run-") as d:
        with using(d):
            yield d


def shared(key: Callable[..., str]) -> Callable[[F], F]:
    """Share a pure function's results between the processes of one run.

    ``key(*args, **kwargs)`` must return a string that determines the result
    (for an exact derivation: a canonical form of its input, e.g. ``srepr``).
    Apply it under :func:`functools.lru_cache` so that each process consults the
    directory at most once per argument.

    Examples
    --------
    >>> calls = []
    >>> @shared(lambda n: str(n))
    ... def square(n):
    ...     calls.append(n)
    ...     return n * n
    >>> with run_directory():
    ...     square(3), square(3)
    (9, 9)
    >>> calls                      # the second call was served from the run directory
    [3]
    >>> square(3), calls           # outside a run: computed
    (9, [3, 3])
    """
    def wrap(fn: F) -> F:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            d = _ACTIVE
            if d is None:
                return fn(*args, **kwargs)
            digest = hashlib.sha256(f"{name}\0{key(*args, **kwargs)}".encode()).hexdigest()
            path = Path(d) / f"{digest}.pickle"
            try:
                with open(path, "rb") as fh:
                    return pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass
            value = fn(*args, **kwargs)
            try:
                blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                fd, tmp = tempfile.mkstemp(dir=d, suffix=".part")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                os.replace(tmp, path)       # atomic: a reader sees all of it or nothing
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                pass
            return value
        return inner  # type: ignore[return-value]
    return wrap
