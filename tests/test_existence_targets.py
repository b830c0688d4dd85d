"""Exact width-3 ReLU minima beyond x^2: cubic, quartic and piecewise-polynomial targets.

Plain width-3 networks on these targets have stationarity branches too large for
exact Groebner bases (Bezout numbers 192-420 in three unknowns): the route refuses
within seconds, exit 1 with the reason, never a hang.  Residual networks (affine
skip) are decided; every minimum is checked by an independent float route: the
closed-form float population risk at the exact minimizer agrees with the exact
value, and seeded L-BFGS-B restarts (exact gradient) reach it and never go below.
"""
import json

import numpy as np
import pytest
import sympy

from symadam.cli import main
from symadam.existence._polysolve import CannotDecide
from symadam.existence.flow_np import relu_restarts
from symadam.existence.piecewise import X, parse_target, uniform_density
from symadam.existence.relu_exact import exact_minimizer, plan
from symadam.networks.network import Network
from symadam.networks.population import PiecewisePolynomial as FloatPP

#: C^1: x^2, then its tangent line at 1/2.
TANGENT = "Piecewise((x**2, x < 1/2), (x - 1/4, True))"
#: A kink at 1/2 and curvature 2 then 4.
KINKED = "Piecewise((x**2, x < 1/2), (2*x**2 - 1/4, True))"


def _float_target(f):
    coeffs = [[float(c) for c in reversed(sympy.Poly(q, X).all_coeffs())] for q in f.pieces]
    return FloatPP([float(b) for b in f.breaks], coeffs), tuple(float(b)
                                                                 for b in f.breaks[1:-1])


def _confirm(tgt, width, restarts, seed):
    """Exact minimum vs the float routes; returns (solution, restart values)."""
    sol = exact_minimizer(tgt, width, skip=True)
    exact = float(sympy.N(sol.risk, 30))
    pp, br = _float_target(sol.target)
    theta = np.array([float(sympy.N(v, 30)) for v in sol.theta()])
    at = Network((1, len(theta) // 3, 1), "relu").population_risk(theta, pp, (0.0, 1.0))
    assert abs(at - exact) <= 1e-13 + 1e-12 * exact
    t = [float(sympy.N(v, 30)) for v in sol.network.t]
    assert len(t) == width and 0 < t[0] and all(a < b for a, b in zip(t, t[1:])) and t[-1] < 1
    res = relu_restarts(width, pp, restarts, seed, breaks=br, skip=True)
    vals = np.array(res["values"])
    assert vals.min() >= exact - (1e-12 + 1e-9 * exact)            # never below
    assert np.any(vals <= exact + 1e-9 + 1e-7 * exact)              # reached
    return sol, vals


@pytest.mark.parametrize("tgt", ["x**3", "x**4", pytest.param(TANGENT, marks=pytest.mark.slow)])
def test_plain_width_three_refused_before_solving(tgt):
    with pytest.raises(CannotDecide, match=r"Bezout number \d+ in 3 unknowns"):
        plan(parse_target(tgt), 3, uniform_density((0, 1)))


def test_plain_width_three_cubic_exit_1(capsys):
    rc = main(["existence", "--activation", "relu", "--target", "x**3", "--width", "3"])
    err = capsys.readouterr().err
    assert rc == 1 and "cannot decide" in err and "Bezout" in err
    assert len(err.strip().splitlines()) == 1
    rc = main(["existence", "--activation", "relu", "--target", "x**4", "--width", "3",
               "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["decided"] is False and "Bezout" in out["reason"]


def test_residual_width_four_quartic_refused():
    """Four unknowns with Bezout number 81: refused, not attempted."""
    with pytest.raises(CannotDecide, match="in 4 unknowns"):
        exact_minimizer("x**4", 4, skip=True)


def test_residual_width_three_cubic(seed_sequence):
    sol, vals = _confirm("x**3", 3, 60, seed_sequence)
    assert sol.risk.atoms(sympy.CRootOf)              # algebraic, not rational
    t = [float(v) for v in sol.network.t]
    assert abs((t[1] - t[0]) - (t[2] - t[1])) > 1e-3  # not a uniform grid


@pytest.mark.slow
@pytest.mark.parametrize("tgt", ["x**4", TANGENT, KINKED, "x*Abs(x - 1/3)"])
def test_residual_width_three_confirmed_by_200_restarts(tgt, seed_sequence):
    _confirm(tgt, 3, 200, seed_sequence)


@pytest.mark.slow
def test_residual_width_four_cubic(seed_sequence):
    _confirm("x**3", 4, 200, seed_sequence)


def test_cli_residual_flag(capsys):
    """``--residual`` reaches the skip route: x^2 at width 4 is the uniform grid j/5 with
    1/(180 5^4) = 1/112500 (the free-knot law), which the plain route refuses (width 4)."""
    rc = main(["existence", "--activation", "relu", "--target", "x**2", "--width", "4",
               "--residual", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["infimum"] == str(sympy.Rational(1, 180 * 5 ** 4))
    assert out["evidence"]["kinks"] == ["1/5", "2/5", "3/5", "4/5"]
    assert len(out["parameters"]) == 3 * 5 + 1          # the skip slope as a fifth neuron
    rc = main(["existence", "--activation", "relu", "--target", "x**2", "--width", "4"])
    assert rc == 2 and "width" in capsys.readouterr().err


def test_cli_residual_needs_relu(capsys):
    rc = main(["existence", "--activation", "tanh", "--target", "x", "--width", "1",
               "--residual"])
    err = capsys.readouterr().err
    assert rc == 2 and "residual" in err and "relu" in err
