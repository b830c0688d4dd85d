"""Morse-property sweeps over random regression problems (arXiv 2504.08867).

One *problem* = a fixed input design with seeded random targets
(:mod:`symadam.networks.problems`); for each, :func:`analyze_problem` searches
critical points of the empirical risk of a shallow network ``(d, m, 1)`` from
several random starts and gives every converged point a **label**
(:data:`~symadam.morse.critical_np.LABELS`):

``certified_minimum`` / ``certified_saddle``
    the Kantorovich-Weyl certificate ``min|eig| >= tau = 2 K eta`` holds, in
    float64 (:func:`~symadam.morse.critical_np.certify`) or, where float64 cannot
    decide, after Newton refinement in mpmath (:func:`refine_and_certify`): a
    true nondegenerate critical point of that index lies within ``2 eta``;
``singular``
    Newton in mpmath (pseudo-inverse steps) converges, ``|g| <= 10^-(3 dps/4)``,
    next to the float64 point, to a point whose Hessian has an eigenvalue below
    ``10^-(dps/2) |H|``: a critical point with a Hessian singular at the working
    precision (e.g. on the line of a split neuron or the set ``v_j = 0``);
``diverging``
    the mpmath Newton iteration leaves the float64 point outward (at constant
    speed, or to a far point with larger ``|theta|``): an approximate critical
    point at infinity, such as a neuron saturated on the data.  A finite
    nondegenerate minimum does not get this label: Newton converges
    quadratically next to it and certifies it;
``uncertified``
    none of the above was shown.

and a **domain** from the efficiency margins (efficient / redundant /
borderline, :mod:`symadam.morse.efficiency_np`; ``diverging`` points have none
and get the domain ``diverging``).  Numerical points of one critical point are
reported once (:func:`deduplicate`: certified points by their certified
distance, the others by their realization on the data).  The paper's claim
predicts that every efficient critical point is nondegenerate:
``efficient_nondegenerate_fraction = 1``.  :func:`morse_sweep` maps
:func:`analyze_problem` over any executor of :mod:`symadam.core.parallel`;
problem ``i`` draws everything from ``SeedSequence(seed, spawn_key=(i,))``, so
the result is the same whichever worker computes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.cli_common import progress_reporter
from ..core.validate import check_choice, check_int
from ..networks.hessian import require_analytic, risk_derivatives
from ..networks.problems import make_problem, problem_seed
from . import critical_np
from .critical_np import LABELS, hessian_lipschitz_bound, search_critical_points
from .efficiency_np import canonicalize

__all__ = ["ProblemSpec", "analyze_problem", "morse_sweep", "summarize_sweep",
           "check_sweep_arguments", "refine_and_certify", "refine_and_classify",
           "deduplicate", "audit_certificates", "LABELS", "DOMAINS"]

#: Domains reported by a sweep.
DOMAINS = ("efficient", "redundant", "borderline", "diverging")


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
    dps: int = 40


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
    """Search, label and deduplicate the critical points of one problem (JSON-ready dict).

    Every converged point gets the float64 certificate; points it cannot decide
    go through :func:`refine_and_classify` at ``spec.dps`` digits.  Returns
    ``{"index", "points", "counts"}``; each point has ``label``, ``domain``,
    ``class`` (``domain_label``, or ``diverging``), ``index``, ``loss``,
    ``grad_norm``, ``min_abs_eig``, ``tau``, ``K``, ``eta``, ``slack``,
    ``max_eig``, ``method``, ``theta``, ``certified_by`` (``float64``,
    ``mpmath`` or None), ``merged`` (numerical points reported as this one) and,
    after the mpmath stage, ``mp`` (its evidence).

    Examples
    --------
    >>> r = analyze_problem(ProblemSpec("tanh", 2, 8, seed=0, index=0, restarts=2))
    >>> sorted(r)
    ['counts', 'index', 'points']
    >>> all(p["label"] in LABELS for p in r["points"])
    True
    """
    prob = make_problem(spec.seed, spec.index, spec.points, spec.d, spec.kind)
    # the restarts use an independent child of the problem's stream
    rng = np.random.default_rng(problem_seed(spec.seed, spec.index).spawn(1)[0])
    pts, counts = search_critical_points(prob.x, prob.y, spec.width, spec.activation,
                                         spec.restarts, rng,
                                         saddle_fraction=spec.saddle_fraction)
    out = []
    for p in pts:
        rec = {
            "label": p.label, "domain": p.domain, "index": p.index, "loss": p.loss,
            "grad_norm": p.cert.grad_norm, "min_abs_eig": p.cert.min_abs_eig,
            "tau": p.cert.tau, "K": p.cert.lipschitz, "eta": p.cert.newton_step,
            "slack": p.cert.slack, "max_eig": float(np.max(p.cert.eigenvalues)),
            "method": p.method, "theta": [float(v) for v in p.theta],
            "certified_by": "float64" if p.cert.certified else None, "merged": 1,
        }
        if rec["label"] == "uncertified":
            mp = refine_and_classify(p.theta, prob.x, prob.y, spec.activation, spec.dps)
            rec["mp"] = mp
            rec["label"] = mp["label"]
            if mp["label"] == "diverging":
                rec["domain"] = "diverging"
            elif mp["label"].startswith("certified"):
                rec["certified_by"] = "mpmath"
                rec.update(min_abs_eig=mp["min_abs_eig"], tau=mp["tau"], index=mp["index"])
        rec["class"] = "diverging" if rec["domain"] == "diverging" else \
            f"{rec['domain']}_{rec['label']}"
        out.append(rec)
    kept, dup = deduplicate(out, prob.x, prob.y, spec.activation)
    counts["duplicate"] = counts.get("duplicate", 0) + dup
    return {"index": spec.index, "points": kept, "counts": counts}


def refine_and_classify(theta, x, y, activation: str, dps: int = 40, steps: int = 40) -> dict:
    """The mpmath stage: Newton refinement, then a label (see the module docstring).

    Damped Newton in mpmath at ``dps`` digits with pseudo-inverse steps
    (eigenvalues below ``10^-(dps/2)`` of the largest are left out), at most
    ``steps`` steps, stopping once 3 away from the start.

    * *Runs off*: three successive Newton steps of length >= 0.1 within 25 % of
      each other.  Newton moves at constant speed where the risk flattens out
      exponentially along a ray (``L ~ L_inf + A e^{-c s}`` gives steps ``1/c``).
    * *Converged*: not run off, ``|g| <= 10^-(3 dps/4) max(1, |y|)`` and a last
      step below ``10^-(dps/4)``; *far*: the refined point is more than
      ``10^-3 (1 + |theta|)`` from the float64 one.
    * Converged and not far: the certificate of :func:`refine_and_certify` at
      the refined point gives ``certified_minimum`` / ``certified_saddle``;
      failing it, ``min|eig| <= 10^-(dps/2) max|eig|`` gives ``singular``, else
      ``uncertified``.
    * Run off, or far with ``|theta|`` grown: ``diverging``, an approximate
      critical point at infinity (e.g. a neuron saturated on the data): no
      critical point lies near the float64 point, and Newton leaves it outward.
      Near a finite nondegenerate critical point the steps shrink quadratically
      and the refined point stays within ``~|g| / min|eig|``: it passes.
    * Otherwise ``uncertified``.

    Returns a JSON-ready dict with ``label``, ``converged``, ``grad_norm``
    (decimal string), ``moved`` (distance from the float64 point),
    ``norm_change``, ``last_step``, ``min_abs_eig``, ``max_abs_eig``, ``index``,
    ``steps``, ``dps`` and, when certified, the certificate's ``tau``, ``K``,
    ``eta``, ``slack`` and ``theta`` (decimal strings).

    Examples
    --------
    >>> from symadam.morse.critical_np import planted_minimum
    >>> x, y, pt = planted_minimum("tanh", 1, 8, np.random.default_rng(0))
    >>> refine_and_classify(pt.theta, x, y, "tanh")["label"]
    'certified_minimum'
    """
    import mpmath

    from .certify_mp import newton_refine_mp

    check_int("dps", dps, minimum=20)
    xx = np.asarray(x, float).reshape(len(x), -1)
    yy = np.asarray(y, float)
    th = [float(v) for v in np.asarray(theta, float)]
    with mpmath.workdps(dps):
        gtol = mpmath.mpf(10) ** (-(3 * dps) // 4) * max(1.0, float(np.max(np.abs(yy))))
        stol = mpmath.mpf(10) ** (-(dps // 4))
        cut = mpmath.mpf(10) ** (-(dps // 2))
        res = newton_refine_mp(th, xx.tolist(), yy.tolist(), activation, dps, steps,
                               cutoff=cut, gtol=gtol, step_tol=stol, damping=30, max_move=3)
        hist = res["history"]
        moved = float(hist[-1][1]) if hist else 0.0
        ev = res["eigenvalues"]
        lmin = float(min(abs(e) for e in ev))
        lmax = float(max(abs(e) for e in ev))
        norm0 = float(mpmath.sqrt(mpmath.fsum(mpmath.mpf(v) ** 2 for v in th)))
        norm1 = float(mpmath.sqrt(mpmath.fsum(v ** 2 for v in res["theta"])))
        lengths = [float(h[2]) for h in hist]
        # Newton at constant speed: three successive steps >= 0.1 within 25 % of each other
        # (the risk flattens exponentially along a ray, e.g. a neuron saturating)
        runs_off = any(min(lengths[k:k + 3]) >= 0.1 and
                       max(lengths[k:k + 3]) <= 1.25 * min(lengths[k:k + 3])
                       for k in range(len(lengths) - 2))
        converged = bool(not runs_off and res["grad_norm"] <= gtol
                         and (not hist or hist[-1][2] <= stol))
        far = moved > 1e-3 * (1 + norm0)
        out = {"converged": converged, "grad_norm": mpmath.nstr(res["grad_norm"], 5),
               "moved": moved, "norm_change": norm1 - norm0,
               "last_step": float(hist[-1][2]) if hist else 0.0,
               "min_abs_eig": lmin, "max_abs_eig": lmax,
               "index": sum(1 for e in ev if e < 0), "steps": len(hist), "dps": dps}
        if converged:
            t_ref = [float(v) for v in res["theta"]]
    if not converged or far:
        out["label"] = "diverging" if runs_off or (far and norm1 > norm0) else "uncertified"
        return out
    cert = refine_and_certify(t_ref, xx, yy, activation, dps, steps=2)
    if cert["certified"]:
        out.update({k: cert[k] for k in ("tau", "K", "eta", "slack", "theta", "min_abs_eig",
                                         "index")})
        out["label"] = "certified_minimum" if cert["index"] == 0 else "certified_saddle"
    elif lmin <= float(cut) * lmax:
        out["label"] = "singular"
    else:
        out["label"] = "uncertified"
    return out


def _same_realization(a: dict, b: dict, x, activation: str, rel: float = 1e-7) -> bool:
    """Equal network outputs on the data (to ``rel`` of their size), and the same label."""
    if a["label"] != b["label"]:
        return False
    na = risk_derivatives(np.array(a["theta"]), x, np.zeros(len(x)), activation,
                          hessian=False).resid[0]
    nb = risk_derivatives(np.array(b["theta"]), x, np.zeros(len(x)), activation,
                          hessian=False).resid[0]
    return bool(np.max(np.abs(na - nb)) <= rel * (1 + np.max(np.abs(na))))


def deduplicate(points: list[dict], x, y, activation: str) -> tuple[list[dict], int]:
    """Report every critical point once; returns ``(kept, number merged away)``.

    *Certified* points (label ``certified_*``, with their ``K``, ``eta`` and
    ``min_abs_eig``, at the refined point if certified in mpmath): point ``i``
    is the critical point of an earlier kept point ``j`` when
    ``|c_i - c_j| + 2 eta_i <= lam_j / K_j``, ``c`` the canonical parameters
    (:func:`~symadam.morse.efficiency_np.canonicalize`): the true critical point
    near ``i`` lies within ``2 eta_i`` of it, hence inside the ball of radius
    ``lam_j / K_j`` about ``j`` where Newton-Kantorovich makes the critical point
    unique.  *Other* points (``singular``, ``diverging``, ``uncertified``) are the
    same when their labels agree and their realizations on the data agree to
    ``1e-7`` relative: a singular critical point lies on a continuum of
    parameters with one realization (e.g. ``v_j = 0`` and any ``u_j``), which
    is reported once.  Each kept point counts what it absorbed in ``merged``.

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 8)
    >>> a = {"label": "singular", "theta": [0.0, 0.1, 0.0, 0.3]}
    >>> b = {"label": "singular", "theta": [0.0, 0.7, 0.0, 0.3]}   # v = 0: same realization
    >>> kept, merged = deduplicate([a, b], p.x, p.y, "tanh")
    >>> len(kept), merged, kept[0]["merged"]
    (1, 1, 2)
    """
    xx = np.asarray(x, float).reshape(len(x), -1)
    d = xx.shape[1]
    kept: list[dict] = []
    canon: list[np.ndarray] = []
    merged = 0
    for p in points:
        p.setdefault("merged", 1)
        cert = p["label"].startswith("certified")
        src = p.get("mp", p) if p.get("certified_by") == "mpmath" else p
        th = np.array([float(v) for v in src.get("theta", p["theta"])])
        c = canonicalize(th, d, activation)
        hit = None
        for j, q in enumerate(kept):
            if cert and q["label"].startswith("certified"):
                qs = q.get("mp", q) if q.get("certified_by") == "mpmath" else q
                if (np.linalg.norm(c - canon[j]) + 2 * src["eta"]
                        <= q["min_abs_eig"] / qs["K"]):
                    hit = j
                    break
            elif not cert and not q["label"].startswith("certified") and \
                    _same_realization(p, q, xx, activation):
                hit = j
                break
        if hit is None:
            kept.append(p)
            canon.append(c)
        else:
            kept[hit]["merged"] += p["merged"]
            merged += 1
    return kept, merged


def summarize_sweep(results: list[dict], activation: str = "", width: int = 0,
                    points: int = 0, seed: int = 0) -> dict[str, Any]:
    """Counts per label and domain, and the eigenvalue statistics of a sweep (JSON-ready).

    ``critical_points`` counts labels; ``by_domain`` counts labels per domain.
    The efficient points are those of domain ``efficient`` (``diverging`` points
    have no domain); ``efficient_nondegenerate_fraction`` is the fraction of them
    that are certified (``certified_minimum``/``certified_saddle``).

    Examples
    --------
    >>> s = summarize_sweep([{"index": 0, "counts": {}, "points": [
    ...     {"label": "certified_minimum", "domain": "efficient", "min_abs_eig": 0.5,
    ...      "certified_by": "float64"}]}])
    >>> s["efficient_nondegenerate_fraction"], s["efficient_min_abs_eigenvalue"]["min"]
    (1.0, 0.5)
    """
    labels = {k: 0 for k in LABELS}
    by_domain = {dom: {k: 0 for k in LABELS} for dom in DOMAINS}
    other = {"escaped": 0, "not_converged": 0, "duplicate": 0}
    eff, eff_cert, eff64, per_label = [], [], [], {}
    for r in results:
        for k, v in r["counts"].items():
            other[k] = other.get(k, 0) + v
        for p in r["points"]:
            labels[p["label"]] = labels.get(p["label"], 0) + 1
            by_domain.setdefault(p["domain"], {}).setdefault(p["label"], 0)
            by_domain[p["domain"]][p["label"]] += 1
            per_label.setdefault(p["label"], []).append(p["min_abs_eig"])
            if p["domain"] == "efficient":
                eff.append(p["min_abs_eig"])
                eff_cert.append(p["label"].startswith("certified"))
                eff64.append(p.get("certified_by") == "float64")
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
        "critical_points": labels,
        "by_domain": {k: v for k, v in by_domain.items() if any(v.values())},
        "runs": other,
        "efficient_critical_points": n_eff,
        "efficient_nondegenerate_fraction": (float(np.mean(eff_cert)) if n_eff else None),
        "efficient_certified_float64_fraction": (float(np.mean(eff64)) if n_eff else None),
        "efficient_certified_mpmath": int(sum(1 for r in results for p in r["points"]
                                              if p["domain"] == "efficient"
                                              and p.get("certified_by") == "mpmath")),
        "efficient_min_abs_eigenvalue": stats(eff),
        "min_abs_eigenvalue_by_label": {k: stats(v) for k, v in sorted(per_label.items())},
    }


def morse_sweep(activation: str, width: int, points: int, problems: int, seed: int = 0,
                restarts: int = 4, executor: Any = None, d: int = 1, kind: str = "gp",
                progress: bool | Callable[[int], None] | None = True,
                chunk: int = 25, dps: int = 40) -> tuple[dict[str, Any], list[dict]]:
    """Run the sweep over ``problems`` random problems; return ``(summary, results)``.

    ``executor`` is any :mod:`symadam.core.parallel` executor (serial if None);
    ``progress``: ``True`` shows a ``tqdm.auto`` progress bar, ``False`` is
    silent, a callable ``progress(k)`` is called after each chunk of ``k``
    finished problems (:func:`symadam.core.cli_common.progress_reporter`);
    ``dps`` is the precision of the mpmath stage.

    Examples
    --------
    >>> s, res = morse_sweep("tanh", 2, 8, problems=2, seed=1, restarts=2, progress=False)
    >>> s["problems"], len(res)
    (2, 2)
    """
    check_sweep_arguments(activation, width, points, problems, restarts, d)
    check_choice("kind", kind, ("gp", "teacher"))
    check_int("dps", dps, minimum=20)
    from ..core.parallel import SerialExecutor

    executor = executor or SerialExecutor()
    specs = [ProblemSpec(activation, width, points, int(seed), i, restarts, d, kind, dps=dps)
             for i in range(problems)]
    results: list[dict] = []
    update, close = progress_reporter(progress, len(specs), "morse sweep")
    step = 1 if isinstance(executor, SerialExecutor) else chunk   # serial: a tick per problem
    for a in range(0, len(specs), step):
        part = executor.map(analyze_problem, specs[a:a + step])
        results.extend(part)
        update(len(part))
    close()
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
            if not p["label"].startswith("certified"):
                continue
            prob = prob or make_problem(seed, r["index"], points, d, kind)
            by = p["certified_by"]
            with mpmath.workdps(dps):
                if by == "mpmath":
                    t = [mpmath.mpf(v) for v in p["mp"]["theta"]]
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
            rep = p["mp"] if by == "mpmath" else p
            rows.append({"index": r["index"], "certified_by": by, "tau": p["tau"],
                         "reported_K": rep["K"], "reported_eta": rep["eta"],
                         "slack": rep["slack"] if by == "float64" else 0.0,
                         "eigenvalue_slack": rep["slack"],
                         "min_abs_eig": p["min_abs_eig"], "eta_mp": eta, "K_mp": K,
                         "min_abs_eig_mp": lam})
    return rows
