"""The a priori bound (sharpness, simulations, contrast) and the stability region / 2-cycle."""
import mpmath
import numpy as np
import pytest
import sympy
from sympy import Rational as R

from symadam.avf.laws import parse_data
from symadam.bounds.apriori import apriori_bound, apriori_constant
from symadam.bounds.orbit_mp import (
    adam_orbit,
    fixed_point_jacobian,
    spectral_radius,
    two_step_multipliers,
)
from symadam.bounds.sim_np import adversarial_rises, quadratic_sup, random_adversary
from symadam.bounds.stability import critical_a, gamma_max, two_cycle_amplitude
from symadam.bounds.step import c_inf
from symadam.core.validate import check_memory
from symadam.rates.adam_linearization import SYMBOLS as RS
from symadam.rates.adam_linearization import adaptive_map


def test_K_is_C_inf_over_one_minus_sqrt_r():
    for b1, b2 in (("0.9", "0.999"), ("0.5", "0.75"), ("0", "0.9"), ("0.2", "0.05")):
        K = apriori_constant(b1, b2)
        want = c_inf(b1, b2) / (1 - R(b1) / sympy.sqrt(R(b2)))
        assert abs(sympy.N(K - want, 50)) < 1e-45
    assert abs(float(apriori_constant("0.9", "0.999")) - 73.0318078) < 1e-6
    with pytest.raises(ValueError, match="beta1\\*\\*2 < beta2"):
        apriori_constant("0.9", "0.8")


def test_bound_interval():
    lo, hi = apriori_bound("0.5", "2", "0.5", "0.75", -1, 1)
    K = apriori_constant("0.5", "0.75")
    assert sympy.simplify(hi - (1 + 2 * K)) == 0 and sympy.simplify(lo + 1 + 2 * K) == 0
    with pytest.raises(ValueError, match="a must be <= b"):
        apriori_bound(0, 1, "0.5", "0.75", 1, -1)


def test_adversary_is_sharp_and_never_exceeds():
    K = float(apriori_constant("0.9", "0.99"))
    out = adversarial_rises(0.9, 0.99, [0, 5000], [5, 200, 2000], 3000)
    rel = out["rise"] / K
    assert out["sign_ok"].all()
    assert rel.max() <= 1 + 1e-9
    assert rel.max() >= 0.999                     # sharp
    assert rel.min() < 0.6                        # short build-ups stay well below


def test_random_adversary_and_simulations_below_bound():
    K = float(apriori_constant("0.9", "0.999"))
    ra = random_adversary(0.9, 0.999, 2.0, -1.0, 1.0, 0.0, 4000, 128, seed=1)
    assert ra["max"].max() <= 1 + 2 * K and ra["min"].min() >= -1 - 2 * K
    lrs = np.repeat([0.1, 10.0], 16)
    out = quadratic_sup("adam", [0.5, 5.0], parse_data("bernoulli:0.4"), 0.0, lrs, 4000, 32, 3)
    assert (np.maximum(out["above"], out["below"]).max(axis=1) <= lrs * K).all()


def test_several_laws_and_eps_settings_in_one_pass():
    laws = [parse_data("bernoulli:0.4"), parse_data("discrete:-3,-1@1/2,1/2")]
    out = quadratic_sup("adam", [1.0], laws, 0.0, 1e-2, 3000, 8, 2)
    fin = out["final"][:, 0]
    # each group hovers around its own law's mean (0.4 and -2): groups follow their law
    assert np.abs(fin[:4] - 0.4).max() < 0.3 and np.abs(fin[4:] + 2).max() < 0.3
    assert (out["below"][4:] == 0).all()            # data down to -3, iterates above -3
    with pytest.raises(ValueError, match="runs must be a multiple"):
        quadratic_sup("adam", [1.0], laws, 0.0, 1e-2, 10, 3, 0)
    one = random_adversary(0.9, 0.999, 1.0, -1.0, 1.0, 0.0, 600, 8, 4, eps=1e-3)
    mixed = random_adversary(0.9, 0.999, 1.0, -1.0, 1.0, 0.0, 600, 8, 4,
                             eps=np.full(8, 1e-3))
    assert np.array_equal(one["final"], mixed["final"])


