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
    assert code == 2 and "of memory, more than the limit" in err
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


@pytest.mark.parametrize("argv, msg", [
    (["step", "--gamma", "1e1000000000"], "the limit"),
    (["step", "--beta1", "1e-1000000000"], "the limit"),
    (["step", "--n", "1e1000000000"], "the limit"),
    (["step", "--dps", "5000"], "dps must be <= 1000"),
    (["step", "--beta1", "__import__('os').system('true')"], "finite real number"),
    (["stability", "--beta1", "0.5", "--eps", "0.1", "--L", "1e-1000000000"], "the limit"),
    (["stability", "--beta1", "0.5", "--eps", "0.1", "--L", "1", "--gamma", "-2"],
     "gamma must be > 0"),
    (["stability", "--beta1", "1", "--eps", "0.1", "--L", "1"], "beta1 must be in"),
    (["stability", "--beta1", "0.5", "--eps", "nan", "--L", "1"], "finite"),
    (["stability", "--beta1", "0.5", "--eps", "0.1", "--L", "1", "--gamma", "5", "--beta2",
      "1"], "beta2 must be in"),
    (["rms-step", "--data", "rademacher", "--theta", "1e1000000000"], "the limit"),
    (["rms-step", "--data", "bernoulli:1e-1000000000", "--theta", "0"], "--data must be"),
    (["rms-step", "--data", "rademacher", "--theta", "0", "--batch", "1000000"],
     "--batch must be <= 100"),
    (["rms-step", "--data", "rademacher", "--theta", "0", "--beta1", "0.9", "--beta2", "0.5"],
     "beta1**2 must be < beta2"),
    (["rms-step", "--data", "rademacher", "--theta", "0", "--eps", "-1"], "eps must be >= 0"),
    (["rms-step", "--data", "rademacher", "--theta", "0", "--dps", "101"], "dps must be <= 100"),
    (["rms-step", "--data", "nosuchlaw", "--theta", "0"], "data spec must be one of"),
])
def test_bad_input_one_line_exit_2(capsys, argv, msg):
    code, out, err = _run(capsys, "bounds", *argv)
    assert code == 2 and msg in err and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def test_text_output_digits(capsys):
    """The human-readable lines carry the same computed digits as the JSON."""
    code, out, _ = _run(capsys, "bounds", "step", "--beta1", "0.5", "--beta2", "0.9", "--n",
                        "3", "--dps", "25")
    with mpmath.workdps(50):
        b1, b2 = mpmath.mpf("0.5"), mpmath.mpf("0.9")
        a = [(1 - b1) * b1**(3 - k) / (1 - b1**3) for k in (1, 2, 3)]
        b = [(1 - b2) * b2**(3 - k) / (1 - b2**3) for k in (1, 2, 3)]
        cn = mpmath.sqrt(mpmath.fsum(x * x / y for x, y in zip(a, b)))   # Cauchy-Schwarz sum
        ci = (1 - b1) / mpmath.sqrt((1 - b2) * (1 - b1**2 / b2))
        want = f"C_n   = {mpmath.nstr(cn, 25)}   (n = 3)\nC_inf = {mpmath.nstr(ci, 25)}\n"
    assert code == 0 and out == want
    code, out, _ = _run(capsys, "bounds", "stability", "--beta1", "0.5", "--eps", "0.1", "--L",
                        "1", "--gamma", "0.66", "--beta2", "0.5")
    assert code == 0 and "= 0.6\n" in out and "not locally stable" in out
    assert "amplitude 0.01 (attracting)" in out               # (0.1/1)(0.66/0.6 - 1)
    code, out, _ = _run(capsys, "bounds", "stability", "--beta1", "0.5", "--eps", "0.1", "--L",
                        "1", "--gamma", "0.59")
    assert code == 0 and "locally stable" in out and "not" not in out


def test_step_eps_and_gamma(capsys):
    """eps > 0 leaves the supremum C_n (approached, not attained); gamma scales it."""
    _, a, _ = _run(capsys, "bounds", "step", "--beta1", "0.9", "--beta2", "0.99", "--n", "7",
                   "--json")
    _, b, _ = _run(capsys, "bounds", "step", "--beta1", "0.9", "--beta2", "0.99", "--n", "7",
                   "--eps", "1e-8", "--gamma", "3", "--json")
    assert a["C_n"] == b["C_n"]
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(b["max_step"]) / (3 * mpmath.mpf(a["C_n"])) - 1) < 1e-28
        K = mpmath.mpf(a["C_inf"]) / (1 - mpmath.mpf("0.9") / mpmath.sqrt(mpmath.mpf("0.99")))
        assert abs(mpmath.mpf(b["apriori_radius"]) / (3 * K) - 1) < mpmath.mpf(10)**-27


@pytest.mark.slow
def test_rms_step_simulate(capsys):
    code, out, _ = _run(capsys, "bounds", "rms-step", "--data", "bernoulli:0.3", "--theta",
                        "0.3", "--beta1", "0.9", "--beta2", "0.99", "--simulate", "32",
                        "--dps", "15", "--json")
    assert code == 0
    s = out["simulated"]
    assert abs(s["rms_step_over_gamma"] - float(out["rms_step_over_gamma"])) < 4 * s["se"]


def test_avf_bias_order2_bad_input(capsys):
    for argv, msg in ((["--beta2", "1"], "beta2"), (["--beta1", "nan"], "beta1"),
                      (["--data", "nosuchlaw"], "data spec")):
        base = {"--data": "discrete:-2,1,3@0.4,0.5,0.1", "--beta1": "0.9", "--beta2": "0.999"}
        base.update(dict(zip(argv[::2], argv[1::2])))
        args = [x for kv in base.items() for x in kv]
        code, _, err = _run(capsys, "avf", "bias", "--order", "2", *args)
        assert code == 2 and msg in err and err.count("\n") == 1, (argv, err)


def test_rms_step_large_batch_refused_before_the_law_is_built(capsys, monkeypatch):
    """7 atoms, batch 40: 4848 distinct batch means > 2000. The support is counted on exact
    rationals and the command refuses before ``batch_mean`` builds the law."""
    from symadam.avf.laws import DataLaw, parse_data

    def never(self, J):
        raise AssertionError("batch_mean was called before the refusal")
    monkeypatch.setattr(DataLaw, "batch_mean", never)
    spec = "discrete:0,1,3,7,20,51,130@1/7,1/7,1/7,1/7,1/7,1/7,1/7"
    rc = main(["bounds", "rms-step", "--data", spec, "--theta", "1", "--batch", "40"])
    err = capsys.readouterr().err
    assert rc == 2 and "--batch 40" in err and "2000" in err
    monkeypatch.undo()
    assert parse_data(spec).batch_support_size(40, limit=10 ** 4) == 4848
    assert len(parse_data(spec).batch_mean(3).atoms) == parse_data(spec).batch_support_size(3)
