"""Reports and proof documents: Markdown, JSON, LaTeX and PNG, written safely.

Safety rules (README, "Limits and errors"):

* an output directory is checked *before* any work starts
  (:func:`check_output_dir`, :func:`prepare_report`): ``''``, a path that is a
  file, a directory that cannot be created or written, and (for reports) a
  non-empty directory that is not a symadam report set are refused with a
  :class:`ValueError` (exit status 2), naming the problem;
* every file is written through a temporary file and ``os.replace``
  (:func:`atomic_write`), with the permissions the umask gives a new file
  (not ``mkstemp``'s 0600); temporary files left by a killed run are removed
  the next time (:func:`clean_stale`);
* a report set (``report.md``, ``report.json``, ``manifest.json``, one
  ``.tex`` per derivation, plots) is built in a sibling staging directory and
  replaces the previous set as a whole; ``manifest.json`` records the seed,
  dps, git commit (if available), start and end time and command line, so
  two runs' files can always be told apart.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

from . import Claim, Evidence, load_all

__all__ = ["atomic_write", "summarize", "write_report", "proof_families", "render_proof",
           "write_proofs", "check_output_dir", "prepare_report", "ReportSet", "manifest",
           "clean_stale"]

#: Names a symadam report set may contain (anything else: not ours, never replaced).
_REPORT_FILE = re.compile(r"(report\.md|report\.json|manifest\.json|[\w.\-]+\.(tex|png))")


def _umask() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # not thread-safe; only where /proc is missing
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


_STALE = re.compile(r"\.(?P<name>.+)\.(?P<kind>tmp|staging|old)-(?P<pid>\d+)-[\w]+")


def clean_stale(directory: str | os.PathLike) -> list[str]:
    """Remove temporary files and staging directories that a killed symadam run left.

    Only names symadam makes (``.NAME.tmp-PID-XXXX``, ``.NAME.staging-PID-XXXX``,
    ``.NAME.old-PID-XXXX``) whose process ``PID`` is gone are touched.  A report
    set whose swap was cut between its two renames is restored from its ``.old`` copy.
    Returns the removed names.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".x.txt.tmp-999999999-abc").write_text("half")
    >>> clean_stale(d)
    ['.x.txt.tmp-999999999-abc']
    """
    d = Path(directory)
    removed: list[str] = []
    try:
        entries = sorted(d.iterdir())
    except OSError:
        return removed
    for e in entries:
        m = _STALE.fullmatch(e.name)
        if m is None or _pid_alive(int(m["pid"])):
            continue
        target = d / m["name"]
        try:
            if m["kind"] == "old" and not target.exists():
                os.rename(e, target)          # the swap was cut: put the old set back
                continue
            if e.is_dir() and not e.is_symlink():
                shutil.rmtree(e)
            else:
                e.unlink()
            removed.append(e.name)
        except OSError:
            pass
    return removed


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``.

    Readers never see a half-written file; a killed run leaves at most a
    ``.NAME.tmp-PID-XXXX`` file that :func:`clean_stale` removes later.  The
    file gets the mode the umask gives a new file (e.g. 0644), not 0600.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(d / "x.txt", "hi").read_text()
    'hi'
    >>> oct((d / "x.txt").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-{os.getpid()}-")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, mode) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def check_output_dir(directory: Any, what: str = "report") -> Path:
    """Check (and create) an output directory before any work starts; return it resolved.

    Raises
    ------
    ValueError
        ``what`` and the problem: empty path, a file in the way, cannot be created,
        not writable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_dir(d / "new" / "dir", "proofs").is_dir()
    True
    >>> check_output_dir("", "report")
    Traceback (most recent call last):
    ...
    ValueError: report: the directory name is empty
    >>> _ = (d / "f").write_text("x")
    >>> check_output_dir(d / "f", "proofs")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: proofs: .../f exists and is not a directory
    """
    if directory is None or not str(directory).strip():
        raise ValueError(f"{what}: the directory name is empty")
    d = Path(directory).expanduser()
    try:
        d = d.resolve()
    except (OSError, RuntimeError) as exc:
        raise ValueError(f"{what}: cannot use {str(directory)!r} ({exc})") from None
    if d.exists() and not d.is_dir():
        raise ValueError(f"{what}: {d} exists and is not a directory")
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"{what}: cannot create {d} ({exc.strerror or exc})") from None
    try:
        fd, probe = tempfile.mkstemp(dir=d, prefix=f".probe.tmp-{os.getpid()}-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"{what}: cannot write in {d} ({exc.strerror or exc})") from None
    return d


def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
        if out.returncode != 0:
            return None
        commit = out.stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=5)
        return commit + ("-dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def manifest(**fields: Any) -> dict[str, Any]:
    """The manifest of a run: ``fields`` plus version, git commit, start time, command line.

    Examples
    --------
    >>> m = manifest(seed=0, dps=50)
    >>> sorted(m)  # doctest: +NORMALIZE_WHITESPACE
    ['argv', 'dps', 'git_commit', 'python', 'seed', 'started', 'symadam']
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("symadam")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ver = None
    out = {"symadam": ver, "git_commit": _git_commit(),
           "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "argv": ["symadam", *sys.argv[1:]],
           "python": sys.version.split()[0]}
    out.update(fields)
    return out


