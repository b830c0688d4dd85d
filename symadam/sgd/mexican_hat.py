"""A C-infinity "Mexican hat" whose bounded gradient trajectory does not converge (sympy).

The contrast to arXiv 2102.09385 (where Łojasiewicz inequalities give
convergence): a smooth function without a Łojasiewicz inequality at its ring
of minima.  The construction is of the Palis–de Melo / Absil–Mahony–Andrews
type, with a *constant* amplitude (ours, chosen so that the flow is only
mildly stiff): in polar coordinates ``(r, phi)``, with ``u = 1/(1 - r^2)``,

    ``f(r, phi) = exp(-u) (1 - (9/10) chi(r) sin(phi - u))``  for ``r < 1``,
    ``f = 0``  for ``r >= 1``,

where ``chi`` is the standard smooth step (``chi = 0`` for ``r <= 1/4``,
``chi = 1`` for ``r >= 1/2``, built from ``exp(-1/t)``) that makes ``f``
smooth at the origin.  ``f > 0`` inside the unit disc (the bracket is at
least ``1/10``), so the minima are ``{r >= 1}``; every derivative of
``f`` tends to 0 at ``r = 1`` (``exp(-u)`` beats every power of ``u``), so ``f``
is ``C^infinity`` on the plane.  It is not analytic there, and the Łojasiewicz
inequality fails on the circle.

On ``r >= 1/2`` put ``psi = phi - u`` and ``h(psi) = 1 - g sin psi - g cos psi``
(``g = 9/10``).  The gradient flow, with time rescaled by ``exp(u)``, reads

    ``du/dtau = u_r^2 h(psi)``,   ``dpsi/dtau = g cos(psi)/r^2 - u_r^2 h(psi)``,
    ``u_r = du/dr = 2 r u^2``.

``h`` has two zeros; the one at ``psi* = 3 pi/4 - arcsin(5 sqrt 2/9)`` is
attracting (``h'(psi*) = sqrt(62)/10 > 0``), the other repelling.  On the
slow manifold ``u_r^2 h(psi) = g cos(psi)/r^2``: ``phi`` and ``u`` grow together
without bound (``cos psi* = (10 - sqrt 62)/18 > 0``), so the trajectory winds
around the disc infinitely often while ``r -> 1``, and
``u^4 r^4 (psi - psi*) -> c* = (10 - sqrt 62)/(8 sqrt 62)``.
"""
from __future__ import annotations

import sympy
from sympy import Rational, pi, sqrt

from ..core.derivation import Derivation

__all__ = ["AMPLITUDE", "objective_polar", "valley", "derive_mexican_hat"]

#: The amplitude ``g`` of the oscillation on ``r >= 1/2``.
AMPLITUDE = Rational(9, 10)

_R = sympy.Symbol("r", positive=True)
_PHI = sympy.Symbol("phi", real=True)
_U = sympy.Symbol("u", positive=True)
_PSI = sympy.Symbol("psi", real=True)


def objective_polar() -> sympy.Expr:
    """``f`` on ``1/2 <= r < 1`` in polar coordinates (``chi = 1`` there).

    Examples
    --------
    >>> objective_polar()
    (1 - 9*sin(phi - 1/(1 - r**2))/10)*exp(-1/(1 - r**2))
    """
    u = 1 / (1 - _R**2)
    return sympy.exp(-u) * (1 - AMPLITUDE * sympy.sin(_PHI - u))


def valley() -> dict:
    """The attracting and repelling zeros of ``h``, ``h'`` there, and the correction ``c*``.

    Examples
    --------
    >>> v = valley()
    >>> v["psi_star"], v["c_star"]
    (-asin(5*sqrt(2)/9) + 3*pi/4, sqrt(62)*(10 - sqrt(62))/496)
    >>> float(v["psi_star"]), float(v["psi_repelling"])
    (1.45240..., 0.11838...)
    """
    g = AMPLITUDE
    beta = sympy.asin(5 * sqrt(2) / 9)
    star, rep = 3 * pi / 4 - beta, beta - pi / 4
    sin_s = (sqrt(62) + 10) / 18
    cos_s = (10 - sqrt(62)) / 18
    hp = g * (sin_s - cos_s)
    c = sympy.radsimp(g * cos_s / (4 * hp))
    return {"psi_star": star, "psi_repelling": rep, "sin_star": sin_s, "cos_star": cos_s,
            "h_prime_star": sympy.radsimp(hp), "c_star": c}


