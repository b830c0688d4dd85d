"""Every high-precision decimal a command prints is right to its last printed digit.

For each command printing decimal strings (``rate --json``, ``avf eval/zero/bias --json``,
``existence --json``), the printed value is recomputed here at higher precision by an
independent route (a typed-in closed form from the literature, an exact sympy integral of the
printed exact network, or a fresh mpmath quadrature of the Adam vector field) and every printed
digit is compared: the printed string must be the correctly rounded value, i.e. within half a
unit of its last digit.  ``morse --json`` prints float64 statistics only (no high-precision
decimal fields), so it has no case here.
"""
from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal

import mpmath
import pytest
import sympy

from symadam.cli import main


def _run(capsys, argv) -> dict:
    assert main(argv + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def avf_zero_out() -> dict:
    """One ``avf zero --json`` run shared by the zero's digit checks (it takes seconds)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["avf", "zero", "--data", "bernoulli:0.1", "--beta1", "0.25",
                     "--beta2", "0.25", "--dps", "15", "--json"]) == 0
    return json.loads(buf.getvalue())


def _ulp(printed: str) -> tuple[int, int]:
    """(number of significant digits, decimal exponent of the last printed digit)."""
    sign, digits, exp = Decimal(printed).as_tuple()
    lead = next((i for i, d in enumerate(digits) if d), len(digits))
    return len(digits) - lead, exp


def assert_digits(printed: str, exact, what: str, min_digits: int = 15) -> None:
    """``printed`` is ``exact`` correctly rounded to the digits printed (within half an ulp).

    ``exact`` is an mpf or a sympy number (evaluated here with 30 guard digits).
    """
    n, exp = _ulp(printed)
    assert n >= min_digits, f"{what}: only {n} significant digits printed ({printed})"
    with mpmath.workdps(n + 30):
        x = exact if isinstance(exact, mpmath.mpf) else mpmath.mpf(
            str(sympy.N(exact, n + 30)))
        err = abs(mpmath.mpf(printed) - x)
        half_ulp = mpmath.mpf(10) ** exp / 2
        assert err <= half_ulp * (1 + mpmath.mpf(10) ** -6), (
            f"{what}: printed {printed}, value {mpmath.nstr(x, n + 5)}: off by "
            f"{mpmath.nstr(err / (2 * half_ulp), 3)} units of the last printed digit")


def test_assert_digits_rejects_a_wrong_last_digit():
    assert_digits("0.33333333333333333333", sympy.Rational(1, 3), "1/3")
    assert_digits("0.66666666666666666667", sympy.Rational(2, 3), "2/3")   # rounded up: right
    with pytest.raises(AssertionError, match="units of the last printed digit"):
        assert_digits("0.66666666666666666666", sympy.Rational(2, 3), "2/3")  # truncated
    with pytest.raises(AssertionError, match="units of the last printed digit"):  # issue 17
        assert_digits("-0.00366972477064220203857303204131", sympy.Rational(-2, 545), "bias")
    with pytest.raises(AssertionError, match="significant digits"):
        assert_digits("0.5", sympy.Rational(1, 2), "half")


# ---- symadam rate: the closed-form rates of the literature, typed in ----------------------
K = sympy.Symbol("kappa", positive=True)
_RATES = {   # GD; Polyak's heavy ball (= Adam's local rate, arXiv 2504.19426); Nesterov (LRP 2016)
    "gd": (K - 1) / (K + 1),
    "heavy-ball": (sympy.sqrt(K) - 1) / (sympy.sqrt(K) + 1),
    "nesterov": 1 - 2 / sympy.sqrt(3 * K + 1),
    "adam": (sympy.sqrt(K) - 1) / (sympy.sqrt(K) + 1),
    "rmsprop": (K - 1) / (K + 1),
}


@pytest.mark.parametrize("method, kappa, dps", [
    ("gd", "7/3", None), ("heavy-ball", "100", None), ("nesterov", "12.5", "60"),
    ("adam", "37", "40"), ("rmsprop", "2.25", "30"),
])
def test_rate_digits(capsys, method, kappa, dps):
    argv = ["rate", method, "--kappa", kappa] + (["--dps", dps] if dps else [])
    out = _run(capsys, argv)
    exact = _RATES[method].subs(K, sympy.Rational(kappa))
    assert_digits(out["rate_at_kappa"], exact, f"rate {method} kappa={kappa}",
                  min_digits=int(dps or 50))


# ---- symadam avf: the first-order bias (typed-in formula) and the field (fresh quadrature) --
def _first_order_bias(p, beta1, beta2, J=1):
    """``-c_ab kappa3(X) / (2 J Var X)`` at eps = 0, Bernoulli(p) data (arXiv 2511.06675)."""
    b1, b2, p = (sympy.Rational(v) for v in (beta1, beta2, p))
    c_ab = (1 - b1) * (1 - b2) / (1 - b1 * b2)
    var, k3 = p * (1 - p), p * (1 - p) * (1 - 2 * p)
    return -c_ab * k3 / (2 * J * var)


def test_first_order_bias_formula_is_the_documented_value():
    assert _first_order_bias("0.1", "0.9", "0.99") == sympy.Rational(-2, 545)


def test_avf_bias_digits(capsys):
    out = _run(capsys, ["avf", "bias", "--data", "bernoulli:0.1", "--beta2", "0.99"])
    assert sympy.Rational(out["first_order_bias_exact"]) == sympy.Rational(-2, 545)
    assert_digits(out["first_order_bias"], _first_order_bias("0.1", "0.9", "0.99"),
                  "avf bias first_order_bias")


def avf_discrete(atoms, theta, beta1, beta2, dps: int) -> mpmath.mpf:
    """Adam's vector field ``A(theta) = E[M/sqrt V]`` (eps = 0) of a discrete law, afresh.

    ``1/sqrt(v) = int_0^oo (pi u)^(-1/2) e^(-uv) du`` and independence over the history give
    ``A = int_0^oo (pi u)^(-1/2) P(u) S(u) du`` with ``P = prod_j phi(u b_j)``,
    ``S = sum_k a_k psi(u b_k)/phi(u b_k)``, ``phi(c) = E e^(-c G^2)``,
    ``psi(c) = E G e^(-c G^2)``, ``G = theta - X``; substituting ``u = w^2``, the product and
    sum are run until both weights are below ``10^-(dps+8)`` and ``mpmath.quad`` integrates
    (``P`` decays like ``exp(-u min G^2)``).
    """
    with mpmath.workdps(dps + 8):
        th, b1, b2 = (mpmath.mpf(sympy.Rational(v).p) / sympy.Rational(v).q
                      for v in (theta, beta1, beta2))
        gs = [(th - mpmath.mpf(x), mpmath.mpf(p)) for x, p in atoms]
        m2 = mpmath.fsum(p * g * g for g, p in gs)
        tiny = mpmath.mpf(10) ** (-(dps + 8))

        def integrand(w):
            u = w * w
            P, S, a, b = mpmath.mpf(1), mpmath.mpf(0), 1 - b1, 1 - b2
            while True:
                es = [(g, p, mpmath.exp(-u * b * g * g)) for g, p in gs]
                phi = mpmath.fsum(p * e for g, p, e in es)
                P *= phi
                S += a * mpmath.fsum(p * g * e for g, p, e in es) / phi
                if u * b * m2 < tiny and a < tiny:
                    return P * S
                a, b = a * b1, b * b2

        top = 2 * mpmath.sqrt((dps + 20) * mpmath.log(10) / min(g * g for g, _ in gs))
        return 2 / mpmath.sqrt(mpmath.pi) * mpmath.quad(integrand, [0, top / 8, top / 2, top])


_BERN = [(0, "9/10"), (1, "1/10")]


def test_avf_eval_digits(capsys):
    out = _run(capsys, ["avf", "eval", "--data", "bernoulli:0.1", "--theta", "0.3",
                        "--beta1", "0.25", "--beta2", "0.25", "--dps", "20"])
    assert out["digits"] == 20
    assert_digits(out["value"], avf_discrete(_BERN, "0.3", "0.25", "0.25", 30), "avf eval value")


def _brackets_root(printed: str, offset, what: str) -> None:
    """The field changes sign across ``offset + printed +- half an ulp`` (a correctly rounded
    zero), evaluated by :func:`avf_discrete` at 12 digits beyond the printed ones."""
    n, exp = _ulp(printed)
    with mpmath.workdps(n + 30):
        centre = mpmath.mpf(printed) + offset
        half = mpmath.mpf(10) ** exp / 2
        lo, hi = (sympy.Rational(mpmath.nstr(centre + s * half, n + 25)) for s in (-1, 1))
    a_lo = avf_discrete(_BERN, lo, "0.25", "0.25", n + 12)
    a_hi = avf_discrete(_BERN, hi, "0.25", "0.25", n + 12)
    assert a_lo < 0 < a_hi, f"{what} = {printed}: A has no sign change within half an ulp " \
                            f"(A = {mpmath.nstr(a_lo, 5)}, {mpmath.nstr(a_hi, 5)})"


@pytest.mark.slow   # minutes on a loaded 2-core machine: the zero and four field quadratures
def test_avf_zero_digits(avf_zero_out):
    out = avf_zero_out
    assert out["digits"] == 15 and sympy.Rational(out["minimizer"]) == sympy.Rational(1, 10)
    _brackets_root(out["zero"], 0, "zero")
    _brackets_root(out["bias"], mpmath.mpf(1) / 10, "bias (zero - minimizer)")


@pytest.mark.slow
def test_avf_zero_first_order_bias_digits(avf_zero_out):
    exact = _first_order_bias("0.1", "0.25", "0.25")
    printed = avf_zero_out["first_order_bias"]
    assert exact == sympy.Rational(-6, 25)  # a terminating decimal: printed exactly
    assert sympy.Rational(printed) == exact, printed


# ---- symadam existence: exact risk of the printed exact network, exact norm ---------------
X = sympy.Symbol("x", real=True)


def _relu_risk(theta, target, breaks=()) -> sympy.Expr:
    """``int_0^1 (N(x) - f(x))^2 dx`` of ``N = c + sum v_j relu(w_j x + b_j)``, exactly: the
    integrand is a polynomial between the kinks ``-b_j/w_j`` and the target's ``breaks``."""
    m = (len(theta) - 1) // 3
    w, b, v, c = theta[:m], theta[m:2 * m], theta[2 * m:3 * m], theta[-1]
    pts = sorted({sympy.Integer(0), sympy.Integer(1), *breaks,
                  *(-bj / wj for wj, bj in zip(w, b) if wj != 0 and 0 < -bj / wj < 1)})
    total = sympy.Integer(0)
    for lo, hi in zip(pts[:-1], pts[1:]):
        mid = (lo + hi) / 2
        net = c + sum(vj * (wj * X + bj) for wj, bj, vj in zip(w, b, v) if wj * mid + bj > 0)
        total += sympy.integrate(sympy.expand((net - target(mid)) ** 2), (X, lo, hi))
    return sympy.radsimp(total)


def _params(out) -> list:
    from symadam.core.expr import parse_expression

    return [parse_expression(p, (), name="parameter") for p in out["parameters"]]


@pytest.mark.parametrize("target, width, f, breaks", [
    ("x**2", 1, lambda mid: X ** 2, ()),
    ("Abs(x - 1/2)", 1, lambda mid: abs(mid - sympy.Rational(1, 2)) / (mid - sympy.Rational(
        1, 2)) * (X - sympy.Rational(1, 2)), (sympy.Rational(1, 2),)),
    ("Heaviside(x - 1/2)", 2, lambda mid: sympy.Integer(1 if mid > sympy.Rational(1, 2) else 0),
     (sympy.Rational(1, 2),)),
])
def test_existence_relu_digits(capsys, target, width, f, breaks):
    out = _run(capsys, ["existence", "--activation", "relu", "--target", target,
                        "--width", str(width)])
    theta = _params(out)
    risk = _relu_risk(theta, f, breaks)
    assert_digits(out["best_risk"], risk, f"existence {target} best_risk", min_digits=30)
    if out["attained"]:
        from symadam.core.expr import parse_expression

        inf = parse_expression(out["infimum"], (), name="infimum")
        assert sympy.N(inf - risk, 60) == 0 or abs(sympy.N(inf - risk, 60)) < 1e-55
    assert_digits(out["parameter_norm"], sympy.sqrt(sum(t ** 2 for t in theta)),
                  f"existence {target} parameter_norm", min_digits=20)


def test_existence_smooth_digits(capsys):
    from symadam.existence.smooth_exact import polynomial_sequence

    out = _run(capsys, ["existence", "--activation", "tanh", "--target", "x**2",
                        "--width", "2"])
    seq = polynomial_sequence("tanh", X ** 2, (0, 1))
    h = sympy.Rational(out["evidence"]["h"])
    theta = [sympy.sympify(t).subs(seq["h"], h) for t in seq["theta"]]
    for printed, t in zip(out["parameters"], theta):
        assert_digits(printed, t, "existence tanh parameter", min_digits=20)
    assert_digits(out["parameter_norm"], sympy.sqrt(sum(t ** 2 for t in theta)),
                  "existence tanh parameter_norm", min_digits=20)
    # the risk of the exact network: mpmath quadrature at 60 digits (sum cancels ~ 6 digits)
    m = (len(theta) - 1) // 3
    with mpmath.workdps(60):
        tv = [mpmath.mpf(str(sympy.N(t, 80))) for t in theta]
        w, b, v, c = tv[:m], tv[m:2 * m], tv[2 * m:3 * m], tv[-1]
        risk = mpmath.quad(lambda x: (c + mpmath.fsum(
            vj * mpmath.tanh(wj * x + bj) for wj, bj, vj in zip(w, b, v)) - x * x) ** 2, [0, 1])
    assert_digits(out["best_risk"], risk, "existence tanh best_risk", min_digits=20)
