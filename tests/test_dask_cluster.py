"""A real dask.distributed LocalCluster on loopback gives the serial results."""
import pytest

from symadam.core.parallel import DaskExecutor
from symadam.morse.sweep import morse_sweep

distributed = pytest.importorskip("distributed")


@pytest.mark.dask
def test_local_cluster_matches_serial():
    serial, rs = morse_sweep("tanh", 2, 8, 4, seed=9, restarts=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            ex = DaskExecutor(client)
            assert ex.workers == 2
            dask_summary, rd = morse_sweep("tanh", 2, 8, 4, seed=9, restarts=2, executor=ex,
                                           chunk=2)
    assert rd == rs
    assert dask_summary == serial


@pytest.mark.dask
def test_scheduler_address_through_cli(capsys):
    import json

    from symadam.cli import main

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        rc = main(["morse", "--points", "8", "--problems", "2", "--restarts", "2",
                   "--seed", "9", "--scheduler", cluster.scheduler_address, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["problems"] == 2
    serial, _ = morse_sweep("tanh", 2, 8, 2, seed=9, restarts=2)
    assert out["critical_points"] == serial["critical_points"]
