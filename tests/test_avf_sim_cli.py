"""Stochastic Adam simulation (against a plain loop and torch) and the ``symadam avf`` CLI."""
import json

import numpy as np
import pytest

from symadam.avf.laws import parse_data
from symadam.avf.sim_np import loglog_slope, simulate_adam
from symadam.cli import main


class _Replay:
    """A law stand-in that replays fixed draws, so two implementations see the same data."""

    kind = "discrete"


def _draws(law, n_steps, n_runs, seed):
    from symadam.avf.mc_np import sample_batch_means

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    return sample_batch_means(law, (n_steps, n_runs), rng, discrete="cdf")


def test_simulation_matches_plain_loop():
    law = parse_data("bernoulli:0.3")
    n, R = 300, 4
    r = simulate_adam(law, 0.5, 1e-2, 0.9, 0.99, 1e-8, n, R, seed=5, block=n)
    X = _draws(law, n, R, 5)
    for j in range(R):
        th, m, v = 0.5, 0.0, 0.0
        for i in range(n):
            g = th - X[i, j]
            m = 0.9 * m + 0.1 * g
            v = 0.99 * v + 0.01 * g * g
            th -= 1e-2 * (m / (1 - 0.9**(i + 1))) / (1e-8 + np.sqrt(v / (1 - 0.99**(i + 1))))
        assert abs(th - r["final"][j]) < 1e-12


def test_simulation_matches_torch_adam():
    torch = pytest.importorskip("torch")
    law = parse_data("normal:0,1")
    n, R = 200, 3
    r = simulate_adam(law, 0.3, 1e-2, 0.9, 0.999, 1e-8, n, R, seed=9, block=n)
    X = _draws(law, n, R, 9)
    for j in range(R):
        p = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([p], lr=1e-2, betas=(0.9, 0.999), eps=1e-8)
        for i in range(n):
            opt.zero_grad()
            loss = 0.5 * (p - float(X[i, j]))**2
            loss.sum().backward()
            opt.step()
        assert abs(p.item() - r["final"][j]) < 1e-12


def test_symmetric_data_unbiased_and_bad_input():
    r = simulate_adam(parse_data("uniform:-1,1"), 0.0, 2e-3, 0.9, 0.99, 0.0, 3000, 400, seed=2)
    assert abs(r["mean"]) < 4 * r["se"]
    with pytest.raises(ValueError, match="lr"):
        simulate_adam(parse_data("rademacher"), 0.0, 0.0, 0.9, 0.99, 0.0, 10, 4, seed=0)


def test_loglog_slope():
    s, se = loglog_slope([1, 2, 4, 8], [3, 3 * 2**0.5, 6, 6 * 2**0.5])
    assert abs(s - 0.5) < 1e-12 and se < 1e-10


def test_cli_eval_json(capsys):
    assert main(["avf", "eval", "--data", "rademacher", "--theta", "0.5", "--beta2", "0.99",
                 "--dps", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"theta", "value", "digits"} and out["digits"] == 20
    # theta = 1/2: G in {-1/2, 3/2}; cross-check sign and range
    assert 0 < float(out["value"]) < 1


def test_cli_bias_json(capsys):
    assert main(["avf", "bias", "--data", "bernoulli:0.1", "--beta2", "0.99", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["first_order_bias_exact"] == "-2/545"


@pytest.mark.parametrize("argv", [
    ["avf", "eval", "--data", "bernoulli:1.2"],
    ["avf", "eval", "--data", "bernoulli:0.1", "--beta2", "0.5"],
    ["avf", "eval", "--data", "bernoulli:0.1", "--beta1", "1"],
    ["avf", "eval", "--data", "bernoulli:0.1", "--eps", "-1"],
    ["avf", "eval", "--data", "bernoulli:0.1", "--batch", "0"],
    ["avf", "eval", "--data", "nonsense"],
    ["avf", "zero", "--data", "uniform:1,0", "--batch", "2"],
    ["avf", "eval", "--data", "bernoulli:0.1", "--dps", "3"],
])
def test_cli_bad_input_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error" in err


@pytest.mark.slow
def test_cli_zero_done_when(capsys):
    argv = ["avf", "zero", "--data", "bernoulli:0.1", "--beta1", "0.9", "--beta2", "0.99",
            "--json"]
    assert main(argv + ["--dps", "30"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(argv + ["--dps", "40"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a["zero"] == b["zero"][:len(a["zero"])] or a["zero"] == f"{float(b['zero']):.30g}"
    assert set(a) >= {"zero", "minimizer", "bias", "first_order_bias", "digits"}
