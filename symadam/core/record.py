"""The claim record: what the papers claim, wired to an independent check.

A :class:`Claim` pairs an exact derivation (``derive``) with an independent
check (``check``) that returns :class:`Evidence`.  Claims never implement
mathematics themselves; they call the route modules of their topic
(sympy, mpmath, numpy) and :mod:`symadam.networks`.
"""
from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Literal, Mapping

from .derivation import Derivation

__all__ = ["Claim", "Evidence", "CheckContext", "Sabotage", "Certificate", "PRECISION_KINDS",
           "dps_precision", "float64_precision", "statistical_precision", "exact_precision"]

Status = Literal["verified", "failed", "error"]

#: What a check's precision can be: working digits that follow ``--dps``; float64
#: arithmetic with a stated tolerance; a statistical test at a stated level;
#: exact (rational or symbolic) arithmetic.
PRECISION_KINDS = ("dps", "float64", "statistical", "exact")


def dps_precision(dps: int, digits: int | None) -> dict:
    """Evidence precision of an mpmath route: working ``dps`` and the agreeing ``digits`` reached.

    Examples
    --------
    >>> dps_precision(60, 57)
    {'kind': 'dps', 'dps': 60, 'digits': 57}
    """
    return {"kind": "dps", "dps": int(dps), "digits": None if digits is None else int(digits)}


def float64_precision(tolerance: Any) -> dict:
    """Evidence precision of a float64 route, with the tolerance its comparison used.

    Examples
    --------
    >>> float64_precision(1e-12)
    {'kind': 'float64', 'tolerance': '1e-12'}
    """
    return {"kind": "float64", "tolerance": str(tolerance)}


def statistical_precision(test: str, level: Any) -> dict:
    """Evidence precision of a statistical check: the test and its false-rejection level.

    Examples
    --------
    >>> statistical_precision("|z| <= 4 (normal approximation)", "6.3e-5")
    {'kind': 'statistical', 'test': '|z| <= 4 (normal approximation)', 'level': '6.3e-5'}
    """
    return {"kind": "statistical", "test": str(test), "level": str(level)}


def exact_precision(how: str) -> dict:
    """Evidence precision of an exact check (rational arithmetic, a canonical form equal to 0).

    Examples
    --------
    >>> exact_precision("rational arithmetic")
    {'kind': 'exact', 'how': 'rational arithmetic'}
    """
    return {"kind": "exact", "how": str(how)}


@dataclass(frozen=True)
class Sabotage:
    """A named, plausible wrong answer that a claim's check must reject.

    During a sabotage run (:func:`symadam.core.sabotage.run_sabotage`) each
    entry of ``patch`` replaces an attribute for the duration of the check:
    the key is ``"name"`` (an attribute of the module that defines the check,
    e.g. a derivation or route function it calls) or ``"package.module:name"``;
    the value maps the original object to the wrong one.  The check then runs
    unchanged, on the wrong answer, and must report ``failed``.

    Attributes
    ----------
    name : str
        The wrong answer, in words (e.g. "Adam at RMSprop's rate (kappa-1)/(kappa+1)").
    patch : mapping of str to callable
        Target -> ``original -> replacement``.

    Examples
    --------
    >>> s = Sabotage("rate off by 1e-30", {"tune": lambda f: f})
    >>> s.name
    'rate off by 1e-30'
    """

    name: str
    patch: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


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
    certified : bool
        True only if a certified (ball-arithmetic) route proved the claim's
        quantities lie in ``enclosures`` (``verify --certify``).
    enclosures : dict
        Name -> ``"[mid +/- rad]"`` (Arb notation): rigorous enclosures.
    why_not : str or None
        Why a certified route did not certify (or that there is none).
    precision : dict
        The precision the check really used: ``{"kind": "dps", "dps", "digits"}``,
        ``{"kind": "float64", "tolerance"}``, ``{"kind": "statistical", "test",
        "level"}`` or ``{"kind": "exact", "how"}`` (see :func:`dps_precision` and
        its siblings); empty only for evidence of a check that did not run.

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
    precision: dict = field(default_factory=dict)
    certified: bool = False
    enclosures: dict = field(default_factory=dict)
    why_not: str | None = None

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display: status, route, residual, digits, precision and details.

        Examples
        --------
        >>> print(Evidence("rates.gd", "verified", "spectral radius", "1e-50", 50, 0.08,
        ...                precision={"kind": "dps", "dps": 50, "digits": 50})._repr_markdown_())
        **✅ `rates.gd` verified** (0.08 s)
        <BLANKLINE>
        | | |
        |---|---|
        | route | spectral radius |
        | residual | 1e-50 |
        | agreeing digits | 50 |
        | precision | dps: 50, digits: 50 |
        <BLANKLINE>
        """
        from .display import evidence_markdown

        return evidence_markdown(self)

    def to_dict(self) -> dict:
        """A JSON-ready dict.

        Examples
        --------
        >>> Evidence("a.b", "verified", "r", "0", 50, 0.1).to_dict()["status"]
        'verified'
        """
        return asdict(self)


@dataclass(frozen=True)
class Certificate:
    """The outcome of a certified (ball-arithmetic) route: a proof, or the reason there is none.

    Attributes
    ----------
    certified : bool
        True only if every enclosure was proven and the claim's conditions
        hold for every point of them; never a false True.
    route : str
        How it was certified, in words.
    enclosures : dict
        Name -> Arb string ``"[mid +/- rad]"`` that rigorously contains the value.
    why_not : str or None
        When ``certified`` is False: why (box too large, budget, degenerate point, ...).
    details : dict
        Counts and costs (boxes, precision in bits, seconds).

    Examples
    --------
    >>> Certificate(False, "interval Newton", why_not="box too large").why_not
    'box too large'
    """

    certified: bool
    route: str
    enclosures: dict = field(default_factory=dict)
    why_not: str | None = None
    details: dict = field(default_factory=dict)


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
        *,
        precision: dict | None = None,
        **details: Any,
    ) -> Evidence:
        """Build :class:`Evidence` for this claim (``seconds`` filled in by the runner).

        ``precision`` is what the check really used (:func:`dps_precision`,
        :func:`float64_precision`, :func:`statistical_precision`,
        :func:`exact_precision`); if omitted and ``digits`` is given it is
        ``dps_precision(self.dps, digits)``.

        Examples
        --------
        >>> ev = CheckContext("x.y", dps=50).evidence(True, "test", "1e-50", 49)
        >>> ev.status, ev.precision
        ('verified', {'kind': 'dps', 'dps': 50, 'digits': 49})
        """
        if precision is None:
            precision = {} if digits is None else dps_precision(self.dps, digits)
        if precision and precision.get("kind") not in PRECISION_KINDS:
            raise ValueError(f"precision kind must be one of {PRECISION_KINDS}, got {precision!r}")
        return Evidence(
            claim_id=self.claim_id,
            status="verified" if ok else "failed",
            route=route,
            residual=str(residual),
            digits=None if digits is None else int(digits),
            seconds=0.0,
            details=dict(details),
            precision=dict(precision),
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
    sabotage : Sabotage or None
        A plausible wrong answer the check must reject (every registered
        claim has one; the test suite and ``symadam verify --sabotage`` run it).
    precision : {"dps", "float64", "statistical", "exact"}
        What kind of precision the check works at: ``"dps"`` checks honour
        ``--dps``; the others say so in ``symadam claims``.

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
    sabotage: Sabotage | None = None
    precision: str = "dps"

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
            "precision": self.precision,
            "sabotage": None if self.sabotage is None else self.sabotage.name,
        }
