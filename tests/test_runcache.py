"""The run-scoped cache shared by the worker processes of a parallel ``verify``."""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import sympy

from symadam.core.runcache import run_directory, shared, using


@shared(lambda n, log: str(n))
def _slow_square(n, log):
    with open(log, "a") as fh:          # one line per real computation
        fh.write(f"{os.getpid()}\n")
    return sympy.Integer(n) ** 2


def _in_worker(args):
    n, log, d = args
    with using(d):
        return _slow_square(n, log), os.getpid()


def _pool():
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def test_second_process_loads_what_the_first_derived(tmp_path):
    log = tmp_path / "calls.txt"
    with run_directory() as d:
        with _pool() as p1:
            v1, pid1 = p1.submit(_in_worker, (7, str(log), d)).result()
        with _pool() as p2:
            v2, pid2 = p2.submit(_in_worker, (7, str(log), d)).result()
    assert pid1 != pid2 and v1 == v2 == 49
    assert log.read_text().split() == [str(pid1)]        # derived once, loaded once
    assert not os.path.exists(d)                          # the run's cache is gone after it


def test_no_sharing_outside_a_run(tmp_path):
    log = tmp_path / "calls.txt"
    assert _slow_square(3, str(log)) == 9 and _slow_square(3, str(log)) == 9
    assert len(log.read_text().split()) == 2


def test_distinct_keys_are_distinct_results(tmp_path):
    log = tmp_path / "calls.txt"
    with run_directory():
        assert [_slow_square(n, str(log)) for n in (2, 3, 2)] == [4, 9, 4]
    assert len(log.read_text().split()) == 2


def test_unpicklable_results_are_computed_not_shared(tmp_path):
    @shared(lambda: "k")
    def f():
        return lambda: 1                 # a lambda cannot be pickled
    with run_directory() as d:
        assert f()() == 1 and f()() == 1
        assert [n for n in os.listdir(d) if n.endswith(".pickle")] == []
