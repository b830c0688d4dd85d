"""The Euler--Maclaurin / lattice route over the history (issue 15, part 2).

The route replaces the factor-by-factor head of the product over the history
for every stationary field with beta1, beta2 > 0.  It is checked against the
previous route (``route="direct"``), its two regimes against each other, its
ingredients (Chebyshev panels, the exponential ODE, the Euler--Maclaurin
weights) against mpmath, and the resulting field for continuous laws at
beta2 close to 1 against Monte Carlo.
"""
from __future__ import annotations

import mpmath
import pytest

from symadam.avf._chebyshev_mp import (
    Clenshaw,
    Horner,
    antiderivative,
    clenshaw_curtis,
    coefficients,
    derivative,
    lobatto_points,
    solve_exp_ode,
)
from symadam.avf._history_mp import em_weights, head_integral
from symadam.avf._law_mp import GradientLaw
from symadam.avf._quadrature_mp import _POINTS, AVFIntegrand, integrate_avf
from symadam.avf.field_mp import avf_value
from symadam.avf.laws import parse_data
from symadam.avf.mc_np import avf_mc


def digits(a, b):
    with mpmath.workdps(60):
        return 99 if a == b else float(-mpmath.log10(abs(a - b) / abs(b)))


def field(spec, J, b1, b2, theta, eps, wp, route="auto"):
    gl = GradientLaw(spec, J)
    with mpmath.workdps(wp):
        f = AVFIntegrand(gl, mpmath.mpf(theta), mpmath.mpf(b1), mpmath.mpf(b2), mpmath.mpf(eps))
        return integrate_avf(f, route=route)[0]


@pytest.mark.parametrize("w0", ["0", "0.105", "1.3", "4.6"])
def test_em_weights_are_taylor_coefficients(w0):
    """sum_i c_i z^i reproduces g(w0 + z) = 1/(1 - e^-(w0+z)) - 1/(w0+z) for small z."""
    with mpmath.workdps(40):
        c = em_weights(mpmath.mpf(w0), 40)
        for z in ("0.05", "-0.03", "0.2"):
            z = mpmath.mpf(z)
            with mpmath.workdps(90):           # the difference cancels ~log10(1/w) digits
                w = mpmath.mpf(w0) + z
                g = 1 / (1 - mpmath.exp(-w)) - 1 / w
            series = mpmath.fsum(ci * z**i for i, ci in enumerate(c))
            assert abs(series - g) < mpmath.mpf(10)**-28, (w0, z)
    with pytest.raises(ValueError, match="w0"):
        em_weights(7, 3)


def test_chebyshev_pieces_against_mpmath():
    with mpmath.workdps(40):
        a, b = mpmath.mpf("-1.3"), mpmath.mpf("0.4")
        hw = (b - a) / 2
        f = lambda s: mpmath.exp(s) * mpmath.sin(3 * s)       # noqa: E731
        c = coefficients([f((a + b) / 2 + hw * x) for x in lobatto_points(50)])
        t = mpmath.mpf("-0.2")
        x = (2 * t - a - b) / (b - a)
        assert abs(Clenshaw(c)(x) - f(t)) < 1e-38
        assert abs(Clenshaw(derivative(c, hw))(x) - mpmath.diff(f, t)) < 1e-35
        assert abs(Clenshaw(antiderivative(c, hw))(x) - mpmath.quad(f, [a, t])) < 1e-38
        for lam in ("0.5", "10", "1000"):          # spectral solve: no boundary layer to resolve
            lam = mpmath.mpf(lam)
            if lam * hw > 12:
                continue
            E = solve_exp_ode(c, lam, hw, mpmath.mpf("0.7"))
            ex = mpmath.exp(-lam * (t - a)) * mpmath.mpf("0.7") + mpmath.quad(
                lambda q: mpmath.exp(-lam * (t - q)) * f(q), [a, t])
            assert abs(Clenshaw(E)(x) - ex) < 1e-35
        v, e = clenshaw_curtis(f, a, b, mpmath.mpf(10)**-35)
        assert abs(v - mpmath.quad(f, [a, b])) < 1e-34
        hf = Horner([1, -2, mpmath.mpf(1) / 3], 5)
        assert abs(hf(mpmath.mpf(4)) - (1 - 8 + mpmath.mpf(16) / 3)) < 1e-35


