"""Efficiency margins, symmetries and canonical forms."""
import numpy as np
import pytest

from symadam import Network
from symadam.morse.efficiency_np import (
    canonicalize,
    classify_efficiency,
    efficiency_margins,
    join_parameters,
    split_parameters,
)


def _random_symmetry(theta, d, act, rng):
    w, b, v, c = split_parameters(theta, d)
    perm = rng.permutation(len(v))
    w, b, v = w[perm], b[perm], v[perm]
    for j in range(len(v)):
        if rng.random() < 0.5:
            if act == "logistic":
                c += v[j]
            w[j], b[j], v[j] = -w[j], -b[j], -v[j]
    return join_parameters(w, b, v, c)


@pytest.mark.parametrize("act", ["tanh", "logistic"])
@pytest.mark.parametrize("d", [1, 2])
def test_symmetries_preserve_realization_and_canonical_form(act, d):
    rng = np.random.default_rng(4)
    net = Network((d, 4, 1), act)
    x = rng.normal(size=(7, d))
    for _ in range(5):
        th = rng.normal(size=net.num_params)
        th2 = _random_symmetry(th, d, act, rng)
        assert np.allclose(net.realization(th, x), net.realization(th2, x), atol=1e-13)
        assert np.allclose(canonicalize(th, d, act), canonicalize(th2, d, act), atol=1e-13)
        m1, m2 = efficiency_margins(th, d, act), efficiency_margins(th2, d, act)
        assert np.allclose(m1, m2)


def test_sign_flip_is_not_a_symmetry_for_softplus():
    th = join_parameters([[1.0], [0.5]], [0.2, -0.3], [1.0, 2.0], 0.0)
    net = Network((1, 2, 1), "softplus")
    w, b, v, c = split_parameters(th, 1)
    w[0], b[0], v[0] = -w[0], -b[0], -v[0]
    x = np.linspace(-1, 1, 5)
    assert not np.allclose(net.realization(th, x), net.realization(join_parameters(w, b, v, c), x))


def test_margins_detect_each_redundancy():
    base = dict(w=[[1.0], [2.0]], b=[0.0, 1.0], v=[1.0, -1.0], c=0.3)
    assert classify_efficiency(join_parameters(**base), 1, "tanh") == "efficient"
    zero_v = join_parameters(base["w"], base["b"], [1.0, 0.0], 0.3)
    zero_w = join_parameters([[1.0], [0.0]], base["b"], base["v"], 0.3)
    dup = join_parameters([[1.0], [1.0]], [0.0, 0.0], base["v"], 0.3)
    anti = join_parameters([[1.0], [-1.0]], [0.5, -0.5], base["v"], 0.3)
    for th in (zero_v, zero_w, dup, anti):
        assert classify_efficiency(th, 1, "tanh") == "redundant"
    assert classify_efficiency(anti, 1, "gelu") == "efficient"       # not a reduction for GELU
    near = join_parameters([[1.0], [1.0 + 1e-4]], [0.0, 0.0], base["v"], 0.3)
    assert classify_efficiency(near, 1, "tanh") == "borderline"
    # the bias alone never makes a neuron redundant
    assert efficiency_margins(join_parameters([[1.0], [2.0]], [0.0, 0.0], [1.0, 1.0], 0),
                              1, "tanh").margin == pytest.approx(1.0)


def test_bad_tolerances():
    with pytest.raises(ValueError, match="tolerances"):
        classify_efficiency(np.zeros(4), 1, "tanh", tol_efficient=1e-6, tol_redundant=1e-3)
