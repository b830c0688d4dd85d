"""High-precision routes for the Adam/RMSprop local rates (mpmath iteration and Jacobians)."""
import mpmath
import numpy as np
import pytest
from mpmath import mpf

from symadam.core.identity import agreeing_digits
from symadam.rates.adam_iterate_mp import (
    adam_iterate,
    diagonal_quadratic,
    measured_rate,
    rotated_quartic,
    transient_steps,
)
from symadam.rates.adam_jacobian_mp import (
    block_radius,
    full_radius,
    jacobian_at_fixed_point,
    worst_case_radii,
)
from symadam.rates.optimizers_np import adam_trajectory


def polyak(kappa, eps="1", mu=1, dps=60):
    """Typed-in closed forms (docs/conventions.md), as decimal strings."""
    with mpmath.workdps(dps):
        k, e, mu = mpf(kappa), mpf(eps), mpf(mu)
        s = mpmath.sqrt(k)
        rho = (s - 1) / (s + 1)
        return dict(beta1=rho ** 2, lr=e / (mu * s), rho=rho,
                    lr_gd=2 * e / (mu * (1 + k)), rho_gd=(k - 1) / (k + 1))


# -- the rate estimator ------------------------------------------------------------------

def test_measured_rate_double_root_and_simple_root():
    with mpmath.workdps(50):
        dbl = [(mpf(-7) + 3 * n) * mpf("0.8") ** n for n in range(600)]
        simple = [mpf(5) * mpf("0.8") ** n + mpf("0.3") ** n for n in range(600)]
        assert agreeing_digits(measured_rate(dbl, 200, 150), mpf("0.8")) >= 45
        assert agreeing_digits(measured_rate(simple, 200, 150), mpf("0.8")) >= 45
        naive = measured_rate(dbl, 200, 150, double_root=False)
        assert 1e-4 < naive - mpf("0.8") < 1e-2      # reads high by ~ rho/n at a double root


def test_measured_rate_bad_input():
    with pytest.raises(ValueError, match="start \\+ 2\\*window"):
        measured_rate([1, 2, 3], 0, 2)
    with pytest.raises(ValueError, match="nonzero"):
        measured_rate([1, 0, 1, 1, 1], 0, 1)


def test_transient_steps():
    assert transient_steps([0, 3, 2, 0.5, 2, 0.1, 0.1], 1) == 5
    assert transient_steps([0, 3, 2], 1) is None


# -- the iteration itself ------------------------------------------------------------------

def test_mpmath_iteration_agrees_with_float64_numpy():
    """Two implementations of the same bias-corrected Adam (mpmath vs numpy, first 60 steps)."""
    lam = [1.0, 3.0, 10.0]
    run_np = adam_trajectory(lambda th: np.array(lam) * th, np.array([0.3, -0.2, 0.1]), 60,
                             lr=0.05, beta1=0.9, beta2=0.99, eps=1e-3)
    run_mp = adam_iterate(diagonal_quadratic(["1", "3", "10"]), ["0.3", "-0.2", "0.1"], 60,
                          lr="0.05", beta1="0.9", beta2="0.99", eps="0.001", dps=30)
    err_np = np.linalg.norm(run_np, axis=1)
    err_mp = np.array([float(e) for e in run_mp.errors])
    np.testing.assert_allclose(err_mp, err_np, rtol=1e-12)


@pytest.mark.parametrize("kappa,beta2,eps,steps", [(10, "0.5", "0.01", 1500),
                                                   (100, "0.9", "1", 3000)])
