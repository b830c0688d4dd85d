"""Certified worst-case root moduli over the whole spectrum interval, in Arb ball arithmetic.

The mpmath route (:mod:`symadam.rates.spectral_mp`) samples ``lambda`` on a grid.
This route proves: for a tuned method at a given ``kappa`` (spectrum in
``[mu, L]``), the largest root modulus of the characteristic polynomial,
maximised over **every** ``lambda in [mu, L]``, lies in a ball ``[lo, hi]``.
It is a branch and bound over ``lambda``: each box ``[a, b]`` is evaluated as
one Arb ball, which encloses every root modulus for every ``lambda`` in the
box (inclusion isotonicity); points give rigorous lower bounds; boxes whose
upper bound cannot exceed the best lower bound by more than the tolerance are
discarded, the others bisected.

The characteristic polynomials are written here again from the methods'
definitions (no sympy; monic, in ``z``), as in the mpmath route:

* GD ``theta+ = theta - h lambda theta``: ``z - (1 - h lambda)``;
* heavy ball: ``z^2 - (1 + beta - h lambda) z + beta``;
* Nesterov (``y = theta + beta (theta - theta_prev)``, ``theta+ = y - h lambda y``):
  ``z^2 - (1 + beta)(1 - h lambda) z + beta (1 - h lambda)``;
* Adam at its degenerate fixed point: heavy ball with step
  ``gamma (1 - beta1)/eps`` and momentum ``beta1`` (the ``(theta, m)`` block);
* RMSprop: gradient descent with step ``gamma/eps``.

For a monic quadratic ``z^2 + c1 z + c0`` with real coefficients the roots
are complex with modulus ``sqrt(c0)`` when ``c1^2 < 4 c0`` and real with
largest modulus ``(|c1| + sqrt(c1^2 - 4 c0))/2`` otherwise; on a box where the
discriminant's sign is undecided the union of both enclosures is used.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from flint import arb, ctx, fmpq

__all__ = ["METHOD_POLYS", "char_coefficients", "root_modulus", "RateCertificate",
           "certify_worst_radius", "certify_slower"]


def _gd(p, lam):
    return [-(1 - p["h"] * lam)]


def _hb(p, lam):
    return [p["beta"], -(1 + p["beta"] - p["h"] * lam)]


def _nesterov(p, lam):
    q = 1 - p["h"] * lam
    return [p["beta"] * q, -(1 + p["beta"]) * q]


def _adam(p, lam):
    return _hb({"h": p["gamma"] * (1 - p["beta1"]) / p["eps"], "beta": p["beta1"]}, lam)


def _rmsprop(p, lam):
    return _gd({"h": p["gamma"] / p["eps"]}, lam)


#: method name -> (parameter names, lower coefficients [c0, c1, ...] of the monic polynomial).
METHOD_POLYS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "gd": (("h",), _gd),
    "heavy-ball": (("h", "beta"), _hb),
    "nesterov": (("h", "beta"), _nesterov),
    "adam": (("gamma", "beta1", "eps"), _adam),
    "rmsprop": (("gamma", "eps"), _rmsprop),
}


def char_coefficients(method: str, params: Mapping[str, Any], lam: Any) -> list:
    """Coefficients ``[c0, c1, ...]`` (monic, lowest first) of ``method``'s polynomial at ``lam``.

    Examples
    --------
    >>> [c.mid() for c in char_coefficients("heavy-ball", {"h": arb(1), "beta": arb(0.25)}, 2)]
    [0.250000000000000, 0.750000000000000]
    """
    if method not in METHOD_POLYS:
        raise ValueError(f"method must be one of {', '.join(METHOD_POLYS)}; got {method!r}")
    names, f = METHOD_POLYS[method]
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(f"{method} needs parameters {', '.join(names)}; missing {missing}")
    return f({k: arb(v) for k, v in params.items()}, arb(lam))


def root_modulus(coeffs: list) -> arb:
    """A ball containing the largest root modulus of ``z^d + c_{d-1} z^{d-1} + ... + c0``.

    Degree 1 or 2 with real (ball) coefficients; every polynomial whose
    coefficients lie in the balls has its largest modulus in the result.

    Examples
    --------
    >>> root_modulus([arb(0.25), arb(-1)]).mid()     # z^2 - z + 1/4 = (z - 1/2)^2
    0.500000000000000
    >>> root_modulus([arb(2), arb(0)]).contains(arb(2).sqrt())   # z^2 + 2: |z| = sqrt(2)
    True
    """
    if len(coeffs) == 1:
        return abs(coeffs[0])
    if len(coeffs) != 2:
        raise ValueError(f"degree {len(coeffs)} polynomials are not supported (degree <= 2)")
    c0, c1 = coeffs
    disc = c1 * c1 - 4 * c0
    real_case = (abs(c1) + disc.nonnegative_part().sqrt()) / 2
    if disc < 0:
        return c0.sqrt()
    if disc >= 0:
        return real_case
    return real_case.union(c0.nonnegative_part().sqrt())


def _box(a: arb, b: arb) -> arb:
    return (a + b) / 2 + arb(0, 1) * ((b - a) / 2)


@dataclass
class RateCertificate:
    """The certified enclosure of ``max_{lambda in [mu, L]}`` (largest root modulus).

    Attributes
    ----------
    lower, upper : arb
        Rigorous bounds: ``lower <= max <= upper``.
    boxes : int
        Boxes evaluated.
    touching : list of (str, str)
        ``lambda``-intervals (decimal ends) where the modulus may reach the
        maximum within the tolerance: where the worst case is attained.
    complete : bool
        False if the box budget ran out before the tolerance was reached.
    """

    lower: Any
    upper: Any
    boxes: int
    touching: list = field(default_factory=list)
    complete: bool = True

    def enclosure(self) -> arb:
        """The maximum as one ball ``[lower, upper]``."""
        return self.lower.union(self.upper)


def certify_worst_radius(method: str, params: Mapping[str, Any], mu: Any, L: Any,
                         digits: int = 30, max_boxes: int = 20000) -> RateCertificate:
    """Enclose ``max_{lambda in [mu, L]}`` of the largest root modulus, to ``digits`` digits.

    Parameters
    ----------
    method : str
        One of :data:`METHOD_POLYS`.
    params : mapping of str to arb
        The tuned parameters as balls (e.g. from :func:`symadam.core.arb_bridge.to_arb`).
    mu, L : exact rationals (fmpq, int) or arb
        The spectrum interval.
    digits : int
        Target width of the enclosure, relative.

    Examples
    --------
    >>> with ctx.workprec(150):     # GD with h = 2/(mu + L) on [1, 9]: rate (9 - 1)/(9 + 1)
    ...     c = certify_worst_radius("gd", {"h": arb(fmpq(1, 5))}, 1, 9, digits=30)
    >>> c.enclosure().contains(arb(fmpq(4, 5))), c.complete
    (True, True)
    """
    lo_end, hi_end = arb(mu), arb(L)
    if not hi_end > lo_end:
        raise ValueError(f"need mu < L, got mu = {mu}, L = {L}")
    tol = arb(10) ** (-int(digits))

    def point(lam):
        return root_modulus(char_coefficients(method, params, lam))

    best = max((point(lo_end), point(hi_end)), key=lambda r: r.lower())
    lower = best.lower()
    boxes = [(lo_end, hi_end, root_modulus(char_coefficients(method, params,
                                                              _box(lo_end, hi_end))))]
    done, n, complete = [], 1, True
    while boxes:
        boxes.sort(key=lambda t: t[2].upper())
        a, b, r = boxes.pop()
        if r.upper() <= lower + tol * abs(lower):
            done.append((a, b, r))
            continue
        if n >= max_boxes:
            complete = False
            done.append((a, b, r))
            done.extend(boxes)
            break
        m = (a + b) / 2
        pm = point(m)
        if pm.lower() > lower:
            lower = pm.lower()
        for x, y in ((a, m), (m, b)):
            boxes.append((x, y, root_modulus(char_coefficients(method, params, _box(x, y)))))
            n += 1
    upper = max((r.upper() for _, _, r in done), default=lower)
    thresh = lower - tol * abs(lower)
    touching = _merge([(a, b) for a, b, r in done if r.upper() >= thresh])
    return RateCertificate(arb(lower), arb(upper), n,
                           [(a.str(12), b.str(12)) for a, b in touching], complete)


def _merge(intervals: list) -> list:
    out: list = []
    for a, b in sorted(intervals, key=lambda t: t[0].mid()):
        if out and not (a > out[-1][1]):
            out[-1] = (out[-1][0], b if b > out[-1][1] else out[-1][1])
        else:
            out.append((a, b))
    return out


def certify_slower(method: str, params: Mapping[str, Any], mu: Any, L: Any, rho: Any,
                   points: int = 65) -> tuple[bool, arb]:
    """Prove that ``params`` give a worst-case root modulus strictly above ``rho``.

    Evaluates the largest modulus at ``points`` exact, equispaced ``lambda`` in
    ``[mu, L]`` (rigorous balls); returns ``(proven, best lower bound)``:
    proven iff some lower bound exceeds ``rho``'s upper bound.

    Examples
    --------
    >>> with ctx.workprec(100):   # GD on [1, 9] at h = 0.21 instead of 0.2: slower than 4/5
    ...     ok, r = certify_slower("gd", {"h": arb(fmpq(21, 100))}, 1, 9, arb(fmpq(4, 5)))
    >>> ok
    True
    """
    a, b = arb(mu), arb(L)
    best = None
    for i in range(points):
        lam = a + (b - a) * arb(fmpq(i, points - 1))
        r = root_modulus(char_coefficients(method, params, lam))
        if best is None or r.lower() > best.lower():
            best = r
    return bool(best.lower() > arb(rho).upper()), best


def bits_for(digits: int) -> int:
    """Working precision in bits for a ``digits``-digit certificate.

    Twice the digits, plus guard bits: at a double root (critical damping,
    where the tuned methods' worst case sits) the modulus is
    ``|c1|/2 + sqrt(disc)/2``, so a rounding error ``e`` in the discriminant
    becomes ``sqrt(e)`` in the modulus.

    Examples
    --------
    >>> bits_for(30)
    229
    """
    return int(2 * digits * 3.33) + 30


def current_prec() -> int:
    """The current Arb precision in bits (for reports)."""
    return ctx.prec
