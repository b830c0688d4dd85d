"""Shared pieces of the command line: one-line errors, JSON output, progress (CLI and library)."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2.

    Examples
    --------
    >>> p = ArgumentParser(prog="symadam")
    >>> _ = p.add_argument("--n", type=int)
    >>> try:
    ...     p.parse_args(["--n", "x"])
    ... except SystemExit as e:
    ...     print("exit", e.code)
    exit 2
    """

    def error(self, message: str) -> NoReturn:
        """Write ``prog: error: message`` (one line) to stderr and exit with status 2."""
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def fail(message: str, code: int = 2) -> int:
    """Print ``symadam: error: message`` (one line) to stderr; return ``code`` (default 2).

    Examples
    --------
    >>> fail("kappa must be >= 1")
    2
    >>> fail("interrupted", code=130)
    130
    """
    text = " ".join(str(message).split()) or "error"
    if len(text) > 400:
        text = text[:397] + "..."
    sys.stderr.write(("symadam: " if code == 130 else "symadam: error: ") + text + "\n")
    sys.stderr.flush()
    return code


def note(message: str) -> None:
    """Print ``symadam: note: message`` (one line) to stderr: not an error.

    Examples
    --------
    >>> note("--workers 64 capped at the 2 available cores")
    """
    sys.stderr.write("symadam: note: " + " ".join(str(message).split()) + "\n")


def capped_workers(workers: Any) -> Any:
    """``--workers N`` checked (an integer >= 1) and capped at the available cores, with a note.

    Examples
    --------
    >>> capped_workers(None) is None, capped_workers(1)
    (True, 1)
    >>> from symadam.core.parallel import available_cores
    >>> capped_workers(10**6) == available_cores()    # and a note on stderr
    True
    """
    from .parallel import available_cores
    from .validate import check_int

    if workers is None:
        return None
    check_int("workers", workers)
    cores = available_cores()
    if workers > cores:
        note(f"--workers {workers} capped at the {cores} available cores")
        return cores
    return workers


def add_json(p: argparse.ArgumentParser) -> None:
    """Add the ``--json`` flag every command takes.

    Examples
    --------
    >>> p = ArgumentParser()
    >>> add_json(p)
    >>> p.parse_args(["--json"]).json
    True
    """
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


def add_dps(p: argparse.ArgumentParser, default: int = 50) -> None:
    """Add ``--dps N`` (working precision in decimal digits).

    Examples
    --------
    >>> p = ArgumentParser()
    >>> add_dps(p, default=30)
    >>> p.parse_args([]).dps
    30
    """
    p.add_argument("--dps", type=int, default=default, help=f"decimal digits (default {default})")


def emit_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout (numbers with more than float64 precision as strings).

    Examples
    --------
    >>> emit_json({"rate": "0.5"})
    {
      "rate": "0.5"
    }
    """
    sys.stdout.write(json.dumps(obj, indent=2, default=str) + "\n")


def progress_bar(total: int, enabled: bool, desc: str = "") -> Any:
    """A tqdm bar on stderr when it is a terminal and ``enabled``; else None.

    Examples
    --------
    >>> progress_bar(10, enabled=False) is None
    True
    """
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, leave=False)


def progress_reporter(progress: Any, total: int, desc: str = "") -> tuple[Any, Any]:
    """What a long library sweep calls after each finished chunk, and how to close it.

    ``progress`` is the sweep's argument: ``True`` draws a ``tqdm.auto`` bar
    (a widget in Jupyter, text on stderr elsewhere), ``False`` or ``None`` is
    silent (the command line passes ``None`` under ``--json``), and a callable
    is called with the number of items just finished.  Returns
    ``(update, close)``.

    Examples
    --------
    >>> update, close = progress_reporter(False, 10)
    >>> update(3), close()
    (None, None)
    >>> seen = []
    >>> update, close = progress_reporter(seen.append, 10)
    >>> update(4); seen
    [4]
    """
    if progress is None or progress is False:
        return (lambda k: None), (lambda: None)
    if callable(progress) and progress is not True:
        return progress, (lambda: None)
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, file=sys.stderr, leave=False)
    return bar.update, bar.close
