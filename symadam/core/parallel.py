"""One executor abstraction for claims and sweeps.

``make_executor()`` returns a serial executor by default, a process pool
with ``workers > 1``, or a Dask ``distributed`` client with ``scheduler``
(an address such as ``tcp://127.0.0.1:8786``; needs the ``[dask]`` extra).
All three expose ``map(fn, items) -> list`` that preserves order, so a sweep
gives identical results whichever runs it (every random draw takes its seed
from the item, never from the worker).

Faults: a process pool whose worker dies, a Dask scheduler that goes away, or a
cluster left without workers for ``worker_timeout`` seconds raise
:class:`ExecutorLost`, carrying the results that did complete (``partial``), so a
caller can keep them; nothing waits forever.  Ctrl-C stops the workers too
(pool workers ignore SIGINT themselves and are terminated by the parent: no
traceback from each of them).
"""
from __future__ import annotations

import functools
import os
import signal
import socket
import struct
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Protocol

__all__ = ["Executor", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "make_executor",
           "ExecutorLost", "available_cores"]


class ExecutorLost(RuntimeError):
    """The workers or the scheduler went away; ``partial`` maps item index -> finished result.

    Examples
    --------
    >>> e = ExecutorLost("scheduler lost", {0: "done"})
    >>> str(e), e.partial
    ('scheduler lost', {0: 'done'})
    """

    def __init__(self, message: str, partial: dict[int, Any] | None = None):
        super().__init__(message)
        self.partial = dict(partial or {})


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity; ``os.cpu_count()`` elsewhere).

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _ignore_sigint() -> None:  # pool worker initializer: Ctrl-C is the parent's to handle
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list:
        """Order-preserving parallel map (see the class example)."""
        futures = [self._pool.submit(fn, x) for x in items]
        out: list = []
        try:
            for f in futures:
                out.append(f.result())
        except BrokenProcessPool as exc:
            partial = {i: f.result() for i, f in enumerate(futures)
                       if f.done() and not f.cancelled() and f.exception() is None}
            self.abort()
            raise ExecutorLost(f"a worker process died ({exc})", partial) from None
        except BaseException:  # Ctrl-C, or an exception from fn: stop the others at once
            self.abort()
            raise
        return out

    def submit(self, fn: Callable[[Any], Any], x: Any) -> Future:
        """Start ``fn(x)`` in a worker; a :class:`concurrent.futures.Future` of the result.

        Examples
        --------
        >>> with ProcessExecutor(2) as ex:
        ...     ex.submit(abs, -5).result()
        5
        """
        return self._pool.submit(fn, x)

    def abort(self) -> None:
        """Stop every worker now (queued work is cancelled; used on Ctrl-C and faults).

        Examples
        --------
        >>> ex = ProcessExecutor(1)
        >>> ex.abort()
        """
        procs = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(5)

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


def _probe_scheduler(address: str, timeout: float) -> None:
    """Refuse at once an address where no Dask scheduler answers (before ``Client``).

    A Dask comm starts with a frame count (8-byte little-endian unsigned) sent by the
    server as soon as a connection opens.  Silence for ``timeout`` seconds (an HTTP
    server, a bare listener) or an absurd count (another protocol) is not a scheduler:
    ``distributed.Client`` would hang or try to allocate exabytes on it.
    """
    if not isinstance(address, str) or not address.startswith("tcp://"):
        return  # other protocols (inproc, tls, ucx): left to distributed
    host, _, port = address[len("tcp://"):].rpartition(":")
    try:
        port_n = int(port.split("/")[0])
    except ValueError:
        raise ValueError(f"scheduler: {address!r} is not an address tcp://HOST:PORT") from None
    try:
        with socket.create_connection((host.strip("[]") or "127.0.0.1", port_n),
                                      timeout=timeout) as sock:
            sock.settimeout(timeout)
            head = b""
            while len(head) < 8:
                chunk = sock.recv(8 - len(head))
                if not chunk:
                    raise ValueError(f"scheduler: {address} closed the connection (not a Dask "
                                     "scheduler)")
                head += chunk
    except socket.timeout:
        raise ValueError(f"scheduler: nothing answered at {address} within {timeout:g} s "
                         "(not a Dask scheduler?)") from None
    except OSError as exc:
        raise ValueError(f"scheduler: cannot connect to {address!r} ({exc.strerror or exc})"
                         ) from None
    (frames,) = struct.unpack("<Q", head)
    if not 1 <= frames <= 1000:
        raise ValueError(f"scheduler: {address} does not speak the Dask protocol")


