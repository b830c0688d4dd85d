"""Local rates of GD, heavy ball and Nesterov on quadratics, and the optimality of their tunings.

Exact route: :func:`symadam.rates.engine.tune` derives each tuning and
rate from the iteration map alone.  Independent routes (mpmath, never the
engine's expressions beyond evaluating the tuned parameters and the claimed
rate at a number):

* ``rates.<method>``: the spectral radius of the numeric iteration matrix
  (built from the mpmath recurrence, eigenvalues by ``mpmath.eig``) at
  random ``kappa`` and random ``mu``, maximized over a 33-point ``lambda``
  grid on ``[mu, L]``, equals the closed form to ``dps - 5`` digits;
* ``rates.<method>_optimal``: the method run in mpmath on a diagonal
  quadratic converges at the closed-form rate (fit accounting for the
  ``n rho^n`` behaviour of double roots, >= 6 digits), and no parameter
  choice on a grid around the tuning converges faster;
* ``rates.lower_bound`` (depends on the three): heavy ball attains the first-order lower bound
  ``(sqrt(kappa)-1)/(sqrt(kappa)+1)`` on quadratics; GD and Nesterov do not.

The claims ``rates.adam*`` and ``rates.rmsprop*`` live in
:mod:`symadam.rates.claims_adam`, imported (and so registered) at the end.
"""
from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import sympy

from ..core import claim
from ..core.identity import agreeing_digits
from ..core.record import Sabotage, dps_precision
from .engine import tune
from .iterate_mp import empirical_rate, grid_rates, run_diagonal
from .methods import KAPPA, MU, L
from .spectral_mp import worst_case_radius

_METHODS = {"gd": "gd", "heavy_ball": "heavy-ball", "nesterov": "nesterov"}
_STATEMENTS = {
    "gd": r"Gradient descent on a quadratic with spectrum in $[\mu, L]$ has optimal constant "
          r"step $h = 2/(L+\mu)$ and local rate $(\kappa-1)/(\kappa+1)$.",
    "heavy_ball": r"Polyak's heavy ball with $h = 4/(\sqrt L+\sqrt\mu)^2$, "
                  r"$\beta = ((\sqrt\kappa-1)/(\sqrt\kappa+1))^2$ has the optimal local rate "
                  r"$(\sqrt\kappa-1)/(\sqrt\kappa+1)$.",
    "nesterov": r"Nesterov's method with constant momentum is optimally tuned on quadratics by "
                r"$h = 4/(3L+\mu)$, $\beta = (\sqrt{3\kappa+1}-2)/(\sqrt{3\kappa+1}+2)$, with "
                r"local rate $1 - 2/\sqrt{3\kappa+1}$.",
}


_FACTORS = (0.9, 0.97, 1, 1.03, 1.1)
_STEPS, _GRID_STEPS = 2000, 600  # iteration length of the rate fit and of each grid run


def _rng(ctx) -> np.random.Generator:
    return np.random.default_rng(ctx.seed_sequence())


def _rational(rng: np.random.Generator, lo: int, hi: int, den: int = 1000) -> sympy.Rational:
    return sympy.Rational(int(rng.integers(lo * den, hi * den)), den)


def _mp(expr, subs: dict, dps: int) -> mpmath.mpf:
    return mpmath.mpf(str(sympy.N(sympy.sympify(expr).subs(subs), dps + 10)))


