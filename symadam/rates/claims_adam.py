"""Claims ``rates.adam*``, ``rates.rmsprop*``: local rates of Adam and RMSprop (arXiv 2504.19426).

The exact route (:mod:`symadam.rates.methods.adam`,
:mod:`symadam.rates.methods.rmsprop`) linearizes the bias-corrected maps at
the degenerate fixed point ``(theta*, 0, 0)`` and tunes the ``(theta, m)``
block with the rate engine.  The independent routes:

* the *actual* nonlinear, bias-corrected iteration in mpmath
  (:mod:`symadam.rates.adam_iterate_mp`) on diagonal quadratics and on a
  rotated quadratic-cubic-quartic objective, with the rate of
  ``||theta_n - theta*||`` measured from the iterates (double-root aware);
* Jacobians of the actual step by finite differences in mpmath and their
  eigenvalues (:mod:`symadam.rates.adam_jacobian_mp`), over parameter grids.

Notation: the papers' alpha, beta, gamma are ``beta1``, ``beta2``, ``gamma``.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import sympy
from mpmath import mpf

from ..core import claim
from ..core.identity import agreeing_digits
from .adam_iterate_mp import adam_iterate, diagonal_quadratic, measured_rate, rotated_quartic
from .adam_jacobian_mp import adam_step_scalar, jacobian_at_fixed_point, worst_case_radii
from .adam_linearization import SYMBOLS, linearize_adaptive
from .adam_tuning import (
    adam_eps_inside_derivation,
    adam_linearization_derivation,
    adam_optimality_derivation,
    adam_rate_derivation,
    rmsprop_optimality_derivation,
    rmsprop_rate_derivation,
)

PAPER = "2504.19426"


def _num(expr, dps: int, **values) -> mpf:
    """Evaluate a derived sympy expression at exact decimal values of its symbols (by name)."""
    e = sympy.sympify(expr)
    e = e.subs({s: sympy.Rational(str(Fraction(str(values[s.name])))) for s in e.free_symbols
                if s.name in values})
    if e.free_symbols:
        raise ValueError(f"unevaluated symbols {sorted(map(str, e.free_symbols))} in {expr}")
    return mpf(str(sympy.N(e, dps + 10)))


def _tuned(method: str, kappa, eps, dps: int, mu="1") -> dict:
    """Derived optimal parameters and rate at ``mu``, ``L = kappa * mu`` (mpf at ``dps``)."""
    res = (adam_rate_derivation() if method == "adam" else rmsprop_rate_derivation()).results
    mu_q = Fraction(str(mu))
    vals = dict(kappa=kappa, L=Fraction(str(kappa)) * mu_q, mu=mu_q, eps=eps)
    with mpmath.workdps(dps + 10):
        out = {"rate": _num(res["rate"], dps, **vals), "gamma": _num(res["gamma"], dps, **vals)}
        out["beta1"] = _num(res["beta1"], dps, **vals) if method == "adam" else mpf(0)
    return out


def _measure(method, objective, theta0, steps, kappa, beta2, eps, dps, start=None, window=None):
    """Run the mpmath iteration at the derived tuning; measure the rate on a late window."""
    lams = [Fraction(x) for x in objective.hessian_eigenvalues]
    mu, L = min(lams), max(lams)
    if L / mu != Fraction(str(kappa)):
        raise ValueError(f"kappa must be L/mu of the objective ({L / mu}), got {kappa}")
    t = _tuned(method, kappa, eps, dps, mu=mu)
    run = adam_iterate(objective, theta0, steps, lr=t["gamma"], beta1=t["beta1"], beta2=beta2,
                       eps=eps, dps=dps)
    window = window or steps // 6
    start = start if start is not None else steps - 2 * window - 1
    with mpmath.workdps(dps):
        rate = run.rate(start, window, double_root=(method == "adam"))
        digits = agreeing_digits(rate, t["rate"])
        tr = run.transient(mpf(eps) / 100)
        return dict(objective=objective.name, kappa=str(kappa), beta2=str(beta2), eps=str(eps),
                    steps=steps, window=[start, start + 2 * window],
                    measured_rate=mpmath.nstr(rate, 25), derived_rate=mpmath.nstr(t["rate"], 25),
                    digits=digits, transient_steps=tr,
                    sqrt_vhat_over_eps_at_window=mpmath.nstr(run.sqrt_vhat[start] / mpf(eps), 3),
                    error_at_end=mpmath.nstr(run.errors[-1], 3))


def _rate_cases(method):
    """(objective, theta0, steps, kappa, beta2, eps): quadratics kappa = 10, 100, 1000 and a
    rotated quadratic + cubic + quartic (kappa = 50); beta2 and eps vary across cases."""
    q = diagonal_quadratic
    if method == "adam":
        return [(q(["1", "3", "10"]), ["0.004", "-0.004", "0.004"], 1500, 10, "0.5", "0.01"),
                (q(["1", "30", "100"]), ["0.05", "-0.05", "0.05"], 3000, 100, "0.9", "1"),
                (q(["1", "300", "1000"]), ["0.05", "-0.05", "0.05"], 4000, 1000, "0.95", "10"),
                (rotated_quartic(["1", "7", "50"]), ["0.02", "-0.01", "0.03"], 1500, 50, "0.9",
                 "0.5")]
    return [(q(["1", "3", "10"]), ["0.004", "-0.004", "0.004"], 1500, 10, "0.5", "0.01"),
            (q(["1", "30", "100"]), ["0.05", "-0.05", "0.05"], 3000, 100, "0.9", "1"),
            # kappa = 1000: rate 0.998, so start inside the local regime (sqrt(v) << eps)
            (q(["1", "300", "1000"]), ["1e-9", "-1e-9", "1e-9"], 4000, 1000, "0.95", "10"),
            (rotated_quartic(["1", "7", "50"]), ["0.02", "-0.01", "0.03"], 1500, 50, "0.9",
             "0.5")]


def _rate_check(ctx, method):
    rows = [_measure(method, *c, dps=ctx.dps) for c in _rate_cases(method)]
    worst = min(r["digits"] for r in rows)
    ok = worst >= 4
    name = "Adam" if method == "adam" else "RMSprop"
    return ctx.evidence(
        ok, f"bias-corrected {name} iterated in mpmath at {ctx.dps} digits from outside the "
        "local regime (sqrt(v_hat) > eps/100 early on) at the derived tuning; rate of "
        "||theta_n - theta*|| from three points of a late window"
        + (" (model (a + b n) rho^n: the root is double)" if method == "adam" else ""),
        f"min agreeing digits {worst} (>= 4) over {len(rows)} runs", worst, runs=rows)


@claim("rates.adam_linearization", paper=PAPER,
       statement=r"At the degenerate fixed point $(\theta^*, m, v) = (\theta^*, 0, 0)$ of Adam "
                 r"($\varepsilon > 0$ outside the root), $v$ enters the $\theta$ update only "
                 r"through a term of order $|m|\sqrt v$; the Jacobian is block diagonal: heavy "
                 r"ball with step $\gamma(1-\beta_1)/\varepsilon$ and momentum $\beta_1$ on "
                 r"$(\theta, m)$ (gradient descent with step $\gamma/\varepsilon$ for RMSprop), "
                 r"and $\beta_2$ on $v$.",
       derive=adam_linearization_derivation)
def _linearization(ctx):
    rng_vals = [("3", "0.2", "0.7", "0.95", "2"), ("0.4", "0.05", "0.3", "0.5", "0.01"),
                ("25", "1e-3", "0.9", "0.999", "1e-4")]
    worst = 999
    for inside in (False, True):
        J_sym = linearize_adaptive("adam", inside).results["jacobian"]
        for lam, lr, b1, b2, eps in rng_vals:
            J = jacobian_at_fixed_point(lam, lr=lr, beta1=b1, beta2=b2, eps=eps, dps=ctx.dps,
                                        eps_inside=inside)
            S = SYMBOLS
            subs = {S["lam"]: sympy.Rational(lam), S["gamma"]: sympy.Rational(lr),
                    S["beta1"]: sympy.Rational(b1), S["beta2"]: sympy.Rational(b2),
                    S["eps"]: sympy.Rational(eps)}
            with mpmath.workdps(ctx.dps):
                for i, j in itertools.product(range(3), range(3)):
                    exact = mpf(str(sympy.N(J_sym[i, j].subs(subs), ctx.dps + 5)))
                    err = abs(J[i, j] - exact)
                    d = 999 if err == 0 else int(-mpmath.log10(err / max(1, abs(exact))))
                    worst = min(worst, d)
    # order of the remainder: theta-update minus its linear part along t*(a, b, w)
    orders = {}
    for inside in (False, True):
        with mpmath.workdps(ctx.dps):
            p = dict(lr=mpf("0.2"), beta1=mpf("0.7"), beta2=mpf("0.95"), eps=mpf(2),
                     eps_inside=inside)
            e_eff = mpmath.sqrt(p["eps"]) if inside else p["eps"]

            def rem(t):
                th, m, v = t * mpf("0.3"), t * mpf("-0.2"), t * mpf("0.5")
                new, m_new, _ = adam_step_scalar(th, m, v, mpf(3), **p)
                return new - (th - p["lr"] * m_new / e_eff)

            t1, t2 = mpf(10) ** -20, mpf(10) ** -24
            orders["inside" if inside else "outside"] = mpmath.nstr(
                mpmath.log(abs(rem(t1) / rem(t2))) / mpmath.log(t1 / t2), 8)
    ok = (worst >= ctx.dps // 3 and abs(float(orders["outside"]) - 1.5) < 1e-6
          and abs(float(orders["inside"]) - 2) < 1e-6)
    return ctx.evidence(ok, "finite-difference Jacobian of the actual Adam step (mpmath, "
                        "Richardson) against the symbolic Jacobian at 3 parameter sets, both eps "
                        "placements; remainder order from |R(t)| at t = 1e-20, 1e-24 along a "
                        "ray (theta, m, v) = t (0.3, -0.2, 0.5)",
                        f"min agreeing digits {worst}; remainder orders {orders}", worst,
                        remainder_order=orders, jacobian_digits=worst)


@claim("rates.adam", paper=PAPER, depends_on=("rates.adam_linearization", "rates.heavy_ball"),
       statement=r"Near a strict local minimizer with Hessian spectrum in $[\mu, L]$, "
                 r"$\kappa = L/\mu$, bias-corrected Adam with $\varepsilon > 0$ outside the root, "
                 r"$\beta_1 = \big(\tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}\big)^2$ and "
                 r"$\gamma = \varepsilon/\sqrt{\mu L}$ converges at the rate "
                 r"$\tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}$, for every $\beta_2 \in (0, 1)$.",
       derive=adam_rate_derivation)
def _adam(ctx):
    return _rate_check(ctx, "adam")


@claim("rates.rmsprop", paper=PAPER, depends_on=("rates.adam_linearization", "rates.gd"),
       statement=r"Bias-corrected RMSprop ($\beta_1 = 0$) with $\gamma = 2\varepsilon/(\mu+L)$ "
                 r"converges locally at the rate $\tfrac{\kappa-1}{\kappa+1}$, for every "
                 r"$\beta_2 \in (0, 1)$, $\varepsilon > 0$.",
       derive=rmsprop_rate_derivation)
def _rmsprop(ctx):
    return _rate_check(ctx, "rmsprop")


@claim("rates.adam_vs_full_jacobian", paper=PAPER, depends_on=("rates.adam",),
       statement=r"The spectral radius of Adam's full Jacobian at $(\theta^*, 0, 0)$ is "
                 r"$\max(\beta_2, \rho)$ (e.g.\ $0.99$), but $\theta$ converges at the "
                 r"$(\theta, m)$ block's rate $\rho = \tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}$; "
                 r"only $v$ decays at $\beta_2$.",
       derive=lambda: linearize_adaptive("adam"))
def _vs_full(ctx):
    kappa, beta2, eps = 100, "0.99", "1"
    t = _tuned("adam", kappa, eps, ctx.dps)
    radii = worst_case_radii(1, kappa, lr=t["gamma"], beta1=t["beta1"], beta2=beta2, eps=eps,
                             n_lambda=11, dps=ctx.dps)
    run = adam_iterate(diagonal_quadratic(["1", "100"]), ["1e-6", "1e-6"], 4000, lr=t["gamma"],
                       beta1=t["beta1"], beta2=beta2, eps=eps, dps=ctx.dps)
    with mpmath.workdps(ctx.dps):
        theta_rate = run.rate(2800, 550)
        sv_rate = measured_rate(run.sqrt_vhat, 2800, 550, double_root=False, dps=ctx.dps)
        v_rate = sv_rate ** 2
        d_theta = agreeing_digits(theta_rate, t["rate"])
        d_block = agreeing_digits(radii["block"], t["rate"])
        d_full = agreeing_digits(radii["full"], mpf(beta2))
        d_v = agreeing_digits(v_rate, mpf(beta2))
        ok = (d_theta >= 4 and d_block >= ctx.dps // 3 - 2 and d_full >= ctx.dps // 2
              and d_v >= 6 and radii["full"] - theta_rate > mpf("0.1"))
        return ctx.evidence(
            ok, "mpmath finite-difference Jacobians over lambda in [mu, L] (block and full "
            "spectral radii) and the mpmath Adam iteration (rates of theta and of v_hat)",
            f"theta rate {mpmath.nstr(theta_rate, 10)} vs rho {mpmath.nstr(t['rate'], 10)} "
            f"({d_theta} digits); v rate {mpmath.nstr(v_rate, 10)} vs beta2 ({d_v} digits); "
            f"full radius {mpmath.nstr(radii['full'], 10)}", d_theta,
            kappa=kappa, beta2=beta2, eps=eps, measured_theta_rate=mpmath.nstr(theta_rate, 20),
            measured_v_rate=mpmath.nstr(v_rate, 20), block_radius=mpmath.nstr(radii["block"], 20),
            full_radius=mpmath.nstr(radii["full"], 20), derived_rate=mpmath.nstr(t["rate"], 20))


def _grid(method, kappa, grid, opt_beta1, dps, n_lambda=11) -> dict:
    """Worst-case block radius (mpmath Jacobians) over a parameter grid, against the optimum."""
    t = _tuned(method, kappa, "1", dps)
    rows = []
    for g_mult, b1, b2, eps in grid:
        with mpmath.workdps(dps + 5):
            lr = mpf(g_mult) * t["gamma"] * mpf(eps)
        r = worst_case_radii(1, kappa, lr=lr, beta1=b1, beta2=b2, eps=eps,
                             n_lambda=n_lambda, dps=dps)["block"]
        rows.append((g_mult, b1, b2, eps, r))
    with mpmath.workdps(dps):
        at_opt = [r for r in rows if r[0] == "1" and r[1] == opt_beta1]
        others = [r for r in rows if r not in at_opt]
        best = min(rows, key=lambda r: r[-1])
        return dict(kappa=kappa, grid_size=len(rows), derived_rate=mpmath.nstr(t["rate"], 20),
                    margin=min(r[-1] for r in rows) - t["rate"],
                    digits_at_optimum=min(agreeing_digits(r[-1], t["rate"]) for r in at_opt),
                    runner_up_margin=mpmath.nstr(min(r[-1] for r in others) - t["rate"], 5),
                    best_on_grid={"gamma_multiple": best[0],
                                  "beta1": mpmath.nstr(mpf(best[1]), 12), "beta2": best[2],
                                  "eps": best[3], "rate": mpmath.nstr(best[-1], 20)})


def _grid_evidence(ctx, grids: list, dps: int, n_lambda=11):
    with mpmath.workdps(dps):
        tol = mpf(10) ** (-(dps // 3) + 1)
        margin = min(g["margin"] for g in grids)
        d_opt = min(g["digits_at_optimum"] for g in grids)
        ok = margin >= -tol and d_opt >= dps // 3 - 2
        for g in grids:
            g["margin"] = mpmath.nstr(g["margin"], 5)
        n = sum(g["grid_size"] for g in grids)
        kappas = ", ".join(str(g["kappa"]) for g in grids)
        return ctx.evidence(
            ok, f"worst case over lambda in [1, kappa] ({n_lambda} points incl. the ends), "
            f"kappa in {{{kappas}}}, of the (theta, m) block's spectral radius of "
            f"finite-difference Jacobians of the actual step (mpmath, {dps} digits), over {n} "
            "parameter settings",
            f"min over grids - derived rate = {mpmath.nstr(margin, 5)} "
            f"(>= -{mpmath.nstr(tol, 2)}); derived optimum reproduced to {d_opt} digits", d_opt,
            grids=grids)


def _grid_dps(ctx) -> int:
    return max(30, ctx.dps // 2 + 5)


@claim("rates.adam_optimal", paper=PAPER, depends_on=("rates.adam",),
       statement=r"No $(\gamma, \beta_1, \beta_2, \varepsilon)$ gives Adam a better local rate "
                 r"than $\tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}$.",
       derive=adam_optimality_derivation)
def _adam_optimal(ctx):
    dps, grids = _grid_dps(ctx), []
    for kappa, full in ((100, True), (10, False), (1000, False)):
        t = _tuned("adam", kappa, "1", dps)
        opt = mpmath.nstr(t["beta1"], 40)
        b1s = [mpmath.nstr(t["beta1"] * f, 40) for f in (mpf("0.9"), mpf("0.99"), mpf("1.01"))]
        b1s += [opt] + (["0", "0.5", "0.9", "0.99"] if full else ["0", "0.99"])
        gms = ["0.5", "0.9", "0.99", "1", "1.01", "1.1", "2"] if full else ["0.9", "1", "1.1"]
        grid = list(itertools.product(gms, b1s, ["0.5", "0.999"] if full else ["0.9"],
                                      ["1e-3", "1"] if full else ["1e-2"]))
        grids.append(_grid("adam", kappa, grid, opt, dps))
    return _grid_evidence(ctx, grids, dps)


@claim("rates.rmsprop_optimal", paper=PAPER, depends_on=("rates.rmsprop",),
       statement=r"No $(\gamma, \beta_2, \varepsilon)$ gives RMSprop a better local rate than "
                 r"$\tfrac{\kappa-1}{\kappa+1}$.",
       derive=rmsprop_optimality_derivation)
def _rmsprop_optimal(ctx):
    dps, grids = _grid_dps(ctx), []
    for kappa, full in ((100, True), (10, False), (1000, False)):
        gms = ["0.5", "0.9", "0.99", "1", "1.01", "1.1", "1.5"] if full else ["0.9", "1", "1.1"]
        grid = list(itertools.product(gms, ["0"], ["0", "0.5", "0.999"] if full else ["0.9"],
                                      ["1e-3", "1", "10"] if full else ["1e-2"]))
        grids.append(_grid("rmsprop", kappa, grid, "0", dps))
    return _grid_evidence(ctx, grids, dps)


@claim("rates.adam_eps_inside", paper=PAPER, depends_on=("rates.adam_linearization",),
       statement=r"With $\varepsilon$ inside the root ($\sqrt{\hat v + \varepsilon}$) Adam reaches "
                 r"the same rate $\tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}$ at "
                 r"$\gamma = \sqrt{\varepsilon}/\sqrt{\mu L}$.",
       derive=adam_eps_inside_derivation)
def _eps_inside(ctx):
    res = adam_eps_inside_derivation().results
    rows = []
    for kappa, eps, beta2 in ((100, "0.01", "0.9"), (10, "4", "0.99")):
        vals = dict(kappa=kappa, L=kappa, mu=1, eps=eps)
        with mpmath.workdps(ctx.dps + 10):
            lr, b1, rho = (_num(res[k], ctx.dps, **vals) for k in ("gamma", "beta1", "rate"))
        run = adam_iterate(diagonal_quadratic(["1", str(kappa)]), ["0.01", "-0.01"], 3000,
                           lr=lr, beta1=b1, beta2=beta2, eps=eps, dps=ctx.dps, eps_inside=True)
        with mpmath.workdps(ctx.dps):
            r = run.rate(1999, 500)
            rows.append(dict(kappa=kappa, eps=eps, beta2=beta2, measured_rate=mpmath.nstr(r, 20),
                             derived_rate=mpmath.nstr(rho, 20), digits=agreeing_digits(r, rho)))
    worst = min(r["digits"] for r in rows)
    return ctx.evidence(worst >= 4, "mpmath iteration of bias-corrected Adam with eps inside the "
                        "root at the derived tuning; double-root-aware rate on a late window",
                        f"min agreeing digits {worst} (>= 4)", worst, runs=rows)
