"""Exact evaluation of the Adam vector field, its zeros and the first-order bias."""
import itertools

import mpmath
import numpy as np
import pytest
import sympy

from symadam.avf.bias import derive_bias, first_order_bias
from symadam.avf.field_mp import avf_value, avf_zero, check_avf_params
from symadam.avf.laws import parse_data
from symadam.avf.mc_np import avf_mc
from symadam.core.identity import agreeing_digits


@pytest.mark.parametrize("eps", ["0", "0.25"])
def test_plus_minus_one_closed_form(eps):
    # G = -x in {+1 (p = 1/3), -1 (p = 2/3)}: V = 1 exactly, A = E[G]/(1 + eps)
    r = avf_value("discrete:-1,1@1/3,2/3", 0, "0.8", "0.95", eps, dps=30)
    with mpmath.workdps(40):
        exact = -mpmath.mpf(1) / 3 / (1 + mpmath.mpf(eps))
        assert abs(r.value - exact) < mpmath.mpf(10)**-30


@pytest.mark.parametrize("eps", ["0", "0.05"])
def test_finite_history_against_enumeration(eps):
    n = 8
    r = avf_value("bernoulli:2/5", "1/3", "0.7", "0.85", eps, dps=30, history=n)
    with mpmath.workdps(45):
        p, th = mpmath.mpf(2) / 5, mpmath.mpf(1) / 3
        b1, b2, e = mpmath.mpf("0.7"), mpmath.mpf("0.85"), mpmath.mpf(eps)
        a = [(1 - b1) * b1**k for k in range(n)]
        b = [(1 - b2) * b2**k for k in range(n)]
        vals = {0: (th, 1 - p), 1: (th - 1, p)}
        tot = mpmath.mpf(0)
        for seq in itertools.product((0, 1), repeat=n):
            M = sum(a[k] * vals[s][0] for k, s in enumerate(seq))
            V = sum(b[k] * vals[s][0]**2 for k, s in enumerate(seq))
            tot += mpmath.fprod(vals[s][1] for s in seq) * M / (e + mpmath.sqrt(V))
        assert agreeing_digits(r.value, tot) >= 30


def test_symmetric_point_is_a_zero():
    for spec in ("rademacher", "discrete:-3,1,5@1/4,1/2,1/4"):
        law = parse_data(spec)
        assert abs(avf_value(spec, law.mean(), "0.9", "0.999", 0, dps=25).value) < 1e-25


def test_skewed_point_is_not_a_zero():
    r = avf_value("bernoulli:0.1", "0.1", "0.9", "0.999", 0, dps=20)
    assert r.value > 1e-4 and r.error < 1e-22


def test_against_monte_carlo(seed_sequence):
    law = parse_data("bernoulli:0.25").batch_mean(2)
    thetas = [-0.3, 0.1, 0.25, 0.6]
    mc = avf_mc(law, thetas, 0.8, 0.9, 0.01, 3000, seed_sequence)
    for t, est, se in zip(thetas, mc["estimate"], mc["se"]):
        ex = float(avf_value("bernoulli:0.25", str(t), "0.8", "0.9", "0.01", 2, dps=15).value)
        assert abs(est - ex) < 4 * se, (t, est, ex, se)


def test_mc_standard_error_is_honest():
    # 20 independent seeds: the z-scores of the estimates scatter like N(0, 1)
    law = parse_data("bernoulli:0.3")
    ex = float(avf_value("bernoulli:0.3", "0.2", "0.5", "0.8", 0, dps=15).value)
    zs = []
    for s in range(20):
        r = avf_mc(law, [0.2], 0.5, 0.8, 0.0, 400, np.random.SeedSequence([7, s]))
        zs.append((r["estimate"][0] - ex) / r["se"][0])
    zs = np.array(zs)
    assert np.all(np.abs(zs) < 4.5)
    assert 0.4 < zs.std() < 1.8


def test_user_gradient_scale_invariance():
    # at eps = 0, A is invariant under G -> 2G: grad = 2 (theta - x) gives the same field
    a = avf_value("bernoulli:0.2", "0.3", "0.9", "0.99", 0, dps=20)
    b = avf_value("bernoulli:0.2", "0.3", "0.9", "0.99", 0, dps=20,
                  grad=sympy.sympify("2*(theta - x)"))
    assert agreeing_digits(a.value, b.value) >= 19


