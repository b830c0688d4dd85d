"""The ``sgd`` topic: exact routes against theory, route cross-checks, CLI contract, bad input."""
from __future__ import annotations

import json

import mpmath
import numpy as np
import pytest
import sympy
from sympy import Rational

from symadam.cli import main
from symadam.core import assert_identity
from symadam.sgd.invariant import (
    GAMMA,
    KAPPA,
    SIGMA,
    J,
    kesten_moment,
    lyapunov,
    regression_second_moment,
    scalar_invariant,
    sgd_covariance,
    trial_excess,
)
from symadam.sgd.lojasiewicz import flow_law, lojasiewicz

# --- Łojasiewicz exponents -------------------------------------------------------------------

@pytest.mark.parametrize("p", [2, 3, 4, 5])
def test_even_powers(p):
    r = lojasiewicz(f"x**{2 * p}")
    assert r.theta == 1 - Rational(1, 2 * p)                  # the textbook value
    assert r.flow_exponent == Rational(p, p - 1)              # f ~ t^(-p/(p-1))
    assert r.distance_exponent == Rational(1, 2 * p - 2)      # x ~ t^(-1/(2p-2))


@pytest.mark.parametrize("text, vs, pt, theta, law", [
    ("(x**2 + y**2 - 1)**2", ("x", "y"), (0, 1), Rational(1, 2), "exponential"),
    ("(x**2 + y**2 - 1)**2 + z**2", ("x", "y", "z"), (0, 1, 0), Rational(1, 2), "exponential"),
    ("x**4 - y**2", ("x", "y"), (0, 0), Rational(3, 4), "algebraic"),
    ("(y - x**2)**2 + x**6", ("x", "y"), (0, 0), Rational(5, 6), "algebraic"),
    ("x**3 - 3*x*y**2", ("x", "y"), (0, 0), Rational(2, 3), "algebraic"),
    ("cos(x) + x**2/2", ("x",), (0,), Rational(3, 4), "algebraic"),      # 1 + x^4/24 + ...
    ("tanh(x)**2", ("x",), (0,), Rational(1, 2), "exponential"),
    ("x**2 - y**2", ("x", "y"), (0, 0), Rational(1, 2), "exponential"),  # Morse saddle
])
def test_catalogue_beyond_claims(text, vs, pt, theta, law):
    r = lojasiewicz(text, vs, pt)
    assert (r.theta, r.flow_law) == (theta, law)


def test_rates_are_normal_hessian_eigenvalues():
    assert lojasiewicz("(x**2 + y**2 - 1)**2", ("x", "y"), (1, 0)).rate == 8
    assert lojasiewicz("(x**2 + y**2 - 1)**2 + z**2", ("x", "y", "z"), (1, 0, 0)).rate == 2
    assert lojasiewicz("x**2 + 3*y**2", ("x", "y"), (0, 0)).rate == 2


@pytest.mark.parametrize("text, vs, pt, match", [
    ("x**2 + x", ("x",), (0,), "not a critical point"),
    ("Abs(x)**3", ("x",), (0,), "analytic"),
    ("x**2*y**2", ("x", "y"), (0, 0), "undecided"),
    ("-x**2", ("x",), (0,), "maximum"),
    ("sin(x)**2 + cos(x)**2 - 1", ("x",), (0,), "needs a polynomial"),
    ("x**30", ("x",), (0,), "degree 30"),
])
def test_refusals(text, vs, pt, match):
    with pytest.raises(ValueError, match=match):
        lojasiewicz(text, vs, pt)


def test_flow_law_bounds():
    with pytest.raises(ValueError):
        flow_law(Rational(1, 2))


# --- invariant laws --------------------------------------------------------------------------

def test_scalar_invariant_against_series():
    # Var = sum_k gamma^2 (1-gamma)^(2k) sigma^2 / J, summed as a geometric series by sympy
    k = sympy.Symbol("k", integer=True, nonnegative=True)
    g = sympy.Symbol("g", positive=True)
    series = sympy.summation(g ** 2 * sympy.Rational(1, 4) ** k, (k, 0, sympy.oo))
    var = scalar_invariant()["variance"].subs({GAMMA: 1 - sympy.Rational(1, 2), SIGMA: 1, J: 1})
    assert var == series.subs(g, Rational(1, 2))
    assert_identity(scalar_invariant()["excess_risk"], GAMMA * SIGMA ** 2 / (2 * J * (2 - GAMMA)))


