"""Claims about the Adam vector field (arXiv 2407.21078, 2511.04622, 2511.06675, 2407.08100).

Convention [reconstructed, docs/conventions.md]: ``A(theta) = E[M/(eps + sqrt V)]``
with ``M``, ``V`` the stationary Adam moment estimates built from the same
i.i.d. (batch-mean) gradients.  Each claim wires a derivation
(:mod:`symadam.avf.laplace`, :mod:`symadam.avf.bias`) to an
independent route (mpmath quadrature, brute-force enumeration, Monte Carlo,
simulation) and declares a plausible wrong answer (its sabotage) that the
check must reject.  The simulation claims live in :mod:`symadam.avf.claims_sim`,
imported (and so registered) at the end.
"""
from __future__ import annotations

import dataclasses

import mpmath
import sympy

from ..core import claim
from ..core.derivation import Derivation
from ..core.identity import agreeing_digits
from ..core.record import Sabotage, dps_precision, statistical_precision
from ._law_mp import to_mpf
from .bias import derive_bias, derive_symmetry, first_order_bias
from .checks_mp import density_functionals, finite_history_field, kernel_transform
from .field_mp import (
    AVFValue,
    PrecisionError,
    avf_value,
    avf_zero,
    justified_digits,
    naive_avf_value,
)
from .laplace import (
    THETA,
    C,
    U,
    _density,
    derive_kernel,
    derive_laplace,
    kernel,
    laplace_functionals,
)
from .laws import parse_data
from .lsq_mp import lsq_avf, lsq_gradient

R = sympy.Rational


def _note(dps: int, digits: int | None, why: str) -> dict:
    """Evidence precision of a check that works at a fixed precision, with the reason."""
    return {**dps_precision(dps, digits), "note": why}


# -- sabotages: plausible wrong answers (named in each claim) -----------------------------
def _kernel_eps_inside(_kernel):
    return lambda eps=sympy.Symbol("epsilon", positive=True): (
        sympy.exp(-sympy.sympify(eps) * U) / sympy.sqrt(sympy.pi * U))


def _untilted_normal(orig):
    def functionals(law):
        phi, psi = orig(law)
        if law.kind == "normal":
            return phi, (THETA - law.params[0]) * phi
        return phi, psi
    return functionals


def _ignoring_correlation(_orig):
    def value(data, theta, beta1=0.9, beta2=0.999, eps=0, batch=1, dps=30, **kw):
        v = naive_avf_value(data, theta, eps, batch, dps)
        return AVFValue(theta, v, mpmath.mpf(0), dps, dps)
    return value


def _zero_stopped_early(orig):
    def zero(*args, dps=30, **kw):
        z = orig(*args, dps=dps, **kw)
        with mpmath.workdps(dps + 16):
            zz = z.zero * (1 + mpmath.mpf(10)**(5 - dps))
            return dataclasses.replace(z, zero=zz, bias=z.bias + (zz - z.zero))
    return zero


def _laplace_derivation() -> Derivation:
    d = Derivation("The Adam vector field: per-sample Laplace functionals")
    for spec in ("normal:0,1", "uniform:-1,2", "exponential:2"):
        d.extend(derive_laplace(parse_data(spec)), prefix=f"[{spec}] ")
    return d


@claim("avf.kernel", paper="2407.21078",
       statement=r"$\int_0^\infty K_\varepsilon(u)e^{-uv}du = 1/(\varepsilon+\sqrt v)$ with "
                 r"$K_\varepsilon(u)=(\pi u)^{-1/2}-\varepsilon e^{\varepsilon^2u}"
                 r"\operatorname{erfc}(\varepsilon\sqrt u)$.",
       derive=derive_kernel, precision="dps",
       sabotage=Sabotage("eps inside the root: K(u) = (pi u)^{-1/2} e^{-eps u}, the kernel of "
                         "1/sqrt(eps + v)", {"kernel": _kernel_eps_inside}))
