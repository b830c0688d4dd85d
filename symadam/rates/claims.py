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
from .methods import KAPPA, MU, L, get_method
from .methods.heavy_ball import fixed_momentum
from .minimax_mp import minimax
from .optimality import optimality_derivation, p1_lower_bound
from .spectral_mp import char_value, iteration_matrix, worst_case_radius
from .tuning import TuningPiece

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


def _hypothesis_digits(method: str, c_expr, rng, dps: int) -> int:
    """The lemma's hypothesis by the independent route: det(I - M(lambda)) / lambda, with M the
    mpmath iteration matrix at random real parameters (either sign) and random lambda, equals
    the derivation's c; agreeing digits (min over 4 draws of the parameters, 2 lambdas each)."""
    names = [p.symbol.name for p in get_method(method).tuned_params]
    worst = 10**6
    with mpmath.workdps(dps + 10):
        for _ in range(4):
            vals = {n: _rational(rng, -3, 3) for n in names}
            pars = {n: _mp(v, {}, dps) for n, v in vals.items()}
            c = _mp(c_expr, {s: vals[s.name] for s in c_expr.free_symbols}, dps)
            for lam in (_rational(rng, 1, 50), _rational(rng, 50, 900)):
                lam_mp = _mp(lam, {}, dps)
                M = iteration_matrix(method, lam_mp, pars, dps + 10)
                worst = min(worst, agreeing_digits(char_value(M, 1, dps + 10) / lam_mp, c))
    return worst


def _optimal_check(method: str):
    def check(ctx):
        t = tune(method)
        lemma = p1_lower_bound(method)
        rng = _rng(ctx)
        kappas = [_rational(rng, 2, 50), _rational(rng, 50, 2000)]
        rows, digits = [], 10**6
        with mpmath.workdps(ctx.dps + 10):
            for kappa in kappas:
                subs = {MU: 1, L: kappa, KAPPA: kappa}
                params = {k: _mp(v, subs, ctx.dps) for k, v in t.parameters.items()}
                rho = _mp(t.rate, subs, ctx.dps)
                worst, _ = worst_case_radius(method, params, 1, _mp(kappa, {}, ctx.dps), 17,
                                             ctx.dps)
                dig = agreeing_digits(worst, rho)
                digits = min(digits, dig)
                box = {"h": ("1e-6", str(4 / float(kappa) + 4))}
                if "beta" in params:
                    box["beta"] = ("0", "0.99999")
                starts = [{k: v * f for k, v in params.items()} for f in (1, mpmath.mpf("0.7"))]
                starts.append({k: (float(lo) + float(hi)) / 3 for k, (lo, hi) in box.items()})
                v, at = minimax(method, box, 1, float(kappa), starts, dps=25, iterations=40,
                                points=24)
                rows.append({"kappa": str(kappa), "rate": mpmath.nstr(rho, 20),
                             "radius_at_derived_tuning": mpmath.nstr(worst, 20), "digits": dig,
                             "numeric_minimax": mpmath.nstr(v, 15),
                             "minimax_at": {k: mpmath.nstr(x, 10) for k, x in at.items()},
                             "beaten": bool(v < rho * (1 - mpmath.mpf("1e-9")))})
        hyp = (_hypothesis_digits(method, lemma["c"], rng, ctx.dps) if lemma["c"] is not None
               else None)
        if lemma["proves"]:
            digits = min(digits, hyp)
        ok = digits >= ctx.dps - 5 and not any(r["beaten"] for r in rows)
        proof = ("the p(1) lemma proves it (derivation); the hypothesis p_lambda(1) = c lambda "
                 f"holds for the mpmath iteration matrix at random real parameters to {hyp} "
                 "digits" if lemma["proves"] else
                 "the p(1) lemma gives only Polyak's bound here: optimality within the family "
                 "is checked by the numeric minimax only")
        return ctx.evidence(
            ok, f"spectral radius (mpmath.eig) at the derived tuning, max over 17 lambdas, at "
            f"{ctx.dps + 10} digits; numeric minimax (Nelder-Mead, 3 starts, worst radius over "
            f"the whole lambda interval) at 2 random kappa; {proof}",
            f"derived tuning attains the rate to {digits} digits; numeric minimax "
            f"{'never' if ok else 'may be'} below it", digits,
            precision=dps_precision(ctx.dps, digits), cases=rows, lemma_proves=lemma["proves"],
            lemma_bound=str(lemma["bound"]), hypothesis_digits=hyp)
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


