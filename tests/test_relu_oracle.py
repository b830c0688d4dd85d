"""PyTorch oracle: torch.relu gives G; clamp and maximum give other vectors at kinks."""
import numpy as np
import pytest

from symadam.networks.backprop import backprop_gradient, relu_d1_at_zero
from symadam.networks.network import Network
from symadam.relu.checks_np import sample_problem

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

from symadam.oracle.torch_relu import torch_gradient  # noqa: E402


def test_torch_relu_equals_G_on_random_deep_networks(seed_sequence):
    rng = np.random.default_rng(seed_sequence)
    for widths in [(3, 8, 8, 8, 1), (2, 16, 16, 1), (1, 5, 4, 3, 2, 1)]:
        net = Network(widths)
        th = rng.normal(size=(4, net.num_params))
        x, y = rng.normal(size=(20, widths[0])), rng.normal(size=20)
        G = net.generalized_gradient(th, x, y)
        T = torch_gradient(net, th, x, y, "relu")
        assert np.max(np.abs(G - T)) <= 1e-13 * max(1, np.max(np.abs(G)))


def test_torch_relu_equals_G_at_kink_points(seed_sequence):
    for k, ss in enumerate(seed_sequence.spawn(9)):
        p = sample_problem(ss, 1 + k % 3, "random")
        assert p.kinks
        G = p.net.generalized_gradient(p.theta, p.x, p.y)
        T = torch_gradient(p.net, p.theta, p.x, p.y, "relu")
        assert np.max(np.abs(G - T)) <= 1e-13 * max(1, np.max(np.abs(G)))


@pytest.mark.parametrize("primitive, value", [("clamp", 1.0), ("maximum", 0.5)])
def test_other_primitives_use_other_derivatives_at_zero(primitive, value, seed_sequence):
    differs = 0
    for k, ss in enumerate(seed_sequence.spawn(6)):
        p = sample_problem(ss, 1 + k % 3, "random")
        G = p.net.generalized_gradient(p.theta, p.x, p.y)
        Gv = backprop_gradient(p.net, p.theta, p.x, p.y, relu_d1_at_zero(value))
        T = torch_gradient(p.net, p.theta, p.x, p.y, primitive)
        assert np.max(np.abs(Gv - T)) <= 1e-13 * max(1, np.max(np.abs(Gv)))
        differs += np.max(np.abs(T - G)) > 1e-6
    assert differs >= 5


def test_primitives_agree_away_from_kinks(seed_sequence):
    p = sample_problem(seed_sequence, 2, "none")
    ref = torch_gradient(p.net, p.theta, p.x, p.y, "relu")
    for prim in ("clamp", "maximum"):
        assert np.allclose(torch_gradient(p.net, p.theta, p.x, p.y, prim), ref, rtol=1e-14,
                           atol=1e-15)


def test_bad_primitive():
    with pytest.raises(ValueError, match="primitive must be one of"):
        torch_gradient(Network((1, 2, 1)), np.zeros(7), [[0.0]], [0.0], "abs")
    with pytest.raises(ValueError, match="net must be a relu network"):
        torch_gradient(Network((1, 2, 1), "tanh"), np.zeros(7), [[0.0]], [0.0])
