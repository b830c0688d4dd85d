"""The rate engine states where its answer holds: pieces in kappa with exact breakpoints (issue 16).

Unregistered methods are defined here; their mpmath recurrences are written here too and the
independent numeric minimax (``symadam.rates.minimax_mp``: worst spectral radius over the whole
lambda interval, Nelder-Mead over the parameters) checks every piece's rate at kappa inside it
and on both sides of each breakpoint.  Expected values are typed in from the literature or
from the issue, never copied from the engine.
"""
import json

import mpmath
import pytest
import sympy

from symadam import assert_identity, local_rate, tune
from symadam.cli import main
from symadam.rates.iterate_mp import MpMethod, register_mp_method
from symadam.rates.methods import KAPPA, MU, THETA, THETA_PREV, IterationMap, L, Parameter
from symadam.rates.minimax_mp import minimax
from symadam.rates.tuning import NotProvenError, Tuning, TuningPiece

ZERO, ONE = sympy.Integer(0), sympy.Integer(1)
k = KAPPA


def fixed_momentum_hb(beta):
    """Heavy ball with its momentum fixed at ``beta``: only the step h is tuned."""
    h = sympy.Symbol("h", positive=True)
    name = f"hb-fixed-{beta}"
    register_mp_method(MpMethod(name, 2, lambda s, g, p, b=mpmath.mpf(sympy.N(beta, 60)):
                                (s[0] - p["h"] * g(s[0]) + b * (s[0] - s[1]), s[0]),
                                lambda x: (x, x)))
    return IterationMap(name=name, title=f"heavy ball, beta = {beta}",
                        state=(THETA, THETA_PREV),
                        params=(Parameter(h, "step", lower=ZERO, scale=-1),),
                        step=lambda st, grad, n=None: (st[0] - h * grad(st[0])
                                                       + beta * (st[0] - st[1]), st[0]),
                        fixed_point=(ZERO, ZERO), equations="x")


def kappa_star(beta):
    """((1 + sqrt beta)/(1 - sqrt beta))^2: where a fixed momentum stops being critical."""
    b = sympy.sqrt(beta)
    return ((1 + b) / (1 - b)) ** 2


def _minimax_value(name, box, kappa, starts, fixed=None):
    v, _ = minimax(name, box, 1, kappa, starts, fixed=fixed, dps=20, iterations=40, points=24)
    return v


@pytest.fixture(scope="module")
def hb99():
    return tune(fixed_momentum_hb(sympy.Rational(99, 100)))


def test_fixed_momentum_heavy_ball_has_two_pieces_with_the_exact_breakpoint(hb99):
    beta = sympy.Rational(99, 100)
    assert len(hb99.pieces) == 2
    (b,) = hb99.breakpoints
    assert_identity(b, kappa_star(beta))                          # exact, not sampled
    assert sympy.minimal_polynomial(b, k) == k**2 - 158402 * k + 1
    p1, p2 = hb99.pieces
    assert p1.kappa_from == 1 and p1.closed_left and p2.kappa_to == sympy.oo
    assert p1.active_set == "mu: c, L: d-" and p2.active_set == "mu: r+, L: r-"
    assert_identity(p1.rate, sympy.sqrt(beta))
    # the number: at kappa = 1e6 the optimal rate is 0.99958493794..., not sqrt(0.99)
    assert str(hb99.rate_at(10**6, 15)) == "0.999584937941274"
    assert str(hb99.rate_at(150000, 15)) == str(sympy.N(sympy.sqrt(beta), 15))
    assert hb99.rate_at("158402", dps=15) > hb99.rate_at(158401, 15)
    assert hb99.piece_at(b) is p1 and hb99.piece_at(b + sympy.Rational(1, 10**6)) is p2


def test_fixed_momentum_pieces_against_the_numeric_minimax(hb99):
    """Inside each piece and on both sides of the breakpoint the numeric minimax (independent:
    the worst radius over the whole lambda interval) never beats the piece's rate, and it
    changes character where the engine says: sqrt(beta) to the left, above it to the right."""
    name = "hb-fixed-99/100"
    b = float(hb99.breakpoints[0])
    sb = mpmath.sqrt(mpmath.mpf("0.99"))
    for kv, side in ((150000, "left"), (int(b) - 500, "left"), (int(b) + 20000, "right"),
                     (10**6, "right")):
        rho = mpmath.mpf(str(hb99.rate_at(kv, 30)))
        h = hb99.parameters_at(L=kv, mu=1, dps=30)["h"]
        v = _minimax_value(name, {"h": ("1e-9", "1e-3")}, kv,
                           [{"h": str(h)}, {"h": str(h * 3)}, {"h": "1e-6"}])
        assert v >= rho * (1 - mpmath.mpf("1e-9")), (kv, v, rho)      # never beaten
        assert v <= rho * (1 + mpmath.mpf("1e-7")), (kv, v, rho)      # and attained
        if side == "left":
            assert abs(v - sb) < 1e-9
        else:
            assert v > sb + mpmath.mpf("1e-5")


