"""Laplace functionals behind the exact evaluation of the Adam vector field (sympy only).

Convention [reconstructed, docs/conventions.md]: ``G_0, G_1, ...`` are i.i.d. copies of
the (batch-mean) stochastic gradient at a frozen ``theta``; the stationary
moment estimates are ``M = sum_k a_k G_k``, ``V = sum_k b_k G_k^2`` with
``a_k = (1-beta1) beta1^k``, ``b_k = (1-beta2) beta2^k`` and the *same* samples
in both; ``A(theta) = E[M / (eps + sqrt(V))]`` with ``eps`` outside the root.

Two exact ingredients are derived here:

* the kernel: ``1/(eps + sqrt v) = int_0^oo K_eps(u) e^{-u v} du`` with
  ``K_eps(u) = (pi u)^{-1/2} - eps e^{eps^2 u} erfc(eps sqrt u)``, obtained from
  ``1/(eps+sqrt v) = int_0^oo e^{-s eps} e^{-s sqrt v} ds`` and the stable-1/2
  (Levy) subordinator identity
  ``e^{-s sqrt v} = int_0^oo s/(2 sqrt(pi) u^{3/2}) e^{-s^2/(4u)} e^{-u v} du``;
* the per-sample functionals ``phi(c) = E[e^{-c G^2}]`` and
  ``psi(c) = E[G e^{-c G^2}]`` of ``G = theta - X`` for each data law.

Hence ``A(theta) = int_0^oo K_eps(u) P(u) S(u) du`` with
``P(u) = prod_j phi(u b_j)`` and ``S(u) = sum_k a_k psi(u b_k)/phi(u b_k)``
(independence of the samples), evaluated in :mod:`symadam.avf.field_mp`.
"""
from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import Rational, exp, pi, sqrt

from ..core.derivation import Derivation
from ..core.expr import to_rational
from .irwin_hall import irwin_hall_functionals, irwin_hall_pieces
from .laws import DataLaw

__all__ = ["C", "THETA", "U", "erfcx", "kernel", "laplace_functionals", "derive_kernel",
           "derive_laplace"]

#: Laplace variable (``c > 0``), the frozen parameter, the kernel variable.
C = sympy.Symbol("c", positive=True)
THETA = sympy.Symbol("theta", real=True)
U = sympy.Symbol("u", positive=True)
_EPS = sympy.Symbol("epsilon", positive=True)
_S = sympy.Symbol("s", positive=True)
_V = sympy.Symbol("v", positive=True)
_X = sympy.Symbol("x", real=True)


def kernel(eps: sympy.Expr = _EPS) -> sympy.Expr:
    """The kernel ``K_eps(u)`` with ``int_0^oo K_eps(u) e^{-u v} du = 1/(eps + sqrt v)``.

    Examples
    --------
    >>> kernel(0)
    1/(sqrt(pi)*sqrt(u))
    """
    eps = to_rational(eps, "eps") if isinstance(eps, str) else sympy.sympify(eps, strict=True)
    return 1 / sqrt(pi * U) - eps * exp(eps**2 * U) * sympy.erfc(eps * sqrt(U))


@lru_cache(maxsize=None)
def derive_kernel() -> Derivation:
    """Derive ``K_eps`` with sympy (both integrals done by ``sympy.integrate``).

    Examples
    --------
    >>> d = derive_kernel()
    >>> d.results["kernel"] == kernel()
    True
    """
    d = Derivation("The Adam vector field: the kernel K_eps")
    d.add(r"Laplace-transform representation ($\varepsilon > 0$, $v > 0$), checked by sympy:",
          sympy.integrate(exp(-_S * _EPS) * exp(-_S * sqrt(_V)), (_S, 0, sympy.oo), conds="none"),
          r"\int_0^\infty e^{-s\varepsilon} e^{-s\sqrt v}\,ds")
    levy = _S / (2 * sqrt(pi) * U**Rational(3, 2)) * exp(-_S**2 / (4 * U))
    lt = sympy.integrate(levy * exp(-U * _V), (U, 0, sympy.oo), conds="none")
    lt = sympy.expand(lt.rewrite(exp))
    d.add(r"Stable-$\frac12$ (L\'evy) subordinator: the density "
          r"$\frac{s}{2\sqrt\pi u^{3/2}} e^{-s^2/(4u)}$ has Laplace transform", lt,
          r"\int_0^\infty \frac{s\,e^{-s^2/(4u)}}{2\sqrt\pi u^{3/2}} e^{-uv}\,du")
    kraw = sympy.integrate(exp(-_S * _EPS) * levy, (_S, 0, sympy.oo), conds="none")
    kfin = kernel()
    check = sympy.expand((kraw - kfin).rewrite(sympy.erf))
    if check != 0:  # pragma: no cover - guards the derivation itself
        raise AssertionError(f"kernel derivation does not reduce: {check}")
    d.add(r"Exchanging the integrals (Tonelli, all terms positive), the $s$-integral is "
          r"elementary:", kfin, r"K_\varepsilon(u)")
    d.add(r"At $\varepsilon = 0$ this is $(\pi u)^{-1/2}$, i.e. "
          r"$v^{-1/2} = \pi^{-1/2}\int_0^\infty u^{-1/2}e^{-uv}du$; as $u\to\infty$, "
          r"$K_\varepsilon(u) \sim \frac{1}{2\sqrt\pi\,\varepsilon^2 u^{3/2}}$.")
    d.add(r"With $M=\sum_k a_k G_k$, $V=\sum_j b_j G_j^2$ and i.i.d. $G_j$, "
          r"$E[M e^{-uV}] = \prod_j\varphi(u b_j)\sum_k a_k \psi(u b_k)/\varphi(u b_k)$, so "
          r"$A(\theta) = \int_0^\infty K_\varepsilon(u)\,P(u)\,S(u)\,du$.")
    d.results["kernel"] = kfin
    return d


