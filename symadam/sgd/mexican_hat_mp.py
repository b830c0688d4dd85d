"""The Mexican-hat gradient flow solved in mpmath (check route of :mod:`.mexican_hat`).

The function (see that module's docstring; re-implemented here from its
definition, not imported): ``f = exp(-u)(1 - (9/10) chi(r) sin(phi - u))``,
``u = 1/(1 - r^2)``, for ``r < 1`` and ``0`` outside.  :func:`f_cartesian`
evaluates it at a point of the plane; :func:`flow_field` is the gradient
flow on ``r >= 1/2`` in the coordinates ``(u, psi = phi - u)`` with time
rescaled by ``exp(u)`` (hand-derived partial derivatives; the test suite
compares them with ``mpmath.diff`` of :func:`f_cartesian`).

The flow is stiff (relaxation onto the spiral valley is faster than the
motion along it by a factor ~ ``40 u^4``), so it is integrated by the
three-stage Radau IIA collocation method (order 5, L-stable) with Newton
iterations on the stage equations, a finite-difference Jacobian, and step
doubling for the local error (Richardson-corrected).  :func:`spiral` runs the
integration on ``gmpy2.mpfr`` numbers at mpmath's binary precision (correctly
rounded like ``mpf``, several times faster), the field restated for them.
"""
from __future__ import annotations

from typing import Sequence

import mpmath

try:  # mpmath's GMP backend (a dependency): MPFR numbers for the Radau loop
    import gmpy2
except ImportError:  # pragma: no cover
    gmpy2 = None

__all__ = ["smooth_step", "f_cartesian", "flow_field", "radau_integrate", "spiral"]

def _g():
    return mpmath.mpf(9) / 10


def smooth_step(r):
    """``chi(r)``: 0 for ``r <= 1/4``, 1 for ``r >= 1/2``, C-infinity (built from ``exp(-1/t)``).

    Examples
    --------
    >>> float(smooth_step(0.2)), float(smooth_step(0.6)), 0 < smooth_step(0.375) < 1
    (0.0, 1.0, True)
    """
    t = (mpmath.mpf(r) - mpmath.mpf(1) / 4) * 4
    if t <= 0:
        return mpmath.mpf(0)
    if t >= 1:
        return mpmath.mpf(1)
    a, b = mpmath.exp(-1 / t), mpmath.exp(-1 / (1 - t))
    return a / (a + b)


def f_cartesian(x, y):
    """The Mexican hat at ``(x, y)`` (mpmath).

    Examples
    --------
    >>> float(f_cartesian(1.2, 0)), f_cartesian(0.8, 0.1) > 0
    (0.0, True)
    """
    x, y = mpmath.mpf(x), mpmath.mpf(y)
    r2 = x * x + y * y
    if r2 >= 1:
        return mpmath.mpf(0)
    u = 1 / (1 - r2)
    phi = mpmath.atan2(y, x)
    return mpmath.exp(-u) * (1 - _g() * smooth_step(mpmath.sqrt(r2)) * mpmath.sin(phi - u))


def flow_field(z: Sequence) -> list:
    """``d(u, psi)/dtau`` of the rescaled gradient flow on ``r >= 1/2`` (i.e. ``u >= 4/3``).

    ``r' = -df/dr = exp(-u) u_r h``, ``phi' = -(df/dphi)/r^2 = exp(-u) g cos(psi)/r^2``
    with ``h = 1 - g sin psi - g cos psi``, ``u_r = 2 r u^2``; multiplied by ``exp(u)``.

    Examples
    --------
    >>> [round(float(v), 12) for v in flow_field([mpmath.mpf(2), mpmath.mpf(0)])]
    [3.2, -1.4]
    """
    u, psi = z
    r2 = 1 - 1 / u
    ur2 = 4 * r2 * u ** 4
    g = _g()
    h = 1 - g * mpmath.sin(psi) - g * mpmath.cos(psi)
    udot = ur2 * h
    phidot = g * mpmath.cos(psi) / r2
    return [udot, phidot - udot]