def test_lyapunov_commuting_case_matches_closed_form():
    H, S = sympy.Matrix([[2, 0], [0, 5]]), sympy.Matrix([[3, 0], [0, 1]])
    g = Rational(1, 7)
    closed = g * (2 * H - g * H * H).inv() * S / 3
    assert sgd_covariance(H, S, g, 3)["covariance"] == closed


def test_lyapunov_refuses_unstable():
    with pytest.raises(ValueError):
        lyapunov(sympy.Matrix([[1]]), sympy.Matrix([[1]]))


def test_regression_second_moment_threshold():
    r = regression_second_moment()
    assert r["threshold"].subs(J, 1) == Rational(2, 3)        # 2 E a^2 / E a^4
    assert_identity(r["E_A2"].subs(J, 1), 1 - 2 * GAMMA + 3 * GAMMA ** 2)


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_kesten_moment_integer_kappa(batch):
    g = Rational(2, 5)
    e = kesten_moment(g, batch)
    ES2 = 1 + Rational(2, batch)
    with mpmath.workdps(40):
        f = sympy.lambdify(KAPPA, e, "mpmath")
        assert abs(f(mpmath.mpf(0)) - 1) < mpmath.mpf(10) ** -35
        assert abs(f(mpmath.mpf(2)) - (1 - 2 * g + g ** 2 * ES2)) < mpmath.mpf(10) ** -35


def test_trial_excess_limits():
    v0 = Rational(1, 19)
    assert trial_excess(v0, Rational(1, 10), 0) == v0 / 2
    assert trial_excess(Rational(1, 10) / Rational(19, 10), Rational(1, 10), 7) == Rational(1, 38)


# --- independent routes ----------------------------------------------------------------------

def test_mexican_hat_field_matches_numerical_gradient():
    """The hand-derived (u, psi) field equals -grad f from mpmath.diff of f(x, y)."""
    from symadam.sgd.mexican_hat_mp import f_cartesian, flow_field

    with mpmath.workdps(40):
        for u, psi in ((2, "0.3"), (5, "1.4"), (9, "-2")):
            u, psi = mpmath.mpf(u), mpmath.mpf(psi)
            r = mpmath.sqrt(1 - 1 / u)
            phi = u + psi
            x, y = r * mpmath.cos(phi), r * mpmath.sin(phi)
            fx = mpmath.diff(lambda a: f_cartesian(a, y), x)
            fy = mpmath.diff(lambda b: f_cartesian(x, b), y)
            # polar velocities of x' = -grad f, rescaled by exp(u)
            rdot = -(fx * x + fy * y) / r * mpmath.exp(u)
            phidot = -(-fx * y + fy * x) / r ** 2 * mpmath.exp(u)
            udot = 2 * r * u ** 2 * rdot
            du, dpsi = flow_field([u, psi])
            assert abs(du - udot) < mpmath.mpf(10) ** -25 * (1 + abs(udot))
            assert abs(dpsi - (phidot - udot)) < mpmath.mpf(10) ** -25 * (1 + abs(udot))


def test_mexican_hat_mpfr_field_and_loop_match_mpmath():
    """The MPFR restatement of the field and the Radau loop on MPFR agree with mpmath."""
    pytest.importorskip("gmpy2")
    import gmpy2

    from symadam.sgd import mexican_hat_mp as mh

    with mpmath.workdps(30):
        with gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec):
            for u, psi in ((2, "0.3"), (5, "1.4"), (9, "-2")):
                z = [mpmath.mpf(u), mpmath.mpf(psi)]
                ref = mh.flow_field(z)
                got = [mh._from_mpfr(v) for v in mh._flow_field_mpfr([mh._to_mpfr(v)
                                                                      for v in z])]
                assert all(abs(a - b) < mpmath.mpf(10) ** -27 * (1 + abs(a))
                           for a, b in zip(ref, got))
        fast = mh.spiral(2, mpmath.mpf(3) / 2, [4], dps=20)[0]
        with mpmath.workdps(20):
            slow = mh.radau_integrate(mh.flow_field, [2, mpmath.mpf(3) / 2],
                                      lambda z: z[0] >= 4, mpmath.mpf(10) ** -12)[-1]
        assert abs(fast["psi"] - slow[1]) < 1e-10 and abs(fast["u"] - slow[0]) < 1e-9


