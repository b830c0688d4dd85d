"""Hostile and extreme input on every command (issue 18): no code runs, nothing hangs, every
refusal is exit status 2 with exactly one line on stderr and no traceback.

Each case below was, before the fix, a code execution, a hang (killed at 90 s), or a
traceback.  They run in-process through ``symadam.cli.main``: a refusal happens before any
work, so each takes milliseconds.
"""
from __future__ import annotations

import os

import pytest

from symadam.cli import main

INJECTIONS = [
    "__import__('os').system('touch SOMEFILE')",
    "open('SOMEFILE', 'w').write('x')",
    "exec(\"open('SOMEFILE','w')\")",
    "(lambda: open('SOMEFILE', 'w'))()",
    "[open('SOMEFILE', 'w') for _ in (1,)]",
    "x.__class__.__bases__[0].__subclasses__()",
    "getattr(x, '__class__')",
    "globals()['__builtins__']",
]


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("target", INJECTIONS)
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_target_injection_runs_nothing(target, activation, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["existence", "--activation", activation, "--width", "1",
                 "--target", target]) == 2
    _one_line(capsys)
    assert os.listdir(tmp_path) == [], "the expression created a file"


@pytest.mark.parametrize("flag", ["--kappa", "--eps"])
def test_number_injection_runs_nothing(flag, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["rate", "adam", flag, "__import__('os').system('touch SOMEFILE')"]) == 2
    _one_line(capsys)
    assert os.listdir(tmp_path) == []


