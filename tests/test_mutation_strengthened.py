"""Checks strengthened after the mutation benchmark (``benchmarks/bench_mutations.py``).

Each test injects the benchmark's fault (as a sabotage patch of the route the claim calls) and
shows that the claim's unchanged check now reports ``failed``; before the change it verified.
"""
from __future__ import annotations

import numpy as np

from symadam.core import load_all
from symadam.core.record import CheckContext, Sabotage
from symadam.core.registry import check_one
from symadam.core.sabotage import sabotaged


def _status_under(claim_id: str, patch: dict, dps: int = 30) -> str:
    c = load_all()[claim_id]
    ctx = CheckContext(c.id, dps=dps, seed=0)
    with sabotaged(c, Sabotage("mutation-benchmark fault", patch)):
        return check_one(c, ctx).status


def test_gauss_newton_matrix_factor_is_checked():
    """Fault ``morse-gauss-newton-factor``: the exact ``(1/n) J^T J`` (factor 2 dropped)."""
    def half(orig):
        def wrong(*a, **k):
            J, G = orig(*a, **k)
            return J, G / 2
        return wrong
    assert _status_under("morse.gauss_newton",
                         {"symadam.morse.hessian_exact:gauss_newton": half}) == "failed"
    c = load_all()["morse.gauss_newton"]
    ev = check_one(c, CheckContext(c.id, dps=30, seed=0))
    assert ev.status == "verified" and ev.details["gauss_newton_matrix_digits"] >= 25


def test_hermite_family_with_the_wrong_quintic_is_not_admissible():
    """Fault ``relu-hermite-quintic``: ``R_r = P(rz)/r`` with the smoothstep quintic
    ``10t^3 - 15t^4 + 6t^5`` (``P'(1) = 0``) while ``R_r'`` keeps the right formula."""
    from symadam.networks.activations import Activation
    from symadam.relu import smooth_np

    def smoothstep(orig):
        def wrong(family, r):
            act = orig(family, r)
            if family != "hermite":
                return act

            def f(z):
                z = np.asarray(z)
                t = r * z
                inside = np.where((t.real > 0) & (t.real < 1), t, 0 * z)
                return np.where(t.real >= 1, z,
                                inside ** 3 * (10 + inside * (-15 + 6 * inside)) / r)
            return Activation(act.name, f, act.d1, act.d2, act.analytic, act.odd)
        return wrong

    a = smooth_np.admissibility("hermite", [1e2])
    assert a["d1_consistency"][0] < 1e-12
    with sabotaged(load_all()["relu.approximation"],
                   Sabotage("smoothstep", {"symadam.relu.smooth_np:smooth_relu": smoothstep})):
        bad = smooth_np.admissibility("hermite", [1e2])
    assert bad["d1_consistency"][0] > 0.1
    assert _status_under("relu.approximation",
                         {"symadam.relu.smooth_np:smooth_relu": smoothstep}) == "failed"


def test_agreeing_digits_counts_relative_digits_exactly():
    """Faults ``core-digits-overcount`` / ``core-digits-absolute``: a lenient comparator cannot
    make ``verify`` fail (every check still passes), so the helper's own count is pinned here:
    significant digits relative to the larger magnitude, neither more nor fewer."""
    import mpmath

    from symadam.core.identity import agreeing_digits

    with mpmath.workdps(40):
        assert agreeing_digits(mpmath.mpf("123456.7"), mpmath.mpf("123456.8")) == 6
        assert agreeing_digits(mpmath.mpf("0.001234567"), mpmath.mpf("0.001234568")) == 6
        assert agreeing_digits(mpmath.mpf(10) ** 30, mpmath.mpf(10) ** 30 + 1) == 30
        assert agreeing_digits(mpmath.mpf(2), mpmath.mpf(3)) == 0
        assert agreeing_digits(mpmath.mpf(1) / 3, mpmath.mpf(1) / 3) == 999
