"""Benchmark: exact Hessians + eigenvalues of width-3 tanh networks; Dask speed-up of a sweep.

Run: ``python benchmarks/bench_morse.py [--networks 20000] [--torch-networks 400]
[--problems 40]``.  Prints networks/s for the batched numpy route
(:func:`symadam.networks.hessian.risk_derivatives` + one batched ``eigvalsh``)
and for ``torch.func.hessian`` + ``torch.linalg.eigvalsh`` per network, both in
float64 in the same run, their ratio, and the wall times of the same Morse
sweep run serially and on a 2-worker Dask ``LocalCluster`` (processes).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np


def bench_hessians(n_networks: int, n_torch: int, points: int = 40) -> dict:
    from symadam.networks.hessian import risk_derivatives

    rng = np.random.default_rng(0)
    m, d = 3, 1
    x = np.linspace(-1, 1, points)[:, None]
    y = np.sin(3 * x[:, 0])
    th = rng.normal(size=(n_networks, m * (d + 2) + 1))
    t0 = time.perf_counter()
    ev_np = np.linalg.eigvalsh(risk_derivatives(th, x, y, "tanh").hess)
    t_np = time.perf_counter() - t0
    out = {"numpy_networks": n_networks, "numpy_seconds": t_np,
           "numpy_per_s": n_networks / t_np}
    try:
        import torch
    except ImportError:
        out["torch"] = "not installed"
        return out
    torch.set_num_threads(1)
    X = torch.tensor(x, dtype=torch.float64)
    Y = torch.tensor(y, dtype=torch.float64)

    def L(t):
        w, b, v, c = t[:3].reshape(3, 1), t[3:6], t[6:9], t[9]
        return ((c + torch.tanh(X @ w.T + b) @ v - Y) ** 2).mean()

    hess = torch.func.hessian(L)
    tt = torch.tensor(th[:n_torch], dtype=torch.float64)
    hess(tt[0])                                                   # warm-up
    t0 = time.perf_counter()
    evs = [torch.linalg.eigvalsh(hess(tt[k])) for k in range(n_torch)]
    t_t = time.perf_counter() - t0
    ev_t = torch.stack(evs).numpy()
    out.update({"torch_networks": n_torch, "torch_seconds": t_t, "torch_per_s": n_torch / t_t,
                "ratio": (n_networks / t_np) / (n_torch / t_t),
                "max_eig_difference": float(np.max(np.abs(ev_t - ev_np[:n_torch])))})
    return out


def bench_dask(problems: int) -> dict:
    from symadam.core.parallel import DaskExecutor
    from symadam.morse.sweep import morse_sweep

    t0 = time.perf_counter()
    s_serial, r_serial = morse_sweep("tanh", 2, 10, problems, seed=0)
    t_serial = time.perf_counter() - t0
    try:
        import distributed
    except ImportError:
        return {"serial_seconds": t_serial, "dask": "not installed"}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            ex = DaskExecutor(client)
            morse_sweep("tanh", 2, 10, 8, seed=1, executor=ex)      # warm up both workers
            t0 = time.perf_counter()
            s_dask, r_dask = morse_sweep("tanh", 2, 10, problems, seed=0, executor=ex, chunk=50)
            t_dask = time.perf_counter() - t0
    return {"problems": problems, "serial_seconds": t_serial, "dask_seconds": t_dask,
            "speedup": t_serial / t_dask, "identical": r_serial == r_dask}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--networks", type=int, default=20000)
    p.add_argument("--torch-networks", type=int, default=400)
    p.add_argument("--problems", type=int, default=40)
    a = p.parse_args()
    res = {"machine": f"{platform.machine()}, {os.cpu_count()} cores",
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "hessians": bench_hessians(a.networks, a.torch_networks),
           "dask": bench_dask(a.problems)}
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
