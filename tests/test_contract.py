"""The import contract (``[importlinter]`` in setup.cfg) holds, and breaking it fails.

The contract is checked by import-linter's own command, ``lint-imports``; the
second test shows that the check can fail: it copies the package, adds one
forbidden import, and expects a broken contract naming the module and the chain.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``lint-imports`` in ``cwd`` (its setup.cfg), with ``pythonpath`` first on the path."""
    pytest.importorskip("importlinter")
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_import_contract_is_kept():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "BROKEN" not in out.stdout


def test_contract_check_can_fail(tmp_path):
    """A sympy-route module that imports numpy breaks the route-purity contract."""
    shutil.copytree(ROOT / "symadam", tmp_path / "symadam",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    victim = tmp_path / "symadam" / "core" / "derivation.py"
    if not victim.exists():  # the tree before the topic move
        victim = tmp_path / "symadam" / "symbolic" / "derivation.py"
    victim.write_text(victim.read_text() + "\nimport numpy  # noqa: E402,F401  (sabotage)\n")
    out = lint_imports(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert "BROKEN" in out.stdout
    module = ".".join(victim.relative_to(tmp_path).with_suffix("").parts)
    assert f"{module} -> numpy" in out.stdout, out.stdout[-4000:]


#: Modules that wire routes together and so belong to no single route (setup.cfg's table).
WIRING = {"core.registry", "core.record", "core.report", "core.topics", "core.parallel",
          "core.validate", "core.cli_common", "core.sabotage", "core.arb_bridge", "core.schedule",
          "core.runcache",
          "morse.sweep", "testing", "sgd.checks", "sgd.evaluate", "avf.claims_sim"}
ROUTE_CONTRACTS = ("route-exact", "route-mp", "route-np", "route-arb")


def _route_sources() -> dict[str, list[str]]:
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    return {c: [m.strip() for m in cfg[f"importlinter:contract:{c}"]["source_modules"].split()]
            for c in ROUTE_CONTRACTS}


def test_every_module_has_a_route():
    """Each module is in exactly one route contract, or is wiring (claims, cli, packages)."""
    sources = _route_sources()
    missing, twice = [], []
    for path in sorted((ROOT / "symadam").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__" or parts[-1].startswith("claims") or parts[-1] in (
                "cli", "certify", "__main__"):
            continue
        if parts[1] in ("cli", "oracle"):
            continue
        mod = ".".join(parts)
        if ".".join(parts[1:]) in WIRING:
            continue
        owners = [c for c, srcs in sources.items()
                  if any(mod == s or mod.startswith(s + ".") for s in srcs)]
        (missing if not owners else twice if len(owners) > 1 else []).append((mod, owners))
    assert not missing, f"modules with no route in setup.cfg: {missing}"
    assert not twice, f"modules in two route contracts: {twice}"


def test_ruff_is_clean():
    """ruff (pyflakes, import order, pycodestyle errors; pyproject.toml) over the code."""
    pytest.importorskip("ruff")
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                          "symadam", "tests", "benchmarks"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
