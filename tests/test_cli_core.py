"""Command-line contract: --json, exit codes, one-line errors."""
import json
import subprocess
import sys

import pytest

from symadam.cli import main


def test_claims_json(capsys):
    assert main(["claims", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["claims"]
    assert {"id", "paper", "statement", "depends_on"} <= set(rows[0])


@pytest.mark.parametrize("argv", [
    ["verify", "no.such.claim"],
    ["verify", "--dps", "5"],
    ["derive", "no.such.claim"],
    ["verify", "--workers", "0"],
    ["verify", "rates.gd", "--seed", "-1"],   # was: the claim ran and reported an error
])
def test_bad_input_exits_2_with_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("symadam: error:")


def test_argparse_errors_are_one_line():
    r = subprocess.run([sys.executable, "-m", "symadam", "verify", "--dps", "x"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and r.stdout == ""
