"""Routes of the bounds topic not covered elsewhere: the analytic gradient of the search, the
random sweep, the running-Adam RMS simulation behind ``bounds.no_limit``, the kernel's
Laplace identity, and the input limits (each against a value computed here by another
route, with a negative control showing the check can fail)."""
import math

import mpmath
import numpy as np
import pytest
import sympy
from sympy import Rational as R

from symadam.avf.laws import parse_data
from symadam.bounds.rms import derive_rms
from symadam.bounds.search_np import moment_weights, random_sweep, ratio_and_grad
from symadam.bounds.sim_np import adam_step_rms
from symadam.bounds.step import exact_number


def _cn(b1, b2, n):
    """C_n summed term by term in mpmath (a_k^2/b_k), independent of the closed form."""
    with mpmath.workdps(30):
        b1, b2 = mpmath.mpf(b1), mpmath.mpf(b2)
        a = [(1 - b1) * b1**(n - k) / (1 - b1**n) for k in range(1, n + 1)]
        b = [(1 - b2) * b2**(n - k) / (1 - b2**n) for k in range(1, n + 1)]
        return float(mpmath.sqrt(mpmath.fsum(x * x / y for x, y in zip(a, b))))


def test_gradient_of_the_search_matches_central_differences():
    rng = np.random.default_rng(7)
    a, b = moment_weights(0.8, 0.95, 6)
    G = rng.standard_normal((5, 6))
    Rv, dR = ratio_and_grad(G, a, b)
    h = 1e-6
    fd = np.empty_like(G)
    for j in range(6):
        E = np.zeros(6)
        E[j] = h
        fd[:, j] = ((G + E) @ a / np.sqrt(((G + E)**2) @ b)
                    - (G - E) @ a / np.sqrt(((G - E)**2) @ b)) / (2 * h)
    assert np.abs(dR - fd).max() < 1e-7
    assert np.abs(fd).max() > 0.05                     # not a comparison of zeros
    assert np.allclose(Rv, G @ a / np.sqrt((G * G) @ b), rtol=1e-14)


@pytest.mark.parametrize("b1, b2, n", [(0.9, 0.999, 20), (0.5, 0.9, 12)])
def test_random_sweep_never_exceeds_and_geometric_family_reaches(b1, b2, n):
    cn = _cn(b1, b2, n)
    out = random_sweep(b1, b2, n, 4000, seed=5)
    assert max(out.values()) <= cn * (1 + 1e-12)
    assert out["geometric"] >= cn * (1 - 1e-4)         # q near beta2/beta1 is drawn
    # control: C_inf instead of C_n (n small, beta1^2 < beta2) would not be reached
    with mpmath.workdps(30):
        ci = float((1 - mpmath.mpf(b1)) / mpmath.sqrt((1 - mpmath.mpf(b2))
                                                      * (1 - mpmath.mpf(b1)**2 / b2)))
    assert out["geometric"] < ci * (1 - 1e-3)


def test_running_adam_rms_equals_the_pm1_closed_form():
    """gamma_n = lr (1 + n^-1/2): the RMS step / gamma_n stays sqrt((1-b1)/(1+b1)) (Rademacher,
    eps = 0), run by run, and the iterates keep a spread: no limit."""
    law = parse_data("rademacher")
    out = adam_step_rms(law, 0.0, 1e-4, 0.9, 0.99, 0.0, 6000, 32, seed=3)
    want = math.sqrt(0.1 / 1.9)                         # sum_k a_k^2 = (1-b1)/(1+b1)
    assert abs(out["mean"] - want) < 4 * out["se"] + 2e-3
    assert out["per_run"].min() > 0.8 * want
    assert out["spread"] > 0 and 0.5 < out["spread"] / out["spread_mid"] < 2
    # control: beta1 = 0.5 gives sqrt(1/3), many standard errors away from the 0.9 value
    other = adam_step_rms(law, 0.0, 1e-4, 0.5, 0.99, 0.0, 6000, 32, seed=3)
    assert abs(other["mean"] - math.sqrt(1 / 3)) < 4 * other["se"] + 2e-3
    assert abs(other["mean"] - want) > 50 * other["se"]
    with pytest.raises(ValueError, match="of memory, more than the limit"):
        adam_step_rms(law, 0.0, 1e-4, 0.9, 0.99, 0.0, 10, 10**12, seed=0)


def test_kernel_laplace_identity_in_sympy_and_by_quadrature():
    """K2 is the inverse Laplace transform of 1/(eps + sqrt v)^2: at eps = 0 by sympy, at
    eps > 0 by mpmath quadrature (the derived expression, not the module's mpmath kernel)."""
    K2 = derive_rms().results["K2"]
    e = next(s for s in K2.free_symbols if s.name == "eps")
    u = next(s for s in K2.free_symbols if s.name == "u")
    assert sympy.limit(K2, e, 0) == 1
    f = sympy.lambdify((u, e), K2, "mpmath")
    with mpmath.workdps(30):
        for ee, v in (("0.3", "1.5"), ("2", "0.2")):
            ee, v = mpmath.mpf(ee), mpmath.mpf(v)
            q = mpmath.quad(lambda w: 2 * w * f(w * w, ee) * mpmath.exp(-w * w * v),
                            [0, 1, 4, mpmath.inf])
            assert abs(q * (ee + mpmath.sqrt(v))**2 - 1) < mpmath.mpf(10)**-20
            # control: the other convention, eps inside the root, differs at order 1e-1
            assert abs(q * (ee + v) - 1) > 1e-2


@pytest.mark.parametrize("text, msg", [
    ("1e1000000000", "the limit"), ("1e-1000000000", "the limit"), ("1" * 1001, "characters"),
    ("1e1001", "the limit"), ("-1e-1001", "the limit"),
])
def test_huge_numbers_refused_before_work(text, msg):
    with pytest.raises(ValueError, match=msg):
        exact_number("gamma", text)


def test_numbers_at_the_limit_accepted():
    assert exact_number("gamma", "1e1000") == sympy.Integer(10)**1000
    assert exact_number("gamma", "-1e-1000") == -R(1, 10**1000)
    assert exact_number("gamma", "0e5") == 0