def test_flow_mpfr_loop_matches_mpmath_fallback():
    """Polynomial gradients run on MPFR; a gradient using mpmath objects falls back: same value."""
    from symadam.sgd.flow_mp import algebraic_exponent, exponential_rate

    fast = algebraic_exponent(lambda x: x[0] ** 4, lambda x: [4 * x[0] ** 3], [1], 0, 25)
    slow = algebraic_exponent(lambda x: x[0] ** 4, lambda x: [mpmath.mpf(4) * x[0] ** 3], [1],
                              0, 25)
    assert abs(fast["beta"] - slow["beta"]) < mpmath.mpf(10) ** -24
    fast = exponential_rate(lambda x: x[0] ** 2, lambda x: [2 * x[0]], [1], 0, 20)
    slow = exponential_rate(lambda x: x[0] ** 2, lambda x: [mpmath.mpf(2) * x[0]], [1], 0, 20)
    assert abs(fast["twice_rate"] - slow["twice_rate"]) < mpmath.mpf(10) ** -19


def test_flow_routes_on_textbook_flows():
    from symadam.sgd.flow_mp import algebraic_exponent, exponential_rate

    r = algebraic_exponent(lambda x: x[0] ** 6, lambda x: [6 * x[0] ** 5], [1], 0, 25)
    assert abs(r["beta"] - mpmath.mpf(3) / 2) < mpmath.mpf(10) ** -22
    r = exponential_rate(lambda x: 3 * x[0] ** 2 / 2, lambda x: [3 * x[0]], [1], 0, 20)
    assert abs(r["twice_rate"] - 6) < mpmath.mpf(10) ** -18


def test_level_set_route_sees_the_worst_direction():
    from symadam.sgd.exponent_np import level_set_exponent

    f = lambda X: X[..., 0] ** 4 - X[..., 1] ** 2          # noqa: E731
    g = lambda X: np.stack([4 * X[..., 0] ** 3, -2 * X[..., 1]], axis=-1)   # noqa: E731
    assert abs(level_set_exponent(f, g, [0.0, 0.0])["theta"] - 0.75) < 1e-3


def test_decaying_steps_validate():
    from symadam.sgd.sgd_np import simulate_decaying

    for a in (0, 1.5):
        with pytest.raises(ValueError, match="a must be"):
            simulate_decaying(lambda x: x, lambda x: x[:, 0], [1.0], 0, 0.1, a, 1, 10, 2, 0)
    from symadam.sgd.sgd_rates import predicted_exponent
    with pytest.raises(ValueError, match="a must be"):
        predicted_exponent(Rational(3, 4), Rational(1, 2))


@pytest.mark.slow
def test_adaptive_presets_differ_as_documented():
    """The group's fixed budgets collapse the rate geometrically; the invariant rule does not."""
    from symadam.sgd.adaptive_np import run_adaptive

    grp = run_adaptive("group", 0.5, 25000, 40, seed=3, record=5)
    inv = run_adaptive("invariant", 0.5, 25000, 40, seed=3, record=5)
    assert grp["gamma_geomean"][-1] < 1e-2 * inv["gamma_geomean"][-1]
    assert inv["excess"][-1] < inv["excess"][1]


# --- CLI -------------------------------------------------------------------------------------

def _json(capsys, argv):
    code = main(argv)
    return code, json.loads(capsys.readouterr().out) if code == 0 else None


def test_cli_lojasiewicz_contract(capsys):
    code, out = _json(capsys, ["sgd", "lojasiewicz", "--objective", "(x**2 + y**2 - 1)**2",
                               "--point", "1,0", "--json"])
    assert code == 0
    assert sympy.sympify(out["exponent"]) == Rational(1, 2)
    assert out["flow_law"] == "exponential" and sympy.sympify(out["rate"]) == 8
    code, out = _json(capsys, ["sgd", "lojasiewicz", "--objective", "y**6 + x**2", "--json"])
    assert out["variables"] == ["x", "y"] and out["exponent"] == "5/6"
    assert out["flow_law"] == "algebraic" and out["flow_exponent"] == "3/2"


