"""The rate engine against the literature's closed forms (typed in here, never in the engine)."""
import pytest
import sympy

from symadam import assert_identity, characteristic_polynomial, linearize, local_rate, tune
from symadam.rates.engine import tidy
from symadam.rates.methods import KAPPA, LAM, MU, L, Z, get_method
from symadam.testing import assert_equal, assert_rate

k = KAPPA
s = sympy.sqrt(k)
r3 = sympy.sqrt(3 * k + 1)
sL, smu = sympy.sqrt(L), sympy.sqrt(MU)

# The literature (Polyak 1964/1987; Lessard, Recht, Packard 2016, Prop. on quadratics).
LITERATURE = {
    "gd": ((k - 1) / (k + 1), {"h": 2 / (L + MU)}),
    "heavy-ball": ((s - 1) / (s + 1),
                   {"h": 4 / (sL + smu) ** 2, "beta": ((sL - smu) / (sL + smu)) ** 2}),
    "nesterov": (1 - 2 / r3, {"h": 4 / (3 * L + MU),
                             "beta": (sympy.sqrt(3 * L / MU + 1) - 2)
                             / (sympy.sqrt(3 * L / MU + 1) + 2)}),
}


@pytest.mark.parametrize("name", sorted(LITERATURE))
def test_engine_matches_literature(name):
    t = tune(name)
    rate, params = LITERATURE[name]
    assert_rate(t, rate, domain={KAPPA: (1, 1000)})      # symadam.testing
    assert set(t.parameters) == set(params)
    for p, v in params.items():
        assert_equal(t.parameters[p], v, domain={L: (2, 50), MU: (1 / 10, 1)})


@pytest.mark.parametrize("name", sorted(LITERATURE))
def test_rate_expression_is_in_kappa_and_params_in_L_mu(name):
    t = tune(name)
    assert t.rate.free_symbols == {KAPPA}
    for v in t.parameters.values():
        assert v.free_symbols <= {L, MU}
    # round trip through strings (the CLI contract)
    assert_identity(sympy.sympify(str(t.rate)).subs(sympy.Symbol("kappa"), k), t.rate)


def test_linearizations_and_characteristic_polynomials():
    h, b = sympy.symbols("h beta", positive=True)
    b = sympy.Symbol("beta", nonnegative=True)
    assert_identity(characteristic_polynomial("gd"), Z - 1 + h * LAM)
    assert_identity(characteristic_polynomial("heavy-ball"), Z**2 - (1 + b - h * LAM) * Z + b)
    t = 1 - h * LAM
    assert_identity(characteristic_polynomial("nesterov"), Z**2 - (1 + b) * t * Z + b * t)
    assert linearize("heavy-ball").shape == (2, 2)


def test_active_sets_are_the_classical_ones():
    # GD equioscillates (root +rho at mu, -rho at L); heavy ball is critically damped at both
    # ends; Nesterov is critically damped at mu and has the real root -rho at L.
    assert tune("gd").active_set == "mu: r+, L: r-"
    assert tune("heavy-ball").active_set == "mu: d+, L: d-"
    assert tune("nesterov").active_set == "mu: d+, L: r-"


def test_ordering_and_lower_bound():
    lb = (s - 1) / (s + 1)
    for kv in (sympy.Rational(3, 2), 10, 1000):
        g, hb, nag = (local_rate(m).subs(k, kv) for m in ("gd", "heavy-ball", "nesterov"))
        assert sympy.N(g - nag) > 0 and sympy.N(nag - hb) > 0
        assert abs(sympy.N(hb - lb.subs(k, kv), 50)) < 1e-45


def test_derivation_is_printable_and_deterministic():
    d = tune("nesterov").derivation
    tex = d.to_latex()
    assert "\\rho^*(\\kappa)" in tex and "active set" in tex
    assert tex == tune("nesterov").derivation.to_latex()


def test_local_rate_values_and_bad_input():
    assert sympy.N(local_rate("gd", kappa=3, dps=30) - sympy.Rational(1, 2)) == 0
    with pytest.raises(ValueError, match="kappa"):
        local_rate("gd", kappa=0.5)
    with pytest.raises(ValueError, match="kappa"):
        local_rate("gd", kappa=float("nan"))
    with pytest.raises(ValueError, match="dps"):
        local_rate("gd", kappa=2, dps=10)
    with pytest.raises(ValueError, match="method must be one of"):
        tune("sgd")
    assert get_method("heavy_ball").name == "heavy-ball"


