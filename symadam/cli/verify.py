"""``symadam verify``: derive and independently check claims; the main job."""
from __future__ import annotations

import argparse
import sys
import time

from ..core import run_claims, select
from ..core.cli_common import add_dps, add_json, capped_workers, emit_json, fail, progress_bar
from ..core.parallel import available_cores, make_executor
from ..core.report import summarize
from ..core.validate import check_dps, check_int

COMMAND = "verify"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam verify PREFIX... [--dps] [--seed] [--workers|--scheduler] [--report]``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> build_parser().parse_args(["verify", "rates.gd", "--seed", "3"]).seed
    3
    """
    p = sub.add_parser(COMMAND, help="verify claims (all, or those matching PREFIX)")
    p.add_argument("prefixes", nargs="*", metavar="PREFIX", help="claim id or id prefix")
    add_dps(p)
    p.add_argument("--seed", type=int, default=0, help="root random seed (default 0)")
    p.add_argument("--workers", type=int, default=None,
                   help="local worker processes (default: one per available core; "
                        "1 runs serially in this process)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address")
    p.add_argument("--report", default=None, metavar="DIR",
                   help="write a report set to DIR (new, empty, or an earlier report: "
                        "replaced as a whole; checked before any work)")
    p.add_argument("--sabotage", action="store_true",
                   help="run each selected claim's check against its declared wrong answer "
                        "instead; exit 0 iff every sabotage is caught")
    p.add_argument("--certify", action="store_true",
                   help="also run the certified (ball-arithmetic) routes; each Evidence says "
                        "whether its claim is proven ('certified') and gives the enclosures")
    add_json(p)
    return p


def run(args: "argparse.Namespace") -> int:
    """Verify the selected claims; exit status 0 if all verified, 1 otherwise.

    Order of work (nothing is lost on a fault): arguments and the report directory are
    checked first (exit 2); the claims run; the results are printed (``--json``: the JSON
    document) *before* the report set is written, which then replaces any earlier set as
    a whole.  A lost cluster keeps the finished claims (printed and reported) and exits 1
    with one line.

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["verify", "rates.gd", "--seed", "-1"])   # bad input: exit 2, nothing run
    2
    >>> main(["verify", "rates.gd", "--report", ""])    # refused before any work
    2
    """
    from ..core.parallel import ExecutorLost
    from ..core.record import Evidence
    from ..core.report import manifest, prepare_report

    check_dps(args.dps)
    check_int("seed", args.seed, minimum=0)
    workers = capped_workers(args.workers)
    ids = select(args.prefixes)
    if workers is None and args.scheduler is None:   # default: the cores this process may use
        workers = max(1, min(available_cores(), len(ids)))
    if args.sabotage:
        return _run_sabotages(args, ids)
    report = None
    if args.report is not None:   # checked (and staged) before any work
        report = prepare_report(args.report, manifest(seed=args.seed, dps=args.dps,
                                                      claims=ids, workers=workers,
                                                      scheduler=args.scheduler))
    try:
        t0 = time.perf_counter()
        bar = progress_bar(len(ids), not args.json, "verify")
        finished: dict[str, Evidence] = {}

        def progress(ev):
            finished[ev.claim_id] = ev
            if bar is not None:
                bar.update(1)
            elif not args.json:
                digits = "" if ev.digits is None else f" ({ev.digits} digits)"
                proof = (" [proven]" if ev.certified else "") if args.certify else ""
                print(f"{ev.status:<9} {ev.claim_id:<40} {ev.seconds:7.2f}s{digits}{proof}",
                      flush=True)

        lost = None
        blas = _one_blas_thread()   # before the pool forks: its workers inherit the limit
        executor = make_executor(workers, args.scheduler)
        try:
            evidence = run_claims(ids, dps=args.dps, seed=args.seed, executor=executor,
                                  progress=progress, certify=args.certify)
        except ExecutorLost as exc:   # keep what finished; the rest is marked not run
            lost = str(exc)
            for ev in exc.partial.values():
                if isinstance(ev, Evidence):
                    finished.setdefault(ev.claim_id, ev)
            evidence = [finished.get(i) or Evidence(
                i, "error", "not run", "n/a", None, 0.0,
                {"reason": "the cluster was lost before this claim ran"}) for i in ids]
        finally:
            getattr(executor, "close", lambda: None)()
            blas.unregister()
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - t0
        summary = summarize(evidence, seconds)
        if lost is not None:
            summary["lost"] = lost
        _print_results(args, evidence, summary, bar is not None)
        if report is not None:
            try:
                report.write(evidence, seconds)
            except OSError as exc:
                return fail(f"report: cannot write {report.directory} ({exc.strerror or exc}); "
                            "the results above are complete, the previous report is unchanged")
            if not args.json:
                print(f"report written to {report.directory}")
    finally:
        if report is not None:
            report.abort()   # a no-op once written; on Ctrl-C or a crash: no partial set
    if lost is not None:
        return fail(lost, code=1)
    return 0 if summary["failed"] == 0 and summary["error"] == 0 else 1


def _one_blas_thread():
    """Limit BLAS to one thread while claims run (undone by ``.unregister()``).

    The claims' matrices are small: a second BLAS thread does not speed them up, but it
    spin-waits for work, and on a busy machine that tripled ``existence.relu_exact``'s time
    (its L-BFGS-B restarts).  Parallelism comes from the worker processes instead.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