_OFF = 1 + sympy.Rational(1, 10**30)
_OPTIMAL = {
    "gd": r"For every real step $h$, the worst case over $\lambda \in [\mu, L]$ of gradient "
          r"descent's root modulus $|1 - h\lambda|$ is at least $(\kappa-1)/(\kappa+1)$, "
          r"which $h = 2/(L+\mu)$ attains: no constant step has a smaller local rate on "
          r"quadratics with spectrum in $[\mu, L]$ (proof: the $p(1)$ lemma).",
    "heavy_ball": r"For every real $(h, \beta)$, the worst case over $\lambda \in [\mu, L]$ "
                  r"of heavy ball's largest root modulus is at least "
                  r"$(\sqrt\kappa-1)/(\sqrt\kappa+1)$, which the derived tuning attains: no "
                  r"constant tuning has a smaller local rate on quadratics with spectrum in "
                  r"$[\mu, L]$ (proof: the $p(1)$ lemma).",
    "nesterov": r"The derived tuning of Nesterov's method attains $1 - 2/\sqrt{3\kappa+1}$, and "
                r"at two random $\kappa$ a numeric minimax (Nelder--Mead from 3 starts over "
                r"$h \in [10^{-6}, 4/\kappa + 4]$, $\beta \in [0, 0.99999]$, $\mu = 1$, "
                r"worst radius over the whole $\lambda$ interval) finds no tuning faster by "
                r"more than $10^{-9}$; the $p(1)$ lemma bounds it only by Polyak's rate, so "
                r"global optimality among constant tunings is not proven here.",
}

