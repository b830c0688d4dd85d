"""Certified critical points, the Lipschitz bound, redundant constructions, local rates."""
import numpy as np
import pytest

from symadam.morse.critical_np import (
    DERIVATIVE_BOUNDS,
    certify,
    hessian_lipschitz_bound,
    planted_minimum,
    search_critical_points,
)
from symadam.morse.local_rates_np import measure_local_rates
from symadam.morse.redundant_np import (
    count_zero_eigenvalues,
    split_neuron,
    split_prediction,
    zero_output_neuron,
    zero_output_prediction,
)
from symadam.networks.activations import ANALYTIC, get_activation
from symadam.networks.hessian import risk_derivatives
from symadam.networks.problems import make_problem


@pytest.mark.parametrize("act", ANALYTIC)
def test_derivative_bounds_hold_on_a_grid(act):
    a = get_activation(act)
    z = np.linspace(-40, 40, 400001)
    s1, s2, s3 = DERIVATIVE_BOUNDS[act]
    assert np.max(np.abs(a.d1(z))) <= s1
    assert np.max(np.abs(a.d2(z))) <= s2
    d3 = np.gradient(a.d2(z), z)
    assert np.max(np.abs(d3)) <= s3 * (1 + 1e-6)


@pytest.mark.parametrize("act", ANALYTIC)
def test_lipschitz_bound_dominates_hessian_changes(act):
    rng = np.random.default_rng(8)
    p = make_problem(3, 0, 9)
    for _ in range(5):
        th = rng.normal(size=7)
        K = hessian_lipschitz_bound(th, p.x, p.y, act, 0.1)
        H0 = risk_derivatives(th, p.x, p.y, act).hess[0]
        for _ in range(5):
            u = rng.normal(size=7)
            u *= 0.1 / np.linalg.norm(u)
            H1 = risk_derivatives(th + u, p.x, p.y, act).hess[0]
            assert np.linalg.norm(H1 - H0, 2) <= K * 0.1


def test_certificate_separates_minimum_from_nonstationary_point():
    x, y, pt = planted_minimum("tanh", 2, 10, np.random.default_rng(2))
    c = certify(pt.theta, x, y, "tanh")
    assert c.certified and c.min_abs_eig >= c.tau and c.grad_norm < 1e-12
    far = certify(pt.theta + 0.05, x, y, "tanh")
    assert not far.certified             # a gradient of size ~1e-2 certifies nothing


def test_search_finds_converged_classified_points():
    p = make_problem(0, 2, 10)
    pts, counts = search_critical_points(p.x, p.y, 2, "tanh", 6, np.random.default_rng(1))
    assert sum(counts.values()) + len(pts) == 6
    for q in pts:
        assert q.cert.grad_norm <= 1e-9
        assert q.domain in ("efficient", "redundant", "borderline", "diverging")
        assert q.label in ("certified_minimum", "certified_saddle", "uncertified", "diverging")
        if q.kind != "uncertified":
            assert q.cert.min_abs_eig >= q.cert.tau


@pytest.mark.parametrize("act", ANALYTIC)
@pytest.mark.parametrize("seed", [10, 11])
def test_split_and_zero_output_predictions(act, seed):
    x, y, base = planted_minimum(act, 1, 9, np.random.default_rng(seed))
    for t in (-0.7, 0.2, 0.6, 1.4):
        th = split_neuron(base.theta, 1, 0, t)
        rd = risk_derivatives(th, x, y, act)
        ev = np.linalg.eigvalsh(rd.hess[0])
        pred = split_prediction(base.theta, x, y, act, 0, t)
        assert np.linalg.norm(rd.grad[0]) < 1e-12
        assert count_zero_eigenvalues(ev)[0] == pred.zeros == 1
        assert np.sum(ev < -1e-9 * np.abs(ev).max()) == pred.negative
    # t = 0 and t = 1 (the exceptional t: one copy has v = 0): 1 + (d + 1) = 3 zeros, as
    # predicted; next to them, one zero again
    for t, zeros in ((0.0, 3), (1.0, 3), (0.05, 1), (0.95, 1)):
        ev0 = np.linalg.eigvalsh(risk_derivatives(split_neuron(base.theta, 1, 0, t), x, y,
                                                  act).hess[0])
        assert count_zero_eigenvalues(ev0)[0] == zeros == \
            split_prediction(base.theta, x, y, act, 0, t).zeros
    found = 0
    for w in (-1.5, -0.5, 0.0, 0.5, 1.5):
        th = zero_output_neuron(base.theta, x, y, act, [w])
        if th is None:
            continue
        found += 1
        rd = risk_derivatives(th, x, y, act)
        ev = np.linalg.eigvalsh(rd.hess[0])
        pred = zero_output_prediction(th, x, y, act)
        assert np.linalg.norm(rd.grad[0]) < 1e-12
        assert count_zero_eigenvalues(ev)[0] == pred.zeros == 1
        assert np.sum(ev < -1e-9 * np.abs(ev).max()) == pred.negative
    assert found >= 1


