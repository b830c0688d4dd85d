"""Certified routes (ball arithmetic): proofs hold on known cases and refuse wrong answers."""
from __future__ import annotations

import json
import math

import pytest

flint = pytest.importorskip("flint")
from flint import arb, ctx, fmpq  # noqa: E402

from symadam.avf.field_arb import DiscreteLaw, avf_enclosure, certify_zero  # noqa: E402
from symadam.cli import main  # noqa: E402
from symadam.core.sabotage import run_sabotage  # noqa: E402
from symadam.morse.certify_arb import _cholesky_positive, prove_critical_point  # noqa: E402
from symadam.rates.spectral_arb import (  # noqa: E402
    certify_slower,
    certify_worst_radius,
    root_modulus,
)


@pytest.mark.parametrize("kappa", [fmpq(3, 2), fmpq(100), fmpq(123457, 7)])
def test_gd_and_heavy_ball_rates_enclosed(kappa):
    """Worst root moduli over all of [1, kappa] contain the classical rates (exact inputs)."""
    with ctx.workprec(260):
        k = arb(kappa)
        c = certify_worst_radius("gd", {"h": 2 / (1 + k)}, 1, k, digits=35)
        assert c.complete and c.enclosure().overlaps((k - 1) / (k + 1))
        assert c.upper - c.lower < arb(10) ** -34
        s = k.sqrt()
        hb = {"h": 4 / (1 + s) ** 2, "beta": ((s - 1) / (s + 1)) ** 2}
        c = certify_worst_radius("heavy-ball", hb, 1, k, digits=35)
        assert c.complete and c.enclosure().overlaps((s - 1) / (s + 1))
        # a rate off by 1e-30 is outside the enclosure
        assert not c.enclosure().overlaps((s - 1) / (s + 1) * (1 + arb(10) ** -30))


def test_root_modulus_encloses_sampled_polynomials():
    with ctx.workprec(100):
        c0, c1 = arb("0.3", "0.01"), arb("-1.1", "0.02")
        r = root_modulus([c0, c1])
        for a in (0.29, 0.3, 0.31):
            for b in (-1.12, -1.1, -1.08):
                disc = b * b - 4 * a
                m = (abs(b) + math.sqrt(disc)) / 2 if disc >= 0 else math.sqrt(a)
                assert r.contains(arb(m).mid()) or abs(float(r.mid()) - m) < float(r.rad())


def test_perturbed_tuning_proven_slower_and_tuned_not():
    with ctx.workprec(150):
        rho = arb(fmpq(4, 5))
        assert certify_slower("gd", {"h": arb(fmpq(201, 1000))}, 1, 9, rho)[0]
        assert not certify_slower("gd", {"h": arb(fmpq(1, 5))}, 1, 9, rho)[0]


def test_avf_enclosure_matches_the_mpmath_route():
    from symadam.avf.field_mp import avf_value

    law = DiscreteLaw.of([(0, fmpq(9, 10)), (1, fmpq(1, 10))])
    with ctx.workdps(40):
        a = avf_enclosure(law, fmpq(3, 10), fmpq(9, 10), fmpq(99, 100), fmpq(1, 10), digits=30)
    import mpmath

    v = avf_value("bernoulli:0.1", "0.3", "0.9", "0.99", "0.1", dps=35).value
    assert a.rad() < 1e-29
    with ctx.workdps(40):
        assert abs(a - arb(mpmath.nstr(v, 35))) < arb(10) ** -30


def test_avf_zero_proven_for_a_symmetric_law_and_refused_off_it():
    law = DiscreteLaw.of([(-1, fmpq(1, 2)), (1, fmpq(1, 2))])
    c = certify_zero(law, fmpq(0), fmpq(1, 2), fmpq(3, 4), 0, digits=10, h=fmpq(1, 100))
    assert c.certified and c.left < 0 < c.right
    bad = certify_zero(law, fmpq(1, 10**6), fmpq(1, 2), fmpq(3, 4), 0, digits=10,
                       h=fmpq(1, 100))
    assert not bad.certified and "opposite signs" in bad.why_not


def test_avf_enclosure_refuses_theta_at_an_atom():
    law = DiscreteLaw.of([(0, fmpq(1, 2)), (1, fmpq(1, 2))])
    with pytest.raises(ValueError, match="non-zero"):
        avf_enclosure(law, fmpq(0), fmpq(1, 2), fmpq(3, 4), 0, digits=10)