def test_tidy_canonicalizes_radicals():
    assert tidy((k + 1 - 2 * s) / (k - 1)) == (s - 1) / (s + 1)
    assert_identity(tidy((3 * k - 4 * r3 + 5) / (3 * (k - 1))), (r3 - 2) / (r3 + 2))


def test_engine_tunes_a_new_method_it_has_never_seen():
    """A method defined only here (GD with a halved step, 'h/2') is tuned correctly:
    the engine is generic, not a table of answers."""
    from symadam.rates.methods import THETA, IterationMap, Parameter

    g = sympy.Symbol("g", positive=True)
    m = IterationMap(name="half-step", title="half step", state=(THETA,),
                     params=(Parameter(g, "step", lower=sympy.Integer(0), scale=-1),),
                     step=lambda st, grad, n=None: (st[0] - g * grad(st[0]) / 2,),
                     fixed_point=(sympy.Integer(0),), equations="x")
    t = tune(m)
    assert_identity(t.rate, (k - 1) / (k + 1))
    assert_identity(t.parameters["g"], 4 / (L + MU))


def test_parameters_at_values_and_bad_input():
    p = tune("heavy-ball").parameters_at(L=100, mu=1, dps=30)
    assert abs(p["h"] - sympy.Rational(4, 121)) < 1e-28
    assert abs(p["beta"] - sympy.Rational(81, 121)) < 1e-28
    for kw, arg in ((dict(L=0, mu=1), "L"), (dict(L=1, mu=0), "mu"), (dict(L=1, mu=2), "mu"),
                    (dict(L=float("nan"), mu=1), "L")):
        with pytest.raises(ValueError, match=arg):
            tune("gd").parameters_at(**kw)


def test_engine_finds_heavy_ball_inside_a_three_parameter_family():
    """x+ = x + b (x - x_prev) - a grad(x + g (x - x_prev)) contains heavy ball (g = 0) and
    Nesterov (g = b). On quadratics the engine must find the lower-bound rate, at g = 0."""
    from symadam.rates.methods import THETA, THETA_PREV, IterationMap, Parameter

    a, b, g = sympy.symbols("alpha b3 gamma3", nonnegative=True)

    def step(st, grad, n=None):
        x, xp = st
        return (x + b * (x - xp) - a * grad(x + g * (x - xp)), x)

    one, zero = sympy.Integer(1), sympy.Integer(0)
    m = IterationMap(
        name="three-momentum", title="three-parameter momentum", state=(THETA, THETA_PREV),
        params=(Parameter(a, "step", lower=zero, scale=-1),
                Parameter(b, "momentum", lower=zero, upper=one, lower_open=False),
                Parameter(g, "extrapolation", lower=zero, upper=one, lower_open=False)),
        step=step, fixed_point=(zero, zero), equations="x")
    t = tune(m)
    assert_identity(t.rate, (s - 1) / (s + 1))
    assert t.parameters["gamma3"] == 0
    assert_identity(t.parameters["alpha"], 4 / (sL + smu) ** 2,
                    domain={L: (2, 50), MU: (1 / 10, 1)})


@pytest.mark.parametrize("name", sorted(LITERATURE))
@pytest.mark.parametrize("kappa", ["1", "1e12"])
def test_extreme_kappa_against_the_spectral_route(name, kappa):
    """Cases in no issue: the degenerate kappa = 1 (one eigenvalue: rate 0) and kappa = 1e12,
    checked by the independent mpmath route (numeric iteration matrices at 9 lambdas)."""
    import mpmath

    from symadam.rates.spectral_mp import worst_case_radius

    t = tune(name)
    p = {a: str(v) for a, v in t.parameters_at(L=kappa, mu=1, dps=60).items()}
    worst, _ = worst_case_radius(name, p, 1, kappa, points=9, dps=50)
    with mpmath.workdps(60):
        rho = mpmath.mpf(str(t.rate_at(kappa, 60)))
        assert abs(worst - rho) <= mpmath.mpf(10) ** -45
    if kappa == "1":
        assert rho == 0


