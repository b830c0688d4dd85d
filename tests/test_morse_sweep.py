"""Sweeps: determinism across executors, the CLI contract, bad input."""
import json

import numpy as np
import pytest

from symadam.cli import main
from symadam.core.parallel import ProcessExecutor
from symadam.morse.sweep import ProblemSpec, analyze_problem, morse_sweep
from symadam.networks.problems import fixed_design, gp_targets, make_problem


def test_problems_are_seeded_and_fixed_design():
    a, b = make_problem(3, 7, 10), make_problem(3, 7, 10)
    assert np.array_equal(a.y, b.y) and np.array_equal(a.x, fixed_design(10))
    assert not np.array_equal(a.y, make_problem(3, 8, 10).y)


def test_gp_targets_have_the_documented_covariance():
    x = fixed_design(4)
    rng = np.random.default_rng(0)
    Y = np.array([gp_targets(x, rng, 0.3) for _ in range(20000)])
    K = np.exp(-(x - x.T) ** 2 / (2 * 0.3 ** 2))
    # entrywise standard error of a sample covariance of unit-variance data: <= sqrt(2/N)
    assert np.max(np.abs(np.cov(Y.T) - K)) < 5 * np.sqrt(2 / 20000)


def test_sweep_identical_serial_and_processes():
    s1, r1 = morse_sweep("tanh", 2, 8, 4, seed=5, restarts=2)
    with ProcessExecutor(2) as ex:
        s2, r2 = morse_sweep("tanh", 2, 8, 4, seed=5, restarts=2, executor=ex)
    assert r1 == r2 and s1 == s2


def test_problem_result_independent_of_order():
    # problem 3 alone equals problem 3 computed after problems 0-2 in a sweep
    spec = ProblemSpec("logistic", 2, 8, seed=2, index=3, restarts=2)
    _, results = morse_sweep("logistic", 2, 8, 4, seed=2, restarts=2)
    assert analyze_problem(spec) == results[3]


def test_cli_json(capsys):
    rc = main(["morse", "--activation", "tanh", "--width", "2", "--points", "8",
               "--problems", "3", "--restarts", "2", "--seed", "1", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    for key in ("problems", "critical_points", "efficient_nondegenerate_fraction",
                "efficient_min_abs_eigenvalue"):
        assert key in out
    assert out["problems"] == 3
    assert set(out["efficient_min_abs_eigenvalue"]) >= {"min", "median"}


@pytest.mark.parametrize("argv,msg", [
    (["--activation", "relu"], "not twice differentiable"),
    (["--activation", "swish"], "activation must be one of"),
    (["--width", "0"], "width must be"),
    (["--points", "6"], "points must be >= 7"),
    (["--problems", "0"], "problems must be"),
    (["--workers", "0"], "workers must be"),
    (["--seed", "-1"], "seed must be an integer >= 0"),   # was numpy's message, no argument name
])
def test_cli_bad_input(argv, msg, capsys):
    assert main(["morse", *argv]) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1
