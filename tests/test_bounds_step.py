"""The sharp step bound C_n: exact identities, independent recursion, search, torch."""
import mpmath
import numpy as np
import pytest
import sympy
from sympy import Rational as R

from symadam.bounds.search_np import moment_weights, multistart_max, ratio
from symadam.bounds.step import (
    MAX_EXACT_N,
    beta1,
    beta2,
    c_inf,
    derive_step_bound,
    extremal_sequence,
    step_bound,
    step_bound_n,
)
from symadam.bounds.step_mp import adam_ratio, adam_ratios
from symadam.core.identity import agreeing_digits, assert_identity


@pytest.mark.parametrize("n", [1, 2, 5])
def test_closed_form_is_the_weighted_sum(n):
    """C_n^2 = sum_k a_k^2/b_k, summed term by term for a fixed n, as an identity in the betas."""
    a = [(1 - beta1) * beta1**(n - k) / (1 - beta1**n) for k in range(1, n + 1)]
    b = [(1 - beta2) * beta2**(n - k) / (1 - beta2**n) for k in range(1, n + 1)]
    direct = sum(x * x / y for x, y in zip(a, b))
    closed = derive_step_bound().results["C_n_squared"].subs(sympy.Symbol("n", positive=True,
                                                                         integer=True), n)
    assert_identity(direct, closed, domain={beta1: (R(1, 10), R(8, 10)),
                                            beta2: (R(85, 100), R(99, 100))})


def test_gap_identity_gives_C_n_below_C_inf():
    x, y = sympy.symbols("x y", positive=True)
    assert_identity((1 - y)**2 - (1 - x**2) * (1 - y**2 / x**2), (x - y / x)**2)
    for n in (1, 3, 30, 300):
        assert step_bound("0.9", "0.999", n) <= c_inf("0.9", "0.999")
    assert step_bound("1/2", "1/2", 7) == c_inf("1/2", "1/2")   # beta1 = beta2: equality


def test_c_inf_value_and_errors():
    assert abs(float(c_inf("0.9", "0.999")) - 7.2702918) < 1e-7
    with pytest.raises(ValueError, match="beta1\\*\\*2 < beta2"):
        c_inf("0.9", "0.81")
    with pytest.raises(ValueError, match="beta1 must be in"):
        step_bound("1", "0.9", 3)
    with pytest.raises(ValueError, match="n must be an integer"):
        step_bound_n("0.5", "0.9", "2.5")
    with pytest.raises(ValueError, match="exact number"):
        step_bound("0.5", "0.9", MAX_EXACT_N + 1)


@pytest.mark.parametrize("b1, b2, n", [("0.9", "0.999", 12), ("0.3", "0.5", 9),
                                       ("0.5", "0.25", 6), ("0.9", "0.5", 8)])
def test_extremal_sequence_attains_by_recursion(b1, b2, n):
    seq = [str(q) for q in extremal_sequence(b1, b2, n)]
    with mpmath.workdps(50):
        got = adam_ratio(seq, b1, b2, 0, dps=40)
        want = mpmath.sqrt(mpmath.mpf(str(sympy.N(step_bound(b1, b2, n)**2, 60))))
        assert agreeing_digits(got, want) >= 38


def test_random_sequences_stay_below():
    rng = np.random.default_rng(3)
    cn = float(step_bound("0.9", "0.999", 25))
    for _ in range(20):
        g = rng.standard_normal(25) * np.exp(2 * rng.standard_normal(25))
        assert float(adam_ratio(g.tolist(), "0.9", "0.999", dps=20)) <= cn * (1 + 1e-15)


def test_eps_positive_never_attains():
    seq = [str(q) for q in extremal_sequence("0.9", "0.999", 10)]
    with mpmath.workdps(40):
        cn = mpmath.mpf(str(sympy.N(step_bound("0.9", "0.999", 10), 40)))
        for scale in (1, 10**3, 10**6):
            r = adam_ratio([str(sympy.Rational(x) * scale) for x in seq], "0.9", "0.999",
                           "1e-3", 30)
            assert r < cn
        assert cn - r < 1e-8


def test_numpy_recursion_matches_mpmath():
    g = [0.3, -1.2, 2.0, 0.7]
    a, b = moment_weights(0.8, 0.95, 4)
    r = ratio(np.array([g]), 0.8, 0.95)[0]
    assert abs(r - float(adam_ratios(g, "0.8", "0.95", dps=30)[-1]) * np.sign(a @ g)) < 1e-14


def test_multistart_reaches_but_never_exceeds():
    out = multistart_max(0.9, 0.99, 15, starts=64, seed=4)
    cn = float(step_bound("0.9", "0.99", 15))
    assert out["best"] <= cn * (1 + 1e-12)
    assert out["best"] >= cn * (1 - 1e-9)
    ext = [float(x) for x in extremal_sequence("0.9", "0.99", 15)]
    assert np.allclose(out["best_sequence"], ext, rtol=1e-5)


@pytest.mark.oracle
def test_torch_step_on_extremal_sequence():
    pytest.importorskip("torch")
    from symadam.oracle.torch_optim import torch_trajectory

    n = 30
    seq = [float(x) for x in extremal_sequence("0.9", "0.999", n)]
    it = iter(seq)
    traj = torch_trajectory("adam", lambda th: np.array([next(it)]), np.zeros(1), n, lr=0.1,
                            beta1=0.9, beta2=0.999, eps=1e-300)
    step = abs(traj[-1, 0] - traj[-2, 0]) / 0.1
    assert abs(step / float(step_bound("0.9", "0.999", n)) - 1) < 1e-13
