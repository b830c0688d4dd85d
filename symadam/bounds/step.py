"""The sharp bound on Adam's normalised step |mhat_n|/sqrt(vhat_n) (exact, sympy).

After ``n`` steps of bias-corrected Adam (``eps = 0``) from ``m_0 = v_0 = 0``,

    ``mhat_n = sum_k a_k g_k``,  ``vhat_n = sum_k b_k g_k^2``,  ``k = 1..n``,
    ``a_k = (1-beta1) beta1^(n-k)/(1-beta1^n)``,  ``b_k = (1-beta2) beta2^(n-k)/(1-beta2^n)``.

**Theorem.**  For every gradient sequence, ``|mhat_n| <= C_n sqrt(vhat_n)`` with

    ``C_n^2 = sum_k a_k^2/b_k
            = (1-beta1)^2 (1-beta2^n) (1-r^n) / ((1-beta1^n)^2 (1-beta2) (1-r))``,
    ``r = beta1^2/beta2``  (``r = 1``: replace ``(1-r^n)/(1-r)`` by ``n``),

and equality holds exactly for ``g_k`` proportional to ``a_k/b_k``, i.e. to
``(beta1/beta2)^(n-k)`` (gradients growing by ``beta2/beta1`` per step).  Moreover
``C_n <= C_inf`` for every ``n`` with

    ``C_inf = (1-beta1)/sqrt((1-beta2)(1-r))``  when ``beta1^2 < beta2``,

because ``(1-beta1^n)^2 - (1-beta2^n)(1-r^n) = (beta2^(n/2) - beta1^n beta2^(-n/2))^2 >= 0``;
so ``sup_n C_n = C_inf`` (``C_n = C_inf`` for all ``n`` iff ``beta1 = beta2``).  If
``beta1^2 >= beta2`` the bound grows without limit: like ``sqrt(n)`` when ``beta1^2 = beta2``,
like ``r^(n/2)`` when ``beta1^2 > beta2``, and Adam's step (``eps = 0``) is unbounded over
gradient sequences.

*Proof.*  Cauchy--Schwarz with weights: ``|sum a_k g_k| = |sum (a_k/sqrt b_k)(sqrt b_k g_k)|
<= (sum a_k^2/b_k)^(1/2) (sum b_k g_k^2)^(1/2)``, with equality iff ``sqrt(b_k) g_k`` is
proportional to ``a_k/sqrt(b_k)``.  The sum is geometric in ``r``.  []

With ``eps > 0``: ``|mhat_n|/(eps + sqrt vhat_n) <= C_n sqrt(vhat_n)/(eps + sqrt vhat_n) < C_n``;
the supremum over sequences is still ``C_n``, approached by scaling the extremal sequence up and
never attained.  The step of Adam is ``gamma`` times this ratio, so
``|theta_n - theta_{n-1}| <= gamma C_n <= gamma C_inf`` componentwise, for every gradient
sequence: the starting point of the a priori bound (:mod:`symadam.bounds.apriori`).

Only sympy is imported (an exact route).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sympy
from sympy import Rational, sqrt

from ..core.derivation import Derivation

__all__ = ["SYMBOLS", "derive_step_bound", "step_bound_formula", "c_inf_formula",
           "step_bound", "step_bound_n", "c_inf", "extremal_sequence", "exact_number", "MAX_N",
           "MAX_EXACT_N", "MAX_EXPONENT", "MAX_NUMBER_LENGTH"]

beta1, beta2 = sympy.symbols("beta1 beta2", positive=True)
eps = sympy.Symbol("eps", nonnegative=True)
n = sympy.Symbol("n", positive=True, integer=True)
k = sympy.Symbol("k", positive=True, integer=True)
j = sympy.Symbol("j", nonnegative=True, integer=True)
r = sympy.Symbol("r", positive=True)
#: The documented symbols (``sympify`` of the printed formulas gives these names).
SYMBOLS = {"beta1": beta1, "beta2": beta2, "eps": eps, "n": n}

#: Largest ``n`` accepted (:func:`step_bound_n` evaluates the exact formula numerically).
MAX_N = 10**12
#: Largest ``n`` for which :func:`step_bound` builds the exact number (``beta^n`` as a
#: rational has ``n`` times as many digits as ``beta``).
MAX_EXACT_N = 2000
#: Numbers are refused unless ``x = 0`` or ``10^-MAX_EXPONENT <= |x| <= 10^MAX_EXPONENT``
#: (an exact ``1e1000000000`` would have a billion digits), before any work.
MAX_EXPONENT = 1000
#: Longest numeric input, in characters.
MAX_NUMBER_LENGTH = 1000
_EXPONENT = re.compile(r"[eE]\s*([+-]?\d+)")


def exact_number(name: str, x: Any) -> sympy.Rational:
    """A parameter read exactly (``"0.9"`` and ``0.9`` are ``9/10``); finite reals only.

    Examples
    --------
    >>> exact_number("beta1", "0.9"), exact_number("beta1", 0.999), exact_number("n", 3)
    (9/10, 999/1000, 3)
    >>> exact_number("beta1", "nan")
    Traceback (most recent call last):
    ...
    ValueError: beta1 must be a finite real number, got 'nan'
    >>> exact_number("gamma", "1e1000000000")
    Traceback (most recent call last):
    ...
    ValueError: gamma must be 0 or of magnitude in [1e-1000, 1e1000] (the limit), got '1e1000000000'
    """
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a finite real number, got {x!r}")
    if isinstance(x, sympy.Rational):
        return _in_range(name, x, x)
    if isinstance(x, int):
        return _in_range(name, sympy.Integer(x), x)
    s = repr(x) if isinstance(x, float) else str(x).strip()
    if len(s) > MAX_NUMBER_LENGTH:
        raise ValueError(f"{name} must be at most {MAX_NUMBER_LENGTH} characters long (the "
                         f"limit), got {len(s)}")
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity", "oo"):
        raise ValueError(f"{name} must be a finite real number, got {x!r}")
    m = _EXPONENT.search(s)
    if m and abs(int(m.group(1))) > MAX_EXPONENT + MAX_NUMBER_LENGTH:   # before building it
        raise _too_large(name, x)
    try:
        v = sympy.Rational(s)
    except (TypeError, ValueError, ZeroDivisionError, SyntaxError):
        raise ValueError(f"{name} must be a finite real number, got {x!r}") from None
    return _in_range(name, v, x)


def _too_large(name: str, x: Any) -> ValueError:
    return ValueError(f"{name} must be 0 or of magnitude in [1e-{MAX_EXPONENT}, "
                      f"1e{MAX_EXPONENT}] (the limit), got {x!r}")


def _in_range(name: str, v: sympy.Rational, x: Any) -> sympy.Rational:
    big = sympy.Integer(10)**MAX_EXPONENT
    if v != 0 and not 1 / big <= abs(v) <= big:
        raise _too_large(name, x)
    return v


def _betas(b1: Any, b2: Any) -> tuple[sympy.Rational, sympy.Rational]:
    v1, v2 = exact_number("beta1", b1), exact_number("beta2", b2)
    if not 0 <= v1 < 1:
        raise ValueError(f"beta1 must be in [0, 1), got {b1!r}")
    if not 0 < v2 < 1:
        raise ValueError(f"beta2 must be in (0, 1), got {b2!r}")
    return v1, v2


def _general(e: sympy.Expr) -> sympy.Expr:
    """The generic branch of a ``Piecewise`` from ``summation`` (the ``True`` condition)."""
    if isinstance(e, sympy.Piecewise):
        return [x for x, c in e.args if c is sympy.true][0]
    return e


@lru_cache(maxsize=None)
def derive_step_bound() -> Derivation:
    """Derive ``C_n``, its extremal sequence and ``C_inf`` exactly (sympy).

    Results: ``C_n_squared`` (``r != 1``), ``C_n_squared_r1`` (``r = 1``), ``C_inf``,
    ``extremal`` (``g_k`` up to a factor), ``gap`` (the square whose non-negativity gives
    ``C_n <= C_inf``).

    Examples
    --------
    >>> d = derive_step_bound()
    >>> d.results["C_inf"]
    sqrt(beta2)*(1 - beta1)/sqrt((1 - beta2)*(-beta1**2 + beta2))
    >>> d.results["extremal"]
    (beta1/beta2)**(-k + n)
    """
    d = Derivation("Adam's step: the sharp bound on |mhat_n|/sqrt(vhat_n)")
    ak = (1 - beta1) * beta1**(n - k) / (1 - beta1**n)
    bk = (1 - beta2) * beta2**(n - k) / (1 - beta2**n)
    d.add(r"Bias-corrected Adam from $m_0=v_0=0$: $\hat m_n=\sum_{k=1}^n a_kg_k$, "
          r"$\hat v_n=\sum_{k=1}^n b_kg_k^2$ with", sympy.Matrix([ak, bk]), r"(a_k, b_k)")
    for w, name in ((ak, "a"), (bk, "b")):
        tot = _general(sympy.summation(w.subs(k, n - j), (j, 0, n - 1)))
        if sympy.cancel(sympy.powsimp(tot, force=True) - 1) != 0:  # pragma: no cover
            raise ArithmeticError(f"the weights {name}_k do not sum to 1")
    d.add(r"Both weight sequences sum to 1 (geometric sums).")
    d.add(r"Cauchy--Schwarz: $|\sum a_kg_k| = |\sum (a_k/\sqrt{b_k})(\sqrt{b_k}g_k)| \le "
          r"(\sum a_k^2/b_k)^{1/2}\,\hat v_n^{1/2}$, with equality iff $\sqrt{b_k}g_k \propto "
          r"a_k/\sqrt{b_k}$, i.e. $g_k\propto a_k/b_k$.")
    ratio_ab = sympy.powsimp(sympy.cancel(ak / bk * (1 - beta1**n) * (1 - beta2)
                                          / ((1 - beta2**n) * (1 - beta1))), force=True)
    ext = (beta1 / beta2)**(n - k)
    if sympy.cancel(sympy.powsimp(ratio_ab - ext, force=True)) != 0:  # pragma: no cover
        raise ArithmeticError("extremal sequence")
    d.add(r"The extremal gradients (any positive multiple; the newest is largest when "
          r"$\beta_1<\beta_2$):", ext, r"g_k")
    pref = (1 - beta1)**2 * (1 - beta2**n) / ((1 - beta1**n)**2 * (1 - beta2))
    geo_r = _general(sympy.summation(r**j, (j, 0, n - 1)))
    cn2 = pref * geo_r.subs(r, beta1**2 / beta2)
    # the sum of a_k^2/b_k, term by term, is pref * r^(n-k): check the summand
    summand = sympy.powsimp(sympy.expand_power_base(ak**2 / bk, force=True), force=True)
    target = pref * (beta1**2 / beta2)**(n - k)
    if sympy.cancel(sympy.powsimp(sympy.expand_power_base(summand - target, force=True),
                                    force=True)) != 0:  # pragma: no cover
        raise ArithmeticError("a_k^2/b_k is not geometric")
    d.add(r"$a_k^2/b_k$ is geometric in $r=\beta_1^2/\beta_2$, so "
          r"($r\ne1$; for $r=1$ replace $(1-r^n)/(1-r)$ by $n$)", cn2, r"C_n^2")
    # the extremal sequence attains it: mhat = pref1 * S, vhat = pref2 * S with S = sum r^j
    S = sympy.Symbol("S", positive=True)
    mh = (1 - beta1) / (1 - beta1**n) * S
    vh = (1 - beta2) / (1 - beta2**n) * S
    att = sympy.cancel(mh**2 / vh - pref * S)
    if att != 0:  # pragma: no cover
        raise ArithmeticError("the extremal sequence does not attain C_n")
    d.add(r"On the extremal sequence $\hat m_n = \frac{1-\beta_1}{1-\beta_1^n}S$ and "
          r"$\hat v_n = \frac{1-\beta_2}{1-\beta_2^n}S$ with $S=\sum_{j<n} r^j$, so "
          r"$\hat m_n^2/\hat v_n - C_n^2$ cancels to", att)
    cinf = (1 - beta1) * sqrt(beta2) / sqrt((1 - beta2) * (beta2 - beta1**2))
    cinf2 = sympy.limit(cn2.subs({beta1: Rational(1, 2), beta2: Rational(1, 2)}), n, sympy.oo)
    if cinf2 != (cinf**2).subs({beta1: Rational(1, 2), beta2: Rational(1, 2)}):
        raise ArithmeticError("limit of C_n")  # pragma: no cover
    d.add(r"For $\beta_1^2<\beta_2$ ($r<1$) and $n\to\infty$:", cinf, r"C_\infty")
    x = sympy.Symbol("x", positive=True)   # x = beta2^(n/2)
    y = sympy.Symbol("y", positive=True)   # y = beta1^n
    gap_lhs = (1 - y)**2 - (1 - x**2) * (1 - y**2 / x**2)
    gap = (x - y / x)**2
    if sympy.cancel(gap_lhs - gap) != 0:  # pragma: no cover
        raise ArithmeticError("gap identity")
    d.add(r"$C_n^2 = C_\infty^2\,(1-\beta_2^n)(1-r^n)/(1-\beta_1^n)^2$, and with "
          r"$x=\beta_2^{n/2}$, $y=\beta_1^n$: $(1-\beta_1^n)^2-(1-\beta_2^n)(1-r^n)$ equals",
          gap)
    d.add(r"so $C_n\le C_\infty$ for every $n$, $\sup_n C_n = C_\infty$, and $C_n=C_\infty$ "
          r"for all $n$ iff $\beta_1=\beta_2$.")
    cn2_r1 = pref * n
    d.add(r"If $\beta_1^2\ge\beta_2$ the bound is unbounded in $n$: at $r=1$", cn2_r1,
          r"C_n^2")
    d.add(r"and for $r>1$, $C_n^2 \sim \frac{(1-\beta_1)^2}{(1-\beta_2)(r-1)}r^n$: the "
          r"normalised step of Adam with $\varepsilon=0$ has no uniform bound.")
    d.add(r"With $\varepsilon>0$: $|\hat m_n|/(\varepsilon+\sqrt{\hat v_n}) \le "
          r"C_n\sqrt{\hat v_n}/(\varepsilon+\sqrt{\hat v_n}) < C_n$; the supremum over all "
          r"sequences is $C_n$, approached by scaling the extremal sequence, not attained.")
    d.results.update(C_n_squared=cn2, C_n_squared_r1=cn2_r1, C_inf=cinf, extremal=ext,
                     gap=gap)
    return d


def step_bound_formula() -> sympy.Expr:
    """``C_n`` in ``beta1, beta2, n`` (valid for ``beta1^2 != beta2``).

    Examples
    --------
    >>> sympy.simplify(step_bound_formula().subs({n: 1, beta1: Rational(9, 10),
    ...                                           beta2: Rational(999, 1000)}))
    1
    """
    return sqrt(derive_step_bound().results["C_n_squared"])


def c_inf_formula() -> sympy.Expr:
    """``C_inf`` in ``beta1, beta2`` (finite iff ``beta1^2 < beta2``).

    Examples
    --------
    >>> c_inf_formula().subs({beta1: 0, beta2: Rational(1, 2)})
    sqrt(2)
    """
    return derive_step_bound().results["C_inf"]


def step_bound(b1: Any, b2: Any, steps: Any) -> sympy.Expr:
    """``C_n`` at given ``beta1, beta2`` and ``n = steps``, exact (a sympy number).

    Parameters
    ----------
    b1, b2 : number or str
        ``beta1`` in [0, 1), ``beta2`` in (0, 1), read exactly.
    steps : int
        ``n >= 1`` (at most :data:`MAX_N`).

    Examples
    --------
    >>> step_bound("0.9", "0.999", 1)
    1
    >>> step_bound("1/2", "1/4", 4)      # beta1^2 = beta2: the r = 1 branch
    2*sqrt(85)/15
    """
    expr, subs = step_bound_n(b1, b2, steps)
    if subs[n] > MAX_EXACT_N:
        raise ValueError(f"n must be <= {MAX_EXACT_N} for the exact number (the rational "
                         "beta^n grows with n); use step_bound_n and evaluate numerically")
    return sympy.sqrt(sympy.cancel(expr.subs(subs)))


def step_bound_n(b1: Any, b2: Any, steps: Any) -> tuple[sympy.Expr, dict]:
    """``C_n^2`` as a formula and the exact substitution ``{beta1, beta2, n}`` (validated).

    The right branch is chosen (``beta1^2 = beta2`` gives ``C_n^2`` linear in ``n``).
    Evaluate with ``expr.evalf(digits, subs=subs)`` for large ``n``.

    Examples
    --------
    >>> e, s = step_bound_n("0.9", "0.999", 10**9)
    >>> print(sympy.sqrt(e.evalf(30, subs=s)).evalf(12))
    7.27029180000
    >>> step_bound_n("0.9", "0.999", 0)
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer in [1, 1000000000000], got 0
    """
    v1, v2 = _betas(b1, b2)
    nn = exact_number("n", steps)
    if not (nn.is_Integer and 1 <= nn <= MAX_N):
        raise ValueError(f"n must be an integer in [1, {MAX_N}], got {steps!r}")
    res = derive_step_bound().results
    key = "C_n_squared_r1" if v1**2 == v2 else "C_n_squared"
    return res[key], {beta1: v1, beta2: v2, n: nn}


def c_inf(b1: Any, b2: Any) -> sympy.Expr:
    """``C_inf`` exactly; ``ValueError`` when ``beta1^2 >= beta2`` (then it is infinite).

    Examples
    --------
    >>> c_inf(0, "0.75")
    2
    >>> c_inf("0.9", "0.8")
    Traceback (most recent call last):
    ...
    ValueError: C_inf is finite only for beta1**2 < beta2 (got beta1**2 = 81/100 >= ...
    """
    v1, v2 = _betas(b1, b2)
    if v1**2 >= v2:
        raise ValueError(f"C_inf is finite only for beta1**2 < beta2 (got beta1**2 = {v1**2} "
                         f">= beta2 = {v2}): then C_n grows without bound")
    return sympy.radsimp(c_inf_formula().subs({beta1: v1, beta2: v2}))


def extremal_sequence(b1: Any, b2: Any, steps: int) -> list[sympy.Rational]:
    """The extremal gradients ``g_1, ..., g_n`` (oldest first), normalised to ``g_n = 1``.

    Examples
    --------
    >>> extremal_sequence("0.5", "0.75", 3)
    [4/9, 2/3, 1]
    """
    v1, v2 = _betas(b1, b2)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"n must be an integer >= 1, got {steps!r}")
    q = v1 / v2
    return [q**(steps - i) for i in range(1, steps + 1)]
