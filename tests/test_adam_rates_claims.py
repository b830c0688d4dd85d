"""The rates.adam* / rates.rmsprop* claims: registration, evidence, and (slow) full verification."""
import json

import pytest

from symadam.core import load_all, run_claims, select
from symadam.core.registry import _run_one

MINE = ["rates.adam", "rates.rmsprop", "rates.adam_linearization", "rates.adam_vs_full_jacobian",
        "rates.adam_optimal", "rates.rmsprop_optimal", "rates.adam_eps_inside"]


def test_registered_with_dependencies():
    claims = load_all()
    assert set(MINE) <= set(claims)
    assert "rates.heavy_ball" in claims["rates.adam"].depends_on
    assert "rates.gd" in claims["rates.rmsprop"].depends_on
    assert all(claims[i].paper == "2504.19426" for i in MINE)


def test_full_jacobian_claim_evidence():
    ev = _run_one(("rates.adam_vs_full_jacobian", 50, 0))
    assert ev.status == "verified", ev.details
    d = json.loads(json.dumps(ev.details))
    assert d["full_radius"].startswith("0.99")
    assert float(d["measured_theta_rate"]) == pytest.approx(9 / 11, abs=1e-4)
    assert float(d["full_radius"]) - float(d["measured_theta_rate"]) > 0.17


def test_linearization_claim():
    ev = _run_one(("rates.adam_linearization", 40, 0))
    assert ev.status == "verified", ev.details
    assert ev.details["remainder_order"] == {"outside": "1.5", "inside": "2.0"}


@pytest.mark.slow
def test_verify_all_adam_claims():
    evs = run_claims(select(MINE), dps=50)
    assert all(e.status == "verified" for e in evs), [(e.claim_id, e.residual) for e in evs]
    runs = {e.claim_id: e for e in evs}["rates.adam"].details["runs"]
    assert {r["kappa"] for r in runs} >= {"10", "100", "1000"}
    assert all(r["digits"] >= 4 and r["transient_steps"] is not None for r in runs)


def test_off_by_one_bias_correction_in_the_mpmath_route_is_rejected(monkeypatch):
    """Issue 17's mutation that escaped `verify`: an off-by-one in the bias correction of the
    mpmath iteration (1 - beta1^(n+1)) leaves the rate unchanged, so only a step-level comparison
    with the exact map catches it: rates.adam compares the first 4 steps to all digits."""
    import sys
    import types

    import symadam.rates.adam_iterate_mp as route
    from symadam.core.record import CheckContext
    from symadam.rates import claims_adam

    src = open(route.__file__).read()
    old = "bc1 = one - p1 if bias_correction else one"
    assert src.count(old) == 1
    mutant = types.ModuleType("symadam.rates._mutant_adam_iterate_mp")
    mutant.__dict__["__package__"] = "symadam.rates"
    monkeypatch.setitem(sys.modules, mutant.__name__, mutant)   # dataclasses look it up
    exec(compile(src.replace(old, "bc1 = one - p1 * b1 if bias_correction else one"),
                 "mutant", "exec"), mutant.__dict__)
    monkeypatch.setattr(claims_adam, "adam_iterate", mutant.adam_iterate)
    monkeypatch.setattr(claims_adam, "precise_local_rate", mutant.precise_local_rate)
    ev = load_all()["rates.adam"].check(CheckContext("rates.adam", dps=30))
    assert ev.status == "failed"
    assert ev.details["first_steps_digits"] < 5
    assert min(r["digits"] for r in ev.details["precise_runs"]) >= 25   # the rate is unchanged


def test_precise_and_transient_digits_are_both_reported():
    ev = _run_one(("rates.rmsprop", 30, 0))
    assert ev.status == "verified", ev.details
    assert ev.precision == {"kind": "dps", "dps": 30, "digits": ev.digits}
    assert ev.digits >= 25 and ev.details["first_steps_digits"] >= 25
    assert 4 <= ev.details["transient_runs_min_digits"] < ev.digits
