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
    counts, why = Counter(), Counter()
    for r in results:
        prob = make_problem(ctx.seed, r["index"], 10, 1, "gp")
        for p in r["points"]:
            if p.get("domain") != "efficient":
                continue
            pr = _prove(p["theta"], prob.x.tolist(), prob.y.tolist(), "tanh")
            counts["efficient"] += 1
            counts["nondegenerate"] += pr.nondegenerate
            counts["minima"] += pr.minimum
            if not pr.nondegenerate:
                why[pr.why_not] += 1
    ok = counts["efficient"] > 0 and counts["nondegenerate"] == counts["efficient"]
    enc = {"efficient critical points": str(counts["efficient"]),
           "proven nondegenerate": str(counts["nondegenerate"]),
           "proven strict minima": str(counts["minima"])}
    return Certificate(ok, "Krawczyk test (unique nondegenerate critical point in a box) and "
                       "ball Cholesky of the Hessian over the box, in Arb arithmetic, for every "
                       "efficient critical point of the seeded sweep", enc,
                       None if ok else (("; ".join(f"{n}x {w}" for w, n in why.items()))
                                        or "no efficient critical point"),
                       {"seconds": round(time.perf_counter() - t0, 2),
                        "unproven_reasons": dict(why)})
