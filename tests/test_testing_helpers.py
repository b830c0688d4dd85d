"""symadam.testing: the public pytest helpers pass on truths and fail, readably, on near misses."""
import re

import mpmath
import pytest
import sympy

from symadam.testing import assert_digits, assert_equal, assert_rate

kappa = sympy.Symbol("kappa", positive=True)
eps, b1, gam = sympy.symbols("eps beta1 gamma", positive=True)


def test_assert_equal_passes_on_an_identity_with_radicals():
    s = sympy.sqrt(kappa)
    assert assert_equal(((s - 1) / (s + 1)) ** 2, (kappa + 1 - 2 * s) / (kappa + 1 + 2 * s))


def test_assert_equal_rejects_a_near_miss_numerically_and_shows_latex():
    with pytest.raises(AssertionError) as e:
        assert_equal(gam * (1 - b1) / eps, gam * (1 - b1) / eps + sympy.Rational(1, 10**40))
    msg = str(e.value)
    assert r"\frac{\gamma \left(1 - \beta_1\right)}{\varepsilon}" in msg   # LaTeX, table applied
    assert not re.search(r"(?<![\\\w])eps", msg) and "**" not in msg
    assert "a - b = " in msg


def test_assert_equal_catches_what_only_the_points_see():
    """A difference of 10^-60 passes at digits=50 and fails at digits=70."""
    x = sympy.Symbol("x", positive=True)
    tiny = sympy.Rational(1, 10**60)
    with pytest.raises(AssertionError, match="no targeted canonical form"):
        assert_equal(x, x + tiny, digits=50)
    with pytest.raises(AssertionError, match="at x = "):
        assert_equal(x, x + tiny, digits=70)


def test_assert_rate_uses_the_engine():
    s = sympy.sqrt(kappa)
    assert_rate("heavy-ball", (s - 1) / (s + 1))
    with pytest.raises(AssertionError) as e:
        assert_rate("nesterov", (s - 1) / (s + 1))       # Nesterov is slower than heavy ball
    assert r"\rho = " in str(e.value) and "nesterov" in str(e.value)


def test_assert_digits():
    with mpmath.workdps(60):
        pi = "3.14159265358979323846264338327950288419716939937510582097494"
        assert assert_digits(mpmath.pi, pi, 55) >= 55
        with pytest.raises(AssertionError, match="to 19 significant digits, 20 required"):
            assert_digits(mpmath.mpf(2) / 3 * (1 + mpmath.mpf(10) ** -19), mpmath.mpf(2) / 3, 20)
    with pytest.raises(ValueError, match="digits must be a positive integer"):
        assert_digits(1, 1, 0)
    assert assert_digits(sympy.Rational(1, 3), "0.33333333333", 10) == 10
