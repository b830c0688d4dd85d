"""``symadam cite [CLAIM_ID ...]``: the BibTeX of the papers behind claims.

Every claim records the arXiv id of its paper (``symadam claims``); the
entries live in ``symadam/data/papers.bib`` (installed with the package).
Without arguments every paper is printed.  A ``CLAIM_ID`` may also be a
prefix (``rates`` selects ``rates.*``).  Claims of standard mathematics
(``paper = "standard"``) have no entry: a BibTeX comment says so.
Unknown ids: one line on stderr, exit status 2.
"""
from __future__ import annotations

import argparse
import re
import sys
from importlib import resources

from ..core import load_all
from ..core.cli_common import add_json, emit_json

COMMAND = "cite"

__all__ = ["COMMAND", "add_parser", "run", "bibliography", "papers_of"]

_ENTRY = re.compile(r"^@(\w+)\{([^,]+),\n(.*?)^\}\s*$", re.M | re.S)
_EPRINT = re.compile(r"eprint\s*=\s*\{([^}]+)\}")


def bibliography() -> dict[str, str]:
    """The BibTeX entries of ``symadam/data/papers.bib``, keyed by arXiv id.

    Examples
    --------
    >>> bib = bibliography()
    >>> "2504.19426" in bib, bib["2504.19426"].splitlines()[0]
    (True, '@misc{dereich2025sharp,')
    """
    text = resources.files("symadam").joinpath("data/papers.bib").read_text(encoding="utf-8")
    out = {}
    for m in _ENTRY.finditer(text):
        eprint = _EPRINT.search(m.group(3))
        if eprint:
            out[eprint.group(1).strip()] = m.group(0).strip() + "\n"
    return out


def papers_of(claim_ids: list[str]) -> dict[str, list[str]]:
    """Claim id -> the arXiv ids of its papers, for ids or prefixes (all claims if empty).

    Raises
    ------
    ValueError
        If an id matches no registered claim.

    Examples
    --------
    >>> papers_of(["rates.adam"])
    {'rates.adam': ['2504.19426']}
    >>> papers_of(["rates.gd"])
    {'rates.gd': []}
    >>> papers_of(["no.such"])
    Traceback (most recent call last):
    ...
    ValueError: CLAIM_ID 'no.such' matches no registered claim (see `symadam claims`)
    """
    claims = load_all()
    chosen: list[str] = []
    for p in claim_ids or sorted(claims):
        hit = sorted(i for i in claims if i == p or i.startswith(p.rstrip(".") + "."))
        if not hit:
            raise ValueError(f"CLAIM_ID {p!r} matches no registered claim (see `symadam claims`)")
        chosen += [i for i in hit if i not in chosen]
    return {i: [x for x in re.split(r"[,\s]+", claims[i].paper) if x and x != "standard"]
            for i in chosen}


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam cite [CLAIM_ID ...] [--json]``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> build_parser().parse_args(["cite", "rates.adam"]).claim_ids
    ['rates.adam']
    """
    p = sub.add_parser(COMMAND, help="print the BibTeX of the papers behind claims")
    p.add_argument("claim_ids", nargs="*", metavar="CLAIM_ID",
                   help="claim ids or prefixes (default: every paper)")
    add_json(p)
    return p


def run(args: "argparse.Namespace") -> int:
    """Print the BibTeX entries (each paper once, in order of first use).

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["cite", "rates.adam", "rates.rmsprop"])  # doctest: +ELLIPSIS
    @misc{dereich2025sharp,
      author        = {Dereich, Steffen and Jentzen, Arnulf and Riekert, Adrian},
    ...
    0
    """
    bib = bibliography()
    if not args.claim_ids:
        ids = list(bib)
        per_claim: dict[str, list[str]] = {}
    else:
        per_claim = papers_of(args.claim_ids)
        ids = []
        for papers in per_claim.values():
            ids += [x for x in papers if x not in ids]
    missing = [x for x in ids if x not in bib]
    if missing:  # a registered claim names a paper the bibliography lacks: a packaging bug
        raise ValueError(f"no BibTeX entry for arXiv {', '.join(missing)} "
                         "in symadam/data/papers.bib")
    standard = [i for i, p in per_claim.items() if not p]
    text = "".join(bib[x] + "\n" for x in ids).rstrip("\n") + "\n" if ids else ""
    if standard:
        text += f"% standard mathematics (no paper): {', '.join(standard)}\n"
    if args.json:
        emit_json({"claims": per_claim, "papers": ids, "bibtex": text})
    else:
        sys.stdout.write(text)
    return 0
