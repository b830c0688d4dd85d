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


def test_kink_minimum_needs_s_positive():
    """Issue 19: for s < 0 theta* is not a local minimum (a perturbation lowers L), the
    statement says s > 0, and the check rejects the s < 0 example."""
    from symadam.core.sabotage import run_sabotage
    from symadam.networks.network import Network
    from symadam.relu.checks_np import perturbation_test
    from symadam.relu.gradient_exact import kink_minimum_data

    net = Network((1, 1, 1), "relu")
    for s, is_min in ((0.25, True), (-0.25, False)):
        d = kink_minimum_data(s)
        x = np.array([[float(v)] for v in d["x"]])
        y = np.array([float(v) for v in d["y"]])
        pt = perturbation_test(net, [1.0, 0.0, 1.0, 0.0], x, y, np.random.default_rng(0))
        assert (pt["ratio"] >= -1) == is_min
    # the descent for s = -1/4: b down by e lowers L by 2|s| e / 3 to first order
    L0 = net.risk([1.0, 0.0, 1.0, 0.0], x, y)
    assert net.risk([1.0, -0.01, 1.0, 0.0], x, y) < L0 - 1e-3
    c = load_all()["relu.kink_minimum"]
    assert "s > 0" in c.statement
    r = run_sabotage(c)
    assert r.caught and r.sabotage.startswith("the example with s < 0")


def test_approximation_rate_window_tells_log_r_over_r_from_a_power():
    """Issue 19: the relu.approximation window (r = 1e4..1e13) separates (A log r + B)/r from
    r^-0.9, which the old slope window (-1.05, -0.85) on 1e3..1e7 accepted."""
    from symadam.relu.smooth_np import log_rate_fit

    rs = 10.0 ** np.arange(4, 14)
    good = log_rate_fit(rs, (3 * np.log(rs) - 2) / rs)
    power = log_rate_fit(rs, 5 * rs ** -0.9)
    assert good["max_rel_residual"] < 1e-12 and good["power_max_log_residual"] > 1e-2
    assert power["max_rel_residual"] > 1e-3 and power["power_max_log_residual"] < 1e-12
    old = np.polyfit(np.log(rs[:5] / 10), np.log(5 * (rs[:5] / 10) ** -0.9), 1)[0]
    assert -1.05 < old < -0.85                              # the old test could not tell
    c = load_all()["relu.approximation"]
    assert "admissible if" in c.statement and "10^{13}" in c.statement
