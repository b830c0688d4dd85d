"""Claims ``bounds.*``: Adam's sharp step bound, a priori bound and stability region.

Each claim wires an exact derivation (:mod:`~symadam.bounds.step`,
:mod:`~symadam.bounds.apriori`, :mod:`~symadam.bounds.stability`) to independent routes
(Adam's recursion in mpmath, a scipy multistart search, torch's Adam, vectorised numpy
simulations, numeric Jacobians and long mpmath orbits).  The RMS-step claims are in
:mod:`symadam.bounds.claims_rms`, imported at the end.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy

from ..core import claim
from ..core.identity import agreeing_digits
from ..core.record import Sabotage, dps_precision, float64_precision
from .apriori import apriori_constant, derive_apriori
from .orbit_mp import adam_orbit, fixed_point_jacobian, spectral_radius, two_step_multipliers
from .search_np import multistart_max, random_sweep
from .sim_np import adversarial_rises, quadratic_sup, random_adversary
from .stability import (
    critical_a,
    derive_stability,
    derive_two_cycle,
    gamma_max,
    two_cycle_amplitude,
)
from .step import beta1 as B1
from .step import beta2 as B2
from .step import c_inf, derive_step_bound, extremal_sequence, step_bound_n
from .step import n as N
from .step_mp import adam_ratio

R = sympy.Rational


def _mp(expr, dps: int) -> mpmath.mpf:
    return mpmath.mpf(str(sympy.N(expr, dps + 10)))


def _cn(b1, b2, n, dps: int) -> mpmath.mpf:
    e, s = step_bound_n(b1, b2, n)
    return mpmath.sqrt(mpmath.mpf(str(e.evalf(dps + 10, subs=s))))


def _rng(ctx) -> np.random.Generator:
    return np.random.default_rng(ctx.seed_sequence())


def _random_betas(rng) -> tuple:
    b2 = R(int(rng.integers(500, 990)), 1000)
    b1 = R(int(rng.integers(0, int(sympy.floor(sympy.sqrt(b2) * 1000)) - 5)), 1000)
    return b1, b2


def _no_bias_correction(orig):
    """Sabotage: ``C_n^2`` without the bias corrections (the stationary weights)."""
    def wrong(b1, b2, n):
        e, s = orig(b1, b2, n)
        return e * (1 - B1**N)**2 / (1 - B2**N), s
    return wrong


@claim("bounds.step_sup", paper="2603.18899",
       statement=r"For bias-corrected Adam ($\varepsilon=0$), $\sup_g|\hat m_n|/\sqrt{\hat v_n}"
                 r"=C_n$ with $C_n^2=\frac{(1-\beta_1)^2(1-\beta_2^n)(1-r^n)}{(1-\beta_1^n)^2"
                 r"(1-\beta_2)(1-r)}$, $r=\beta_1^2/\beta_2$, attained by $g_k\propto(\beta_1/"
                 r"\beta_2)^{n-k}$; $C_n\le C_\infty=(1-\beta_1)/\sqrt{(1-\beta_2)(1-r)}$ if "
                 r"$\beta_1^2<\beta_2$, unbounded otherwise.",
       derive=derive_step_bound,
       sabotage=Sabotage("C_n without the bias corrections (stationary weights)",
                         {"step_bound_n": _no_bias_correction}))
def _step_sup(ctx):
    rng = _rng(ctx)
    cases = [(R(9, 10), R(999, 1000), n) for n in (1, 2, 10, 100)]
    cases += [(*_random_betas(rng), int(rng.integers(3, 60))) for _ in range(2)]
    cases += [(R(1, 2), R(1, 4), 7), (R(9, 10), R(1, 2), 12)]     # r = 1 and r > 1
    rows, worst = [], 10**6
    with mpmath.workdps(ctx.dps + 10):
        for b1, b2, n in cases:
            seq = [str(x) for x in extremal_sequence(b1, b2, n)]
            got = adam_ratio(seq, str(b1), str(b2), 0, ctx.dps)
            cn = _cn(b1, b2, n, ctx.dps)
            dig = agreeing_digits(got, cn)
            worst = min(worst, dig)
            rows.append({"beta1": str(b1), "beta2": str(b2), "n": n,
                         "C_n": mpmath.nstr(cn, 20), "digits": dig})
        # C_inf: the recursion after n steps, n so large that C_n = C_inf to dps + 5 digits
        b1, b2 = R(1, 2), R(3, 5)
        nb = int(mpmath.ceil((ctx.dps + 5) * mpmath.log(10) / -mpmath.log(mpmath.mpf(3) / 5)))
        seq = [str(x) for x in extremal_sequence(b1, b2, nb)]
        ci = _mp(c_inf(b1, b2), ctx.dps)
        d_inf = agreeing_digits(adam_ratio(seq, "0.5", "0.6", 0, ctx.dps), ci)
        below = all(_cn(b1, b2, n, ctx.dps) <= ci for n in (1, 5, 50, nb))
        grows = _cn(R(9, 10), R(1, 2), 48, ctx.dps) > 1000 * _cn(R(9, 10), R(1, 2), 12, ctx.dps)
    worst = min(worst, d_inf, ctx.dps)    # digits reported up to the requested precision
    ok = worst >= ctx.dps - 5 and below and grows
    return ctx.evidence(ok, "Adam's moment recursion in mpmath on the derived extremal sequence "
                        f"at {len(cases)} (beta1, beta2, n) (incl. r = 1, r > 1) and at "
                        f"n = {nb} against C_inf", f"1e-{worst}", worst,
                        precision=dps_precision(ctx.dps, worst), cases=rows,
                        C_inf_digits=d_inf, C_n_below_C_inf=below, r_gt_1_grows=grows)


def _limit_for_all_n(orig):
    """Sabotage: ``C_n`` replaced by ``C_inf`` for every ``n``."""
    def wrong(b1, b2, n):
        _, s = orig(b1, b2, n)
        return derive_step_bound().results["C_inf"]**2, s
    return wrong


@claim("bounds.step_search", paper="2603.18899",
       statement=r"No gradient sequence gives Adam a larger normalised step than $C_n$: a "
                 r"multistart numerical maximisation never exceeds $C_n$ and reaches it, and "
                 r"torch's Adam step on the extremal sequence is $\gamma C_n$.",
       derive=derive_step_bound, depends_on=("bounds.step_sup",), precision="float64",
       sabotage=Sabotage("C_n replaced by its limit C_inf for every n",
                         {"step_bound_n": _limit_for_all_n}))
def _step_search(ctx):
    rng = _rng(ctx)
    cases = [(0.9, 0.999, 10), (0.9, 0.999, 40), (0.5, 0.9, 30),
             (*(float(x) for x in _random_betas(rng)), 20)]
    rows, over, short = [], 0.0, 0.0
    seeds = ctx.seed_sequence().spawn(2 * len(cases))
    for i, (b1, b2, n) in enumerate(cases):
        cn = float(_cn(str(b1), str(b2), n, 20))
        s = multistart_max(b1, b2, n, 256, seeds[2 * i])
        sw = random_sweep(b1, b2, n, 4000, seeds[2 * i + 1])
        over = max(over, s["best"] / cn - 1, s["ascent_max"] / cn - 1, max(sw.values()) / cn - 1)
        short = max(short, 1 - s["best"] / cn)
        rows.append({"beta1": b1, "beta2": b2, "n": n, "C_n": cn, "search_max": s["best"],
                     "random_max": sw})
    torch_rel = None
    try:
        import torch  # noqa: F401

        from ..oracle.torch_optim import torch_trajectory
    except ImportError:
        torch_note = "skipped (torch not installed)"
    else:
        torch_rel = 0.0
        for b1, b2, n in cases[:3]:
            seq = [float(x) for x in extremal_sequence(str(b1), str(b2), n)]
            it = iter(seq)
            traj = torch_trajectory("adam", lambda th: np.array([next(it)]), np.zeros(1), n,
                                    lr=0.5, beta1=b1, beta2=b2, eps=1e-300)
            step = abs(traj[-1, 0] - traj[-2, 0]) / 0.5
            torch_rel = max(torch_rel, abs(step / float(_cn(str(b1), str(b2), n, 20)) - 1))
        torch_note = f"torch.optim.Adam step / (lr C_n) - 1: {torch_rel:.1e}"
    tol = 1e-12
    ok = over <= tol and short <= 1e-9 and (torch_rel is None or torch_rel <= 1e-12)
    return ctx.evidence(ok, "vectorised ascent from 256 random starts + L-BFGS-B polish, 12000 "
                        "random sequences (Gaussian, heavy-tailed, geometric) per case; "
                        + torch_note, f"max excess {over:.1e}, shortfall {short:.1e}", None,
                        precision=float64_precision(tol), cases=rows, torch=torch_note)


def _drop_tail(orig):
    """Sabotage: ``K = C_inf`` (one maximal step past the data, no momentum excursion)."""
    def wrong(b1, b2):
        return orig(b1, b2) * (1 - sympy.Rational(str(b1)) / sympy.sqrt(sympy.Rational(str(b2))))
    return wrong


@claim("bounds.apriori", paper="2603.18899",
       statement=r"If $\beta_1^2<\beta_2$ and the gradients obey the sign condition for "
                 r"$[a,b]$, Adam's iterates stay in $[\min(\theta_0,a-\gamma K),\max(\theta_0,"
                 r"b+\gamma K)]$, $K=C_\infty/(1-\beta_1/\sqrt{\beta_2})$, for every learning "
                 r"rate and $\varepsilon\ge0$; $K$ is sharp.  Gradient descent and heavy ball "
                 r"above their thresholds explode on the same problems.",
       derive=derive_apriori, depends_on=("bounds.step_sup",), precision="float64",
       sabotage=Sabotage("K = C_inf: one maximal step past the data, no momentum tail",
                         {"apriori_constant": _drop_tail}))
def _apriori(ctx):
    seeds = ctx.seed_sequence().spawn(8)
    rows, worst, sharp = [], 0.0, 1.0
    for b1, b2 in ((0.9, 0.999), (0.9, 0.99), (0.5, 0.75), (0.0, 0.9)):
        K = float(_mp(apriori_constant(str(b1), str(b2)), 20))
        out = adversarial_rises(b1, b2, [0, 300, 30000], [3, 30, 3000], 4000)
        rel = out["rise"] / K
        worst = max(worst, float(rel.max()))
        sharp = min(sharp, float(rel.max()))
        rows.append({"beta1": b1, "beta2": b2, "K": K, "adversarial_rise_over_K":
                     [round(float(x), 6) for x in rel], "sign_ok": bool(out["sign_ok"].all())})
    signs = all(r["sign_ok"] for r in rows)
    K = float(_mp(apriori_constant("0.9", "0.999"), 20))
    # 256 adversaries at eps = 0 and 256 at eps = 1e-3, in one pass
    ra = random_adversary(0.9, 0.999, 1.0, -1.0, 1.0, 0.0, 20000, 512, seeds[0],
                          eps=np.repeat([0.0, 1e-3], 256))
    rand = [float(max(ra["max"][h].max() - 1, -1 - ra["min"][h].min()) / K)
            for h in (slice(0, 256), slice(256, 512))]
    from ..avf.laws import parse_data

    lrs = np.repeat([1e-2, 1.0, 1e2], 48)
    specs = ("uniform:-1,1", "bernoulli:0.3", "normal:0,1")
    # 144 runs per law (48 per learning rate), the three laws in one pass
    out = quadratic_sup("adam", [0.1, 1.0, 10.0], [parse_data(s) for s in specs], 0.0,
                        np.tile(lrs, 3), 20000, 3 * lrs.size, seeds[2], eps=1e-8)
    exs = np.maximum(out["above"], out["below"]).max(axis=1).reshape(3, -1) / (lrs * K)
    sims = {spec: {f"lr={lr:g}": float(ex[lrs == lr].max()) for lr in (1e-2, 1.0, 1e2)}
            for spec, ex in zip(specs, exs)}
    det = quadratic_sup("adam", [1.0], None, 5.0, [10.0, 1e3], 20000, 2, seeds[5], eps=0.0)
    det_ok = bool(np.all(det["dist"] <= np.maximum(5.0, np.array([10.0, 1e3]) * K)))
    law = parse_data("uniform:-1,1")
    gd = quadratic_sup("gd", [0.1, 1.0, 10.0], law, 0.0, 2.2 / 10, 20000, 32, seeds[6])
    hb = quadratic_sup("heavy-ball", [0.1, 1.0, 10.0], law, 0.0, 2.2 * 1.9 / 10, 20000, 32,
                       seeds[7], momentum=0.9)
    explode = bool((gd["blowup_step"] > 0).all() and (hb["blowup_step"] > 0).all())
    sim_max = max(v for d in sims.values() for v in d.values())
    tol = 1e-9
    ok = (worst <= 1 + tol and sharp >= 0.999 and signs and max(rand) <= 1 + tol
          and sim_max <= 1 + tol and det_ok and explode)
    return ctx.evidence(ok, "sharpness construction (12 build-ups per beta pair), 2 x 256 random "
                        "sign-respecting adversaries (20000 steps), 3 x 144 seeded stochastic "
                        "runs on a 3-D separable quadratic at lr 1e-2, 1, 1e2 (20000 steps), "
                        "deterministic runs, and GD / heavy ball above 2/L, 2(1+beta)/L",
                        f"max excursion / (lr K) = {max(worst, max(rand), sim_max):.9f}", None,
                        precision=float64_precision(tol), adversarial=rows,
                        sharpness=sharp, random_adversary_over_K=rand,
                        stochastic_excess_over_lrK=sims,
                        gd_blowup_steps=gd["blowup_step"][:4].tolist(),
                        heavy_ball_blowup_steps=hb["blowup_step"][:4].tolist())


def _no_momentum_factor(orig):
    """Sabotage: the threshold without the factor ``1 + beta1`` (RMSprop's, rescaled)."""
    def wrong(b1, e, L):
        return orig(b1, e, L) / (1 + sympy.Rational(str(b1)))
    return wrong


@claim("bounds.stability", paper="2509.10476",
       statement=r"Adam's degenerate fixed point on a quadratic with largest curvature $L$ is "
                 r"locally stable iff $\gamma<\gamma_{\max}=2\varepsilon(1+\beta_1)/((1-\beta_1)"
                 r"L)$ (Jury conditions of the heavy-ball block of the linearization).",
       derive=derive_stability,
       sabotage=Sabotage("gamma_max without the factor (1 + beta1)",
                         {"gamma_max": _no_momentum_factor}))
def _stability(ctx):
    rng = _rng(ctx)
    cases = [(R(9, 10), R(1, 1000), R(2)), (R(1, 2), R(1, 10), R(1)),
             (R(int(rng.integers(1, 98)), 100), R(int(rng.integers(1, 1000)), 10**4),
              R(int(rng.integers(1, 100)), 10))]
    rows, worst, order_ok = [], 10**6, True
    for b1, e, L in cases:
        with mpmath.workdps(ctx.dps + 10):
            g = _mp(gamma_max(b1, e, L), ctx.dps)
            J = fixed_point_jacobian(str(L), g, str(b1), "0.999", str(e), ctx.dps)
            rad = spectral_radius(J[0:2, 0:2], ctx.dps)
            dig = agreeing_digits(rad, 1) if rad != 1 else ctx.dps + 10
            worst = min(worst, dig)
            split = J[0, 2] == 0 and J[1, 2] == 0
            radii = {}
            for f, lam in (("0.999", L), ("1.001", L), ("0.999", L / 3), ("0.999", L / 10)):
                Jf = fixed_point_jacobian(str(lam), g * mpmath.mpf(f), str(b1), "0.999", str(e),
                                          30)
                radii[f"gamma={f} gamma_max, lam={lam}"] = spectral_radius(Jf[0:2, 0:2], 30)
            vals = list(radii.values())
            order_ok &= split and vals[0] < 1 < vals[1] and vals[2] < 1 and vals[3] < 1
        rows.append({"beta1": str(b1), "eps": str(e), "L": str(L),
                     "gamma_max": mpmath.nstr(g, 20), "radius_digits_of_1": dig,
                     **{k: mpmath.nstr(v, 12) for k, v in radii.items()}})
    worst = min(worst, ctx.dps)
    ok = worst >= ctx.dps - 5 and order_ok
    return ctx.evidence(ok, "one-sided mpmath derivatives of the nonlinear Adam step at the "
                        "origin, eigenvalues by mpmath.eig: radius 1 at gamma_max, < 1 below "
                        "(all lam <= L), > 1 above", f"|radius - 1| ~ 1e-{worst}", worst,
                        precision=dps_precision(ctx.dps, worst), cases=rows)


def _no_eps_term(orig):
    """Sabotage: the amplitude without ``-eps/lam`` (the large-gamma asymptote)."""
    def wrong(g, b1, e, lam):
        return orig(g, b1, e, lam) + sympy.Rational(str(e)) / sympy.Rational(str(lam))
    return wrong


@claim("bounds.two_cycle", paper="2509.10476",
       statement=r"Beyond $\gamma_{\max}$ Adam does not diverge: it has the period-2 orbit "
                 r"$\theta=\pm A$, $A=(\varepsilon/\lambda)(\gamma/\gamma_{\max}-1)$, attracting "
                 r"iff $1-\gamma_{\max}/\gamma<a_c=(1-\beta_1)(1-\beta_1\beta_2)/(2\beta_1(1+"
                 r"\beta_2))$; beyond that the oscillation bursts, within the a priori bound.",
       derive=derive_two_cycle, depends_on=("bounds.stability", "bounds.apriori"),
       sabotage=Sabotage("amplitude gamma(1-beta1)/(2(1+beta1)) without -eps/lam",
                         {"two_cycle_amplitude": _no_eps_term}))
def _two_cycle(ctx):
    cases = [("0.5", "0.5", "0.1", "1", R(11, 10)), ("0.3", "0.5", "0.1", "2", R(13, 10)),
             ("0", "0.9", "0.1", "1", R(3))]
    rows, worst = [], 10**6
    for b1, b2, e, lam, f in cases:
        g = f * gamma_max(b1, e, lam)
        with mpmath.workdps(ctx.dps + 10):
            A = _mp(two_cycle_amplitude(g, b1, e, lam), ctx.dps)
            st = adam_orbit(lam, _mp(g, ctx.dps), b1, b2, e, 1, 60 * (ctx.dps + 10), ctx.dps)
            d = min(agreeing_digits(abs(st[-1][0]), A), agreeing_digits(abs(st[-2][0]), A),
                    agreeing_digits(mpmath.sqrt(st[-1][3]), mpmath.mpf(lam) * A))
            alt = st[-1][0] * st[-2][0] < 0
        worst = min(worst, d if alt else 0)
        rows.append({"beta1": b1, "beta2": b2, "eps": e, "lam": lam, "gamma/gamma_max": str(f),
                     "A": mpmath.nstr(A, 20), "digits": d})
    # the orbit's stability on both sides of a_c (numeric two-step Jacobian at the orbit)
    b1, b2, e = "0.5", "0.9", "0.1"
    ac = critical_a(b1, b2)
    mods = {}
    for side, fac in (("below", R(9, 10)), ("above", R(11, 10))):
        a = ac * fac
        g = gamma_max(b1, e, 1) / (1 - a)
        with mpmath.workdps(40):
            A = _mp(two_cycle_amplitude(g, b1, e, 1), 30)
            mu = (1 - mpmath.mpf(b1)) * A / (1 + mpmath.mpf(b1))
            mods[side] = max(two_step_multipliers((-A, mu, A * A), 1, _mp(g, 30), b1, b2, e,
                                                  30))
    flip = mods["below"] < 1 < mods["above"]
    # beyond the window: deterministic float64 runs stay within the a priori bound
    K = float(_mp(apriori_constant("0.9", "0.999"), 20))
    gm = 2 * 1e-3 * 1.9 / 0.1
    lrs = np.array([2, 10, 100]) * gm
    out = quadratic_sup("adam", [1.0], None, 1.0, lrs, 60000, 3, 0, eps=1e-3)
    bounded = bool(np.all(out["dist"] <= np.maximum(1.0, lrs * K)))
    worst = min(worst, ctx.dps)
    ok = worst >= ctx.dps - 5 and flip and bounded
    return ctx.evidence(ok, f"bias-corrected Adam iterated {60 * (ctx.dps + 10)} steps in mpmath "
                        "from theta0 = 1 (3 cases incl. RMSprop); two-step Jacobian moduli at "
                        "a = 0.9 a_c and 1.1 a_c; float64 runs at 2, 10, 100 gamma_max "
                        "(beta = 0.9, 0.999)", f"1e-{worst}", worst,
                        precision=dps_precision(ctx.dps, worst), cases=rows,
                        multiplier_below_a_c=mpmath.nstr(mods["below"], 10),
                        multiplier_above_a_c=mpmath.nstr(mods["above"], 10),
                        bursting_max_over_lrK=(out["dist"] / (lrs * K)).tolist())


from . import claims_rms  # noqa: E402,F401  (registers bounds.rms_step, bounds.no_limit)
