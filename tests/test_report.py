"""Reports: files written, JSON parses back, derivations as LaTeX, plots as PNG."""
import json

from symadam.core import Claim, run_claims
from symadam.core.derivation import Derivation
from symadam.core.report import write_report


def _derive():
    d = Derivation("toy")
    d.add("One half.", __import__("sympy").Rational(1, 2), r"\rho")
    return d


def _plot(ev):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    return fig


def test_write_report(tmp_path, monkeypatch):
    fake = {"t.a": Claim("t.a", "standard", r"$\rho = 1/2$", (), _derive,
                         lambda ctx: ctx.evidence(True, "exact", "0", 50, rho="0.5"), _plot)}
    import symadam.core.registry as reg
    monkeypatch.setattr(reg, "load_all", lambda: fake)
    ev = run_claims(["t.a"])
    paths = write_report(tmp_path, ev, 1.0, claims=fake)
    names = {p.name for p in paths}
    assert {"report.md", "report.json", "t.a.tex", "t.a.png"} <= names
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["summary"]["verified"] == 1 and data["claims"][0]["details"]["rho"] == "0.5"
    assert "\\rho = \\frac{1}{2}" in (tmp_path / "t.a.tex").read_text()
    assert (tmp_path / "t.a.png").read_bytes()[:4] == b"\x89PNG"
    assert not list(tmp_path.glob(".*.tmp")), "temporary files left behind"