def _spectral_check(method: str):
    def check(ctx):
        t = tune(method)
        rng = _rng(ctx)
        rows, worst_digits, exceed, resid = [], 10**6, 0, mpmath.mpf(0)
        with mpmath.workdps(ctx.dps + 10):
            for _ in range(3):
                kappa = _rational(rng, 2, 1000)
                mu = _rational(rng, 1, 10) / 10
                subs = {MU: mu, L: kappa * mu, KAPPA: kappa}
                params = {k: _mp(v, subs, ctx.dps) for k, v in t.parameters.items()}
                rho = _mp(t.rate, subs, ctx.dps)
                worst, radii = worst_case_radius(method, params, mu, kappa * mu, 33, ctx.dps)
                dig = agreeing_digits(worst, rho)
                tol = rho * mpmath.mpf(10) ** (-(ctx.dps - 5))
                exceed += sum(r > rho + tol for _, r in radii)
                worst_digits = min(worst_digits, dig)
                resid = max(resid, abs(worst - rho) / rho)   # at the working precision
                rows.append({"kappa": str(kappa), "mu": str(mu), "rate": mpmath.nstr(rho, 20),
                             "max_radius": mpmath.nstr(worst, 20), "digits": dig})
            resid_text = mpmath.nstr(resid, 5)
        ok = worst_digits >= ctx.dps - 5 and exceed == 0
        return ctx.evidence(
            ok, "spectral radius of the mpmath iteration matrix (mpmath.eig, clusters merged), "
            f"max over a 33-point lambda grid, at 3 random (kappa, mu), {ctx.dps + 10} digits",
            f"max relative |radius - rate| = {resid_text}", worst_digits,
            precision=dps_precision(ctx.dps, worst_digits), cases=rows, active_set=t.active_set,
            rate=str(t.rate), parameters={k: str(v) for k, v in t.parameters.items()},
            grid_points_above_rate=exceed)
    return check


def _optimal_check(method: str):
    def check(ctx):
        t = tune(method)
        rng = _rng(ctx)
        kappa = _rational(rng, 2, 200)
        subs = {MU: 1, L: kappa, KAPPA: kappa}
        with mpmath.workdps(ctx.dps + 10):
            params = {k: _mp(v, subs, ctx.dps) for k, v in t.parameters.items()}
            rho = _mp(t.rate, subs, ctx.dps)
            # interior eigenvalues in the middle 80% of the spectrum, so that their modes
            # decay geometrically faster than the worst (end-point) modes for GD and Nesterov
            inner = sorted(mpmath.mpf(str(1 + (kappa - 1) * sympy.Rational(
                int(rng.integers(100, 900)), 1000))) for _ in range(2))
            lams = [mpmath.mpf(1)] + inner + [mpmath.mpf(str(sympy.N(kappa, ctx.dps + 10)))]
            theta0 = [mpmath.mpf(int(rng.integers(500, 1500))) / 1000 for _ in lams]
        errs = run_diagonal(method, lams, params, _STEPS, theta0, ctx.dps)
        rho_hat, q = empirical_rate(errs, stride=3, dps=ctx.dps)
        digits = agreeing_digits(rho_hat, rho)
        upper = {k: 1 for k in params if k.startswith("beta")}
        grid = grid_rates(method, params, lams, theta0, _FACTORS, steps=_GRID_STEPS, dps=30,
                          upper=upper)
        beaten, worse, best = [], 0, None
        for choice, r, res in grid:
            if all(abs(choice[k] / params[k] - 1) < 1e-12 for k in params):
                continue
            best = r if best is None else min(best, r)
            if r < rho - res:
                beaten.append({k: mpmath.nstr(v, 10) for k, v in choice.items()})
            worse += r > rho + res
        ok = digits >= 6 and not beaten
        with mpmath.workdps(ctx.dps + 10):
            resid = mpmath.nstr(abs(rho_hat - rho), 5)
        return ctx.evidence(
            ok, f"mpmath iteration on a {len(lams)}-eigenvalue diagonal quadratic, "
            f"{_STEPS} steps; fit log e_n^2 = c0 + 2n log rho + q log n + c1/n + c2/n^2 over "
            f"[{_STEPS // 2}, {_STEPS}] (at a double root the fit, not dps, limits the digits); "
            f"parameter grid x{{{', '.join(map(str, _FACTORS))}}} ({_GRID_STEPS} steps each)",
            resid, digits, precision=dps_precision(ctx.dps, digits), kappa=str(kappa),
            rate=mpmath.nstr(rho, 20), empirical_rate=mpmath.nstr(rho_hat, 20),
            fitted_log_n_power=mpmath.nstr(q, 6), grid_points=len(grid) - 1,
            grid_points_clearly_slower=worse, grid_points_faster=beaten,
            best_grid_rate=None if best is None else mpmath.nstr(best, 10))
    return check


