"""Generalized responses and the step target (issue 7)."""
import numpy as np
import pytest
import sympy
from sympy import Rational as Q

from symadam.core import assert_identity
from symadam.existence.flow_np import relu_risk_and_grad
from symadam.existence.piecewise import X
from symadam.existence.responses import (
    affine_indicator_pair,
    generalized_response,
    pair_improvement,
    pair_theta,
    step_pair,
    step_target_sequence,
)
from symadam.networks.network import Network
from symadam.networks.population import PiecewisePolynomial as FloatPP


def test_leading_order_symbolic():
    d = pair_improvement()
    h, p0 = sympy.symbols("h p0", real=True)
    assert_identity(d.results["leading"], -h ** 2 * p0 / (6 * sympy.Symbol("n", positive=True)))
    J = sympy.Symbol("J", real=True)
    dj = pair_improvement(jump=True).results["delta_coefficient"]
    assert_identity(dj, p0 * (h * J / 2 - h ** 2 / 3))


def test_pairs_converge_to_their_limits():
    for n in (10, 1000):
        for xv in (Q(-1, 3), Q(1, 5), Q(2, 3)):
            assert step_pair(n, Q(1, 10), 3).subs(X, xv) == (3 if xv > Q(1, 10) else 0) or \
                abs(xv - Q(1, 10)) < Q(1, 2 * n)
            g = generalized_response(Q(1, 10), 3, 2).subs(X, xv)
            p = affine_indicator_pair(n, Q(1, 10), 3, 2).subs(X, xv)
            if abs(xv - Q(1, 10)) >= Q(1, 2 * n):
                assert p == g


@pytest.mark.parametrize("target,t,h,alpha", [(lambda x: np.sin(3 * x), 0.4, 0.7, -1.0),
                                             (lambda x: x ** 3, 0.6, -0.5, 2.0)])
def test_finite_pair_beats_limit_numerically(target, t, h, alpha):
    """A case in no claim: smooth non-polynomial target, the pair alone vs its limit."""
    from scipy.integrate import quad
    G = lambda x: (alpha * (x - t) + h) * (x > t)  # noqa: E731
    RG = quad(lambda x: (G(x) - target(x)) ** 2, 0, t, epsabs=1e-14)[0] + \
        quad(lambda x: (G(x) - target(x)) ** 2, t, 1, epsabs=1e-14)[0]
    for n in (200, 2000):
        th = np.array([float(v) for v in pair_theta(n, Q(str(t)), Q(str(h)), Q(str(alpha)))])
        Rp, _ = relu_risk_and_grad(th, 2, target, nodes=40)
        diff = Rp - RG
        assert diff < 0
        assert abs(n * diff - (-h ** 2 / 6)) < 40 / n


def test_step_sequence_exact_and_float():
    der = step_target_sequence()
    ns = sympy.Symbol("n", positive=True)
    assert der.results["risk"] == 1 / (12 * ns)
    # 4n sqrt(1 + 1/4) / (12 n)
    assert_identity(der.results["risk_times_norm2"], sympy.sqrt(5) / 6)
    net = Network((1, 2, 1), "relu")
    step = FloatPP([0.0, 0.5, 1.0], [[0.0], [1.0]])
    for n in (3, 50, 5000):
        th = np.array([float(v) for v in pair_theta(n, Q(1, 2), 1)])
        assert abs(net.population_risk(th, step, (0, 1)) - 1 / (12 * n)) < 1e-15 * n + 1e-15


def test_step_on_other_domain():
    der = step_target_sequence(Q(1, 3), 2, (-1, 1))
    assert der.results["risk"] == sympy.Rational(4, 24) / sympy.Symbol("n", positive=True)
