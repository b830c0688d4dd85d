"""Wiring of the ``sgd`` checks: inputs for the route modules, and the comparisons.

No mathematics of its own (the routes live in ``*_np``/``*_mp`` modules): this
module builds callables from objectives (``sympy.lambdify``), calls the
independent routes with the claims' cases, and compares their output with
what the exact routes derived (z-scores, agreeing digits).  The derivations
being checked are passed in as arguments by :mod:`symadam.sgd.claims`, so a
sabotage of a derivation there reaches the comparison unchanged.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import mpmath
import numpy as np
import sympy
from sympy import Rational

from .objective import parse_objective

__all__ = ["numeric_exponent", "measured_flow", "decaying_run", "mexican_spiral",
           "lyapunov_series_sgd", "commuting_formula", "langevin_invariant",
           "invariant_simulations", "hill_tail", "trial_simulations", "adaptive_runs",
           "adam_series", "leading_covariance", "adam_zero", "averaged_runs", "wrong_theta",
           "distance_law"]


def _numpy_printer():
    """A numpy printer writing small integer powers as products (``x*x*x``, not ``x**3``).

    ``numpy.power`` with exponents other than 2 calls ``pow`` per element; the
    product is exact to the same rounding and several times faster.
    """
    from sympy.printing.numpy import NumPyPrinter

    class _Products(NumPyPrinter):
        def _print_Pow(self, expr, rational=False):
            n = expr.exp
            if n.is_Integer and 2 <= int(n) <= 8:
                b = self.parenthesize(expr.base, 1000)
                return "(" + "*".join([b] * int(n)) + ")"
            return super()._print_Pow(expr, rational=rational)

    return _Products({"fully_qualified_modules": False, "inline": True,
                      "allow_unknown_functions": True, "user_functions": {}})


def _callables(text: str, variables: Sequence[str], module: str):
    f = parse_objective(text, variables)
    xs = [sympy.Symbol(v, real=True) for v in variables]
    kw = {"printer": _numpy_printer()} if module == "numpy" else {}
    fl = sympy.lambdify(xs, f, module, **kw)
    gl = [sympy.lambdify(xs, sympy.diff(f, x), module, **kw) for x in xs]
    return f, xs, fl, gl


def numeric_exponent(text: str, variables: Sequence[str], point: Sequence[Any]) -> dict:
    """The level-set estimate of the exponent (:mod:`symadam.sgd.exponent_np`)."""
    from .exponent_np import level_set_exponent

    f, xs, fl, gl = _callables(text, variables, "numpy")
    d = len(xs)

    def F(X):
        return fl(*[X[..., i] for i in range(d)]) * np.ones(X.shape[:-1])

    def G(X):
        return np.stack([g(*[X[..., i] for i in range(d)]) * np.ones(X.shape[:-1]) for g in gl],
                        axis=-1)

    fstar = float(f.subs(dict(zip(xs, point))))
    return level_set_exponent(F, G, [float(v) for v in point], fstar)


def measured_flow(text: str, variables: Sequence[str], point: Sequence[Any], x0: Sequence[Any],
                  law: str, dps: int) -> dict:
    """The decay law measured on the mpmath gradient flow from ``x0`` (:mod:`.flow_mp`)."""
    from .flow_mp import algebraic_exponent, exponential_rate

    f, xs, fl, gl = _callables(text, variables, "mpmath")
    fstar = f.subs(dict(zip(xs, point)))

    def F(y):
        return fl(*y)

    def G(y):
        return [g(*y) for g in gl]

    with mpmath.workdps(2 * dps + 30):
        x0m = [mpmath.mpf(sympy.Rational(v).p) / sympy.Rational(v).q for v in x0]
        fs = mpmath.mpf(sympy.N(fstar, 2 * dps + 30))
    if law == "algebraic":
        return algebraic_exponent(F, G, x0m, fs, dps)
    return exponential_rate(F, G, x0m, fs, dps)


def decaying_run(text: str, variables: Sequence[str], point: Sequence[Any], x0: Sequence[float],
                 c: float, a: float, sigma: float, beta: float, n_runs: int, n_steps: int,
                 seed: Any) -> dict:
    """Seeded (momentum) SGD runs, steps ``c n^-a``: slope of ``E[f - f*]`` and ``n^a E``."""
    from .sgd_np import loglog_fit, simulate_decaying

    f, xs, fl, gl = _callables(text, variables, "numpy")
    d = len(xs)
    fstar = float(f.subs(dict(zip(xs, point))))

    def F(X):
        return fl(*[X[:, i] for i in range(d)]) * np.ones(X.shape[0])

    def G(X):
        out = np.empty(X.shape)
        cols = [X[:, i] for i in range(d)]
        for i, g in enumerate(gl):
            out[:, i] = g(*cols)          # broadcasts constant components
        return out

    marks = np.unique(np.geomspace(n_steps // 10, n_steps, 8).astype(int))
    r = simulate_decaying(G, F, x0, fstar, c, a, sigma, n_steps, n_runs, seed, beta=beta,
                          marks=marks)
    slope, se = loglog_fit(r["n"], r["mean"], r["se"])
    return {"slope": slope, "slope_se": se, "bounded": r["bounded"],
            "final_scaled": float(r["n"][-1] ** a * r["mean"][-1]),
            "final_rel_se": float(r["se"][-1] / r["mean"][-1])}


def mexican_spiral(dps: int) -> list[dict]:
    """The Mexican-hat trajectory from ``u = 2``, ``psi = 3/2`` read at ``u = 5, 10, 20, 40``."""
    from .mexican_hat_mp import spiral

    return spiral(2, mpmath.mpf(3) / 2, [5, 10, 20, 40], dps=dps)


def _mp_matrix(M, dps):
    M = sympy.Matrix(M)
    return [[mpmath.mpf(sympy.N(M[i, j], dps + 15)) for j in range(M.cols)] for i in range(M.rows)]


def lyapunov_series_sgd(H, S, gamma, batch, dps: int) -> list[list]:
    """``sum_k A^k Q (A^k)^T`` for ``A = I - gamma H``, ``Q = gamma^2 S/J`` (mpmath series)."""
    from .invariant_mp import lyapunov_series

    H, S = sympy.Matrix(H), sympy.Matrix(S)
    with mpmath.workdps(dps + 15):
        A = _mp_matrix(sympy.eye(H.rows) - gamma * H, dps)
        Q = _mp_matrix(gamma ** 2 * S / batch, dps)
        return lyapunov_series(A, Q, dps)


def commuting_formula(H, S, gamma, batch=1) -> dict:
    """Sabotage helper: ``gamma (2H - gamma H^2)^{-1} S / J`` (right only when ``H S = S H``)."""
    H, S = sympy.Matrix(H), sympy.Matrix(S)
    Sig = gamma * (2 * H - gamma * H * H).inv() * S / batch
    return {"covariance": Sig, "excess_risk": (H * Sig).trace() / 2}


def langevin_invariant() -> dict:
    """Sabotage helper: the small-step (Langevin) stationary variance ``gamma sigma^2/(2J)``."""
    g, s, J = (sympy.Symbol("gamma", positive=True), sympy.Symbol("sigma", positive=True),
               sympy.Symbol("J", positive=True, integer=True))
    v = g * s ** 2 / (2 * J)
    return {"mean_error": 0, "variance": v, "excess_risk": v / 2, "stable_below": 2}


def _subs(expr, gamma, sigma, batch):
    from .invariant import GAMMA, SIGMA, J

    return float(sympy.sympify(expr).subs({GAMMA: gamma, SIGMA: sigma, J: batch}))


def invariant_simulations(scalar_invariant: Callable, sgd_covariance: Callable, ctx) -> tuple:
    """z-scores of simulated stationary second moments against the derived ones."""
    from .invariant import regression_second_moment
    from .invariant_np import regression_chain, stationary_additive, stationary_matrix

    var = scalar_invariant()["variance"]
    rows, worst, k = [], 0.0, 0
    for law, g, J in (("normal", 0.5, 1), ("normal", 1.5, 4), ("rademacher", 0.7, 1),
                      ("rademacher", 1.5, 3)):
        r = stationary_additive(g, 1.0, J, 40000, 80, ctx.seed_sequence(k), law=law)
        k += 1
        pred = _subs(var, Rational(str(g)), 1, J)
        z = (r["second_moment"] - pred) / r["second_moment_se"]
        zm = r["mean"] / r["mean_se"]
        worst = max(worst, abs(z), abs(zm))
        rows.append({"case": f"1-D {law}", "gamma": g, "J": J, "predicted": pred,
                     "simulated": r["second_moment"], "se": r["second_moment_se"],
                     "z": round(z, 2), "z_mean": round(zm, 2)})
    H, S, g = [[2.0, 1.0], [1.0, 3.0]], [[1.0, 0.0], [0.0, 2.0]], Rational(1, 10)
    cov = sgd_covariance([[2, 1], [1, 3]], [[1, 0], [0, 2]], g, 1)["covariance"]
    r = stationary_matrix(H, S, float(g), 1, 40000, 200, ctx.seed_sequence(k))
    k += 1
    for i, j in ((0, 0), (0, 1), (1, 1)):
        z = (r["cov"][i, j] - float(cov[i, j])) / r["se"][i, j]
        worst = max(worst, abs(z))
        rows.append({"case": f"2x2 Sigma[{i},{j}]", "gamma": float(g), "J": 1,
                     "predicted": float(cov[i, j]), "simulated": float(r["cov"][i, j]),
                     "se": float(r["se"][i, j]), "z": round(z, 2)})
    m2 = regression_second_moment()["second_moment"]
    r = regression_chain(0.3, 1, 1.0, 40000, 300, ctx.seed_sequence(k), burn=299, every=1)
    e = r["e"]
    pred = _subs(m2, Rational(3, 10), 1, 1)
    se = float(np.std(e * e, ddof=1) / np.sqrt(e.size))
    z = (float(np.mean(e * e)) - pred) / se
    worst = max(worst, abs(z))
    rows.append({"case": "regression", "gamma": 0.3, "J": 1, "predicted": pred,
                 "simulated": float(np.mean(e * e)), "se": se, "z": round(z, 2)})
    return rows, worst


def hill_tail(gamma: float, seed: Any) -> tuple[float, float]:
    """Hill's estimate (top 800 of 250000 independent chains) of the tail index of regression SGD.

    One value per chain: snapshots of one chain cluster in the tail (extremal
    clustering of Kesten processes), which the standard error ``kappa/sqrt(k)``
    does not account for.
    """
    from .invariant_np import hill, regression_chain

    r = regression_chain(gamma, 1, 1.0, 250000, 150, seed, burn=149, every=1)
    return hill(r["abs_e"], 800)


def trial_simulations(trial_excess: Callable, ctx) -> tuple:
    """Trial phases from the exact invariant law: simulated mean excess against the formula."""
    rows, worst = [], 0.0
    g0, T, R = 0.1, 50, 100000
    v0 = g0 / (2 - g0)
    for i, g in enumerate((0.025, 0.1, 0.4)):
        rng = np.random.default_rng(ctx.seed_sequence(i))
        e = rng.standard_normal(R) * np.sqrt(v0)
        for _ in range(T):
            e = (1 - g) * e + g * rng.standard_normal(R)
        ex = 0.5 * e * e
        pred = float(trial_excess(Rational(1, 19), Rational(str(g)), T))
        se = float(ex.std(ddof=1) / np.sqrt(R))
        z = (float(ex.mean()) - pred) / se
        worst = max(worst, abs(z))
        rows.append({"g": g, "T": T, "predicted": pred, "simulated": float(ex.mean()),
                     "se": se, "z": round(z, 2)})
    return rows, worst


def adaptive_runs(scalar_invariant: Callable, ctx) -> dict:
    """Constant rate against the exact plateau; the invariant rule's rate and excess decay."""
    from .adaptive_np import run_adaptive, run_plateau

    g0 = 0.5
    level = _subs(scalar_invariant()["excess_risk"], Rational(1, 2), 1, 1)
    const = run_plateau(g0, 400, 2000, ctx.seed_sequence(0), patience=10**9, record=5)
    z = (const["excess"][-1] - level) / const["excess_se"][-1]
    ad = run_adaptive("invariant", g0, 20000, 300, ctx.seed_sequence(1), record=10)
    ex, se, gm = ad["excess"], ad["excess_se"], ad["gamma_geomean"]
    z_drop = (ex[-3] - ex[-1]) / np.hypot(se[-3], se[-1])
    ok = abs(z) < 4 and gm[-1] < g0 / 50 and ex[-1] < level / 20 and z_drop > 4
    return {"ok": bool(ok),
            "residual": f"constant-rate |z| = {abs(z):.2f} (tolerance 4); adaptive: gamma "
                        f"{gm[-1]:.2e} (bound {g0 / 50}), excess {ex[-1]:.2e} (bound level/20 = "
                        f"{level / 20:.2e}), decrease over the last decade z = {z_drop:.1f} "
                        f"(needs > 4)",
            "details": {"level": level, "constant_excess": float(const["excess"][-1]),
                        "constant_se": float(const["excess_se"][-1]),
                        "adaptive_work": ad["work"].tolist(),
                        "adaptive_gamma": gm.tolist(), "adaptive_excess": ex.tolist(),
                        "adaptive_se": se.tolist(), "searches": ad["searches"]}}