def test_parameters_at_compares_mu_and_L_exactly():
    with pytest.raises(ValueError, match="mu must be <= L"):
        tune("gd").parameters_at(L=10**17, mu=10**17 + 1)  # equal as floats
    p = tune("gd").parameters_at(L=10**400, mu=1, dps=20)  # beyond the float range
    assert abs(p["h"] * sympy.Integer(10)**400 - 2) < 1e-18


def test_engine_tunes_extragradient():
    """A map that calls the gradient twice (no issue mentions it): x+ = x - g grad(x - g grad x)
    on quadratics is x+ = p(g lambda) x with p(t) = 1 - t + t^2 > 0, convex, so the optimum
    equalizes p at both ends (g mu + g L = 1), both roots +rho (by hand, not from the engine)."""
    from symadam.rates.methods import THETA, IterationMap, Parameter

    g = sympy.Symbol("g_eg", positive=True)
    m = IterationMap(name="extragradient", title="extragradient", state=(THETA,),
                     params=(Parameter(g, "step", lower=sympy.Integer(0), scale=-1),),
                     step=lambda st, grad, n=None: (st[0] - g * grad(st[0] - g * grad(st[0])),),
                     fixed_point=(sympy.Integer(0),), equations="x")
    t = tune(m)
    assert t.active_set == "mu: r+, L: r+"
    assert_identity(t.rate, (k**2 + k + 1) / (k + 1) ** 2)
    assert_identity(t.parameters["g_eg"], 1 / (L + MU))


@pytest.mark.slow
def test_engine_tunes_qhm_whose_state_scales_with_curvature():
    """Quasi-hyperbolic momentum (Ma & Yarats 2019): d+ = b d + (1-b) grad, x+ = x - a((1-nu)
    grad + nu d+).  The buffer d is gradient-sized, so J(c lambda) is only *similar* to J(lambda)
    (review regression: the engine used to reject it); sympy's solve also failed on one active
    set (NaN sort).  On quadratics the optimum is heavy ball: nu = 1, a (1 - b) = Polyak's h."""
    from symadam.rates.methods import THETA, IterationMap, Parameter

    zero, one = sympy.Integer(0), sympy.Integer(1)
    a = sympy.Symbol("a_q", positive=True)
    b, nu = sympy.symbols("b_q nu_q", nonnegative=True)
    d = sympy.Symbol("d_q", real=True)

    def step(st, grad, n=None):
        x, dd = st
        gx = grad(x)
        dn = b * dd + (1 - b) * gx
        return (x - a * ((1 - nu) * gx + nu * dn), dn)

    m = IterationMap(name="qhm", title="QHM", state=(THETA, d),
                     params=(Parameter(a, "step", lower=zero, scale=-1),
                             Parameter(b, "beta", lower=zero, upper=one, lower_open=False),
                             Parameter(nu, "nu", lower=zero, upper=one, lower_open=False,
                                       upper_open=False)),
                     step=step, fixed_point=(zero, zero), equations="x")
    t = tune(m)
    assert_identity(t.rate, (s - 1) / (s + 1))
    assert t.parameters["nu_q"] == 1
    dom = {L: (2, 50), MU: (1 / 10, 1)}
    assert_identity(t.parameters["b_q"], ((sL - smu) / (sL + smu)) ** 2, domain=dom)
    assert_identity(t.parameters["a_q"] * (1 - t.parameters["b_q"]), 4 / (sL + smu) ** 2,
                    domain=dom)


def test_parameters_at_validates_untuned_parameters():
    """Review regressions: an unknown name was ignored, a value outside the declared domain
    (Adam's eps < 0) gave a negative step, and kappa=True was an AttributeError."""
    with pytest.raises(ValueError, match="foo is not an untuned parameter of gd"):
        tune("gd").parameters_at(L=2, mu=1, foo=3)
    with pytest.raises(ValueError, match=r"eps must be in \(0, oo\)"):
        tune("adam").parameters_at(L=2, mu=1, eps=-1, beta2="0.9")
    with pytest.raises(ValueError, match="beta2 must be in"):
        tune("adam").parameters_at(L=2, mu=1, eps="1e-8", beta2=1)
    p = tune("adam").parameters_at(L=2, mu=1, eps="1e-15", beta2="0.999", dps=20)
    assert set(p) == {"gamma", "beta1"} and all(v > 0 for v in p.values())
    with pytest.raises(ValueError, match="kappa must be a number"):
        local_rate("gd", kappa=True)
