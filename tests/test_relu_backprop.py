"""The generalized gradient G: conventions, exactness at kinks, batching."""
import numpy as np
import pytest

from symadam.networks import backprop
from symadam.networks.backprop import backprop_gradient, relu_d1_at_zero
from symadam.networks.network import Network
from symadam.relu.checks_np import RELU_COMPLEX, coordinate_derivatives, sample_problem
from symadam.relu.smooth_np import complex_step_gradient


def test_hand_example_at_kink():
    """N(x) = v relu(w x + b) + c at the kink b = 0 on x = 0, by hand.

    L = (relu(b) v + c - 1)^2 on one point: residual -1, so dL/dc = -2, dL/dv = 2 r relu(b) = 0,
    and with relu'(0) = 0: dL/dw = dL/db = 0; with relu'(0) = 1: dL/db = 2 r v = -2.
    """
    net = Network((1, 1, 1))
    th, x, y = [1.0, 0.0, 1.0, 0.0], [[0.0]], [1.0]
    assert np.array_equal(net.generalized_gradient(th, x, y), [0, 0, 0, -2])
    assert np.array_equal(backprop_gradient(net, th, x, y, relu_d1_at_zero(1.0)), [0, -2, 0, -2])
    assert np.array_equal(backprop_gradient(net, th, x, y, relu_d1_at_zero(0.5)), [0, -1, 0, -2])


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_G_is_gradient_at_generic_points(depth, seed_sequence):
    for ss in seed_sequence.spawn(4):
        p = sample_problem(ss, depth, "none")
        G = p.net.generalized_gradient(p.theta, p.x, p.y)
        cs = complex_step_gradient(p.net, p.theta, p.x, p.y, RELU_COMPLEX)
        assert np.max(np.abs(G - cs)) <= 1e-13 * max(1, np.max(np.abs(G)))
        cd = coordinate_derivatives(p.net, p.theta, p.x, p.y, 2.0 ** -24)
        assert cd["const_both"].all()
        assert np.all(np.abs(cd["central"] - G) <= cd["tol_central"])


def test_wrong_gradient_is_detected(seed_sequence):
    """The FD tolerance is tight enough to see a perturbation of 1e-7 in G."""
    p = sample_problem(seed_sequence, 2, "none")
    G = p.net.generalized_gradient(p.theta, p.x, p.y)
    cd = coordinate_derivatives(p.net, p.theta, p.x, p.y, 2.0 ** -20)
    assert np.max(cd["tol_central"]) < 1e-6
    bad = G.copy()
    bad[0] += 1e-5
    assert not np.all(np.abs(cd["central"] - bad) <= cd["tol_central"])


def test_kinks_are_exact_and_conventions_differ(seed_sequence):
    for depth in (1, 2, 3):
        p = sample_problem(seed_sequence.spawn(1)[0], depth, "random")
        zs, _ = p.net.forward(p.theta, p.x)
        assert p.kinks and all(zs[lay][0][i, j] == 0.0 for lay, j, i in p.kinks)
        G = p.net.generalized_gradient(p.theta, p.x, p.y)
        G1 = backprop_gradient(p.net, p.theta, p.x, p.y, relu_d1_at_zero(1.0))
        G0 = backprop_gradient(p.net, p.theta, p.x, p.y, relu_d1_at_zero(0.0))
        assert np.array_equal(G, G0)
        assert not np.allclose(G, G1)


def test_chunking_matches_unchunked(monkeypatch, seed_sequence):
    rng = np.random.default_rng(seed_sequence)
    net = Network((1, 5, 4, 1))
    th = rng.normal(size=(37, net.num_params))
    x, y = rng.normal(size=(11, 1)), rng.normal(size=11)
    full = net.generalized_gradient(th, x, y)
    monkeypatch.setattr(backprop, "_CHUNK_ELEMENTS", 60)
    assert np.array_equal(net.generalized_gradient(th, x, y), full)


def test_relu_d1_at_zero_rejects_nan():
    with pytest.raises(ValueError, match="value must be finite"):
        relu_d1_at_zero(float("nan"))
