"""symadam.Network: layout, batching, bad input, gradients of smooth networks."""
import numpy as np
import pytest

import symadam
from symadam.networks.activations import ACTIVATIONS
from symadam.networks.network import Network
from symadam.relu.smooth_np import complex_step_gradient, smooth_relu


def _data(rng, d, n=7):
    return rng.normal(size=(n, d)), rng.normal(size=n)


def test_layout_matches_design(seed_sequence):
    net = Network((2, 3, 1), "relu")
    assert net.num_params == 3 * 2 + 3 + 3 + 1
    rng = np.random.default_rng(seed_sequence)
    th = rng.normal(size=net.num_params)
    (W1, b1), (W2, b2) = net.unpack(th)
    assert np.array_equal(W1[0], th[:6].reshape(3, 2)) and np.array_equal(b1[0], th[6:9])
    assert np.array_equal(W2[0], th[9:12].reshape(1, 3)) and b2[0, 0] == th[12]
    x = rng.normal(size=(5, 2))
    expected = th[12] + np.maximum(x @ th[:6].reshape(3, 2).T + th[6:9], 0) @ th[9:12]
    assert np.allclose(net.realization(th, x), expected, rtol=1e-15, atol=1e-15)
    assert np.array_equal(net.pack(net.unpack(th))[0], th)


@pytest.mark.parametrize("act", list(ACTIVATIONS))
def test_batched_equals_single(act, seed_sequence):
    rng = np.random.default_rng(seed_sequence)
    net = Network((2, 4, 3, 1), act)
    th = rng.normal(size=(5, net.num_params))
    x, y = _data(rng, 2)
    R, G = net.risk(th, x, y), net.generalized_gradient(th, x, y)
    assert R.shape == (5,) and G.shape == (5, net.num_params)
    for k in range(5):
        assert net.risk(th[k], x, y) == pytest.approx(R[k], rel=1e-14)
        assert np.allclose(net.generalized_gradient(th[k], x, y), G[k], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("act", [a for a in ACTIVATIONS if a != "relu"])
def test_smooth_gradient_equals_complex_step(act, seed_sequence):
    """For smooth activations G is the true gradient: complex step (no backprop) agrees."""
    rng = np.random.default_rng(seed_sequence)
    for widths in [(1, 3, 1), (2, 4, 3, 1), (3, 2, 2, 2, 1)]:
        net = Network(widths, act)
        th = rng.normal(size=net.num_params)
        x, y = _data(rng, widths[0])
        G = net.generalized_gradient(th, x, y)
        cs = complex_step_gradient(net, th, x, y)
        assert np.max(np.abs(G - cs)) <= 1e-13 * max(1.0, np.max(np.abs(G)))


def test_activation_object_accepted():
    net = Network((1, 2, 1), smooth_relu("hermite", 10.0))
    assert net.activation.startswith("hermite")
    assert net.realization(np.ones(7), [[1.0]]).shape == (1,)


@pytest.mark.parametrize("call, match", [
    (lambda n: n.risk(np.zeros(6), [[0.0]], [0.0]), "theta must have shape"),
    (lambda n: n.risk(np.zeros((2, 6)), [[0.0]], [0.0]), "theta must have shape"),
    (lambda n: n.risk(np.full(7, np.nan), [[0.0]], [0.0]), "theta must be finite"),
    (lambda n: n.risk(np.zeros(7), [[0.0, 1.0]], [0.0]), "x must have shape"),
    (lambda n: n.risk(np.zeros(7), [[np.inf]], [0.0]), "x must be finite"),
    (lambda n: n.risk(np.zeros(7), [[0.0]], [0.0, 1.0]), "y must have shape"),
    (lambda n: n.risk(np.zeros(7), [[0.0]], [np.nan]), "y must be finite"),
    (lambda n: n.generalized_gradient(np.zeros(6), [[0.0]], [0.0]), "theta must have shape"),
    (lambda n: n.generalized_gradient(np.zeros(7), [[0.0]], [np.inf]), "y must be finite"),
    # review regressions: empty data (was nan / ZeroDivisionError), complex theta (was silently
    # cast to its real part), non-numeric or ragged input (was numpy's message), bad unpack
    (lambda n: n.risk(np.zeros(7), np.zeros((0, 1)), np.zeros(0)), "x must have shape"),
    (lambda n: n.generalized_gradient(np.zeros(7), np.zeros((0, 1)), []), "x must have shape"),
    (lambda n: n.realization(np.zeros(7) + 1j, [[0.0]]), "theta must be real"),
    (lambda n: n.risk(np.zeros(7), [["a"]], [0.0]), "x must be an array of real numbers"),
    (lambda n: n.risk(np.zeros(7), [[0.0]], ["b"]), "y must be an array of real numbers"),
    (lambda n: n.risk([[0.0, 1.0], [2.0]], [[0.0]], [0.0]), "theta must be an array of real"),
    (lambda n: n.unpack(np.zeros(3)), "theta must have shape"),
])
def test_bad_input_names_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call(Network((1, 2, 1), "relu"))


@pytest.mark.parametrize("widths, act, match", [
    ((1, 2, 2), "relu", "widths must end"),
    ((1,), "relu", "widths must be"),
    ((1, 0, 1), "relu", "widths must be"),
    ((1, 2.5, 1), "relu", "widths must be"),
    ((1, 2, 1), "swish", "activation must be one of"),
    ((1, 2, 1), 3, "activation must be"),
    (5, "relu", "widths must be a sequence"),
])
def test_bad_architecture(widths, act, match):
    with pytest.raises(ValueError, match=match):
        Network(widths, act)


def test_top_level_exports():
    for name in ("smooth_relu", "approximation_gradient", "backprop_gradient",
                 "relu_d1_at_zero", "population_risk", "Network"):
        assert name in symadam.__all__ and hasattr(symadam, name)
