"""One executor abstraction for claims and sweeps.

``make_executor()`` returns a serial executor by default, a process pool
with ``workers > 1``, or a Dask ``distributed`` client with ``scheduler``
(an address such as ``tcp://127.0.0.1:8786``; needs the ``[dask]`` extra).
All three expose ``map(fn, items) -> list`` that preserves order, so a sweep
gives identical results whichever runs it (every random draw takes its seed
from the item, never from the worker).
"""
from __future__ import annotations

import functools
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Protocol

__all__ = ["Executor", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "make_executor"]


class Executor(Protocol):
    """Anything with an order-preserving ``map`` and a ``workers`` count.

    Examples
    --------
    >>> ex: Executor = make_executor()
    >>> ex.workers, ex.map(str, [1, 2])
    (1, ['1', '2'])
    """

    workers: int

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list:
        """``[fn(x) for x in items]``, in order, wherever it runs."""
        ...


class SerialExecutor:
    """Runs everything in this process, in order.

    Examples
    --------
    >>> SerialExecutor().map(abs, [-1, 2])
    [1, 2]
    """

    workers = 1

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list:
        """``[fn(x) for x in items]`` (see the class example)."""
        return [fn(x) for x in items]

    def close(self) -> None:
        """Nothing to release.

        Examples
        --------
        >>> SerialExecutor().close()
        """


class ProcessExecutor:
    """A local process pool (``concurrent.futures``), order preserving.

    ``fn`` and the items must be picklable (module-level functions).

    Examples
    --------
    >>> with ProcessExecutor(2) as ex:
    ...     ex.map(abs, [-3, 4])
    [3, 4]
    """

    def __init__(self, workers: int):
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers)

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list:
        """Order-preserving parallel map (see the class example)."""
        return list(self._pool.map(fn, list(items)))

    def close(self) -> None:
        """Shut the pool down (``with`` does it on exit; see the class example)."""
        self._pool.shutdown()

    def __enter__(self) -> "ProcessExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


#: One task at a time per process: mpmath's working precision (``workdps``) is a process-wide
#: setting, so two tasks in threads of one Dask worker process could change each other's
#: precision mid-computation.  Parallelism comes from worker processes, not threads.
_TASK_LOCK = threading.Lock()


def _one_at_a_time(fn: Callable[[Any], Any], x: Any) -> Any:
    with _TASK_LOCK:
        return fn(x)


class DaskExecutor:
    """A Dask ``distributed`` client at ``address`` (extra ``[dask]``).

    Tasks run one at a time in each worker process (a process-wide lock), because
    mpmath's precision is global to a process; start workers with several processes
    (``--nworkers``) rather than several threads to use more cores.

    Parameters
    ----------
    address : str or distributed.Client
        Scheduler address, or an existing client (used as is, not closed).

    Examples
    --------
    Needs a running cluster (``tests/test_dask_cluster.py`` starts a LocalCluster):

    >>> with DaskExecutor("tcp://127.0.0.1:8786") as ex:  # doctest: +SKIP
    ...     ex.map(abs, [-1, 2])
    [1, 2]
    """

    def __init__(self, address: Any):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on extras
            raise ValueError(
                "scheduler needs the optional dask extra: pip install 'symadam[dask]'"
            ) from exc
        if isinstance(address, Client):
            self._client, self._own = address, False
        else:
            try:
                self._client, self._own = Client(address, timeout="10s"), True
            except OSError as exc:
                raise ValueError(f"scheduler: cannot connect to {address!r} ({exc})") from None
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list:
        """Order-preserving map on the cluster (``pure=False``: every item is run)."""
        futures = self._client.map(functools.partial(_one_at_a_time, fn), list(items),
                                   pure=False)
        return self._client.gather(futures)

    def close(self) -> None:
        """Close the client if this executor opened it."""
        if self._own:
            self._client.close()

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def make_executor(workers: int | None = None, scheduler: Any = None) -> Any:
    """Serial by default; processes with ``workers > 1``; Dask with ``scheduler``.

    Examples
    --------
    >>> type(make_executor()).__name__
    'SerialExecutor'
    """
    if scheduler is not None and workers not in (None, 1):
        raise ValueError("give either workers or scheduler, not both")
    if scheduler is not None:
        return DaskExecutor(scheduler)
    if workers is None or workers == 1:
        return SerialExecutor()
    return ProcessExecutor(workers)