def derive_mexican_hat() -> Derivation:
    """The derivation: smoothness, the flow in ``(u, psi)``, the valley and its correction.

    Examples
    --------
    >>> d = derive_mexican_hat()
    >>> d.results["h_prime_star"]
    sqrt(62)/10
    """
    g = AMPLITUDE
    d = Derivation("A C-infinity Mexican hat: a bounded gradient trajectory that does not converge")
    f = objective_polar()
    d.add(r"On $1/2\le r<1$ ($\chi=1$), with $u=1/(1-r^2)$:", f, "f(r,\\varphi)")
    d.add(r"Since $|1-g\sin|\ge 1/10$, $f>0$ for $r<1$; $f=0$ for $r\ge1$: the minima are "
          r"$\{r\ge1\}$.")
    F = sympy.exp(-_U) * (1 - g * sympy.sin(_PHI - _U))
    h_u = 1 - g * sympy.sin(_PHI - _U) - g * sympy.cos(_PHI - _U)
    d.add(r"Chain rule: $\partial_r f=u_r\,\partial_u f$ with $\partial_u f=-e^{-u}h(\psi)$, "
          r"$h(\psi)=1-g\sin\psi-g\cos\psi$ (the difference expands to 0):",
          sympy.expand(sympy.diff(F, _U) + sympy.exp(-_U) * h_u), r"\partial_u f+e^{-u}h")
    lim = sympy.limit(_U**6 * sympy.exp(-_U), _U, sympy.oo)
    d.add(r"Every derivative of $f$ is $e^{-u}$ times a polynomial in $u$, $r$, $\sin\psi$, "
          r"$\cos\psi$, and $u^k e^{-u}\to0$ as $u\to\infty$ (e.g. $k=6$), so $f$ is "
          r"$C^\infty$ across $r=1$.", lim, r"\lim_{u\to\infty}u^6e^{-u}")
    ur = 2 * _R * _U**2
    d.add(r"Gradient flow in $(u,\psi=\varphi-u)$, time rescaled by $e^{u}$:",
          sympy.Matrix([ur**2 * (1 - g * sympy.sin(_PSI) - g * sympy.cos(_PSI)),
                        g * sympy.cos(_PSI) / _R**2
                        - ur**2 * (1 - g * sympy.sin(_PSI) - g * sympy.cos(_PSI))]),
          r"\frac{d}{d\tau}(u,\psi)")
    v = valley()
    chk = sympy.radsimp(sympy.expand(1 - g * v["sin_star"] - g * v["cos_star"]))
    d.add(r"$h(\psi^\ast)=0$ at $\psi^\ast=3\pi/4-\arcsin(5\sqrt2/9)$ "
          r"($\sin\psi^\ast=(\sqrt{62}+10)/18$, $\cos\psi^\ast=(10-\sqrt{62})/18$):", chk,
          r"h(\psi^\ast)")
    d.add(r"$h'(\psi^\ast)>0$: attracting in $\psi$; the other zero "
          r"$\arcsin(5\sqrt2/9)-\pi/4$ has $h'<0$ (repelling).", v["h_prime_star"],
          r"h'(\psi^\ast)")
    d.add(r"On the slow manifold $d\varphi/d\tau=g\cos\psi/r^2>0$ and $\psi\to\psi^\ast$: "
          r"$\varphi-u\to\psi^\ast$, so the angle grows without bound while $r\to1$; the "
          r"$\omega$-limit set is the whole unit circle.")
    d.add(r"Slow manifold to first order: $u_r^2h'(\psi^\ast)(\psi-\psi^\ast)=g\cos\psi^\ast/r^2$, "
          r"i.e. $u^4r^4(\psi-\psi^\ast)\to c^\ast$:", v["c_star"], r"c^\ast")
    d.results.update({"psi_star": v["psi_star"], "h_prime_star": v["h_prime_star"],
                      "c_star": v["c_star"]})
    return d
