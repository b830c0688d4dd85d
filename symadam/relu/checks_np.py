"""Sampled ReLU problems with kinks on data, and exact finite-difference tools.

**Exact kinks.** Data lie on a dyadic grid (multiples of 1/8), weights are
multiples of 1/8 and targets multiples of 1/16, so every pre-activation at a
data point is a dyadic rational computed *exactly* in float64 (depth <= 3
needs < 20 fraction bits).  A kink is placed on a data point by subtracting
the exact pre-activation from the neuron's bias, layer by layer: afterwards
``z == 0.0`` holds exactly, not approximately.

**Exact finite differences along coordinates.** Along one coordinate
``theta + t e_k`` every pre-activation is piecewise *linear* in ``t`` (the
parameters of one layer enter affinely, and ReLU keeps piecewise linearity),
so on an interval where the activation pattern is constant the risk is a
*quadratic* in ``t``.  There the central difference ``(L(h) - L(-h))/(2h)``
and the one-sided three-point formulas ``+-(-3L(0) + 4L(+-h) - L(+-2h))/(2h)``
have **zero truncation error**; the only error is float64 rounding of ``L``,
bounded by :func:`loss_roundoff_bound`.  Pattern constancy on ``(0, 2h]`` is
certified by the signs at ``t = h, 2h`` (valid by the same piecewise
linearity, layer by layer).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ..core.validate import check_positive
from ..networks.activations import Activation
from ..networks.network import Network

__all__ = ["KinkProblem", "sample_problem", "kink_set", "loss_roundoff_bound",
           "coordinate_derivatives", "approach_sequence", "perturbation_test", "risk_slice",
           "RELU_COMPLEX"]

U = 2.0 ** -53


def _gamma(k: int) -> float:
    return k * U / (1 - k * U)


#: ReLU accepting complex input (branch by the real part), for the complex step at
#: points where no pre-activation vanishes; there it gives the exact gradient.
RELU_COMPLEX = Activation("relu", lambda z: np.where(np.real(z) > 0, z, 0 * z),
                          lambda z: (np.real(z) > 0).astype(np.float64),
                          lambda z: np.zeros(np.shape(z)), analytic=False, odd=False)


@dataclass
class KinkProblem:
    """A sampled network, parameter vector and data set.

    ``kinks`` lists ``(layer, neuron, point)`` with ``z == 0.0`` exactly
    (``layer`` counts hidden layers from 0).

    Examples
    --------
    >>> p = KinkProblem(Network((1, 1, 1)), np.array([1.0, 0, 1, 0]), np.zeros((1, 1)),
    ...                 np.ones(1), [(0, 0, 0)])
    >>> p.kinks == kink_set(p.net, p.theta, p.x)
    True
    """

    net: Network
    theta: np.ndarray
    x: np.ndarray
    y: np.ndarray
    kinks: list = field(default_factory=list)


def _rng(seed) -> np.random.Generator:
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise ValueError(f"seed must be a non-negative integer or a SeedSequence, "
                         f"got {seed!r}") from None


def kink_set(net: Network, theta: ArrayLike, x: ArrayLike) -> list[tuple[int, int, int]]:
    """All ``(layer, neuron, point)`` whose hidden pre-activation is exactly 0.

    Examples
    --------
    >>> kink_set(Network((1, 2, 1)), [1.0, 1.0, 0.0, -1.0, 1, 1, 0], [[0.0], [1.0]])
    [(0, 0, 0), (0, 1, 1)]
    """
    zs, _ = net.forward(theta, x)
    out = []
    for layer in range(net.depth):
        i, j = np.nonzero(zs[layer][0] == 0.0)
        out += [(layer, int(jj), int(ii)) for ii, jj in zip(i, j)]
    return sorted(out)


def sample_problem(seed: "int | np.random.SeedSequence", depth: int,
                   kinks: str = "random") -> KinkProblem:
    """Sample a ReLU problem on a dyadic grid.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
    depth : int in {1, 2, 3}
        Number of hidden layers (widths drawn from 2..5, input dimension 1 or 2).
    kinks : {"random", "none", "shielded"}
        ``"random"``: in every hidden layer some neurons get a kink on a
        random data point.  ``"none"``: generic parameters (a non-dyadic
        shift of every bias), no pre-activation vanishes at a data point.
        ``"shielded"`` (depth >= 2): layer-0 kinks on data point 0 only, and
        every layer-1 neuron strictly negative at point 0, so the kinks do not
        reach the output and the risk is C^1 (locally polynomial) near theta.

    Examples
    --------
    >>> p = sample_problem(0, 2)
    >>> len(p.kinks) > 0 and all(z == 0.0 for z in
    ...     [p.net.forward(p.theta, p.x)[0][l][0][i, j] for l, j, i in p.kinks])
    True
    """
    if depth not in (1, 2, 3):
        raise ValueError(f"depth must be 1, 2 or 3, got {depth!r}")
    if kinks not in ("random", "none", "shielded"):
        raise ValueError(f"kinks must be 'random', 'none' or 'shielded', got {kinks!r}")
    if kinks == "shielded" and depth < 2:
        raise ValueError("depth must be >= 2 for shielded kinks")
    rng = _rng(seed)
    for _ in range(200):
        prob = _draw(rng, depth, kinks)
        ks = prob.kinks
        if kinks == "shielded" and not (ks and all(layer == 0 and i == 0 for layer, _, i in ks)):
            continue
        if kinks == "none" and ks:
            continue
        return prob
    raise RuntimeError("could not sample a problem of the requested kind")  # pragma: no cover


def _draw(rng, depth, kinks) -> KinkProblem:
    d = int(rng.integers(1, 3))
    widths = (d,) + tuple(int(w) for w in rng.integers(2, 6, size=depth)) + (1,)
    net = Network(widths, "relu")
    n = int(rng.integers(6, 13))
    grid = rng.choice(17 ** d, size=n, replace=False)
    x = np.stack([(grid // 17 ** k) % 17 for k in range(d)], axis=1) / 8.0 - 1.0
    y = rng.integers(-16, 17, size=n) / 16.0
    layers = [(rng.integers(-16, 17, size=(o, i)) / 8.0, rng.integers(-8, 9, size=o) / 8.0)
              for o, i in net.shapes]
    a = x
    for li in range(depth):
        W, b = layers[li]
        z = a @ W.T + b
        if kinks == "random":
            chosen = rng.random(W.shape[0]) < 0.5
            chosen[rng.integers(W.shape[0])] = True
            for j in np.nonzero(chosen)[0]:
                b[j] -= z[rng.integers(n), j]
        elif kinks == "shielded" and li == 0:
            for j in range(W.shape[0]):
                if rng.random() < 0.7:
                    b[j] -= z[0, j]
        elif kinks == "shielded" and li == 1:
            b -= np.maximum(z[0], 0.0) + 0.25
        z = a @ W.T + b
        a = np.maximum(z, 0.0)
    theta = net.pack([(W[None], b[None]) for W, b in layers])[0]
    if kinks != "random":   # generic (non-dyadic) shifts of the biases that may move
        k = 0
        for li, (o, i) in enumerate(net.shapes):
            k += o * i
            if kinks == "none" or li >= 1:
                theta[k:k + o] += rng.uniform(-1 / 16, 1 / 16, size=o)
            k += o
    return KinkProblem(net, theta, x, y, kink_set(net, theta, x))


def loss_roundoff_bound(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> float:
    """A rigorous bound on ``|fl(L(theta)) - L(theta)|`` for the float64 risk.

    Standard dot-product bounds ``gamma_{m+1} (|W| |a| + |b|)`` per layer
    (any summation order, FMA or not), propagated through the 1-Lipschitz
    exact ReLU, then through ``r_i^2`` and the mean.

    Examples
    --------
    >>> p = sample_problem(1, 2, "none")
    >>> 0 < loss_roundoff_bound(p.net, p.theta, p.x, p.y) < 1e-12
    True
    """
    t = np.asarray(theta, dtype=np.float64)
    xx = net.check_x(x)
    yy = net.check_y(y, xx.shape[0])
    a, err = np.abs(xx), np.zeros_like(xx)
    zs, _ = net.forward(t, xx)
    for li, (W, b) in enumerate(net.unpack(t)):
        W, b = np.abs(W[0]), np.abs(b[0])
        M = (a @ W.T + b) * (1 + _gamma(W.shape[1] + 2))
        err = _gamma(W.shape[1] + 1) * M + err @ W.T
        a = np.abs(zs[li][0])
    n = xx.shape[0]
    r = np.abs(zs[-1][0][:, 0] - yy)
    er = err[:, 0] + U * r
    e_sq = 2 * r * er + er * er + U * r * r
    return float((np.sum(e_sq) + _gamma(n + 1) * np.sum(r * r)) / n * (1 + 4 * U))


def coordinate_derivatives(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike,
                           h: float = 2.0 ** -20) -> dict:
    """Central and one-sided derivatives of the risk along every coordinate.

    Returns a dict of arrays ``(P,)``: ``central``, ``plus``, ``minus`` (the
    formulas of the module docstring), the rounding bounds ``tol_central``,
    ``tol_side``, and booleans ``const_plus``, ``const_minus`` (activation
    pattern certified constant on ``(0, 2h]`` resp. ``[-2h, 0)``),
    ``const_both`` (constant on ``[-h, h]`` including ``t = 0``: then ``L`` is
    a quadratic there and ``central`` is exact up to ``tol_central``), and
    ``kinks_le0_plus``/``kinks_le0_minus`` (every kink pre-activation is
    ``<= 0`` at ``+-h``, exactly).

    Examples
    --------
    >>> from symadam.networks.network import Network
    >>> out = coordinate_derivatives(Network((1, 1, 1)), [1.0, 0.0, 1.0, 0.0],
    ...                              [[0.0], [1.0]], [1.0, 0.0])
    >>> out["plus"], out["minus"]
    (array([1., 0., 1., 0.]), array([1., 1., 1., 0.]))
    """
    check_positive("h", h)
    t = np.asarray(theta, dtype=np.float64)
    P = net.num_params
    E = np.eye(P) * h
    pts = np.concatenate([t[None], t + E, t + 2 * E, t - E, t - 2 * E])
    L = net.risk(pts, x, y)
    def split(a):
        return a[0], a[1:P + 1], a[P + 1:2 * P + 1], a[2 * P + 1:3 * P + 1], a[3 * P + 1:]

    L0, Lp, Lp2, Lm, Lm2 = split(L)
    zs, _ = net.forward(pts, x)
    s = np.sign(np.concatenate([z.reshape(z.shape[0], -1) for z in zs[:-1]], axis=1))
    s0, sp, sp2, sm, sm2 = split(s)
    kink = s0 == 0
    nonk = ~kink
    const_plus = np.all(sp == sp2, axis=1) & np.all((sp == s0)[:, nonk], axis=1)
    const_minus = np.all(sm == sm2, axis=1) & np.all((sm == s0)[:, nonk], axis=1)
    const_both = np.all(sp == s0, axis=1) & np.all(sm == s0, axis=1)
    scale = max(float(np.max(np.abs(L))), 1e-300)
    bnd = np.array([loss_roundoff_bound(net, p, x, y) for p in pts])
    b0, bp, bp2, bm, bm2 = split(bnd)
    return {
        "central": (Lp - Lm) / (2 * h),
        "plus": (-3 * L0 + 4 * Lp - Lp2) / (2 * h),
        "minus": (3 * L0 - 4 * Lm + Lm2) / (2 * h),
        "tol_central": (bp + bm) / (2 * h) + 4 * U * scale / h,
        "tol_side": (3 * b0 + 4 * np.maximum(bp, bm) + np.maximum(bp2, bm2)) / (2 * h)
        + 16 * U * scale / h,
        "const_plus": const_plus, "const_minus": const_minus, "const_both": const_both,
        "kinks_le0_plus": np.all(sp[:, kink] <= 0, axis=1),
        "kinks_le0_minus": np.all(sm[:, kink] <= 0, axis=1),
        "kinks_fixed": np.all(sp[:, kink] == 0, axis=1) & np.all(sm[:, kink] == 0, axis=1),
    }


def approach_sequence(net: Network, theta: ArrayLike, x: ArrayLike, deltas: ArrayLike,
                      kappa: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Differentiable points ``theta_n -> theta`` that switch every kink off.

    The biases of hidden layer ``l`` (of ``D``) move down by
    ``eps_l = delta * kappa^(D-1-l)`` with ``kappa = 1/(4 (1 + max_l ||W_l||_inf))``:
    earlier layers move much less, so (ReLU being 1-Lipschitz) every
    pre-activation that was 0 at a data point becomes strictly negative,
    while for ``2 delta`` below the smallest non-zero ``|z|`` no other sign
    changes.  Returns ``(thetas (len(deltas), P), ok)`` where ``ok[n]`` says
    that at ``theta_n`` no pre-activation vanishes at a data point and the
    pattern equals that of ``theta`` with the kinks switched off (checked).
    ``kappa=1`` moves all hidden biases by the same ``delta``; then a kink of
    a deeper layer can switch *on* (its pre-activation moves by
    ``-delta (1 + sum of the active incoming weights)``) and ``ok`` is False.

    Examples
    --------
    >>> p = sample_problem(0, 3)
    >>> th, ok = approach_sequence(p.net, p.theta, p.x, [2.0 ** -8, 2.0 ** -12])
    >>> bool(ok.all())
    True
    """
    d = np.atleast_1d(np.asarray(deltas, dtype=np.float64))
    if d.ndim != 1 or not np.all(np.isfinite(d) & (d > 0)):
        raise ValueError(f"deltas must be finite numbers > 0, got {deltas!r}")
    if kappa is not None:
        check_positive("kappa", kappa)
    t = np.asarray(theta, dtype=np.float64)
    layers = net.unpack(t)
    norm = max(float(np.max(np.sum(np.abs(W[0]), axis=1))) for W, _ in layers)
    kappa = 1.0 / (4.0 * (1.0 + norm)) if kappa is None else float(kappa)
    D = net.depth
    out = []
    for delta in deltas:
        s = t.copy()
        k = 0
        for li, (o, i) in enumerate(net.shapes):
            k += o * i
            if li < D:
                s[k:k + o] -= delta * kappa ** (D - 1 - li)
            k += o
        out.append(s)
    out = np.array(out)
    zs0, _ = net.forward(t, x)
    zsn, _ = net.forward(out, x)
    ok = np.ones(len(out), dtype=bool)
    for li in range(D):
        target = np.where(zs0[li][0] > 0, 1.0, -1.0)
        ok &= np.all((np.sign(zsn[li]) == target).reshape(len(out), -1), axis=1)
    return out, ok


