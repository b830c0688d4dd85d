"""Morse-property sweeps over random regression problems (arXiv 2504.08867).

One *problem* = a fixed input design with seeded random targets
(:mod:`symadam.networks.problems`); for each, :func:`analyze_problem` searches
critical points of the empirical risk of a shallow network ``(d, m, 1)`` from
several random starts, certifies each converged point
(:mod:`symadam.morse.critical_np`: kind minimum / saddle / degenerate by
the Kantorovich-Weyl tolerance ``tau = 2 K eta``) and classifies its domain
(efficient / redundant / borderline / diverging,
:mod:`symadam.morse.efficiency_np`).  The paper's claim predicts that every
efficient critical point is nondegenerate: ``efficient_nondegenerate_fraction
= 1``.  :func:`morse_sweep` maps :func:`analyze_problem` over any executor of
:mod:`symadam.core.parallel`; problem ``i`` draws everything from
``SeedSequence(seed, spawn_key=(i,))``, so the result is the same whichever
worker computes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.validate import check_choice, check_int
from ..networks.hessian import require_analytic
from ..networks.problems import make_problem, problem_seed
from . import critical_np
from .critical_np import hessian_lipschitz_bound, search_critical_points

__all__ = ["ProblemSpec", "analyze_problem", "morse_sweep", "summarize_sweep",
           "check_sweep_arguments", "refine_and_certify", "recertify_sweep", "audit_certificates",
           "CLASSES"]

#: (domain, kind) classes reported by a sweep.
CLASSES = tuple(f"{dom}_{kind}" for dom in ("efficient", "redundant", "borderline", "diverging")
                for kind in ("minimum", "saddle", "degenerate"))


@dataclass(frozen=True)
class ProblemSpec:
    """Everything :func:`analyze_problem` needs (picklable, for process/Dask workers)."""

    activation: str
    width: int
    points: int
    seed: int
    index: int
    restarts: int = 4
    d: int = 1
    kind: str = "gp"
    saddle_fraction: float = 0.25


def check_sweep_arguments(activation: str, width: int, points: int, problems: int = 1,
                          restarts: int = 1, d: int = 1) -> None:
    """Validate sweep arguments; ``ValueError`` naming the argument and the range.

    ``points`` must be at least the number of parameters ``P = m (d + 2) + 1``:
    with fewer data points the zero-loss minimizers (which exist generically,
    the realization map on the data being a submersion) form manifolds of
    dimension ``>= P - n``, where ``Hess L = (2/n) J^T J`` has rank ``<= n < P``,
    so the Morse property fails on the efficient domain for a trivial reason.

    Examples
    --------
    >>> check_sweep_arguments("tanh", 2, 7)
    >>> check_sweep_arguments("tanh", 2, 6)
    Traceback (most recent call last):
    ...
    ValueError: points must be >= 7 (the number of parameters m*(d+2)+1 for width 2, d=1), got \
