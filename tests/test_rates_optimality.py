"""Optimality as a theorem (the p(1) lemma) and claims that say exactly what is shown (16, 19)."""

import mpmath
import pytest
import sympy

from symadam import assert_identity
from symadam.core import load_all
from symadam.rates.methods import KAPPA, get_method
from symadam.rates.optimality import optimality_derivation, p1_lower_bound
from symadam.rates.spectral_mp import iteration_matrix, spectral_radius

k = KAPPA
POLYAK = (sympy.sqrt(k) - 1) / (sympy.sqrt(k) + 1)
GD = (k - 1) / (k + 1)


@pytest.mark.parametrize("method, bound, proves", [
    ("gd", GD, True), ("heavy-ball", POLYAK, True), ("adam", POLYAK, True),
    ("rmsprop", GD, True), ("nesterov", POLYAK, False)])
def test_lemma_bound_and_whether_it_proves_optimality(method, bound, proves):
    r = p1_lower_bound(method)
    assert_identity(r["bound"], bound)
    assert r["proves"] is proves
    d = optimality_derivation(method)
    assert d.results["proved"] is proves
    assert ("$\\square$" in d.to_latex()) is proves


def test_lemma_holds_for_random_heavy_ball_parameters_of_either_sign():
    """Independent of the proof: at 200 random real (h, beta), including negative and > 1
    values, the worse of the two end radii (mpmath.eig) is never below Polyak's bound."""
    rng = __import__("random").Random(16)
    for kappa in (4, 100):
        lb = (mpmath.sqrt(kappa) - 1) / (mpmath.sqrt(kappa) + 1)
        for _ in range(100):
            p = {"h": rng.uniform(-1, 3) / kappa ** 0.5, "beta": rng.uniform(-1.5, 1.5)}
            ends = max(spectral_radius(iteration_matrix("heavy-ball", lam, p, 30), 30)
                       for lam in (1, kappa))
            assert ends >= lb * (1 - mpmath.mpf("1e-25")), (kappa, p)


def test_optimal_statements_say_what_is_shown():
    claims = load_all()
    for cid in ("rates.gd_optimal", "rates.heavy_ball_optimal", "rates.adam_optimal",
                "rates.rmsprop_optimal"):
        st = claims[cid].statement
        assert "lemma" in st and "For every real" in st, cid
    nag = claims["rates.nesterov_optimal"].statement
    assert "not proven" in nag and "numeric minimax" in nag
    for cid in ("rates.adam", "rates.rmsprop"):
        assert r"\beta_2 \in [0, 1)" in claims[cid].statement
    assert get_method("adam").parameter("beta2").domain() == "[0, 1)"
    assert get_method("rmsprop").parameter("beta2").domain() == "[0, 1)"


def test_adam_rate_check_runs_beta2_zero():
    from symadam.core.registry import _run_one

    ev = _run_one(("rates.adam", 30, 0))
    assert ev.status == "verified"
    assert any(r["beta2"] == "0" and r["digits"] >= 25 for r in ev.details["precise_runs"])


def test_nesterov_minimax_is_reported():
    from symadam.core.registry import _run_one

    ev = _run_one(("rates.nesterov_optimal", 30, 0))
    assert ev.status == "verified" and ev.details["lemma_proves"] is False
    for row in ev.details["cases"]:
        assert not row["beaten"]
        assert mpmath.mpf(row["numeric_minimax"]) >= mpmath.mpf(row["rate"]) * (1 - 1e-9)


