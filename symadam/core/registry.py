"""The claim registry, its dependency graph, and the runner behind ``symadam verify``."""
from __future__ import annotations

import time
import traceback
from dataclasses import replace
from typing import Any, Callable, Iterable

import networkx as nx

from .record import PRECISION_KINDS, Certificate, CheckContext, Claim, Evidence, Sabotage
from .topics import topic_modules

__all__ = ["REGISTRY", "CERTIFIERS", "register", "claim", "certifier", "load_all", "graph",
           "select", "run_claims", "check_one"]

#: All registered claims, by id (filled by importing the claim modules).
REGISTRY: dict[str, Claim] = {}

#: Certified (ball-arithmetic) routes, by claim id (filled by the topics' ``certify`` modules).
CERTIFIERS: dict[str, Callable[[CheckContext], Certificate]] = {}
#: The certified routes' own sabotages (a route without one is run against the claim's).
CERTIFIER_SABOTAGES: dict[str, Sabotage] = {}


def certifier(claim_id: str, sabotage: Sabotage | None = None
              ) -> Callable[[Callable[[CheckContext], Certificate]],
                            Callable[[CheckContext], Certificate]]:
    """Decorator: register the decorated function as the certified route of ``claim_id``.

    The function takes the claim's :class:`CheckContext` and returns a
    :class:`Certificate`; it is run by ``symadam verify --certify``.
    ``sabotage`` is a wrong answer the *certified* route must refuse to
    certify (names resolved in the certifier's module); without it, the
    claim's own sabotage is used.

    Examples
    --------
    >>> @certifier("doc.cert")
    ... def _c(ctx):
    ...     return Certificate(False, "none", why_not="example")
    >>> CERTIFIERS.pop("doc.cert") is _c
    True
    """
    def wrap(f):
        if claim_id in CERTIFIERS and CERTIFIERS[claim_id] is not f:
            raise ValueError(f"claim {claim_id!r} has two certified routes")
        CERTIFIERS[claim_id] = f
        if sabotage is not None:
            CERTIFIER_SABOTAGES[claim_id] = sabotage
        return f
    return wrap


def register(c: Claim) -> Claim:
    """Add a claim to :data:`REGISTRY` (ids are unique).

    Examples
    --------
    >>> c = Claim("doc.example", "standard", "s", (), lambda: None, lambda ctx: None)
    >>> register(c) is c
    True
    >>> _ = REGISTRY.pop("doc.example")
    """
    old = REGISTRY.get(c.id)
    if old is not None and old is not c and old.check is not c.check:
        raise ValueError(f"claim id {c.id!r} is registered twice")
    REGISTRY[c.id] = c
    return c


def claim(
    id: str,
    *,
    paper: str,
    statement: str,
    derive: Callable[[], Any],
    depends_on: Iterable[str] = (),
    plot: Callable[[Evidence], Any] | None = None,
    sabotage: Sabotage | None = None,
    precision: str = "dps",
) -> Callable[[Callable[[CheckContext], Evidence]], Claim]:
    """Decorator: register the decorated check function as claim ``id``.

    Examples
    --------
    >>> from symadam.core.derivation import Derivation
    >>> @claim("doc.deco", paper="standard", statement="1 = 1",
    ...        derive=lambda: Derivation("trivial"))
    ... def _check(ctx):
    ...     return ctx.evidence(1 == 1, "equality", "0")
    >>> _check.id
    'doc.deco'
    >>> _ = REGISTRY.pop("doc.deco")
    """

    def wrap(check: Callable[[CheckContext], Evidence]) -> Claim:
        if precision not in PRECISION_KINDS:
            raise ValueError(f"precision must be one of {PRECISION_KINDS}, got {precision!r}")
        return register(Claim(id, paper, statement, tuple(depends_on), derive, check, plot,
                              sabotage, precision))

    return wrap