for _short, _name in _METHODS.items():
    claim(f"rates.{_short}", paper="standard", statement=_STATEMENTS[_short], precision="dps",
          derive=(lambda n=_name: tune(n).derivation),
          sabotage=Sabotage("the derived rate off by a relative 1e-30",
                            _wrong_tuning(_name, rate=lambda r: r * _OFF)))(_spectral_check(_name))
    claim(f"rates.{_short}_optimal", paper="standard", precision="dps",
          statement=_OPTIMAL[_short],
          derive=(lambda n=_name: optimality_derivation(n)),
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


#: Heavy ball with its momentum fixed: the optimum changes character at a breakpoint in kappa.
_FIXED_BETA = sympy.Rational(99, 100)


def _one_piece(tune_orig):
    """Sabotage: the fixed-momentum tuning as one piece, sqrt(beta) for every kappa >= 1."""
    def wrong(m):
        t = tune_orig(m)
        if m != fixed_momentum(_FIXED_BETA):
            return t
        p = t.pieces[0]
        one = TuningPiece(sympy.Integer(1), sympy.oo, True, p.rate, p.parameters,
                          p.parameters_kappa, p.active_set)
        return dataclasses.replace(t, rate=p.rate, parameters=p.parameters,
                                   parameters_kappa=p.parameters_kappa, pieces=(one,))
    return wrong


@claim("rates.heavy_ball_fixed_momentum", paper="standard", precision="dps",
       statement=r"Heavy ball with its momentum fixed at $\beta = 99/100$ and only the step "
                 r"$h$ tuned has optimal local rate $\sqrt\beta$ exactly for $1 \le \kappa "
                 r"\le \kappa^* = \big(\frac{1+\sqrt\beta}{1-\sqrt\beta}\big)^2 = 79201 + "
                 r"23880\sqrt{11}$ and a larger, real-root equioscillation rate beyond: the "
                 r"engine's two pieces and exact breakpoint; at random $\kappa$ on both sides "
                 r"of $\kappa^*$ the derived step attains the piece's rate and a numeric "
                 r"minimax over $h$ finds no faster step.",
       derive=lambda: tune(fixed_momentum(_FIXED_BETA)).derivation,
       depends_on=("rates.heavy_ball",),
       sabotage=Sabotage("one piece: sqrt(beta) for every kappa (no breakpoint)",
                         {"tune": _one_piece}))
def _check_fixed_momentum(ctx):
    t = tune(fixed_momentum(_FIXED_BETA))
    rng = _rng(ctx)
    rows, digits, ok = [], 10**6, True
    wp = ctx.dps + 10                           # working digits: kappa up to 3e6 costs ~6
    with mpmath.workdps(wp):
        beta = _mp(_FIXED_BETA, {}, wp)
        sb = mpmath.sqrt(beta)
        kstar = ((1 + sb) / (1 - sb)) ** 2                    # typed in: Polyak's kappa*
        bps = [_mp(b, {}, wp) for b in t.breakpoints]
        bdig = agreeing_digits(bps[0], kstar) if len(bps) == 1 else 0
        digits = min(digits, bdig)
        ki = int(mpmath.floor(kstar))
        kappas = [(_rational(rng, 2, 10000), "left"), (ki - int(rng.integers(1, 1000)), "left"),
                  (ki + int(rng.integers(1000, 5000)), "right"),
                  (_rational(rng, 300000, 3000000), "right")]
        for kappa, side in kappas:
            kappa = sympy.Rational(kappa)
            rho = _mp(t.rate_at(kappa, wp + 10), {}, wp)
            hh = _mp(t.parameters_at(L=kappa, mu=1, dps=wp + 10)["h"], {}, wp)
            kmp = _mp(kappa, {}, wp)
            worst, _ = worst_case_radius("heavy-ball", {"h": hh, "beta": beta}, 1, kmp, 17, wp)
            dig = agreeing_digits(worst, rho)
            digits = min(digits, dig)
            hf = float(hh)
            v, at = minimax("heavy-ball", {"h": (str(hf / 100), str(8 / float(kappa) + 1e-9))},
                            1, float(kappa), [{"h": hf}, {"h": hf / 3}, {"h": hf * 3}],
                            fixed={"beta": "0.99"}, dps=25, iterations=40, points=24)
            beaten = bool(v < rho * (1 - mpmath.mpf("1e-9")))
            character = (abs(v - sb) < mpmath.mpf("1e-9") if side == "left"
                         else v > sb * (1 + mpmath.mpf("1e-7")))
            ok &= not beaten and bool(character)
            rows.append({"kappa": str(kappa), "side of kappa*": side,
                         "rate": mpmath.nstr(rho, 20), "digits": dig,
                         "numeric_minimax": mpmath.nstr(v, 15), "beaten": beaten,
                         "minimax_is_sqrt_beta": bool(abs(v - sb) < mpmath.mpf("1e-9"))})
    ok &= digits >= ctx.dps - 5
    return ctx.evidence(
        ok, f"breakpoint against the typed-in ((1+sqrt b)/(1-sqrt b))^2; spectral radius "
        f"(mpmath.eig, heavy ball's mpmath recurrence with beta = 0.99) at the derived step, max "
        f"over 17 lambdas, at {wp} digits; numeric minimax over h (Nelder-Mead, "
        "3 starts, worst radius over the whole lambda interval) at 4 kappa, 2 on each side",
        f"breakpoint {bdig} digits, rates attained to {digits} digits; minimax "
        f"{'never' if ok else 'may be'} below, sqrt(beta) left of kappa* only", digits,
        precision=dps_precision(ctx.dps, digits), cases=rows, pieces=len(t.pieces),
        breakpoint_digits=bdig)


from . import claims_adam  # noqa: E402,F401  (registers rates.adam*, rates.rmsprop*)