# (argv, a fragment the one-line message must contain)
REFUSED = [
    # hangs before the fix
    (["rate", "gd", "--kappa", "1e1000000000"], "limit"),
    (["rate", "gd", "--kappa", "2", "--dps", "10000000"], "dps must be <= 1000"),
    (["rate", "adam", "--eps", "1e-1000000000"], "limit"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--batch", "1000000"], "--batch must be <="),
    (["avf", "eval", "--data", "bernoulli:0.1", "--batch", "3000"], "--batch must be <="),
    (["avf", "eval", "--data", "uniform:0,1", "--batch", "200"], "--batch must be <="),
    (["avf", "eval", "--data", "discrete:0,0.37,1@0.2,0.3,0.5", "--batch", "100"], "atoms"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--dps", "5000"], "dps must be <= 100"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--theta", "1e1000000000"], "limit"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--theta", "1e-1000000000"], "limit"),
    (["avf", "eval", "--data", "bernoulli:1e-1000000000"], "limit"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--beta2", "1e-1000000000"], "limit"),
    (["morse", "--width", "200", "--points", "2000"], "exceeds the limit"),
    (["existence", "--activation", "relu", "--width", "1", "--target", "x",
      "--domain", "0,1e1000000000"], "limit"),
    (["existence", "--activation", "tanh", "--target", "x**40", "--width", "40"],
     "degree 40 exceeds the limit"),
    (["existence", "--activation", "relu", "--target", "x**5", "--width", "3"],
     "exceeds the limit"),
    (["existence", "--activation", "tanh", "--target", "x**2", "--width", "1000000000"],
     "width must be <="),
    (["existence", "--activation", "relu", "--width", "1", "--target", "x**10**10"],
     "exponent"),
    (["existence", "--activation", "relu", "--width", "1", "--target", "(x**100)**100"],
     "degree"),
    (["existence", "--activation", "relu", "--width", "1", "--target", "x" + "*x" * 900],
     "limit"),
    # tracebacks before the fix
    (["avf", "eval", "--data", "bernoulli:1/0"], "division by zero"),
    (["avf", "eval", "--data", "discrete:0,1/0@1/2,1/2"], "division by zero"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--theta", "1/0"], "division by zero"),
    (["existence", "--activation", "relu", "--width", "1", "--target", "x",
      "--domain", "0,1/0"], "division by zero"),
    (["existence", "--activation", "relu", "--width", "1", "--target", "1/(x - x)"],
     "division by zero"),
    (["existence", "--activation", "relu", "--width", "1", "--target", "log(0)"],
     "not finite"),
    (["avf", "eval", "--data", "bernoulli:0.1", "--eps", "1e300"], "eps must be <= 1e100"),
    (["morse", "--points", "1000000000"], "memory"),
    (["morse", "--points", "100000", "--problems", "1", "--restarts", "1"], "memory"),
    (["verify", "rates.gd", "--dps", "5000"], "dps must be <= 1000"),
    (["verify", "rates.gd", "--report", ""], "empty"),
    (["verify", "rates.gd", "--report", "/proc/no/such/dir"], "cannot create"),
    (["verify", "rates.gd", "--report", "/etc/hostname"], "not a directory"),
    (["derive", "--proofs", "/etc/hostname"], "not a directory"),
    (["derive", "--proofs", ""], "empty"),
    (["derive", "--proofs", "/proc/no/such/dir"], "cannot create"),
    # other documented constraints
    (["rate", "gd", "--kappa", "nan"], "finite"),
    (["rate", "gd", "--kappa", "0x10"], "must be a number"),
    (["avf", "eval", "--data", "bernoulli:inf"], "finite"),
    (["morse", "--seed", "-1"], "seed"),
    (["verify", "--workers", "0", "rates.gd"], "workers"),
    (["verify", "no.such.claim"], "matches no registered claim"),
]


@pytest.mark.parametrize("argv, fragment", REFUSED, ids=[" ".join(a)[:60] for a, _ in REFUSED])
def test_refused_at_once_with_one_line(argv, fragment, capsys):
    assert main(argv) == 2
    err = _one_line(capsys)
    assert fragment in err


def test_workers_capped_at_the_cores(capsys):
    from symadam.core.parallel import available_cores

    assert main(["morse", "--points", "8", "--problems", "1", "--restarts", "1",
                 "--workers", "64", "--json"]) == 0
    err = capsys.readouterr().err
    assert f"capped at the {available_cores()} available cores" in err


def test_internal_errors_are_one_line(monkeypatch, capsys):
    import symadam.rates.cli as rc

    monkeypatch.setattr(rc, "_parse_kappa", lambda text: 1 / 0)
    monkeypatch.delenv("SYMADAM_TRACEBACK", raising=False)
    assert main(["rate", "gd", "--kappa", "2"]) == 1
    assert "internal error: ZeroDivisionError" in _one_line(capsys)


def test_memory_error_is_one_line(monkeypatch, capsys):
    import symadam.rates.cli as rc

    def boom(text):
        raise MemoryError

    monkeypatch.setattr(rc, "_parse_kappa", boom)
    assert main(["rate", "gd", "--kappa", "2"]) == 1
    assert "out of memory" in _one_line(capsys)


def test_shortfall_exits_1(monkeypatch, capsys):
    import symadam.rates.cli as rc
    from symadam.core.validate import ShortfallError

    def short(text):
        raise ShortfallError("20 digits not reached at 40 working digits")

    monkeypatch.setattr(rc, "_parse_kappa", short)
    assert main(["rate", "gd", "--kappa", "2"]) == 1
    assert "not reached" in _one_line(capsys)


def test_ctrl_c_exits_130(monkeypatch, capsys):
    import symadam.rates.cli as rc

    def interrupt(text):
        raise KeyboardInterrupt

    monkeypatch.setattr(rc, "_parse_kappa", interrupt)
    assert main(["rate", "gd", "--kappa", "2"]) == 130
    assert _one_line(capsys) == "symadam: interrupted\n"


def test_public_functions_do_not_eval(tmp_path, monkeypatch):
    """Strings given to public functions are read by the safe parsers, never sympify."""
    from symadam.avf.laws import parse_data
    from symadam.existence.piecewise import parse_target
    from symadam.existence.smooth_exact import polynomial_sequence
    from symadam.rates.engine import tune

    monkeypatch.chdir(tmp_path)
    evil = "__import__('os').system('touch SOMEFILE')"
    calls = [lambda: parse_target("x", (evil, 1)), lambda: parse_target(evil),
             lambda: parse_data(f"bernoulli:{evil}"), lambda: polynomial_sequence("tanh", evil),
             lambda: parse_data("rademacher").gradient_atoms(evil),
             lambda: tune("gd").rate_at(evil),
             lambda: tune("adam").parameters_at(L=2, mu=1, eps=evil)]
    for call in calls:
        with pytest.raises(ValueError):
            call()
    assert os.listdir(tmp_path) == []