def _kernel(ctx):
    e_sym = sympy.Symbol("e", positive=True)
    K = sympy.lambdify((U, e_sym), kernel(e_sym), modules="mpmath")
    worst = 999
    for e, v in (("0", "2"), ("0.1", "0.5"), ("1e-3", "3"), ("2", "0.25")):
        q = kernel_transform(K, e, v, ctx.dps)
        with mpmath.workdps(ctx.dps + 10):
            worst = min(worst, agreeing_digits(q, 1 / (mpmath.mpf(e) + mpmath.sqrt(mpmath.mpf(v)))))
    worst = min(worst, ctx.dps)   # q carries ctx.dps digits: exact agreement claims no more
    return ctx.evidence(worst >= ctx.dps - 2, "mpmath quadrature of the kernel's Laplace transform "
                        "at four (eps, v)", f"1e-{worst}", worst,
                        precision=dps_precision(ctx.dps, worst))


@claim("avf.laplace", paper="2407.21078",
       statement=r"Closed forms of $E[e^{-cG^2}]$ and $E[Ge^{-cG^2}]$ for normal, uniform, "
                 r"exponential and Gamma (batch-mean) data.",
       derive=_laplace_derivation, precision="dps",
       sabotage=Sabotage("normal data without the tilt: psi = (theta - m) phi instead of "
                         "(theta - m) phi/(1 + 2 c s^2)",
                         {"laplace_functionals": _untilted_normal}))
def _laplace(ctx):
    worst, rows = 999, {}
    x = sympy.Symbol("x", real=True)
    for spec, J in (("normal:1/2,2", 1), ("uniform:-1,3", 1), ("exponential:2", 1),
                    ("exponential:1", 3)):
        law = parse_data(spec).batch_mean(J)
        phi, psi = (e.rewrite(sympy.erfc) for e in laplace_functionals(law))
        dens, (lo, hi) = _density(law)       # the data's density: the input, not the result
        fd = sympy.lambdify(x, dens, modules="mpmath")
        support = tuple(mpmath.inf if t == sympy.oo else -mpmath.inf if t == -sympy.oo else
                        str(t) for t in (lo, hi))
        for c, th in (("0.3", "0.7"), ("4", "-1.5")):
            q0, q1 = density_functionals(fd, support, c, th, ctx.dps)
            at = {C: sympy.Rational(c), THETA: sympy.Rational(th)}
            with mpmath.workdps(ctx.dps + 10):
                v0 = to_mpf(sympy.N(phi.subs(at), ctx.dps + 10))
                v1 = to_mpf(sympy.N(psi.subs(at), ctx.dps + 10))
                d = min(agreeing_digits(q0, v0), agreeing_digits(q1, v1))
            rows[f"{spec} J={J} c={c} theta={th}"] = d
            worst = min(worst, d)
    return ctx.evidence(worst >= ctx.dps - 2, "mpmath quadrature of the defining integrals "
                        "against the density", f"1e-{worst}", worst,
                        precision=dps_precision(ctx.dps, worst), digits_per_case=rows)


@claim("avf.exact", paper="2407.21078",
       statement=r"The Laplace route evaluates $A(\theta)$ exactly: it matches closed forms "
                 r"($G=\pm1$ gives $V\equiv1$, $A=E[G]/(1+\varepsilon)$) and brute-force "
                 r"enumeration of finite histories.",
       derive=derive_kernel, depends_on=("avf.kernel",), precision="dps",
       sabotage=Sabotage("history off by one: the finite-history field sums n + 1 samples",
                         {"symadam.avf._quadrature_mp:AVFIntegrand.head_count":
                          lambda f: (lambda self, u: self.history + 1
                                     if self.history is not None else f(self, u))}))
def _exact(ctx):
    dps = ctx.dps
    worst = 999
    rows = {}
    for e in ("0", "0.1"):
        r = avf_value("discrete:-1,1@1/4,3/4", 0, "0.9", "0.99", e, dps=dps)
        with mpmath.workdps(dps + 10):
            ex = -mpmath.mpf(1) / 2 / (1 + mpmath.mpf(e))  # G = -x = +1 w.p. 1/4, -1 w.p. 3/4
            d = agreeing_digits(r.value, ex)
        rows[f"pm1 eps={e}"] = d
        worst = min(worst, d)
    # brute force: all 2^n histories of Bernoulli(3/10) data, theta = 1/5, n = 10
    n = 10
    atoms = (("0.2", "0.7"), ("-0.8", "0.3"))      # G = theta - x and its probability
    for e in ("0", "0.01"):
        r = avf_value("bernoulli:3/10", "0.2", "0.8", "0.9", e, dps=dps, history=n)
        tot = finite_history_field(atoms, "0.8", "0.9", e, n, dps)
        with mpmath.workdps(dps + 10):
            d = agreeing_digits(r.value, tot)
        rows[f"enumeration eps={e}"] = d
        worst = min(worst, d)
    return ctx.evidence(worst >= dps - 1, "closed form for G = +-1 (V = 1) and exhaustive "
                        "enumeration of 2^10 Bernoulli histories (finite-history field)",
                        f"1e-{worst}", worst, precision=dps_precision(dps, worst), **rows)