def _print_results(args: "argparse.Namespace", evidence: list, summary: dict,
                   had_bar: bool) -> None:
    if args.json:
        emit_json({"claims": [e.to_dict() for e in evidence], "summary": summary})
        sys.stdout.flush()
        return
    if had_bar:
        for ev in evidence:
            print(f"{ev.status:<9} {ev.claim_id}")
    print(f"{summary['verified']} verified, {summary['failed']} failed, "
          f"{summary['error']} error in {summary['seconds']:.1f} s", flush=True)
    if getattr(args, "certify", False):
        proven = [e.claim_id for e in evidence if e.certified]
        print(f"{len(proven)} of {len(evidence)} proven by certified routes"
              + (f": {', '.join(proven)}" if proven else ""), flush=True)
    for ev in evidence:
        if ev.status != "verified":
            why = ev.details.get("exception") or ev.details.get("reason") or ev.residual
            print(f"  {ev.status}: {ev.claim_id}: {why}", file=sys.stderr)


def _run_sabotages(args: "argparse.Namespace", ids: list[str]) -> int:
    """``verify --sabotage``: every check against its wrong answer; exit 0 iff all are caught."""
    from ..core.sabotage import run_sabotages

    if args.prefixes:  # only the named claims, not the dependencies select() pulls in
        ids = [i for i in ids if any(i == p or i.startswith(p.rstrip(".") + ".")
                                     for p in args.prefixes)]
    t0 = time.perf_counter()
    bar = progress_bar(len(ids), not args.json, "sabotage")

    def progress(r):
        if bar is not None:
            bar.update(1)
        elif not args.json:
            print(f"{'caught' if r.caught else 'MISSED':<7} {r.claim_id:<40} {r.seconds:7.2f}s  "
                  f"{r.sabotage}", flush=True)

    try:
        results = run_sabotages(ids, dps=args.dps, seed=args.seed, progress=progress,
                                certify=args.certify)
    finally:
        if bar is not None:
            bar.close()
    caught = sum(r.caught for r in results)
    summary = {"caught": caught, "missed": len(results) - caught,
               "seconds": round(time.perf_counter() - t0, 3)}
    if args.json:
        emit_json({"claims": [r.to_dict() for r in results], "summary": summary})
    else:
        if bar is not None:
            for r in results:
                print(f"{'caught' if r.caught else 'MISSED':<7} {r.claim_id:<40} {r.sabotage}")
        print(f"{summary['caught']} sabotages caught, {summary['missed']} missed in "
              f"{summary['seconds']:.1f} s")
        for r in results:
            if not r.caught:
                print(f"  missed: {r.claim_id}: {r.sabotage} -> {r.status}", file=sys.stderr)
    return 0 if summary["missed"] == 0 else 1
