"""Shared pieces of the command line: one-line errors, JSON output, progress."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def fail(message: str) -> int:
    """Print ``symadam: error: message`` (one line) to stderr; return 2."""
    sys.stderr.write("symadam: error: " + " ".join(str(message).split()) + "\n")
    return 2


def add_json(p: argparse.ArgumentParser) -> None:
    """Add the ``--json`` flag every command takes."""
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


def add_dps(p: argparse.ArgumentParser, default: int = 50) -> None:
    """Add ``--dps N`` (working precision in decimal digits)."""
    p.add_argument("--dps", type=int, default=default, help=f"decimal digits (default {default})")


def emit_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout (numbers with more than float64 precision as strings)."""
    sys.stdout.write(json.dumps(obj, indent=2, default=str) + "\n")


def progress_bar(total: int, enabled: bool, desc: str = ""):
    """A tqdm bar on stderr when it is a terminal and ``enabled``; else None."""
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, leave=False)