def adam_series(gamma, p, h, beta1, q, delta, dps: int) -> list[list]:
    """The Lyapunov series of the linearised Adam system, its matrices restated from the model.

    ``m' = beta1 m + (1-beta1)(h e + xi)``, ``e' = e - gamma p m'``,
    ``a' = delta a + (1-delta) e'``.
    """
    from .invariant_mp import lyapunov_series

    with mpmath.workdps(dps + 15):
        g, P, hh, b, qq = (mpmath.mpf(sympy.N(v, dps + 15)) for v in (gamma, p, h, beta1, q))
        rows_m = [(1 - b) * hh, b]
        rows_e = [1 - g * P * (1 - b) * hh, -g * P * b]
        Bm, Be = 1 - b, -g * P * (1 - b)
        if delta is None:
            A = [rows_e, rows_m]
            B = [Be, Bm]
        else:
            dl = mpmath.mpf(sympy.N(delta, dps + 15))
            A = [rows_e + [0], rows_m + [0], [(1 - dl) * rows_e[0], (1 - dl) * rows_e[1], dl]]
            B = [Be, Bm, (1 - dl) * Be]
        Q = [[qq * x * y for y in B] for x in B]
        return lyapunov_series(A, Q, dps)


def leading_covariance(orig: Callable) -> Callable:
    """Sabotage helper: the iterate variance replaced by its leading order ``gamma P q/(2h)``."""
    def wrong(gamma, p, h, beta1, q, delta=None):
        S = orig(gamma, p, h, beta1, q, delta).copy()
        S[0, 0] = gamma * p * q / (2 * h)
        return S
    return wrong