# (data, J, beta2, theta): Irwin-Hall batch means on the Euler--Maclaurin regime (the head
# beyond the tail series is ~1e-5 of A), normal data on the lattice regime (~4% of A)
_HISTORY_CASES = (("uniform:-1,2", 3, "0.96", "0.3"), ("normal:1,2", 1, "0.9", "0.3"))


@claim("avf.history_sum", paper="2407.21078",
       statement=r"For continuous data the product over the stationary history, "
                 r"$\prod_{j\ge0}\varphi(u(1-\beta_2)\beta_2^j)$ and its companion sum, is "
                 r"evaluated by the Euler--Maclaurin formula (or lattice products) on Chebyshev "
                 r"panels of $\log\varphi$ and $\psi/\varphi$ in $\log c$, at a cost "
                 r"that does not grow with $1/(1-\beta_2)$; $A(\theta)$ so computed equals "
                 r"the factor-by-factor product to the working precision.",
       derive=derive_kernel, depends_on=("avf.exact", "avf.laplace"), precision="dps",
       sabotage=Sabotage("the lattice step h = 1 - beta instead of -log(beta) (its first "
                         "order: 2% off at beta2 = 0.96)",
                         {"symadam.avf._history_mp:lattice_step":
                          lambda f: (lambda beta: 1 - beta)}))
def _history(ctx):
    dps, worst, rows = ctx.dps, 999, {}
    for spec, J, b2, th in _HISTORY_CASES:
        d = avf_value(spec, th, "0.9", b2, 0, J, dps=dps, check=False, route="direct")
        try:
            r = avf_value(spec, th, "0.9", b2, 0, J, dps=dps)
        except PrecisionError as exc:     # its two precisions disagree: the route fails
            k, rows[f"{spec} J={J} beta2={b2} theta={th}"] = 0, str(exc)
        else:
            with mpmath.workdps(dps + 10):
                k = agreeing_digits(r.value, d.value)
            rows[f"{spec} J={J} beta2={b2} theta={th}"] = k
        worst = min(worst, k)
    return ctx.evidence(worst >= dps - 2, "the Euler--Maclaurin / lattice route (its own two-"
                        "precision check) against the head of the product multiplied factor by "
                        "factor: uniform batch means (J = 3, beta2 = 0.96) and normal data "
                        "(beta2 = 0.9)", f"1e-{worst}", worst,
                        precision=dps_precision(dps, worst), digits_per_case=rows)


@claim("avf.monte_carlo", paper="2407.21078",
       statement=r"The exact values of $A(\theta)$ agree with a Monte Carlo estimate over "
                 r"stationary histories (common random numbers, control variate $E[M]=E[G]$) "
                 r"within 4 standard errors at many $\theta$.",
       derive=derive_kernel, depends_on=("avf.exact",), precision="statistical",
       sabotage=Sabotage("the exact field at beta2 = 0.99 instead of 0.999 (a tenfold M-V "
                         "correlation: 2.6-8.6 standard errors at the first 7 points, "
                         "missed with probability ~3e-8)",
                         {"avf_value": lambda f: (lambda data, theta, b1, b2, *a, **k:
                                                  f(data, theta, b1, "0.99", *a, **k))}))
