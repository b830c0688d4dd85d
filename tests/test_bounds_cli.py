"""``symadam bounds {step,stability,rms-step}`` and ``symadam avf bias --order 2``: the JSON
contract, every printed digit, and exit codes."""
import json

import mpmath
import pytest
import sympy

from symadam.bounds.step_mp import adam_ratio
from symadam.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if code == 0 and "--json" in argv else out.out), out.err


def test_step_json_and_digits(capsys):
    code, out, _ = _run(capsys, "bounds", "step", "--beta1", "0.9", "--beta2", "0.999",
                        "--n", "40", "--dps", "40", "--json")
    assert code == 0
    assert set(out) >= {"C_n", "C_inf", "extremal"}
    assert len(out["extremal"]) == 40 and out["extremal"][-1] == "1.0"
    with mpmath.workdps(70):
        q = mpmath.mpf(900) / 999
        g = [q**(40 - k) for k in range(1, 41)]
        ref = adam_ratio(g, "0.9", "0.999", 0, dps=60)         # the recursion, 60 digits
        assert mpmath.nstr(ref, 40) == out["C_n"]
        ci = (1 - mpmath.mpf("0.9")) / mpmath.sqrt((1 - mpmath.mpf("0.999"))
                                                   * (1 - mpmath.mpf("0.81") / mpmath.mpf("0.999")))
        assert mpmath.nstr(ci, 40) == out["C_inf"]
    assert sympy.sympify(out["formula_C_inf"]).free_symbols == {sympy.Symbol("beta1"),
                                                                  sympy.Symbol("beta2")}


def test_step_large_n_and_infinite_c(capsys):
    code, out, _ = _run(capsys, "bounds", "step", "--beta1", "0.9", "--beta2", "0.81",
                        "--n", "100000", "--json")
    assert code == 0 and out["C_inf"] is None and len(out["extremal"]) == 1000
    assert float(out["C_n"]) > 50                               # r = 1: ~ sqrt(n)


@pytest.mark.parametrize("argv, msg", [
    (["--beta1", "0.9", "--beta2", "0.8"], "C_inf is finite only"),
    (["--beta1", "1", "--beta2", "0.9"], "beta1 must be in"),
    (["--beta1", "inf"], "finite"),
    (["--beta1", "0.9", "--n", "0"], "n must be an integer"),
    (["--beta1", "0.9", "--gamma", "0"], "gamma must be > 0"),
    (["--beta1", "0.9", "--eps", "-1"], "eps must be >= 0"),
])
def test_step_bad_input(capsys, argv, msg):
    code, _, err = _run(capsys, "bounds", "step", *argv)
    assert code == 2 and msg in err and err.count("\n") == 1


def test_step_gamma_fields(capsys):
    code, out, _ = _run(capsys, "bounds", "step", "--beta1", "0", "--beta2", "0.75",
                        "--gamma", "0.5", "--json")
    assert code == 0 and out["C_inf"] == "2.0" and out["apriori_radius"] == "1.0"


def test_stability(capsys):
    code, out, _ = _run(capsys, "bounds", "stability", "--beta1", "0.5", "--eps", "0.1",
                        "--L", "1", "--beta2", "0.5", "--gamma", "0.66", "--json")
    assert code == 0
    assert out["gamma_max"] == "0.6" and out["two_cycle_amplitude"] == "0.01"
    assert out["two_cycle_attracting"] is True and out["stable"] is False
    f = sympy.sympify(out["formula"])
    assert f.subs({"beta1": sympy.Rational(1, 2), "eps": sympy.Rational(1, 10), "L": 1}) == \
        sympy.Rational(3, 5)
    code, _, err = _run(capsys, "bounds", "stability", "--beta1", "0.5", "--eps", "0", "--L", "1")
    assert code == 2 and "eps must be > 0" in err
    code, _, err = _run(capsys, "bounds", "stability", "--beta1", "0.5", "--eps", "0.1")
    assert code == 2 and "--L" in err


def test_rms_step(capsys):
    code, out, _ = _run(capsys, "bounds", "rms-step", "--data", "rademacher", "--theta", "0",
                        "--beta1", "0.9", "--beta2", "0.99", "--eps", "0.1", "--dps", "25",
                        "--json")
    assert code == 0
    with mpmath.workdps(40):
        want = mpmath.sqrt(mpmath.mpf("0.1") / mpmath.mpf("1.9")) / mpmath.mpf("1.1")
        assert mpmath.nstr(want, 25) == out["rms_step_over_gamma"]
    code, _, err = _run(capsys, "bounds", "rms-step", "--data", "rademacher", "--theta", "0",
                        "--simulate", str(10**12))
    assert code == 2 and "GB of memory" in err
    code, _, err = _run(capsys, "bounds", "rms-step", "--data", "rademacher")
    assert code == 2 and "--theta" in err


def test_avf_bias_order2(capsys):
    code, out, _ = _run(capsys, "avf", "bias", "--order", "2", "--data",
                        "discrete:-2,1,3@0.4,0.5,0.1", "--beta1", "0.9", "--beta2", "0.999",
                        "--dps", "20", "--json")
    assert code == 0
    assert set(out) >= {"formula", "first_order_bias", "first_order_bias_exact", "second_order",
                        "predicted_zero"}
    assert out["second_order_exact"] == "1/2035982"
    with mpmath.workdps(40):
        assert out["second_order"] == mpmath.nstr(mpmath.mpf(1) / 2035982, 20)
    with pytest.raises(SystemExit) as exc:        # argparse: one line, status 2
        main(["avf", "bias", "--order", "3", "--data", "rademacher"])
    assert exc.value.code == 2 and "--order" in capsys.readouterr().err
