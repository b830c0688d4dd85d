"""Exact population risk of 1-D networks: hand values, quadrature, the sympy route."""
import warnings

import numpy as np
import pytest
from scipy.integrate import quad

from symadam.networks.network import Network
from symadam.networks.population import PiecewisePolynomial, relu_breakpoints


def test_hand_values():
    net = Network((1, 1, 1))
    # N = relu(x - 1/2), f = 0, uniform on [0, 1]: int_{1/2}^1 (x - 1/2)^2 dx = 1/24
    assert net.population_risk([1.0, -0.5, 1.0, 0.0], [0.0]) == pytest.approx(1 / 24, rel=1e-15)
    # N = |x| on [-1, 1] (two neurons), f = x^2, uniform: int (|x| - x^2)^2 / 2 = 1/30
    net2 = Network((1, 2, 1))
    th = [1.0, -1.0, 0.0, 0.0, 1.0, 1.0, 0.0]
    assert net2.population_risk(th, [0, 0, 1], (-1, 1)) == pytest.approx(1 / 30, rel=1e-14)


def test_breakpoints_of_deep_network_are_kinks(seed_sequence):
    rng = np.random.default_rng(seed_sequence)
    net = Network((1, 4, 3, 3, 1))
    th = rng.normal(size=net.num_params)
    pts = relu_breakpoints(net, th, -2.0, 2.0)
    # affine between breakpoints: midpoints interpolate exactly
    mids = 0.5 * (pts[:-1] + pts[1:])
    N = net.realization(th, pts[:, None])
    assert np.allclose(net.realization(th, mids[:, None]), 0.5 * (N[:-1] + N[1:]),
                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("widths", [(1, 3, 1), (1, 4, 3, 1), (1, 3, 3, 3, 1)])
def test_matches_adaptive_quadrature(widths, seed_sequence):
    rng = np.random.default_rng(seed_sequence)
    net = Network(widths)
    dens = PiecewisePolynomial([-1, 0, 1], [[1, 1], [1, -1]])          # hat density
    f = PiecewisePolynomial([-1, 0.25, 1], [rng.normal(size=3), rng.normal(size=2)])
    th = rng.normal(size=(3, net.num_params))
    R = net.population_risk(th, f, dens)
    for k in range(3):
        def g(t):
            return (net.realization(th[k], [[t]])[0] - f(np.array([t]))[0]) ** 2 \
                * dens(np.array([t]))[0]

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # blind to the kinks: quad's own accuracy is ~1e-10 here
            q = sum(quad(g, a, b, limit=400, epsabs=1e-14)[0]
                    for a, b in ((-1, 0), (0, 0.25), (0.25, 1)))
            # split at the breakpoints (checked to be kinks above): agreement to rounding
            pts = relu_breakpoints(net, th[k], -1, 1, [0, 0.25])
            q2 = sum(quad(g, a, b, epsabs=1e-15, epsrel=1e-14)[0]
                     for a, b in zip(pts[:-1], pts[1:]))
        assert R[k] == pytest.approx(q, rel=1e-8, abs=1e-13)
        assert R[k] == pytest.approx(q2, rel=1e-12, abs=1e-14)


def test_matches_exact_sympy_route(seed_sequence):
    """Cross-check with the exact rational route of symadam.existence (piecewise, kinks)."""
    sp = pytest.importorskip("sympy")
    rp = pytest.importorskip("symadam.existence.piecewise")
    rk = pytest.importorskip("symadam.existence.kinks")
    rng = np.random.default_rng(seed_sequence)
    target = rp.parse_target("Abs(x - 1/4) + x**2", (0, 1))
    coeffs = [[float(c) for c in reversed(sp.Poly(p, rp.X).all_coeffs())] for p in target.pieces]
    f = PiecewisePolynomial([float(b) for b in target.breaks], coeffs)
    net = Network((1, 3, 1))
    for _ in range(3):
        w = rng.integers(1, 9, size=3) * rng.choice([-1, 1], size=3) / 4
        b = rng.integers(-8, 9, size=3) / 8
        v = rng.integers(-8, 9, size=3) / 4
        c = rng.integers(-4, 5) / 4
        th = np.concatenate([w, b, v, [c]])
        kn = rk.KinkNetwork(sp.Rational(c), 0,
                            tuple(sp.Rational(v[j]) * abs(sp.Rational(w[j])) for j in range(3)),
                            tuple(int(np.sign(w[j])) for j in range(3)),
                            tuple(-sp.Rational(b[j]) / sp.Rational(w[j]) for j in range(3)))
        exact = rk.risk_of_kinks(kn, target)
        assert net.population_risk(th, f) == pytest.approx(float(exact), rel=1e-13, abs=1e-15)


def test_smooth_activation_uses_quadrature():
    net = Network((1, 2, 1), "tanh")
    th = np.array([1.0, -2.0, 0.5, 0.3, 1.0, -1.0, 0.2])
    R = net.population_risk(th, [0.0, 1.0], (0, 2))
    q = quad(lambda t: (net.realization(th, [[t]])[0] - t) ** 2 / 2, 0, 2, epsabs=1e-14)[0]
    assert R == pytest.approx(q, rel=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    ({"density": (1, 0)}, "density interval"),
    ({"density": "uniform"}, "density must be"),
    ({"density": PiecewisePolynomial([0, 1], [[2.0]])}, "density must integrate to 1"),
    ({"density": PiecewisePolynomial([0, 1], [[1.0, 1.0]])}, "density must integrate"),
    ({"density": PiecewisePolynomial([0, 1], [[-1.0, 4.0]])}, "density must be non-negative"),
    ({"target": PiecewisePolynomial([0, 0.5], [[1.0]])}, "target must be defined"),
    ({"target": [np.nan]}, "target must be"),
    ({"target": []}, "target must be polynomial coefficients"),  # was numpy's own message
])
def test_bad_input(kwargs, match):
    net = Network((1, 2, 1))
    args = {"target": [0.0], "density": (0, 1)} | kwargs
    with pytest.raises(ValueError, match=match):
        net.population_risk(np.zeros(7), args["target"], args["density"])


def test_bad_piecewise_and_network():
    with pytest.raises(ValueError, match="breaks must be"):
        PiecewisePolynomial([0, 0], [[1.0]])
    with pytest.raises(ValueError, match="coeffs must have one entry per piece"):
        PiecewisePolynomial([0, 1, 2], [[1.0]])
    with pytest.raises(ValueError, match="coeffs must be finite, non-empty"):
        PiecewisePolynomial([0, 1], [[]])
    with pytest.raises(ValueError, match="net must have 1-D input"):
        Network((2, 2, 1)).population_risk(np.zeros(9), [0.0])