6: with fewer data points zero-loss minimizers are not isolated
    """
    from ..networks.activations import ACTIVATIONS, ANALYTIC

    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ANALYTIC)} (analytic); "
                         f"got {activation!r}")
    require_analytic(activation, "the Morse sweep")
    check_int("width", width, 1)
    check_int("d", d, 1)
    check_int("problems", problems, 1)
    check_int("restarts", restarts, 1)
    P = width * (d + 2) + 1
    if isinstance(points, bool) or not isinstance(points, int) or points < P:
        raise ValueError(f"points must be >= {P} (the number of parameters m*(d+2)+1 for "
                         f"width {width}, d={d}), got {points!r}: with fewer data points "
                         "zero-loss minimizers are not isolated")


def analyze_problem(spec: ProblemSpec) -> dict[str, Any]:
    """Search, certify and classify the critical points of one problem (JSON-ready dict).

    Examples
    --------
    >>> r = analyze_problem(ProblemSpec("tanh", 2, 8, seed=0, index=0, restarts=2))
    >>> sorted(r)[:3]
    ['counts', 'index', 'points']
    """
    prob = make_problem(spec.seed, spec.index, spec.points, spec.d, spec.kind)
    # the restarts use an independent child of the problem's stream
    rng = np.random.default_rng(problem_seed(spec.seed, spec.index).spawn(1)[0])
    pts, counts = search_critical_points(prob.x, prob.y, spec.width, spec.activation,
                                         spec.restarts, rng,
                                         saddle_fraction=spec.saddle_fraction)
    out = []
    for p in pts:
        out.append({
            "class": f"{p.domain}_{p.kind}", "domain": p.domain, "kind": p.kind,
            "index": p.index, "loss": p.loss, "grad_norm": p.cert.grad_norm,
            "min_abs_eig": p.cert.min_abs_eig, "tau": p.cert.tau,
            "K": p.cert.lipschitz, "eta": p.cert.newton_step, "slack": p.cert.slack,
            "max_eig": float(np.max(p.cert.eigenvalues)), "method": p.method,
            "theta": [float(v) for v in p.theta],
        })
    return {"index": spec.index, "points": out, "counts": counts}


def summarize_sweep(results: list[dict], activation: str = "", width: int = 0,
                    points: int = 0, seed: int = 0) -> dict[str, Any]:
    """Counts per class and the eigenvalue statistics of a sweep (JSON-ready).

    Examples
    --------
    >>> s = summarize_sweep([{"index": 0, "counts": {}, "points": [
    ...     {"class": "efficient_minimum", "domain": "efficient", "kind": "minimum",
    ...      "min_abs_eig": 0.5, "tau": 1e-9}]}])
    >>> s["efficient_nondegenerate_fraction"], s["efficient_min_abs_eigenvalue"]["min"]
    (1.0, 0.5)
    """
    classes = {c: 0 for c in CLASSES}
    other = {"escaped": 0, "not_converged": 0, "duplicate": 0}
    eff, eff_tau, eff64, per_class = [], [], [], {}
    for r in results:
        for k, v in r["counts"].items():
            other[k] = other.get(k, 0) + v
        for p in r["points"]:
            classes[p["class"]] = classes.get(p["class"], 0) + 1
            per_class.setdefault(p["class"], []).append(p["min_abs_eig"])
            if p["domain"] == "efficient":
                eff.append(p["min_abs_eig"])
                eff_tau.append(p["min_abs_eig"] >= p["tau"] and p["kind"] != "degenerate")
                eff64.append(p.get("kind64", p["kind"]) != "degenerate")
    n_eff = len(eff)

    def stats(a):
        a = np.asarray(a, dtype=float)
        if a.size == 0:
            return {"count": 0, "min": None, "median": None, "quantiles": {}}
        q = {f"{k:g}": float(np.quantile(a, k)) for k in (0.01, 0.1, 0.5, 0.9)}
        return {"count": int(a.size), "min": float(a.min()), "median": float(np.median(a)),
                "quantiles": q}

    return {
        "activation": activation, "width": width, "points": points, "seed": seed,
        "problems": len(results),
        "critical_points": classes,
        "runs": other,
        "efficient_critical_points": n_eff,
        "efficient_nondegenerate_fraction": (float(np.mean(eff_tau)) if n_eff else None),
        "efficient_certified_float64_fraction": (float(np.mean(eff64)) if n_eff else None),
        "efficient_certified_mpmath": int(sum(1 for r in results for p in r["points"]
                                              if p.get("certified_by") == "mpmath")),
        "efficient_min_abs_eigenvalue": stats(eff),
        "min_abs_eigenvalue_by_class": {k: stats(v) for k, v in sorted(per_class.items())},
    }


def morse_sweep(activation: str, width: int, points: int, problems: int, seed: int = 0,
                restarts: int = 4, executor: Any = None, d: int = 1, kind: str = "gp",
                progress: Callable[[int], None] | None = None,
                chunk: int = 25) -> tuple[dict[str, Any], list[dict]]:
    """Run the sweep over ``problems`` random problems; return ``(summary, results)``.

    ``executor`` is any :mod:`symadam.core.parallel` executor (serial if None);
    ``progress(k)`` is called after each chunk of ``k`` finished problems.

    Examples
    --------
    >>> s, res = morse_sweep("tanh", 2, 8, problems=2, seed=1, restarts=2)
    >>> s["problems"], len(res)
    (2, 2)
    """
    check_sweep_arguments(activation, width, points, problems, restarts, d)
    check_choice("kind", kind, ("gp", "teacher"))
    from ..core.parallel import SerialExecutor

    executor = executor or SerialExecutor()
    specs = [ProblemSpec(activation, width, points, int(seed), i, restarts, d, kind)
             for i in range(problems)]
    results: list[dict] = []
    for a in range(0, len(specs), chunk):
        part = executor.map(analyze_problem, specs[a:a + chunk])
        results.extend(part)
        if progress is not None:
            progress(len(part))
    return summarize_sweep(results, activation, width, points, seed), results


def refine_and_certify(theta, x, y, activation: str, dps: int = 40, steps: int = 4) -> dict:
    """Certify a point the float64 test cannot decide, with the mpmath route.

    :func:`symadam.morse.certify_mp.newton_refine_mp` refines ``theta``
    by Newton steps and returns the spectrum of the Hessian and the Newton step
    ``eta = |H^{-1} g|`` at the refined point, all at ``dps`` digits.  The
    Kantorovich-Weyl test of :mod:`symadam.morse.critical_np` then reads
    ``min|eig| - slack >= tau = 2 K eta``, with ``K`` the rigorous Lipschitz
    bound over a ball about the float64 rounding ``t64`` of the point that
    contains the ball of radius ``2 eta`` about the point itself, and
    ``slack = 10 P 10^(-dps) |H|_F`` the backward error of ``mpmath.eigsy``.

    Returns a JSON-ready dict: ``certified``, ``min_abs_eig``, ``tau``,
    ``slack``, ``grad_norm`` (mp residual, as a decimal string), ``index`` and
    ``dps``.

    Examples
    --------
    >>> from symadam.morse.critical_np import planted_minimum
    >>> x, y, pt = planted_minimum("tanh", 1, 8, np.random.default_rng(0))
    >>> refine_and_certify(pt.theta, x, y, "tanh")["certified"]
    True
    """
    import mpmath

    from .certify_mp import newton_refine_mp

    xx = np.asarray(x, float).reshape(len(x), -1)
    yy = np.asarray(y, float)
    res = newton_refine_mp([float(v) for v in np.asarray(theta, float)], xx.tolist(),
                           yy.tolist(), activation, dps, steps)
    with mpmath.workdps(dps):
        t = res["theta"]
        t64 = np.array([float(v) for v in t])
        round_err = float(mpmath.sqrt(mpmath.fsum((ti - mpmath.mpf(float(ti))) ** 2
                                                  for ti in t)))
        ev = res["eigenvalues"]
        lmin = float(min(abs(e) for e in ev))
        hnorm = float(mpmath.sqrt(mpmath.fsum(e * e for e in ev)))
        eta = float(res["eta"])
        gnorm = mpmath.nstr(res["grad_norm"], 5)
        index = sum(1 for e in ev if e < 0)
    K = hessian_lipschitz_bound(t64, xx, yy, activation,
                                2 * eta + round_err + 1e-12 if np.isfinite(eta) else 1.0)
    slack = 10 * len(t) * 10.0 ** (-dps) * hnorm
    tau = critical_np.KANTOROVICH_FACTOR * K * eta
    with mpmath.workdps(dps):
        theta_s = [mpmath.nstr(v, dps) for v in t]
    return {"certified": bool(np.isfinite(tau) and lmin - slack >= tau), "min_abs_eig": lmin,
            "tau": tau, "slack": slack, "grad_norm": gnorm, "index": int(index), "dps": dps,
            "eta": eta, "K": K, "theta": theta_s}


def audit_certificates(results: list, activation: str, points: int, seed: int, d: int = 1,
                       kind: str = "gp", dps: int = 40) -> list[dict]:
    """Recompute, for every certified point of a sweep, what its tolerance must at least be.

    For each point the sweep certified, the Newton step ``eta = |H^{-1} g|`` is
    recomputed in mpmath at ``dps`` digits (exact gradient and Hessian of the
    float64 point, :func:`symadam.morse.certify_mp.newton_refine_mp` with no step;
    for points certified in mpmath, at the refined point), and ``K`` is the
    Lipschitz bound on the ball of radius ``2 eta`` (plus the distance to the
    float64 rounding of the point).  A sound certificate reported
    ``tau >= 2 K eta`` (Kantorovich's ``h <= 1/2``); the caller compares.

    Returns rows with the reported ``tau``, ``reported_K``, ``reported_eta``,
    ``slack`` (added to ``tau`` by the float64 certificate), ``eigenvalue_slack``
    and ``min_abs_eig``, and the recomputed ``eta_mp``, ``K_mp`` and
    ``min_abs_eig_mp``.

    Examples
    --------
    >>> audit_certificates([], "tanh", 10, 0)
    []
    """
    import mpmath

    from .certify_mp import newton_refine_mp

    rows = []
    for r in results:
        prob = None
        for p in r["points"]:
            if p["kind"] not in ("minimum", "saddle"):
                continue
            prob = prob or make_problem(seed, r["index"], points, d, kind)
            by = p.get("certified_by", "float64")
            with mpmath.workdps(dps):
                if by == "mpmath":
                    t = [mpmath.mpf(v) for v in p["mp_certificate"]["theta"]]
                else:
                    t = [mpmath.mpf(float(v)) for v in p["theta"]]
                t64 = np.array([float(v) for v in t])
                round_err = float(mpmath.sqrt(mpmath.fsum((ti - mpmath.mpf(float(ti))) ** 2
                                                          for ti in t)))
                res = newton_refine_mp(t, prob.x.tolist(), prob.y.tolist(), activation, dps, 0)
                eta = float(res["eta"])
                lam = float(min(abs(e) for e in res["eigenvalues"]))
            K = hessian_lipschitz_bound(t64, prob.x, prob.y, activation,
                                        2 * eta + round_err + (1e-12 if by == "mpmath" else 0))
            rep = p["mp_certificate"] if by == "mpmath" else p
            rows.append({"index": r["index"], "certified_by": by, "tau": p["tau"],
                         "reported_K": rep["K"], "reported_eta": rep["eta"],
                         "slack": rep["slack"] if by == "float64" else 0.0,
                         "eigenvalue_slack": rep["slack"],
                         "min_abs_eig": p["min_abs_eig"], "eta_mp": eta, "K_mp": K,
                         "min_abs_eig_mp": lam})
    return rows


def recertify_sweep(results: list, activation: str, points: int, seed: int, d: int = 1,
                    kind: str = "gp", dps: int = 40) -> int:
    """Re-examine the uncertified efficient points of a sweep with mpmath (in place).

    Every efficient point whose float64 certificate failed is refined by
    :func:`refine_and_certify`; if that certifies it, its ``kind`` becomes
    ``minimum``/``saddle`` with ``"certified_by": "mpmath"`` (the float64
    verdict stays in ``"kind64"``).  Returns the number of points re-examined.

    Examples
    --------
    >>> recertify_sweep([], "tanh", 10, 0)
    0
    """
    count = 0
    for r in results:
        for p in r["points"]:
            p.setdefault("kind64", p["kind"])
            if p["domain"] != "efficient" or p["kind"] != "degenerate":
                continue
            prob = make_problem(seed, r["index"], points, d, kind)
            cert = refine_and_certify(np.array(p["theta"]), prob.x, prob.y, activation, dps)
            p["mp_certificate"] = cert
            count += 1
            if cert["certified"]:
                p["kind"] = "minimum" if cert["index"] == 0 else "saddle"
                p["class"] = f"{p['domain']}_{p['kind']}"
                p["min_abs_eig"], p["tau"] = cert["min_abs_eig"], cert["tau"]
                p["certified_by"] = "mpmath"
    return count