class erfcx(sympy.Function):
    """The scaled complementary error function ``erfcx(z) = exp(z^2) erfc(z)`` (unevaluated).

    Kept as its own function so that sympy does not rewrite ``erfc(-z)`` as
    ``2 - erfc(z)`` (catastrophic cancellation in numerical evaluation).

    Examples
    --------
    >>> z = sympy.Symbol("z")
    >>> erfcx(z).diff(z)
    2*z*erfcx(z) - 2/sqrt(pi)
    >>> erfcx(z).rewrite(sympy.erfc)
    exp(z**2)*erfc(z)
    """

    def fdiff(self, argindex=1):
        z = self.args[0]
        return 2 * z * erfcx(z) - 2 / sqrt(pi)

    def _eval_rewrite_as_erfc(self, z, **kwargs):
        return exp(z**2) * sympy.erfc(z)


def _discrete_functionals(law: DataLaw) -> tuple[sympy.Expr, sympy.Expr]:
    phi = sum((p * exp(-C * (THETA - x)**2) for x, p in law.atoms), sympy.Integer(0))
    psi = sum((p * (THETA - x) * exp(-C * (THETA - x)**2) for x, p in law.atoms),
              sympy.Integer(0))
    return phi, psi


def laplace_functionals(law: DataLaw) -> tuple[sympy.Expr, sympy.Expr]:
    """Closed forms of ``phi(c) = E[e^{-c G^2}]``, ``psi(c) = E[G e^{-c G^2}]``, ``G = theta - X``.

    Normal ``N(m, s^2)``: with ``mu = theta - m``,
    ``phi = (1 + 2 c s^2)^{-1/2} exp(-c mu^2/(1 + 2 c s^2))``, ``psi = mu phi/(1 + 2 c s^2)``.
    Uniform ``U(a, b)``: error functions (three cancellation-free branches).
    ``Gamma(J, lam)`` (exponential data, ``J = 1``, and their batch means):
    the moments ``int_0^oo x^n e^{-c x^2 + beta x} dx`` by integration by
    parts from ``erfcx`` (:class:`erfcx`).  Irwin--Hall (uniform data,
    ``J > 1``): finite sums of ``int y^n e^{-c y^2} dy`` over the ``J`` pieces
    (:func:`symadam.avf.irwin_hall.irwin_hall_functionals`).  Discrete: finite sums.
    The continuous forms are checked against ``sympy.integrate`` in
    :func:`derive_laplace` and the tests.

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> phi, psi = laplace_functionals(parse_data("normal:0,1"))
    >>> phi
    exp(-c*theta**2/(2*c + 1))/sqrt(2*c + 1)
    """
    if law.kind == "discrete":
        return _discrete_functionals(law)
    if law.kind == "normal":
        m, s = law.params
        mu = THETA - m
        den = 1 + 2 * C * s**2
        phi = exp(-C * mu**2 / den) / sqrt(den)
        return phi, mu / den * phi
    if law.kind == "uniform":
        a, b = law.params
        k = sqrt(pi) / (2 * sqrt(C) * (b - a))
        ra, rb = sqrt(C) * (THETA - a), sqrt(C) * (THETA - b)
        # three algebraically equal forms; each avoids cancelling erf's near +-1
        phi = sympy.Piecewise(
            (k * (sympy.erfc(rb) - sympy.erfc(ra)), THETA > b),
            (k * (sympy.erfc(-ra) - sympy.erfc(-rb)), THETA < a),
            (k * (sympy.erf(ra) + sympy.erf(-rb)), True))
        psi = (exp(-C * (THETA - b)**2) - exp(-C * (THETA - a)**2)) / (2 * C * (b - a))
        return phi, psi
    if law.kind == "irwinhall":
        J, a, b = law.params
        return irwin_hall_functionals(a, b, int(J), C, THETA)
    if law.kind in ("exponential", "gamma"):
        J, lam = ((sympy.Integer(1),) + law.params) if law.kind == "exponential" else law.params
        J = int(J)
        # I_n = int_0^oo x^n e^{-c x^2 + beta x} dx, beta = 2 c theta - lam:
        # I_0 = sqrt(pi/c)/2 erfcx(-beta/(2 sqrt c)), I_1 = (1 + beta I_0)/(2c),
        # I_{n+1} = (beta I_n + n I_{n-1})/(2c)  (integration by parts)
        beta = 2 * C * THETA - lam
        ints = [sqrt(pi / C) / 2 * erfcx(-beta / (2 * sqrt(C)))]
        ints.append((1 + beta * ints[0]) / (2 * C))
        for n in range(1, J):
            ints.append((beta * ints[n] + n * ints[n - 1]) / (2 * C))
        pre = lam**J / sympy.factorial(J - 1) * exp(-C * THETA**2)
        phi = pre * ints[J - 1]
        psi = THETA * phi - pre * ints[J]
        return phi, psi
    raise ValueError(f"no Laplace functionals for law kind {law.kind!r}")  # pragma: no cover


