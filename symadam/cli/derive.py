"""``symadam derive``: print a claim's derivation (LaTeX or Markdown), or regenerate proofs/."""
from __future__ import annotations

import argparse
import sys

from ..core import load_all
from ..core.cli_common import add_json, emit_json
from ..core.report import proof_families, render_proof, write_proofs

COMMAND = "derive"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam derive [CLAIM_ID] [--format] [--family F] [--proofs DIR] [--json]``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> build_parser().parse_args(["derive", "rates.gd"]).format
    'latex'
    """
    p = sub.add_parser(COMMAND, help="print the derivation of a claim")
    p.add_argument("claim_id", nargs="?", metavar="CLAIM_ID")
    p.add_argument("--format", choices=("latex", "markdown"), default="latex")
    p.add_argument("--family", default=None, help="a whole family as one LaTeX document")
    p.add_argument("--proofs", default=None, metavar="DIR",
                   help="regenerate every family's document into DIR (e.g. proofs)")
    add_json(p)
    return p


def run(args: "argparse.Namespace") -> int:
    """Print one claim's derivation, a family's LaTeX document, or regenerate ``proofs/``.

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["derive", "rates.gd", "--format", "markdown"])  # doctest: +ELLIPSIS
    ### Gradient descent: optimal constant tuning on quadratics
    ...
    0
    """
    if args.proofs is not None:   # write_proofs checks DIR before rendering anything
        paths = write_proofs(args.proofs)
        if args.json:
            emit_json({"written": [str(p) for p in paths]})
        else:
            print("\n".join(str(p) for p in paths))
        return 0
    if args.family is not None:
        fams = proof_families()
        if args.family not in fams:
            raise ValueError(f"family must be one of {', '.join(fams)}; got {args.family!r}")
        sys.stdout.write(render_proof(args.family))
        return 0
    claims = load_all()
    if args.claim_id is None:
        raise ValueError("give CLAIM_ID, --family or --proofs")
    if args.claim_id not in claims:
        raise ValueError(f"CLAIM_ID {args.claim_id!r} is not a registered claim "
                         "(see `symadam claims`)")
    der = claims[args.claim_id].derive()
    text = der.to_latex() if args.format == "latex" else der.to_markdown()
    if args.json:
        emit_json({"claim": args.claim_id, "format": args.format, "text": text,
                   "results": {k: str(v) for k, v in der.results.items()}})
    else:
        sys.stdout.write(text)
    return 0
