"""The ``symadam`` command line.

This package is the dispatcher and holds the topic-free commands.  A
sub-command is a module defining ``COMMAND`` (its name), ``add_parser(subparsers)``
and ``run(args) -> int``: the topic-free ones (``claims``, ``verify``,
``derive``) are the public modules of this package; a topic's own command is
its ``cli.py`` (e.g. :mod:`symadam.rates.cli`).
Exit status: 0 success, 1 a claim failed or a numerical route fell short, 2 bad
input (one line on stderr), 130 interrupted.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Sequence

from ..core.cli_common import ArgumentParser, fail
from ..core.parallel import ExecutorLost
from ..core.topics import topic_modules
from ..core.validate import ShortfallError

__all__ = ["main", "build_parser"]


def build_parser() -> ArgumentParser:
    """The top-level parser with every sub-command found in this package.

    Examples
    --------
    >>> build_parser().parse_args(["rate", "gd"]).method
    'gd'
    """
    from .. import __version__

    parser = ArgumentParser(prog="symadam", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"symadam {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    sub.required = True
    own = [importlib.import_module(f"{__name__}.{i.name}")
           for i in pkgutil.iter_modules(__path__) if not i.name.startswith("_")]
    for mod in sorted(own + topic_modules("cli"), key=lambda m: m.COMMAND):
        p = mod.add_parser(sub)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``symadam`` console script.

    Every outcome is an exit status and at most one line on stderr: 0 success; 1 a claim
    failed, a numerical route fell short after escalating (:class:`ShortfallError`), a lost
    cluster, or an internal error (one line; ``SYMADAM_TRACEBACK=1`` shows the traceback);
    2 bad input or a report/proof directory that cannot be used; 130 interrupted (Ctrl-C).

    Examples
    --------
    >>> main(["rate", "gd", "--kappa", "0.5"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args._run(args))
    except ValueError as exc:
        return fail(str(exc))
    except (ShortfallError, ExecutorLost) as exc:
        return fail(str(exc), code=1)
    except KeyboardInterrupt:
        return fail("interrupted", code=130)
    except MemoryError:
        return fail("out of memory (the input is beyond what this machine can hold; see "
                    "the limits in the README)", code=1)
    except OSError as exc:
        name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        return fail(f"{exc.strerror or exc}{':' + name if name else ''}", code=1)
    except Exception as exc:  # an internal error: one line, the traceback on request
        if os.environ.get("SYMADAM_TRACEBACK"):
            raise
        return fail(f"internal error: {type(exc).__name__}: {exc} (set SYMADAM_TRACEBACK=1 "
                    "for the traceback)", code=1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
