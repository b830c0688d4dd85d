"""Smooth activations: the infimum 0 is not attained (sympy only).

Networks ``N(x) = c + sum_j v_j sigma(w_j x + b_j)`` with an analytic
activation: tanh, logistic, softplus, GELU (``z Phi(z)``).

**Theorem (non-attainment).**  Let the input law be uniform on ``[a, b]``
and the target a polynomial ``f`` of degree ``d``.

1. *Bounded sigma (tanh, logistic), d >= 1, any width:* the infimum is not
   attained.  Risk 0 would mean ``N = f`` a.e. on ``[a, b]``, hence on
   ``[a, b]`` (both continuous), hence on all of R (both analytic); but
   ``N`` is bounded on R and ``f`` is not.
2. *sigma of linear growth (softplus, GELU: |sigma(z)| <= A + |z|), d >= 2,
   any width:* the same argument with ``|N(x)| <= A' + B'|x|`` against
   ``|f(x)| ~ |x|^d``.
3. *Width 1, f(x) = x, any of the four:* ``c + v sigma(w x + b) = x`` on an
   interval forces ``v w sigma'' = 0`` there, hence ``sigma'' = 0`` on an
   interval, hence everywhere (analytic): sigma affine, which none is.
   (softplus and GELU *attain* ``x`` with width 2: ``sigma(z) - sigma(-z) = z``.)

**The infimum is 0** whenever the width is at least ``d``: with ``h -> 0``,
``sum_k v_k sigma(b + k h x)`` reproduces the Taylor coefficients
``x^1 .. x^d`` (Vandermonde in ``k``), ``c`` the constant, as soon as
``sigma^{(j)}(b) != 0`` for ``j <= d`` (true for generic ``b``: the
derivatives are nonzero analytic functions).  For width 1 and ``f = x`` the
explicit sequence is ``N_n(x) = n (sigma(x/n) - sigma(0)) / sigma'(0)``;
:func:`taylor_sequence` gives its exact leading risk.

**Finite data.**  For ``n`` distinct points and width 1, target ``y_i = x_i``:
``g(x) = c + v sigma(w x + b) - x`` has, by Rolle, at most ``r + 2`` zeros if
``sigma''`` has ``r`` zeros (``g' = v w sigma'(w x + b) - 1`` vanishes at most
``r + 1`` times since ``sigma'`` is piecewise monotone with ``r`` turning
points).  So ``r + 3`` distinct points suffice for non-attainment while the
infimum is still 0 (the sequence above converges uniformly on compacts):
tanh and logistic ``r = 1`` (4 points), softplus ``r = 0`` (3 points), GELU
``r = 2`` (zeros ``+-sqrt 2``; 5 points).  For tanh 4 is sharp: the three
points ``-1, 0, 1`` are fitted exactly by ``tanh(x)/tanh(1)``.
"""
from __future__ import annotations

import sympy

from ..core.derivation import Derivation
from ..core.expr import parse_expression, to_rational

__all__ = ["SMOOTH", "sigma", "taylor_sequence", "sigma2_zeros", "finite_data_points",
           "nonattainment", "polynomial_sequence"]

z = sympy.Symbol("z", real=True)
x = sympy.Symbol("x", real=True)
n = sympy.Symbol("n", positive=True)

#: The analytic activations as sympy expressions in ``z``.
SMOOTH = {
    "tanh": sympy.tanh(z),
    "logistic": 1 / (1 + sympy.exp(-z)),
    "softplus": sympy.log(1 + sympy.exp(z)),
    "gelu": z * (1 + sympy.erf(z / sympy.sqrt(2))) / 2,
}

#: Real zeros of sigma'' (see :func:`sigma2_zeros` for the argument).
_SIGMA2_ZEROS = {"tanh": (0,), "logistic": (0,), "softplus": (),
                 "gelu": (-sympy.sqrt(2), sympy.sqrt(2))}


def _tidy(e: sympy.Expr) -> sympy.Expr:
    """Targeted canonical form (expand, then cancel): no open-ended ``simplify``."""
    return sympy.cancel(sympy.expand(e))