def _wrong_tuning(method: str, rate=None, **params) -> dict:
    """A sabotage patch of ``tune``: ``method``'s tuning with its rate (or parameters) replaced.

    ``rate`` and the ``params`` values are functions of the derived expression.
    """
    def patch(tune_orig):
        def wrong(m):
            t = tune_orig(m)
            if m != method:
                return t
            new = {k: params[k](v) if k in params else v for k, v in t.parameters.items()}
            return dataclasses.replace(t, rate=rate(t.rate) if rate else t.rate, parameters=new)
        return wrong
    return {"tune": patch}


#: The competing classical rates, as plausible wrong answers for each method.
_GD_RATE = (KAPPA - 1) / (KAPPA + 1)
_POLYAK_RATE = (sympy.sqrt(KAPPA) - 1) / (sympy.sqrt(KAPPA) + 1)
_COMPETITOR = {"gd": ("Polyak's rate (sqrt(kappa)-1)/(sqrt(kappa)+1)", _POLYAK_RATE),
               "heavy-ball": ("gradient descent's rate (kappa-1)/(kappa+1)", _GD_RATE),
               "nesterov": ("Polyak's rate (sqrt(kappa)-1)/(sqrt(kappa)+1)", _POLYAK_RATE)}


def _optimality_derivation(name: str):
    """The optimality part of the engine's derivation (the active-set screening and checks)."""
    from ..core.derivation import Derivation

    full = tune(name).derivation
    d = Derivation(f"{full.title.split(':')[0]}: optimality of the derived tuning")
    for st in full.steps:
        if st.text.startswith(("The local rate is", "At $\\kappa", "Checks:")):
            d.steps.append(st)
    d.results["rate"] = tune(name).rate
    return d


_OFF = 1 + sympy.Rational(1, 10**30)

for _short, _name in _METHODS.items():
    claim(f"rates.{_short}", paper="standard", statement=_STATEMENTS[_short], precision="dps",
          derive=(lambda n=_name: tune(n).derivation),
          sabotage=Sabotage("the derived rate off by a relative 1e-30",
                            _wrong_tuning(_name, rate=lambda r: r * _OFF)))(_spectral_check(_name))
    claim(f"rates.{_short}_optimal", paper="standard", precision="dps",
          statement=f"No constant tuning of {_name} converges faster on "
                    r"quadratics with spectrum in $[\mu, L]$ than the derived one: its iterates "
                    r"converge at exactly the derived rate.",
          derive=(lambda n=_name: _optimality_derivation(n)),
          depends_on=(f"rates.{_short}",),
          sabotage=Sabotage(_COMPETITOR[_name][0], _wrong_tuning(
              _name, rate=lambda r, w=_COMPETITOR[_name][1]: w)))(_optimal_check(_name))


def _lower_bound_derivation():
    from ..core.derivation import Derivation

    k = KAPPA
    lb = (sympy.sqrt(k) - 1) / (sympy.sqrt(k) + 1)
    d = Derivation("GD, Nesterov and heavy ball against the first-order lower bound")
    d.add(r"Lower bound for first-order methods on quadratics in high dimension "
          r"(Nemirovski--Yudin; Nesterov 2004, Thm.~2.1.13):", lb, lhs=r"\rho_{\rm lb}")
    rates = {m: tune(m).rate for m in ("gd", "nesterov", "heavy-ball")}
    dens = {}
    for m, r in rates.items():
        dens[m] = sympy.factor(sympy.cancel(2 / (1 - r)))
        d.add(f"From the engine, \\texttt{{{m}}}: $\\rho = 1 - 2/D$ with", dens[m], lhs="D")
    d.add(r"Heavy ball minus the lower bound (a targeted canonical form):",
          sympy.cancel(sympy.radsimp(rates["heavy-ball"] - lb)), lhs=r"\rho_{\rm hb}-\rho_{\rm lb}")
    g2 = sympy.factor(sympy.expand(dens["gd"] ** 2 - dens["nesterov"] ** 2))
    n2 = sympy.factor(sympy.expand(dens["nesterov"] ** 2 - dens["heavy-ball"] ** 2))
    d.add(r"Larger $D$ means a slower rate; the differences of squares are positive for "
          r"$\kappa > 1$:", g2, lhs=r"D_{\rm gd}^2 - D_{\rm nag}^2")
    d.add("and", n2, lhs=r"D_{\rm nag}^2 - D_{\rm hb}^2")
    d.results.update({"gd - nag (D^2)": g2, "nag - hb (D^2)": n2})
    return d


