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