def sigma(name: str) -> sympy.Expr:
    """The activation ``name`` as a sympy expression in ``z``.

    Examples
    --------
    >>> sigma("softplus")
    log(exp(z) + 1)
    """
    if name not in SMOOTH:
        raise ValueError(f"activation must be one of {', '.join(SMOOTH)}; got {name!r}")
    return SMOOTH[name]


def sigma2_zeros(name: str) -> tuple:
    """Real zeros of ``sigma''``.

    tanh'' = -2 tanh sech^2 vanishes iff tanh = 0; logistic'' =
    s(1-s)(1-2s) iff s = 1/2; softplus'' = s(1-s) > 0; GELU'' =
    (2 - z^2) phi(z).  The factorizations are checked here.

    Examples
    --------
    >>> sigma2_zeros("gelu")
    (-sqrt(2), sqrt(2))
    """
    s2 = sympy.diff(sigma(name), z, 2)
    for r in _SIGMA2_ZEROS[name]:
        if _tidy(s2.subs(z, r).rewrite(sympy.exp)) != 0:  # pragma: no cover - guarded table
            raise AssertionError(f"{r} is not a zero of {name}''")
    return _SIGMA2_ZEROS[name]


def finite_data_points(name: str) -> int:
    """Distinct data points that make the width-1 infimum (target ``x``) unattainable.

    Examples
    --------
    >>> [finite_data_points(a) for a in ("tanh", "logistic", "softplus", "gelu")]
    [4, 4, 3, 5]
    """
    return len(sigma2_zeros(name)) + 3


def taylor_sequence(name: str, domain=(0, 1)) -> dict:
    """The width-1 sequence ``N_n(x) = n (sigma(x/n) - sigma(0)) / sigma'(0)`` for ``f = x``.

    Returns the first nonzero error term ``a_k x^k n^{1-k}`` of ``N_n - x``
    and the leading risk ``a_k^2 E[X^{2k}] n^{2-2k}`` under ``U[a, b]``, plus
    the parameters ``(w, b, v, c) = (1/n, 0, n/sigma'(0), -n sigma(0)/sigma'(0))``.

    Examples
    --------
    >>> taylor_sequence("tanh")["risk_leading"]
    1/(63*n**4)
    >>> taylor_sequence("softplus")["risk_leading"]
    1/(80*n**2)
    """
    ser = sympy.series(sigma(name), z, 0, 9).removeO()   # Taylor coefficients at 0
    s0, s1 = ser.coeff(z, 0), ser.coeff(z, 1)
    a, b = (to_rational(v, "domain") for v in domain)
    for k in range(2, 9):
        ck = ser.coeff(z, k)
        if ck != 0:
            break
    coeff = _tidy(ck / s1)                    # N_n(x) - x = coeff x^k n^{1-k} + ...
    moment = sympy.integrate(x ** (2 * k), (x, a, b)) / (b - a)
    risk = _tidy(coeff ** 2 * moment) * n ** (2 - 2 * k)
    return {"k": k, "error_coefficient": coeff, "risk_leading": risk,
            "risk_exponent": 2 - 2 * k,
            "theta": (1 / n, sympy.Integer(0), n / s1, -n * s0 / s1)}


def nonattainment(name: str, domain=(0, 1)) -> Derivation:
    """The non-attainment argument and the explicit sequence, as a Derivation.

    Examples
    --------
    >>> nonattainment("tanh").results["points"]
    4
    """
    seq = taylor_sequence(name, domain)
    d = Derivation(f"{name}: infimum 0 for the target $x$, not attained")
    d.add("Activation", sigma(name), "\\sigma(z)")
    bounded = name in ("tanh", "logistic")
    d.add("Non-attainment (population, uniform input): $N = f$ a.e. on an interval forces "
          "equality on $\\mathbb{R}$ by analyticity; "
          + ("$N$ is bounded, $f$ is not (any width, any non-constant polynomial)."
             if bounded else
             "$N$ grows at most linearly, so any width fails for degree $\\ge 2$; for $f=x$ "
             "and width 1, $vw\\sigma''\\equiv 0$ would make $\\sigma$ affine."))
    d.add("Minimizing sequence $N_n(x) = n(\\sigma(x/n)-\\sigma(0))/\\sigma'(0)$: first error "
          f"term $a_k x^k n^{{1-k}}$ with $k = {seq['k']}$, $a_k$ =", seq["error_coefficient"])
    d.add("Leading risk along the sequence", seq["risk_leading"], "R_n")
    d.add(f"Zeros of $\\sigma''$: ${sympy.latex(list(sigma2_zeros(name)))}$; by Rolle "
          f"$c + v\\sigma(wx+b) - x$ has at most {len(sigma2_zeros(name)) + 2} zeros, so "
          f"{finite_data_points(name)} distinct data points make the empirical infimum 0 "
          "unattainable.")
    d.results["risk_leading"] = seq["risk_leading"]
    d.results["points"] = sympy.Integer(finite_data_points(name))
    return d