class ReportSet:
    """A report set being built in a staging directory beside ``directory``.

    Made by :func:`prepare_report` before the work starts; :meth:`write` fills the
    staging directory and replaces the previous set as a whole; :meth:`abort` (or an
    exception inside ``with``) removes the staging directory and leaves the previous
    set untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "rep"
    >>> with prepare_report(d, manifest(seed=0, dps=20)) as rep:
    ...     paths = rep.write([], 0.0, claims={})
    >>> sorted(p.name for p in d.iterdir())
    ['manifest.json', 'report.json', 'report.md']
    """

    def __init__(self, directory: Path, manifest: dict[str, Any]):
        self.directory, self.manifest = directory, dict(manifest)
        self.staging = Path(tempfile.mkdtemp(
            dir=directory.parent, prefix=f".{directory.name}.staging-{os.getpid()}-"))
        os.chmod(self.staging, 0o777 & ~_umask())

    def write(self, evidence: list[Evidence], seconds: float,
              claims: dict[str, Claim] | None = None) -> list[Path]:
        """Write the set into the staging directory, then swap it in; return final paths."""
        self.manifest["finished"] = datetime.datetime.now(
            datetime.timezone.utc).isoformat(timespec="seconds")
        try:
            names = _write_set(self.staging, evidence, seconds, claims, self.manifest)
            self._swap()
        except BaseException:
            self.abort()
            raise
        return [self.directory / n for n in names]

    def _swap(self) -> None:
        d = self.directory
        old = None
        if d.exists():
            old = Path(tempfile.mkdtemp(dir=d.parent, prefix=f".{d.name}.old-{os.getpid()}-"))
            os.rmdir(old)
            os.rename(d, old)
        os.rename(self.staging, d)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Remove the staging directory (the previous report stays as it was)."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> "ReportSet":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is not None or self.staging.exists():
            self.abort()