def test_zero_output_with_nonroot_bias_is_not_critical():
    x, y, base = planted_minimum("tanh", 1, 9, np.random.default_rng(3))
    th = zero_output_neuron(base.theta, x, y, "tanh", [1.0])
    th = th.copy()
    th[3] += 0.3                       # move the bias off the root of g
    assert np.linalg.norm(risk_derivatives(th, x, y, "tanh").grad[0]) > 1e-6


def test_gd_local_rate_matches_prediction():
    x, y, base = planted_minimum("tanh", 1, 10, np.random.default_rng(4))
    r = measure_local_rates(base.theta, x, y, "tanh", np.random.default_rng(0))
    assert abs(np.log(r.measured["gd"]) / np.log(r.predicted["gd"]) - 1) < 0.01
    assert abs(np.log(r.measured["heavy_ball"]) / np.log(r.predicted["heavy_ball"]) - 1) < 0.05


def test_methods_run_together_as_alone():
    from symadam.morse import local_rates_np as lr

    x, y, base = planted_minimum("tanh", 1, 10, np.random.default_rng(4))
    ts = base.theta
    t0 = ts + 1e-3 * np.random.default_rng(5).standard_normal(ts.size)
    steps = {"gd": lr._gd_rule(0.3), "hb": lr._heavy_ball_rule(0.2, 0.4, t0),
             "adam": lr._adaptive_rule("adam", 0.05, 0.5, 0.999, 0.1, ts.size),
             "rms": lr._adaptive_rule("rmsprop", 0.05, 0.0, 0.999, 0.1, ts.size)}
    e = lr.run_together(t0, ts, x, y, "tanh", steps, {"gd": 60, "hb": 40, "adam": 50, "rms": 7})
    alone = {"gd": lr.run_gd(t0, ts, x, y, "tanh", 0.3, 60),
             "hb": lr.run_heavy_ball(t0, ts, x, y, "tanh", 0.2, 0.4, 40),
             "adam": lr.run_adaptive(t0, ts, x, y, "tanh", "adam", 0.05, 0.5, 0.999, 0.1, 50),
             "rms": lr.run_adaptive(t0, ts, x, y, "tanh", "rmsprop", 0.05, 0.0, 0.999, 0.1, 7)}
    for k, a in alone.items():
        assert e[k].shape == a.shape
        assert np.allclose(e[k], a, rtol=1e-12, atol=0)


@pytest.mark.parametrize("act", ANALYTIC)
def test_mpmath_residual_matches_float64_gradient(act):
    from symadam.morse.certify_mp import risk_gradient_mp

    rng = np.random.default_rng(21)
    x, y, th = rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=9)
    gm = np.array([float(v) for v in risk_gradient_mp(th, x, y, act, 30)])
    g = risk_derivatives(th, x, y, act, hessian=False).grad[0]
    assert np.max(np.abs(gm - g)) < 1e-14 * max(1.0, np.max(np.abs(g)))


def test_mpmath_refinement_shrinks_tau_by_orders_of_magnitude():
    from symadam.morse.sweep import refine_and_certify

    x, y, pt = planted_minimum("logistic", 2, 10, np.random.default_rng(6))
    c = refine_and_certify(pt.theta, x, y, "logistic", dps=40)
    assert c["certified"] and c["index"] == 0
    assert c["tau"] < 1e-6 * pt.cert.tau + 1e-25
    assert float(c["grad_norm"]) < 1e-25


def test_float64_certificate_leaves_round_off_level_points_to_mpmath():
    """Review case: gelu, 12 points, seed 5, problem 5 has an efficient minimum with
    |g| ~ 1e-14, the round-off level of its O(35) parameters.  The float64 test cannot
    decide it; the mpmath stage (residual 1e-30 and below) certifies it, and the sweep
    labels it certified_minimum (certified_by mpmath): "uncertified in float64" is not
    "degenerate"."""
    from symadam.morse.sweep import ProblemSpec, analyze_problem, refine_and_certify
    from symadam.networks.problems import make_problem

    r = analyze_problem(ProblemSpec("gelu", 2, 12, seed=5, index=5))
    hard = [p for p in r["points"] if p["domain"] == "efficient"
            and p["certified_by"] == "mpmath"]
    assert len(hard) == 1 and hard[0]["label"] == "certified_minimum"
    prob, th = make_problem(5, 5, 12), np.array(hard[0]["theta"])
    c = certify(th, prob.x, prob.y, "gelu")
    assert not c.certified and c.grad_norm < 1e-13 and c.min_abs_eig > 1e-6
    mp = refine_and_certify(th, prob.x, prob.y, "gelu", dps=40)
    assert mp["certified"] and mp["index"] == 0 and float(mp["grad_norm"]) < 1e-30
