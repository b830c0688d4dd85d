"""RMS step at a frozen theta (kernel, closed form, enumeration, simulation) and the
second-order bias of Adam's limit."""
import mpmath
import pytest
import sympy
from sympy import Rational as R

from symadam.avf.bias import first_order_bias
from symadam.avf.bias_order2 import (
    SYMBOLS,
    cumulants,
    derive_bias_order2,
    order2_fields,
    second_order_bias,
)
from symadam.avf.field_mp import avf_zero
from symadam.avf.laws import parse_data
from symadam.bounds.rms import kernel2_formula, pm1_rms
from symadam.bounds.rms_mp import kernel2, rms_step
from symadam.bounds.sim_np import frozen_rms
from symadam.bounds.step_mp import enumerate_rms
from symadam.core.identity import agreeing_digits


def test_kernel_typed_in_mpmath_equals_the_derived_one():
    u, e = sympy.Symbol("u", positive=True), sympy.Symbol("eps", positive=True)
    K = kernel2_formula()
    with mpmath.workdps(40):
        for uu, ee in ((R(1, 3), R(1, 2)), (R(7), R(1, 100)), (R(50), R(2))):
            want = mpmath.mpf(str(sympy.N(K.subs({u: uu, e: ee}), 50)))
            got = kernel2(mpmath.mpf(uu.p) / uu.q, mpmath.mpf(ee.p) / ee.q)
            assert agreeing_digits(got, want) >= 35


def test_pm1_closed_form_and_laplace_route():
    assert pm1_rms("0.9", 0) == sympy.sqrt(19) / 19
    r = rms_step("discrete:-1,1@1/4,3/4", 0, "0.9", "0.99", "0.1", dps=20)
    with mpmath.workdps(30):
        want = mpmath.mpf(str(sympy.N(pm1_rms("0.9", "0.1", R(-1, 2)), 30)))
        assert agreeing_digits(r.value, want) >= 19


def test_laplace_route_against_enumeration():
    r = rms_step("discrete:-1,0,2@1/4,1/4,1/2", "0.3", "0.7", "0.8", "0.05", dps=20, history=6)
    with mpmath.workdps(30):
        brute = mpmath.sqrt(enumerate_rms([(-1, "1/4"), (0, "1/4"), (2, "1/2")], "0.3", "0.7",
                                          "0.8", "0.05", 6, 25))
        assert agreeing_digits(r.value, brute) >= 19


def test_bad_input():
    with pytest.raises(ValueError, match="beta1\\*\\*2 must be < beta2"):
        rms_step("rademacher", 0, "0.9", "0.5", 0, dps=15)
    with pytest.raises(ValueError, match="beta2 must be in"):
        rms_step("rademacher", 0, "0.9", "1", 0, dps=15)


def test_frozen_chain_matches_exact():
    r = rms_step("bernoulli:0.3", "0.3", "0.9", "0.99", 0, dps=15)
    mc = frozen_rms(parse_data("bernoulli:0.3"), 0.3, 0.9, 0.99, 0.0, 10000, 64, seed=11)
    assert abs(mc["mean"] - float(r.value)**2) < 4 * mc["se"]


def test_cumulants_and_zero_skew_formula():
    c = cumulants("discrete:-2,1,3@0.4,0.5,0.1")
    assert [c[SYMBOLS[k]] for k in ("s2", "k3", "k4", "k5")] == [3, 0, -12, 12]
    res = derive_bias_order2().results
    gen = res["second_eps0"].subs(SYMBOLS["k3"], 0)
    assert sympy.cancel(gen - res["second_zero_skew_eps0"]) == 0
    b1, b2 = R(9, 10), R(999, 1000)
    want = R(1, 20) * (1 - b2)**2 / (1 - b1 * b2**2)       # 3 (1-b1) k5 / (8 s2^2) = 1/20
    assert second_order_bias("discrete:-2,1,3@0.4,0.5,0.1", b1, b2) == want
    assert second_order_bias("rademacher", "0.9", "0.99", "0.1", 3) == 0   # symmetric


def test_second_order_against_exact_zero():
    spec = "discrete:-1,2,4@0.4,0.5,0.1"     # the zero-skew law shifted by +1
    b2 = "0.999"
    so = second_order_bias(spec, "0.9", b2)
    z = avf_zero(spec, "0.9", b2, 0, 1, dps=20, guess=so)
    ratio = z.bias / mpmath.mpf(str(sympy.N(so, 30)))
    assert abs(ratio - 1) < 2e-3                          # (ratio - 1)/(1 - beta2) ~ 0.95
    fo = first_order_bias("bernoulli:0.1", "0.9", b2)
    sob = second_order_bias("bernoulli:0.1", "0.9", b2)
    zb = avf_zero("bernoulli:0.1", "0.9", b2, 0, 1, dps=20, guess=fo + sob)
    with mpmath.workdps(30):
        rb = (zb.bias - mpmath.mpf(str(sympy.N(fo, 30)))) / mpmath.mpf(str(sympy.N(sob, 30)))
    assert abs(rb - 1) < 1e-2


def test_order2_fields_digits():
    out = order2_fields("bernoulli:0.1", "0.9", "0.99", 0, 2, 25)
    exact = sympy.sympify(out["second_order_exact"])
    assert out["second_order"] == str(sympy.Float(sympy.N(exact, 60), 25))
    with mpmath.workdps(40):
        pz = mpmath.mpf(str(sympy.N(R(1, 10) + first_order_bias("bernoulli:0.1", "0.9", "0.99",
                                                                 0, 2) + exact, 40)))
        assert mpmath.nstr(pz, 25) == mpmath.nstr(mpmath.mpf(out["predicted_zero"]), 25)
