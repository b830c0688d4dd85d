"""The pool scheduler of `symadam verify`: critical path first, dependencies, faults."""
import os

import pytest

from symadam.core.parallel import ExecutorLost, ProcessExecutor
from symadam.core.schedule import bottom_levels, cost_hints, run_graph


def test_bottom_levels_follow_the_longest_chain():
    deps = {"a": [], "b": ["a"], "c": ["b"], "d": [], "e": ["a"]}
    cost = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 5.0, "e": 1.0}
    assert bottom_levels(deps, cost) == {"a": 6.0, "b": 5.0, "c": 3.0, "d": 5.0, "e": 1.0}


def test_cost_hints_default_for_new_claims():
    table = {"x": 1.0, "y": 3.0, "z": 10.0}
    assert cost_hints(["z", "new"], table) == {"z": 10.0, "new": 3.0}
    shipped = cost_hints(["morse.efficient_nondegenerate", "rates.gd"])
    assert shipped["morse.efficient_nondegenerate"] > shipped["rates.gd"] > 0


def test_one_worker_runs_the_critical_path_first():
    """With one worker the finishing order is the start order: by decreasing bottom level."""
    jobs = {k: 1 for k in "abcde"}
    deps = {"c": ["b"], "b": ["a"]}
    cost = {"a": 1.0, "b": 1.0, "c": 1.0, "d": 2.5, "e": 0.5}
    seen = []
    with ProcessExecutor(1) as ex:
        out = run_graph(ex, abs, jobs, deps, cost, on_result=lambda k, r: seen.append(k))
    # levels a 3, d 2.5, b 2, c 1, e 0.5: a, then d (b only becomes ready after a), b, c, e
    assert seen == ["a", "d", "b", "c", "e"]
    assert list(out) == list(jobs)


def test_skip_replaces_a_job_and_its_result_is_passed_on():
    jobs = {"a": -1, "b": -2, "c": -3}
    deps = {"b": ["a"], "c": ["b"]}

    def skip(k, done):
        return "skipped" if k == "b" else ("after skip" if done.get("b") == "skipped" else None)

    with ProcessExecutor(2) as ex:
        out = run_graph(ex, abs, jobs, deps, {}, skip=skip)
    assert out == {"a": 1, "b": "skipped", "c": "after skip"}


def test_results_do_not_depend_on_the_cost_hints():
    jobs = {i: -i for i in range(12)}
    deps = {i: [i - 3] for i in range(3, 12)}
    with ProcessExecutor(2) as ex:
        a = run_graph(ex, abs, jobs, deps, {i: float(i) for i in jobs})
        b = run_graph(ex, abs, jobs, deps, {i: float(-i) for i in jobs})
    assert a == b == {i: i for i in range(12)}


def test_a_dead_worker_keeps_the_finished_jobs():
    with ProcessExecutor(2) as ex:
        with pytest.raises(ExecutorLost, match="worker process died") as info:
            run_graph(ex, _exit_on_three, {"ok": 0, "dies": 3}, {"dies": ["ok"]}, {})
    assert info.value.partial == {0: 0}


def test_an_exception_in_a_job_propagates():
    with ProcessExecutor(2) as ex:
        with pytest.raises(ZeroDivisionError):
            run_graph(ex, _inverse, {"a": 1, "b": 0}, {}, {})


def _exit_on_three(x):
    if x == 3:
        os._exit(3)
    return x


def _inverse(x):
    return 1 / x
