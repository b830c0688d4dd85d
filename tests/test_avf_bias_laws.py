"""``avf.bias_expansion`` says what its check shows (issue 19).

The first-order bias formula is law-independent; the claim now states an
absolute ``O((1 - beta2)^2)`` remainder and is checked on five laws.  These
tests recompute the decisive numbers for a skewed continuous law (exponential:
the ratio exact/first order tends to 1) and for an asymmetric law with
``kappa3 = 0`` (first order 0, bias ~ C (1 - beta2)^2, so the relative form
``first order x (1 + O(1 - beta2))`` of the old statement would be false).
"""
from __future__ import annotations

import mpmath

from symadam.avf.bias import first_order_bias
from symadam.avf.claims import _BIAS_LAWS
from symadam.avf.field_mp import avf_zero
from symadam.avf.laws import parse_data
from symadam.core import load_all


def _bias(spec, b2, J=1):
    g = first_order_bias(spec, "0.9", b2, 0, J)
    return avf_zero(spec, "0.9", b2, 0, J, dps=16, guess=g).bias, g


def test_statement_and_laws_match_the_check():
    st = load_all()["avf.bias_expansion"].statement
    assert "O((1-\\beta_2)^2)" in st and "\\kappa_3=0" in st
    kinds = {parse_data(s).batch_mean(J).kind for s, J in _BIAS_LAWS}
    assert {"discrete", "exponential", "gamma"} <= kinds
    atoms = [len(parse_data(s).atoms) for s, _ in _BIAS_LAWS if parse_data(s).kind == "discrete"]
    assert max(atoms) >= 3
    k3 = [parse_data(s).batch_mean(J).central_moment(3) for s, J in _BIAS_LAWS]
    assert 0 in k3 and any(k != 0 for k in k3)


def test_exponential_ratio_tends_to_one():
    r = []
    for b2 in ("0.999", "0.9999"):
        b, g = _bias("exponential:1", b2)
        with mpmath.workdps(25):
            r.append(b / (mpmath.mpf(g.p) / g.q))
    # ratio = 1 + c (1 - beta2): the distance to 1 shrinks tenfold
    assert abs(r[1] - 1) < abs(r[0] - 1) / 5 and abs(r[1] - 1) < 2e-3


def test_zero_third_moment_law_has_a_second_order_bias():
    spec = "discrete:-2,1,3@0.4,0.5,0.1"
    law = parse_data(spec)
    assert law.mean() == 0 and law.central_moment(3) == 0 and not law.is_symmetric()
    q = []
    for b2 in ("0.99", "0.999"):
        b, g = _bias(spec, b2)
        assert g == 0 and b > 0
        with mpmath.workdps(25):
            q.append(b / (1 - mpmath.mpf(b2))**2)
    assert 0.3 < q[0] < q[1] < 0.6           # bias / (1 - beta2)^2 settles near 1/2
