"""Generalized responses of 1-D ReLU networks and why they never win (sympy only).

A *generalized response* (arXiv 2303.03950, 2302.14690) is the limit of a pair
of neurons whose weights diverge while their kinks merge at ``t``:
with ``delta = 1/(2n)``,

* step: ``n h (relu(x - t + delta) - relu(x - t - delta)) -> h 1{x > t}``;
* affine times indicator: ``A relu(x - t + delta) + B relu(x - t - delta)``
  with ``A + B = alpha``, ``A - B = h/delta`` (so ``A, B ~ +-h n``) tends to
  ``(alpha (x - t) + h) 1{x > t}``.

Both pairs use two neurons and agree with their limit ``G`` outside the
window ``[t - delta, t + delta]``.  Let ``e = N_rest - f`` be the residual of
the rest of the network near ``t`` (smooth if the target is continuous) and
``p`` the input density.  Then (exact computation in
:func:`pair_improvement`)

    R(pair_n) - R(G) = -h^2 p(t) / (6 n) + O(n^-2),

so for large ``n`` the finite pair strictly beats its own limit: no
minimizing sequence of a continuous target can run off to a generalized
response, which is the heart of the existence proof.  With an affine skip
connection (residual network) the same computation applies verbatim (the
skip only changes ``N_rest``).  If instead the target jumps by ``J`` at ``t``
the first-order change is ``delta p(t) (h J / 2 - h^2 / 3)``, positive for
``h = J``: the step target is *not* beaten, and its infimum 0 is not
attained (:func:`step_target_sequence`).
"""
from __future__ import annotations

import sympy
from sympy import Rational

from ..core.derivation import Derivation
from ..core.expr import to_rational
from .piecewise import X

__all__ = ["step_pair", "affine_indicator_pair", "generalized_response", "pair_improvement",
           "step_target_sequence", "pair_theta"]

n_sym = sympy.Symbol("n", positive=True)
_relu = lambda z: sympy.Max(0, z)  # noqa: E731


def step_pair(n, t, h) -> sympy.Expr:
    """``n h (relu(x - t + 1/(2n)) - relu(x - t - 1/(2n)))``, a ramp of width ``1/n``.

    Examples
    --------
    >>> r = step_pair(10, Rational(1, 2), 1)
    >>> [r.subs(X, v) for v in (Rational(2, 5), Rational(1, 2), Rational(3, 5))]
    [0, 1/2, 1]
    """
    d = Rational(1, 2) / n
    return n * h * (_relu(X - t + d) - _relu(X - t - d))


def affine_indicator_pair(n, t, h, alpha) -> sympy.Expr:
    """Two neurons tending to ``(alpha (x - t) + h) 1{x > t}`` as ``n -> oo``.

    ``A relu(x - t + d) + B relu(x - t - d)`` with ``d = 1/(2n)``,
    ``A = (alpha + h/d)/2``, ``B = (alpha - h/d)/2``.

    Examples
    --------
    >>> p = affine_indicator_pair(5, 0, 1, 2)
    >>> p.subs(X, 1) == (2 * 1 + 1)
    True
    """
    d = Rational(1, 2) / n
    A = (alpha + h / d) / 2
    B = (alpha - h / d) / 2
    return A * _relu(X - t + d) + B * _relu(X - t - d)


def generalized_response(t, h, alpha=0) -> sympy.Expr:
    """The limit ``(alpha (x - t) + h) 1{x > t}`` as a Piecewise.

    Examples
    --------
    >>> generalized_response(0, 1).subs(X, 1)
    1
    """
    return sympy.Piecewise((0, X <= t), (alpha * (X - t) + h, True))


def pair_theta(n, t, h, alpha=0) -> list:
    """Flat parameters ``(w1, w2, b1, b2, v1, v2, c)`` of the affine-indicator pair
    (``alpha = 0``: the step pair), :class:`~symadam.networks.network.Network` layout.

    Examples
    --------
    >>> pair_theta(2, Rational(1, 2), 1)
    [1, 1, -1/4, -3/4, 2, -2, 0]
    """
    d = Rational(1, 2) / n
    A = (alpha + h / d) / 2
    B = (alpha - h / d) / 2
    return [sympy.Integer(1), sympy.Integer(1), -(t - d), -(t + d), A, B, sympy.Integer(0)]