def test_adam_rate_at_polyak_tuning(kappa, beta2, eps, steps):
    p = polyak(kappa, eps)
    obj = diagonal_quadratic(["1", str(kappa // 3), str(kappa)])
    run = adam_iterate(obj, ["0.05", "-0.05", "0.05"], steps, lr=p["lr"], beta1=p["beta1"],
                       beta2=beta2, eps=eps, dps=50)
    tr = run.transient(mpf(eps) / 100)
    k = steps // 6
    assert tr is not None and tr < steps // 3
    assert agreeing_digits(run.rate(steps - 2 * k - 1, k), p["rho"]) >= 5
    # the naive ratio reads high at the double root: the correction matters
    naive = run.rate(steps - 2 * k - 1, k, double_root=False)
    assert naive > p["rho"] * (1 + mpf("1e-5"))


def test_rmsprop_rate_is_gd_rate():
    p = polyak(100, "0.1")
    run = adam_iterate(diagonal_quadratic(["1", "30", "100"]), ["0.005", "0.005", "-0.005"],
                       3000, lr=p["lr_gd"], beta1=0, beta2="0.9", eps="0.1", dps=40)
    assert agreeing_digits(run.rate(2000, 400), p["rho_gd"]) >= 6


def test_non_quadratic_objective():
    obj = rotated_quartic(["1", "7", "50"], cubic="1", quartic="1")
    p = polyak(50, "0.5")
    run = adam_iterate(obj, ["0.02", "-0.01", "0.03"], 1500, lr=p["lr"], beta1=p["beta1"],
                       beta2="0.9", eps="0.5", dps=50)
    assert agreeing_digits(run.rate(999, 250), p["rho"]) >= 8


def test_theta_rate_is_not_full_jacobian_radius():
    """beta2 = 0.99 > rho: the v block decays at beta2, theta at rho (kappa = 100)."""
    p = polyak(100, "1")
    run = adam_iterate(diagonal_quadratic(["1", "100"]), ["1e-6", "1e-6"], 4000, lr=p["lr"],
                       beta1=p["beta1"], beta2="0.99", eps="1", dps=50)
    rate_theta = run.rate(2800, 550)
    assert agreeing_digits(rate_theta, p["rho"]) >= 5
    # v_hat decays like beta2^n, so sqrt(v_hat) like sqrt(beta2)^n
    with mpmath.workdps(50):
        assert agreeing_digits(measured_rate(run.sqrt_vhat, 2800, 550, double_root=False),
                               mpmath.sqrt(mpf("0.99"))) >= 6


def test_transient_grows_with_beta2_and_shrinking_eps():
    p = polyak(10, "1")
    obj = diagonal_quadratic(["1", "10"])

    def tr(beta2, eps):
        with mpmath.workdps(30):
            lr = mpf(p["lr"]) * mpf(eps)
        run = adam_iterate(obj, ["0.1", "0.1"], 4000, lr=lr, beta1=p["beta1"], beta2=beta2,
                           eps=eps, dps=20)
        return run.transient(mpf(eps) / 100)

    t = {(b, e): tr(b, e) for b in ("0.9", "0.99") for e in ("1", "0.01")}
    assert t[("0.99", "1")] > t[("0.9", "1")]
    assert t[("0.99", "0.01")] > t[("0.99", "1")]


def test_iteration_bad_input():
    obj = diagonal_quadratic(["1"])
    with pytest.raises(ValueError, match="beta2 must be in"):
        adam_iterate(obj, ["1"], 5, lr=1, beta1=0, beta2=1, eps=1)
    with pytest.raises(ValueError, match="eps must be > 0"):
        adam_iterate(obj, ["1"], 5, lr=1, beta1=0, beta2="0.5", eps=0)
    with pytest.raises(ValueError, match="dps must be"):
        adam_iterate(obj, ["1"], 5, lr=1, beta1=0, beta2="0.5", eps=1, dps=5)
    with pytest.raises(ValueError, match="theta0 must have length 1"):
        adam_iterate(obj, ["1", "2"], 5, lr=1, beta1=0, beta2="0.5", eps=1)


# -- Jacobians ------------------------------------------------------------------------------

def test_jacobian_structure_and_radii():
    J = jacobian_at_fixed_point("3", lr="0.2", beta1="0.7", beta2="0.95", eps="2", dps=50)
    with mpmath.workdps(50):
        h = mpf("0.2") * (1 - mpf("0.7")) / 2
        expected = [[1 - h * 3, -mpf("0.2") * mpf("0.7") / 2, 0],
                    [(1 - mpf("0.7")) * 3, mpf("0.7"), 0], [0, 0, mpf("0.95")]]
        for i in range(3):
            for j in range(3):
                assert abs(J[i, j] - expected[i][j]) < mpf(10) ** -30
        assert agreeing_digits(full_radius(J), max(mpf("0.95"), block_radius(J))) >= 30


def test_eps_inside_block_uses_sqrt_eps():
    J = jacobian_at_fixed_point("3", lr="0.2", beta1="0.7", beta2="0.95", eps="4", dps=50,
                                eps_inside=True)
    with mpmath.workdps(50):
        assert abs(J[0, 1] - mpf("-0.2") * mpf("0.7") / 2) < mpf(10) ** -30
        assert abs(J[0, 0] - (1 - mpf("0.2") * (1 - mpf("0.7")) * 3 / 2)) < mpf(10) ** -30


def test_worst_case_radius_at_polyak_and_gd_tunings():
    p = polyak(1000, "3")
    r = worst_case_radii(1, 1000, lr=p["lr"], beta1=p["beta1"], beta2="0.999", eps="3",
                         n_lambda=21, dps=50)
    assert agreeing_digits(r["block"], p["rho"]) >= 14
    with mpmath.workdps(50):
        assert abs(r["full"] - mpf("0.999")) < mpf(10) ** -30
    g = worst_case_radii(1, 1000, lr=p["lr_gd"], beta1=0, beta2="0.5", eps="3", n_lambda=21)
    assert agreeing_digits(g["block"], p["rho_gd"]) >= 30


@pytest.mark.slow
@pytest.mark.parametrize("kappa", [1000])
def test_adam_and_rmsprop_kappa_1000(kappa):
    p = polyak(kappa, "10")
    obj = diagonal_quadratic(["1", "300", str(kappa)])
    run = adam_iterate(obj, ["0.05", "-0.05", "0.05"], 4000, lr=p["lr"], beta1=p["beta1"],
                       beta2="0.95", eps="10", dps=50)
    assert agreeing_digits(run.rate(4000 - 1335, 667), p["rho"]) >= 5
    run = adam_iterate(obj, ["1e-9", "-1e-9", "1e-9"], 4000, lr=p["lr_gd"], beta1=0,
                       beta2="0.95", eps="10", dps=50)
    assert agreeing_digits(run.rate(1000, 1400), p["rho_gd"]) >= 5


@pytest.mark.slow
def test_beta2_0999_long_transient():
    """Default beta2 = 0.999: tens of thousands of steps before the rate reads to 4+ digits."""
    p = polyak(10, "1")
    run = adam_iterate(diagonal_quadratic(["1", "10"]), ["0.01", "0.01"], 40000, lr=p["lr"],
                       beta1=p["beta1"], beta2="0.999", eps="1", dps=50)
    early = run.rate(2000, 1000)
    late = run.rate(34000, 2900)
    assert agreeing_digits(late, p["rho"]) >= 5
    assert agreeing_digits(early, p["rho"]) < agreeing_digits(late, p["rho"])
    assert float(run.errors[-1]) == 0.0 or run.errors[-1] < mpf(10) ** -10000  # < float64 range


def test_measure_local_rate_on_random_problems(seed_sequence):
    """Random mu, kappa, beta2, eps and start (seeded); typed-in closed forms, arbitrary mu."""
    from symadam.rates.adam_iterate_mp import measure_local_rate

    rng = np.random.default_rng(seed_sequence.spawn(1)[0])
    for k in range(3):
        mu = round(float(rng.uniform(0.2, 5)), 3)
        kappa = round(float(rng.uniform(3, 60)), 2)
        beta2 = str(round(float(rng.uniform(0.1, 0.9)), 3))
        eps = f"{float(10 ** rng.uniform(-3, 1)):.3g}"
        lams = [str(mu), str(round(mu * kappa, 6))]
        kap = mpf(lams[1]) / mpf(lams[0])
        with mpmath.workdps(40):
            s = mpmath.sqrt(kap)
            rho_hb, rho_gd = (s - 1) / (s + 1), (kap - 1) / (kap + 1)
            lr_adam = mpf(eps) / mpmath.sqrt(mpf(lams[0]) * mpf(lams[1]))
            lr_rms = 2 * mpf(eps) / (mpf(lams[0]) + mpf(lams[1]))
        th0 = [f"{x:.3g}" for x in rng.uniform(-1, 1, 2) * float(eps) / (mu * kappa)]
        obj = diagonal_quadratic(lams) if k < 2 else rotated_quartic(lams, "0.3", "0.2")
        res = measure_local_rate(obj, th0, lr=lr_adam, beta1=rho_hb ** 2, beta2=beta2, eps=eps,
                                 dps=40, min_window=150)
        assert agreeing_digits(res["rate"], rho_hb) >= 4, (lams, beta2, eps, res["rate"])
        res = measure_local_rate(obj, th0, lr=lr_rms, beta1=0, beta2=beta2, eps=eps, dps=40,
                                 min_window=150)
        assert agreeing_digits(res["rate"], rho_gd) >= 4, (lams, beta2, eps, res["rate"])


def test_measure_local_rate_gives_up():
    from symadam.rates.adam_iterate_mp import measure_local_rate

    with pytest.raises(RuntimeError, match="not in the local regime"):
        measure_local_rate(diagonal_quadratic(["1", "10"]), ["1", "1"], lr="1e-4", beta1="0.5",
                           beta2="0.999", eps="1e-3", dps=20, max_steps=2000)


def test_small_beta2_can_trap_adam_in_an_oscillation():
    """The rate is local: at Polyak's tuning with beta2 = 0.11 and |g_0| ~ 6 eps, Adam settles
    on a sustained oscillation with sqrt(v_hat) ~ 0.6 eps instead of converging (parametric
    excitation: v_hat follows g^2 and modulates the step); from 0.3x the start, or with
    beta2 = 0.5, it converges at rho.  (Found by the random test above; float64 agrees.)"""
    lams = ["2.585", "195.8396"]
    with mpmath.workdps(30):
        k = mpf(lams[1]) / mpf(lams[0])
        s = mpmath.sqrt(k)
        b1, eps = ((s - 1) / (s + 1)) ** 2, mpf("2.22e-5")
        lr = eps / mpmath.sqrt(mpf(lams[0]) * mpf(lams[1]))
    obj = diagonal_quadratic(lams)
    trapped = adam_iterate(obj, ["4.35e-7", "-6.79e-7"], 3000, lr=lr, beta1=b1, beta2="0.11",
                           eps=eps, dps=30)
    assert trapped.errors[3000] > mpf("0.9") * trapped.errors[1500] > mpf("1e-7")
    assert mpf("0.3") < trapped.sqrt_vhat[3000] / eps < 1
    freed = adam_iterate(obj, ["1.305e-7", "-2.037e-7"], 3000, lr=lr, beta1=b1, beta2="0.11",
                         eps=eps, dps=30)
    assert freed.errors[3000] < mpf("1e-100")
    other = adam_iterate(obj, ["4.35e-7", "-6.79e-7"], 3000, lr=lr, beta1=b1, beta2="0.5",
                         eps=eps, dps=30)
    assert other.errors[3000] < mpf("1e-100")


def _householder_objective(eigs, extra):
    """``A = Q diag(eigs) Q``, ``Q = I - 2 u u^T / |u|^2`` with ``u = (1, 2, 3)``: a dense
    Hessian (not the Givens family of ``rotated_quartic``); ``extra`` adds
    ``t0^2 t1 + (t0+t1+t2)^4 / 4 + sin(t2)^3``, which leaves the Hessian at 0 unchanged."""
    from symadam.rates.adam_iterate_mp import Objective

    with mpmath.workdps(60):
        u = [mpf(1), mpf(2), mpf(3)]
        Q = [[int(i == j) - 2 * u[i] * u[j] / 14 for j in range(3)] for i in range(3)]
        A = [[sum(Q[i][k] * mpf(eigs[k]) * Q[j][k] for k in range(3)) for j in range(3)]
             for i in range(3)]

    def grad(t):
        g = [mpmath.fsum(A[i][j] * t[j] for j in range(3)) for i in range(3)]
        if extra:
            s3 = (t[0] + t[1] + t[2]) ** 3
            g = [g[0] + 2 * t[0] * t[1] + s3, g[1] + t[0] ** 2 + s3,
                 g[2] + s3 + 3 * mpmath.sin(t[2]) ** 2 * mpmath.cos(t[2])]
        return g

    return Objective(grad, ["0"] * 3, [str(e) for e in eigs], "householder")


@pytest.mark.parametrize("extra", [False, True])
def test_dense_hessian_kappa_37_optimal_and_off_optimal(extra):
    """Review case (in no issue): Polyak-tuned Adam, GD-tuned RMSprop, and an untuned Adam whose
    rate is the spectral radius of heavy ball with h = lr (1 - beta1)/eps, momentum beta1
    (roots of z^2 - (1 + beta1 - h lam) z + beta1, typed in here)."""
    from symadam.rates.adam_iterate_mp import measure_local_rate

    obj = _householder_objective([1, 5, 37], extra)
    p = polyak(37, "0.5")
    th0 = ["0.02", "-0.03", "0.01"]
    res = measure_local_rate(obj, th0, lr=p["lr"], beta1=p["beta1"], beta2="0.7", eps="0.5")
    assert agreeing_digits(res["rate"], p["rho"]) >= 6          # double root: ~ 7 digits
    res = measure_local_rate(obj, th0, lr=p["lr_gd"], beta1=0, beta2="0.9", eps="0.5")
    assert agreeing_digits(res["rate"], p["rho_gd"]) >= 12      # simple roots +-36/38
    res = measure_local_rate(obj, th0, lr="0.02", beta1="0.3", beta2="0.5", eps="0.5",
                             double_root=False)
    with mpmath.workdps(50):
        h, b = mpf("0.02") * mpf("0.7") / mpf("0.5"), mpf("0.3")
        rho = max(abs(z) for lam in (1, 5, 37)
                  for z in mpmath.polyroots([1, -(1 + b - h * lam), b]))
    assert agreeing_digits(res["rate"], rho) >= 12


def test_precise_local_rate_reaches_the_working_precision():
    """Started deep in the local regime, each eigen-coordinate follows its linear recurrence
    to the working precision: Polyak's rate (typed in) to >= dps - 5 digits at kappa = 1000."""
    from symadam.rates.adam_iterate_mp import precise_local_rate

    p = polyak(1000, "10", dps=80)
    res = precise_local_rate(["1", "1000"], lr=p["lr"], beta1=p["beta1"], beta2="0.95",
                             eps="10", dps=70)
    assert all(agreeing_digits(r, p["rho"]) >= 65 for r in res["rates"])
    assert res["max_offset"] < mpf(10) ** -75
    res = precise_local_rate(["1", "1000"], lr=p["lr_gd"], beta1=0, beta2="0.95", eps="10",
                             dps=70)
    assert all(agreeing_digits(r, p["rho_gd"]) >= 65 for r in res["rates"])


def test_mpmath_route_equals_the_exact_map_step_by_step():
    """The first steps of the mpmath iteration against the exact sympy map (nested radicals)."""
    import sympy

    from symadam.rates.adam_linearization import exact_iterates

    for method, b1, inside in (("adam", "0.9", False), ("rmsprop", "0", False),
                               ("adam", "0.5", True)):
        p = dict(lr="0.05", beta1=b1, beta2="0.9", eps="0.1")
        ex = exact_iterates(method, ["2", "3"], ["0.3", "-0.7"], 4, eps_inside=inside, **p)
        run = adam_iterate(diagonal_quadratic(["2", "3"]), ["0.3", "-0.7"], 4, dps=60,
                           eps_inside=inside, **p)
        with mpmath.workdps(70):
            for n in range(5):
                for i in range(2):
                    exact = mpf(str(sympy.N(ex[n][i], 70)))
                    assert agreeing_digits(run.theta[n][i], exact) >= 58, (method, n, i)
