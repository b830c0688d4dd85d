"""Constructed redundant critical points and their predicted Hessian spectra.

Start from a nondegenerate critical point ``s`` of width ``m - 1`` (Hessian
``H_s``, residuals ``r_i``) and build critical points of width ``m``:

**Neuron splitting** (Fukumizu-Amari).  Duplicate neuron ``j`` (``u_j =
(w_j, b_j)``, output weight ``V``) with output weights ``(t V, (1 - t) V)``.
In the local coordinates ``V``, ``t`` and ``zeta`` (``u_1 = u + (1-t) zeta``,
``u_2 = u - t zeta``) the realization is
``V sigma(z) + (1/2) t (1-t) V sigma''(z) (zeta . xt)^2 + O(zeta^3)`` with no
term linear in ``zeta``, so every ``t`` gives a critical point (a *line* of
critical points) and the Hessian is congruent to
``diag(H_s, 0, t (1-t) V (2/n) D)``, ``D = sum_i r_i sigma''(z_ij) xt_i xt_i^T``.
By Sylvester's law of inertia the split point has ``zeros(H_s) + 1 +
zeros(D)`` zero eigenvalues (``1`` for ``t`` not in ``{0, 1}`` and ``D``
invertible) and ``neg(H_s) + neg(t (1-t) V D)`` negative ones.

**Zero output weight.**  Add a neuron ``u`` with ``v = 0``.  The gradient in
``u`` vanishes (it carries the factor ``v``), the one in ``v`` is
``(2/n) g(u)`` with ``g(u) = sum_i r_i sigma(u . xt_i)``: the point is
critical **iff** ``g(u) = 0`` (``u = 0`` always works since ``sum_i r_i = 0``
at ``s``; so does a copy of an existing neuron).  The Hessian is
``[[H_s, 0, a], [0, 0, (2/n) grad g], [a^T, (2/n) grad g^T, (2/n) sum sigma^2]]``
(the ``u``-block vanishes): if ``grad g(u) != 0`` it has exactly ``d`` zero
eigenvalues (the tangent directions of the critical set ``{v = 0, g(u) = 0}``)
and one more negative eigenvalue than ``H_s`` (the ``(grad g, v)`` block is
indefinite): such points are saddles.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import brentq

from ..networks.activations import get_activation
from ..networks.hessian import risk_derivatives
from .efficiency_np import join_parameters, split_parameters

__all__ = ["split_neuron", "split_prediction", "zero_output_neuron", "zero_output_prediction",
           "count_zero_eigenvalues", "Prediction"]


class Prediction(NamedTuple):
    """Predicted number of zero and of negative Hessian eigenvalues."""

    zeros: int
    negative: int


def count_zero_eigenvalues(eigenvalues, rel: float = 1e-9) -> tuple[int, float]:
    """Eigenvalues with ``|lam| <= rel * max|lam|``, and the gap ratio to the next one.

    Examples
    --------
    >>> count_zero_eigenvalues([1e-17, 0.5, -2.0])
    (1, 0.25)
    """
    a = np.sort(np.abs(np.asarray(eigenvalues, dtype=float)))
    thr = rel * a[-1]
    k = int(np.sum(a <= thr))
    gap = float(a[k] / a[-1]) if k < a.size else 0.0
    return k, gap


def _spectrum(theta, x, y, activation):
    lam = np.linalg.eigvalsh(risk_derivatives(theta, x, y, activation).hess[0])
    z, _ = count_zero_eigenvalues(lam)
    return lam, z, int(np.sum(lam < -1e-9 * np.max(np.abs(lam))))


def split_neuron(theta, d: int, j: int, t: float) -> np.ndarray:
    """Duplicate neuron ``j``; output weights ``(t v_j, (1 - t) v_j)`` (copy appended last).

    Examples
    --------
    >>> split_neuron(np.array([1.0, 0.5, 2.0, 0.1]), 1, 0, 0.25)
    array([1. , 1. , 0.5, 0.5, 0.5, 1.5, 0.1])
    """
    w, b, v, c = split_parameters(theta, d)
    w2 = np.vstack([w, w[j:j + 1]])
    b2 = np.append(b, b[j])
    v2 = np.append(v, (1.0 - t) * v[j])
    v2[j] = t * v[j]
    return join_parameters(w2, b2, v2, c)


def split_prediction(theta, x, y, activation: str, j: int, t: float) -> Prediction:
    """Predicted zero/negative eigenvalue counts of ``split_neuron(theta, d, j, t)``.

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 6)
    >>> split_prediction(np.array([1.0, 0.5, 2.0, 0.1]), p.x, p.y, "tanh", 0, 0.3).zeros >= 1
    True
    """
    xx = np.asarray(x, dtype=float).reshape(len(x), -1)
    _, zs, ns = _spectrum(theta, xx, y, activation)
    w, b, v, _ = split_parameters(theta, xx.shape[1])
    r = risk_derivatives(theta, xx, y, activation, hessian=False).resid[0]
    xt = np.hstack([xx, np.ones((len(xx), 1))])
    s2 = get_activation(activation).d2(xx @ w[j] + b[j])
    D = t * (1.0 - t) * v[j] * np.einsum("i,ik,il->kl", r * s2, xt, xt)
    ld = np.linalg.eigvalsh(D)
    scale = max(np.max(np.abs(ld)), 1e-300)
    zd = int(np.sum(np.abs(ld) <= 1e-9 * scale)) if np.any(ld) else len(ld)
    return Prediction(zs + 1 + zd, ns + int(np.sum(ld < -1e-9 * scale)))


def _g(u_w, u_b, x, r, act):
    return float(np.sum(r * act.f(x @ u_w + u_b)))


def zero_output_neuron(theta, x, y, activation: str, w, b_range=(-6.0, 6.0),
                       grid: int = 241) -> np.ndarray | None:
    """Append a neuron with input weights ``w``, a bias solving ``g(w, b) = 0``, and ``v = 0``.

    The bias is the root of ``b -> sum_i r_i sigma(w . x_i + b)`` nearest to 0
    in ``b_range`` (found by a sign change on a grid, then ``brentq``);
    ``None`` if there is none.

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 6)
    >>> th = zero_output_neuron(np.array([1.0, 0.5, 2.0, 0.1]), p.x, p.y, "tanh", [0.0])
    >>> th[[1, 3]]            # u = (0, b): sigma(b) sum_i r_i = 0, the root nearest 0
    array([0., 0.])
    """
    xx = np.asarray(x, dtype=float).reshape(len(x), -1)
    act = get_activation(activation)
    r = risk_derivatives(theta, xx, y, activation, hessian=False).resid[0]
    ww = np.asarray(w, dtype=float).reshape(xx.shape[1])
    bs = np.linspace(b_range[0], b_range[1], grid)
    gs = np.array([_g(ww, bb, xx, r, act) for bb in bs])
    scale = np.sum(np.abs(r)) + 1e-300
    if np.any(np.abs(gs) <= 1e-13 * scale):
        roots = list(bs[np.abs(gs) <= 1e-13 * scale])
    else:
        roots = []
    for k in np.flatnonzero(np.sign(gs[:-1]) * np.sign(gs[1:]) < 0):
        roots.append(brentq(lambda bb: _g(ww, bb, xx, r, act), bs[k], bs[k + 1], xtol=1e-15,
                            rtol=4 * np.finfo(float).eps))
    if not roots:
        return None
    bstar = min(roots, key=abs)
    wv, bv, vv, c = split_parameters(theta, xx.shape[1])
    return join_parameters(np.vstack([wv, ww[None]]), np.append(bv, bstar), np.append(vv, 0.0), c)


def zero_output_prediction(theta, x, y, activation: str) -> Prediction:
    """Predicted counts for ``theta`` = (critical ``s``, appended neuron with ``v = 0``).

    ``zeros(H_s) + d`` zeros and ``neg(H_s) + 1`` negative eigenvalues when
    ``grad g(u) != 0`` (see the module docstring).

    Examples
    --------
    >>> from symadam.networks.problems import make_problem
    >>> p = make_problem(0, 0, 6)
    >>> th = zero_output_neuron(np.array([1.0, 0.5, 2.0, 0.1]), p.x, p.y, "tanh", [0.7])
    >>> zero_output_prediction(th, p.x, p.y, "tanh").zeros >= 1
    True
    """
    xx = np.asarray(x, dtype=float).reshape(len(x), -1)
    d = xx.shape[1]
    w, b, v, c = split_parameters(theta, d)
    small = join_parameters(w[:-1], b[:-1], v[:-1], c)
    _, zs, ns = _spectrum(small, xx, y, activation)
    return Prediction(zs + d, ns + 1)
