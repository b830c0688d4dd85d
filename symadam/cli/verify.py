"""``symadam verify``: derive and independently check claims; the main job."""
from __future__ import annotations

import argparse
import sys
import time

from ..core import run_claims, select
from ..core.cli_common import add_dps, add_json, emit_json, progress_bar
from ..core.parallel import make_executor
from ..core.report import summarize, write_report
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
    p.add_argument("--workers", type=int, default=None, help="local worker processes")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address")
    p.add_argument("--report", default=None, metavar="DIR", help="write a report to DIR")
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

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["verify", "rates.gd", "--seed", "-1"])   # bad input: exit 2, nothing run
    2
    """
    check_dps(args.dps)
    check_int("seed", args.seed, minimum=0)
    if args.workers is not None:
        check_int("workers", args.workers)
    ids = select(args.prefixes)
    if args.sabotage:
        return _run_sabotages(args, ids)
    t0 = time.perf_counter()
    bar = progress_bar(len(ids), not args.json, "verify")

    def progress(ev):
        if bar is not None:
            bar.update(1)
        elif not args.json:
            digits = "" if ev.digits is None else f" ({ev.digits} digits)"
            proof = (" [proven]" if ev.certified else "") if args.certify else ""
            print(f"{ev.status:<9} {ev.claim_id:<40} {ev.seconds:7.2f}s{digits}{proof}",
                  flush=True)

    executor = make_executor(args.workers, args.scheduler)
    try:
        evidence = run_claims(ids, dps=args.dps, seed=args.seed, executor=executor,
                              progress=progress, certify=args.certify)
    finally:
        getattr(executor, "close", lambda: None)()
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - t0
    summary = summarize(evidence, seconds)
    if args.report:
        write_report(args.report, evidence, seconds)
    if args.json:
        emit_json({"claims": [e.to_dict() for e in evidence], "summary": summary})
    else:
        if bar is not None:
            for ev in evidence:
                print(f"{ev.status:<9} {ev.claim_id}")
        print(f"{summary['verified']} verified, {summary['failed']} failed, "
              f"{summary['error']} error in {summary['seconds']:.1f} s")
        if args.certify:
            proven = [e.claim_id for e in evidence if e.certified]
            print(f"{len(proven)} of {len(evidence)} proven by certified routes"
                  + (f": {', '.join(proven)}" if proven else ""))
        for ev in evidence:
            if ev.status != "verified":
                why = ev.details.get("exception") or ev.details.get("reason") or ev.residual
                print(f"  {ev.status}: {ev.claim_id}: {why}", file=sys.stderr)
    return 0 if summary["failed"] == 0 and summary["error"] == 0 else 1


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
