"""Batched analytic Hessians: symbolic route, torch oracle, Gauss-Newton structure."""
import mpmath
import numpy as np
import pytest
import sympy

from symadam import Network
from symadam.morse import hessian_exact as sh
from symadam.networks.activations import ANALYTIC, get_activation
from symadam.networks.hessian import risk_derivatives, risk_gradient, risk_hessian


@pytest.mark.parametrize("act,m,d,n", [(a, 2, 1, 3) for a in ANALYTIC] + [("tanh", 1, 2, 2)])
def test_symbolic_equals_numeric(act, m, d, n, seed_sequence):
    rng = np.random.default_rng(seed_sequence.spawn(1)[0])
    xs = [[sympy.Rational(int(k), 7) for k in rng.integers(-9, 10, d)] for _ in range(n)]
    ys = [sympy.Rational(int(k), 5) for k in rng.integers(-6, 7, n)]
    th, L, H = sh.risk_hessian(m, d, xs, ys, act)
    f = sympy.lambdify(th, H, modules="mpmath")
    fl = sympy.lambdify(th, L, modules="mpmath")
    xf = np.array([[float(v) for v in xi] for xi in xs])
    yf = np.array([float(v) for v in ys])
    thetas = rng.normal(scale=1.5, size=(4, len(th)))
    rd = risk_derivatives(thetas, xf, yf, act)
    for k in range(4):
        with mpmath.workdps(40):
            args = [mpmath.mpf(float(v)) for v in thetas[k]]
            Hs = np.array(f(*args).tolist(), dtype=float)
            Ls = float(fl(*args))
        assert np.max(np.abs(rd.hess[k] - Hs)) <= 1e-12 * max(1.0, np.max(np.abs(Hs)))
        assert abs(rd.loss[k] - Ls) <= 1e-13 * max(1.0, Ls)


@pytest.mark.parametrize("act", ANALYTIC)
def test_gradient_matches_central_differences(act):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(6, 2)), rng.normal(size=6)
    th = rng.normal(size=3 * 4 + 1)
    g = risk_gradient(th, x, y, act)
    H = risk_hessian(th, x, y, act)
    h = 1e-6
    for i in range(th.size):
        e = np.zeros_like(th)
        e[i] = h
        fd = (risk_derivatives(th + e, x, y, act, False).loss[0]
              - risk_derivatives(th - e, x, y, act, False).loss[0]) / (2 * h)
        assert abs(fd - g[i]) < 1e-7
        fdg = (risk_gradient(th + e, x, y, act) - risk_gradient(th - e, x, y, act)) / (2 * h)
        assert np.max(np.abs(fdg - H[:, i])) < 1e-6


def test_network_hessian_entry_point():
    net = Network((1, 3, 1), "tanh")
    rng = np.random.default_rng(0)
    th = rng.normal(size=(5, net.num_params))
    x, y = np.linspace(-1, 1, 8)[:, None], rng.normal(size=8)
    H = net.hessian(th, x, y)
    assert H.shape == (5, 10, 10)
    assert np.allclose(H, H.transpose(0, 2, 1))
    assert np.allclose(net.hessian(th[2], x, y), H[2])
    # the risk of Network and of the Hessian module agree
    assert np.allclose(net.risk(th, x, y), risk_derivatives(th, x, y, "tanh", False).loss)


def test_relu_rejected_with_reason():
    net = Network((1, 2, 1), "relu")
    with pytest.raises(ValueError, match="not twice differentiable"):
        net.hessian(np.zeros(7), [[0.0]], [0.0])


@pytest.mark.parametrize("act", ANALYTIC)
def test_zero_loss_hessian_is_gauss_newton(act):
    rng = np.random.default_rng(11)
    x = np.linspace(-1, 1, 4)[:, None]
    th = rng.normal(size=7)
    y = th[6] + get_activation(act).f(x @ th[None, :2] + th[2:4]) @ th[4:6]
    rd = risk_derivatives(th, x, y, act)
    gn = (2 / 4) * rd.jac[0].T @ rd.jac[0]
    assert np.max(np.abs(rd.hess[0] - gn)) < 1e-14
    ev = np.linalg.eigvalsh(rd.hess[0])
    assert np.sum(np.abs(ev) < 1e-12 * ev.max()) == 7 - 4       # rank <= n


@pytest.mark.oracle
@pytest.mark.parametrize("act", ANALYTIC)
def test_torch_oracle(act):
    torch = pytest.importorskip("torch")
    fns = {"tanh": torch.tanh, "logistic": torch.sigmoid,
           "softplus": torch.nn.functional.softplus, "gelu": torch.nn.functional.gelu}
    rng = np.random.default_rng(5)
    m, d, n = 3, 2, 9
    x, y = rng.normal(size=(n, d)), rng.normal(size=n)
    th = rng.normal(size=(3, m * (d + 2) + 1))
    X, Y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)

    def L(t):
        w, b = t[:m * d].reshape(m, d), t[m * d:m * d + m]
        v, c = t[m * d + m:m * d + 2 * m], t[-1]
        return ((c + fns[act](X @ w.T + b) @ v - Y) ** 2).mean()

    H = risk_hessian(th, x, y, act)
    for k in range(3):
        Ht = torch.func.hessian(L)(torch.tensor(th[k], dtype=torch.float64)).numpy()
        assert np.max(np.abs(Ht - H[k])) < 1e-12


@pytest.mark.parametrize("act", ANALYTIC)
def test_hessian_equals_independent_mpmath_route(act):
    # precision.morse_certify writes the risk Hessian as plain mpmath loops (no shared code)
    from symadam.morse.certify_mp import risk_gradient_mp, risk_hessian_mp

    rng = np.random.default_rng(41)
    m, d, n = 3, 2, 6
    x, y, th = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=m * (d + 2) + 1)
    rd = risk_derivatives(th, x, y, act)
    Hm = np.array(risk_hessian_mp(th, x.tolist(), y.tolist(), act, 30).tolist(), dtype=float)
    gm = np.array([float(v) for v in risk_gradient_mp(th, x.tolist(), y.tolist(), act, 30)])
    # float64 evaluation of O(n m) terms: relative error a few ulps of the largest entry
    assert np.max(np.abs(rd.hess[0] - Hm)) <= 1e-14 * np.max(np.abs(Hm))
    assert np.max(np.abs(rd.grad[0] - gm)) <= 1e-14 * np.max(np.abs(gm))


def test_network_hessian_against_finite_differences_of_risk_gelu_d2():
    # second differences of Network.risk only, Richardson-extrapolated: truncation O(h^4)
    # ~ 1e-12 and round-off ~ 1e-16 |L| / h^2 ~ 1e-9 relative for h = 1e-3
    net = Network((2, 3, 1), "gelu")
    rng = np.random.default_rng(12345)
    th, x, y = rng.normal(size=net.num_params), rng.normal(size=(7, 2)), rng.normal(size=7)
    H = net.hessian(th, x, y)
    P = th.size

    def second_differences(h):
        E = np.eye(P) * h
        F = np.empty((P, P))
        for i in range(P):
            for j in range(P):
                F[i, j] = (net.risk(th + E[i] + E[j], x, y) - net.risk(th + E[i] - E[j], x, y)
                           - net.risk(th - E[i] + E[j], x, y)
                           + net.risk(th - E[i] - E[j], x, y)) / (4 * h * h)
        return F

    F1, F2 = second_differences(2e-3), second_differences(1e-3)
    R = (4 * F2 - F1) / 3
    assert np.max(np.abs(R - H)) <= 1e-8 * np.max(np.abs(H))