def adam_zero(spec: str, beta1: str, beta2: str) -> float:
    """The zero of the Adam vector field (``symadam.avf``; the named topic edge ``sgd -> avf``)."""
    from ..avf.field_mp import avf_zero

    return float(avf_zero(spec, beta1, beta2, 0, dps=15).zero)


def averaged_runs(stationary_covariance: Callable, ctx) -> dict:
    """Averaged Adam runs against the linearised variances and the zero of the Adam field."""
    from .averaged_np import across_runs, simulate_averaged_adam

    spec, b1, b2, theta_star, q = "bernoulli:0.1", 0.9, 0.99, 0.1, 0.09
    z = adam_zero(spec, "0.9", "0.99")
    P = 1 / np.sqrt((z - theta_star) ** 2 + q)
    Pr = sympy.nsimplify(P, rational=True, tolerance=1e-15)
    worst_var, rows, means = 0.0, [], {}
    for i, lr in enumerate((2e-3, 1e-3)):
        n, win = int(40 / lr), int(30 / lr)
        r = simulate_averaged_adam(spec, z, lr, b1, b2, 0.0, n, 1000, ctx.seed_sequence(i),
                                   window=win)
        g = sympy.nsimplify(lr)
        pred = {"final": stationary_covariance(g, Pr, 1, Rational(9, 10), Rational(9, 100))[0, 0],
                "ema_0.99": stationary_covariance(g, Pr, 1, Rational(9, 10), Rational(9, 100),
                                                  Rational(99, 100))[2, 2],
                "ema_0.999": stationary_covariance(g, Pr, 1, Rational(9, 10), Rational(9, 100),
                                                   Rational(999, 1000))[2, 2],
                "arithmetic": Rational(9, 100) / win}
        for key, pv in pred.items():
            s = across_runs(r[key])
            pv = float(pv)
            dev = abs(s["var"] - pv)
            score = dev / (4 * s["var_se"] + 0.05 * pv)
            worst_var = max(worst_var, score)
            rows.append({"lr": lr, "estimator": key, "var_predicted": pv, "var_simulated":
                         s["var"], "var_se": s["var_se"], "mean": s["mean"],
                         "mean_se": s["mean_se"], "variance_factor_vs_iterate":
                         s["var"] / across_runs(r["final"])["var"]})
        means[lr] = across_runs(r["arithmetic"])
    m1, m2 = means[1e-3], means[2e-3]
    ext = 2 * m1["mean"] - m2["mean"]
    ext_se = float(np.hypot(2 * m1["mean_se"], m2["mean_se"]))
    z_zero = abs(ext - z) / ext_se
    z_star = abs(ext - theta_star) / ext_se
    ok = worst_var <= 1 and z_zero < 4 and z_star > 10
    return {"ok": bool(ok),
            "residual": f"variances within 4 SE + 5% (worst ratio {worst_var:.2f}); "
                        f"extrapolated mean: |. - zero|/SE = {z_zero:.2f} (tolerance 4), "
                        f"|. - theta*|/SE = {z_star:.1f} (needs > 10)",
            "details": {"zero": z, "theta_star": theta_star, "extrapolated_mean": ext,
                        "extrapolated_se": ext_se, "estimators": rows}}


def wrong_theta(orig):
    """Sabotage: ``theta`` replaced by ``2 theta - 1`` (= ``1 - 2/d``: the degree halved)."""
    import dataclasses

    def wrong(*a, **k):
        r = orig(*a, **k)
        return dataclasses.replace(r, theta=2 * r.theta - 1)
    return wrong


def distance_law(orig):
    """Sabotage: the distance exponent ``(1-theta)/(2 theta-1)`` reported as the value's."""
    import dataclasses

    def wrong(*a, **k):
        r = orig(*a, **k)
        if r.flow_law == "exponential":
            return dataclasses.replace(r, rate=2 * r.rate)
        return dataclasses.replace(r, flow_exponent=r.distance_exponent)
    return wrong
