"""Exact ReLU minima at widths 3-4: kink systems, number fields, the law in the width (issue 15).

Expected values are derived by hand, not read from the implementation: the
best linear L2 approximation of x^2 on an interval of length h has integrated
squared error h^5/180, so a continuous piecewise linear fit with n equal
pieces on [0, 1] has risk n h^5 / 180 = 1/(180 n^4) (a residual width-m
network: n = m + 1 pieces, kinks j/(m + 1)).  A plain network is constant left
of its first kink; its even extension to [-1, 1] is a continuous piecewise
linear fit of x^2 with 2m + 1 equal pieces of length h = 2/(2m + 1), risk
(2m + 1) h^5/180 on [-1, 1], half of it on [0, 1]: 4/(45 (2m + 1)^4), kinks
(2j - 1)/(2m + 1).
"""
import json

import numpy as np
import pytest
import sympy
from sympy import Rational as Q

from symadam.cli import main
from symadam.existence._numberfield import THETA, real_fields
from symadam.existence._polysolve import CannotDecide
from symadam.existence.flow_np import relu_restarts
from symadam.existence.kink_system import kink_system
from symadam.existence.piecewise import parse_target, uniform_density
from symadam.existence.relu_exact import exact_minimizer, plan


def _plain_law(m):
    return Q(4, 45 * (2 * m + 1) ** 4), tuple(Q(2 * j - 1, 2 * m + 1) for j in range(1, m + 1))


def _residual_law(m):
    return Q(1, 180 * (m + 1) ** 4), tuple(Q(j, m + 1) for j in range(1, m + 1))


@pytest.mark.parametrize("m", [1, 2, 3])
def test_residual_law(m):
    sol = exact_minimizer("x**2", m, skip=True)
    assert (sol.risk, sol.network.t) == _residual_law(m)


@pytest.mark.parametrize("m", [1, 2])
def test_plain_law_small_widths(m):
    sol = exact_minimizer("x**2", m)
    assert (sol.risk, sol.network.t) == _plain_law(m)


def test_local_projection_kink_system_is_equispacing():
    """Free slope, two kinks: continuity says consecutive interval lengths are equal."""
    s = kink_system((2, (1, 1), True), (0, 0), parse_target("x**2"), uniform_density((0, 1)))
    t1, t2 = s.t
    eqs = [sympy.factor(e.as_expr()) for e in s.equations]
    assert eqs[0].subs({t1: Q(1, 3), t2: Q(2, 3)}) == 0
    assert eqs[1].subs({t1: Q(1, 3), t2: Q(2, 3)}) == 0
    assert eqs[0].subs({t1: Q(1, 4), t2: Q(2, 3)}) != 0


def test_number_field_signs_are_exact():
    F = real_fields(sympy.Poly(THETA ** 2 - 2, THETA))[1]            # sqrt(2)
    x = F.element(99 * THETA - 140)                      # 99 sqrt 2 - 140 = 0.0071... > 0
    assert F.sign(x) == 1 and F.sign(F.element(140 - 99 * THETA)) == -1
    assert F.sign(F.element(THETA ** 2 - 2)) == 0
    assert F.canonical(F.mul(x, x)) == sympy.expand((99 * sympy.sqrt(2) - 140) ** 2)


def test_too_many_systems_cannot_decide_exit_1(capsys):
    """Nine breakpoints at width 3: refused before any solving, exit 1 with the reason."""
    tgt = " + ".join(f"x*Abs(x - {j}/11)" for j in range(1, 10))
    with pytest.raises(CannotDecide, match="exceed the limit"):
        plan(parse_target(tgt), 3, uniform_density((0, 1)))
    rc = main(["existence", "--activation", "relu", "--target", tgt, "--width", "3"])
    err = capsys.readouterr().err
    assert rc == 1 and "cannot decide" in err and len(err.strip().splitlines()) == 1
    rc = main(["existence", "--activation", "relu", "--target", tgt, "--width", "3", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["decided"] is False and "limit" in out["reason"]


def test_width_beyond_route_is_bad_input(capsys):
    rc = main(["existence", "--activation", "relu", "--target", "x**2", "--width", "5"])
    assert rc == 2 and "width" in capsys.readouterr().err


@pytest.mark.slow
def test_plain_width_three_confirmed_by_restarts(seed_sequence, capsys):
    sol = exact_minimizer("x**2", 3)
    assert (sol.risk, sol.network.t) == _plain_law(3)
    res = relu_restarts(3, lambda x: x ** 2, 100, seed_sequence)
    assert res["best"] >= float(sol.risk) * (1 - 1e-9)
    rc = main(["existence", "--activation", "relu", "--target", "x**2", "--width", "3",
               "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["infimum"] == "4/108045"
    assert out["evidence"]["kinks"] == ["1/7", "3/7", "5/7"]


@pytest.mark.slow
def test_residual_width_four():
    sol = exact_minimizer("x**2", 4, skip=True)
    assert (sol.risk, sol.network.t) == _residual_law(4)
    assert np.isclose(float(sol.risk), 1 / 112500)