@pytest.mark.parametrize("act", ["tanh", "logistic", "softplus", "gelu"])
def test_morse_minimum_proven_and_perturbed_point_refused(act):
    import numpy as np

    from symadam.morse.critical_np import planted_minimum

    x, y, pt = planted_minimum(act, 1, 12, np.random.default_rng(np.random.SeedSequence(5)))
    p = prove_critical_point(pt.theta, x.tolist(), y.tolist(), act)
    assert p.nondegenerate and p.minimum and p.radius < 1e-10
    t = list(pt.theta)
    t[0] += 1e-3
    q = prove_critical_point(t, x.tolist(), y.tolist(), act, newton_steps=0)
    assert not q.nondegenerate and "Krawczyk" in q.why_not


def test_ball_cholesky_refuses_indefinite_and_accepts_definite():
    from flint import arb_mat

    with ctx.workprec(100):
        assert not _cholesky_positive(arb_mat([[2, 1], [1, -1]]))[0]
        assert _cholesky_positive(arb_mat([[2, 1], [1, 2]]))[0]
        # a ball matrix containing an indefinite member is refused
        assert not _cholesky_positive(arb_mat([[arb(1, 0.1), arb(1, 0.2)], [arb(1, 0.2), 1]]))[0]


def test_verify_certify_json(capsys):
    assert main(["verify", "rates.gd", "--certify", "--json"]) == 0
    ev = json.loads(capsys.readouterr().out)["claims"][0]
    assert ev["certified"] is True and ev["why_not"] is None
    assert all(v.startswith("[") and "+/-" in v for v in ev["enclosures"].values())


def test_certified_rate_route_rejects_the_claims_sabotage():
    r = run_sabotage("rates.heavy_ball", dps=50, certify=True)
    assert r.caught and r.evidence.certified is False


def test_morse_cli_certify_json_reports_proven_minima(capsys):
    """``morse --certify --json``: proven minima and unproven points with reasons (issue 13)."""
    assert main(["morse", "--width", "2", "--points", "10", "--problems", "4", "--certify",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"proven_minima", "proven_saddles", "unproven"} <= set(out)
    # every efficient point is either proven or listed with its reason
    assert (out["proven_nondegenerate"] + len(out["unproven"])
            == out["efficient_critical_points"])
    assert out["proven_minima"] >= 1


def test_prove_sweep_lists_points_it_cannot_prove(monkeypatch):
    """Moved off the critical point, every efficient point lands in ``unproven`` with a reason."""
    from symadam.morse import certify as mc
    from symadam.morse.sweep import morse_sweep

    _, res = morse_sweep("tanh", 2, 10, 6, seed=0, restarts=4, progress=False)
    good = mc.prove_sweep(res, "tanh", 10, 0)
    monkeypatch.setattr(mc, "_prove", mc._shifted(mc._prove))
    bad = mc.prove_sweep(res, "tanh", 10, 0)
    assert good["efficient"] == bad["efficient"] > 0 and not good["unproven"]
    assert bad["proven_nondegenerate"] == 0
    assert all("Krawczyk" in u["why_not"] for u in bad["unproven"])


def test_report_lists_proven_claims(tmp_path):
    """``verify --certify --report``: report.md names the proven claims, shows enclosures."""
    out = tmp_path / "rep"
    assert main(["verify", "rates.gd", "--certify", "--report", str(out)]) == 0
    md = (out / "report.md").read_text()
    assert "Proven in ball arithmetic (`--certify`): 1 of 1: `rates.gd`." in md
    assert "*Proof (ball arithmetic).* proven; enclosures: max_radius(kappa=100) `[0.98019801" in md


def test_avf_zero_cli_certify(capsys):
    """``avf zero --certify --json`` adds an Arb enclosure that contains the printed zero."""
    assert main(["avf", "zero", "--data", "bernoulli:0.1", "--beta2", "0.99", "--dps", "25",
                 "--certify", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["certified"] is True and out["why_not"] is None
    with ctx.workdps(40):
        enc = arb(out["enclosure"])
        assert enc.contains(arb(out["zero"]).mid()) or enc.overlaps(arb(out["zero"]))
        assert enc.rad() < arb("1e-20")
        assert not enc.contains(arb("0.1"))  # the minimizer is not the zero
    assert main(["avf", "zero", "--data", "normal:0,1", "--beta2", "0.99", "--dps", "20",
                 "--certify", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["certified"] is False and "discrete laws only" in out["why_not"]