def prepare_report(directory: Any, manifest: dict[str, Any] | None = None) -> ReportSet:
    """Check a report directory before any work starts and open its staging directory.

    ``directory`` may be new, empty, or an earlier symadam report set (it is then
    replaced as a whole when the new set is complete).  A directory holding anything
    else is refused, never overwritten.

    Raises
    ------
    ValueError
        Naming the problem (see :func:`check_output_dir`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "notes.txt").write_text("mine")
    >>> prepare_report(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: report: ... is not empty and not a symadam report (it holds notes.txt); ...
    """
    if directory is not None and str(directory).strip() and not Path(directory).exists():
        parent = check_output_dir(Path(directory).expanduser().resolve().parent, "report")
        d = parent / Path(directory).name   # created only when the set is complete
        clean_stale(parent)
        if d.exists():  # a swap cut between its renames was restored by clean_stale
            return prepare_report(d, manifest)
        try:
            return ReportSet(d, manifest if manifest is not None else {})
        except OSError as exc:
            raise ValueError(f"report: cannot write beside {d} ({exc.strerror or exc})"
                             ) from None
    d = check_output_dir(directory, "report")
    clean_stale(d.parent)
    clean_stale(d)
    foreign = sorted(e.name for e in d.iterdir()
                     if not e.name.startswith(".") and not (
                         e.is_file() and _REPORT_FILE.fullmatch(e.name)))
    hidden = sorted(e.name for e in d.iterdir() if e.name.startswith("."))
    if foreign or hidden:
        raise ValueError(f"report: {d} is not empty and not a symadam report (it holds "
                         f"{', '.join((foreign + hidden)[:3])}); give a new or empty directory")
    if not os.access(d.parent, os.W_OK):
        raise ValueError(f"report: cannot replace {d}: its parent {d.parent} is not writable")
    try:
        return ReportSet(d, manifest if manifest is not None else {})
    except OSError as exc:
        raise ValueError(f"report: cannot write beside {d} ({exc.strerror or exc})") from None


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
                 claims: dict[str, Claim] | None = None,
                 manifest: dict[str, Any] | None = None) -> list[Path]:
    """Write ``report.md``, ``report.json``, ``manifest.json``, one ``.tex`` per derivation
    and plots, replacing an earlier report set in ``directory`` as a whole.

    Returns the written paths.  See :func:`prepare_report` for the checks (the
    command line makes them before the work starts).

    Examples
    --------
    >>> import tempfile
    >>> from symadam.core import load_all, run_claims
    >>> ev = run_claims(["rates.gd"], dps=20)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_report(tmp, ev, 0.1, load_all())
    ...     sorted(p.name for p in paths)
    ['manifest.json', 'rates.gd.tex', 'report.json', 'report.md']
    """
    with prepare_report(directory, manifest if manifest is not None else {}) as rep:
        return rep.write(evidence, seconds, claims)


def _write_set(d: Path, evidence: list[Evidence], seconds: float,
               claims: dict[str, Claim] | None, man: dict[str, Any]) -> list[str]:
    claims = load_all() if claims is None else claims
    written: list[str] = []
    summary = summarize(evidence, seconds)
    payload = {"manifest": man, "claims": [e.to_dict() for e in evidence], "summary": summary}
    atomic_write(d / "report.json", json.dumps(payload, indent=2, default=str))
    written.append("report.json")
    run = ", ".join(f"{k} {man[k]}" for k in ("seed", "dps", "git_commit", "started")
                    if man.get(k) is not None)
    lines = [
        "# symadam verification report", "",
        f"{summary['verified']} verified, {summary['failed']} failed, {summary['error']} error "
        f"in {summary['seconds']} s.", "",
    ] + ([f"Run: {run} ([manifest.json](manifest.json), [report.json](report.json)).", ""]
         if run else []) + [
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
            atomic_write(d / f"{e.claim_id}.tex", der.to_latex(standalone=True))
            written.append(f"{e.claim_id}.tex")
            lines += [f"Derivation: [`{e.claim_id}.tex`]({e.claim_id}.tex)", ""]
        if c.plot is not None and e.status != "error":
            _write_plot(c, e, d / f"{e.claim_id}.png")
            written.append(f"{e.claim_id}.png")
            lines += [f"![{e.claim_id}]({e.claim_id}.png)", ""]
    atomic_write(d / "report.md", "\n".join(lines) + "\n")
    atomic_write(d / "manifest.json", json.dumps(dict(man, files=["report.md", *written]),
                                                 indent=2, default=str))
    return ["report.md", "manifest.json", *written]


def _write_plot(c: Claim, e: Evidence, path: Path) -> list[Path]:
    import io

    import matplotlib.pyplot as plt  # no backend forced: headless machines fall back to Agg

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
    d = check_output_dir(directory, "proofs")
    clean_stale(d)
    return [atomic_write(d / f"{fam}.tex", render_proof(fam)) for fam in proof_families()]
