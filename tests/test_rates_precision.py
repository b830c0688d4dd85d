"""The independent mpmath routes: spectral radii and iteration."""
import itertools

import mpmath
import pytest

from symadam.rates.iterate_mp import (
    empirical_rate,
    envelope_rate,
    get_mp_method,
    grid_rates,
    run_diagonal,
)
from symadam.rates.spectral_mp import iteration_matrix, spectral_radius, worst_case_radius


def _polyak(k):
    s = mpmath.sqrt(k)
    return {"h": 4 / (s + 1) ** 2, "beta": ((s - 1) / (s + 1)) ** 2}, (s - 1) / (s + 1)


def _lrp(k):
    s = mpmath.sqrt(3 * k + 1)
    return {"h": 4 / (3 * k + 1), "beta": (s - 2) / (s + 2)}, 1 - 2 / s


def test_iteration_matrix_is_built_from_the_recurrence():
    with mpmath.workdps(30):
        M = iteration_matrix("nesterov", 3, {"h": "0.1", "beta": "0.5"}, dps=30)
        t = 1 - 3 * mpmath.mpf("0.1")
        tol = mpmath.mpf(10) ** -28
        assert abs(M[0, 0] - 1.5 * t) < tol and abs(M[0, 1] + mpmath.mpf("0.5") * t) < tol
        assert M[1, 0] == 1 and M[1, 1] == 0


def test_double_root_cluster_is_resolved_to_full_precision():
    # (z - 0.9)^2 as a companion matrix: a Jordan block; raw eigenvalues split by ~1e-25
    with mpmath.workdps(50):
        J = mpmath.matrix([[mpmath.mpf("1.8"), -mpmath.mpf("0.81")], [1, 0]])
        assert abs(spectral_radius(J, 50) - mpmath.mpf("0.9")) < mpmath.mpf(10) ** -48


@pytest.mark.parametrize("kappa", ["2.5", "137.25"])
def test_spectral_route_heavy_ball_and_nesterov_45_digits(kappa):
    with mpmath.workdps(60):
        k = mpmath.mpf(kappa)
        for name, tuner in (("heavy-ball", _polyak), ("nesterov", _lrp)):
            params, rho = tuner(k)
            worst, radii = worst_case_radius(name, params, 1, k, points=17, dps=50)
            assert abs(worst - rho) < rho * mpmath.mpf(10) ** -45
            assert all(r <= rho * (1 + mpmath.mpf(10) ** -45) for _, r in radii)


def test_iteration_route_fits_n_rho_n():
    with mpmath.workdps(60):
        k = mpmath.mpf("40.5")
        for name, tuner in (("heavy-ball", _polyak), ("nesterov", _lrp)):
            params, rho = tuner(k)
            e = run_diagonal(name, [1, 7, 30, k], params, 2000, [1, "0.7", "1.3", "0.9"], dps=50)
            rho_hat, q = empirical_rate(e, dps=50)
            assert abs(rho_hat / rho - 1) < 1e-6
            assert abs(q - 2) < 0.01  # e_n ~ n rho^n: a double root


def test_envelope_rate_error_is_within_its_resolution():
    # against exact spectral radii, on a grid of non-optimal tunings
    k = mpmath.mpf(20)
    params, _ = _polyak(k)
    for fh, fb in itertools.product((0.9, 1.05), (0.8, 1.02)):
        c = {"h": params["h"] * fh, "beta": params["beta"] * fb}
        w, _ = worst_case_radius("heavy-ball", c, 1, k, points=9, dps=30)
        e = run_diagonal("heavy-ball", [1, 5, k], c, 600, [1, 1, 1], dps=30)
        assert abs(envelope_rate(e) - w) < 4 * w / 600


def test_no_grid_tuning_beats_polyak():
    k = mpmath.mpf(30)
    params, rho = _polyak(k)
    rows = grid_rates("heavy-ball", params, [1, 4, k], [1, 1, 1], (0.95, 1, 1.05), steps=600,
                      upper={"beta": 1})
    others = [(c, r, res) for c, r, res in rows
              if (c["h"], c["beta"]) != (params["h"], params["beta"])]
    assert len(others) == 8
    assert all(r > rho - res for _, r, res in others)


def test_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        get_mp_method("sgd")
    with pytest.raises(ValueError, match="dps"):
        run_diagonal("gd", [1], {"h": 1}, 3, [1], dps=5)
    with pytest.raises(ValueError, match="theta0"):
        run_diagonal("gd", [1, 2], {"h": 1}, 3, [1], dps=20)
    with pytest.raises(ValueError, match="points"):
        worst_case_radius("gd", {"h": 1}, 1, 2, points=1)


def test_bad_input_named():
    """Review regressions: KeyError, mpmath's own message, TypeError, ZeroDivisionError, a
    reversed interval accepted silently, and a misleading 'too short' for exact zeros."""
    cases = [
        (lambda: iteration_matrix("gd", 1, {}), "params must give 'h'"),
        (lambda: iteration_matrix("gd", 1, {"h": "abc"}), r"params\['h'\] must be a real"),
        (lambda: iteration_matrix("gd", "nan", {"h": 1}), "lam must be finite"),
        (lambda: worst_case_radius("gd", {"h": 0.5}, 3, 1), "0 <= mu <= L"),
        (lambda: worst_case_radius("gd", {"h": 0.5}, 1, 3, points=2.5), "points must be"),
        (lambda: envelope_rate(run_diagonal("gd", [1], {"h": 1}, 100, [1], dps=20)), "> 0"),
        (lambda: empirical_rate(run_diagonal("gd", [1], {"h": 1}, 400, [1], dps=20)), "> 0"),
        (lambda: empirical_rate([1] * 100, stride=0), "stride must be"),
        (lambda: grid_rates("gd", {"h": "0.5"}, [1, 3], [1, 1], [1], steps=10), "steps must"),
    ]
    for call, match in cases:
        with pytest.raises(ValueError, match=match):
            call()


def test_minimax_fast_arithmetic_is_mpmath_bit_for_bit():
    """worst_radius runs plain recurrences on gmpy2.mpfr at mpmath's precision: the same
    correctly rounded operations, so every value equals the pure-mpmath path exactly (a copy
    of each recurrence registered without ``plain`` takes the mpmath path)."""
    from symadam.rates.iterate_mp import MpMethod, register_mp_method
    from symadam.rates.minimax_mp import worst_radius

    cases = [("gd", {"h": "0.37"}), ("heavy-ball", {"h": "0.011", "beta": "0.83"}),
             ("heavy-ball", {"h": "0.5", "beta": "0.1"}),
             ("nesterov", {"h": "0.02", "beta": "0.7"})]
    for name, params in cases:
        m = get_mp_method(name)
        assert m.plain
        copy = register_mp_method(MpMethod(name + "-mpmath", m.size, m.step, m.init))
        for dps, kappa in ((25, "37.5"), (50, "1e4")):
            fast = worst_radius(name, params, 1, kappa, dps=dps, points=24)
            slow = worst_radius(copy.name, params, 1, kappa, dps=dps, points=24)
            assert fast == slow and isinstance(fast[0], mpmath.mpf)
