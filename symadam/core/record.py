"""The claim record: what the papers claim, wired to an independent check.

A :class:`Claim` pairs an exact derivation (``derive``) with an independent
check (``check``) that returns :class:`Evidence`.  Claims never implement
mathematics themselves; they call the route modules of their topic
(sympy, mpmath, numpy) and :mod:`symadam.networks`.
"""
from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Literal

from .derivation import Derivation

__all__ = ["Claim", "Evidence", "CheckContext"]

Status = Literal["verified", "failed", "error"]


@dataclass(frozen=True)
class Evidence:
    """The outcome of checking one claim by an independent route.

    Attributes
    ----------
    claim_id : str
    status : {"verified", "failed", "error"}
        ``error`` means the check could not be carried out (an exception, or
        a dependency that did not verify); ``failed`` means it ran and
        disagreed.
    route : str
        How it was checked, in words.
    residual : str
        ``|derived - checked|`` as a decimal string, or a statistic with its
        tolerance.
    digits : int or None
        Agreeing significant digits, where that is the measure.
    seconds : float
        Wall time of the check.
    details : dict
        Numbers a reader wants to see (JSON-serialisable; high-precision
        numbers as decimal strings).

    Examples
    --------
    >>> e = Evidence("rates.gd", "verified", "spectral radius", "1e-50", 50, 0.08)
    >>> e.status, e.digits
    ('verified', 50)
    """

    claim_id: str
    status: Status
    route: str
    residual: str
    digits: int | None
    seconds: float
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-ready dict (see DESIGN.md).

        Examples
        --------
        >>> Evidence("a.b", "verified", "r", "0", 50, 0.1).to_dict()["status"]
        'verified'
        """
        return asdict(self)


@dataclass(frozen=True)
class CheckContext:
    """What a check receives: precision, seed, and an executor for sweeps.

    Attributes
    ----------
    claim_id : str
    dps : int
        Working precision (decimal digits) for mpmath routes; use it inside
        ``mpmath.workdps(ctx.dps)``, never by setting ``mp.dps`` globally.
    seed : int
        Root seed; :meth:`seed_sequence` derives per-claim streams from it.
    executor : object
        A :class:`symadam.core.parallel.Executor` for claims that fan out sweeps.

    Examples
    --------
    >>> ctx = CheckContext("rates.gd", dps=30, seed=1)
    >>> ctx.dps, ctx.evidence(False, "route", "0.1").status
    (30, 'failed')
    """

    claim_id: str
    dps: int = 50
    seed: int = 0
    executor: Any = None

    def seed_sequence(self, *keys: int) -> Any:
        """A ``numpy.random.SeedSequence`` for this claim (stable across runs).

        The claim id is hashed (CRC-32) into the spawn key so that different
        claims draw independent streams from the same root seed.

        Examples
        --------
        >>> ctx = CheckContext("x.y", seed=3)
        >>> ctx.seed_sequence().entropy
        3
        """
        import numpy as np  # claims may use numpy; exact routes may not

        return np.random.SeedSequence(
            self.seed, spawn_key=(zlib.crc32(self.claim_id.encode()),) + tuple(keys)
        )

    def evidence(
        self,
        ok: bool,
        route: str,
        residual: Any,
        digits: int | None = None,
        **details: Any,
    ) -> Evidence:
        """Build :class:`Evidence` for this claim (``seconds`` filled in by the runner).

        Examples
        --------
        >>> CheckContext("x.y").evidence(True, "test", "1e-50", 49).status
        'verified'
        """
        return Evidence(
            claim_id=self.claim_id,
            status="verified" if ok else "failed",
            route=route,
            residual=str(residual),
            digits=None if digits is None else int(digits),
            seconds=0.0,
            details=dict(details),
        )


@dataclass(frozen=True)
class Claim:
    """A claim from a paper (or standard mathematics), with its two routes.

    Attributes
    ----------
    id : str
        Dotted, stable identifier, e.g. ``"rates.heavy_ball"``.
    paper : str
        arXiv id, or ``"standard"``.
    statement : str
        One LaTeX sentence: what is claimed.
    depends_on : tuple of str
        Claims that must verify first.
    derive : callable returning Derivation
        The exact route (may be trivial for numeric claims).
    check : callable ``(CheckContext) -> Evidence``
        The independent route.
    plot : callable ``(Evidence) -> matplotlib Figure`` or None
        Optional figure for reports.

    Examples
    --------
    >>> from symadam.core.derivation import Derivation
    >>> c = Claim("demo.one", "standard", "$1 = 1$", (), lambda: Derivation("one"),
    ...           lambda ctx: ctx.evidence(True, "by inspection", "0"))
    >>> c.check(CheckContext(c.id)).status
    'verified'
    """

    id: str
    paper: str
    statement: str
    depends_on: tuple[str, ...]
    derive: Callable[[], Derivation]
    check: Callable[[CheckContext], Evidence]
    plot: Callable[[Evidence], Any] | None = None

    def summary(self) -> dict:
        """Id, paper, statement and dependencies as a dict.

        Examples
        --------
        >>> c = Claim("a", "standard", "s", (), lambda: None, lambda ctx: None)
        >>> c.summary()["depends_on"]
        []
        """
        return {
            "id": self.id,
            "paper": self.paper,
            "statement": self.statement,
            "depends_on": list(self.depends_on),
        }