def perturbation_test(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike,
                      rng: np.random.Generator, count: int = 4000,
                      scales: tuple[int, int] = (1, 30)) -> dict:
    """Is ``theta`` a local minimum?  Risk differences at random perturbations, in rounding units.

    Draws ``count`` perturbations ``d`` uniform in ``[-1/2, 1/2]^P`` scaled by
    ``2^-k`` (``k`` uniform in ``scales``) and returns ``ratio = min_d (L(theta + d) -
    L(theta)) / (E(theta) + E(theta + d))`` with ``E`` the rigorous rounding bound
    of :func:`loss_roundoff_bound` (capped at 1 from above): ``ratio >= -1`` means no
    sampled perturbation lowers the risk beyond rounding; ``ratio < -1`` is a
    certified descent (then ``drop`` is the largest decrease found and ``direction``
    its perturbation).

    Examples
    --------
    >>> net = Network((1, 1, 1), "relu")
    >>> x, y = [[0.0], [1.0], [2.0]], [-0.25, 1.5, 1.75]     # the kink minimum, s = 1/4
    >>> perturbation_test(net, [1.0, 0.0, 1.0, 0.0], x, y, np.random.default_rng(0))["ratio"] >= -1
    True
    >>> y = [0.25, 0.5, 2.25]                                 # s = -1/4: not a minimum
    >>> perturbation_test(net, [1.0, 0.0, 1.0, 0.0], x, y, np.random.default_rng(0))["ratio"] < -1
    True
    """
    th = np.asarray(theta, dtype=np.float64)
    lo, hi = scales
    d = rng.uniform(-0.5, 0.5, size=(count, th.size))
    d *= 2.0 ** -rng.integers(lo, hi, size=(count, 1))
    L0 = net.risk(th, x, y)
    dL = net.risk(th + d, x, y) - L0
    E0 = loss_roundoff_bound(net, th, x, y)
    ratio, drop, where = 1.0, 0.0, None
    for i in np.nonzero(dL < 0)[0]:
        r = float(dL[i]) / (E0 + loss_roundoff_bound(net, th + d[i], x, y))
        if r < ratio:
            ratio = r
        if dL[i] < drop:
            drop, where = float(dL[i]), d[i]
    return {"ratio": ratio, "drop": drop,
            "direction": None if where is None else [float(v) for v in where]}


def risk_slice(net: Network, theta: ArrayLike, x: ArrayLike, y: ArrayLike, k: int,
               steps: ArrayLike) -> list[float]:
    """``L(theta + h e_k) - L(theta)`` for each ``h`` in ``steps`` (a coordinate slice of the risk).

    Examples
    --------
    >>> net = Network((1, 1, 1), "relu")
    >>> x = [[0.0], [1.0], [2.0]]
    >>> s = risk_slice(net, [1.0, 0.0, 1.0, 0.0], x, [-0.25, 1.5, 1.75], 1, [-0.1, 0.0, 0.1])
    >>> s[0] > 0 and s[1] == 0.0 and s[2] > 0      # s = 1/4: b = 0 is a minimum along b
    True
    >>> risk_slice(net, [1.0, 0.0, 1.0, 0.0], x, [0.25, 0.5, 2.25], 1, [-0.1])[0] < 0   # s = -1/4
    True
    """
    th = np.asarray(theta, dtype=np.float64)
    h = np.asarray(steps, dtype=np.float64)
    pts = np.tile(th, (h.size, 1))
    pts[:, k] += h
    return [float(v) for v in net.risk(pts, x, y) - net.risk(th, x, y)]
