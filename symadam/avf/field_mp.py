"""Exact high-precision evaluation of the Adam vector field and of its zeros (mpmath).

Definition [reconstructed, docs/conventions.md; our reading of arXiv 2407.21078]:
freeze ``theta``; let ``G_0, G_1, ...`` be i.i.d. copies of the stochastic
gradient at ``theta`` (with mini-batches of size ``J``: the gradient of the
batch-mean loss, ``G = theta - Xbar`` for the quadratic loss
``1/2 (theta - x)^2``).  With ``a_k = (1-beta1) beta1^k`` and
``b_k = (1-beta2) beta2^k`` the stationary moment estimates are
``M = sum_k a_k G_k`` and ``V = sum_k b_k G_k^2``, built from the *same*
samples, and

    ``A(theta) = E[ M / (eps + sqrt(V)) ]``   (``eps`` outside the root).

Adam with a small learning rate follows ``theta' = -A(theta)``.  The papers'
alpha is ``beta1`` and their beta is ``beta2``.  Defaults: ``beta1 = 0.9``,
``beta2 = 0.999``, ``eps = 0`` (the mathematically clean field; pass
``eps=1e-8`` for torch's default; ``eps`` is read exactly from its decimal
string).

Route: ``A = int_0^oo K_eps(u) E[M e^{-uV}] du`` with the kernel of
:func:`symadam.avf.laplace.kernel` and the factorization over the
independent samples; the infinite product's tail is summed in closed form
(:mod:`symadam.avf._quadrature_mp`) and, for ``beta2 >= 0.78``, its head by
the Euler--Maclaurin formula on Chebyshev panels of ``log phi`` and
``psi/phi`` in ``log c`` (or by products along Gauss--Legendre lattices of
the interpolants when ``beta2`` is far from 1; :mod:`symadam.avf._history_mp`),
so the cost no longer grows like ``1/(1 - beta2)``.  Every value is computed twice, at
``dps + 8`` and ``dps + 16`` working digits (different series orders,
head/tail splits and quadrature rules); their difference plus the quadrature
error estimate is the reported error.  If that error does not give ``dps``
digits the pair is recomputed with more guard digits (twice); if it still
falls short, :class:`PrecisionError` is raised: no silently truncated answer.
A shortfall is not bad input (``ValueError``): the command line exits 1 on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath
import sympy

from ..core.expr import to_rational
from ..core.validate import check_dps, check_int, check_unit_interval
from ._law_mp import GradientLaw, to_mpf
from ._quadrature_mp import AVFIntegrand, integrate_avf

__all__ = ["AVFValue", "AVFZero", "PrecisionError", "avf_value", "avf_zero", "naive_avf_value",
           "exact_param", "check_avf_params", "justified_digits", "exact_decimal"]

#: Guard digits of the first attempt and of the two escalations (the check runs at twice these).
_GUARDS = (8, 16, 32)


class PrecisionError(ArithmeticError):
    """A numerical route did not reach the requested digits, even after raising its precision.

    Not a ``ValueError``: the input was valid (the command line exits 1, not 2).

    Examples
    --------
    >>> isinstance(PrecisionError("x"), ValueError)
    False
    """


def exact_param(name: str, x: Any) -> sympy.Rational:
    """A parameter as an exact rational (floats via their shortest decimal repr).

    Examples
    --------
    >>> exact_param("beta2", 0.999)
    999/1000
    """
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a real number, got {x!r}")
    try:
        if isinstance(x, float):
            return sympy.Rational(repr(x))
        if isinstance(x, mpmath.mpf):
            return sympy.Rational(mpmath.nstr(x, mpmath.mp.dps))
        v = to_rational(x, name)   # exact, bounded (1e-1000 .. 1e1000), no eval
    except ValueError as exc:
        if str(exc).startswith(f"{name} must be a number"):
            raise ValueError(f"{name} must be a real number, got {x!r}") from None
        raise
    except (TypeError, SyntaxError):
        raise ValueError(f"{name} must be a real number, got {x!r}") from None
    return v


def check_avf_params(beta1: Any, beta2: Any, eps: Any) -> tuple:
    """Validate ``beta1, beta2 in [0, 1)``, ``eps >= 0`` and, at ``eps = 0``, ``beta1^2 < beta2``.

    The last condition is waived for ``beta1 = 0`` (then ``M = G_0`` and
    ``|M|/sqrt(V) <= (1-beta2)^{-1/2}``: the RMSprop-like field is bounded,
    and at ``beta2 = 0`` it is ``E[sign G]``).  Returns the three as exact
    rationals.

    Examples
    --------
    >>> check_avf_params(0.9, 0.999, 0)
    (9/10, 999/1000, 0)
    >>> check_avf_params(0.9, 0.8, 0)
    Traceback (most recent call last):
    ...
    ValueError: beta1**2 must be < beta2 when eps = 0 (got beta1**2 = 81/100 >= beta2 = 4/5): ...
    >>> check_avf_params(0, 0, 0)
    (0, 0, 0)
    """
    b1, b2, e = exact_param("beta1", beta1), exact_param("beta2", beta2), exact_param("eps", eps)
    check_unit_interval("beta1", float(b1))
    check_unit_interval("beta2", float(b2))
    if e < 0:
        raise ValueError(f"eps must be >= 0, got {eps!r}")
    if e == 0 and b1 != 0 and b1**2 >= b2:
        raise ValueError(f"beta1**2 must be < beta2 when eps = 0 (got beta1**2 = {b1**2} >= "
                         f"beta2 = {b2}): then sum_k a_k^2/b_k diverges, M/sqrt(V) is unbounded "
                         "and A need not be finite; use eps > 0")
    return b1, b2, e


@dataclass(frozen=True)
class AVFValue:
    """``A(theta)`` with its error estimate.

    Attributes
    ----------
    theta, value, error : mpf
    digits : int
        Correct significant digits of ``value`` implied by ``error`` (capped
        at ``dps``); when ``|A|`` is below ``10^-dps`` times the natural scale
        ``sqrt(E G^2)/(eps + sqrt(E G^2))`` the digits are absolute digits of
        that scale (``A`` is zero to the working precision).
    dps : int
    """

    theta: Any
    value: Any
    error: Any
    digits: int
    dps: int

    def __str__(self) -> str:
        """``A(theta) = value`` with all ``digits`` correct digits (not mpmath's global 15).

        Examples
        --------
        >>> print(avf_value("rademacher", "0.5", "0.9", "0.99", 0, dps=20))
        A(0.5) = 0.44445465137325910782 (error <= ..., 20 digits)
        """
        from ..core.display import number_str

        return (f"A({number_str(self.theta, self.dps, strip=True)}) = "
                f"{number_str(self.value, self.digits)}"
                f" (error <= {number_str(self.error, 2)}, {self.digits} digits)")

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display (every correct digit of ``A(theta)``).

        Examples
        --------
        >>> md = avf_value("rademacher", "0.5", "0.9", "0.99", 0, dps=20)._repr_markdown_()
        >>> "| 0.44445465137325910782 |" in md
        True
        """
        from ..core.display import markdown_rows, number_str

        return markdown_rows(
            "The Adam vector field $A(\\theta) = E[M/(\\varepsilon + \\sqrt{V})]$",
            [("$\\theta$", "text:" + number_str(self.theta, self.dps, strip=True)),
             ("$A(\\theta)$", "text:" + number_str(self.value, self.digits)),
             ("error bound", "text:" + number_str(self.error, 3)),
             ("correct digits", f"text:{self.digits} (working precision {self.dps})")])


@dataclass(frozen=True)
class AVFZero:
    """The zero ``vartheta`` of ``A`` near the minimizer and the bias ``vartheta - theta*``."""

    zero: Any
    minimizer: Any
    bias: Any
    error: Any
    digits: int
    dps: int
    residual: Any

    def __str__(self) -> str:
        """The zero, the minimizer and the bias with their correct digits.

        Examples
        --------
        >>> print(avf_zero("rademacher", "0.9", "0.99", 0, dps=20))
        zero 0.0 of A (minimizer 0, bias 0.0; error <= 0.0, 20 digits)
        """
        from ..core.display import number_str, significant_digits

        bd = significant_digits(self.bias, self.zero, self.digits)
        return (f"zero {number_str(self.zero, self.digits)} of A (minimizer {self.minimizer}, "
                f"bias {number_str(self.bias, bd)}; error <= "
                f"{number_str(self.error, 2)}, {self.digits} digits)")

    def _repr_markdown_(self) -> str:
        """Jupyter's rich display: zero, minimizer, bias with their correct digits.

        Examples
        --------
        >>> md = avf_zero("bernoulli:0.1", "0.9", "0.99", 0, dps=25)._repr_markdown_()
        >>> "| -0.00371867035941669306535025 |" in md    # the bias: 24 correct digits
        True
        """
        from ..core.display import latex_value, markdown_rows, number_str, significant_digits

        bd = significant_digits(self.bias, self.zero, self.digits)
        return markdown_rows("The zero $\\vartheta$ of the Adam vector field", [
            ("zero $\\vartheta$", "text:" + number_str(self.zero, self.digits)),
            ("minimizer $\\theta^\\ast$", "text:$" + latex_value(self.minimizer) + "$"),
            ("bias $\\vartheta - \\theta^\\ast$", "text:" + number_str(self.bias, bd)),
            ("error bound", "text:" + number_str(self.error, 3)),
            ("residual $\\lvert A(\\vartheta)\\rvert$", "text:" + number_str(self.residual, 3)),
            ("correct digits", f"text:{self.digits} (working precision {self.dps})")])


def _setup(data, batch, grad, beta1, beta2, eps):
    b1, b2, e = check_avf_params(beta1, beta2, eps)
    check_int("batch (J)", batch, 1)
    gl = data if isinstance(data, GradientLaw) else GradientLaw(data, batch, grad)
    return gl, b1, b2, e


def _raw(gl, theta, b1, b2, e, wp, history=None, route="auto"):
    with mpmath.workdps(wp):
        th = to_mpf(theta)
        f = AVFIntegrand(gl, th, to_mpf(b1), to_mpf(b2), to_mpf(e), history=history)
        v, err = integrate_avf(f, route=route)
        scale = mpmath.sqrt(f.m2) / (to_mpf(e) + mpmath.sqrt(f.m2)) if not f.zero else 1
        return v, err, scale


def _theta(theta):
    if isinstance(theta, mpmath.mpf):
        return theta
    return exact_param("theta", theta)


def avf_value(data: Any, theta: Any, beta1: Any = 0.9, beta2: Any = 0.999, eps: Any = 0,
              batch: int = 1, dps: int = 30, grad: Any = None, history: int | None = None,
              check: bool = True, route: str = "auto") -> AVFValue:
    """``A(theta)`` to ``dps`` significant digits with an error estimate.

    Parameters
    ----------
    data : str or DataLaw
        Data spec (``bernoulli:p``, ``rademacher``, ``discrete:...@...``,
        ``normal:m,s``, ``exponential:rate``, ``uniform:a,b``).
    theta : number or str
        Read exactly (``"0.1"`` and ``0.1`` both mean ``1/10``).
    beta1, beta2, eps : number
        Adam's parameters (the papers' alpha, beta; ``eps`` outside the root).
    batch : int
        Mini-batch size ``J``.
    dps : int
        Requested significant digits (>= 15).
    grad : sympy expression, optional
        Per-sample gradient ``g(theta, x)`` for discrete data (default ``theta - x``).
    history : int, optional
        Finite-history variant (only ``G_0..G_{n-1}``), for cross-checks.
    check : bool
        Recompute at higher precision and raise if ``dps`` digits are not reached.
    route : {"auto", "direct"}
        ``"direct"`` multiplies the head of the product over the history factor
        by factor (no Euler--Maclaurin; the cost grows like ``1/(1 - beta2)``),
        an independent route for cross-checks.

    Examples
    --------
    Rademacher data at ``theta = 1/2``: ``G = 1/2 - x`` takes the values
    ``-1/2, 3/2``; the closed forms are checked in the tests.  At the symmetric
    point ``theta = 0`` the field vanishes:

    >>> r = avf_value("rademacher", 0, 0.9, 0.99, dps=20)
    >>> abs(r.value) < 1e-20, r.digits
    (True, 20)
    >>> print(mpmath.nstr(avf_value("bernoulli:0.1", "0.12", 0.9, 0.99, dps=20).value, 20))
    0.079034941915124216525
    """
    gl, b1, b2, e = _setup(data, batch, grad, beta1, beta2, eps)
    check_dps(dps)
    if route not in ("auto", "direct"):
        raise ValueError(f"route must be 'auto' or 'direct', got {route!r}")
    th = _theta(theta)
    if not check:
        v1, e1, _ = _raw(gl, th, b1, b2, e, dps + _GUARDS[0], history, route)
        with mpmath.workdps(dps + _GUARDS[0]):
            return AVFValue(to_mpf(th), +v1, +e1, dps, dps)
    digits, err = 0, None
    for guard in _GUARDS:
        v1, e1, scale = _raw(gl, th, b1, b2, e, dps + guard, history, route)
        v2, e2, _ = _raw(gl, th, b1, b2, e, dps + 2 * guard, history, route)
        with mpmath.workdps(dps + 2 * guard):
            err = abs(v1 - v2) + e2
            # |A| below 10^-dps of the natural scale: A is zero to the working
            # precision and its digits are absolute digits of that scale
            ref = abs(v2) if abs(v2) >= scale * mpmath.mpf(10)**(-dps) else scale
            digits = dps if err == 0 else min(dps, int(mpmath.floor(-mpmath.log10(err / ref))))
            if digits >= dps:
                return AVFValue(to_mpf(th), +v2, +err, digits, dps)  # guard digits kept
    raise PrecisionError(f"A({th}) did not reach {dps} digits at {dps + 2 * _GUARDS[-1]} working "
                         f"digits (estimated error {mpmath.nstr(err, 3)}, {digits} digits)")


def naive_avf_value(data: Any, theta: Any, eps: Any = 0, batch: int = 1, dps: int = 30,
                    grad: Any = None, convention: str = "outside") -> Any:
    """``E[G]/(eps + sqrt(E[G^2])) = E[M]/(eps + sqrt(E V))``: the ``beta2 -> 1`` limit of ``A``.

    This is the field with the correlation of ``M`` and ``V`` ignored (``E[M] = E[G]``,
    ``E[V] = E[G^2]``); ``A`` differs from it by ``O(1 - beta2)``.  With
    ``convention="inside"`` it is ``E[G]/sqrt(eps + E[G^2])`` (eps inside the root,
    the other convention).  Returns an mpf with ``dps`` digits (plus guard digits).

    Examples
    --------
    >>> print(mpmath.nstr(naive_avf_value("bernoulli:0.1", "0.3", dps=20), 20))
    0.55470019622522912202
    >>> naive_avf_value("rademacher", 0, dps=20) == 0
    True
    """
    check_dps(dps)
    if convention not in ("outside", "inside"):
        raise ValueError(f"convention must be 'outside' or 'inside', got {convention!r}")
    gl, _, _, e = _setup(data, batch, grad, 0, 0, eps)
    with mpmath.workdps(dps + 10):
        m = gl.moments(2, to_mpf(_theta(theta)))
        ee = to_mpf(e)
        den = ee + mpmath.sqrt(m[2]) if convention == "outside" else mpmath.sqrt(ee + m[2])
        return m[1] / den if m[1] != 0 else mpmath.mpf(0)


def justified_digits(value: Any, error: Any, cap: int) -> int:
    """Significant digits of ``value`` that an absolute ``error`` justifies (at most ``cap``).

    ``0`` means that ``value`` is zero within its error (print ``0``).

    Examples
    --------
    >>> justified_digits(mpmath.mpf("0.0037"), mpmath.mpf("1e-30"), 40)
    27
    >>> justified_digits(mpmath.mpf("1e-40"), mpmath.mpf("1e-35"), 30)
    0
    """
    if value == 0:
        return 0
    if error == 0:
        return cap
    with mpmath.workdps(30):
        d = int(mpmath.floor(-mpmath.log10(mpmath.mpf(error) / abs(mpmath.mpf(value)))))
    return max(0, min(cap, d))


def exact_decimal(x: Any, digits: int) -> str:
    """An exact sympy number as a decimal string with ``digits`` correct significant digits.

    The number is evaluated with 15 guard digits *inside* the working precision (converting
    ``sympy.N(x)`` to an mpf at the ambient precision would keep only 15 digits).

    Examples
    --------
    >>> exact_decimal(sympy.Rational(-2, 545), 30)
    '-0.00366972477064220183486238532110'
    """
    with mpmath.workdps(int(digits) + 15):
        return mpmath.nstr(to_mpf(sympy.sympify(x)), int(digits))


def _guess_mpf(guess: Any) -> Any:
    """``guess`` as an mpf; sympy expressions may be irrational (``sqrt(J)`` at ``eps > 0``)."""
    if isinstance(guess, sympy.Basic) and not isinstance(guess, sympy.Rational):
        v = sympy.N(guess, mpmath.mp.dps + 5)
        if not (v.is_real and v.is_finite):
            raise ValueError(f"guess must be a finite real number, got {guess!r}")
        return mpmath.mpf(str(v))
    return to_mpf(exact_param("guess", guess))


def avf_zero(data: Any, beta1: Any = 0.9, beta2: Any = 0.999, eps: Any = 0, batch: int = 1,
             dps: int = 30, grad: Any = None, guess: Any = None) -> AVFZero:
    """The zero ``vartheta`` of ``A`` near the minimizer ``theta*``, to ``dps`` digits.

    Stage 1: a bracketed root finder (Anderson-Bjorck) at 20 working digits
    to about 12 digits; the bracket starts from ``theta*`` and
    ``theta* + 2 guess`` (``guess``: e.g. the first-order bias) or widens
    from ``theta* +- sd(G)/2``.  Stage 2: secant steps at ``dps + 8 + x``
    working digits (``x`` = the decades by which ``|slope| |z|`` lies below the
    scale of ``A``: a zero much closer to 0 than the noise needs them), started
    with the stage-1 slope, until the step is below ``10^-(dps+4) |z|``.  The
    reported error is ``|A(z)/s|`` with ``A(z)`` recomputed with 8 more digits.
    If the secant steps do not settle or the digits fall short, stage 2 is
    repeated with 16 and 32 guard digits, then :class:`PrecisionError` is
    raised.  Laws for which ``A(theta*)`` vanishes to the working precision
    (symmetric noise, interpolation) return ``vartheta = theta*``.

    Examples
    --------
    >>> z = avf_zero("bernoulli:0.1", 0.9, 0.999, dps=16)
    >>> print(mpmath.nstr(z.zero, 16)), z.digits >= 16
    0.09960315684498017
    (None, True)
    """
    gl, b1, b2, e = _setup(data, batch, grad, beta1, beta2, eps)
    check_dps(dps)
    star = gl.minimizer()
    lo = 20
    with mpmath.workdps(lo):
        ts = to_mpf(star)
        f = lambda t: _raw(gl, t, b1, b2, e, lo)[0]  # noqa: E731
        fs, _, scale = _raw(gl, ts, b1, b2, e, lo)
        m = gl.moments(2, ts)
        sd = mpmath.sqrt(max(m[2] - m[1]**2, mpmath.mpf(0)))
        if sd == 0:
            raise ValueError("data: the gradient noise is degenerate (zero variance)")
        symmetric = abs(fs) <= scale * mpmath.mpf(10)**(-(lo - 4))
        if not symmetric:
            a, fa = ts, fs
            b = fb = None
            if guess is not None and float(guess) != 0:
                cand = ts + 2 * _guess_mpf(guess)
                fc = f(cand)
                if fc * fa < 0:
                    b, fb = cand, fc
            if b is None:
                h = sd / 2
                for _ in range(12):
                    cand = ts + (-1 if fa > 0 else 1) * h  # A increases through its zero
                    fc = f(cand)
                    if fc * fa < 0:
                        b, fb = cand, fc
                        break
                    h *= 2
                if b is None:
                    raise PrecisionError("no sign change of A found within 2^11 sd(G) of the "
                                         "minimizer")
            # Anderson-Bjorck bracketing iteration to ~12 digits
            side = 0
            for _ in range(60):
                c = b - fb * (b - a) / (fb - fa)
                fc = f(c)
                if fc == 0 or abs(b - a) < mpmath.mpf(10)**-13 * sd:
                    break
                if fc * fb < 0:
                    a, fa = b, fb
                    b, fb = c, fc
                    side = 0
                else:
                    mfac = 1 - fc / fb
                    fa = fa * (mfac if mfac > 0 else mpmath.mpf(1) / 2)
                    b, fb = c, fc
                    side += 1
                if abs(fc) <= scale * mpmath.mpf(10)**-13:
                    break
            z0, f0 = c, fc
            slope = (fb - fa) / (b - a) if b != a else None
            hh = max(abs(b - a), mpmath.mpf(10)**-9 * sd)
            z1 = z0 - hh
            f1 = f(z1)
            slope = (f0 - f1) / (z0 - z1)
    if symmetric:
        with mpmath.workdps(dps + 24):
            z = to_mpf(star)
            rz = _raw(gl, z, b1, b2, e, dps + 16)[0]
            hh = sd / 1000
            slope = (_raw(gl, z + hh, b1, b2, e, dps + 16)[0]
                     - _raw(gl, z - hh, b1, b2, e, dps + 16)[0]) / (2 * hh)
            err = abs(rz / slope) if slope != 0 else mpmath.inf
            ref = max(abs(z), mpmath.mpf(10)**(-dps))
            digits = dps if err == 0 else min(dps, int(mpmath.floor(-mpmath.log10(err / ref))))
            if digits >= dps:
                return AVFZero(z, star, z - to_mpf(star), +err, digits, dps, +rz)
        raise PrecisionError(f"the zero at the minimizer did not reach {dps} digits "
                             f"(estimated error {mpmath.nstr(err, 3)})")
    # a zero much smaller than the scale of A needs more working digits: the absolute
    # accuracy of A is ~ scale 10^-wp while the zero asks for |slope| ref 10^-dps
    with mpmath.workdps(lo):
        ref0 = max(abs(z0), mpmath.mpf(10)**(-dps))
        extra = max(0, int(mpmath.ceil(mpmath.log10(scale / (abs(slope) * ref0)))))
    err = mpmath.inf
    for guard in _GUARDS:
        out = _polish(gl, b1, b2, e, star, z0, slope, dps, dps + guard + extra)
        if out is not None:
            if out.digits >= dps:
                return out
            err = out.error
    raise PrecisionError(f"the zero did not reach {dps} digits at {dps + _GUARDS[-1] + extra} "
                         f"working digits (estimated error {mpmath.nstr(err, 3)})")


def _polish(gl, b1, b2, e, star, z0, slope, dps, hi):
    """Secant steps at ``hi`` digits from ``z0``; None if they do not settle."""
    with mpmath.workdps(hi + 8):
        z = to_mpf(z0)
        fz = _raw(gl, z, b1, b2, e, hi)[0]
        for _ in range(12):
            step = fz / slope
            zn = z - step
            if abs(step) <= mpmath.mpf(10)**(-(dps + 4)) * max(abs(z), mpmath.mpf(10)**-dps):
                z = zn
                break
            fn = _raw(gl, zn, b1, b2, e, hi)[0]
            if fn != fz:
                slope = (fn - fz) / (zn - z)
            z, fz = zn, fn
        else:
            return None
        rz = _raw(gl, z, b1, b2, e, hi + 8)[0]
        # cross-precision check at no extra cost: fz (hi digits) is A at the previous
        # iterate, |fz| = |slope step| <= |slope| 10^-(dps+4) |z|
        rerr = abs(rz) + abs(rz - fz)
        err = abs(rerr / slope) if slope != 0 else mpmath.inf
        ref = max(abs(z), mpmath.mpf(10)**(-dps))
        digits = dps if err == 0 else min(dps, int(mpmath.floor(-mpmath.log10(err / ref))))
        zz = +z
        return AVFZero(zz, star, zz - to_mpf(star), +err, digits, dps, +rz)
