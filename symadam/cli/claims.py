"""``symadam claims``: list registered claims (id, paper, statement, depends_on)."""
from __future__ import annotations

import argparse

from ..core import load_all
from ..core.cli_common import add_json, emit_json

COMMAND = "claims"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam claims [--json]``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> build_parser().parse_args(["claims", "--json"]).json
    True
    """
    p = sub.add_parser(COMMAND, help="list the registered claims")
    add_json(p)
    return p


def run(args: "argparse.Namespace") -> int:
    """List every registered claim (one line each, or JSON); exit status 0.

    Examples
    --------
    >>> import contextlib, io
    >>> from symadam.cli import main
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = main(["claims"])
    >>> code, "rates.gd " in out.getvalue()
    (0, True)
    """
    claims = load_all()
    rows = [claims[i].summary() for i in sorted(claims)]
    if args.json:
        emit_json({"claims": rows})
    else:
        for r in rows:
            dep = f"  [after {', '.join(r['depends_on'])}]" if r["depends_on"] else ""
            prec = f"  [precision: {r['precision']}]" if r.get("precision") else ""
            print(f"{r['id']:<40} {r['paper']:<12} {r['statement']}{dep}{prec}")
    return 0