class DaskExecutor:
    """A Dask ``distributed`` client at ``address`` (extra ``[dask]``).

    Tasks run one at a time in each worker process (a process-wide lock), because
    mpmath's precision is global to a process; start workers with several processes
    (``--nworkers``) rather than several threads to use more cores.

    Parameters
    ----------
    address : str or distributed.Client
        Scheduler address, or an existing client (used as is, not closed).
    connect_timeout : float
        Seconds to wait for the scheduler to answer.
    worker_timeout : float
        ``map`` raises :class:`ExecutorLost` after this many seconds without any
        worker, or after the scheduler has been unreachable this long.

    Examples
    --------
    Needs a running cluster (``tests/test_dask_cluster.py`` starts a LocalCluster):

    >>> with DaskExecutor("tcp://127.0.0.1:8786") as ex:  # doctest: +SKIP
    ...     ex.map(abs, [-1, 2])
    [1, 2]
    """

    def __init__(self, address: Any, connect_timeout: float = 10.0,
                 worker_timeout: float = 60.0):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on extras
            raise ValueError(
                "scheduler needs the optional dask extra: pip install 'symadam[dask]'"
            ) from exc
        self.worker_timeout = worker_timeout
        if isinstance(address, Client):
            self._client, self._own = address, False
            self.address = getattr(address, "scheduler", None) and address.scheduler.address
        else:
            self.address = address
            _probe_scheduler(address, connect_timeout)
            try:
                self._client = Client(address, timeout=f"{connect_timeout}s",
                                      set_as_default=False)
                self._own = True
            except (OSError, TimeoutError, MemoryError, ValueError, TypeError) as exc:
                raise ValueError(f"scheduler: cannot connect to {address!r} "
                                 f"({type(exc).__name__}: {exc})") from None
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def _n_workers(self) -> int:
        try:
            return len(self._client.scheduler_info().get("workers", {}))
        except Exception:  # noqa: BLE001 - a broken client counts as no workers
            return 0

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list:
        """Order-preserving map on the cluster (``pure=False``: every item is run).

        Raises :class:`ExecutorLost` (with the finished results) if the scheduler
        goes away or no worker is left for ``worker_timeout`` seconds.
        """
        from distributed import wait

        items = list(items)
        if not items:
            return []
        futures = self._client.map(functools.partial(_one_at_a_time, fn), items, pure=False)
        results: dict[int, Any] = {}
        pending = dict(enumerate(futures))
        trouble_since = None
        while pending:
            try:
                wait(list(pending.values()), timeout=1.0, return_when="FIRST_COMPLETED")
            except Exception:  # noqa: BLE001 - TimeoutError, or a comm error: check health
                pass
            for i, f in list(pending.items()):
                if f.status == "finished":
                    try:
                        results[i] = f.result(timeout=self.worker_timeout)
                    except Exception as exc:  # noqa: BLE001 - lost while fetching
                        self._lost(f"fetching a result failed ({type(exc).__name__})",
                                   results, futures)
                    del pending[i]
                elif f.status == "error":
                    f.result()  # re-raise the task's own exception
                elif f.status in ("cancelled", "lost"):
                    self._lost(f"a task was {f.status}", results, futures)
            if not pending:
                break
            healthy = self._client.status == "running" and self._n_workers() > 0
            if healthy:
                trouble_since = None
            elif trouble_since is None:
                trouble_since = time.monotonic()
            elif time.monotonic() - trouble_since > self.worker_timeout:
                what = ("scheduler unreachable" if self._client.status != "running"
                        else "no workers")
                self._lost(f"{what} for {self.worker_timeout:g} s", results, futures)
        return [results[i] for i in range(len(items))]

    def _lost(self, why: str, results: dict, futures: list) -> None:
        try:
            self._client.cancel(futures)
        except Exception:  # noqa: BLE001, S110 - the cluster is gone already
            pass
        raise ExecutorLost(f"Dask cluster at {self.address} lost: {why}; "
                           f"{len(results)} of {len(futures)} tasks finished", results)

    def close(self) -> None:
        """Close the client if this executor opened it."""
        if self._own:
            try:
                self._client.close(timeout=5)
            except Exception:  # noqa: BLE001 - closing a client of a dead cluster
                pass

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
