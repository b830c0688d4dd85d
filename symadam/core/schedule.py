"""Run a dependency graph of jobs on a process pool, longest path first.

``symadam verify`` runs its claims here when it has more than one local worker.
A job becomes ready once all its dependencies have finished; among the ready jobs
the one with the longest remaining path (its own cost plus the costliest chain of
jobs that wait on it, the *bottom level*) is started first.  Without
dependencies this is the longest-processing-time rule (LPT), whose makespan is at
most 4/3 of the optimum on identical workers; with them it is Hu's critical-path
list scheduling.  Costs are hints (seconds of CPU measured on an earlier run,
:func:`cost_hints`); a wrong hint changes only the order, never a result.

Results never depend on the order: every job takes its seed from its item, and
:func:`run_graph` returns them keyed by job, so a caller lists them in its own
(deterministic) order.
"""
from __future__ import annotations

import heapq
import json
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from importlib import resources
from statistics import median
from typing import Any, Callable, Hashable, Iterable, Mapping

__all__ = ["cost_hints", "bottom_levels", "run_graph"]

#: Seconds of CPU per claim from the last benchmark (``benchmarks/bench_verify.py --write-costs``).
COST_FILE = "claim_costs.json"


def _table() -> dict[str, float]:
    try:
        text = resources.files("symadam").joinpath("data", COST_FILE).read_text()
        return {str(k): float(v) for k, v in json.loads(text)["cpu_seconds"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def cost_hints(ids: Iterable[str], table: Mapping[str, float] | None = None) -> dict[str, float]:
    """A cost (seconds) for each id: its measured CPU time, or for a claim not in the table
    (a new one) the median of the table (1 s if the table is empty).

    Examples
    --------
    >>> cost_hints(["a", "b", "new"], {"a": 2.0, "b": 8.0})
    {'a': 2.0, 'b': 8.0, 'new': 5.0}
    >>> cost_hints(["x"], {})
    {'x': 1.0}
    """
    table = _table() if table is None else dict(table)
    default = median(table.values()) if table else 1.0
    return {i: float(table.get(i, default)) for i in ids}


def bottom_levels(deps: Mapping[Hashable, Iterable[Hashable]],
                  cost: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Each job's cost plus the costliest chain of jobs that (transitively) wait on it.

    ``deps`` maps every job to the jobs it waits on (only jobs in ``deps`` count).

    Examples
    --------
    >>> bottom_levels({"a": [], "b": ["a"], "c": ["a"], "d": []},
    ...               {"a": 1.0, "b": 5.0, "c": 2.0, "d": 4.0})
    {'a': 6.0, 'b': 5.0, 'c': 2.0, 'd': 4.0}
    """
    children: dict[Hashable, list] = {k: [] for k in deps}
    for k, ds in deps.items():
        for d in ds:
            if d in children:
                children[d].append(k)
    level: dict[Hashable, float] = {}

    def visit(k):
        if k not in level:
            level[k] = cost[k]   # a placeholder while visiting: a cycle cannot recurse forever
            level[k] = cost[k] + max((visit(c) for c in children[k]), default=0.0)
        return level[k]

    for k in deps:
        visit(k)
    return {k: level[k] for k in deps}


def run_graph(executor: Any, fn: Callable[[Any], Any], jobs: Mapping[Hashable, Any],
              deps: Mapping[Hashable, Iterable[Hashable]], cost: Mapping[Hashable, float],
              skip: Callable[[Hashable, dict], Any] | None = None,
              on_result: Callable[[Hashable, Any], None] | None = None) -> dict:
    """``{key: fn(jobs[key])}``, each job started once its dependencies finished.

    Parameters
    ----------
    executor
        Has ``workers``, ``submit(fn, item) -> concurrent.futures.Future`` and
        ``abort()`` (stop all workers now), like
        :class:`symadam.core.parallel.ProcessExecutor`.
    fn, jobs
        The function (picklable) and the item of each job.
    deps
        Job -> the jobs it waits on (jobs outside ``jobs`` are ignored).
    cost
        Job -> a cost hint (seconds); ready jobs start by decreasing :func:`bottom_levels`,
        ties by key.  At most ``executor.workers`` jobs are in flight, so the order holds.
    skip
        ``skip(key, results)`` is called when a job becomes ready; a result other than
        None is taken as the job's result and the job is not run (a failed dependency).
    on_result
        Called with ``(key, result)`` as each job finishes (in this process).

    Raises
    ------
    symadam.core.parallel.ExecutorLost
        A worker died; ``partial`` maps the index of each finished job (in the
        order of ``jobs``) to its result.
    Anything ``fn`` raises, and KeyboardInterrupt: the workers are stopped first.

    Examples
    --------
    >>> from symadam.core.parallel import ProcessExecutor
    >>> with ProcessExecutor(2) as ex:
    ...     out = run_graph(ex, abs, {"a": -1, "b": -2, "c": 3}, {"c": ["a", "b"]},
    ...                     {"a": 1.0, "b": 1.0, "c": 1.0})
    >>> out
    {'a': 1, 'b': 2, 'c': 3}
    """
    from .parallel import ExecutorLost

    keys = list(jobs)
    order = {k: n for n, k in enumerate(keys)}
    waits = {k: {d for d in deps.get(k, ()) if d in jobs and d != k} for k in keys}
    children: dict[Hashable, list] = {k: [] for k in keys}
    for k in keys:
        for d in waits[k]:
            children[d].append(k)
    level = bottom_levels({k: waits[k] for k in keys}, {k: float(cost.get(k, 1.0))
                                                        for k in keys})
    ready: list = []
    results: dict = {}
    running: dict = {}

    def push(k):
        heapq.heappush(ready, (-level[k], order[k], k))

    def finish(k, r):
        results[k] = r
        if on_result is not None:
            on_result(k, r)
        for c in children[k]:
            waits[c].discard(k)
            if not waits[c]:
                push(c)

    for k in keys:
        if not waits[k]:
            push(k)
    try:
        while ready or running:
            while ready and len(running) < executor.workers:
                _, _, k = heapq.heappop(ready)
                instead = skip(k, results) if skip is not None else None
                if instead is not None:
                    finish(k, instead)
                else:
                    running[executor.submit(fn, jobs[k])] = k
            if not running:
                continue
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for f in sorted(done, key=lambda f: order[running[f]]):
                finish(running.pop(f), f.result())
    except BrokenProcessPool as exc:
        executor.abort()
        raise ExecutorLost(f"a worker process died ({exc})",
                           {order[k]: r for k, r in results.items()}) from None
    except BaseException:  # Ctrl-C, or an exception from fn: stop the others at once
        executor.abort()
        raise
    if len(results) != len(keys):   # a dependency cycle leaves jobs that never became ready
        raise ValueError("jobs with cyclic dependencies: "
                         + ", ".join(map(str, (k for k in keys if k not in results))))
    return {k: results[k] for k in keys}