def test_gd_and_heavy_ball_explode_adam_does_not():
    law = parse_data("uniform:-1,1")
    gd = quadratic_sup("gd", [1.0], law, 0.0, 2.1, 3000, 8, 5)
    hb = quadratic_sup("heavy-ball", [1.0], law, 0.0, 2.1 * 1.5, 3000, 8, 6, momentum=0.5)
    ad = quadratic_sup("adam", [1.0], law, 0.0, 2.1, 3000, 8, 7)
    assert (gd["blowup_step"] > 0).all() and (hb["blowup_step"] > 0).all()
    assert (ad["blowup_step"] == -1).all()
    with pytest.raises(ValueError, match="method must be"):
        quadratic_sup("sgd", [1.0], law, 0.0, 1.0, 10, 2, 0)


def test_memory_refused_before_start():
    with pytest.raises(ValueError, match="of memory, more than the limit"):
        quadratic_sup("adam", np.ones(10), None, 0.0, 1.0, 10, 10**12, 0)
    with pytest.raises(ValueError, match="of memory, more than the limit"):
        check_memory("x", 1e40)


def test_gamma_max_and_jacobian_radius():
    assert gamma_max("0.9", "1e-3", 2) == R(19, 1000)
    with mpmath.workdps(40):
        g = mpmath.mpf(19) / 1000
        for f, below in (("0.99", True), ("1", None), ("1.01", False)):
            J = fixed_point_jacobian(2, g * mpmath.mpf(f), "0.9", "0.999", "1e-3", 30)
            rad = spectral_radius(J[0:2, 0:2], 30)
            if below is None:
                assert abs(rad - 1) < mpmath.mpf(10)**-25
            else:
                assert (rad < 1) == below
    with pytest.raises(ValueError, match="L .* must be > 0"):
        gamma_max("0.9", "1e-3", 0)


def test_two_cycle_is_an_exact_orbit():
    """theta = +-A is a period-2 orbit of the autonomous map, in exact rational arithmetic."""
    g, b1, b2, e, lam = R(66, 100), R(1, 2), R(1, 2), R(1, 10), R(1)
    A = two_cycle_amplitude(g, b1, e, lam)
    assert A == R(1, 100)
    upd = [u.subs({RS["c1"]: 1, RS["c2"]: 1}) for u in adaptive_map("adam").on_quadratic()]
    par = {RS["gamma"]: g, RS["beta1"]: b1, RS["beta2"]: b2, RS["eps"]: e, RS["lam"]: lam}
    state = {RS["theta"]: A, RS["m"]: -(1 - b1) * lam * A / (1 + b1), RS["v"]: lam**2 * A**2}
    for _ in range(2):
        new = [sympy.nsimplify(u.subs(par).subs(state)) for u in upd]
        state = dict(zip((RS["theta"], RS["m"], RS["v"]), new))
    assert state[RS["theta"]] == A
    with pytest.raises(ValueError, match="must exceed gamma_max"):
        two_cycle_amplitude("0.5", b1, e, lam)


def test_orbit_converges_and_a_c_separates():
    out = adam_orbit(1, "0.66", "0.5", "0.5", "0.1", 1, 1500, dps=30)
    with mpmath.workdps(30):
        assert abs(abs(out[-1][0]) - mpmath.mpf("0.01")) < mpmath.mpf(10)**-25
    ac = critical_a("0.5", "0.9")
    assert ac == R(11, 76)
    mods = []
    for fac in (R(95, 100), R(105, 100)):
        g = gamma_max("0.5", "0.1", 1) / (1 - ac * fac)
        with mpmath.workdps(30):
            A = mpmath.mpf(str(sympy.N(two_cycle_amplitude(g, "0.5", "0.1", 1), 40)))
            mu = A / 3
            mods.append(max(two_step_multipliers((-A, mu, A * A), 1, str(sympy.N(g, 40)),
                                                 "0.5", "0.9", "0.1", 30)))
    assert mods[0] < 1 < mods[1]
