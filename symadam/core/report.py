"""Reports and proof documents: Markdown, JSON, LaTeX and PNG, written atomically."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from . import Claim, Evidence, load_all

__all__ = ["atomic_write", "summarize", "write_report", "proof_families", "render_proof",
           "write_proofs"]


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``.

    Readers never see a half-written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(d / "x.txt", "hi").read_text()
    'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def summarize(evidence: Iterable[Evidence], seconds: float) -> dict[str, Any]:
    """The ``summary`` block of ``verify --json``.

    Examples
    --------
    >>> summarize([], 0.5)
    {'verified': 0, 'failed': 0, 'error': 0, 'seconds': 0.5}
    """
    out = {"verified": 0, "failed": 0, "error": 0}
    for e in evidence:
        out[e.status] += 1
    out["seconds"] = round(seconds, 3)
    return out


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def write_report(directory: str | os.PathLike, evidence: list[Evidence], seconds: float,
                 claims: dict[str, Claim] | None = None) -> list[Path]:
    """Write ``report.md``, ``report.json``, one ``.tex`` per derivation and plots.

    Returns the written paths.  Each file is written atomically.

    Examples
    --------
    >>> import tempfile
    >>> from symadam.core import load_all, run_claims
    >>> ev = run_claims(["rates.gd"], dps=20)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_report(tmp, ev, 0.1, load_all())
    ...     sorted(p.name for p in paths)
    ['rates.gd.tex', 'report.json', 'report.md']
    """
    claims = load_all() if claims is None else claims
    d = Path(directory)
    written: list[Path] = []
    summary = summarize(evidence, seconds)
    payload = {"claims": [e.to_dict() for e in evidence], "summary": summary}
    written.append(atomic_write(d / "report.json", json.dumps(payload, indent=2, default=str)))
    lines = [
        "# symadam verification report", "",
        f"{summary['verified']} verified, {summary['failed']} failed, {summary['error']} error "
        f"in {summary['seconds']} s.", "",
        "| claim | paper | status | digits | residual | route | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in evidence:
        c = claims[e.claim_id]
        lines.append(
            f"| `{e.claim_id}` | {c.paper} | {e.status} | "
            f"{e.digits if e.digits is not None else ''}"
            f" | {_md_escape(e.residual)} | {_md_escape(e.route)} | {e.seconds:.2f} |")
    lines.append("")
    for e in evidence:
        c = claims[e.claim_id]
        lines += [f"## `{e.claim_id}`", "", f"*Claim ({c.paper}).* {c.statement}", "",
                  f"*Evidence.* {e.status}: {e.route}; residual {e.residual}.", ""]
        for k, v in e.details.items():
            if k != "traceback":
                lines.append(f"- {k}: `{_md_escape(json.dumps(v, default=str))[:400]}`")
        lines.append("")
        try:
            der = c.derive()
        except Exception as exc:  # a broken derivation is reported, not fatal
            lines.append(f"(derivation failed: {type(exc).__name__}: {exc})\n")
            continue
        if der is not None:
            written.append(atomic_write(d / f"{e.claim_id}.tex", der.to_latex(standalone=True)))
        if c.plot is not None and e.status != "error":
            written += _write_plot(c, e, d / f"{e.claim_id}.png")
    written.insert(0, atomic_write(d / "report.md", "\n".join(lines) + "\n"))
    return written


def _write_plot(c: Claim, e: Evidence, path: Path) -> list[Path]:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = c.plot(e)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return [atomic_write(path, buf.getvalue())]


def proof_families(claims: dict[str, Claim] | None = None) -> dict[str, list[str]]:
    """Claim ids with a non-trivial derivation, grouped by family.

    The family is the id up to its last dot (``rates.gd`` -> ``rates``).

    Examples
    --------
    >>> "rates.heavy_ball" in proof_families()["rates"]
    True
    """
    claims = load_all() if claims is None else claims
    fam: dict[str, list[str]] = {}
    for i in sorted(claims):
        fam.setdefault(i.rsplit(".", 1)[0] if "." in i else i, []).append(i)
    return fam


def render_proof(family: str, claims: dict[str, Claim] | None = None) -> str:
    """One standalone LaTeX document with the derivations of a claim family.

    Examples
    --------
    >>> from symadam.core import load_all
    >>> claims = {i: c for i, c in load_all().items() if i == "rates.gd"}
    >>> tex = render_proof("rates", claims)
    >>> "documentclass{article}" in tex, tex.rstrip().endswith("end{document}")
    (True, True)
    """
    claims = load_all() if claims is None else claims
    ids = proof_families(claims)[family]
    parts = [
        "% Generated by `symadam derive --family " + family + "`; do not edit by hand.",
        "\\documentclass{article}", "\\usepackage{amsmath,amssymb}", "\\begin{document}",
        f"\\title{{symadam: derivations for \\texttt{{{family}}}}}", "\\date{}", "\\maketitle",
    ]
    for i in ids:
        c = claims[i]
        der = c.derive()
        parts.append(f"% claim {i} ({c.paper})")
        parts.append(f"\\noindent\\textbf{{Claim \\texttt{{{i.replace('_', chr(92) + '_')}}}}} "
                     f"({c.paper}). {c.statement}\n")
        if der is not None and der.steps:
            parts.append(der.to_latex())
    parts.append("\\end{document}")
    return "\n".join(parts) + "\n"


def write_proofs(directory: str | os.PathLike = "proofs") -> list[Path]:
    """Regenerate ``proofs/<family>.tex`` for every family; return the paths.

    Renders every registered family (seconds to a minute); the test
    ``tests/test_proofs_current.py`` compares the committed files with it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
    ...     [p.name for p in write_proofs(tmp)][:1]
    ['adam.tex']
    """
    return [atomic_write(Path(directory) / f"{fam}.tex", render_proof(fam))
            for fam in proof_families()]
