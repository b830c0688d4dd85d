"""Morse labels (issue 19): certified_minimum, certified_saddle, uncertified, singular,
diverging; the finite-minimum test that replaced the saturation rule; certified deduplication."""
import numpy as np

from symadam.morse.critical_np import (
    DERIVATIVE_BOUNDS,
    LABELS,
    classify_point,
    planted_minimum,
)
from symadam.morse.efficiency_np import join_parameters, split_parameters
from symadam.morse.sweep import (
    ProblemSpec,
    analyze_problem,
    deduplicate,
    refine_and_classify,
    summarize_sweep,
)
from symadam.networks.activations import get_activation
from symadam.networks.hessian import risk_derivatives
from symadam.networks.problems import fixed_design

# A planted GELU problem (width 2, 10 equispaced points): neuron 1 is steep (w ~ 25), so only
# 2 data points see its curvature.  Targets and the float64 critical point (trust-exact +
# Newton polishing from the planted network), as computed once and typed in here.
GELU_Y = [0.21345782653492093, 0.2290451325079808, 0.19554471015398936, 0.07643921956624664,
          -0.07359101085254162, -0.2540969317683351, -0.6503172484199211, 4.298220472473387,
          9.432279934222862, 14.527116576928345]
GELU_THETA = [25.467188440702554, 0.8830198971149761, -8.849216885471836, 0.05645030151387113,
              0.9693918096057907, -1.9108065593878445, -0.09779039125594784]


def _curved_points(theta, x, act):
    """The removed saturation rule: data points with |sigma''| > 1e-6 sup|sigma''|, per neuron."""
    w, b, _, _ = split_parameters(theta, 1)
    s2 = np.abs(get_activation(act).d2(x @ w.T + b))
    return np.sum(s2 > 1e-6 * DERIVATIVE_BOUNDS[act][1], axis=0)


def test_a_finite_gelu_minimum_the_saturation_rule_called_diverging_is_certified():
    x, y, th = fixed_design(10), np.array(GELU_Y), np.array(GELU_THETA)
    # the old rule (fewer than d + 2 = 3 curved points) filed this point as "diverging"
    assert _curved_points(th, x, "gelu").min() < 3
    pt = classify_point(th, x, y, "gelu")
    assert pt.domain == "efficient" and pt.label == "uncertified"   # float64 cannot decide
    mp = refine_and_classify(th, x, y, "gelu", dps=40)
    assert mp["label"] == "certified_minimum" and mp["converged"]
    assert float(mp["grad_norm"]) < 1e-30 and mp["moved"] < 1e-6
    assert 1e-8 < mp["min_abs_eig"] < 1e-6 and mp["min_abs_eig"] >= mp["tau"]


def test_a_saturated_neuron_is_diverging_not_a_critical_point():
    """A certified width-1 tanh minimum plus a neuron with tanh saturated on all data: the gradient
    is ~1e-10 (converged for the search, gtol 1e-9), but Newton in mpmath runs off (b grows by
    1/2 per step): an approximate critical point at infinity."""
    x, y, base = planted_minimum("tanh", 1, 10, np.random.default_rng(1))
    w, b, v, c = split_parameters(base.theta, 1)
    th = join_parameters(np.vstack([w, [[0.5]]]), np.append(b, 12.0), np.append(v, 0.3),
                         c - 0.3 * np.tanh(12.0))
    assert np.linalg.norm(risk_derivatives(th, x, y, "tanh").grad[0]) < 1e-9
    assert not classify_point(th, x, y, "tanh").cert.certified
    mp = refine_and_classify(th, x, y, "tanh", dps=40)
    assert mp["label"] == "diverging" and not mp["converged"]
    assert mp["moved"] >= 1 and mp["norm_change"] > 0.5


def test_singular_points_on_one_critical_set_are_reported_once():
    """Appending a neuron with w = 0, v = 0 to a critical point gives a critical point for every
    bias b (a continuum, one realization): singular, and reported once however many b."""
    x, y, base = planted_minimum("tanh", 1, 10, np.random.default_rng(2))
    w, b, v, c = split_parameters(base.theta, 1)
    recs = []
    for bb in (-0.7, 0.1, 0.9):           # far apart: the old 1e-6 rule kept all three
        th = join_parameters(np.vstack([w, [[0.0]]]), np.append(b, bb), np.append(v, 0.0), c)
        mp = refine_and_classify(th, x, y, "tanh", dps=40)
        assert mp["label"] == "singular" and mp["converged"]
        recs.append({"label": mp["label"], "theta": list(th)})
    kept, merged = deduplicate(recs, x, y, "tanh")
    assert len(kept) == 1 and merged == 2 and kept[0]["merged"] == 3


def test_certified_duplicates_merge_by_certified_distance_distinct_minima_do_not():
    x, y, pt = planted_minimum("tanh", 2, 10, np.random.default_rng(2))
    rec = {"label": "certified_minimum", "theta": list(pt.theta), "eta": pt.cert.newton_step,
           "K": pt.cert.lipschitz, "min_abs_eig": pt.cert.min_abs_eig,
           "certified_by": "float64"}
    near = dict(rec, theta=list(pt.theta + 1e-11))          # the same critical point
    # the same point with its neurons swapped and tanh's sign flip: canonical form equal
    w, b, v, c = split_parameters(pt.theta, 1)
    sym = dict(rec, theta=list(join_parameters(-w[::-1], -b[::-1], -v[::-1], c)))
    other = dict(rec, theta=list(pt.theta + 0.05))           # farther than lam/K: distinct
    kept, merged = deduplicate([rec, near, sym, other], x, y, "tanh")
    assert merged == 2 and len(kept) == 2 and kept[0]["merged"] == 3


def test_problem_labels_and_summary():
    r = analyze_problem(ProblemSpec("tanh", 2, 10, seed=0, index=2, restarts=6))
    assert r["points"] and all(p["label"] in LABELS for p in r["points"])
    for p in r["points"]:
        assert (p["domain"] == "diverging") == (p["label"] == "diverging")
        if p["label"].startswith("certified"):
            assert p["certified_by"] in ("float64", "mpmath") and p["min_abs_eig"] >= p["tau"]
    s = summarize_sweep([r])
    assert set(s["critical_points"]) == set(LABELS)
    assert sum(s["critical_points"].values()) == len(r["points"])
    assert sum(sum(v.values()) for v in s["by_domain"].values()) == len(r["points"])


def test_efficient_nondegenerate_states_its_sample():
    """Issue 19: the statement names the sample the check runs (not "the risk is Morse")."""
    from symadam.core import load_all
    from symadam.morse.claims import SWEEP_PROBLEMS

    st = load_all()["morse.efficient_nondegenerate"].statement
    assert f"On {SWEEP_PROBLEMS} seeded" in st and "4 restarts" in st
    assert ProblemSpec("tanh", 2, 10, 0, 0).restarts == 4
    assert "the risk is Morse there" not in st and "not a proof" in st


def test_cli_reports_labels(capsys):
    import json

    from symadam.cli import main

    assert main(["morse", "--problems", "3", "--restarts", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["critical_points"]) == set(LABELS)
    assert set(out["by_domain"]) <= {"efficient", "redundant", "borderline", "diverging"}
    assert main(["morse", "--problems", "2", "--dps", "19"]) == 2
    assert "dps must be" in capsys.readouterr().err