def polynomial_sequence(name: str, poly, domain=(0, 1)) -> dict:
    """A minimizing sequence of width ``d = deg f`` for a polynomial target ``f``.

    ``N_h(x) = c + sum_{k=1}^d v_k sigma(b + k h x)``: the Taylor coefficients
    of ``x^1 .. x^d`` match ``f`` exactly (Vandermonde system in ``k``),
    ``c`` matches the constant, at a rational ``b`` with
    ``sigma^{(j)}(b) != 0`` for ``j <= d + 1``.  The error is
    ``E h x^{d+1} + O(h^2)``, so the risk is ``E^2 E[X^{2d+2}] h^2 + O(h^3)``
    while ``|v_k| ~ h^{-d}``: the parameters diverge as the risk -> 0.

    Returns
    -------
    dict with ``b``, ``theta(h)`` (exact, Network layout), ``risk_leading``
    (in the symbol ``h``), ``norm_exponent`` (``-d``: ``||theta|| ~ h^-d``).

    Examples
    --------
    >>> seq = polynomial_sequence("tanh", x**2)
    >>> seq["b"], seq["norm_exponent"]
    (1/2, -2)
    """
    s = sigma(name)
    P = sympy.Poly(parse_expression(poly, ("x",), name="poly") if isinstance(poly, str)
                   else sympy.sympify(poly, strict=True), x)
    d = P.degree()
    if d < 1:
        raise ValueError("poly must have degree >= 1")
    h = sympy.Symbol("h", positive=True)
    derivs = [sympy.diff(s, z, j) for j in range(d + 2)]
    for b in (sympy.Rational(1, 2), sympy.Rational(1, 3), sympy.Integer(1), sympy.Rational(3, 2)):
        vals = [_tidy(dj.subs(z, b)) for dj in derivs]
        if all(sympy.N(v, 30) != 0 for v in vals[1:]):
            break
    else:  # pragma: no cover
        raise NotImplementedError("no base point with nonzero derivatives found")
    coeffs = [P.coeff_monomial(x ** j) for j in range(d + 1)]
    # sum_k v_k (k h)^j sigma^(j)(b)/j! = f_j  (j = 1..d)
    V = sympy.Matrix(d, d, lambda j, k: sympy.Integer(k + 1) ** (j + 1))
    rhs = sympy.Matrix(d, 1, lambda j, _c: coeffs[j + 1] * sympy.factorial(j + 1)
                       / (vals[j + 1] * h ** (j + 1)))
    v = V.LUsolve(rhs)
    c = coeffs[0] - sum(v[k] * vals[0] for k in range(d))
    err = sum(v[k] * (sympy.Integer(k + 1) * h) ** (d + 1) for k in range(d)) * vals[d + 1] \
        / sympy.factorial(d + 1)
    a_, b_ = (to_rational(t, "domain") for t in domain)
    moment = sympy.integrate(x ** (2 * d + 2), (x, a_, b_)) / (b_ - a_)
    # err = e1 h + e2 h^2 + ... + e_d h^d (v_k is a Laurent polynomial in h with
    # powers -1..-d): err/h is a polynomial in h, e1 its value at h = 0
    e1 = _tidy(sympy.cancel(err / h).subs(h, 0))
    lead = sympy.factor(e1 ** 2 * moment) * h ** 2
    theta = [sympy.Integer(k + 1) * h for k in range(d)] + [b] * d + \
        [_tidy(v[k]) for k in range(d)] + [_tidy(c)]
    return {"b": b, "h": h, "theta": theta, "risk_leading": lead, "norm_exponent": -d,
            "expr": c + sum(v[k] * s.subs(z, b + (k + 1) * h * x) for k in range(d))}