def test_user_gradient_minimizer():
    from symadam.avf._law_mp import GradientLaw

    gl = GradientLaw("discrete:0,1@1/2,1/2", grad=sympy.sympify("theta**3 - x"))
    assert gl.minimizer() == sympy.Rational(1, 2)**sympy.Rational(1, 3)


def test_beta2_limit():
    r = avf_value("bernoulli:0.1", "0.3", "0.9", "0.99999", 0, dps=20)
    lim = 0.2 / np.sqrt(0.04 + 0.09)
    assert abs(float(r.value) - lim) < 2e-5 and abs(float(r.value) - lim) > 1e-6


@pytest.mark.parametrize("args, msg", [
    ((0.9, 0.8, 0), "beta1\\*\\*2 must be < beta2"),
    ((1.0, 0.9, 0.1), "beta1 must be in"),
    ((0.9, 1.0, 0.1), "beta2 must be in"),
    ((0.9, 0.99, -1e-3), "eps must be >= 0"),
    (("x", 0.99, 0), "beta1 must be a real number"),
])
def test_bad_parameters(args, msg):
    with pytest.raises(ValueError, match=msg):
        check_avf_params(*args)


def test_bad_inputs_of_evaluator():
    with pytest.raises(ValueError, match="batch"):
        avf_value("bernoulli:0.1", 0, batch=0)
    with pytest.raises(ValueError, match="dps"):
        avf_value("bernoulli:0.1", 0, dps=5)
    with pytest.raises(ValueError, match="batch"):
        avf_value("uniform:0,1", 0, batch=-3)


def test_large_beta1_works_with_eps():
    # beta1^2 >= beta2 is fine for eps > 0; compare with Monte Carlo
    law = parse_data("rademacher")
    ex = float(avf_value("rademacher", "0.5", "0.9", "0.5", "0.1", dps=15).value)
    mc = avf_mc(law, [0.5], 0.9, 0.5, 0.1, 20000, 11)
    assert abs(mc["estimate"][0] - ex) < 4 * mc["se"][0]


def test_bias_formula_symbolic():
    d = derive_bias()
    b = d.results["bias"]
    s = {str(x): x for x in b.free_symbols}
    # eps = 0 reduces to -c_ab k3/(2 J s2)
    cab = (1 - s["beta1"]) * (1 - s["beta2"]) / (1 - s["beta1"] * s["beta2"])
    assert sympy.cancel(b.subs(s["eps"], 0) + cab * s["k3"] / (2 * s["J"] * s["s2"])) == 0
    assert first_order_bias("rademacher", "0.9", "0.99") == 0


def test_zero_and_first_order_bias():
    g = first_order_bias("bernoulli:0.1", "0.9", "0.9999")
    z = avf_zero("bernoulli:0.1", "0.9", "0.9999", 0, dps=20, guess=g)
    ratio = z.bias / mpmath.mpf(str(g.evalf(30)))
    assert abs(ratio - 1) < 3e-4          # relative correction O(1 - beta2) = 1e-4
    assert z.digits >= 20


def test_zero_symmetric_is_minimizer():
    z = avf_zero("discrete:-1,0,1@1/4,1/2,1/4", "0.9", "0.999", 0, dps=20)
    assert z.zero == 0 and z.bias == 0


@pytest.mark.slow
def test_zero_digits_stable_beta2_099():
    g = first_order_bias("bernoulli:0.1", "0.9", "0.99")
    z30 = avf_zero("bernoulli:0.1", "0.9", "0.99", 0, dps=30, guess=g)
    z36 = avf_zero("bernoulli:0.1", "0.9", "0.99", 0, dps=36, guess=g)
    # nstr rounds from the full precision of the value (no unary plus: that would round
    # z36 to the ambient precision, 15 digits, first)
    assert z30.digits >= 30 and z36.digits >= 36
    assert mpmath.nstr(z30.zero, 30) == mpmath.nstr(z36.zero, 30)
