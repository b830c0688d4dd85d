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


def test_negative_domain_without_equals_and_wide_exact_fit(capsys):
    rc, res = _run(capsys, "--activation", "relu", "--target", "Abs(x)", "--width", "2",
                   "--domain", "-1,1")
    assert rc == 0 and res["attained"] is True and res["infimum"] == "0"
    # |x| on [-1, 1] at width 1: kink t = sqrt(2) - 1 (hand: minimize over t of the
    # least-squares error of c + u relu(x - t)), risk 1 - 2 sqrt(2)/3
    rc, res = _run(capsys, "--activation", "relu", "--target", "Abs(x)", "--width", "1",
                   "--domain", "-1,1")
    assert rc == 0 and sympy.sympify(res["infimum"]) - (1 - 2 * sympy.sqrt(2) / 3) == 0
    # width 5 > 3 is decided when it realizes the target exactly (3 kinks + free slope)
    rc, res = _run(capsys, "--activation", "relu", "--target",
                   "Abs(x - 1/4) + Abs(x - 1/2) + Abs(x - 3/4)", "--width", "5")
    assert rc == 0 and res["attained"] is True and res["best_risk"] == "0"
    th = [sympy.Rational(v) for v in res["parameters"]]
    for k in range(8):
        xk = sympy.Rational(k, 7)
        val = th[-1] + sum(th[10 + j] * sympy.Max(0, th[j] * xk + th[5 + j]) for j in range(5))
        assert val == sum(abs(xk - sympy.Rational(i, 4)) for i in (1, 2, 3))


def test_jump_close_to_the_edge_uses_a_steep_enough_pair(capsys):
    rc, res = _run(capsys, "--activation", "relu", "--target", "Heaviside(x - 1/10000)",
                   "--width", "2")
    assert rc == 0 and res["attained"] is False
    n = int(res["evidence"]["n"])
    assert n >= 10000 and float(res["best_risk"]) == pytest.approx(1 / (12 * n), rel=1e-12)


@pytest.mark.parametrize("args,word", [
    (["--activation", "relu", "--target", "sin(x)", "--width", "1"], "target"),
    (["--activation", "relu", "--target", "Heaviside(x)", "--width", "1", "--domain=-1,1"],
     "continuous"),
    (["--activation", "swish", "--target", "x", "--width", "1"], "activation"),
    (["--activation", "relu", "--target", "x", "--width", "0"], "width"),
    (["--activation", "relu", "--target", "x**2", "--width", "5"], "width"),
    (["--activation", "relu", "--target", "x", "--width", "-1"], "width"),
    (["--activation", "relu", "--target", "x*Heaviside(x - 1/2)", "--width", "2"],
     "continuous"),
    (["--activation", "gelu", "--target", "sin(x)", "--width", "2"], "target"),
    (["--activation", "tanh", "--target", "Abs(x - 1/2)", "--width", "2"], "polynomial"),
    (["--activation", "tanh", "--target", "x", "--width", "1", "--domain", "2,1"], "domain"),
])
def test_bad_input_exit_2(capsys, args, word):
    rc, err = _run(capsys, *args)
    assert rc == 2 and word in err and err.count("\n") == 1