def load_all() -> dict[str, Claim]:
    """Import every topic's ``claims`` module (which registers its claims); return the registry.

    Examples
    --------
    >>> "rates.gd" in load_all()
    True
    """
    topic_modules("claims")
    topic_modules("certify")
    return REGISTRY


def graph(claims: dict[str, Claim] | None = None) -> nx.DiGraph:
    """The dependency DAG (edge ``dep -> claim``); raises on cycles or unknown ids.

    Examples
    --------
    >>> g = graph(load_all())
    >>> nx.is_directed_acyclic_graph(g)
    True
    """
    claims = load_all() if claims is None else claims
    g = nx.DiGraph()
    for c in claims.values():
        g.add_node(c.id)
        for d in c.depends_on:
            if d not in claims:
                raise ValueError(f"claim {c.id!r} depends on unknown claim {d!r}")
            g.add_edge(d, c.id)
    if not nx.is_directed_acyclic_graph(g):
        raise ValueError(f"claim dependencies have a cycle: {nx.find_cycle(g)}")
    return g


def select(prefixes: Iterable[str] = (), claims: dict[str, Claim] | None = None) -> list[str]:
    """Ids matching any prefix (``"rates"`` matches ``"rates.gd"``), plus their
    dependencies, in a dependency-respecting order.  No prefix selects all.

    Examples
    --------
    >>> ids = select(["rates.gd"])
    >>> ids[-1]
    'rates.gd'
    >>> select(["no.such.claim"])
    Traceback (most recent call last):
    ...
    ValueError: claim prefix 'no.such.claim' matches no registered claim
    """
    claims = load_all() if claims is None else claims
    g = graph(claims)
    prefixes = list(prefixes)
    if not prefixes:
        chosen = set(claims)
    else:
        chosen = set()
        for p in prefixes:
            hit = {i for i in claims if i == p or i.startswith(p.rstrip(".") + ".")}
            if not hit:
                raise ValueError(f"claim prefix {p!r} matches no registered claim")
            chosen |= hit
        for i in list(chosen):
            chosen |= nx.ancestors(g, i)
    return [i for i in nx.lexicographical_topological_sort(g) if i in chosen]


def check_one(c: Claim, ctx: CheckContext, certify: bool = False) -> Evidence:
    """Run ``c.check(ctx)``, timed; an exception becomes ``error`` evidence, never a crash.

    With ``certify``, the claim's certified route (if any) runs too and its
    :class:`Certificate` fills ``certified``, ``enclosures`` and ``why_not``.

    Examples
    --------
    >>> c = load_all()["rates.gd"]
    >>> check_one(c, CheckContext(c.id, dps=30)).status
    'verified'
    """
    t0 = time.perf_counter()
    try:
        ev = c.check(ctx)
        if not isinstance(ev, Evidence):
            raise TypeError(f"check of {c.id} returned {type(ev).__name__}, not Evidence")
    except Exception as exc:  # the runner reports, never crashes
        ev = Evidence(
            c.id, "error", "exception in check", "n/a", None, 0.0,
            {"exception": f"{type(exc).__name__}: {exc}",
             "traceback": traceback.format_exc(limit=6)},
        )
    if certify:
        ev = replace(ev, **certify_fields(c, ctx))
    return replace(ev, claim_id=c.id, seconds=round(time.perf_counter() - t0, 4))


def certify_fields(c: Claim, ctx: CheckContext) -> dict:
    """Run ``c``'s certified route: ``certified``/``enclosures``/``why_not`` for its Evidence."""
    f = CERTIFIERS.get(c.id)
    if f is None:
        return {"certified": False, "why_not": "no certified route for this claim"}
    try:
        cert = f(ctx)
        if not isinstance(cert, Certificate):
            raise TypeError(f"certified route of {c.id} returned {type(cert).__name__}")
    except Exception as exc:  # a failed proof is reported, never a false True
        return {"certified": False, "why_not": f"{type(exc).__name__}: {exc}"}
    return {"certified": bool(cert.certified), "enclosures": dict(cert.enclosures),
            "why_not": None if cert.certified else (cert.why_not or "not certified")}


