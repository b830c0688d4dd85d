"""Population risk of networks with 1-D input: ``int (N(x) - f(x))^2 p(x) dx``.

For ReLU networks of any depth the realization is continuous and piecewise
linear on the support ``[a, b]`` of the density.  Its breakpoints are found
layer by layer: once the breakpoints of the earlier layers are known, every
pre-activation of the next layer is affine between consecutive breakpoints,
so its sign changes are located exactly (linear interpolation between the
breakpoint values).  Together with the breakpoints of the target ``f`` and of
the density ``p`` this splits ``[a, b]`` into intervals on which
``(N - f)^2 p`` is a polynomial, integrated in closed form (antiderivative in
the local variable ``s = x - u`` of each interval ``[u, v]``).  The result
is exact up to float64 rounding; it is *not* quadrature.  For smooth
activations a composite Gauss-Legendre rule is used instead (documented as
such; accurate, not exact).

The exact symbolic counterpart (sympy, shallow networks) is
:mod:`symadam.existence.piecewise`; tests cross-check the two.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from numpy.polynomial import Polynomial
from numpy.typing import ArrayLike

from .base import NetworkBase

__all__ = ["PiecewisePolynomial", "population_risk", "relu_breakpoints"]


@dataclass(frozen=True)
class PiecewisePolynomial:
    """A function given by polynomials between breakpoints (float64).

    Parameters
    ----------
    breaks : array ``(k+1,)``
        Strictly increasing finite breakpoints ``x_0 < ... < x_k``.
    coeffs : sequence of ``k`` arrays
        Piece ``i`` on ``[x_i, x_{i+1}]`` is ``sum_m coeffs[i][m] x^m``
        (ascending powers of the *global* variable ``x``).

    Examples
    --------
    >>> p = PiecewisePolynomial([0, 1, 2], [[0, 1], [2, -1]])   # hat function
    >>> p(np.array([0.5, 1.0, 1.5]))
    array([0.5, 1. , 0.5])
    >>> p.integral()
    1.0
    """

    breaks: np.ndarray
    coeffs: tuple

    def __post_init__(self):
        br = np.asarray(self.breaks, dtype=np.float64)
        if br.ndim != 1 or br.size < 2 or not np.all(np.isfinite(br)) or np.any(np.diff(br) <= 0):
            raise ValueError(f"breaks must be a strictly increasing finite sequence of >= 2 "
                             f"numbers, got {self.breaks!r}")
        cs = []
        for c in self.coeffs:
            c = np.atleast_1d(np.asarray(c, dtype=np.float64))
            if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c)):
                raise ValueError(f"coeffs must be finite, non-empty 1-D coefficient arrays, "
                                 f"got {c!r}")
            cs.append(c)
        if len(cs) != br.size - 1:
            raise ValueError(f"coeffs must have one entry per piece ({br.size - 1}), "
                             f"got {len(cs)}")
        object.__setattr__(self, "breaks", br)
        object.__setattr__(self, "coeffs", tuple(cs))

    @classmethod
    def uniform(cls, a: float, b: float) -> "PiecewisePolynomial":
        """The uniform density on ``[a, b]``.

        Examples
        --------
        >>> PiecewisePolynomial.uniform(-1, 1).coeffs[0]
        array([0.5])
        """
        if not (np.isfinite(a) and np.isfinite(b) and a < b):
            raise ValueError(f"density interval must satisfy a < b (finite), got ({a!r}, {b!r})")
        return cls([a, b], [[1.0 / (b - a)]])

    def piece_index(self, x: ArrayLike) -> np.ndarray:
        """Index of the piece containing each ``x`` (right-continuous, clipped).

        Examples
        --------
        >>> PiecewisePolynomial([0, 1, 2], [[0, 1], [2, -1]]).piece_index([-1, 0.5, 1, 3])
        array([0, 0, 1, 1])
        """
        i = np.searchsorted(self.breaks, np.asarray(x, dtype=np.float64), side="right") - 1
        return np.clip(i, 0, len(self.coeffs) - 1)

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        idx = self.piece_index(x)
        out = np.empty_like(x)
        for i, c in enumerate(self.coeffs):
            m = idx == i
            out[m] = np.polynomial.polynomial.polyval(x[m], c)
        return out

    def integral(self) -> float:
        """``int_{x_0}^{x_k}`` of the function (closed form).

        Examples
        --------
        >>> PiecewisePolynomial([0, 1, 3], [[0, 0, 3], [1]]).integral()   # 1 + 2
        3.0
        """
        tot = 0.0
        for (u, v), c in zip(zip(self.breaks[:-1], self.breaks[1:]), self.coeffs):
            q = Polynomial(c)(Polynomial([u, 1.0])).integ()
            tot += q(v - u)
        return float(tot)


def _as_density(density) -> PiecewisePolynomial:
    if isinstance(density, PiecewisePolynomial):
        d = density
    else:
        try:
            a, b = (float(v) for v in density)
        except (TypeError, ValueError):
            raise ValueError("density must be (a, b) for the uniform law or a "
                             f"PiecewisePolynomial, got {density!r}") from None
        return PiecewisePolynomial.uniform(a, b)
    grid = np.concatenate([np.linspace(u, v, 65) for u, v in zip(d.breaks[:-1], d.breaks[1:])])
    vals = np.concatenate([np.polynomial.polynomial.polyval(np.linspace(u, v, 65), c)
                           for (u, v), c in zip(zip(d.breaks[:-1], d.breaks[1:]), d.coeffs)])
    scale = max(1.0, float(np.max(np.abs(vals))))
    if np.min(vals) < -1e-12 * scale:
        raise ValueError(f"density must be non-negative (found {np.min(vals):.3g} near "
                         f"x = {grid[np.argmin(vals)]:.6g})")
    if abs(d.integral() - 1.0) > 1e-12:
        raise ValueError(f"density must integrate to 1, got {d.integral()!r}")
    return d


def _as_target(target, a: float, b: float) -> PiecewisePolynomial:
    if isinstance(target, PiecewisePolynomial):
        if target.breaks[0] > a or target.breaks[-1] < b:
            raise ValueError(f"target must be defined on the density support [{a}, {b}], "
                             f"its breaks span [{target.breaks[0]}, {target.breaks[-1]}]")
        return target
    c = np.atleast_1d(np.asarray(target, dtype=np.float64))
    if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c)):
        raise ValueError("target must be polynomial coefficients (ascending, finite) or a "
                         f"PiecewisePolynomial, got {target!r}")
    return PiecewisePolynomial([a, b], [c])


def relu_breakpoints(net: NetworkBase, theta: ArrayLike, a: float, b: float,
                     extra: Sequence[float] = ()) -> np.ndarray:
    """Sorted points of ``[a, b]`` between which a 1-D ReLU network is affine.

    Contains ``a``, ``b``, ``extra`` (clipped to ``[a, b]``) and every zero
    crossing of every hidden pre-activation.

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> relu_breakpoints(Network((1, 2, 1)), [1.0, -1.0, -0.25, 0.5, 1, 1, 0], -1, 1)
    array([-1.  ,  0.25,  0.5 ,  1.  ])
    """
    if net.widths[0] != 1:
        raise ValueError(f"net must have 1-D input, got widths {net.widths}")
    t, batched = net.check_theta(theta)
    if batched:
        raise ValueError(f"theta must have shape ({net.num_params},) here")
    ex = np.asarray(list(extra), dtype=np.float64)
    pts = np.unique(np.concatenate([[a, b], ex[(ex > a) & (ex < b)]]))
    for layer in range(net.depth):
        zs, _ = net.forward(t, pts[:, None])
        z = zs[layer][0]                                   # (n_pts, width)
        z0, z1 = z[:-1], z[1:]
        cross = z0 * z1 < 0
        if np.any(cross):
            k, _ = np.nonzero(cross)
            u, v = pts[k], pts[k + 1]
            roots = u + z0[cross] * (v - u) / (z0[cross] - z1[cross])
            pts = np.unique(np.concatenate([pts, np.clip(roots, u, v)]))
    return pts


def population_risk(net: NetworkBase, theta: ArrayLike, target: Any,
                    density: Any = (0.0, 1.0)) -> np.ndarray | float:
    """Population risk ``int_a^b (N_theta(x) - f(x))^2 p(x) dx`` of a 1-D-input network.

    Parameters
    ----------
    net : NetworkBase (e.g. a Network) with ``widths[0] == 1``
    theta : array ``(P,)`` or ``(B, P)``
    target : array of polynomial coefficients (ascending powers) or PiecewisePolynomial
        The target ``f``; a piecewise target must cover ``[a, b]``.
    density : ``(a, b)`` or PiecewisePolynomial
        The input law: uniform on ``[a, b]``, or a non-negative piecewise
        polynomial density integrating to 1 (support = its breakpoint range).

    Returns
    -------
    float or ndarray ``(B,)``
        Exact (closed form between kinks) for ReLU; composite Gauss-Legendre
        (16 panels x 24 nodes per piece) for smooth activations.

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> net = Network((1, 1, 1), "relu")      # N(x) = relu(x - 1/2)
    >>> float(population_risk(net, [1.0, -0.5, 1.0, 0.0], [0.0], (0, 1)))  # int_0^1/2 s^2 ds
    0.041666666666666664
    """
    if net.widths[0] != 1:
        raise ValueError(f"net must have 1-D input (widths[0] == 1), got widths {net.widths}")
    t, batched = net.check_theta(theta)
    dens = _as_density(density)
    a, b = float(dens.breaks[0]), float(dens.breaks[-1])
    f = _as_target(target, a, b)
    base = np.concatenate([dens.breaks, f.breaks])
    out = np.array([_one(net, th, f, dens, a, b, base) for th in t])
    return out if batched else float(out[0])


def _one(net, th, f, dens, a, b, base) -> float:
    if net.activation == "relu":
        pts = relu_breakpoints(net, th, a, b, base)
    else:
        pts = np.unique(np.clip(base, a, b))
    if net.activation != "relu":
        return _gauss(net, th, f, dens, pts)
    N = net.realization(th, pts[:, None])
    mids = 0.5 * (pts[:-1] + pts[1:])
    fi, pi = f.piece_index(mids), dens.piece_index(mids)
    total = 0.0
    for k in range(len(pts) - 1):
        u, v = pts[k], pts[k + 1]
        h = v - u
        if h <= 0:
            continue
        shift = Polynomial([u, 1.0])
        e = Polynomial([N[k], (N[k + 1] - N[k]) / h]) - Polynomial(f.coeffs[fi[k]])(shift)
        q = (e * e * Polynomial(dens.coeffs[pi[k]])(shift)).integ()
        total += q(h)
    return float(total)


def _gauss(net, th, f, dens, pts) -> float:
    s, w = np.polynomial.legendre.leggauss(24)
    xs, ws = [], []
    for u, v in zip(pts[:-1], pts[1:]):
        edges = np.linspace(u, v, 17)
        for p, q in zip(edges[:-1], edges[1:]):
            xs.append(0.5 * (q - p) * s + 0.5 * (p + q))
            ws.append(0.5 * (q - p) * w)
    x, wt = np.concatenate(xs), np.concatenate(ws)
    r = net.realization(th, x[:, None]) - f(x)
    return float(np.sum(wt * r * r * dens(x)))
