"""Sampling tools and the exactness arguments behind the relu.* claims."""
import mpmath
import numpy as np
import pytest

from symadam.networks.network import Network
from symadam.relu.checks_np import (
    approach_sequence,
    coordinate_derivatives,
    kink_set,
    loss_roundoff_bound,
    sample_problem,
)
from symadam.relu.risk_mp import mp_frechet_quotient, mp_relu_risk


@pytest.mark.parametrize("kinks", ["random", "none", "shielded"])
def test_sampler_kinds(kinks, seed_sequence):
    for depth in (2, 3):
        p = sample_problem(seed_sequence, depth, kinks)
        assert len(p.net.widths) == depth + 2
        ks = kink_set(p.net, p.theta, p.x)
        assert ks == p.kinks
        if kinks == "none":
            assert not ks
        else:
            assert ks
        if kinks == "shielded":
            assert all(lay == 0 and i == 0 for lay, _, i in ks)
            zs, _ = p.net.forward(p.theta, p.x)
            assert np.all(zs[1][0][0] < 0)


def test_sampler_is_deterministic(seed_sequence):
    a = sample_problem(np.random.SeedSequence(5), 3)
    b = sample_problem(np.random.SeedSequence(5), 3)
    assert np.array_equal(a.theta, b.theta) and np.array_equal(a.x, b.x)


def test_roundoff_bound_holds_against_mpmath(seed_sequence):
    for k, ss in enumerate(seed_sequence.spawn(6)):
        p = sample_problem(ss, 1 + k % 3, "none")
        exact = mp_relu_risk(p.net.widths, p.theta, p.x.tolist(), p.y.tolist(), dps=60)
        err = abs(float(mpmath.mpf(p.net.risk(p.theta, p.x, p.y)) - exact))
        bound = loss_roundoff_bound(p.net, p.theta, p.x, p.y)
        assert err <= bound < 1e-10


def test_one_sided_formulas_exact_on_quadratic_pieces():
    """N(x) = v relu(w x + b) + c with a kink on x = 0; b -> L(b) is quadratic on each side."""
    net = Network((1, 1, 1))
    x, y = [[0.0], [1.0]], [0.75, -0.5]
    th = np.array([1.0, 0.0, 2.0, 0.25])
    cd = coordinate_derivatives(net, th, x, y)
    # L(b) = ((2 relu(b) + 0.25 - 0.75)^2 + (2 (1 + b) + 0.75)^2) / 2
    assert cd["plus"][1] == pytest.approx(2 * (-0.5) + 2 * 2.75, abs=cd["tol_side"][1])
    assert cd["minus"][1] == pytest.approx(2 * 2.75, abs=cd["tol_side"][1])
    assert cd["kinks_le0_minus"][1] and not cd["kinks_le0_plus"][1]
    assert net.generalized_gradient(th, x, y)[1] == cd["minus"][1]


def test_approach_sequence_switches_kinks_off(seed_sequence):
    p = sample_problem(seed_sequence, 3)
    th, ok = approach_sequence(p.net, p.theta, p.x, 2.0 ** -np.arange(10, 30, 4))
    assert ok.all()
    for t in th:
        assert not kink_set(p.net, t, p.x)
    G = p.net.generalized_gradient(p.theta, p.x, p.y)
    g = p.net.generalized_gradient(th, p.x, p.y)
    err = np.max(np.abs(g - G), axis=1)
    assert np.all(np.diff(err) < 0) and err[-1] < 1e-5


def test_frechet_quotient_at_kink_can_be_negative():
    """At the kink minimum theta*, the Frechet quotients of G along +-e_b are 1/6 and 0 (>= 0)."""
    widths, th, x, y = (1, 1, 1), [1.0, 0.0, 1.0, 0.0], [[0.0], [1.0], [2.0]], [-0.25, 1.5, 1.75]
    G = Network(widths).generalized_gradient(th, x, y)
    up = float(mp_frechet_quotient(widths, th, G, [0, 1.0, 0, 0], 2.0 ** -40, x, y))
    down = float(mp_frechet_quotient(widths, th, G, [0, -1.0, 0, 0], 2.0 ** -40, x, y))
    assert up == pytest.approx(1 / 6, rel=1e-9) and down == pytest.approx(0.0, abs=1e-9)


def test_helpers_reject_bad_input():
    """Review regressions: these were ZeroDivisionError / IndexError / silent wrong answers."""
    from symadam.networks.backprop import backprop_gradient
    from symadam.networks.network import Network
    from symadam.relu.risk_mp import mp_frechet_quotient, mp_relu_risk

    net, th = Network((1, 1, 1)), [1.0, 0.0, 1.0, 0.0]
    cases = [
        (lambda: sample_problem(-1, 1), "seed must be"),
        (lambda: coordinate_derivatives(net, th, [[0.0]], [1.0], h=0.0), "h must be > 0"),
        (lambda: approach_sequence(net, th, [[0.0]], [-1e-3]), "deltas must be"),
        (lambda: approach_sequence(net, th, [[0.0]], [1e-3], kappa=0), "kappa must be > 0"),
        (lambda: mp_relu_risk((1, 1, 1), th[:3], [[0.0]], [1.0]), "theta must have 4"),
        (lambda: mp_relu_risk((1, 1, 1), th, [[0.0]], [1.0], dps=5), "dps must be"),
        (lambda: mp_relu_risk((1, 1, 1), th, [[0.0]], [1.0, 2.0]), "x and y must"),
        (lambda: mp_frechet_quotient((1, 1, 1), th, [0] * 4, [1, 0, 0, 0], 0, [[0.0]], [1.0]),
         "t must be nonzero"),
        (lambda: backprop_gradient(net, th, [[0.0]], [1.0], d1="x"), "d1 must be a callable"),
    ]
    for call, match in cases:
        with pytest.raises(ValueError, match=match):
            call()