def _run_one(job: tuple) -> Evidence:
    """Run one claim's check (module-level so process pools can pickle it)."""
    from .parallel import SerialExecutor
    from .runcache import using

    claim_id, dps, seed, *rest = job
    c = load_all()[claim_id]
    with using(rest[1] if len(rest) > 1 else None):   # the run's shared derivations
        return check_one(c, CheckContext(claim_id=claim_id, dps=dps, seed=seed,
                                         executor=SerialExecutor()),
                         certify=bool(rest and rest[0]))


def run_claims(
    ids: list[str],
    dps: int = 50,
    seed: int = 0,
    executor: Any = None,
    progress: Callable[[Evidence], None] | None = None,
    certify: bool = False,
) -> list[Evidence]:
    """Check the claims ``ids`` in dependency order and return their evidence.

    Claims whose dependencies did not verify are marked ``error`` without
    running.  On a local process pool (an executor with ``submit``, more than one
    worker) each claim starts as soon as its dependencies verified, the claims
    with the longest remaining chain of work first
    (:func:`symadam.core.schedule.run_graph`), and ``progress`` is called in the
    order of ``ids``; otherwise each generation of the DAG is mapped over
    ``executor`` (serial if None).  The evidence is the same either way: every
    check takes its seed from its claim id.

    Examples
    --------
    >>> [e.status for e in run_claims(select(["rates.gd"]), dps=30)]
    ['verified']
    """
    from .parallel import SerialExecutor

    executor = executor or SerialExecutor()
    claims = load_all()
    if getattr(executor, "workers", 1) > 1 and hasattr(executor, "submit"):
        return _run_graph(ids, claims, dps, seed, executor, progress, certify)
    g = graph(claims).subgraph(ids)
    done: dict[str, Evidence] = {}
    for generation in nx.topological_generations(g):
        runnable = []
        for i in sorted(generation):
            skipped = _not_run(claims[i], done)
            if skipped is not None:
                done[i] = skipped
                if progress:
                    progress(done[i])
            else:
                runnable.append(i)
        for ev in executor.map(_run_one, [(i, dps, seed, certify) for i in runnable]):
            done[ev.claim_id] = ev
            if progress:
                progress(ev)
    return [done[i] for i in ids]


def _not_run(c: Claim, done: dict[str, Evidence]) -> Evidence | None:
    """``error`` evidence for a claim whose dependencies did not verify; None if it may run."""
    bad = [d for d in c.depends_on if done.get(d) is None or done[d].status != "verified"]
    if not bad:
        return None
    return Evidence(c.id, "error", "not run", "n/a", None, 0.0,
                    {"reason": f"dependencies not verified: {', '.join(bad)}"})


def _run_graph(ids: list[str], claims: dict[str, Claim], dps: int, seed: int, executor: Any,
               progress: Callable[[Evidence], None] | None, certify: bool) -> list[Evidence]:
    """The pool route of :func:`run_claims`: critical-path-first, progress in ``ids`` order."""
    from .runcache import run_directory
    from .schedule import cost_hints, run_graph

    chosen = set(ids)
    deps = {i: [d for d in claims[i].depends_on if d in chosen] for i in ids}
    pending = list(ids)
    finished: dict[str, Evidence] = {}

    def on_result(i, ev):
        finished[i] = ev
        while pending and pending[0] in finished:   # report in the order of ids
            nxt = pending.pop(0)
            if progress:
                progress(finished[nxt])

    with run_directory() as shared:   # derivations one worker made, the others load
        out = run_graph(executor, _run_one, {i: (i, dps, seed, certify, shared) for i in ids},
                        deps, cost_hints(ids), skip=lambda i, done: _not_run(claims[i], done),
                        on_result=on_result)
    return [out[i] for i in ids]