def _plot_lower_bound(ev):
    """1 - rho against kappa (log-log) for the three methods and the lower bound."""
    import matplotlib.pyplot as plt

    rows = sorted(ev.details.get("cases", []), key=lambda r: float(sympy.Rational(r["kappa"])))
    ks = [float(sympy.Rational(r["kappa"])) for r in rows]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for key, style in (("gd", "o-"), ("nesterov", "s-"), ("heavy-ball", "^-"),
                       ("lower_bound", "k:")):
        ax.loglog(ks, [1 - float(r[key]) for r in rows], style, label=key)
    ax.set_xlabel(r"$\kappa$")
    ax.set_ylabel(r"$1 - \rho$ (numeric spectral radius)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@claim("rates.lower_bound", paper="standard", plot=_plot_lower_bound,
       statement=r"For every $\kappa > 1$ the derived optimal rates satisfy "
                 r"$\rho_{\rm GD} > \rho_{\rm Nesterov} > \rho_{\rm HB} = "
                 r"(\sqrt\kappa-1)/(\sqrt\kappa+1)$: heavy ball attains the first-order lower "
                 r"bound on quadratics, GD and Nesterov do not.",
       derive=_lower_bound_derivation, precision="dps",
       depends_on=("rates.gd", "rates.heavy_ball", "rates.nesterov"),
       sabotage=Sabotage("heavy ball's tuned step off by a relative 1e-30",
                         _wrong_tuning("heavy-ball", h=lambda h: h * _OFF)))
def _check_lower_bound(ctx):
    rng = _rng(ctx)
    rows, ok, min_digits = [], True, 10**6
    with mpmath.workdps(ctx.dps + 10):
        for e in (-2, 0.5, 1, 2, 4, 6):  # kappa - 1 in [10^e, 2 10^e): 1.01 ... 2e6
            kappa = 1 + sympy.Rational(int(10 ** e * 1000 * (1 + rng.random())), 1000)
            subs = {MU: 1, L: kappa, KAPPA: kappa}
            radius = {}
            for m in ("gd", "nesterov", "heavy-ball"):
                t = tune(m)
                params = {k: _mp(v, subs, ctx.dps) for k, v in t.parameters.items()}
                radius[m], _ = worst_case_radius(m, params, 1, _mp(kappa, {}, ctx.dps), 9,
                                                 ctx.dps)
            sk = mpmath.sqrt(_mp(kappa, {}, ctx.dps))
            lb = (sk - 1) / (sk + 1)
            dig = agreeing_digits(radius["heavy-ball"], lb)
            min_digits = min(min_digits, dig)
            ok &= radius["gd"] > radius["nesterov"] > radius["heavy-ball"]
            rows.append({"kappa": str(kappa), **{m: mpmath.nstr(r, 15) for m, r in radius.items()},
                         "lower_bound": mpmath.nstr(lb, 15)})
    ok &= min_digits >= ctx.dps - 5
    return ctx.evidence(ok, "numeric spectral radii (mpmath.eig) of the three tuned methods at "
                        f"6 random kappa from 1.01 to 2e6, {ctx.dps + 10} digits, against the "
                        "typed-in lower bound",
                        f"heavy ball vs lower bound: {min_digits} digits", min_digits,
                        precision=dps_precision(ctx.dps, min_digits), cases=rows)


from . import claims_adam  # noqa: E402,F401  (registers rates.adam*, rates.rmsprop*)
