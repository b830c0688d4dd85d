"""Readable algebraic results (issue 19): minimal polynomial + isolating interval + decimal."""
import json

import pytest
import sympy

from symadam.cli import main
from symadam.existence.algebraic import algebraic_form, is_unwieldy

x = sympy.Symbol("x")


def _check(out, value):
    f = sympy.Poly(sympy.sympify(out["minimal_polynomial"]), x)
    assert len(sympy.factor_list(f.as_expr())[1]) == 1            # irreducible over Q
    lo, hi = (sympy.Rational(v) for v in out["isolating_interval"])
    assert f.count_roots(lo, hi) == 1                             # isolating
    assert lo <= sympy.N(value, 50) <= hi
    assert abs(sympy.N(f.as_expr().subs(x, value), 50)) < 1e-40   # value is its root
    assert abs(sympy.N(sympy.sympify(out["expression"]) - value, 50)) < 1e-45
    d = sympy.Float(out["decimal"], 40)
    assert abs(d - sympy.N(value, 50)) <= 10 ** (sympy.floor(sympy.log(abs(d), 10)) - 28)


def test_radicals_match_sympys_minimal_polynomial():
    e = sympy.Rational(1, 4) - sympy.sqrt(2) / 6
    out = algebraic_form(e)
    assert sympy.Poly(sympy.sympify(out["minimal_polynomial"]), x).monic() == \
        sympy.Poly(sympy.minimal_polynomial(e, x), x).monic()
    _check(out, e)


def test_two_root_objects_are_eliminated():
    r = sympy.CRootOf(x ** 3 - 2, 0)
    s = sympy.CRootOf(x ** 2 - 3, 1)           # sqrt(3)
    out = algebraic_form(r + s)
    expected = sympy.minimal_polynomial(sympy.cbrt(2) + sympy.sqrt(3), x)
    assert sympy.Poly(sympy.sympify(out["minimal_polynomial"]), x).monic() == \
        sympy.Poly(expected, x).monic() and out["degree"] == 6
    _check(out, r + s)
    out = algebraic_form((r ** 2 + s) / (r - s))   # a quotient
    _check(out, (r ** 2 + s) / (r - s))


def test_the_right_root_among_several_is_chosen():
    # CRootOf(x^3 - 3x + 1, k) are three close real roots; 2 r_k^2 - 3 maps them to each other
    for k in range(3):
        r = sympy.CRootOf(x ** 3 - 3 * x + 1, k)
        out = algebraic_form(r ** 2 - 2)
        _check(out, r ** 2 - 2)


def test_rational_and_small_values_stay_as_they_are():
    assert not is_unwieldy(sympy.Rational(4, 3645))
    assert algebraic_form(sympy.Rational(4, 3645))["expression"] == "4/3645"
    with pytest.raises(ValueError, match="real"):
        algebraic_form(sympy.CRootOf(x ** 3 - 2, 1))


def test_cli_prints_a_minimal_polynomial_not_a_crootof_tree(capsys):
    assert main(["existence", "--activation", "relu", "--target", "x**3", "--width", "1",
                 "--json"]) == 0
    raw = capsys.readouterr().out
    res = json.loads(raw)
    alg = res["infimum_algebraic"]
    assert res["infimum"] == alg["expression"] and len(raw) < 3000
    from symadam.existence.relu_exact import exact_minimizer

    exact = exact_minimizer("x**3", 1).risk            # the unreadable sympy form
    _check(alg, exact)
    assert res["best_risk"].startswith(alg["decimal"][:25])
    assert main(["existence", "--activation", "relu", "--target", "x**3", "--width", "1"]) == 0
    text = capsys.readouterr().out
    assert "minimal polynomial" in text and "CRootOf" not in text.split("kinks")[0]


@pytest.mark.slow
def test_x_cubed_width_2_is_readable(capsys):
    """The review case: the x^3 width-2 infimum was 18 kB of nested CRootOf (37 kB of JSON)."""
    assert main(["existence", "--activation", "relu", "--target", "x**3", "--width", "2",
                 "--json"]) == 0
    raw = capsys.readouterr().out
    res = json.loads(raw)
    assert len(raw) < 4000 and res["infimum_algebraic"]["degree"] == 6
    assert res["infimum_algebraic"]["decimal"].startswith("0.000211547059108391761650925")
