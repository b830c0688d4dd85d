"""Data laws for the Adam vector field: parsing ``--data`` specs, exact moments, batch means.

The loss is the quadratic ``1/2 (theta - x)^2`` (componentwise in ``d``
dimensions), so the stochastic gradient at ``theta`` is ``G = theta - Xbar``
where ``Xbar`` is the mean of a mini-batch of ``J`` i.i.d. data points (the
gradient of the batch-mean loss, squared after averaging; docs/conventions.md).

Data specs (the ``--data`` syntax of ``symadam avf``): ``bernoulli:p``, ``rademacher``,
``discrete:x1,x2,...@p1,p2,...``, ``normal:m,s``, ``exponential:rate``,
``uniform:a,b``.  Numbers in a spec are read *exactly*: ``0.1`` is the
rational ``1/10`` and ``1/3`` is ``1/3``.  Probabilities must be
non-negative and sum to one: exactly when every probability is written as an
integer or a fraction ``p/q``; to ``1e-12`` when any is a decimal or a Python
float (the probabilities are then divided by their sum, so the law stays
exact and normalised).

Batch means: discrete laws by exact convolution (the support of the batch
mean is enumerated, at most ``MAX_ATOMS`` atoms); ``normal:m,s`` gives
``N(m, s^2/J)``; ``exponential:rate`` gives ``Gamma(J, J*rate)``;
``uniform:a,b`` gives the scaled Irwin--Hall law (kind ``"irwinhall"``, a
piecewise polynomial density of degree ``J - 1`` on ``J`` pieces; see
:mod:`symadam.avf.irwin_hall`).

Only sympy is imported (an exact route).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import sympy
from sympy import Rational

from ..core.expr import to_rational
from ..core.validate import check_int
from .irwin_hall import irwin_hall_moment

__all__ = ["DataLaw", "parse_data", "MAX_ATOMS"]

#: Largest support the exact batch-mean convolution will build.
MAX_ATOMS = 20000

_KINDS = ("discrete", "normal", "exponential", "uniform", "gamma", "irwinhall")


def _num(token: Any, name: str) -> tuple[sympy.Rational, bool]:
    """Exact rational value of a spec token or number; second item: written as a float."""
    if isinstance(token, bool):
        raise ValueError(f"{name} must be a number, got {token!r}")
    if isinstance(token, (sympy.Rational, int, Fraction)):
        return sympy.Rational(token), False
    if isinstance(token, float):
        if token != token or token in (float("inf"), float("-inf")):
            raise ValueError(f"{name} must be finite, got {token!r}")
        return sympy.Rational(repr(token)), True
    if isinstance(token, sympy.Float):
        return sympy.Rational(str(token)), True
    s = str(token).strip()
    # exact, bounded (1e-1000 .. 1e1000), no eval: the one number reader of the package
    return to_rational(s, name), ("/" not in s and any(ch in s for ch in ".eE"))


@dataclass(frozen=True)
class DataLaw:
    """A law of one data point (or of a batch mean), with exact parameters.

    Attributes
    ----------
    kind : str
        ``"discrete"``, ``"normal"``, ``"exponential"``, ``"uniform"`` or
        ``"gamma"`` (a batch mean of exponential data) or ``"irwinhall"`` (a
        batch mean of uniform data).
    params : tuple of sympy.Rational
        ``normal``: (m, s); ``exponential``: (rate,); ``uniform``: (a, b);
        ``gamma``: (shape J, rate); ``irwinhall``: (J, a, b); ``discrete``: empty.
    atoms : tuple of (x, p)
        Support and probabilities of a discrete law (exact, sorted by x).
    spec : str
        A human-readable description.

    Examples
    --------
    >>> law = parse_data("bernoulli:0.1")
    >>> law.atoms
    ((0, 9/10), (1, 1/10))
    >>> law.mean(), law.variance(), law.central_moment(3)
    (1/10, 9/100, 9/125)
    """

    kind: str
    params: tuple = ()
    atoms: tuple = ()
    spec: str = ""

    # -- moments -----------------------------------------------------------
    def raw_moment(self, n: int) -> sympy.Expr:
        """``E[X^n]`` exactly.

        Examples
        --------
        >>> parse_data("normal:1,2").raw_moment(2)
        5
        >>> parse_data("exponential:2").raw_moment(3)
        3/4
        """
        check_int("n", n, 0)
        if self.kind == "discrete":
            return sum((p * x**n for x, p in self.atoms), sympy.Integer(0))
        if self.kind == "normal":
            m, s = self.params
            # E[(m + s Z)^n] = sum_k C(n,k) m^{n-k} s^k E[Z^k], E[Z^{2i}] = (2i-1)!!
            return sympy.expand(sum(
                sympy.binomial(n, k) * m**(n - k) * s**k * sympy.factorial2(k - 1)
                for k in range(0, n + 1, 2)))
        if self.kind == "exponential":
            (lam,) = self.params
            return sympy.factorial(n) / lam**n
        if self.kind == "gamma":
            J, lam = self.params
            return sympy.rf(J, n) / lam**n
        if self.kind == "uniform":
            a, b = self.params
            return (b**(n + 1) - a**(n + 1)) / ((n + 1) * (b - a))
        if self.kind == "irwinhall":
            J, a, b = self.params
            return irwin_hall_moment(a, b, int(J), n)
        raise ValueError(f"unknown law kind {self.kind!r}")  # pragma: no cover

    def mean(self) -> sympy.Expr:
        """``E[X]`` (the minimizer of ``E[1/2 (theta - X)^2]``).

        Examples
        --------
        >>> parse_data("discrete:-1,0,3@1/4,1/2,1/4").mean()
        1/2
        """
        return self.raw_moment(1)

    def central_moment(self, n: int) -> sympy.Expr:
        """``E[(X - E X)^n]`` exactly.

        Examples
        --------
        >>> parse_data("exponential:1").central_moment(3)
        2
        """
        mu = self.mean()
        return sympy.expand(sum(sympy.binomial(n, k) * self.raw_moment(k) * (-mu)**(n - k)
                                for k in range(n + 1)))

    def variance(self) -> sympy.Expr:
        """``Var X`` exactly.

        Examples
        --------
        >>> u, b = parse_data("uniform:0,1"), parse_data("bernoulli:0.3")
        >>> u.variance(), b.batch_mean(2).variance()
        (1/12, 21/200)
        """
        return self.central_moment(2)

    def is_symmetric(self) -> bool:
        """True if ``X - E X`` and ``E X - X`` have the same law (exact test).

        Examples
        --------
        >>> parse_data("rademacher").is_symmetric(), parse_data("bernoulli:0.1").is_symmetric()
        (True, False)
        """
        if self.kind in ("normal", "uniform", "irwinhall"):
            return True
        if self.kind in ("exponential", "gamma"):
            return False
        mu = self.mean()
        d = {x - mu: p for x, p in self.atoms}
        return all(d.get(-y) == p for y, p in d.items())

    # -- batch means ------------------------------------------------------
    def batch_support_size(self, J: int, limit: int = MAX_ATOMS) -> int | None:
        """The number of atoms of the mean of ``J`` copies of a discrete law, or None if
        it exceeds ``limit`` (counted on exact rationals, without the probabilities, so a
        caller can refuse a batch before :meth:`batch_mean` builds it); None for a
        continuous law too.

        Examples
        --------
        >>> parse_data("bernoulli:1/2").batch_support_size(10)
        11
        >>> parse_data("discrete:0,1,3@1/4,1/2,1/4").batch_support_size(3)   # no sum 8
        9
        >>> parse_data("discrete:0,1,3,7@1/4,1/4,1/4,1/4").batch_support_size(40, limit=100)
        >>> # None: above the limit
        """
        J = check_int("J (batch size)", J, 1)
        if self.kind != "discrete":
            return None
        xs = {Fraction(int(x.p), int(x.q)) for x, _ in self.atoms}
        sums = {Fraction(0)}
        for _ in range(J):
            sums = {s0 + x for s0 in sums for x in xs}
            if len(sums) > limit:
                return None
        return len(sums)

    def batch_mean(self, J: int) -> "DataLaw":
        """The exact law of the mean of ``J`` i.i.d. copies.

        Raises
        ------
        ValueError
            ``J < 1``; a discrete support above :data:`MAX_ATOMS`.

        Examples
        --------
        >>> parse_data("bernoulli:1/2").batch_mean(2).atoms
        ((0, 1/4), (1/2, 1/2), (1, 1/4))
        >>> parse_data("normal:0,2").batch_mean(4).params
        (0, 1)
        >>> parse_data("exponential:3").batch_mean(2).kind
        'gamma'
        >>> ih = parse_data("uniform:0,1").batch_mean(3)
        >>> ih.kind, ih.params, ih.variance()
        ('irwinhall', (3, 0, 1), 1/36)
        """
        J = check_int("J (batch size)", J, 1)
        if J == 1:
            return self
        tag = f"{self.spec} (batch mean of J={J})"
        if self.kind == "normal":
            m, s = self.params
            return DataLaw("normal", (m, s / sympy.sqrt(J)), (), tag)
        if self.kind == "exponential":
            (lam,) = self.params
            return DataLaw("gamma", (sympy.Integer(J), J * lam), (), tag)
        if self.kind == "discrete":
            # convolve the sum, then divide by J
            dist = {sympy.Integer(0): sympy.Integer(1)}
            for _ in range(J):
                new: dict = {}
                for s0, q in dist.items():
                    for x, p in self.atoms:
                        key = s0 + x
                        new[key] = new.get(key, 0) + q * p
                if len(new) > MAX_ATOMS:
                    raise ValueError(f"J (batch size) = {J} gives a batch-mean support above "
                                     f"{MAX_ATOMS} atoms for {self.spec}; use a smaller J")
                dist = new
            atoms = tuple(sorted(((x / J, p) for x, p in dist.items()), key=lambda t: t[0]))
            return DataLaw("discrete", (), atoms, tag)
        if self.kind == "uniform":
            a, b = self.params
            return DataLaw("irwinhall", (sympy.Integer(J), a, b), (), tag)
        raise ValueError(f"J (batch size) must be 1 for {self.kind} data: this law is "
                         f"already a batch mean")

    def gradient_atoms(self, theta: Any) -> tuple:
        """Atoms ``(theta - x, p)`` of ``G = theta - X`` for a discrete law.

        Examples
        --------
        >>> parse_data("rademacher").gradient_atoms(0)
        ((-1, 1/2), (1, 1/2))
        """
        if self.kind != "discrete":
            raise ValueError(f"gradient_atoms needs a discrete law, got {self.kind}")
        th = (to_rational(theta, "theta") if isinstance(theta, str)
              else sympy.sympify(theta, strict=True))
        return tuple(sorted(((th - x, p) for x, p in self.atoms), key=lambda t: t[0]))


def _discrete(xs: Sequence[Any], ps: Sequence[Any], spec: str) -> DataLaw:
    if len(xs) != len(ps):
        raise ValueError(f"data spec {spec!r}: {len(xs)} support points but "
                         f"{len(ps)} probabilities")
    if not xs:
        raise ValueError(f"data spec {spec!r} has no support points")
    xv = [_num(x, "support point")[0] for x in xs]
    pv, fl = zip(*(_num(p, "probability") for p in ps))
    if any(p < 0 for p in pv):
        raise ValueError(f"probabilities must be non-negative, got {[str(p) for p in pv]}")
    tot = sum(pv, sympy.Integer(0))
    if any(fl):
        if abs(tot - 1) > Rational(1, 10**12):
            raise ValueError("probabilities must sum to 1 (to 1e-12 for decimals), "
                             f"got sum {float(tot)!r}")
        pv = tuple(p / tot for p in pv)
    elif tot != 1:
        raise ValueError(f"probabilities must sum to 1 exactly, got sum {tot}")
    merged: dict = {}
    for x, p in zip(xv, pv):
        merged[x] = merged.get(x, 0) + p
    atoms = tuple(sorted(((x, p) for x, p in merged.items() if p != 0), key=lambda t: t[0]))
    return DataLaw("discrete", (), atoms, spec)


def parse_data(spec: Any) -> DataLaw:
    """Parse a ``--data`` spec (or pass a :class:`DataLaw` through).

    Examples
    --------
    >>> parse_data("discrete:-1,0,2@1/4,1/2,1/4").mean()
    1/4
    >>> parse_data("uniform:-1,1").variance()
    1/3
    >>> parse_data("bernoulli:1.5")
    Traceback (most recent call last):
    ...
    ValueError: bernoulli p must be in [0, 1], got 3/2
    >>> parse_data("discrete:0,1@0.5,0.6")
    Traceback (most recent call last):
    ...
    ValueError: probabilities must sum to 1 (to 1e-12 for decimals), got sum 1.1
    """
    if isinstance(spec, DataLaw):
        return spec
    if not isinstance(spec, str):
        raise ValueError(f"data spec must be a string, got {spec!r}")
    s = spec.strip()
    name, _, rest = s.partition(":")
    name = name.strip().lower()
    args = [a for a in rest.split(",")] if rest.strip() else []
    if name == "rademacher":
        if args:
            raise ValueError("data spec 'rademacher' takes no parameters")
        return _discrete([-1, 1], [Rational(1, 2), Rational(1, 2)], s)
    if name == "bernoulli":
        if len(args) != 1:
            raise ValueError(f"data spec must be 'bernoulli:p', got {spec!r}")
        p, fl = _num(args[0], "bernoulli p")
        if not 0 <= p <= 1:
            raise ValueError(f"bernoulli p must be in [0, 1], got {p}")
        return _discrete([0, 1], [1 - p, p], s)
    if name == "discrete":
        xs, at, ps = rest.partition("@")
        if not at:
            raise ValueError(f"data spec must be 'discrete:x1,x2,...@p1,p2,...', got {spec!r}")
        return _discrete([t for t in xs.split(",")], [t for t in ps.split(",")], s)
    if name == "normal":
        if len(args) != 2:
            raise ValueError(f"data spec must be 'normal:m,s', got {spec!r}")
        m, sd = _num(args[0], "normal m")[0], _num(args[1], "normal s")[0]
        if not sd > 0:
            raise ValueError(f"normal s (standard deviation) must be > 0, got {sd}")
        return DataLaw("normal", (m, sd), (), s)
    if name == "exponential":
        if len(args) != 1:
            raise ValueError(f"data spec must be 'exponential:rate', got {spec!r}")
        lam = _num(args[0], "exponential rate")[0]
        if not lam > 0:
            raise ValueError(f"exponential rate must be > 0, got {lam}")
        return DataLaw("exponential", (lam,), (), s)
    if name == "uniform":
        if len(args) != 2:
            raise ValueError(f"data spec must be 'uniform:a,b', got {spec!r}")
        a, b = _num(args[0], "uniform a")[0], _num(args[1], "uniform b")[0]
        if not a < b:
            raise ValueError(f"uniform needs a < b, got a={a}, b={b}")
        return DataLaw("uniform", (a, b), (), s)
    raise ValueError("data spec must be one of bernoulli:p, rademacher, discrete:x1,...@p1,..., "
                     f"normal:m,s, exponential:rate, uniform:a,b; got {spec!r}")