def _mc(ctx):
    from .mc_np import avf_mc

    cases = [("bernoulli:0.3", 4, ("0.2", "0.3", "0.5")), ("normal:1,2", 2, ("0", "1.5")),
             ("uniform:0,1", 1, ("0.3", "0.8")), ("exponential:1", 2, ("0.6", "1.4"))]
    worst_z, rows, n = 0.0, [], 0
    for k, (spec, J, thetas) in enumerate(cases):
        law = parse_data(spec).batch_mean(J)
        mc = avf_mc(law, [float(t) for t in thetas], 0.9, 0.999, 0.0, 300,
                    ctx.seed_sequence(k))
        for t, est, se in zip(thetas, mc["estimate"], mc["se"]):
            ex = float(avf_value(spec, t, "0.9", "0.999", 0, J, dps=15).value)
            z = abs(est - ex) / se
            worst_z = max(worst_z, z)
            rows.append({"data": spec, "J": J, "theta": t, "exact": ex, "mc": est, "se": se,
                         "z": round(z, 2)})
            n += 1
    return ctx.evidence(worst_z < 4, f"Monte Carlo at {n} (law, theta) points, 300 histories "
                        "of K = 39,000 samples each (beta1 = 0.9, beta2 = 0.999)",
                        f"max |exact - MC|/SE = {worst_z:.2f} (tolerance 4)", None,
                        precision=statistical_precision(
                            f"max over {n} points of |exact - MC|/SE < 4 (normal approximation;"
                            " exact values at 15 digits)", f"{n * 6.3e-5:.1e} (family-wise)"),
                        points=rows)


@claim("avf.symmetric_zero", paper="2511.06675",
       statement=r"Symmetric data give $A(\theta^\ast)=0$ exactly (the zero of $A$ is the "
                 r"minimizer); skewed data do not.",
       derive=derive_symmetry, depends_on=("avf.exact",), precision="dps",
       sabotage=Sabotage("A = E[M]/(eps + sqrt(E V)): the M-V correlation ignored (then skewed "
                         "data also give A(theta*) = 0)", {"avf_value": _ignoring_correlation}))
def _sym(ctx):
    dps = ctx.dps
    rows = {}
    ok = True
    for spec in ("rademacher", "discrete:-2,0,2@1/4,1/2,1/4", "normal:0,1", "uniform:-1,1"):
        law = parse_data(spec)
        r = avf_value(spec, law.mean(), "0.9", "0.999", 0, dps=dps)
        rows[spec] = mpmath.nstr(r.value, 3)
        ok &= law.is_symmetric() and abs(r.value) < mpmath.mpf(10)**(-dps)
    for spec in ("bernoulli:0.1", "discrete:-1,0,3@1/2,1/4,1/4"):
        law = parse_data(spec)
        r = avf_value(spec, law.mean(), "0.9", "0.999", 0, dps=dps)
        rows[spec] = mpmath.nstr(r.value, 6)
        ok &= (not law.is_symmetric()) and abs(r.value) > 10**6 * r.error
    return ctx.evidence(ok, f"exact A(theta*) at {dps} digits for 4 symmetric and 2 skewed laws "
                        "(beta1 = 0.9, beta2 = 0.999)", "symmetric |A| < 1e-%d" % dps, dps,
                        precision=dps_precision(dps, dps), **rows)


@claim("avf.zero", paper="2407.21078",
       statement=r"The zero $\vartheta$ of $A$ near the minimizer is computed to the requested "
                 r"digits (at least 25), stable under raising the precision and bracketed by a "
                 r"sign change of $A$; for Bernoulli data $\vartheta\neq\theta^\ast$.",
       derive=derive_bias, depends_on=("avf.exact",), precision="dps",
       sabotage=Sabotage("a zero right to dps - 5 digits only (the secant stage stopped early)",
                         {"avf_zero": _zero_stopped_early}))
def _zero(ctx):
    dps = max(ctx.dps, 25)
    g = first_order_bias("bernoulli:0.1", "0.9", "0.999")
    z1 = avf_zero("bernoulli:0.1", "0.9", "0.999", 0, dps=dps, guess=g)
    z2 = avf_zero("bernoulli:0.1", "0.9", "0.999", 0, dps=dps + 7, guess=g)
    with mpmath.workdps(dps + 16):
        d = agreeing_digits(z1.zero, z2.zero)
        delta = abs(z2.zero) * mpmath.mpf(10)**(2 - dps)
        # A(z -+ delta) ~ -+ slope delta: two working precisions, absolute accuracy ~ 1e-(dps+10)
        signs = []
        for t in (z2.zero - delta, z2.zero + delta):
            v = [avf_value("bernoulli:0.1", t, "0.9", "0.999", 0, dps=p, check=False).value
                 for p in (dps + 10, dps + 18)]
            signs.append(mpmath.sign(v[1]) if abs(v[0] - v[1]) < abs(v[1]) / 10 else 0)
        bracketed = signs == [-1, 1]
    ok = d >= dps and bracketed and abs(z2.bias) > 1e-4
    return ctx.evidence(ok, f"bracketed + secant root finding at {dps} and {dps + 7} digits; "
                        f"sign change of A at zero -+ |zero| 1e-{dps - 2} (at {dps + 10} and "
                        f"{dps + 18} working digits)",
                        mpmath.nstr(abs(z1.zero - z2.zero), 3), d,
                        precision=dps_precision(dps, d), bracketed=bracketed,
                        zero=mpmath.nstr(z2.zero, dps),
                        bias=mpmath.nstr(z2.bias, justified_digits(z2.bias, z2.error, dps)),
                        first_order_bias=str(g))