@pytest.mark.slow
@pytest.mark.parametrize("beta", [sympy.Rational(1, 4), sympy.Rational(9, 10)])
def test_fixed_momentum_at_other_betas(beta):
    t = tune(fixed_momentum_hb(beta))
    (b,) = t.breakpoints
    assert_identity(b, kappa_star(beta))
    assert_identity(t.pieces[0].rate, sympy.sqrt(beta))
    name = f"hb-fixed-{beta}"
    for kv in (sympy.floor(b / 2), sympy.floor(2 * b)):
        rho = mpmath.mpf(str(t.rate_at(kv, 30)))
        h = t.parameters_at(L=kv, mu=1, dps=30)["h"]
        v = _minimax_value(name, {"h": ("1e-6", "4")}, int(kv), [{"h": str(h)}, {"h": "0.01"}])
        assert rho * (1 - mpmath.mpf("1e-9")) <= v <= rho * (1 + mpmath.mpf("1e-7"))


@pytest.mark.parametrize("name", ["gd", "heavy-ball", "nesterov", "adam", "rmsprop"])
def test_registered_methods_have_one_piece_for_all_kappa(name):
    t = tune(name)
    (p,) = t.pieces
    assert p.kappa_from == 1 and p.closed_left and p.kappa_to == sympy.oo
    assert t.breakpoints == [] and t.gaps == ()
    assert t.rate == p.rate and t.active_set == p.active_set
    assert "Piece 1 (all $\\kappa \\ge 1$)" in t.derivation.to_latex()


def test_relaxed_gd_optimum_on_the_domain_boundary():
    """x+ = (1 - w) x + w (x - h grad x), w in (0, 1]: only w h matters, so the interior optima
    form a family; the engine pins w at its closed end 1 and finds GD's tuning."""
    h, w = sympy.Symbol("h_r", positive=True), sympy.Symbol("omega", positive=True)
    m = IterationMap(name="relaxed-gd", title="relaxed GD", state=(THETA,),
                     params=(Parameter(h, "step", lower=ZERO, scale=-1),
                             Parameter(w, "relaxation", lower=ZERO, upper=ONE,
                                       upper_open=False)),
                     step=lambda st, grad, n=None: ((1 - w) * st[0]
                                                    + w * (st[0] - h * grad(st[0])),),
                     fixed_point=(ZERO,), equations="x")
    t = tune(m)
    (p,) = t.pieces
    assert "omega = 1 (domain end)" in p.active_set
    assert t.parameters["omega"] == 1
    assert_identity(t.parameters["h_r"], 2 / (L + MU))
    assert_identity(t.rate, (k - 1) / (k + 1))
    # independent: the numeric minimax over (h, omega) in a box never beats the piece's rate
    register_mp_method(MpMethod("relaxed-gd", 1, lambda s, g, q: (
        (1 - q["omega"]) * s[0] + q["omega"] * (s[0] - q["h_r"] * g(s[0])),), lambda x: (x,)))
    for kv in (7, 300):
        rho = mpmath.mpf(str(t.rate_at(kv, 30)))
        opt = {n: str(x) for n, x in t.parameters_at(L=kv, mu=1, dps=30).items()}
        v = _minimax_value("relaxed-gd", {"h_r": ("1e-6", "4"), "omega": ("1e-3", "1")}, kv,
                           [opt, {"h_r": str(1 / kv), "omega": "0.5"},
                            {"h_r": str(3 / kv), "omega": "0.7"}])
        assert rho * (1 - mpmath.mpf("1e-9")) <= v <= rho * (1 + mpmath.mpf("1e-6")), (kv, v)