def _flow_field_mpfr(z: Sequence) -> list:
    """:func:`flow_field` on MPFR numbers (the same formulas, gmpy2's sin and cos)."""
    u, psi = z
    r2 = 1 - 1 / u
    ur2 = 4 * r2 * u ** 4
    g = gmpy2.mpfr(9) / 10
    h = 1 - g * gmpy2.sin(psi) - g * gmpy2.cos(psi)
    udot = ur2 * h
    phidot = g * gmpy2.cos(psi) / r2
    return [udot, phidot - udot]


def _to_mpfr(v):
    sign, man, exp, _ = mpmath.mpf(v)._mpf_
    if not man and exp:
        raise ValueError("infinite or nan value for the MPFR loop")
    return gmpy2.mul_2exp(gmpy2.mpfr(-man if sign else man), exp)


def _from_mpfr(v):
    man, exp = v.as_mantissa_exp()
    return mpmath.mpf((int(man), int(exp)))


def _radau_tableau(conv=mpmath.mpf):
    s6 = mpmath.sqrt(6)
    c = [(4 - s6) / 10, (4 + s6) / 10, mpmath.mpf(1)]
    A = [[(88 - 7 * s6) / 360, (296 - 169 * s6) / 1800, (-2 + 3 * s6) / 225],
         [(296 + 169 * s6) / 1800, (88 + 7 * s6) / 360, (-2 - 3 * s6) / 225],
         [(16 - s6) / 36, (16 + s6) / 36, mpmath.mpf(1) / 9]]
    return [conv(v) for v in c], [[conv(v) for v in row] for row in A]


def _jacobian(F, z, eps):
    n = len(z)
    J = [[None] * n for _ in range(n)]
    for j in range(n):
        zp, zm = list(z), list(z)
        zp[j] += eps
        zm[j] -= eps
        fp, fm = F(zp), F(zm)
        for i in range(n):
            J[i][j] = (fp[i] - fm[i]) / (2 * eps)
    return J


def _lu(M: list) -> tuple[list, list]:
    """LU factors (partial pivoting, in place on a copy) of a square list-of-lists matrix."""
    n = len(M)
    LU = [list(r) for r in M]
    perm = list(range(n))
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(LU[i][k]))
        if LU[p][k] == 0:
            raise ZeroDivisionError("singular Newton matrix")
        LU[k], LU[p] = LU[p], LU[k]
        perm[k], perm[p] = perm[p], perm[k]
        for i in range(k + 1, n):
            m = LU[i][k] / LU[k][k]
            LU[i][k] = m
            if m:
                rk, ri = LU[k], LU[i]
                for j in range(k + 1, n):
                    ri[j] -= m * rk[j]
    return LU, perm


def _lu_solve(LU: list, perm: list, b: list) -> list:
    """Solve with the factors of :func:`_lu` (forward and back substitution)."""
    n = len(LU)
    x = [b[p] for p in perm]
    for i in range(n):
        for j in range(i):
            x[i] -= LU[i][j] * x[j]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            x[i] -= LU[i][j] * x[j]
        x[i] /= LU[i][i]
    return x


def _radau_step(F, z, h, A, newton_tol, eps):
    """One Radau IIA step by simplified Newton (the matrix ``I - h A (x) J`` factored once)."""
    n = len(z)
    J = _jacobian(F, z, eps)
    M = [[(1 if (a == b and i == j) else 0) - h * A[a][b] * J[i][j]
          for b in range(3) for j in range(n)] for a in range(3) for i in range(n)]
    LU, perm = _lu(M)
    zero = h - h
    Z = [[zero] * n for _ in range(3)]
    for _ in range(25):
        Fs = [F([z[i] + Z[a][i] for i in range(n)]) for a in range(3)]
        R = [h * (A[a][0] * Fs[0][i] + A[a][1] * Fs[1][i] + A[a][2] * Fs[2][i]) - Z[a][i]
             for a in range(3) for i in range(n)]
        dz = _lu_solve(LU, perm, R)
        for a in range(3):
            for i in range(n):
                Z[a][i] += dz[n * a + i]
        bound = newton_tol * (1 + max(abs(v) for v in z))
        if sum(d * d for d in dz) <= bound * bound:
            return [z[i] + Z[2][i] for i in range(n)]
    return None


