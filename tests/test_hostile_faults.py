"""Faults lose nothing (issue 18): report sets, Ctrl-C, full disks, lost clusters."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symadam.cli import main
from symadam.core.report import atomic_write, clean_stale, prepare_report, write_report


def _one_line(err: str) -> None:
    assert err.count("\n") == 1 and "Traceback" not in err, err


def test_report_set_manifest_links_and_modes(tmp_path, capsys):
    d = tmp_path / "rep"
    old_mask = os.umask(0o022)
    try:
        assert main(["verify", "rates.gd", "--dps", "20", "--seed", "3", "--report",
                     str(d)]) == 0
    finally:
        os.umask(old_mask)
    assert "report written to" in capsys.readouterr().out
    man = json.loads((d / "manifest.json").read_text())
    assert man["seed"] == 3 and man["dps"] == 20 and man["claims"] == ["rates.gd"]
    assert "git_commit" in man and man["started"] and man["finished"]
    assert set(man["files"]) == {"report.md", "report.json", "rates.gd.tex"}
    assert json.loads((d / "report.json").read_text())["manifest"]["seed"] == 3
    md = (d / "report.md").read_text()
    assert "[`rates.gd.tex`](rates.gd.tex)" in md and "seed 3" in md
    for f in d.iterdir():
        assert f.stat().st_mode & 0o777 == 0o644, f
    assert d.stat().st_mode & 0o777 == 0o755
    assert not [e for e in tmp_path.iterdir() if e.name.startswith(".")]


def test_report_replaced_as_a_whole(tmp_path, capsys):
    d = tmp_path / "rep"
    d.mkdir()
    (d / "report.md").write_text("old")
    (d / "stale.claim.tex").write_text("from an earlier run")
    assert main(["verify", "rates.gd", "--dps", "20", "--report", str(d), "--json"]) == 0
    names = sorted(p.name for p in d.iterdir())
    assert names == ["manifest.json", "rates.gd.tex", "report.json", "report.md"]


def test_foreign_directory_is_never_overwritten(tmp_path, capsys):
    (tmp_path / "thesis.tex").write_text("mine")
    (tmp_path / "notes").mkdir()
    assert main(["verify", "rates.gd", "--report", str(tmp_path)]) == 2
    _one_line(capsys.readouterr().err)
    assert (tmp_path / "thesis.tex").read_text() == "mine"


def test_json_first_then_full_disk_loses_nothing(tmp_path, monkeypatch, capsys):
    import symadam.core.report as rep

    d = tmp_path / "rep"
    d.mkdir()
    (d / "report.md").write_text("previous")

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rep, "atomic_write", full)
    assert main(["verify", "rates.gd", "--dps", "20", "--json", "--report", str(d)]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["summary"]["verified"] == 1    # the results were printed first
    _one_line(err)
    assert "No space left" in err and "previous report is unchanged" in err
    assert (d / "report.md").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]   # no staging left


def test_interrupt_leaves_the_old_report(tmp_path, monkeypatch, capsys):
    import symadam.cli.verify as ver

    d = tmp_path / "rep"
    d.mkdir()
    (d / "report.md").write_text("previous")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(ver, "run_claims", interrupted)
    assert main(["verify", "rates.gd", "--report", str(d)]) == 130
    assert capsys.readouterr().err == "symadam: interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]
    assert [p.name for p in d.iterdir()] == ["report.md"]


def test_stale_temporaries_are_cleaned(tmp_path):
    d = tmp_path / "rep"
    d.mkdir()
    dead = 2**22 + 12345                        # above pid_max on this machine: no such process
    (d / f".report.json.tmp-{dead}-abc").write_text("half")
    (tmp_path / f".rep.staging-{dead}-xyz").mkdir()
    alive = d / f".report.md.tmp-{os.getpid()}-mine"
    alive.write_text("being written")
    assert sorted(clean_stale(d)) == [f".report.json.tmp-{dead}-abc"]
    assert alive.exists()
    alive.unlink()
    write_report(d, [], 0.0, claims={})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_swap_cut_between_renames_is_restored(tmp_path):
    dead = 2**22 + 12345
    old = tmp_path / f".rep.old-{dead}-abc"
    old.mkdir()
    (old / "report.md").write_text("previous")
    clean_stale(tmp_path)
    assert (tmp_path / "rep" / "report.md").read_text() == "previous"


def test_atomic_write_mode_follows_umask(tmp_path):
    old = os.umask(0o027)
    try:
        p = atomic_write(tmp_path / "x.json", "{}")
    finally:
        os.umask(old)
    assert p.stat().st_mode & 0o777 == 0o640


def test_prepare_report_refuses_a_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        prepare_report(f)


def test_ctrl_c_in_a_real_run(tmp_path):
    """SIGINT while claims run: exit 130, one line, no partial report, no worker traceback."""
    d = tmp_path / "rep"
    proc = subprocess.Popen([sys.executable, "-c",
                             "import sys; from symadam.cli import main; sys.exit(main())",
                             "verify", "rates",
                             "--dps", "20", "--workers", "2", "--report", str(d)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path,
                            # as in a terminal: a suite started in the background of a
                            # non-interactive shell inherits SIGINT ignored, and so would this run
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # wait until the run is under way: the staging directory exists once the checks passed
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".rep.staging") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.endswith("symadam: interrupted\n") and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- Dask: lost workers, lost scheduler, something else at the address ------------------

distributed = pytest.importorskip("distributed")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.dask
def test_cluster_without_workers_times_out():
    from symadam.core.parallel import DaskExecutor, ExecutorLost

    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp://",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        ex = DaskExecutor(cluster.scheduler_address, worker_timeout=2)
        try:
            t0 = time.monotonic()
            with pytest.raises(ExecutorLost, match="no workers"):
                ex.map(abs, [-1, 2])
            assert time.monotonic() - t0 < 30
        finally:
            ex.close()


@pytest.mark.dask
def test_killed_scheduler_keeps_finished_results(tmp_path):
    from symadam.core.parallel import DaskExecutor, ExecutorLost

    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).with_name("dask"))
    sched = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    worker = None
    try:
        for _ in range(300):
            try:
                import socket
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        worker = subprocess.Popen([dask, "worker", addr, "--nthreads", "1", "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ex = DaskExecutor(addr, worker_timeout=5)
        for _ in range(300):
            if ex._n_workers():
                break
            time.sleep(0.1)
        import threading

        threading.Timer(12.0, sched.kill).start()
        t0 = time.monotonic()
        with pytest.raises(ExecutorLost) as info:
            ex.map(time.sleep, [0.5] * 80)
        assert time.monotonic() - t0 < 120
        assert 1 <= len(info.value.partial) < 80
        ex.close()
    finally:
        sched.kill()
        if worker is not None:
            worker.kill()
            worker.wait(10)
        sched.wait(10)


@pytest.mark.parametrize("reply", [None, b"HTTP/1.1 400 Bad Request\r\n\r\n", b""])
def test_non_dask_listener_is_refused_quickly(reply, capsys):
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    conns = []

    def serve():
        try:
            while True:
                c, _ = srv.accept()
                conns.append(c)
                if reply is not None:
                    c.sendall(reply)
                    if reply == b"":
                        c.close()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    t0 = time.monotonic()
    try:
        assert main(["verify", "rates.gd", "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    finally:
        srv.close()
        for c in conns:
            c.close()
    assert time.monotonic() - t0 < 30
    err = capsys.readouterr().err
    _one_line(err)
    assert "scheduler" in err


def test_lost_cluster_in_verify_keeps_done_claims(monkeypatch, capsys):
    """A cluster lost mid-run: finished claims printed (and reported), one line, exit 1."""
    import symadam.cli.verify as ver
    from symadam.core.parallel import ExecutorLost, SerialExecutor

    class Dying(SerialExecutor):
        def map(self, fn, items):   # the first item finishes, then the cluster is gone
            items = list(items)
            raise ExecutorLost("Dask cluster at tcp://x lost: no workers for 60 s",
                               {0: fn(items[0])})

    monkeypatch.setattr(ver, "make_executor", lambda *a: Dying())
    assert main(["verify", "rates.gd", "rates.heavy_ball", "rates.nesterov", "--dps", "20",
                 "--json"]) == 1
    out, err = capsys.readouterr()
    claims = {c["claim_id"]: c["status"] for c in json.loads(out)["claims"]}
    assert list(claims.values()).count("verified") == 1, claims
    assert "error" in claims.values()
    _one_line(err)
    assert "lost" in err


def test_dead_pool_worker_is_a_lost_executor():
    from symadam.core.parallel import ExecutorLost, ProcessExecutor

    with ProcessExecutor(2) as ex:
        assert ex.map(abs, [-1]) == [1]
        with pytest.raises(ExecutorLost, match="worker process died"):
            ex.map(os._exit, [3, 3])
