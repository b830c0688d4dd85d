"""Certified route of ``morse.efficient_nondegenerate`` (``symadam verify --certify``): wiring.

The same seeded sweep as the numeric check (tanh, width 2, 10 points) finds
the critical points; every point on the efficient domain is handed to
:func:`symadam.morse.certify_arb.prove_critical_point`, which proves (Krawczyk
test in Arb balls) a unique nondegenerate critical point in a small box and,
by a ball Cholesky factorisation of the Hessian over the box, whether it is a
strict local minimum.  Certified iff every efficient point is proven
nondegenerate; the counts of proven minima and the reasons for the rest are
reported.  The route's sabotage moves every point by ``10^-3`` in its first
coordinate (a point that is not critical): no box around it may be certified.
"""
from __future__ import annotations

import time
from collections import Counter

from ..core.arb_bridge import flint_or_none
from ..core.record import Certificate, Sabotage
from ..core.registry import certifier
from ..networks.problems import make_problem
from . import claims as _claims


def _shifted(prove):
    def wrong(theta, *args, **kw):
        t = list(theta)
        t[0] += 1e-3
        return prove(t, *args, **{**kw, "newton_steps": 0})
    return wrong


def _prove(theta, x, y, activation, **kw):
    from .certify_arb import prove_critical_point

    return prove_critical_point(theta, x, y, activation, **kw)


def prove_sweep(results: list, activation: str, points: int, seed: int,
                kind: str = "gp") -> dict:
    """Prove every efficient critical point of a sweep's results in Arb balls.

    Parameters
    ----------
    results : list
        The per-problem results of :func:`symadam.morse.sweep.morse_sweep`.
    activation, points, seed, kind :
        The sweep's arguments (the data of problem ``i`` are rebuilt by
        :func:`symadam.networks.problems.make_problem`).

    Returns
    -------
    dict
        ``efficient`` (count), ``proven_nondegenerate``, ``proven_minima``,
        ``proven_saddles`` (counts) and ``unproven``: one record
        ``{"problem", "loss", "why_not"}`` per point not proven.

    Examples
    --------
    >>> from symadam.morse.sweep import morse_sweep
    >>> _, res = morse_sweep("tanh", 1, 8, 2, seed=0, restarts=2, progress=False)
    >>> out = prove_sweep(res, "tanh", 8, 0)
    >>> out["proven_minima"] + out["proven_saddles"] + len(out["unproven"]) == out["efficient"]
    True
    >>> out["efficient"], out["proven_minima"], out["unproven"]
    (1, 1, [])
    """
    out = {"efficient": 0, "proven_nondegenerate": 0, "proven_minima": 0, "proven_saddles": 0,
           "unproven": []}
    for r in results:
        prob = make_problem(seed, r["index"], points, 1, kind)
        for p in r["points"]:
            if p.get("domain") != "efficient":
                continue
            pr = _prove(p["theta"], prob.x.tolist(), prob.y.tolist(), activation)
            out["efficient"] += 1
            out["proven_nondegenerate"] += bool(pr.nondegenerate)
            out["proven_minima"] += bool(pr.minimum)
            if pr.nondegenerate and not pr.minimum:
                out["proven_saddles"] += 1
            if not pr.nondegenerate:
                out["unproven"].append({"problem": r["index"], "loss": p.get("loss"),
                                        "why_not": pr.why_not})
    return out


@certifier("morse.efficient_nondegenerate",
           sabotage=Sabotage("every critical point moved by 1e-3 (not critical)",
                             {"_prove": _shifted}))
def _efficient(ctx) -> Certificate:
    if flint_or_none() is None:
        return Certificate(False, "Arb ball arithmetic",
                           why_not="python-flint is not installed (extra [certify])")
    t0 = time.perf_counter()
    _, results = _claims.morse_sweep("tanh", 2, 10, _claims.SWEEP_PROBLEMS, seed=ctx.seed,
                                     executor=ctx.executor, dps=max(30, ctx.dps),
                                     progress=False)
    out = prove_sweep(results, "tanh", 10, ctx.seed)
    why = Counter(u["why_not"] for u in out["unproven"])
    ok = out["efficient"] > 0 and out["proven_nondegenerate"] == out["efficient"]
    enc = {"efficient critical points": str(out["efficient"]),
           "proven nondegenerate": str(out["proven_nondegenerate"]),
           "proven strict minima": str(out["proven_minima"])}
    return Certificate(ok, "Krawczyk test (unique nondegenerate critical point in a box) and "
                       "ball Cholesky of the Hessian over the box, in Arb arithmetic, for every "
                       "efficient critical point of the seeded sweep", enc,
                       None if ok else (("; ".join(f"{n}x {w}" for w, n in why.items()))
                                        or "no efficient critical point"),
                       {"seconds": round(time.perf_counter() - t0, 2),
                        "unproven_reasons": dict(why)})