def _density(law: DataLaw) -> tuple[sympy.Expr, tuple]:
    if law.kind == "normal":
        m, s = law.params
        return exp(-(_X - m)**2 / (2 * s**2)) / sqrt(2 * pi * s**2), (-sympy.oo, sympy.oo)
    if law.kind == "uniform":
        a, b = law.params
        return 1 / (b - a), (a, b)
    if law.kind == "exponential":
        (lam,) = law.params
        return lam * exp(-lam * _X), (0, sympy.oo)
    if law.kind == "irwinhall":
        J, a, b = law.params
        pcs = irwin_hall_pieces(a, b, int(J), _X)
        return sympy.Piecewise(*[(p, _X <= hi) for _, hi, p in pcs]), (a, b)
    J, lam = law.params
    return lam**J * _X**(J - 1) * exp(-lam * _X) / sympy.factorial(J - 1), (0, sympy.oo)


@lru_cache(maxsize=32)
def derive_laplace(law: DataLaw) -> Derivation:
    """Derive ``phi`` and ``psi`` for a continuous law with ``sympy.integrate``.

    Returns a :class:`Derivation` whose results ``phi``, ``psi`` are the
    integrals as sympy computes them (the closed forms of
    :func:`laplace_functionals` are compared with them in the tests).

    Examples
    --------
    >>> from symadam.avf.laws import parse_data
    >>> d = derive_laplace(parse_data("uniform:-1,1"))
    >>> sorted(d.results)
    ['phi', 'psi']
    """
    if law.kind == "discrete":
        raise ValueError("derive_laplace is for continuous laws; discrete laws are finite sums")
    dens, (lo, hi) = _density(law)
    d = Derivation(f"Laplace functionals of G = theta - X, X ~ {law.spec or law.kind}")
    d.add("Density of the data:", dens, r"f(x)")
    if law.kind == "irwinhall":   # piece by piece: sympy.integrate of each polynomial piece
        J, a, b = law.params
        pcs = [(p, left, right) for left, right, p in irwin_hall_pieces(a, b, int(J), _X)]
    else:
        pcs = [(dens, lo, hi)]
    phi = sum((sympy.integrate(exp(-C * (THETA - _X)**2) * p, (_X, left, right), conds="none")
               for p, left, right in pcs), sympy.Integer(0))
    psi = sum((sympy.integrate((THETA - _X) * exp(-C * (THETA - _X)**2) * p, (_X, left, right),
                               conds="none") for p, left, right in pcs), sympy.Integer(0))
    d.add("Integrating against the density:", phi, r"\varphi(c) = E[e^{-cG^2}]")
    d.add("and", psi, r"\psi(c) = E[G e^{-cG^2}]")
    d.results["phi"] = phi
    d.results["psi"] = psi
    return d
