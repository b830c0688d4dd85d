"""`symadam rate` and `symadam verify rates`: JSON contract and exit codes."""
import json

import pytest
import sympy

from symadam import assert_identity
from symadam.cli import main


@pytest.mark.parametrize("method", ["gd", "heavy-ball", "nesterov"])
def test_rate_json(method, capsys):
    assert main(["rate", method, "--kappa", "100", "--json", "--dps", "30"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"method", "rate", "parameters", "rate_at_kappa"} <= set(out)
    rate = sympy.sympify(out["rate"])
    assert rate.free_symbols == {sympy.Symbol("kappa")}
    value = sympy.N(rate.subs("kappa", 100), 40)
    assert abs(sympy.Float(out["rate_at_kappa"], 40) - value) < 1e-28
    for v in out["parameters"].values():
        assert sympy.sympify(v).free_symbols <= {sympy.Symbol("L"), sympy.Symbol("mu")}


def test_rate_json_heavy_ball_value(capsys):
    assert main(["rate", "heavy-ball", "--kappa", "81", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rate_at_kappa"].startswith("0.8000000000000000000000000000000")
    assert_identity(sympy.sympify(out["parameters"]["h"]),
                    sympy.sympify("4/(sqrt(L) + sqrt(mu))**2"))


def test_rate_text_and_latex(capsys):
    assert main(["rate", "gd"]) == 0
    assert "2/(L + mu)" in capsys.readouterr().out
    assert main(["rate", "nesterov", "--latex"]) == 0
    assert "\\section*" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["rate", "gd", "--kappa", "0.5"],
    ["rate", "gd", "--kappa", "inf"],
    ["rate", "gd", "--kappa", "nan"],
    ["rate", "gd", "--kappa", "abc"],
    ["rate", "sgd"],
    ["rate", "gd", "--dps", "14"],
    ["rate", "gd", "--kappa", "1e-400"],   # was reported as "got 0.0"
    ["rate", "gd", "--kappa", "1/0"],
    ["rate", "gd", "--kappa=-inf"],
    ["rate", "gd", "--kappa", ""],
])
def test_rate_bad_input_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("symadam: error:")


def test_verify_rates_exit_0(capsys):
    assert main(["verify", "rates.gd", "rates.nesterov", "--json"]) == 0
    ev = {c["claim_id"]: c for c in json.loads(capsys.readouterr().out)["claims"]}
    assert ev["rates.gd"]["digits"] >= 45 and ev["rates.nesterov"]["digits"] >= 45


def test_rate_kappa_parsed_exactly(capsys):
    """--kappa is exact: a fraction, and a condition number beyond the float range."""
    assert main(["rate", "gd", "--kappa", "3/2", "--json", "--dps", "30"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rate_at_kappa"] == "0.200000000000000000000000000000"  # (3/2-1)/(3/2+1) = 1/5
    assert main(["rate", "gd", "--kappa", "1e400", "--json", "--dps", "20"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rate_at_kappa"] == "1.0000000000000000000"  # 1 - 2/(1e400 + 1)


def test_rate_degenerate_kappa_1(capsys):
    """kappa = 1: one eigenvalue, every method reaches it in one step (rate 0)."""
    for m in ("gd", "heavy-ball", "nesterov"):
        assert main(["rate", m, "--kappa", "1", "--json"]) == 0
        assert float(json.loads(capsys.readouterr().out)["rate_at_kappa"]) == 0.0


def test_untuned_values_follow_the_declared_domain(capsys):
    """Adam declares beta2 in [0, 1) (the issue's range): 0 is accepted, 1 and -0.1 are refused
    naming the argument; a tiny eps is fine."""
    assert main(["rate", "adam", "--beta2", "0", "--json"]) == 0
    capsys.readouterr()
    for bad in ("1", "-0.1"):
        assert main(["rate", "adam", f"--beta2={bad}"]) == 2
        assert "beta2 must be in [0, 1)" in capsys.readouterr().err
    assert main(["rate", "adam", "--kappa", "10", "--eps", "1e-15", "--beta2", "0.999",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sympy.Float(out["parameters_at"]["gamma"], 30) > 0


@pytest.mark.parametrize("claim_id, name", [("rates.heavy_ball", "heavy-ball"),
                                            ("rates.lower_bound", "heavy-ball")])
def test_rate_checks_can_fail(claim_id, name, monkeypatch):
    """The spectral routes see a rate off by 1e-30 (relative) or a step off by 1e-30: the checks
    are not vacuous at their 45-digit threshold."""
    import dataclasses

    from symadam.core.record import CheckContext
    from symadam.core.registry import REGISTRY
    from symadam.rates import claims as mod
    from symadam.rates.engine import tune

    good = tune(name)
    off = 1 + sympy.Rational(1, 10**30)
    bad = {"rates.heavy_ball": dataclasses.replace(good, rate=good.rate * off),
           "rates.lower_bound": dataclasses.replace(
               good, parameters={**good.parameters, "h": good.parameters["h"] * off})}[claim_id]
    monkeypatch.setattr(mod, "tune", lambda m: bad if m == name else tune(m))
    assert REGISTRY[claim_id].check(CheckContext(claim_id, dps=50)).status == "failed"
    monkeypatch.setattr(mod, "tune", tune)
    assert REGISTRY[claim_id].check(CheckContext(claim_id, dps=50)).status == "verified"