_BIAS_LAWS = (("bernoulli:0.1", 1), ("discrete:-1,0,3@1/2,1/4,1/4", 1), ("exponential:1", 1),
              ("exponential:1", 3), ("discrete:-2,1,3@0.4,0.5,0.1", 1))
_BIAS_BETA2 = ("0.99", "0.999", "0.9999")


@claim("avf.bias_expansion", paper="2511.06675",
       statement=r"At $\varepsilon=0$ the zero $\vartheta$ of $A$ satisfies "
                 r"$\vartheta-\theta^\ast = -\frac{(1-\beta_1)(1-\beta_2)}{1-\beta_1\beta_2}"
                 r"\frac{\kappa_3(X)}{2J\operatorname{Var}X}+O((1-\beta_2)^2)$: linear in "
                 r"$1-\beta_2$ and $1/J$, proportional to the third central moment (derived for "
                 r"any law with finite moments; checked on Bernoulli, a skewed three-atom law, "
                 r"exponential and Gamma data, and an asymmetric law with $\kappa_3=0$, whose "
                 r"bias is of order $(1-\beta_2)^2$).",
       derive=derive_bias, depends_on=("avf.zero",), precision="dps",
       sabotage=Sabotage("first-order bias off by a factor 2 (the 1/2 of d/dv v^(-1/2) "
                         "dropped)", {"first_order_bias": lambda f: (lambda *a, **k:
                                                                    2 * f(*a, **k))}))
def _bias(ctx):
    dps = 16
    rows, ok = [], True
    for spec, J in _BIAS_LAWS:
        rem = []
        for b2 in _BIAS_BETA2:
            g = first_order_bias(spec, "0.9", b2, 0, J)
            z = avf_zero(spec, "0.9", b2, 0, J, dps=dps, guess=g)
            with mpmath.workdps(dps + 10):
                rem.append((z.bias - to_mpf(g)) / (1 - mpmath.mpf(b2))**2)
            rows.append({"data": spec, "J": J, "beta2": b2, "bias": mpmath.nstr(z.bias, 12),
                         "first_order": str(g),
                         "(bias - first order)/(1 - beta2)^2": mpmath.nstr(rem[-1], 8)})
        # an O((1 - beta2)^2) remainder: rem = C + O(1 - beta2) settles (steps shrink ~10x)
        ok &= abs(rem[2] - rem[1]) < mpmath.mpf("0.4") * abs(rem[1] - rem[0])
    jrows = []
    for J in (1, 2, 4):
        g = first_order_bias("bernoulli:0.1", "0.9", "0.999", 0, J)
        z = avf_zero("bernoulli:0.1", "0.9", "0.999", 0, J, dps=dps, guess=g)
        with mpmath.workdps(dps + 10):
            ratio = z.bias / to_mpf(g)
        jrows.append({"J": J, "bias": mpmath.nstr(z.bias, 12), "J*bias": mpmath.nstr(J * z.bias, 8),
                      "ratio": mpmath.nstr(ratio, 8)})
        ok &= abs(ratio - 1) < 10 * (1 - mpmath.mpf("0.999"))
    return ctx.evidence(ok, f"exact zeros ({dps} digits) for {len(_BIAS_LAWS)} laws at beta2 = "
                        "0.99, 0.999, 0.9999: (bias - first order)/(1 - beta2)^2 settles; "
                        "Bernoulli(0.1) with J = 1, 2, 4 at beta2 = 0.999",
                        "see rows", None,
                        precision=_note(dps, dps, "an asymptotic claim: the measure is the "
                                        "settling of (bias - first order)/(1 - beta2)^2, "
                                        "resolved by 16-digit zeros; --dps is not used"),
                        rows=rows, batch_sequence=jrows)


