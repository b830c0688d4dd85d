"""``symadam existence`` (issue 7)."""
import json

import pytest
import sympy

from symadam.cli import main


def _run(capsys, *args):
    rc = main(["existence", *args, "--json"])
    out = capsys.readouterr()
    return rc, (json.loads(out.out) if rc == 0 else out.err)


def test_relu_exact(capsys):
    rc, res = _run(capsys, "--activation", "relu", "--target", "Abs(x - 1/2)", "--width", "1")
    assert rc == 0 and res["attained"] is True
    assert sympy.sympify(res["infimum"]) - (sympy.Rational(1, 4) - sympy.sqrt(2) / 6) == 0
    for key in ("best_risk", "parameters", "parameter_norm"):
        assert key in res


def test_relu_step_and_smooth(capsys):
    rc, res = _run(capsys, "--activation", "relu", "--target", "Heaviside(x - 1/2)",
                   "--width", "2")
    assert rc == 0 and res["attained"] is False and res["infimum"] == "0"
    rc, res = _run(capsys, "--activation", "tanh", "--target", "x", "--width", "1",
                   "--domain=-1,1")
    assert rc == 0 and res["attained"] is False and float(res["best_risk"]) < 1e-3
    rc, res = _run(capsys, "--activation", "softplus", "--target", "3*x - 1", "--width", "2")
    assert rc == 0 and res["attained"] is True and res["best_risk"] == "0"


@pytest.mark.parametrize("args,word", [
    (["--activation", "relu", "--target", "sin(x)", "--width", "1"], "target"),
    (["--activation", "relu", "--target", "Heaviside(x)", "--width", "1", "--domain=-1,1"],
     "continuous"),
    (["--activation", "swish", "--target", "x", "--width", "1"], "activation"),
    (["--activation", "relu", "--target", "x", "--width", "0"], "width"),
    (["--activation", "relu", "--target", "x**2", "--width", "5"], "width"),
    (["--activation", "tanh", "--target", "Abs(x - 1/2)", "--width", "2"], "polynomial"),
    (["--activation", "tanh", "--target", "x", "--width", "1", "--domain", "2,1"], "domain"),
])
def test_bad_input_exit_2(capsys, args, word):
    rc, err = _run(capsys, *args)
    assert rc == 2 and word in err and err.count("\n") == 1