def pair_improvement(order: int = 2, jump: bool = False) -> Derivation:
    """Exact ``R(pair_n) - R(G)`` for a generic smooth residual and density.

    Near ``t`` write ``e(x) = e0 + e1 s + e2 s^2`` (``s = x - t``) for the
    residual of the rest of the network and ``p(x) = p0 + p1 s`` for the
    density (Taylor polynomials; higher terms change only higher orders).
    The pair and its limit differ only for ``|s| < delta``, so the difference
    of risks is an integral over the window, a polynomial in ``delta = 1/(2n)``.
    With ``jump=True`` the target jumps by ``J`` at ``t`` (``e`` drops by ``J``).

    Examples
    --------
    >>> d = pair_improvement()
    >>> d.results["leading"]
    -h**2*p0/(6*n)
    >>> pair_improvement(jump=True).results["leading"]
    -h*p0*(-3*J + 2*h)/(12*n)
    """
    s, dl = sympy.symbols("s delta", positive=True)
    e0, e1, e2, p0, p1, h, al, J = sympy.symbols("e0 e1 e2 p0 p1 h alpha J", real=True)
    e_left = e0 + e1 * s + e2 * s ** 2
    e_right = e_left - (J if jump else 0)
    p = p0 + p1 * s
    A = (al + h / dl) / 2
    pair = A * (s + dl)                       # on the window, only the first neuron is on
    G_right = al * s + h
    left = sympy.integrate(sympy.expand(((e_left + pair) ** 2 - e_left ** 2) * p), (s, -dl, 0))
    right = sympy.integrate(sympy.expand(((e_right + pair) ** 2 - (e_right + G_right) ** 2) * p),
                            (s, 0, dl))
    diff = sympy.expand(left + right)
    poly = sympy.Poly(diff, dl)
    lead_d = sympy.factor(poly.coeff_monomial(dl))
    second_d = sympy.factor(poly.coeff_monomial(dl ** 2))
    lead_n = sympy.factor(lead_d / (2 * n_sym))
    d = Derivation("A diverging neuron pair is beaten by a finite one"
                   + (" (target with a jump)" if jump else ""))
    d.add("The pair $A\\,\\mathrm{relu}(s+\\delta) + B\\,\\mathrm{relu}(s-\\delta)$, "
          "$A+B=\\alpha$, $A-B=h/\\delta$, equals its limit $G=(\\alpha s+h)1\\{s>0\\}$ outside "
          "$|s|<\\delta$; inside it is $A(s+\\delta)$.")
    d.add("Residual of the rest of the network and density near $t$ (Taylor)"
          + (", the target jumping by $J$" if jump else ""), sympy.Tuple(e_left, p), "(e, p)")
    d.add("Exact difference of risks $R(\\text{pair}) - R(G)$ (a polynomial in $\\delta$)",
          diff, "\\Delta")
    d.add("Coefficient of $\\delta$", lead_d)
    d.add("Coefficient of $\\delta^2$", second_d)
    d.add("With $\\delta = 1/(2n)$ the leading order in $n$", lead_n, "\\Delta_1")
    d.results["difference"] = diff
    d.results["leading"] = lead_n
    d.results["delta_coefficient"] = lead_d
    return d


def step_target_sequence(t0=Rational(1, 2), J=1, domain=(0, 1)) -> Derivation:
    """The step target ``J 1{x > t0}``: exact risks along the pair sequence.

    With ``X ~ U[a, b]`` and the width-2 pair ``step_pair(n, t0, J)`` (window
    inside the domain, ``n >= n0``) the risk is exactly ``J^2 / (12 n (b - a))``;
    the infimum over width-2 networks is 0 and is *not attained*: every
    network is continuous, and a continuous function differs from the step
    on a set of positive measure.  Any sequence with risk -> 0 has unbounded
    parameters (a bounded one has a convergent subsequence whose continuous
    limit would have risk 0).  Along the pair, the balanced parameter norm
    (each neuron rescaled so that ``|v| = ||(w, b)||``) is
    ``||theta||^2 = 2 n J (sqrt(1 + (t0 - d)^2) + sqrt(1 + (t0 + d)^2))``, ``d = 1/(2n)``.

    Examples
    --------
    >>> step_target_sequence().results["risk"]
    1/(12*n)
    """
    a, b = (to_rational(v, "domain") for v in domain)
    d = Rational(1, 2) / n_sym
    ramp = n_sym * J * (X - t0 + d)
    risk = (sympy.integrate(ramp ** 2, (X, t0 - d, t0))
            + sympy.integrate((ramp - J) ** 2, (X, t0, t0 + d))) / (b - a)
    risk = sympy.factor(sympy.expand(risk))
    norm2 = 2 * n_sym * abs(J) * (sympy.sqrt(1 + (t0 - d) ** 2) + sympy.sqrt(1 + (t0 + d) ** 2))
    n_min = sympy.ceiling(1 / (2 * sympy.Min(t0 - a, b - t0)))
    lim = sympy.limit(risk * norm2, n_sym, sympy.oo)
    der = Derivation("Step target: the ReLU infimum is not attained")
    der.add(f"Target ${sympy.latex(J)}\\,1\\{{x > {sympy.latex(t0)}\\}}$ on "
            f"$[{a}, {b}]$, uniform input; width-2 pair with $\\delta = 1/(2n)$, "
            f"$n \\ge {n_min}$.")
    der.add("Exact risk along the sequence", risk, "R_n")
    der.add("Balanced parameter norm squared", norm2, "\\|\\theta_n\\|^2")
    der.add("Trade-off: risk times squared norm tends to", lim,
            "\\lim R_n \\|\\theta_n\\|^2")
    der.add("No network attains risk 0: networks are continuous; a continuous $N$ with "
            "$\\int (N - f)^2 = 0$ would equal the step a.e., impossible near $t_0$.")
    der.results["risk"] = risk
    der.results["norm_squared"] = norm2
    der.results["risk_times_norm2"] = lim
    der.results["n_min"] = n_min
    return der