def test_cli_invariant_contract_and_digits(capsys):
    code, out = _json(capsys, ["sgd", "invariant", "--gamma", "0.5", "--noise",
                               "regression:normal", "--dps", "30", "--json"])
    assert code == 0
    assert set(out) >= {"mean", "variance", "excess_risk", "tail_index", "finite_variance_below"}
    # every printed digit of the tail index is right: recompute at 60 digits by quadrature
    from symadam.sgd.invariant_mp import kesten_moment_quad, positive_root

    with mpmath.workdps(70):
        ref = positive_root(lambda k: kesten_moment_quad(mpmath.mpf(1) / 2, k, 1), 60, guess=3)
        printed = out["tail_index"]
        assert mpmath.nstr(ref, 30) == printed
    with mpmath.workdps(40):
        assert out["finite_variance_below"] == mpmath.nstr(mpmath.mpf(2) / 3, 30)
    assert out["variance"] == "1.0" and out["excess_risk"] == "0.5"
    code, out = _json(capsys, ["sgd", "invariant", "--gamma", "0.8", "--noise",
                               "regression:normal", "--json"])
    assert out["variance"] is None and float(out["tail_index"]) < 2
    code, out = _json(capsys, ["sgd", "invariant", "--gamma", "1.5", "--batch", "3", "--noise",
                               "additive:1.5", "--json"])
    assert sympy.sympify(out["excess_risk_exact"]) == Rational(3, 2) * Rational(9, 4) / (
        2 * 3 * Rational(1, 2))
    code, out = _json(capsys, ["sgd", "invariant", "--gamma", "2", "--json"])
    assert out["variance"] is None and out["stationary_law"] is False


@pytest.mark.parametrize("argv", [
    ["sgd", "lojasiewicz", "--objective", "x**"],
    ["sgd", "lojasiewicz", "--objective", "__import__('os').system('true')"],
    ["sgd", "lojasiewicz", "--objective", "Abs(x)"],
    ["sgd", "lojasiewicz", "--objective", "x**2 + x"],
    ["sgd", "lojasiewicz", "--objective", "x**2*y**2"],
    ["sgd", "lojasiewicz", "--objective", "sin(x)**2 + cos(x)**2 - 1"],
    ["sgd", "lojasiewicz", "--objective", "x**4", "--point", "1,2"],
    ["sgd", "lojasiewicz", "--objective", "a*b*c*d*e"],
    ["sgd", "invariant", "--gamma", "0"],
    ["sgd", "invariant", "--gamma", "-1"],
    ["sgd", "invariant", "--gamma", "nan"],
    ["sgd", "invariant", "--gamma", "inf"],
    ["sgd", "invariant", "--gamma", "0.5", "--batch", "0"],
    ["sgd", "invariant", "--gamma", "0.5", "--noise", "additive:0"],
    ["sgd", "invariant", "--gamma", "0.5", "--noise", "regression:uniform"],
    ["sgd", "invariant", "--gamma", "0.5", "--dps", "5"],
])
def test_cli_bad_input_exits_2_with_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


# --- optional torch oracle -------------------------------------------------------------------

@pytest.mark.oracle
def test_plateau_mirror_matches_torch():
    pytest.importorskip("torch")
    from symadam.oracle.torch_sgd import torch_plateau_rates
    from symadam.sgd.adaptive_np import plateau_mirror

    rng = np.random.default_rng(0)
    metrics = np.abs(rng.standard_normal((120, 4))).cumsum(0) ** -0.3 + 0.01 * rng.random((120, 4))
    ours = plateau_mirror(metrics, 0.5, factor=0.3, patience=3)
    ref = torch_plateau_rates(metrics, 0.5, factor=0.3, patience=3)
    assert np.array_equal(ours, ref) and ours[-1].max() < 0.5


@pytest.mark.oracle
def test_adam_ema_matches_torch_averaged_model():
    pytest.importorskip("torch")
    from symadam.oracle.torch_sgd import torch_adam_ema
    from symadam.sgd.averaged_np import sample_law, simulate_averaged_adam

    ss = np.random.SeedSequence(7)
    n = 700
    ours = simulate_averaged_adam("bernoulli:0.1", 0.3, 1e-2, 0.9, 0.99, 1e-8, n, 1, ss,
                                  decays=(0.9, 0.99))
    rng = np.random.default_rng(np.random.SeedSequence(7))
    xs = np.concatenate([sample_law("bernoulli:0.1", (min(512, n - s), 1), 1, rng)[:, 0]
                         for s in range(0, n, 512)])
    ref = torch_adam_ema(xs, 0.3, 1e-2, 0.9, 0.99, 1e-8, (0.9, 0.99))
    for key in ("final", "ema_0.9", "ema_0.99"):
        assert abs(ours[key][0] - ref[key]) < 1e-12, key
