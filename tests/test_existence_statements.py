"""existence.* statements say what their checks show (issue 19)."""
import dataclasses

import sympy

from symadam.core import load_all
from symadam.core.record import CheckContext, Sabotage
from symadam.core.sabotage import run_sabotage


def _law_with(key, value):
    def patch(orig):
        def wrong():
            import copy

            d = copy.copy(orig())
            d.results = {**d.results, key: value}
            return d
        return wrong
    return patch


def test_tanh_flow_law_checks_both_prefactors():
    c = load_all()["existence.tanh_flow_law"]
    ev = c.check(CheckContext(c.id))
    assert ev.status == "verified"
    for r in (ev.details["norm_prefactor_ratio"], ev.details["loss_prefactor_ratio"]):
        assert max(abs(v - 1) for v in r) < 0.02 and abs(r[-1] - 1) < abs(r[0] - 1)
    K, t = sympy.symbols("K t", positive=True)
    for key, wrong in (("norm_law", (12 * K * t) ** sympy.Rational(1, 6)),    # prefactor 12K
                       ("loss_law", K / 2 * (24 * K * t) ** sympy.Rational(-2, 3))):
        bad = dataclasses.replace(c, sabotage=Sabotage(key, {"_derive_flow": _law_with(key,
                                                                                         wrong)}))
        assert run_sabotage(bad).caught, key


def test_sad_divergence_states_the_decades_it_checks():
    c = load_all()["existence.sad_divergence"]
    assert "four decades" in c.statement and "six decades" not in c.statement
    ev = c.check(CheckContext(c.id))
    assert ev.status == "verified"
    for row in ev.details["runs"]:
        if row["activation"] != "relu":
            norms = [float(v) for v in row["norm_at_decades_1e2_1e6"]]
            assert len(norms) == 5 and all(b > a for a, b in zip(norms, norms[1:]))


def test_relu_exact_and_smooth_statements_name_what_is_checked():
    from symadam.existence.claims import RELU_PROBLEMS

    claims = load_all()
    st = claims["existence.relu_exact"].statement
    assert len(RELU_PROBLEMS) == 6 and "x^2" in st and "max(0,x-1/4)^2" in st.replace("\\", "")
    st = claims["existence.smooth_not_attained"].statement
    assert "4, 4, 3, 5" in st and "suffice." not in st
