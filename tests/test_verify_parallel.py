"""`symadam verify` gives the same evidence serially, with --workers 2, and on a Dask cluster."""
import json

import pytest

from symadam.cli import main

CLAIMS = ["relu.fd_generic", "relu.kink_minimum", "rates.gd", "existence.step_not_attained"]


def _run(capsys, *extra):
    assert main(["verify", *CLAIMS, "--dps", "30", "--json", *extra]) == 0
    out = json.loads(capsys.readouterr().out)
    return {c["claim_id"]: (c["status"], c["residual"], c["digits"], json.dumps(c["details"]))
            for c in out["claims"]}


def test_workers_match_serial(capsys):
    serial = _run(capsys)
    assert set(serial) == set(CLAIMS) and all(v[0] == "verified" for v in serial.values())
    assert _run(capsys, "--workers", "2") == serial


def test_dask_scheduler_matches_serial(capsys):
    distributed = pytest.importorskip("distributed")
    serial = _run(capsys)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert _run(capsys, "--scheduler", cluster.scheduler_address) == serial


def test_unreachable_scheduler_is_bad_input(capsys):
    pytest.importorskip("distributed")
    assert main(["verify", "rates.gd", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "scheduler" in err


def test_default_uses_the_cores_and_matches_serial(capsys, monkeypatch):
    """No --workers: one worker per available core (here 2), same evidence as --workers 1."""
    import symadam.cli.verify as ver
    import symadam.core.parallel as par

    made = []
    real = par.ProcessExecutor

    class Recording(real):
        def __init__(self, workers):
            made.append(workers)
            super().__init__(workers)

    monkeypatch.setattr(ver, "available_cores", lambda: 2)
    monkeypatch.setattr(par, "ProcessExecutor", Recording)
    parallel = _run(capsys)
    assert made == [2]
    assert _run(capsys, "--workers", "1") == parallel
    assert made == [2]                      # --workers 1: no pool, run in this process


def test_parallel_progress_in_claim_order(capsys):
    """Text output lists the claims in the same (dependency, then name) order as serially."""
    def lines(*extra):
        assert main(["verify", *CLAIMS, "--dps", "30", *extra]) == 0
        out = capsys.readouterr().out.splitlines()
        return [ln.split()[1] for ln in out if ln.startswith("verified ")]

    serial = lines("--workers", "1")
    assert sorted(serial) == sorted(CLAIMS)
    assert lines("--workers", "2") == serial
