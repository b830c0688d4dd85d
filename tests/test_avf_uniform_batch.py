"""Uniform data with mini-batch J > 1: the Irwin--Hall batch-mean law in the Adam vector field."""
import math

import mpmath
import numpy as np
import pytest
import sympy

from symadam.avf._law_mp import GradientLaw
from symadam.avf.bias import first_order_bias
from symadam.avf.field_mp import avf_value
from symadam.avf.irwin_hall import irwin_hall_pieces
from symadam.avf.laws import DataLaw, parse_data
from symadam.avf.mc_np import avf_mc

S = sympy.Symbol("s", real=True)
X = sympy.Symbol("x", real=True)


def _convolved_sum_density(J):
    """Pieces of the density of U_1 + ... + U_J (U(0,1)) by exact repeated convolution."""
    pieces = [sympy.Integer(1)]                       # on [0, 1]
    for m in range(2, J + 1):
        # f_m(s) = int_{s-1}^{s} f_{m-1}(t) dt, for s in [i, i+1]
        t = sympy.Symbol("t", real=True)
        new = []
        for i in range(m):
            acc = sympy.Integer(0)
            if i - 1 >= 0:
                acc += sympy.integrate(pieces[i - 1].subs(S, t), (t, S - 1, i))
            if i < m - 1:
                acc += sympy.integrate(pieces[i].subs(S, t), (t, i, S))
            new.append(sympy.expand(acc))
        pieces = new
    return pieces


@pytest.mark.parametrize("J", [2, 3, 4])
def test_irwin_hall_density_is_the_convolution_and_normalised(J):
    a, b = sympy.Rational(-1, 3), sympy.Integer(2)
    pcs = irwin_hall_pieces(a, b, J)
    conv = _convolved_sum_density(J)
    assert len(pcs) == J
    total = sympy.Integer(0)
    for i, (lo, hi, poly) in enumerate(pcs):
        assert lo == a + (b - a) * sympy.Rational(i, J)
        assert hi == a + (b - a) * sympy.Rational(i + 1, J)
        # Xbar = a + (b-a) S/J  =>  f(x) = J/(b-a) f_S(J (x-a)/(b-a))
        ref = J / (b - a) * conv[i].subs(S, J * (X - a) / (b - a))
        assert sympy.expand(poly - ref) == 0
        total += sympy.integrate(poly, (X, lo, hi))
    assert total == 1
    # moments from the moment convolution agree with the exact integrals of the pieces
    law = parse_data(f"uniform:{a},{b}").batch_mean(J)
    for n in range(5):
        mom = sum((sympy.integrate(X**n * p, (X, lo, hi)) for lo, hi, p in pcs), sympy.Integer(0))
        assert law.raw_moment(n) == mom
    assert law.central_moment(3) == 0 and law.variance() == (b - a)**2 / (12 * J)
    assert law.is_symmetric()


def _ih_density_mp(x, J, a, b):
    """Irwin--Hall density of the batch mean, straight from the alternating sum (mpmath)."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    s = J * (x - a) / (b - a)
    if s <= 0 or s >= J:
        return mpmath.mpf(0)
    tot = mpmath.fsum((-1)**k * mpmath.binomial(J, k) * (s - k)**(J - 1)
                      for k in range(int(mpmath.floor(s)) + 1))
    return J / (b - a) * tot / mpmath.factorial(J - 1)


@pytest.mark.parametrize("J", [2, 3, 5])
def test_laplace_functionals_against_quadrature(J):
    spec, a, b = "uniform:-1,2", -1, 2
    gl = GradientLaw(spec, J)
    with mpmath.workdps(45):
        brk = [mpmath.mpf(a) + (b - a) * mpmath.mpf(i) / J for i in range(J + 1)]
        for th, c in (("0.3", "0.01"), ("1.7", "2.5"), ("-0.4", "40"), ("3.1", "7")):
            th, c = mpmath.mpf(th), mpmath.mpf(c)
            phi, psi = gl.functionals(th)
            def f(x, c=c, th=th):
                return _ih_density_mp(x, J, a, b) * mpmath.exp(-c * (th - x)**2)

            qphi = mpmath.quad(f, brk)
            qpsi = mpmath.quad(lambda x: (th - x) * f(x), brk)
            assert abs(phi(c) - qphi) <= mpmath.mpf(10)**-30 * abs(qphi)
            tol = mpmath.mpf(10)**-30 * max(abs(qpsi), mpmath.mpf(10)**-12 * qphi)
            assert abs(psi(c) - qpsi) <= tol


@pytest.mark.slow  # ~15 s: exact values at beta2 = 0.99 plus 2000 histories of length ~4000
def test_avf_uniform_batch3_against_monte_carlo():
    law = parse_data("uniform:0,1").batch_mean(3)
    thetas = [0.3, 0.62]
    mc = avf_mc(law, thetas, 0.8, 0.99, 0.0, 2000, np.random.SeedSequence(20261128))
    for th, est, se in zip(thetas, mc["estimate"], mc["se"]):
        ex = avf_value("uniform:0,1", str(th), beta1="0.8", beta2="0.99", batch=3, dps=15)
        assert ex.digits >= 15
        assert abs(float(ex.value) - est) < 4 * se, (th, float(ex.value), est, se)


def test_symmetry_zero_at_the_mean_and_zero_first_order_bias():
    r = avf_value("uniform:0,1", "1/2", batch=3, dps=20)
    assert abs(r.value) < mpmath.mpf(10)**-20
    assert first_order_bias("uniform:0,1", sympy.Rational(9, 10), sympy.Rational(999, 1000),
                            0, 3) == 0


def test_field_is_odd_about_the_mean():
    # A(1/2 + h) = -A(1/2 - h) for the symmetric Irwin--Hall law
    up = avf_value("uniform:0,1", "0.6", batch=3, dps=20).value
    dn = avf_value("uniform:0,1", "0.4", batch=3, dps=20).value
    assert abs(up + dn) < mpmath.mpf(10)**-19 * abs(up) and up > 0


def test_j1_unchanged_and_irwin_hall_path_agrees_with_uniform_closed_form():
    law = parse_data("uniform:0,1")
    assert law.batch_mean(1) is law
    old = avf_value("uniform:0,1", "0.7", batch=1, dps=15).value
    # the same law through the Irwin--Hall code path with J = 1 (one polynomial piece)
    ih1 = DataLaw("irwinhall", (sympy.Integer(1), sympy.Integer(0), sympy.Integer(1)), (), "ih1")
    new = avf_value(ih1, "0.7", batch=1, dps=15).value
    assert abs(old - new) < mpmath.mpf(10)**-15
    assert mpmath.nstr(old, 15) == "0.569246050186915"   # value before the change


def test_cli_uniform_batch_runs(capsys):
    import json

    from symadam.cli import main
    assert main(["avf", "eval", "--data", "uniform:0,1", "--batch", "2", "--theta", "0.7",
                 "--dps", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["digits"] >= 20 and math.isclose(float(out["value"]), float(
        avf_value("uniform:0,1", "0.7", batch=2, dps=20).value), rel_tol=1e-15)
