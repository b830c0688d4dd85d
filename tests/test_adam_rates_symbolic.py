"""Exact route for the Adam/RMSprop local rates: maps, degenerate linearization, tuning, CLI."""
import json

import numpy as np
import pytest
import sympy

from symadam.cli import main
from symadam.core.identity import assert_identity
from symadam.rates.adam_linearization import SYMBOLS as S
from symadam.rates.adam_linearization import adam_as_heavy_ball, adaptive_map, linearize_adaptive
from symadam.rates.adam_tuning import (
    adam_eps_inside_derivation,
    adam_optimality_derivation,
    adam_rate_derivation,
    rmsprop_optimality_derivation,
    rmsprop_rate_derivation,
)
from symadam.rates.engine import tune
from symadam.rates.methods import METHODS, get_method
from symadam.rates.optimizers_np import adam_step
from symadam.testing import assert_equal, assert_rate

kappa, L, mu = (sympy.Symbol(n, positive=True) for n in ("kappa", "L", "mu"))
gam, b1, b2, eps, lam, z = (S[k] for k in ("gamma", "beta1", "beta2", "eps", "lam", "z"))
UNIT = {b1: (0, 1), b2: (0, 1)}


def test_registered_in_methods():
    assert {"adam", "rmsprop"} <= set(METHODS)
    assert get_method("adam").name == "adam"
    assert [p.symbol.name for p in METHODS["adam"].tuned_params] == ["gamma", "beta1"]


def test_bias_corrected_step_matches_numpy():
    """The symbolic step at n = 3 evaluated at numbers = the float64 numpy step (same formula
    written twice, in two layers)."""
    th, m, v = sympy.Rational(3, 10), sympy.Rational(-1, 7), sympy.Rational(1, 50)
    vals = {gam: sympy.Rational(1, 20), b1: sympy.Rational(9, 10),
            b2: sympy.Rational(99, 100), eps: sympy.Rational(1, 1000)}
    new = get_method("adam").step((th, m, v), lambda t: 4 * t, 3)
    ours = [float(sympy.N(e.subs(vals), 30)) for e in new]
    t2, m2, v2 = adam_step(np.array([0.3]), np.array([1.2]), np.array([-1 / 7]),
                           np.array([0.02]), 3, lr=0.05, beta1=0.9, beta2=0.99, eps=1e-3)
    np.testing.assert_allclose(ours, [t2[0], m2[0], v2[0]], rtol=1e-14)


def test_remainder_identity_and_block():
    d = linearize_adaptive("adam")
    th_new = adaptive_map("adam").on_quadratic()[0]
    m_new = b1 * S["m"] + (1 - b1) * lam * S["theta"]
    lin = S["theta"] - gam * m_new / (S["c1"] * eps)
    assert_identity(th_new, lin + d.results["remainder"],
                    domain={b1: (0, 1), b2: (0, 1), S["v"]: (0, 3)})
    h = gam * (1 - b1) / eps
    assert_identity(d.results["block_char_poly"], z**2 - (1 + b1 - h * lam) * z + b1)
    J = d.results["jacobian"]
    assert J[0, 2] == 0 and J[1, 2] == 0 and J[2, 0] == 0 and J[2, 1] == 0 and J[2, 2] == b2
    assert_identity(d.results["full_char_poly"], (b2 - z) * d.results["block_char_poly"])


def test_rmsprop_block_is_gd_with_step_gamma_over_eps():
    d = linearize_adaptive("rmsprop")
    assert_identity(d.results["block_char_poly"], z - (1 - gam * lam / eps))
    assert d.results["jacobian"].shape == (2, 2)


def test_eps_inside_block():
    d = linearize_adaptive("adam", eps_inside=True)
    assert_identity(d.results["h_eff"], gam * (1 - b1) / sympy.sqrt(eps))


