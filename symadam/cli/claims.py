"""``symadam claims``: list registered claims (id, paper, statement, depends_on)."""
from __future__ import annotations

from ..claims import load_all
from ._common import add_json, emit_json

COMMAND = "claims"


def add_parser(sub):
    p = sub.add_parser(COMMAND, help="list the registered claims")
    add_json(p)
    return p


def run(args) -> int:
    claims = load_all()
    rows = [claims[i].summary() for i in sorted(claims)]
    if args.json:
        emit_json({"claims": rows})
    else:
        for r in rows:
            dep = f"  [after {', '.join(r['depends_on'])}]" if r["depends_on"] else ""
            print(f"{r['id']:<40} {r['paper']:<12} {r['statement']}{dep}")
    return 0
