"""Optimality as a theorem: a symbolic lower bound on the worst-case rate (sympy only).

**Lemma** (the ``p(1)`` argument).  Let ``p_lambda(z) = det(zI - J(lambda))`` be monic of
degree ``d`` in ``z`` with real coefficients, and suppose ``p_lambda(1) = c lambda`` for a
number ``c`` that does not depend on ``lambda``.  If every root at ``lambda = mu`` and at
``lambda = L`` has modulus at most ``R``, then ``R >= (kappa^(1/d) - 1)/(kappa^(1/d) + 1)``.

*Proof.* If ``R >= 1`` there is nothing to show; let ``R < 1``.  Writing
``p(1) = prod (1 - z_i)``, a real root gives a factor in ``[1 - R, 1 + R]`` and a pair of
complex conjugate roots a factor ``|1 - z|^2`` in ``[(1 - R)^2, (1 + R)^2]``, so
``(1 - R)^d <= p_lambda(1) <= (1 + R)^d`` at both ends.  Then ``c mu >= (1 - R)^d > 0``,
so ``c > 0``, and ``kappa = p_L(1)/p_mu(1) <= ((1 + R)/(1 - R))^d``, which rearranges to
the bound.  The worst case over ``lambda in [mu, L]`` is at least the worst of the two
ends, so the bound holds for the local rate of *every* real choice of the parameters.

When the bound equals the rate the engine derives (a canonical form of their difference
is 0), the derived tuning is optimal among all constant tunings: a theorem, not a sample.
It applies to gradient descent (``d = 1``), heavy ball, Adam's ``(theta, m)`` block and
RMSprop; for Nesterov's method ``p(1) = h lambda`` too, but the bound (Polyak's rate) lies
strictly below the derived rate, so it proves nothing there.
"""
from __future__ import annotations

import functools

import sympy

from ..core.derivation import Derivation
from .engine import characteristic_polynomial, tune
from .methods import KAPPA, LAM, Z, get_method

__all__ = ["p1_lower_bound", "optimality_derivation"]


@functools.lru_cache(maxsize=None)
def p1_lower_bound(method: str) -> dict:
    """The lemma's hypothesis and bound for ``method``, and whether it proves optimality.

    Returns ``{"degree", "c", "bound", "rate", "gap", "proves"}``; ``c`` is None (and
    ``proves`` False) if ``p_lambda(1)`` is not ``c * lambda``.

    Examples
    --------
    >>> r = p1_lower_bound("heavy-ball")
    >>> r["c"], r["bound"], r["proves"]
    (h, (sqrt(kappa) - 1)/(sqrt(kappa) + 1), True)
    >>> p1_lower_bound("nesterov")["proves"]
    False
    """
    m = get_method(method)
    cp = sympy.expand(characteristic_polynomial(m))
    d = sympy.degree(cp, Z)
    if sympy.Poly(cp, Z).LC() != 1:  # pragma: no cover - det(zI - J) is monic
        raise ArithmeticError("characteristic polynomial is not monic")
    c = sympy.cancel(cp.subs(Z, 1) / LAM)
    if c.has(LAM):
        return {"degree": d, "c": None, "bound": None, "rate": tune(m).rate, "gap": None,
                "proves": False}
    root = KAPPA ** sympy.Rational(1, d)
    bound = (root - 1) / (root + 1)
    rate = tune(m).rate
    gap = sympy.radsimp(sympy.cancel(sympy.radsimp(rate - bound)))
    return {"degree": d, "c": sympy.factor(c), "bound": bound, "rate": rate, "gap": gap,
            "proves": gap == 0}


@functools.lru_cache(maxsize=None)
def optimality_derivation(method: str) -> Derivation:
    """The lemma applied to ``method``: the proof that no tuning beats the derived rate, or
    the gap that leaves the question open.

    Examples
    --------
    >>> d = optimality_derivation("gd")
    >>> d.results["proved"], d.results["lower_bound"]
    (True, (kappa - 1)/(kappa + 1))
    """
    m = get_method(method)
    r = p1_lower_bound(m.name)
    t = tune(m)
    d = Derivation(f"{m.title}: no constant tuning beats the derived rate")
    d.add(r"Lemma ($p(1)$ argument): if $p_\lambda(z) = \det(zI - J(\lambda))$ is monic of "
          r"degree $d$ with real coefficients and $p_\lambda(1) = c\lambda$, and all roots at "
          r"$\lambda \in \{\mu, L\}$ have modulus $\le R < 1$, then each real root contributes "
          r"a factor of $p(1) = \prod(1 - z_i)$ in $[1-R, 1+R]$ and each conjugate pair one in "
          r"$[(1-R)^2, (1+R)^2]$; so $c\mu \ge (1-R)^d > 0$ and "
          r"$\kappa = p_L(1)/p_\mu(1) \le ((1+R)/(1-R))^d$. Hence, for every real choice of "
          r"the parameters, the worst case over $[\mu, L]$ satisfies",
          r"R \ge \frac{\kappa^{1/d} - 1}{\kappa^{1/d} + 1}")
    d.add(f"For {m.title}, $d = {r['degree']}$ and:", characteristic_polynomial(m).subs(Z, 1),
          lhs=r"p_\lambda(1)")
    if r["c"] is None:
        d.add(r"$p_\lambda(1)$ is not a constant multiple of $\lambda$: the lemma does not "
              r"apply.")
        d.results.update(proved=False, lower_bound=None, rate=t.rate)
        return d
    d.add(r"so $p_\lambda(1) = c\lambda$ with", r["c"], lhs="c")
    d.add("The lemma's bound:", r["bound"], lhs=r"\rho_{\rm lb}(\kappa)")
    d.add("The engine's rate minus the bound (canonical form):", r["gap"],
          lhs=r"\rho^*(\kappa) - \rho_{\rm lb}(\kappa)")
    if r["proves"]:
        d.add(r"The derived tuning attains the bound: for every $\kappa \ge 1$ no real choice "
              f"of {', '.join('$' + sympy.latex(p.symbol) + '$' for p in m.params)} has a "
              r"smaller worst-case root modulus. $\square$")
    else:
        d.add(r"The bound lies below the derived rate: the lemma does not decide whether a "
              r"better tuning exists; what is shown about optimality is stated in the claim.")
    d.results.update(proved=r["proves"], lower_bound=r["bound"], rate=t.rate)
    return d