def radau_integrate(F, z0: Sequence, stop, tol, h0=None, max_steps: int = 20000) -> list:
    """Integrate the autonomous ``z' = F(z)`` (Radau IIA, order 5) until ``stop(z)`` is true.

    Returns the accepted states.  Step doubling: a step is accepted when the
    two-half-steps result differs from the full step by at most ``31 tol``
    (the order-5 error estimate), and the Richardson-corrected value is kept.

    Examples
    --------
    >>> with mpmath.workdps(25):
    ...     zs = radau_integrate(lambda z: [-1000 * (z[0] - z[1]), mpmath.mpf(1)],
    ...                          [mpmath.mpf(0), mpmath.mpf(0)], lambda z: z[1] >= 1,
    ...                          mpmath.mpf(10)**-12)
    ...     print(abs(zs[-1][0] - zs[-1][1] + mpmath.mpf(1)/1000) < 1e-20)  # slow manifold
    True
    """
    conv = _to_mpfr if (gmpy2 is not None and z0 and isinstance(z0[0], type(gmpy2.mpfr(0)))) \
        else mpmath.mpf
    _, A = _radau_tableau(conv)
    z = [conv(v) for v in z0] if conv is mpmath.mpf else list(z0)
    h = conv("1e-3" if h0 is None else h0) if conv is mpmath.mpf else conv(
        mpmath.mpf("1e-3" if h0 is None else h0))
    newton_tol = conv(mpmath.mpf(10) ** (-(mpmath.mp.dps - 5)))
    eps = conv(mpmath.mpf(10) ** (-(mpmath.mp.dps // 2)))
    tol = conv(tol)
    out = [z]
    for _ in range(max_steps):
        if stop(z):
            return out
        full = _radau_step(F, z, h, A, newton_tol, eps)
        half = _radau_step(F, z, h / 2, A, newton_tol, eps)
        half = _radau_step(F, half, h / 2, A, newton_tol, eps) if half is not None else None
        if full is None or half is None:
            h /= 4
            continue
        err = max(abs(a - b) for a, b in zip(full, half)) / 31
        if err <= tol:
            z = [b + (b - a) / 31 for a, b in zip(full, half)]
            out.append(z)
        fac = 5 if err == 0 else 0.9 * (tol / err) ** (1 / 6)
        h *= min(5, max(0.2, fac))
    raise ValueError(f"the Radau integration did not finish in {max_steps} steps")


def spiral(u0, psi0, u_marks: Sequence, dps: int = 25, tol=None) -> list[dict]:
    """The Mexican-hat trajectory from ``(u0, psi0)``, read at the first states past ``u_marks``.

    Returns, for each mark, ``u``, ``r``, ``phi`` (total angle), ``psi`` and
    ``turns`` (``(phi - phi0)/(2 pi)``), as mpf.

    Examples
    --------
    >>> rows = spiral(2, 1.5, [4], dps=20)
    >>> rows[0]["u"] >= 4, float(rows[0]["turns"]) > 0.3
    (True, True)
    """
    marks = sorted(mpmath.mpf(m) for m in u_marks)
    with mpmath.workdps(dps):
        tol = mpmath.mpf(10) ** -12 if tol is None else mpmath.mpf(tol)
        z0 = [mpmath.mpf(u0), mpmath.mpf(psi0)]
        if z0[0] < mpmath.mpf(4) / 3:
            raise ValueError("u0 must be >= 4/3 (r >= 1/2, where the field formula holds)")
        ctx = gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec) if gmpy2 else None
        if ctx is not None and hasattr(ctx, "__enter__"):
            with ctx:
                last = _to_mpfr(marks[-1])
                states = [[_from_mpfr(v) for v in st] for st in radau_integrate(
                    _flow_field_mpfr, [_to_mpfr(v) for v in z0], lambda z: z[0] >= last, tol)]
        else:
            states = radau_integrate(flow_field, z0, lambda z: z[0] >= marks[-1], tol)
        phi0 = z0[0] + z0[1]
        rows = []
        for m in marks:
            u, psi = next(s for s in states if s[0] >= m)
            rows.append({"u": u, "r": mpmath.sqrt(1 - 1 / u), "phi": u + psi, "psi": psi,
                         "turns": (u + psi - phi0) / (2 * mpmath.pi)})
        return rows
