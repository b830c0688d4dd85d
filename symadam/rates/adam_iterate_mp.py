"""Bias-corrected Adam and RMSprop iterated in mpmath, and measured local rates.

This is the independent high-precision route for the Adam/RMSprop rate claims
(arXiv 2504.19426): the *actual* nonlinear, non-autonomous iteration
(bias corrections, ``sqrt(v)``, eps) is run at ``dps`` digits, and the rate of
``||theta_n - theta*||`` is measured from the iterates.  Nothing here uses the
symbolic linearization.

Notation: the papers' alpha is ``beta1``, beta is ``beta2``, gamma is ``lr``.
One step (PyTorch convention, eps outside the root; ``eps_inside=True`` uses
``sqrt(v_hat + eps)``)::

    g = grad F(theta);  m = beta1 m + (1-beta1) g;  v = beta2 v + (1-beta2) g^2
    theta -= lr * (m / (1-beta1^n)) / (eps + sqrt(v / (1-beta2^n)))

RMSprop is ``beta1 = 0``; ``bias_correction=False`` gives torch's RMSprop.

Why mpmath and not float64: the local regime starts only once
``sqrt(v_hat) << eps``, and ``sqrt(v_hat)`` decays like ``beta2^(n/2)``.  With
``beta2 = 0.999`` that takes tens of thousands of steps, by which time
``||theta_n - theta*||`` is far below the float64 range (1e-308); mpmath floats
have unbounded exponents, and 50 digits keep the double-root structure of the
heavy-ball block from being split by rounding of the parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

import mpmath
from mpmath import mpf

from ..core.validate import check_dps, check_int, check_positive, check_unit_interval

__all__ = [
    "IterationRun", "Objective", "adam_iterate", "measured_rate", "diagonal_quadratic",
    "rotated_quartic", "transient_steps", "measure_local_rate", "precise_local_rate",
]


@dataclass
class Objective:
    """A smooth objective for the iteration: gradient, minimizer, Hessian spectrum there.

    Attributes
    ----------
    grad : callable
        ``list[mpf] -> list[mpf]``, evaluated inside the caller's ``workdps``.
    theta_star : list of str
        The strict minimizer (exact decimal strings).
    hessian_eigenvalues : list of str
        Spectrum of the Hessian at ``theta_star`` (mu = min, L = max).
    name : str
    """

    grad: Callable[[list], list]
    theta_star: list
    hessian_eigenvalues: list
    name: str = ""

    @property
    def mu(self) -> mpf:
        return min(mpf(x) for x in self.hessian_eigenvalues)

    @property
    def L(self) -> mpf:
        return max(mpf(x) for x in self.hessian_eigenvalues)


def diagonal_quadratic(eigenvalues: Sequence) -> Objective:
    """``F(theta) = 1/2 sum_i lambda_i theta_i^2`` (minimizer 0).

    Examples
    --------
    >>> f = diagonal_quadratic(["1", "10"])
    >>> with mpmath.workdps(30):
    ...     [float(x) for x in f.grad([mpf(1), mpf(2)])]
    [1.0, 20.0]
    """
    lams = [str(x) for x in eigenvalues]
    for x in lams:
        check_positive("eigenvalues", x)

    cache: dict = {}         # mp.prec -> the eigenvalues as mpf (parsed once per precision)

    def grad(th):
        key = mpmath.mp.prec
        if key not in cache:
            cache[key] = [mpf(lam) for lam in lams]
        return [lam * t for lam, t in zip(cache[key], th)]

    return Objective(grad, ["0"] * len(lams), lams, f"diagonal quadratic {lams}")


def rotated_quartic(eigenvalues: Sequence, cubic: str = "1", quartic: str = "1") -> Objective:
    """A non-quadratic, non-separable objective with a strict minimizer at 0.

    ``F(theta) = 1/2 theta^T Q D Q^T theta + c3 sum_i theta_i^3 + c4 ||theta||^4``,
    ``D = diag(eigenvalues)``, ``Q`` an exact rational rotation (Givens rotations
    with cosine 3/5 and sine 4/5 on consecutive coordinates).  The Hessian at 0
    is ``Q D Q^T``, with spectrum ``eigenvalues``; the cubic term makes ``F``
    non-convex away from 0, so iterations must start near 0.

    Examples
    --------
    >>> f = rotated_quartic(["1", "100"])
    >>> with mpmath.workdps(30):
    ...     g = f.grad([mpf("1e-20"), mpf(0)])
    >>> round(float(g[0] / mpf("1e-20")), 6), round(float(g[1] / mpf("1e-20")), 6)
    (64.36, 47.52)
    """
    lams = [str(x) for x in eigenvalues]
    for x in lams:
        check_positive("eigenvalues", x)
    d = len(lams)
    # Q = G_0 G_1 ... G_{d-2}, G_k rotating coordinates (k, k+1): exact rationals.
    q = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    c, s = Fraction(3, 5), Fraction(4, 5)
    for k in range(d - 1):
        for i in range(d):
            a, b = q[i][k], q[i][k + 1]
            q[i][k], q[i][k + 1] = c * a - s * b, s * a + c * b
    lam_q = [Fraction(x) for x in lams]
    h = [[sum(q[i][k] * lam_q[k] * q[j][k] for k in range(d)) for j in range(d)]
         for i in range(d)]
    c3q, c4q = Fraction(str(cubic)), Fraction(str(quartic))
    cache: dict = {}

    def as_mpf(x: Fraction) -> mpf:
        return mpf(x.numerator) / x.denominator

    def grad(th):
        key = mpmath.mp.prec
        if key not in cache:
            cache[key] = ([[as_mpf(x) for x in row] for row in h], as_mpf(3 * c3q),
                          as_mpf(4 * c4q))
        hm, c3, c4 = cache[key]
        r2 = sum(t * t for t in th)
        return [sum(hm[i][j] * th[j] for j in range(d)) + c3 * th[i] ** 2 + c4 * r2 * th[i]
                for i in range(d)]

    c3s, c4s = str(cubic), str(quartic)
    return Objective(grad, ["0"] * d, lams, f"rotated quartic {lams}, c3={c3s}, c4={c4s}")


@dataclass
class IterationRun:
    """Record of one mpmath run.

    Attributes
    ----------
    errors : list of mpf
        ``||theta_n - theta*||_2`` for ``n = 0..steps``.
    sqrt_vhat : list of mpf
        ``max_i sqrt(v_hat_{n,i})`` for ``n = 0..steps`` (0 at n = 0).
    dps : int
    params : dict
    theta : list of tuple of mpf
        The iterates ``theta_n`` themselves, ``n = 0..steps``.
    v : list of mpf
        ``max_i v_{n,i}`` (the raw second moment, no bias correction), ``n = 0..steps``.

    Examples
    --------
    >>> run = adam_iterate(diagonal_quadratic(["1", "4"]), ["0.01", "0.01"], 300, lr="0.5",
    ...                    beta1="0.1111111111111111111111111111111", beta2="0.5", eps="1",
    ...                    dps=30)
    >>> round(float(run.rate(150, 70)), 5), run.transient("0.01")    # rho = 1/3
    (0.33333, 7)
    """

    errors: list
    sqrt_vhat: list
    dps: int
    params: dict = field(default_factory=dict)
    theta: list = field(default_factory=list)
    v: list = field(default_factory=list)

    def rate(self, start: int, window: int, double_root: bool = True) -> mpf:
        """:func:`measured_rate` on this run's errors.

        Examples
        --------
        >>> run = IterationRun([mpf(2) ** -n for n in range(50)], [mpf(0)] * 50, 30)
        >>> float(run.rate(10, 10, double_root=False))
        0.5
        """
        return measured_rate(self.errors, start, window, double_root, dps=self.dps)

    def transient(self, threshold) -> int | None:
        """:func:`transient_steps` on this run's ``sqrt_vhat``.

        Examples
        --------
        >>> IterationRun([mpf(1)] * 4, [0, 3, 2, 0.5], 30).transient(1)
        3
        """
        return transient_steps(self.sqrt_vhat, threshold)


def adam_iterate(
    objective: Objective,
    theta0: Sequence,
    steps: int,
    *,
    lr,
    beta1,
    beta2,
    eps,
    dps: int = 50,
    eps_inside: bool = False,
    bias_correction: bool = True,
) -> IterationRun:
    """Run bias-corrected Adam (RMSprop: ``beta1=0``) in mpmath for ``steps`` steps.

    Parameters
    ----------
    objective : Objective
    theta0 : sequence of str or mpf
    steps : int
    lr, beta1, beta2, eps : str, int or mpf
        Decimal strings keep the parameters exact to ``dps`` digits.
    dps : int
        Working precision (``mpmath.workdps``), >= 15.
    eps_inside : bool
        Denominator ``sqrt(v_hat + eps)`` instead of ``eps + sqrt(v_hat)``.
    bias_correction : bool
        False gives torch's RMSprop convention (no correction).

    Examples
    --------
    >>> run = adam_iterate(diagonal_quadratic(["1", "4"]), ["0.01", "0.01"], 200,
    ...                    lr="0.5", beta1="0.1", beta2="0.5", eps="1", dps=30)
    >>> float(run.errors[-1]) < 1e-40
    True
    """
    check_dps(dps)
    check_int("steps", steps, minimum=1)
    check_positive("lr", lr)
    check_unit_interval("beta1", beta1)
    check_unit_interval("beta2", beta2)
    check_positive("eps", eps)
    with mpmath.workdps(dps):
        one = mpf(1)
        b1, b2, gam, ep = mpf(beta1), mpf(beta2), mpf(lr), mpf(eps)
        c1, c2 = one - b1, one - b2
        th = [mpf(x) for x in theta0]
        star = [mpf(x) for x in objective.theta_star]
        if len(th) != len(star):
            raise ValueError(f"theta0 must have length {len(star)}, got {len(th)}")
        d = len(th)
        m, v = [mpf(0)] * d, [mpf(0)] * d
        p1, p2 = one, one
        errors = [mpmath.sqrt(sum((t - s) ** 2 for t, s in zip(th, star)))]
        svh = [mpf(0)]
        thetas, vmax = [tuple(th)], [mpf(0)]
        for _n in range(1, steps + 1):
            g = objective.grad(th)
            p1 *= b1
            p2 *= b2
            bc1 = one - p1 if bias_correction else one
            bc2 = one - p2 if bias_correction else one
            smax = mpf(0)
            for i in range(d):
                gi = g[i]
                m[i] = b1 * m[i] + c1 * gi
                v[i] = b2 * v[i] + c2 * gi * gi
                vh = v[i] / bc2
                if eps_inside:
                    den = mpmath.sqrt(vh + ep)
                    sv = mpmath.sqrt(vh)
                else:
                    sv = mpmath.sqrt(vh)
                    den = ep + sv
                if sv > smax:
                    smax = sv
                th[i] = th[i] - gam * (m[i] / bc1) / den
            errors.append(mpmath.sqrt(sum((t - s) ** 2 for t, s in zip(th, star))))
            svh.append(smax)
            thetas.append(tuple(th))
            vmax.append(max(v))
    params = dict(lr=str(lr), beta1=str(beta1), beta2=str(beta2), eps=str(eps),
                  eps_inside=eps_inside, bias_correction=bias_correction,
                  objective=objective.name, steps=steps)
    return IterationRun(errors, svh, dps, params, thetas, vmax)


def measured_rate(errors: Sequence, start: int, window: int, double_root: bool = True,
                  dps: int = 50) -> mpf:
    """Rate ``rho`` of ``e_n`` from ``e_start, e_{start+k}, e_{start+2k}`` (``k = window``).

    With ``double_root=True`` the model is ``e_n = (a + b n) rho^n`` (a double
    root of the characteristic polynomial, as at the heavy-ball optimum),
    which is solved exactly from the three values: with
    ``R1 = e_{n+k}/e_n``, ``R2 = e_{n+2k}/e_{n+k}`` one has
    ``R2/R1 = 1 - k^2/(c+n+k)^2`` (``c = a/b``) and
    ``rho^k = R1 (c+n)/(c+n+k)``.  If ``R2 >= R1`` (no sign of a double root,
    e.g. a simple dominant root) it reduces to ``R1^(1/k)``, which is also
    what ``double_root=False`` returns.  The naive ``R1^(1/k)`` reads high by
    about ``1/n`` at a double root.

    Examples
    --------
    >>> with mpmath.workdps(40):
    ...     e = [(3 + 2 * n) * mpf("0.9") ** n for n in range(400)]
    >>> mpmath.nstr(measured_rate(e, 100, 100, dps=40), 30)
    '0.9'
    >>> round(float(measured_rate(e, 100, 100, double_root=False)), 4)
    0.9062
    """
    check_int("window", window)
    check_int("start", start, minimum=0)
    if start + 2 * window >= len(errors):
        raise ValueError(f"start + 2*window must be < {len(errors)} (number of errors), "
                         f"got {start + 2 * window}")
    with mpmath.workdps(dps):
        e0, e1, e2 = (mpf(errors[start + j * window]) for j in range(3))
        if e0 == 0 or e1 == 0 or e2 == 0:
            raise ValueError("errors must be nonzero on the window (iteration hit theta*)")
        r1, r2 = e1 / e0, e2 / e1
        k = mpf(window)
        q = 1 - r2 / r1
        if not double_root or q <= 0:
            return r1 ** (1 / k)
        cnk = k / mpmath.sqrt(q)  # c + n + k
        return (r1 * (cnk - k) / cnk) ** (1 / k)


def transient_steps(sqrt_vhat: Sequence, threshold) -> int | None:
    """First ``n`` after which ``sqrt_vhat`` stays below ``threshold`` (None if never).

    The local regime of Adam with eps outside the root starts once
    ``sqrt(v_hat) << eps``; with ``threshold = eps/100`` this is the
    transient length reported by the claims.

    Examples
    --------
    >>> transient_steps([0, 5, 3, 0.5, 2, 0.5, 0.1], 1)
    5
    >>> transient_steps([0, 5, 3], 1) is None
    True
    """
    thr = mpf(threshold)
    last_above = None
    for n in range(1, len(sqrt_vhat)):
        if mpf(sqrt_vhat[n]) >= thr:
            last_above = n
    if last_above is None:
        return 1
    if last_above == len(sqrt_vhat) - 1:
        return None
    return last_above + 1


def measure_local_rate(objective: Objective, theta0: Sequence, *, lr, beta1, beta2, eps,
                       dps: int = 50, eps_inside: bool = False, bias_correction: bool = True,
                       delta="1e-10", min_window: int = 200, max_steps: int = 256000,
                       double_root: bool | None = None) -> dict:
    """Run long enough to be deep in the local regime, then measure the rate.

    The run length doubles (from 1000 steps) until the relative perturbation of
    the step by ``v`` -- ``sqrt(v_hat)/eps`` (``v_hat/eps`` with eps inside) --
    has stayed below ``delta`` for at least ``3 * min_window`` steps; the rate
    is then measured by :func:`measured_rate` on the last two thirds of the
    steps after that point.
    ``delta = 1e-10`` keeps the double root's ``O(sqrt(delta))`` sensitivity
    below 1e-5.  ``double_root`` defaults to ``beta1 > 0``.

    Returns
    -------
    dict
        ``rate`` (mpf), ``start``, ``window``, ``steps``, ``local_from`` (first
        step with the perturbation below ``delta`` for good), ``transient``
        (steps until ``sqrt(v_hat) < eps/100``) and ``run`` (the
        :class:`IterationRun`).

    Raises
    ------
    RuntimeError
        If ``max_steps`` steps do not reach the local regime.

    Examples
    --------
    >>> res = measure_local_rate(diagonal_quadratic(["2", "8"]), ["0.1", "-0.1"],
    ...                          lr="0.25", beta1="0.1111111111111111111111111111111",
    ...                          beta2="0.9", eps="1", dps=30, min_window=100)
    >>> round(float(res["rate"]), 8), res["transient"] < res["local_from"] < res["start"] + 1
    (0.33333333, True)
    """
    check_int("min_window", min_window, minimum=10)
    check_int("max_steps", max_steps, minimum=1000)
    if double_root is None:
        double_root = float(beta1) > 0
    with mpmath.workdps(dps):
        ep, dl = mpf(eps), mpf(delta)
        thr = mpmath.sqrt(ep * dl) if eps_inside else ep * dl
    steps = 1000
    while True:
        run = adam_iterate(objective, theta0, steps, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                           dps=dps, eps_inside=eps_inside, bias_correction=bias_correction)
        n0 = run.transient(thr)
        if n0 is not None and steps - n0 >= 3 * min_window:
            start = n0 + (steps - n0) // 3   # later start: the (a + b n) model error ~ 1/n^2
            window = (steps - start - 1) // 2
            return dict(rate=run.rate(start, window, double_root), start=start, window=window,
                        steps=steps, local_from=n0, transient=run.transient(ep / 100), run=run)
        if 2 * steps > max_steps:
            raise RuntimeError(f"not in the local regime (sqrt(v_hat)/eps < {delta}) after "
                               f"{steps} steps; raise max_steps or start closer to theta*")
        steps *= 2


def precise_local_rate(eigenvalues: Sequence, *, lr, beta1, beta2, eps, dps: int = 50,
                       eps_inside: bool = False, double_root: bool | None = None) -> dict:
    """The local rate of every eigen-coordinate to about ``dps`` digits (diagonal quadratic).

    Adam is componentwise, so on ``F = 1/2 sum_i lam_i theta_i^2`` each coordinate
    is its own nonlinear iteration.  Started deep in the local regime,
    ``theta_{0,i} = (-1)^i 10^-(2 dps) eps / lam_i``, the offset ``sqrt(v_hat)/eps``
    stays below ``10^-(dps+5)`` (checked; the first bias-corrected steps amplify the
    ``L`` mode, by ~10^15 at ``kappa = 1000``), so the nonlinear remainder
    ``O(|m| sqrt(v))`` is below the working precision.  What is left is the bias
    correction of ``m`` (a relative perturbation ``beta1^n`` of the step); the
    measurement starts at ``n0`` with ``beta1^n0 < 10^-(dps+5)``, after which each
    coordinate follows the linear recurrence of its eigenvalue to the working
    precision: ``(a + b n) rho^n`` at a double root, ``a rho^n`` at a simple dominant
    root.  The rate is :func:`measured_rate` of ``|theta_{n,i}|`` at ``n0``,
    ``n0 + k``, ``n0 + 2k`` (``k = max(40, n0/2)``, even, so a root ``-rho`` reads
    as ``rho``).  Unlike a run from outside the local regime (whose window
    fit is limited to ~5-15 digits by the decaying transient and by interior
    modes of equal modulus), this reaches about ``dps - 5`` digits.

    Parameters
    ----------
    eigenvalues : sequence of str
        The Hessian's diagonal (exact decimal strings).
    lr, beta1, beta2, eps : str or mpf
    dps : int
        Working precision of the run.
    eps_inside : bool
    double_root : bool or None
        Model ``(a + b n) rho^n``; default ``beta1 > 0``.

    Returns
    -------
    dict
        ``rates`` (one mpf per coordinate), ``start``, ``window``, ``steps``,
        ``max_offset`` (``max_n sqrt(v_hat_n)/eps`` over the run, mpf) and ``run``
        (the :class:`IterationRun`).

    Raises
    ------
    RuntimeError
        If the offset exceeds ``10^-(dps+5)`` (the start was not deep enough).

    Examples
    --------
    >>> r = precise_local_rate(["1", "9"], lr="1", beta1="0.25", beta2="0.9", eps="3",
    ...                        dps=40)
    >>> [mpmath.nstr(x, 30) for x in r["rates"]]     # heavy ball, kappa = 9: rho = 1/2
    ['0.5', '0.5']
    """
    check_dps(dps)
    if double_root is None:
        double_root = float(beta1) > 0
    lams = [str(x) for x in eigenvalues]
    with mpmath.workdps(dps):
        b1 = mpf(beta1)
        n0 = 5 if b1 == 0 else int(mpmath.ceil((dps + 5) / -mpmath.log10(b1))) + 5
        tiny = mpf(10) ** -(2 * dps) * mpf(eps)
        theta0 = [(-1) ** i * tiny / mpf(lam) for i, lam in enumerate(lams)]
    k = max(40, n0 // 2)
    k += k % 2
    steps = n0 + 2 * k + 1
    run = adam_iterate(diagonal_quadratic(lams), theta0, steps, lr=lr, beta1=beta1,
                       beta2=beta2, eps=eps, dps=dps, eps_inside=eps_inside)
    with mpmath.workdps(dps):
        rates = [measured_rate([abs(t[i]) for t in run.theta], n0, k, double_root, dps=dps)
                 for i in range(len(lams))]
        offset = max(run.sqrt_vhat) / mpf(eps)
        if offset > mpf(10) ** -(dps + 5):
            raise RuntimeError(f"sqrt(v_hat)/eps reached {mpmath.nstr(offset, 3)} > "
                               f"1e-{dps + 5}: not in the local regime")
    return dict(rates=rates, start=n0, window=k, steps=steps, max_offset=offset, run=run)