def test_exact_kappa_strings_and_refusal_outside_the_pieces(capsys, monkeypatch):
    t = tune("gd")
    assert t.rate_at("7/3", dps=20) == sympy.Float("0.4", 20)
    assert local_rate("gd", kappa="7/3", dps=15) == sympy.N(sympy.Rational(2, 5), 15)
    with pytest.raises(ValueError, match="kappa must be >= 1"):
        t.rate_at("1/2")
    # a tuning proven only on [1, 10] refuses beyond, and the CLI exits 1 with the reason
    p = TuningPiece(ONE, sympy.Integer(10), True, t.rate, t.parameters, t.parameters_kappa,
                    t.active_set)
    short = Tuning("gd", t.rate, t.parameters, t.parameters_kappa, t.active_set, t.charpoly,
                   t.derivation, {}, (p,))
    with pytest.raises(NotProvenError, match="lies in no derived piece"):
        short.rate_at(11)
    import symadam.rates.engine as engine
    monkeypatch.setattr(engine, "tune", lambda m: short)
    assert main(["rate", "gd", "--kappa", "11"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot decide" in err


def test_rate_json_pieces(capsys):
    assert main(["rate", "heavy-ball", "--kappa", "7/3", "--json", "--dps", "20"]) == 0
    out = json.loads(capsys.readouterr().out)
    (p,) = out["pieces"]
    assert p["kappa_from"] == "1" and p["kappa_to"] == "oo" and p["closed_left"] is True
    assert sympy.sympify(p["rate"]) == sympy.sympify(out["rate"])
    assert set(p["parameters"]) == {"h", "beta"} and p["active_set"] == "mu: d+, L: d-"


def test_bad_maps_are_refused():
    h = sympy.Symbol("h_b", positive=True)
    rational = IterationMap(name="rational", title="r", state=(THETA,),
                            params=(Parameter(h, "step", lower=ZERO, scale=-1),),
                            step=lambda st, grad, n=None: (st[0] - h * grad(st[0])
                                                           / (1 + h * grad(1)),),
                            fixed_point=(ZERO,), equations="x")
    with pytest.raises(ValueError, match="polynomial in z and lambda"):
        tune(rational)
    nodomain = IterationMap(name="nodomain", title="n", state=(THETA,),
                            params=(Parameter(h, "step", scale=-1),),
                            step=lambda st, grad, n=None: (st[0] - h * grad(st[0]),),
                            fixed_point=(ZERO,), equations="x")
    with pytest.raises(ValueError, match="has no domain"):
        tune(nodomain)
    wrongscale = IterationMap(name="wrongscale", title="w", state=(THETA,),
                              params=(Parameter(h, "step", lower=ZERO, scale=1),),
                              step=lambda st, grad, n=None: (st[0] - h * grad(st[0]),),
                              fixed_point=(ZERO,), equations="x")
    with pytest.raises(ValueError, match="scales"):
        tune(wrongscale)
    for bad in ("1/2", "0", "-3", "nan", "1/0", "x**2"):
        with pytest.raises(ValueError, match="kappa"):
            local_rate("gd", kappa=bad)


def test_cannot_decide_is_exit_1_not_2(capsys, monkeypatch):
    """A refusal of the engine itself (no piece at any kappa) is a shortfall: one line, exit 1."""
    import symadam.rates.engine as engine
    from symadam.core.validate import ShortfallError

    assert issubclass(NotProvenError, ShortfallError)

    def refuse(m):
        raise NotProvenError("gd: no active set is feasible and valid at any kappa > 1")
    monkeypatch.setattr(engine, "tune", refuse)
    assert main(["rate", "gd", "--json"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no active set is feasible" in err


def _three_momentum():
    a, b, g = sympy.symbols("alpha b3 gamma3", nonnegative=True)
    register_mp_method(MpMethod("three-momentum", 2, lambda s, grad, p: (
        s[0] + p["b3"] * (s[0] - s[1]) - p["alpha"] * grad(s[0] + p["gamma3"] * (s[0] - s[1])),
        s[0]), lambda x: (x, x)))
    return IterationMap(
        name="three-momentum", title="three-parameter momentum", state=(THETA, THETA_PREV),
        params=(Parameter(a, "step", lower=ZERO, scale=-1),
                Parameter(b, "momentum", lower=ZERO, upper=ONE, lower_open=False),
                Parameter(g, "extrapolation", lower=ZERO, upper=ONE, lower_open=False)),
        step=lambda st, grad, n=None: (st[0] + b * (st[0] - st[1])
                                       - a * grad(st[0] + g * (st[0] - st[1])), st[0]),
        fixed_point=(ZERO, ZERO), equations="x")


@pytest.mark.slow
def test_three_parameter_family_one_piece_and_minimax():
    t = tune(_three_momentum())
    (p,) = t.pieces
    assert p.closed_left and p.kappa_to == sympy.oo and t.parameters["gamma3"] == 0
    s = sympy.sqrt(k)
    assert_identity(t.rate, (s - 1) / (s + 1))
    for kv in (7, 300):
        rho = mpmath.mpf(str(t.rate_at(kv, 30)))
        opt = {n: str(v) for n, v in t.parameters_at(L=kv, mu=1, dps=30).items()}
        v = _minimax_value("three-momentum", {"alpha": ("1e-4", "2"), "b3": ("0", "0.999"),
                                              "gamma3": ("0", "1")}, kv,
                           [opt, {"alpha": "0.1", "b3": "0.5", "gamma3": "0.5"}])
        assert rho * (1 - mpmath.mpf("1e-9")) <= v <= rho * (1 + mpmath.mpf("1e-6"))


def _qhm_mp(name):
    """QHM's recurrence, written again in mpmath (state: theta, the buffer d)."""
    def step(s, grad, q):
        g = grad(s[0])
        dn = q["b_q"] * s[1] + (1 - q["b_q"]) * g
        return (s[0] - q["a_q"] * ((1 - q["nu_q"]) * g + q["nu_q"] * dn), dn)
    register_mp_method(MpMethod(name, 2, step, lambda x: (x, 0 * x)))


def _qhm(nu_upper):
    a = sympy.Symbol("a_q", positive=True)
    b, nu = sympy.symbols("b_q nu_q", nonnegative=True)
    d = sympy.Symbol("d_q", real=True)
    _qhm_mp(f"qhm-{nu_upper}")

    def step(st, grad, n=None):
        x, dd = st
        gx = grad(x)
        dn = b * dd + (1 - b) * gx
        return (x - a * ((1 - nu) * gx + nu * dn), dn)

    upper = {} if nu_upper is None else dict(upper=nu_upper, upper_open=False)
    return IterationMap(name=f"qhm-{nu_upper}", title="QHM", state=(THETA, d),
                        params=(Parameter(a, "step", lower=ZERO, scale=-1),
                                Parameter(b, "beta", lower=ZERO, upper=ONE, lower_open=False),
                                Parameter(nu, "nu", lower=ZERO, lower_open=False, **upper)),
                        step=step, fixed_point=(ZERO, ZERO), equations="x")


@pytest.mark.slow
@pytest.mark.parametrize("nu_upper", [None, ONE])
def test_qhm_optimum_is_heavy_ball_at_nu_1(nu_upper):
    """QHM (Ma & Yarats 2019) with nu >= 0, and with nu <= 1, where the optimum nu = 1 sits on
    the domain's boundary: Polyak's rate, a (1 - b) = Polyak's step, for all kappa."""
    t = tune(_qhm(nu_upper))
    (p,) = t.pieces
    assert p.closed_left and p.kappa_to == sympy.oo
    s, sL, smu = sympy.sqrt(k), sympy.sqrt(L), sympy.sqrt(MU)
    assert_identity(t.rate, (s - 1) / (s + 1))
    assert t.parameters["nu_q"] == 1
    assert_identity(t.parameters["a_q"] * (1 - t.parameters["b_q"]), 4 / (sL + smu) ** 2,
                    domain={L: (2, 50), MU: (1 / 10, 1)})
    # independent: the numeric minimax over (a, b, nu) in a box (nu up to 2 when unbounded)
    # never beats the piece's rate, from the optimum and from elsewhere
    kv = 50
    rho = mpmath.mpf(str(t.rate_at(kv, 30)))
    opt = {n: str(v) for n, v in t.parameters_at(L=kv, mu=1, dps=30).items()}
    box = {"a_q": ("1e-4", "4"), "b_q": ("0", "0.999"), "nu_q": ("0", "1" if nu_upper else "2")}
    v = _minimax_value(f"qhm-{nu_upper}", box, kv,
                       [opt, {"a_q": "0.5", "b_q": "0.5", "nu_q": "0.5"}])
    assert rho * (1 - mpmath.mpf("1e-9")) <= v <= rho * (1 + mpmath.mpf("1e-6")), v
