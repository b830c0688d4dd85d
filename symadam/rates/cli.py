"""``symadam rate METHOD``: the derived optimal tuning and local rate of a method.

METHOD is any name in :data:`symadam.rates.methods.METHODS` (``gd``,
``heavy-ball``, ``nesterov``, and methods other modules register).
``--json`` prints ``{"method", "rate", "parameters", "active_set", "pieces"}``
plus ``"rate_at_kappa"`` (a decimal string with ``--dps`` digits, from the piece
containing ``--kappa``) when ``--kappa`` is given; ``rate`` and ``parameters`` are
strings ``sympy.sympify`` parses, in ``kappa`` and in ``L``, ``mu`` (and untuned
parameters such as ``eps``); a ``Piecewise`` if the optimum changes with kappa.
``pieces`` lists ``{"kappa_from", "kappa_to", "closed_left", "rate", "parameters",
"active_set"}`` (breakpoints as sympify-able exact strings, ``"oo"`` for infinity).
Exit 0; 2 on bad input; 1 if ``--kappa`` lies in no derived piece (the engine
cannot decide there), with the reason on stderr.
"""
from __future__ import annotations

import argparse
import sys

from ..core.cli_common import add_dps, add_json, emit_json
from ..core.validate import check_dps
from .tuning import NotProvenError, parse_kappa

COMMAND = "rate"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    """Register ``symadam rate METHOD [--kappa] [--eps/--beta1/--beta2] [--dps] [--latex]``.

    Examples
    --------
    >>> from symadam.cli import build_parser
    >>> build_parser().parse_args(["rate", "gd", "--kappa", "3/2"]).kappa
    '3/2'
    """
    p = sub.add_parser(COMMAND, help="derived optimal tuning and local rate of a method")
    p.add_argument("method", metavar="METHOD", help="gd, heavy-ball, nesterov, ...")
    p.add_argument("--kappa", default=None, help="condition number L/mu >= 1 to evaluate at")
    p.add_argument("--latex", action="store_true", help="print the derivation as LaTeX")
    for name, what in (("eps", "eps > 0"), ("beta1", "beta1 in [0, 1)"),
                       ("beta2", "beta2 in [0, 1)")):
        p.add_argument(f"--{name}", default=None,
                       help=f"value of the untuned parameter {what} (adam, rmsprop)")
    add_dps(p)
    add_json(p)
    return p


def _parse_kappa(text: str):
    """``--kappa`` as an exact sympy Rational (decimal, scientific or ``p/q``), ``>= 1``.

    Parsed exactly, not through a float: ``1e400`` is a valid (finite) condition
    number and ``1e-400`` is reported as given, not as ``0.0``.

    Examples
    --------
    >>> _parse_kappa("2.5"), _parse_kappa("3/2"), _parse_kappa("1e400") > 10**399
    (5/2, 3/2, True)
    >>> _parse_kappa("1e-400")
    Traceback (most recent call last):
    ...
    ValueError: kappa must be >= 1 (condition number L/mu), got '1e-400'
    """
    return parse_kappa(str(text))


def run(args: "argparse.Namespace") -> int:
    """Print the derived tuning and rate of ``args.method`` (text, LaTeX or JSON); exit 0.

    Examples
    --------
    >>> from symadam.cli import main
    >>> main(["rate", "gd", "--kappa", "3", "--dps", "20"])
    Gradient descent (gd)
      rate        = (kappa - 1)/(kappa + 1)
      h           = 2/(L + mu)
      rate at kappa = 3: 0.50000000000000000000
    0
    """
    from .engine import tune
    from .methods import get_method

    check_dps(args.dps)
    method = get_method(args.method)
    kappa = None if args.kappa is None else _parse_kappa(args.kappa)
    t = tune(method)
    out = {
        "method": method.name,
        "rate": str(t.rate),
        "parameters": {k: str(v) for k, v in t.parameters.items()},
        "active_set": t.active_set,
        "pieces": [p.to_dict() for p in t.pieces],
    }
    if kappa is not None:
        try:
            out["rate_at_kappa"] = str(t.rate_at(kappa, args.dps))
        except NotProvenError as exc:
            print(f"symadam: cannot decide: {exc}", file=sys.stderr)
            return 1
    at = _untuned_values(method, args)
    if at:
        out["parameters_at"] = _parameters_at(t, at, kappa, args.dps)
    if args.json:
        if args.latex:
            out["latex"] = t.derivation.to_latex()
        emit_json(out)
        return 0
    if args.latex:
        sys.stdout.write(t.derivation.to_latex())
        return 0
    print(f"{method.title} ({method.name})")
    if len(t.pieces) > 1:
        for p in t.pieces:
            print(f"  kappa in {p.interval()}  ({p.active_set})")
            print(f"    rate      = {p.rate}")
            for k, v in p.parameters.items():
                print(f"    {k:<9} = {v}")
    else:
        print(f"  rate        = {out['rate']}")
        for k, v in out["parameters"].items():
            print(f"  {k:<11} = {v}")
    if kappa is not None:
        print(f"  rate at kappa = {args.kappa.strip()}: {out['rate_at_kappa']}")
    for k, v in out.get("parameters_at", {}).items():
        print(f"  {k:<11} = {v}  (at {', '.join(f'{a}={b}' for a, b in at.items())}"
              f"{', mu=1, L=kappa' if kappa is not None else ''})")
    return 0


def _untuned_values(method, args) -> dict:
    """``--eps/--beta1/--beta2`` given on the command line: validated, untuned parameters only."""

    from ..core.expr import to_rational
    from ..core.validate import check_positive, check_unit_interval

    out = {}
    for name in ("eps", "beta1", "beta2"):
        text = getattr(args, name, None)
        if text is None:
            continue
        v = to_rational(text, name)
        check_positive(name, v) if name == "eps" else check_unit_interval(name, v)
        names = [p.symbol.name for p in method.params]
        if name not in names:
            raise ValueError(f"--{name}: method {method.name} has no parameter {name}")
        if method.parameter(name).tuned:
            raise ValueError(f"--{name}: {name} is tuned by the engine for {method.name}; "
                             "only untuned parameters can be set")
        method.parameter(name).check(v)  # the method's declared domain, e.g. eps in (0, oo)
        out[name] = v
    return out


def _parameters_at(t, at: dict, kappa, dps: int) -> dict:
    """Tuned parameters with untuned values substituted (and mu = 1, L = kappa if given)."""
    import sympy

    res = {}
    params = t.parameters if kappa is None else t.piece_at(kappa).parameters
    for k, v in params.items():
        e = sympy.sympify(v)
        e = e.subs({s: at[s.name] for s in e.free_symbols if s.name in at})
        if kappa is not None:
            e = e.subs({s: (kappa if s.name == "L" else 1) for s in e.free_symbols
                        if s.name in ("L", "mu")})
        res[k] = str(sympy.N(e, dps)) if e.is_number else str(e)
    return res
