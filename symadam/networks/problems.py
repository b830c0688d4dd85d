"""Seeded random regression problems on a fixed input design.

Two target families (arXiv 2504.08867 draws random, Gaussian-process type
targets):

* ``"gp"``: ``y = f(x_i)`` with ``f`` a centred Gaussian process with the
  squared-exponential kernel ``k(x, x') = s^2 exp(-|x - x'|^2 / (2 l^2))``,
  variance ``s^2 = 1`` and length scale ``l = 0.3`` by default (rough enough
  that the smallest Hessian eigenvalues of width-2 fits stay well above the
  float64 certification floor; smoother targets give near-interpolating
  fits with eigenvalues ~1e-8); sampled
  exactly at the design points through an eigendecomposition of the kernel
  matrix (negative round-off eigenvalues clipped to 0).
* ``"teacher"``: ``y = N_teacher(x_i)`` for a random tanh network of larger
  width (weights and biases N(0, 2^2), output weights N(0, 1)).

The design is fixed: ``n`` equispaced points in ``[-1, 1]`` for ``d = 1``;
for ``d > 1`` a fixed uniform sample of ``[-1, 1]^d`` (seed 0), the same for
every problem.  Problem ``i`` of a sweep with root seed ``s`` draws from
``SeedSequence(s, spawn_key=(i,))``, so its data do not depend on which
worker computes it.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.validate import check_choice, check_int, check_positive

__all__ = ["RegressionProblem", "fixed_design", "problem_seed", "gp_targets",
           "teacher_targets", "make_problem"]


class RegressionProblem(NamedTuple):
    """Inputs ``x (n, d)``, targets ``y (n,)`` and how they were drawn."""

    x: np.ndarray
    y: np.ndarray
    kind: str
    seed: int
    index: int


def fixed_design(n: int, d: int = 1) -> np.ndarray:
    """The fixed input design ``(n, d)``: equispaced in ``[-1, 1]`` when ``d = 1``.

    Examples
    --------
    >>> fixed_design(3)[:, 0]
    array([-1.,  0.,  1.])
    """
    check_int("points", n, 1)
    check_int("d", d, 1)
    if d == 1:
        return np.linspace(-1.0, 1.0, n)[:, None]
    return np.random.default_rng(np.random.SeedSequence(0)).uniform(-1.0, 1.0, size=(n, d))


def problem_seed(seed: int, index: int) -> np.random.SeedSequence:
    """``SeedSequence(seed, spawn_key=(index,))``: the stream of problem ``index``.

    Examples
    --------
    >>> problem_seed(7, 3).spawn_key
    (3,)
    >>> problem_seed(-1, 0)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an integer >= 0, got -1
    """
    for name, v in (("seed", seed), ("index", index)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {v!r}")
    return np.random.SeedSequence(int(seed), spawn_key=(int(index),))


def gp_targets(x: np.ndarray, rng: np.random.Generator, length_scale: float = 0.3,
               variance: float = 1.0) -> np.ndarray:
    """A draw of a centred squared-exponential Gaussian process at the points ``x``.

    Examples
    --------
    >>> y = gp_targets(fixed_design(5), np.random.default_rng(0))
    >>> y.shape
    (5,)
    """
    check_positive("length_scale", length_scale)
    check_positive("variance", variance)
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    sq = np.sum((x[:, None, :] - x[None, :, :]) ** 2, axis=-1)
    K = variance * np.exp(-sq / (2.0 * length_scale ** 2))
    lam, U = np.linalg.eigh(K)
    return U @ (np.sqrt(np.clip(lam, 0.0, None)) * rng.standard_normal(len(lam)))


def teacher_targets(x: np.ndarray, rng: np.random.Generator, width: int = 8) -> np.ndarray:
    """Outputs of a random tanh teacher network of ``width`` neurons at ``x``.

    Examples
    --------
    >>> teacher_targets(fixed_design(4), np.random.default_rng(1)).shape
    (4,)
    """
    check_int("teacher width", width, 1)
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    w = 2.0 * rng.standard_normal((width, x.shape[1]))
    b = 2.0 * rng.standard_normal(width)
    v = rng.standard_normal(width) / np.sqrt(width)
    return np.tanh(x @ w.T + b) @ v


def make_problem(seed: int, index: int, points: int, d: int = 1, kind: str = "gp",
                 length_scale: float = 0.3) -> RegressionProblem:
    """Problem ``index`` of the sweep with root ``seed``: fixed design, random targets.

    Examples
    --------
    >>> p = make_problem(0, 1, 6)
    >>> p.x.shape, p.y.shape, p.kind
    ((6, 1), (6,), 'gp')
    >>> bool(np.all(make_problem(0, 1, 6).y == p.y))
    True
    """
    check_choice("kind", kind, ("gp", "teacher"))
    x = fixed_design(points, d)
    rng = np.random.default_rng(problem_seed(seed, index))
    y = gp_targets(x, rng, length_scale) if kind == "gp" else teacher_targets(x, rng)
    return RegressionProblem(x, y, kind, int(seed), int(index))
