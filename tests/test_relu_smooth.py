"""The approximation procedure: admissible families, convergence to G, the traps."""
import numpy as np
import pytest

from symadam.networks.backprop import backprop_gradient, relu_d1_at_zero
from symadam.networks.network import Network
from symadam.relu.checks_np import sample_problem
from symadam.relu.smooth_np import (
    approximation_gradient,
    complex_step_gradient,
    convergence_study,
    smooth_relu,
)


@pytest.mark.parametrize("family", ["hermite", "shifted_softplus"])
def test_admissible_pointwise_limits(family):
    z = np.array([-1.0, -1e-3, 0.0, 1e-3, 1.0])
    d1 = [smooth_relu(family, r).d1(z) for r in (1e2, 1e5, 1e8)]
    assert np.all(np.abs(d1[-1] - (z > 0)) < 1e-4)
    assert np.all(np.abs(d1[-1] - (z > 0)) <= np.abs(d1[0] - (z > 0)) + 1e-15)
    f = smooth_relu(family, 1e8).f(z)
    assert np.max(np.abs(f - np.maximum(z, 0))) < 1e-6
    zz = np.linspace(-3, 3, 10001)
    assert np.max(smooth_relu(family, 1e3).d1(zz)) <= 1.512 + 1e-12


def test_hermite_is_C2_and_relu_outside_transition():
    r = 8.0
    R = smooth_relu("hermite", r)
    for z0 in (0.0, 1 / r):
        for fn in (R.f, R.d1, R.d2):
            left, right = fn(np.array([z0 - 1e-12])), fn(np.array([z0 + 1e-12]))
            assert abs(left[0] - right[0]) < 1e-8
    z = np.array([-2.0, -0.1, 0.0, 0.125, 0.5, 3.0])
    assert np.array_equal(R.f(z), np.maximum(z, 0))


def test_softplus_derivative_at_zero_is_half():
    for r in (1.0, 10.0, 1e6):
        assert smooth_relu("softplus", r).d1(np.array(0.0)) == 0.5


@pytest.mark.parametrize("family", ["hermite", "shifted_softplus", "softplus"])
def test_complex_step_equals_backprop_of_smooth_network(family, seed_sequence):
    for depth in (1, 2, 3):
        p = sample_problem(seed_sequence.spawn(1)[0], depth, "random")
        for r in (3.0, 300.0):
            cs = approximation_gradient(p.net, p.theta, p.x, p.y, family, r)
            bp = approximation_gradient(p.net, p.theta, p.x, p.y, family, r, method="backprop")
            assert np.max(np.abs(cs - bp)) <= 1e-12 * max(1, np.max(np.abs(bp)))


def test_hermite_reproduces_G_exactly_at_any_depth(seed_sequence):
    for k, ss in enumerate(seed_sequence.spawn(6)):
        p = sample_problem(ss, 1 + k % 3, "random")
        G = p.net.generalized_gradient(p.theta, p.x, p.y)
        zs, _ = p.net.forward(p.theta, p.x)
        zpos = min(np.min(z[z > 0]) for z in zs[:-1] if np.any(z > 0))
        g = approximation_gradient(p.net, p.theta, p.x, p.y, "hermite", 2 / zpos)
        assert np.max(np.abs(g - G)) <= 1e-13 * max(1, np.max(np.abs(G)))


def test_shifted_softplus_order_one_up_to_log(seed_sequence):
    p = sample_problem(seed_sequence, 1, "random")
    st = convergence_study(p.net, p.theta, p.x, p.y, "shifted_softplus",
                           [1e3, 1e4, 1e5, 1e6])
    assert np.all(np.diff(st["error"]) < 0)
    assert -1.05 < st["slope"] < -0.85 and abs(st["slope_log"] + 1) < 0.1


def test_softplus_converges_to_half_convention(seed_sequence):
    p = sample_problem(seed_sequence, 1, "random")
    G = p.net.generalized_gradient(p.theta, p.x, p.y)
    Gh = backprop_gradient(p.net, p.theta, p.x, p.y, relu_d1_at_zero(0.5))
    st = convergence_study(p.net, p.theta, p.x, p.y, "softplus", [1e4, 1e6, 1e8], reference=Gh)
    assert st["error"][-1] < 1e-6 and abs(st["slope"] + 1) < 0.05
    far = approximation_gradient(p.net, p.theta, p.x, p.y, "softplus", 1e8)
    assert np.max(np.abs(far - G)) > 0.5 * np.max(np.abs(Gh - G)) > 0


def test_deep_kink_shifted_softplus_has_other_limit():
    net = Network((1, 1, 1, 1))
    th = np.array([1.0, 0.0, -2.0, 2.0, 1.0, 0.0])
    x, y = np.array([[1.0], [0.5]]), np.array([1.0, 0.25])
    G = net.generalized_gradient(th, x, y)
    G1 = backprop_gradient(net, th, x, y, relu_d1_at_zero(1.0))
    g = approximation_gradient(net, th, x, y, "shifted_softplus", 1e9)
    assert np.max(np.abs(g - G1)) < 1e-6 and np.max(np.abs(g - G)) > 1.0
    assert np.array_equal(approximation_gradient(net, th, x, y, "hermite", 10.0), G)


@pytest.mark.parametrize("args, match", [
    (("hermite", 0.5), "r must be"), (("hermite", float("inf")), "r must be"),
    (("hermite", "a"), "r must be"), (("swish", 2.0), "family must be one of"),
    (("hermite", True), "r must be"),    # was read as r = 1
])
def test_bad_family_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        smooth_relu(*args)


def test_bad_approximation_arguments():
    net = Network((1, 2, 1), "tanh")
    with pytest.raises(ValueError, match="net must be a relu network"):
        approximation_gradient(net, np.zeros(7), [[0.0]], [0.0], "hermite", 2.0)
    with pytest.raises(ValueError, match="method must be"):
        approximation_gradient(Network((1, 2, 1)), np.zeros(7), [[0.0]], [0.0], "hermite", 2.0,
                               method="fd")
    with pytest.raises(ValueError, match="activation must be smooth"):
        complex_step_gradient(Network((1, 2, 1)), np.zeros(7), [[0.0]], [0.0])
    with pytest.raises(ValueError, match="theta must have shape"):
        complex_step_gradient(net, np.zeros((2, 7)), [[0.0]], [0.0])


def test_hermite_exact_relu_for_any_r_and_no_overflow():
    """Review regression: for t = r z >= 1 the value is z itself (P(rz)/r could differ by an
    ulp when r is not a power of two), and huge |z| no longer overflows the quintic."""
    z = np.linspace(-1, 1, 20001)
    R = smooth_relu("hermite", 3.0)
    out = z * 3.0 >= 1
    assert np.array_equal(R.f(z[out]), z[out]) and np.all(R.d1(z[out]) == 1)
    assert np.all(R.f(z[z <= 0]) == 0) and np.all(R.d2(z[out]) == 0)
    big = np.array([-1e300, -1e60, 1e60, 1e300])
    with np.errstate(all="raise"):
        for r in (3.0, 1e8, 1e300):
            Rr = smooth_relu("hermite", r)
            assert np.array_equal(Rr.f(big), np.maximum(big, 0))
            assert np.array_equal(Rr.d1(big), (big > 0).astype(float))
            assert np.all(Rr.d2(big) == 0)