@claim("avf.beta2_limit", paper="2407.21078",
       statement=r"As $\beta_2\to1$, $A(\theta)\to E[G]/(\varepsilon+\sqrt{E[G^2]})$ with an "
                 r"$O(1-\beta_2)$ error.",
       derive=derive_bias, depends_on=("avf.exact",), precision="dps",
       sabotage=Sabotage("eps inside the root: limit E[G]/sqrt(eps + E[G^2])",
                         {"naive_avf_value": lambda f: (lambda *a, **k:
                                                        f(*a, convention="inside", **k))}))
def _b2lim(ctx):
    dps = 20
    rows, ok = [], True
    for eps in ("0", "0.1"):
        lim = naive_avf_value("bernoulli:0.1", "0.3", eps, dps=dps)
        gaps = []
        for b2 in ("0.999", "0.9999", "0.99999"):
            r = avf_value("bernoulli:0.1", "0.3", "0.9", b2, eps, dps=dps)
            with mpmath.workdps(dps + 10):
                gaps.append((r.value - lim) / (1 - mpmath.mpf(b2)))
            rows.append({"eps": eps, "beta2": b2, "A": mpmath.nstr(r.value, dps),
                         "limit": mpmath.nstr(lim, dps),
                         "(A - limit)/(1 - beta2)": mpmath.nstr(gaps[-1], 10)})
        ok &= (abs(gaps[2] - gaps[1]) < abs(gaps[1] - gaps[0])
               and abs(gaps[2] - gaps[1]) < 0.05 * abs(gaps[2]))
    return ctx.evidence(ok, "exact A at theta = 0.3, Bernoulli(0.1), eps = 0 and 0.1, "
                        "beta2 = 1 - 10^-k: (A - limit)/(1 - beta2) settles",
                        "see rows", None,
                        precision=_note(dps, dps, "an asymptotic claim: the measure is the "
                                        "settling of (A - limit)/(1 - beta2), resolved by "
                                        "20-digit values; --dps is not used"), rows=rows)


@claim("avf.overparam", paper="2511.04622",
       statement=r"Realizable least squares with more parameters than data: $A=0$ on the "
                 r"solution set and $\nabla F\cdot A>0$ near it.",
       derive=derive_symmetry, depends_on=("avf.exact",), precision="dps",
       sabotage=Sabotage("a dropped term: residuals x.theta without the targets y",
                         {"lsq_avf": lambda f: (lambda X, y, th, *a, **k:
                                                f(X, [0] * len(y), th, *a, **k))}))
def _overparam(ctx):
    import numpy as np

    X, y = [[1, 1, 0], [0, 1, 1]], [1, 2]
    sols = [[0, 1, 1], [1, 0, 2], [R(-1, 2), R(3, 2), R(1, 2)]]  # x.theta = y, null (1,-1,1)
    zero_ok = all(all(a == 0 for a in lsq_avf(X, y, s, "0.9", "0.999", 0, 15)) for s in sols)
    rng = np.random.default_rng(ctx.seed_sequence())
    dots = []
    for s in sols[:2]:
        for _ in range(2):
            d = rng.normal(size=3)
            d = d / np.linalg.norm(d) * 0.05
            th = [sympy.Rational(s[i]) + sympy.Rational(round(float(d[i]), 6)) for i in range(3)]
            gF = lsq_gradient(X, y, th)
            A = lsq_avf(X, y, th, "0.9", "0.999", 0, 15)
            with mpmath.workdps(25):
                dots.append(mpmath.fsum(to_mpf(g) * a for g, a in zip(gF, A)))
    ok = zero_ok and min(dots) > 0
    return ctx.evidence(ok, "exact componentwise A on 3 solutions and 4 random points at "
                        "distance 0.05", f"min grad F . A = {mpmath.nstr(min(dots), 4)}", None,
                        precision=_note(15, 15, "a sign claim: the smallest grad F . A (~2e-2) "
                                        "is resolved by 15-digit values; A = 0 on solutions is "
                                        "exact (every gradient atom is 0); --dps is not used"),
                        dots=[mpmath.nstr(v, 6) for v in dots], zero_on_solutions=zero_ok)


from . import claims_order2, claims_sim  # noqa: E402,F401  (register avf.sim_*, avf.bias_order2*)
