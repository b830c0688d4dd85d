"""Sabotage runs: every claim's check, fed its declared wrong answer, must report ``failed``.

A check that cannot fail is worth nothing.  Each claim declares a
:class:`~symadam.core.record.Sabotage`: a named, plausible wrong answer given
as patches of the objects its check consumes (a derivation's result, a
route's output, a constant).  :func:`run_sabotage` applies the patches, runs
the unchanged check, restores everything, and reports whether the wrong
answer was *caught* (status ``failed``; ``error`` or ``verified`` are not).
"""
from __future__ import annotations

import importlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

from .record import CheckContext, Claim, Evidence, Sabotage
from .registry import CERTIFIER_SABOTAGES, CERTIFIERS, certify_fields, check_one, load_all

__all__ = ["SabotageResult", "sabotaged", "run_sabotage", "run_sabotages"]


@dataclass(frozen=True)
class SabotageResult:
    """The outcome of running one claim's check against its sabotage.

    Examples
    --------
    >>> r = SabotageResult("a.b", "off by one", True, "failed", 0.1)
    >>> r.to_dict()["caught"]
    True
    """

    claim_id: str
    sabotage: str | None
    caught: bool
    status: str
    seconds: float
    evidence: Evidence | None = None

    def to_dict(self) -> dict:
        """``{"claim_id", "sabotage", "caught", "seconds", "status"}`` (the CLI's JSON)."""
        return {"claim_id": self.claim_id, "sabotage": self.sabotage, "caught": self.caught,
                "seconds": self.seconds, "status": self.status}


def _resolve(claim: Claim, target: str, module: str | None = None) -> tuple[Any, str]:
    """The object holding ``target`` (``"name"`` or ``"pkg.module:name"``) and the attribute."""
    if ":" in target:
        mod, attr = target.split(":", 1)
    else:
        mod, attr = module or claim.check.__module__, target
    owner: Any = importlib.import_module(mod)
    *path, last = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    if not hasattr(owner, last):
        raise AttributeError(f"sabotage of {claim.id}: {mod} has no attribute {attr!r}")
    return owner, last


@contextmanager
def sabotaged(claim: Claim, sabotage: Sabotage | None = None,
              module: str | None = None) -> Iterator[None]:
    """Apply ``claim.sabotage``'s patches for the duration of the block, then restore them.

    ``sabotage`` (default ``claim.sabotage``) and ``module`` (where unqualified
    names are looked up; default the module of ``claim.check``) allow the
    certified route's own sabotage.

    Examples
    --------
    >>> import symadam.core.record as rec
    >>> from symadam.core.record import Sabotage
    >>> c = Claim("demo.s", "standard", "s", (), lambda: None, lambda ctx: None,
    ...           sabotage=Sabotage("pi is 3", {"symadam.core.record:PRECISION_KINDS":
    ...                                         lambda old: ("dps",)}))
    >>> with sabotaged(c):
    ...     rec.PRECISION_KINDS
    ('dps',)
    >>> rec.PRECISION_KINDS[-1]
    'exact'
    """
    sabotage = sabotage or claim.sabotage
    if sabotage is None:
        raise ValueError(f"claim {claim.id} declares no sabotage")
    done: list[tuple[Any, str, Any]] = []
    try:
        for target, wrong in sabotage.patch.items():
            owner, attr = _resolve(claim, target, module)
            original = getattr(owner, attr)
            setattr(owner, attr, wrong(original))
            done.append((owner, attr, original))
        yield
    finally:
        for owner, attr, original in reversed(done):
            setattr(owner, attr, original)


def run_sabotage(claim: Claim | str, dps: int = 50, seed: int = 0,
                 certify: bool = False) -> SabotageResult:
    """Run ``claim``'s check against its sabotage; ``caught`` iff the check reports ``failed``.

    With ``certify`` the claim's certified route (if any) runs under its own
    sabotage (:func:`symadam.core.registry.certifier`'s ``sabotage``, default
    the claim's), and ``caught`` also requires that it does not certify it.

    Examples
    --------
    >>> r = run_sabotage("rates.gd", dps=50)
    >>> r.caught, r.status
    (True, 'failed')
    """
    from .parallel import SerialExecutor

    c = load_all()[claim] if isinstance(claim, str) else claim
    if c.sabotage is None:
        return SabotageResult(c.id, None, False, "no sabotage declared", 0.0)
    t0 = time.perf_counter()
    ctx = CheckContext(c.id, dps=dps, seed=seed, executor=SerialExecutor())
    with sabotaged(c):
        ev = check_one(c, ctx)
    caught = ev.status == "failed"
    if certify and c.id in CERTIFIERS:
        own = CERTIFIER_SABOTAGES.get(c.id)
        with sabotaged(c, own, CERTIFIERS[c.id].__module__ if own else None):
            fields = certify_fields(c, ctx)
        ev = replace(ev, **fields)
        caught = caught and not fields["certified"]
    return SabotageResult(c.id, c.sabotage.name, caught, ev.status,
                          round(time.perf_counter() - t0, 4), ev)


def run_sabotages(ids: list[str], dps: int = 50, seed: int = 0,
                  progress: Callable[[SabotageResult], None] | None = None,
                  certify: bool = False) -> list[SabotageResult]:
    """:func:`run_sabotage` for each id, serially (patches are process-global).

    Examples
    --------
    >>> [r.caught for r in run_sabotages(["rates.gd"], dps=50)]
    [True]
    """
    out = []
    for i in ids:
        r = run_sabotage(i, dps=dps, seed=seed, certify=certify)
        out.append(r)
        if progress:
            progress(r)
    return out
