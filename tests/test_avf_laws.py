"""Data laws, batch means and Laplace functionals of the Adam vector field."""
import mpmath
import pytest
import sympy

from symadam.avf.laplace import THETA, C, derive_laplace, erfcx, laplace_functionals
from symadam.avf.laws import parse_data
from symadam.core import assert_identity


@pytest.mark.parametrize("spec, msg", [
    ("bernoulli:-0.1", "bernoulli p"),
    ("discrete:0,1@1/2,1/3", "sum to 1 exactly"),
    ("discrete:0,1@0.5,0.6", "to 1e-12"),
    ("discrete:0,1@-1/2,3/2", "non-negative"),
    ("discrete:0,1@1", "support points"),
    ("normal:0,-1", "normal s"),
    ("exponential:0", "exponential rate"),
    ("uniform:1,0", "a < b"),
    ("poisson:1", "data spec must be one of"),
    ("bernoulli:abc", "bernoulli p must be a number"),
])
def test_bad_specs(spec, msg):
    with pytest.raises(ValueError, match=msg):
        parse_data(spec)


def test_float_probabilities_are_normalised():
    law = parse_data("discrete:0,1@0.3333333333333,0.6666666666667")
    assert sum(p for _, p in law.atoms) == 1


def test_bernoulli_batch_mean_is_binomial():
    p = sympy.Rational(1, 10)
    law = parse_data("bernoulli:0.1").batch_mean(5)
    for x, q in law.atoms:
        k = int(x * 5)
        assert q == sympy.binomial(5, k) * p**k * (1 - p)**(5 - k)


def test_batch_mean_moments_scale():
    law = parse_data("discrete:-1,0,3@1/2,1/4,1/4")
    for J in (2, 3):
        b = law.batch_mean(J)
        assert b.mean() == law.mean()
        assert b.variance() == law.variance() / J
        assert b.central_moment(3) == law.central_moment(3) / J**2
    g = parse_data("exponential:2").batch_mean(3)
    assert g.variance() == parse_data("exponential:2").variance() / 3


def test_batch_errors():
    with pytest.raises(ValueError, match="J"):
        parse_data("bernoulli:0.5").batch_mean(0)
    with pytest.raises(ValueError, match="already a batch mean"):
        parse_data("exponential:1").batch_mean(2).batch_mean(2)


def test_moments_against_integration():
    x = sympy.Symbol("x", real=True)
    for spec, dens, lo, hi in (("normal:1,2", sympy.exp(-(x - 1)**2 / 8) / sympy.sqrt(8 * sympy.pi),
                                -sympy.oo, sympy.oo),
                               ("exponential:3", 3 * sympy.exp(-3 * x), 0, sympy.oo),
                               ("uniform:-1,2", sympy.Rational(1, 3), -1, 2)):
        law = parse_data(spec)
        for n in (1, 2, 3, 4):
            moment = sympy.integrate(x**n * dens, (x, lo, hi))
            assert sympy.simplify(moment - law.raw_moment(n)) == 0


def test_erfcx_derivative():
    z = sympy.Symbol("z", positive=True)
    assert_identity(erfcx(z).diff(z).rewrite(sympy.erfc),
                    sympy.diff(sympy.exp(z**2) * sympy.erfc(z), z))


def test_normal_closed_form_equals_sympy_integral():
    law = parse_data("normal:1/2,3/2")
    phi, psi = laplace_functionals(law)
    d = derive_laplace(law)
    for mine, theirs in ((phi, d.results["phi"]), (psi, d.results["psi"])):
        Q = sympy.Rational
        for c, th in ((Q(1, 7), Q(-3, 2)), (Q(3), Q(2, 3)), (Q(1, 100), Q(1, 3)), (Q(40), Q(2))):
            assert abs(sympy.N((mine - theirs).subs({C: c, THETA: th}), 60)) < 1e-50


@pytest.mark.parametrize("spec, J",
                         [("uniform:-1,3", 1), ("exponential:2", 1), ("exponential:1", 3)])
def test_closed_forms_against_quadrature(spec, J):
    law = parse_data(spec).batch_mean(J)
    phi, psi = (e.rewrite(sympy.erfc) for e in laplace_functionals(law))
    with mpmath.workdps(40):
        if law.kind == "uniform":
            a, b = (mpmath.mpf(int(v)) for v in law.params)
            dens, pts = (lambda t: 1 / (b - a)), [a, b]
        else:
            k, lam = (1, 2) if law.kind == "exponential" else (3, 3)
            dens = lambda t: lam**k * t**(k - 1) * mpmath.exp(-lam * t) / mpmath.factorial(k - 1)  # noqa
            pts = [0, 1, 5, mpmath.inf]
        Q = sympy.Rational
        for c, th in ((Q(1, 1000), Q(-1, 5)), (Q(3, 10), Q(7, 10)), (Q(20), Q(5, 2)),
                      (Q(4), Q(-3, 2))):
            cm, tm = mpmath.mpf(c.p) / c.q, mpmath.mpf(th.p) / th.q
            q0 = mpmath.quad(lambda t: mpmath.exp(-cm * (tm - t)**2) * dens(t), pts)
            q1 = mpmath.quad(lambda t: (tm - t) * mpmath.exp(-cm * (tm - t)**2) * dens(t), pts)
            v0 = mpmath.mpf(str(sympy.N(phi.subs({C: c, THETA: th}), 45)))
            v1 = mpmath.mpf(str(sympy.N(psi.subs({C: c, THETA: th}), 45)))
            assert abs(q0 - v0) < mpmath.mpf(10)**-30
            assert abs(q1 - v1) < mpmath.mpf(10)**-30
