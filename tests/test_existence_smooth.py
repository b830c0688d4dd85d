"""Smooth activations: non-attainment, sequences, gradient flows (issue 7)."""
import numpy as np
import pytest
import sympy
from scipy.integrate import quad

from symadam.existence.flow_np import fit_power_law, gradient_flow, tanh_width1_law
from symadam.existence.smooth_exact import (
    SMOOTH,
    finite_data_points,
    polynomial_sequence,
    taylor_sequence,
    x,
)
from symadam.networks.activations import get_activation
from symadam.networks.network import Network

n_sym = sympy.Symbol("n", positive=True)


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("name", list(SMOOTH))
def test_taylor_sequence_risk_by_quadrature(name):
    seq = taylor_sequence(name)
    act = get_activation(name).f
    n = 300.0
    w, b, v, c = (float(sympy.N(t.subs(n_sym, n), 30)) for t in seq["theta"])
    R = quad(lambda s: (c + v * act(np.array(w * s + b)) - s) ** 2, 0, 1, epsabs=1e-300,
             epsrel=1e-10, limit=200)[0]
    lead = float(sympy.N(seq["risk_leading"].subs(n_sym, n)))
    assert abs(R / lead - 1) < 20 / n


@pytest.mark.parametrize("name,f", [("tanh", x ** 2 - 2 * x), ("softplus", x ** 2 - 2 * x),
                                    ("gelu", x ** 2 - 2 * x), ("tanh", x ** 3 - x),
                                    ("logistic", x ** 2 + x)])
def test_polynomial_sequence_on_other_domain(name, f):
    # mixed-degree targets: the leading risk was 0 for tanh (h hidden in sum denominators)
    seq = polynomial_sequence(name, f, (-1, 2))
    h = seq["h"]
    e = sympy.lambdify(x, seq["expr"].subs(h, sympy.Rational(1, 400)) - f, "mpmath")
    import mpmath
    with mpmath.workdps(40):
        R = mpmath.quad(lambda s: e(s) ** 2, [-1, 2]) / 3
    lead = float(sympy.N(seq["risk_leading"].subs(h, sympy.Rational(1, 400)), 30))
    assert abs(float(R) / lead - 1) < 0.05


def test_finite_data_counts_and_sharpness():
    assert [finite_data_points(a) for a in SMOOTH] == [4, 4, 3, 5]
    xs = np.array([-1.0, 0.0, 1.0])
    assert np.allclose(np.tanh(xs) / np.tanh(1.0), xs, atol=0, rtol=1e-15)


def test_tanh_flow_diverges_with_the_derived_law():
    xd = np.linspace(-1, 1, 9)
    fr = gradient_flow(Network((1, 1, 1), "tanh"), [1.0, 0.0, 1.0, 0.0], xd, xd, 1e6, samples=21)
    assert fr.monotone_loss()
    law = tanh_width1_law(xd)
    fit = fit_power_law(fr.t, fr.norm, 1e3)
    assert abs(fit["exponent"] - 1 / 6) < 0.01
    assert np.all(np.abs(fr.theta[:, [1, 3]]) < 1e-9)          # b = c = 0 invariant
    last = fr.t >= 1e5
    slope = np.polyfit(fr.t[last], fr.norm[last] ** 6, 1)[0]
    assert abs(slope / (24 * law["K"]) - 1) < 0.05


def test_relu_contrast_converges():
    xd = np.linspace(-1, 1, 9)
    fr = gradient_flow(Network((1, 2, 1), "relu"), [1, -1, 0.3, -0.2, 1, 0.5, 0], xd, xd ** 2,
                       1e5, samples=11, method="LSODA", rtol=1e-8, atol=1e-10)
    assert fr.monotone_loss()
    assert abs(fr.norm[-1] - fr.norm[-3]) < 1e-6 * fr.norm[-1]
    assert fr.loss[-1] > 1e-3


def test_flow_bad_input():
    net = Network((1, 1, 1), "tanh")
    with pytest.raises(ValueError, match="method"):
        gradient_flow(net, [1, 0, 1, 0], [0.0, 1.0], [0.0, 1.0], 10.0, method="RK45")
    with pytest.raises(ValueError, match="t_max"):
        gradient_flow(net, [1, 0, 1, 0], [0.0, 1.0], [0.0, 1.0], 0.5)
