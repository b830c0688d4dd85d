"""Every registered claim's check rejects its declared sabotage, and reports its precision.

The registry-wide test of the sabotage contract: for every claim, the check run
against its named wrong answer must report ``failed`` (not ``error``: an
exception is not a rejection; not ``verified``: the check could not tell).
"""
from __future__ import annotations

import json

import pytest

from symadam.cli import main
from symadam.core import load_all
from symadam.core.record import PRECISION_KINDS, Claim, Sabotage
from symadam.core.sabotage import run_sabotage, sabotaged

CLAIMS = sorted(load_all())


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_sabotage_is_caught(claim_id):
    c = load_all()[claim_id]
    assert c.sabotage is not None, f"{claim_id} declares no sabotage"
    r = run_sabotage(c, dps=50, seed=0)
    assert r.status == "failed", (claim_id, c.sabotage.name, r.status,
                                  r.evidence and r.evidence.details.get("exception"))
    assert r.caught


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_claim_declares_precision_kind(claim_id):
    assert load_all()[claim_id].precision in PRECISION_KINDS


def test_patches_are_restored_even_when_the_check_raises():
    import symadam.core.record as rec

    def boom(ctx):
        raise RuntimeError("boom")

    c = Claim("demo.restore", "standard", "s", (), lambda: None, boom,
              sabotage=Sabotage("kinds", {"symadam.core.record:PRECISION_KINDS": lambda o: ()}))
    r = run_sabotage(c)
    assert r.status == "error" and not r.caught          # an exception is not a rejection
    assert rec.PRECISION_KINDS == ("dps", "float64", "statistical", "exact")
    with pytest.raises(ValueError, match="declares no sabotage"):
        with sabotaged(Claim("demo.none", "standard", "s", (), lambda: None, boom)):
            pass


def test_verify_sabotage_cli(capsys):
    assert main(["verify", "rates.gd", "--sabotage", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["caught"] == 1 and out["summary"]["missed"] == 0
    (row,) = out["claims"]
    assert row["claim_id"] == "rates.gd" and row["caught"] is True
    assert set(row) >= {"claim_id", "sabotage", "caught", "seconds"}
