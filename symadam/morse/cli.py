"""``symadam morse``: Morse-property sweep over random regression problems (arXiv 2504.08867)."""
from __future__ import annotations

import argparse
import time

from ..core.cli_common import add_json, capped_workers, emit_json, progress_bar
from ..core.parallel import make_executor
from ..core.validate import check_int, check_memory, check_work

COMMAND = "morse"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam morse [--activation] [--width] [--points] [--problems] ...``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> a = build_parser().parse_args(["morse", "--activation", "gelu", "--points", "12"])
    >>> a.activation, a.width, a.points, a.targets
    ('gelu', 2, 12, 'gp')
    """
    p = sub.add_parser(COMMAND, help="count critical points per class on random problems and "
                                     "report their Hessian eigenvalue statistics")
    p.add_argument("--activation", default="tanh",
                   help="analytic activation: tanh, logistic, softplus, gelu (default tanh)")
    p.add_argument("--width", type=int, default=2, help="hidden width m (default 2)")
    p.add_argument("--points", type=int, default=10,
                   help="data points n, at least m(d+2)+1 (default 10)")
    p.add_argument("--problems", type=int, default=100, help="random problems (default 100)")
    p.add_argument("--restarts", type=int, default=4, help="starts per problem (default 4)")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    p.add_argument("--targets", choices=("gp", "teacher"), default="gp",
                   help="Gaussian-process targets (default) or a random wider tanh teacher")
    p.add_argument("--dps", type=int, default=40,
                   help="digits of the mpmath stage for points float64 cannot decide "
                        "(default 40, at least 20)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, default=None, help="local worker processes")
    g.add_argument("--scheduler", default=None, help="Dask scheduler address")
    add_json(p)
    return p


#: Documented limit of ``problems x restarts x points x P^2`` (``P = 3 width + 1``): the
#: sweep's cost grows like it (measured ~1e-5 s per unit on one core, plus ~0.2 s per
#: problem and restart); at the limit, about half an hour.
MAX_WORK = 2e8


def _guard(args: "argparse.Namespace") -> None:
    """Refuse sweeps beyond the documented work and memory limits, before any work."""
    n, P = args.points, 3 * args.width + 1
    check_int("seed", args.seed, minimum=0)
    # per problem: the targets' n x n covariance (3 arrays), the restarts' n x P Jacobians
    check_memory(f"morse --points {n} --width {args.width}",
                 8.0 * max(3.0 * n * n, 2.0 * args.restarts * n * P))
    check_work("morse", float(args.problems) * args.restarts * n * P * P, MAX_WORK,
               "problems x restarts x points x P^2 (P = 3 width + 1)")


def run(args: "argparse.Namespace") -> int:
    """Run the sweep (float64 certificate, mpmath stage for undecided points), print or emit JSON.

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["morse", "--width", "2", "--points", "6"])   # bad input: exit 2, nothing run
    2
    """
    from .sweep import check_sweep_arguments, morse_sweep

    check_sweep_arguments(args.activation, args.width, args.points, args.problems,
                          args.restarts)
    check_int("dps", args.dps, minimum=20)
    _guard(args)
    workers = capped_workers(args.workers)
    bar = progress_bar(args.problems, not args.json, "morse")
    executor = make_executor(workers, args.scheduler)
    t0 = time.perf_counter()
    try:
        summary, results = morse_sweep(args.activation, args.width, args.points, args.problems,
                                 seed=args.seed, restarts=args.restarts, executor=executor,
                                 kind=args.targets, dps=args.dps,
                                 progress=(bar.update if bar is not None else None))
    finally:
        getattr(executor, "close", lambda: None)()
        if bar is not None:
            bar.close()
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    summary["workers"] = getattr(executor, "workers", 1)
    if args.json:
        emit_json(summary)
        return 0
    print(f"{summary['problems']} problems ({args.activation}, width {args.width}, "
          f"{args.points} points, seed {args.seed}) in {summary['seconds']} s")
    for dom, labels in summary["by_domain"].items():
        for k, v in labels.items():
            if v:
                print(f"  {dom:<11} {k:<18} {v}")
    runs = summary["runs"]
    print(f"  runs: {runs['escaped']} escaped (left the box), {runs['not_converged']} not "
          f"converged, {runs['duplicate']} duplicates merged")
    st = summary["efficient_min_abs_eigenvalue"]
    frac = summary["efficient_nondegenerate_fraction"]
    print(f"efficient critical points: {summary['efficient_critical_points']}, certified "
          f"nondegenerate fraction: {frac} (float64 certificate alone: "
          f"{summary['efficient_certified_float64_fraction']}; "
          f"{summary['efficient_certified_mpmath']} certified in mpmath at {args.dps} digits)")
    if st["count"]:
        print(f"min |eigenvalue| on the efficient domain: min {st['min']:.3e}, "
              f"median {st['median']:.3e}")
    return 0
