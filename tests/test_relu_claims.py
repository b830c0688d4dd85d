"""The relu.* claims verify, and their checks can fail."""
import numpy as np

from symadam.core.record import CheckContext
from symadam.core.registry import REGISTRY
from symadam.relu import claims as _relu_claims  # noqa: F401  (registers relu.*)

IDS = sorted(i for i in REGISTRY if i.startswith("relu."))


def load_all():
    """The relu claims only (independent of the other claim modules)."""
    return {i: REGISTRY[i] for i in IDS}


def test_relu_claims_verify():
    assert {"relu.fd_generic", "relu.one_sided", "relu.frechet", "relu.approximation",
            "relu.softplus_contrast", "relu.deep_kink_limit", "relu.kink_minimum",
            "relu.population"} == set(IDS)
    for i in IDS:
        assert set(REGISTRY[i].depends_on) <= set(IDS)
    bad = []
    for i in IDS:
        e = REGISTRY[i].check(CheckContext(i, dps=30, seed=3))
        if e.status != "verified":
            bad.append((i, e.status, e.residual))
    assert not bad, bad


def test_kink_minimum_check_fails_for_wrong_convention(monkeypatch):
    """With relu'(0) = 1 in place of 0 the exact G of the proof is not reproduced."""
    from symadam.networks.backprop import backprop_gradient, relu_d1_at_zero
    from symadam.networks.network import Network
    from symadam.relu import claims as mod

    def wrong(self, theta, x, y):
        return backprop_gradient(self, theta, x, y, relu_d1_at_zero(1.0))

    monkeypatch.setattr(Network, "generalized_gradient", wrong)
    c = load_all()["relu.kink_minimum"]
    assert c.check(CheckContext("relu.kink_minimum")).status == "failed"
    c = load_all()["relu.one_sided"]
    assert c.check(CheckContext("relu.one_sided")).status == "failed"
    assert mod is not None


def test_derivations_render():
    claims = load_all()
    for i in IDS:
        d = claims[i].derive()
        assert d.to_latex().startswith("\\section*")
    G_b = claims["relu.kink_minimum"].derive().results["G_b"]
    (s,) = G_b.free_symbols
    assert np.isclose(float(G_b.subs(s, 0.25)), -1 / 6)
