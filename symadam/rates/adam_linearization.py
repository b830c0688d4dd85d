"""Adam and RMSprop as exact maps, and their linearization at the degenerate fixed point.

Notation (arXiv 2504.19426 writes alpha, beta, gamma): ``beta1`` = alpha
(momentum of the first moment), ``beta2`` = beta (second moment), ``gamma`` =
learning rate, ``eps`` > 0.  One componentwise Adam step from state
``(theta, m, v)`` with gradient ``g = g(theta)`` and bias corrections
``c1 = 1 - beta1^n``, ``c2 = 1 - beta2^n`` (PyTorch convention, eps outside
the root)::

    m+ = beta1 m + (1 - beta1) g,   v+ = beta2 v + (1 - beta2) g^2,
    theta+ = theta - gamma (m+/c1) / (eps + sqrt(v+/c2)).

``eps_inside=True`` uses ``sqrt(v+/c2 + eps)`` instead.  RMSprop is
``beta1 = 0``.  The map is non-autonomous through ``c1, c2``, which tend to 1
geometrically; the local analysis uses that limit and treats the difference
as a summable perturbation.

At the fixed point ``(theta*, 0, 0)`` the gradient vanishes, so ``v -> 0``
and ``sqrt(v)`` is not differentiable there.  :func:`linearize_adaptive`
shows exactly that the ``theta`` update depends on ``v`` only through
``gamma m+ (1/(c1 eps) - 1/(c1 (eps + sqrt(v+/c2))))``, a product with ``m+``
of order ``|m| sqrt(v)`` (``O(||s||^{3/2})``, so the map is still
differentiable at the fixed point, one-sided in ``v >= 0``), that the
Jacobian is block diagonal: heavy ball with step ``gamma (1-beta1)/eps`` and
momentum ``beta1`` on ``(theta, m)``, and ``beta2`` on ``v``.

sympy only (an exact route).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy
from sympy import Rational, sqrt

from ..core.derivation import Derivation

__all__ = [
    "SYMBOLS", "AdaptiveMap", "adaptive_map", "linearize_adaptive", "adam_as_heavy_ball",
    "block_char_poly", "exact_iterates",
]

_p = dict(positive=True)
#: The documented symbols (``sympify`` of the CLI/JSON strings gives these names).
SYMBOLS = dict(
    theta=sympy.Symbol("theta", real=True), m=sympy.Symbol("m", real=True),
    v=sympy.Symbol("v", nonnegative=True), g=sympy.Symbol("g", real=True),
    lam=sympy.Symbol("lambda", **_p), gamma=sympy.Symbol("gamma", **_p),
    beta1=sympy.Symbol("beta1", nonnegative=True), beta2=sympy.Symbol("beta2", **_p),
    eps=sympy.Symbol("eps", **_p), c1=sympy.Symbol("c1", **_p), c2=sympy.Symbol("c2", **_p),
    z=sympy.Symbol("z"), t=sympy.Symbol("t", **_p),
)


@dataclass(frozen=True)
class AdaptiveMap:
    """One componentwise Adam/RMSprop step as sympy expressions.

    Attributes
    ----------
    state : tuple of Symbol
        ``(theta, m, v)`` (RMSprop keeps ``m`` with ``beta1 = 0``, so ``m+ = g``).
    update : tuple of Expr
        ``(theta+, m+, v+)`` in the state, the gradient ``g`` and the
        parameters; bias corrections appear as the symbols ``c1``, ``c2``.
    params : tuple of Symbol
        ``(gamma, beta1, beta2, eps)``; ``beta1`` is 0 for RMSprop.
    eps_inside : bool
    """

    state: tuple
    update: tuple
    params: tuple
    eps_inside: bool
    name: str

    def on_quadratic(self) -> tuple:
        """The update with ``g = lambda theta`` (a Hessian eigendirection, ``theta* = 0``).

        Examples
        --------
        >>> th = adaptive_map().on_quadratic()[0]
        >>> sorted(s.name for s in th.free_symbols)
        ['beta1', 'beta2', 'c1', 'c2', 'eps', 'gamma', 'lambda', 'm', 'theta', 'v']
        """
        S = SYMBOLS
        return tuple(e.subs(S["g"], S["lam"] * S["theta"]) for e in self.update)


def adaptive_map(method: str = "adam", eps_inside: bool = False) -> AdaptiveMap:
    """The exact (bias-corrected) Adam or RMSprop step.

    Parameters
    ----------
    method : {"adam", "rmsprop"}
        RMSprop is Adam with ``beta1 = 0`` (the papers' RMSprop, bias-corrected).
    eps_inside : bool
        ``sqrt(v_hat + eps)`` instead of ``eps + sqrt(v_hat)`` (the default,
        PyTorch's and the papers' convention).

    Examples
    --------
    >>> mp = adaptive_map("rmsprop")
    >>> mp.update[1]
    g
    >>> adaptive_map("sgd")
    Traceback (most recent call last):
    ...
    ValueError: method must be one of adam, rmsprop; got 'sgd'
    """
    if method not in ("adam", "rmsprop"):
        raise ValueError(f"method must be one of adam, rmsprop; got {method!r}")
    S = SYMBOLS
    th, m, v, g = S["theta"], S["m"], S["v"], S["g"]
    gam, b2, eps, c1, c2 = S["gamma"], S["beta2"], S["eps"], S["c1"], S["c2"]
    b1 = S["beta1"] if method == "adam" else sympy.Integer(0)
    c1e = c1 if method == "adam" else sympy.Integer(1)
    m_new = b1 * m + (1 - b1) * g
    v_new = b2 * v + (1 - b2) * g ** 2
    vhat = v_new / c2
    den = sqrt(vhat + eps) if eps_inside else eps + sqrt(vhat)
    th_new = th - gam * (m_new / c1e) / den
    return AdaptiveMap((th, m, v), (th_new, m_new, v_new), (gam, b1, b2, eps), eps_inside,
                       method)


def block_char_poly(method: str = "adam", eps_inside: bool = False) -> sympy.Expr:
    """Characteristic polynomial in ``z`` of the ``(theta, m)`` block (autonomous limit).

    Examples
    --------
    >>> S = SYMBOLS
    >>> sympy.cancel(block_char_poly("rmsprop") - (S["z"] - 1 + S["gamma"]*S["lam"]/S["eps"]))
    0
    """
    return linearize_adaptive(method, eps_inside).results["block_char_poly"]


def linearize_adaptive(method: str = "adam", eps_inside: bool = False) -> Derivation:
    """Linearize Adam/RMSprop at ``(theta*, m, v) = (0, 0, 0)`` honestly.

    The steps, each verified exactly (``cancel`` of a difference is 0, or a
    ``limit``) rather than asserted:

    1. the ``theta`` update splits as (linear in ``m+``) + remainder ``R``,
       ``R = gamma m+ (1/(c1 eps) - 1/(c1 den))`` (eps outside:
       ``R = gamma m+ sqrt(v_hat)/(c1 eps (eps + sqrt(v_hat)))``);
    2. along ``s = t (theta, m, w)`` with ``v = t w >= 0``, ``R/t -> 0`` as
       ``t -> 0+`` and ``R/t^(3/2)`` has a finite nonzero limit (eps outside;
       ``R/t^2`` for eps inside): the map is differentiable at the fixed
       point but not twice;
    3. ``v+`` depends on ``theta`` only through ``g^2 = O(theta^2)``;
    4. the Jacobian (``c1, c2 -> 1``) is block diagonal, the ``v`` block is
       ``beta2``, and its characteristic polynomial factors as
       ``(z - beta2) p(z)``, ``p`` the ``(theta, m)`` block's.

    Results: ``jacobian``, ``block_char_poly`` (``p``, monic in ``z``),
    ``full_char_poly``, ``h_eff`` (the heavy-ball step), ``momentum``,
    ``remainder``.

    Examples
    --------
    >>> d = linearize_adaptive("adam")
    >>> d.results["h_eff"]
    gamma*(1 - beta1)/eps
    >>> d.results["momentum"]
    beta1
    """
    if not isinstance(method, str):
        adaptive_map(method, eps_inside)         # bad input: its ValueError, before the cache
    d = _linearize_adaptive(method, bool(eps_inside))
    return Derivation(d.title, list(d.steps), dict(d.results))   # callers may extend a copy


@functools.lru_cache(maxsize=None)
def _linearize_adaptive(method: str, eps_inside: bool) -> Derivation:
    """:func:`linearize_adaptive`, computed once per ``(method, eps_inside)`` (its exact
    identities and limits are the same every time; the engine, the derivations, the checks
    and ``bounds`` all ask for it)."""
    S = SYMBOLS
    mp = adaptive_map(method, eps_inside)
    th, m, v = mp.state
    gam, b1, b2, eps = mp.params
    c1, c2, lam, z, t = S["c1"], S["c2"], S["lam"], S["z"], S["t"]
    th_new, m_new, v_new = mp.on_quadratic()
    m_plus = mp.update[1].subs(S["g"], lam * th)
    c1e = c1 if method == "adam" else sympy.Integer(1)
    vhat = v_new / c2
    eps_eff = sqrt(eps) if eps_inside else eps
    den = sqrt(vhat + eps) if eps_inside else eps + sqrt(vhat)
    lin = th - gam * m_plus / (c1e * eps_eff)
    rem = gam * m_plus * (1 / (c1e * eps_eff) - 1 / (c1e * den))
    if not eps_inside:
        rem_closed = gam * m_plus * sqrt(vhat) / (c1e * eps * (eps + sqrt(vhat)))
    else:
        rem_closed = gam * m_plus * (sqrt(vhat + eps) - sqrt(eps)) / (
            c1e * sqrt(eps) * sqrt(vhat + eps))
    split_ok = sympy.cancel(th_new - (lin + rem)) == 0
    closed_ok = sympy.cancel(sympy.together(rem - rem_closed)) == 0
    if not (split_ok and closed_ok):  # pragma: no cover - would be a bug in the map
        raise ArithmeticError("remainder identity failed")

    d = Derivation(f"{'Adam' if method == 'adam' else 'RMSprop'}"
                   f"{' (eps inside the root)' if eps_inside else ''}: "
                   "linearization at the degenerate fixed point")
    d.add(r"One step on a Hessian eigendirection ($g = \lambda\theta$, $\theta^* = 0$), "
          r"with bias corrections $c_1 = 1-\beta_1^n$, $c_2 = 1-\beta_2^n$:",
          sympy.Matrix([th_new, m_new, v_new]), r"(\theta^+, m^+, v^+)")
    d.add(r"The $\theta$ update is linear in $m^+$ plus a remainder $R$ "
          r"(checked: $\theta^+ - (\text{linear} + R)$ cancels to 0):", rem_closed, "R")
    # Order of the remainder along rays s = t*(a, b, w), v = t*w >= 0.
    a, b, w = sympy.symbols("a b w", positive=True)
    ray = {th: t * a, m: t * b, v: t * w}
    r_t = rem_closed.subs(ray)
    order = Rational(2) if eps_inside else Rational(3, 2)
    lim1 = sympy.limit(sympy.cancel(r_t / t), t, 0, "+")
    lim2 = sympy.limit(r_t / t ** order, t, 0, "+")
    if lim1 != 0 or lim2 == 0 or not lim2.is_finite:  # pragma: no cover
        raise ArithmeticError("unexpected order of the remainder")
    d.add(r"Along a ray $(\theta, m, v) = t(a, b, w)$, $w \ge 0$: $R/t \to 0$ and "
          f"$R/t^{{{sympy.latex(order)}}}$ has the finite nonzero limit", lim2,
          r"\lim_{t\to 0^+} R/t^{" + sympy.latex(order) + "}")
    d.add(r"So $R = O(|m^+|\,\sqrt{\hat v})$ "
          + (r"$= O(\|s\|^{3/2})$: the map is differentiable at the fixed point "
             r"(one-sided in $v \ge 0$) although $\sqrt v$ is not, and not twice differentiable."
             if not eps_inside else
             r"($O(|m|\,v) = O(\|s\|^2)$ with $\varepsilon$ inside the root: smooth)."))
    dv = sympy.diff(v_new, th).subs(th, 0)
    d.add(r"The $v$ update depends on $\theta$ only through $g^2$: "
          r"$\partial v^+/\partial\theta$ at $\theta = 0$ is", dv)
    if method == "adam":
        lin_map = sympy.Matrix([lin, m_plus, v_new]).subs({c1: 1, c2: 1})
        svars = [th, m, v]
    else:  # m+ = g is not state for RMSprop
        lin_map = sympy.Matrix([lin, v_new]).subs({c1: 1, c2: 1})
        svars = [th, v]
    k = len(svars) - 1
    J = lin_map.jacobian(svars).subs({th: 0, m: 0, v: 0})
    J = J.applyfunc(sympy.cancel)
    d.add(r"Jacobian at the fixed point in the autonomous limit $c_1, c_2 \to 1$ "
          r"(the remainder contributes nothing), state $("
          + ", ".join(sympy.latex(x) for x in svars) + ")$:", J, "J")
    block = J[:k, :k]
    p = sympy.expand((block - z * sympy.eye(k)).det())
    full = sympy.factor((J - z * sympy.eye(k + 1)).det())
    if sympy.cancel(full - (b2 - z) * p) != 0:  # pragma: no cover
        raise ArithmeticError("Jacobian is not block diagonal")
    p = sympy.Poly(p, z).monic().as_expr()
    blk = r"$(\theta, m)$" if method == "adam" else r"$\theta$"
    d.add(f"Characteristic polynomial of the {blk} block:", sympy.collect(p, z), r"p(z)")
    d.add(r"The full Jacobian's characteristic polynomial factors as $(z - \beta_2)\,p(z)$, "
          r"so its spectral radius is $\max(\beta_2, \rho(p))$; but $v$ enters the "
          r"$\theta$ update only through the product $R$, so the rate of $\theta$ is "
          r"$\rho(p)$, not the spectral radius of $J$.", full, r"\det(J - zI)")
    h_eff = gam * (1 - b1) / eps_eff
    hb = z ** 2 - (1 + b1 - h_eff * lam) * z + b1 if method == "adam" else z - (1 - h_eff * lam)
    if sympy.cancel(p - hb) != 0:  # pragma: no cover
        raise ArithmeticError("block is not heavy ball / GD")
    if method == "adam":
        d.add(r"This is heavy ball $z^2 - (1 + \beta - h\lambda) z + \beta$ with "
              r"momentum $\beta = \beta_1$ and step", h_eff, "h")
    else:
        d.add(r"This is gradient descent $z - (1 - h\lambda)$ with step", h_eff, "h")
    d.results.update(jacobian=J, block_char_poly=p, full_char_poly=full, h_eff=h_eff,
                     momentum=b1, remainder=rem_closed)
    return d


def adam_as_heavy_ball() -> Derivation:
    """Adam is *exactly* heavy ball with time-varying step and momentum (eliminating ``m``).

    Write ``theta_n = theta_{n-1} - a_n m_n`` with
    ``a_n = gamma/(c1_n (eps + sqrt(v_hat_n)))`` and
    ``m_{n+1} = beta1 m_n + (1-beta1) g(theta_n)`` (note: ``m_{n+1}`` uses the
    gradient at ``theta_n``).  Eliminating ``m_n = -(theta_n - theta_{n-1})/a_n``:
    ``theta_{n+1} = theta_n - h_n g(theta_n) + b_n (theta_n - theta_{n-1})``
    with ``h_n = a_{n+1}(1-beta1)`` and ``b_n = beta1 a_{n+1}/a_n``; as
    ``v -> 0`` and ``c1 -> 1`` these tend to ``gamma(1-beta1)/eps`` and ``beta1``.

    Examples
    --------
    >>> d = adam_as_heavy_ball()
    >>> d.results["h_limit"]
    gamma*(1 - beta1)/eps
    """
    S = SYMBOLS
    gam, b1, eps = S["gamma"], S["beta1"], S["eps"]
    th0, th1, gn = sympy.symbols("theta_{n-1} theta_n g_n", real=True)
    a_n, a_n1 = sympy.symbols("a_n a_{n+1}", positive=True)
    m_n = -(th1 - th0) / a_n
    m_n1 = b1 * m_n + (1 - b1) * gn
    th2 = th1 - a_n1 * m_n1
    h_n, b_n = a_n1 * (1 - b1), b1 * a_n1 / a_n
    hb = th1 - h_n * gn + b_n * (th1 - th0)
    if sympy.cancel(th2 - hb) != 0:  # pragma: no cover
        raise ArithmeticError("elimination failed")
    d = Derivation("Adam is heavy ball with adaptive step and momentum")
    d.add(r"With $\theta_n = \theta_{n-1} - a_n m_n$, "
          r"$a_n = \gamma/(c_{1,n}(\varepsilon + \sqrt{\hat v_n}))$, and "
          r"$m_{n+1} = \beta_1 m_n + (1-\beta_1) g(\theta_n)$, eliminate "
          r"$m_n = -(\theta_n - \theta_{n-1})/a_n$:", th2, r"\theta_{n+1}")
    d.add(r"which cancels exactly against heavy ball "
          r"$\theta_n - h_n g(\theta_n) + b_n(\theta_n - \theta_{n-1})$ with",
          sympy.Matrix([h_n, b_n]), r"(h_n, b_n)")
    h_lim = gam * (1 - b1) / eps
    d.add(r"As $\hat v_n \to 0$ and $c_{1,n} \to 1$, $a_n \to \gamma/\varepsilon$, so "
          r"$(h_n, b_n) \to$", sympy.Matrix([h_lim, b1]))
    d.results.update(h_n=h_n, b_n=b_n, h_limit=h_lim, momentum_limit=b1)
    return d


def exact_iterates(method: str, eigenvalues, theta0, steps: int, *, lr, beta1, beta2, eps,
                   eps_inside: bool = False) -> list:
    """The first ``steps`` bias-corrected iterates, exactly, on a diagonal quadratic.

    The map of :func:`adaptive_map` with ``c1 = 1 - beta1^n``, ``c2 = 1 - beta2^n``
    at step ``n`` (``n = 1, 2, ...``; RMSprop has no ``c1``), from ``m = v = 0``,
    on ``F = 1/2 sum_i lam_i theta_i^2``; all inputs are exact (decimal strings or
    rationals), the outputs are sympy numbers (nested square roots), so a numeric
    route can be compared with them at any precision.  Keep ``steps`` small:
    the radicals nest one level per step.

    Returns
    -------
    list of tuple
        ``theta_n`` for ``n = 0..steps``.

    Examples
    --------
    >>> it = exact_iterates("adam", ["1"], ["1"], 1, lr="1/10", beta1="9/10", beta2="99/100",
    ...                     eps="1")
    >>> it[1]        # m_hat = g = 1, sqrt(v_hat) = |g| = 1: theta_1 = 1 - (1/10)/(1 + 1)
    (19/20,)
    """
    S = SYMBOLS
    q = {k: sympy.Rational(str(v)) for k, v in
         dict(gamma=lr, beta1=beta1 if method == "adam" else 0, beta2=beta2, eps=eps).items()}
    mp = adaptive_map(method, eps_inside)
    th_new, m_new, v_new = mp.update
    lams = [sympy.Rational(str(x)) for x in eigenvalues]
    th = [sympy.Rational(str(x)) for x in theta0]
    m = [sympy.Integer(0)] * len(th)
    v = [sympy.Integer(0)] * len(th)
    base = {S[k]: val for k, val in q.items() if k in ("gamma", "beta2", "eps")}
    if method == "adam":
        base[S["beta1"]] = q["beta1"]
    out = [tuple(th)]
    for n in range(1, steps + 1):
        c = {**base, S["c1"]: 1 - q["beta1"] ** n, S["c2"]: 1 - q["beta2"] ** n}
        for i, lam in enumerate(lams):
            at = {**c, S["theta"]: th[i], S["m"]: m[i], S["v"]: v[i], S["g"]: lam * th[i]}
            th[i], m[i], v[i] = (e.xreplace(at) for e in (th_new, m_new, v_new))
        out.append(tuple(th))
    return out