@pytest.mark.parametrize("spec, J, b1, b2, eps", [
    ("normal:0,1", 1, "0.9", "0.999", "0.1"),       # eps > 0: the kernel's erfc part
    ("uniform:-1,2", 1, "0.95", "0.999", "0"),
    ("normal:0,1", 1, "0.5", "0.99", "0"),          # small beta1: c_i(h1) far from 0
    ("bernoulli:0.1", 1, "0.9", "0.99", "0"),       # discrete data take the route too
])
def test_history_route_equals_the_factor_by_factor_route(spec, J, b1, b2, eps):
    new = field(spec, J, b1, b2, "0.3", eps, 34)
    old = field(spec, J, b1, b2, "0.3", eps, 34, route="direct")
    assert digits(new, old) >= 32


def test_em_and_lattice_regimes_agree():
    """Two independent ways through the head: Euler--Maclaurin and lattice products."""
    gl = GradientLaw("exponential:1", 1)
    with mpmath.workdps(32):
        f = AVFIntegrand(gl, mpmath.mpf("0.3"), mpmath.mpf("0.9"), mpmath.mpf("0.99"),
                         mpmath.mpf(0))
        em = head_integral(f, f.xmax, regime="em")
        lat = head_integral(f, f.xmax, regime="lattice")
    assert em is not None and lat is not None
    assert digits(em[0], lat[0]) >= 30


def test_em_declines_when_the_lattice_is_coarse():
    gl = GradientLaw("exponential:1", 1)
    with mpmath.workdps(30):
        f = AVFIntegrand(gl, mpmath.mpf("0.3"), mpmath.mpf("0.9"), mpmath.mpf("0.9"),
                         mpmath.mpf(0))
        assert head_integral(f, f.xmax, regime="em") is None     # h = 0.105: aliasing too big
        assert head_integral(f, f.xmax, regime="lattice") is not None


@pytest.mark.parametrize("b2", ["0.9", "0.99", "0.999", "0.9999"])
def test_gamma_batch_field_two_precisions(b2):
    r = avf_value("exponential:1", "0.3", "0.9", b2, 0, 4, dps=30)
    assert r.digits == 30


@pytest.mark.parametrize("spec, J, thetas", [("exponential:1", 1, ("0.5", "1.5")),
                                             ("exponential:2", 3, ("0.2", "0.8")),
                                             ("uniform:0,1", 3, ("0.4",))])
def test_continuous_fields_near_one_against_monte_carlo(spec, J, thetas, seed_sequence):
    law = parse_data(spec).batch_mean(J)
    mc = avf_mc(law, [float(t) for t in thetas], 0.9, 0.999, 0.0, 400, seed_sequence)
    for t, est, se in zip(thetas, mc["estimate"], mc["se"]):
        ex = float(avf_value(spec, t, "0.9", "0.999", 0, J, dps=15).value)
        assert abs(est - ex) < 4 * se, (spec, t, est, ex, se)


@pytest.mark.slow
def test_exponential_beta2_09_against_the_factor_by_factor_route():
    # ~45 s of the previous route (the head is ~80 factors at every node)
    new = field("exponential:1", 1, "0.9", "0.9", "0.3", "0", 38)
    old = field("exponential:1", 1, "0.9", "0.9", "0.3", "0", 38, route="direct")
    assert digits(new, old) >= 36


def test_low_part_points():
    assert _POINTS[0] == 0 and list(_POINTS) == sorted(_POINTS)
