"""Symbolic Hessians: Gauss-Newton identity, closed-form Gram eigenvalues, derivations."""
import numpy as np
import pytest
import sympy

from symadam.core import assert_identity
from symadam.morse import exact as sm
from symadam.morse import hessian_exact as sh


@pytest.mark.parametrize("act", sh.SYMBOLIC_ACTIVATIONS)
def test_zero_loss_hessian_equals_gauss_newton(act):
    xs = [[sympy.Rational(-1, 3)], [sympy.Rational(1, 2)]]
    ys = sympy.symbols("y_1 y_2", real=True)
    th, _, H = sh.risk_hessian(1, 1, xs, ys, act)
    # differentiate first, then put the targets on the network: zero loss
    H = H.subs(dict(zip(ys, sh.zero_loss_targets(1, 1, xs, act))))
    _, G = sh.gauss_newton(1, 1, xs, act)
    assert H != sympy.zeros(4, 4)
    # both sides are symmetric (mixed partials; J^T J): the upper triangle suffices
    for i in range(4):
        for j in range(i, 4):
            assert_identity(H[i, j], G[i, j])


@pytest.mark.parametrize("act", sh.SYMBOLIC_ACTIVATIONS)
def test_point_hessians_sum_to_the_risk_hessian(act):
    xs = [[sympy.Rational(-1, 3)], [sympy.Rational(1, 2)], [sympy.Rational(5, 4)]]
    ys = [sympy.Rational(1, 5), sympy.Rational(-2, 3), sympy.Rational(3, 7)]
    th, _, H = sh.risk_hessian(1, 1, xs, ys, act)
    th2, x, y, Hp = sh.point_hessian(1, 1, act)
    assert th2 == th
    S = sum((Hp.subs({x[0]: xi[0], y: yi}) for xi, yi in zip(xs, ys)), sympy.zeros(4)) / 3
    for i in range(4):
        for j in range(i, 4):
            assert_identity(H[i, j], S[i, j])


def test_gram_eigenvalues_closed_form_match_numeric_eigenvalues():
    xs = [[sympy.Rational(-1, 2)], [sympy.Rational(3, 4)]]
    J, G = sh.gauss_newton(2, 1, xs, "tanh")
    th = sh.parameter_symbols(2, 1)
    point = dict(zip(th, [sympy.Rational(k, 4) for k in (3, -2, 1, 5, -3, 2, 1)]))
    lam = sorted(float(sympy.N(e.subs(point), 30)) for e in sh.gram_eigenvalues(J))
    Gn = np.array(sympy.N(G.subs(point), 30).tolist(), dtype=float)
    ev = np.linalg.eigvalsh(Gn)
    assert np.allclose(ev[-2:], lam, rtol=1e-13)
    assert np.all(np.abs(ev[:-2]) < 1e-13)


def test_gram_eigenvalues_need_small_n():
    with pytest.raises(ValueError, match="n <= 2"):
        sh.gram_eigenvalues(sympy.zeros(3, 4))


def test_split_second_order_coefficient():
    first, second = sm.split_second_order()
    t, V, z, s = sympy.symbols("t V z s", real=True)
    sig = sympy.Function("sigma")
    assert first == 0
    assert sympy.expand(second - t * (1 - t) * V * sig(z).diff(z, 2) * s ** 2 / 2) == 0


def test_rates_closed_forms():
    k = sympy.Symbol("kappa", positive=True)
    assert_identity(sm.gd_local_rate(), (k - 1) / (k + 1))
    assert sm.heavy_ball_local_rate(sympy.Integer(4)) == sympy.Rational(1, 3)


def test_bad_activation():
    with pytest.raises(ValueError, match="analytic"):
        sh.sigma("relu", sympy.Symbol("z"))


def test_derivations_render():
    for der in (sh.hessian_derivation(), sh.gauss_newton_derivation("gelu"),
                sm.split_derivation(), sm.zero_output_derivation(), sm.tolerance_derivation(),
                sm.local_rate_derivation()):
        assert "\\section*" in der.to_latex()