def test_exact_elimination_is_heavy_ball():
    d = adam_as_heavy_ball()
    assert_identity(d.results["h_limit"], gam * (1 - b1) / eps)
    assert d.results["momentum_limit"] == b1


def test_adam_tuning_is_polyak():
    r = adam_rate_derivation().results
    s = sympy.sqrt(kappa)
    assert_rate("adam", (s - 1) / (s + 1))              # symadam.testing: derived by the engine
    assert_equal(r["rate"], (s - 1) / (s + 1))
    assert_equal(r["gamma"], eps / sympy.sqrt(L * mu))
    sl, sm = sympy.sqrt(L), sympy.sqrt(mu)
    assert_equal(r["beta1"], ((sl - sm) / (sl + sm))**2)
    assert not (r["rate"].free_symbols & {b2, eps})


def test_rmsprop_tuning_is_gd():
    r = rmsprop_rate_derivation().results
    assert_identity(r["rate"], (kappa - 1) / (kappa + 1))
    assert_identity(r["gamma"], 2 * eps / (L + mu))


def test_eps_inside_tuning():
    r = adam_eps_inside_derivation().results
    assert_identity(r["gamma"], sympy.sqrt(eps) / sympy.sqrt(L * mu))
    assert_identity(r["rate"], adam_rate_derivation().results["rate"])


def test_optimality_derivations_state_dependence():
    assert "beta2" not in adam_optimality_derivation().results["depends_on"]
    assert rmsprop_optimality_derivation().results["depends_on"] == "gamma/eps"
    assert tune("adam").active_set == "mu: d+, L: d-"


def test_derivations_render():
    for der in (linearize_adaptive("adam"), adam_rate_derivation(), rmsprop_rate_derivation()):
        tex = der.to_latex()
        assert tex.count("\\begin{enumerate}") == 1 and "\\item" in tex


def test_bad_method():
    with pytest.raises(ValueError, match="method must be one of adam, rmsprop"):
        linearize_adaptive("sgd")


# -- CLI ----------------------------------------------------------------------------------

def test_cli_rate_adam_json(capsys):
    assert main(["rate", "adam", "--kappa", "100", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "adam"
    assert_identity(sympy.sympify(out["rate"], locals={"kappa": kappa}),
                    (sympy.sqrt(kappa) - 1) / (sympy.sqrt(kappa) + 1))
    g = sympy.sympify(out["parameters"]["gamma"], locals={"eps": eps, "L": L, "mu": mu})
    assert_identity(g, eps / sympy.sqrt(L * mu))
    assert out["rate_at_kappa"].startswith("0.8181818181818181818")


def test_cli_rate_rmsprop(capsys):
    assert main(["rate", "rmsprop", "--kappa", "9"]) == 0
    assert "0.8" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["rate", "adam", "--kappa", "0.5"],
                                  ["rate", "rmsprop", "--kappa", "nan"],
                                  ["rate", "adamw"]])
def test_cli_bad_input(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error" in err


def test_cli_untuned_parameter_values(capsys):
    assert main(["rate", "adam", "--kappa", "100", "--eps", "1e-8", "--beta2", "0.999",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert float(out["parameters_at"]["gamma"]) == pytest.approx(1e-9, rel=1e-15)
    assert float(out["parameters_at"]["beta1"]) == pytest.approx((9 / 11) ** 2, rel=1e-15)


@pytest.mark.parametrize("argv,msg", [
    (["rate", "adam", "--eps", "0"], "eps must be > 0"),
    (["rate", "adam", "--eps=-1e-8"], "eps must be > 0"),
    (["rate", "rmsprop", "--beta2", "1"], "beta2 must be in [0, 1)"),
    (["rate", "adam", "--beta1", "-0.1"], "beta1 must be in [0, 1)"),
    (["rate", "adam", "--beta1", "0.9"], "tuned by the engine"),
    (["rate", "gd", "--eps", "1"], "has no parameter eps"),
])
def test_cli_bad_parameter_values(argv, msg, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1
