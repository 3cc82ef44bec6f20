"""`evaluate --executor ray` on a real local Ray cluster that this module starts (`ray start --head --block`,
2 CPUs): a Ray worker killed mid-sample, the driver killed with kill -9 and resumed. Every sample must be
stored exactly once, with the verdict the local executor gives it, and with its host and isolation tier.
The efficiency reward on the same cluster judges completions as it does locally.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from effilab import api
from effilab.executors import RayExecutor
from effilab.reward import EfficiencyReward, Outcome

pytest.importorskip("ray")
pytestmark = pytest.mark.ray

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "suites" / "mini"
SAMPLES = DATA / "samples" / "mini.jsonl"
RAY = Path(sys.executable).parent / "ray"
EFFILAB = Path(sys.executable).parent / "effilab"
# Ray >= 2.5x turns token authentication on for new clusters, and Ray Client (ray://) then needs the token
# passed explicitly; a loopback test cluster does without (Ray's own setting, read by Ray, not effilab).
ENV = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}

# The reward's problem and completions (as tests/integration/test_reward.py's).
TASK = "pair-sum-count"
PROBLEM = Path(__file__).parents[2] / "src" / "effilab" / "suites" / "builtin" / "effilab" / TASK


def _fenced(code: str) -> str:
    return f"Here is an efficient solution:\n```python\n{code}```\n"


STANDARD = _fenced((PROBLEM / "standard.py").read_text())
NAIVE = _fenced((PROBLEM / "naive.py").read_text())  # correct, O(n^2): the slow one
WRONG = _fenced("def count_pairs(nums, target):\n    return len(nums) // 2\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Ray cluster of this machine with 2 CPUs; yields its Ray Client address (ray://127.0.0.1:PORT)."""
    gcs, client = _free_port(), _free_port()
    head = subprocess.Popen(
        [str(RAY), "start", "--head", "--block", "--num-cpus=2", f"--port={gcs}",
         f"--ray-client-server-port={client}", "--include-dashboard=false", "--disable-usage-stats"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_AUTH_MODE", "disabled")
        try:
            deadline = time.monotonic() + 90
            while True:
                assert head.poll() is None, "ray start --head exited"
                try:
                    socket.create_connection(("127.0.0.1", client), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the Ray Client port never opened"
                    time.sleep(0.2)
            yield f"ray://127.0.0.1:{client}"
        finally:
            head.send_signal(signal.SIGTERM)  # `ray start --block` stops what it started
            with contextlib.suppress(subprocess.TimeoutExpired):
                head.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(head.pid, signal.SIGKILL)  # anything of its group left (gcs_server ignores TERM)
            # Ray's pointer to "the cluster of this machine": stale once ours is gone, and `ray` / ray.init()
            # would then try to reach it. Removed only when it names this module's cluster.
            current = Path("/tmp/ray/ray_current_cluster")
            with contextlib.suppress(OSError):
                if current.read_text().strip().endswith(f":{gcs}"):
                    current.unlink()


@pytest.fixture(scope="module")
def local_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], str]:
    db = tmp_path_factory.mktemp("local") / "local.sqlite"
    api.evaluate(suite=MINI, samples=SAMPLES, db=db, workers=2, seed=5)
    return _verdicts(db)


def _verdicts(db: Path) -> dict[tuple[str, int], str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT task_id, sample, verdict FROM samples").fetchall()
    assert len(rows) == len({(t, s) for t, s, _ in rows})
    return {(t, s): v for t, s, v in rows}


def _sample_hosts(db: Path) -> list[tuple[str, int, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT task_id, sample, host, isolation FROM sample_hosts").fetchall()


def _busy_workers() -> Iterator[int]:
    """Ray worker processes running a unit of an evaluation (Ray titles them ``ray::<function>``)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().startswith(b"ray::evaluate_unit"):
                    yield int(entry.name)
            except OSError:
                continue


def _has_children(pid: int) -> bool:
    try:
        return bool((Path("/proc") / str(pid) / "task" / str(pid) / "children").read_text().split())
    except OSError:
        return False


class _Killer(threading.Thread):
    """SIGKILLs the first Ray worker seen evaluating a unit while one of its sandboxes runs (mid-sample)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.killed: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in _busy_workers():
                if _has_children(pid):
                    os.kill(pid, signal.SIGKILL)
                    self.killed = pid
                    return
            time.sleep(0.02)


def test_a_worker_killed_mid_sample_is_retried_and_nothing_counts_twice(
    cluster: str, local_verdicts: dict[tuple[str, int], str], tmp_path: Path
) -> None:
    db = tmp_path / "ray.sqlite"
    killer = _Killer()
    killer.start()
    try:
        report = api.evaluate(suite=MINI, samples=SAMPLES, db=db, seed=5, executor=cluster)
    finally:
        killer.stop.set()
        killer.join()
    assert killer.killed is not None, "no Ray worker was seen evaluating a unit"
    assert not Path(f"/proc/{killer.killed}").exists()
    # The killed worker's unit was retried elsewhere: every sample is there once, judged as locally.
    assert _verdicts(db) == local_verdicts
    assert report.info.evaluated == len(local_verdicts)
    hosts = _sample_hosts(db)
    assert sorted((t, s) for t, s, _, _ in hosts) == sorted(local_verdicts)
    assert {(h, tier) for _, _, h, tier in hosts} == {(socket.gethostname(), hosts[0][3])}
    data = report.to_dict()
    assert data["hosts"] == [{"host": socket.gethostname(), "isolation": hosts[0][3], "samples": 12}]
    assert data["mixed_isolation"] is False


def test_cli_on_the_machines_cluster_killed_and_resumed_loses_nothing(
    cluster: str, local_verdicts: dict[tuple[str, int], str], tmp_path: Path
) -> None:
    """`--executor ray` finds the cluster `ray start` runs on this machine; kill -9 of the driver once
    some samples are stored, then the same command again finishes the run."""
    db = tmp_path / "cli.sqlite"
    argv = [str(EFFILAB), "evaluate", "--suite", str(MINI), "--samples", str(SAMPLES), "--db", str(db),
            "--seed", "5", "--executor", "ray", "--json"]  # fmt: skip
    first = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stored = 0
    while first.poll() is None and time.monotonic() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    stored = conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0  # tables not created yet
        if stored:
            break
        time.sleep(0.05)
    if first.poll() is None:
        first.kill()
    _, err = first.communicate()
    assert stored, f"no sample was stored before the driver ended: {err.decode()[-2000:]}"
    before = _verdicts(db)

    second = subprocess.run(argv, env=ENV, capture_output=True, timeout=180, check=False)
    assert second.returncode == 0, second.stderr.decode()[-2000:]
    result = json.loads(second.stdout)
    assert result["resumed"] is True
    assert result["already_done"] == len(before)
    assert result["already_done"] + result["evaluated_now"] == len(local_verdicts)
    assert _verdicts(db) == local_verdicts
    assert len(_sample_hosts(db)) == len(local_verdicts)


def test_reward_on_ray_judges_as_locally(cluster: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """EfficiencyReward(executor=ray://...): a correct, a wrong and a slow (O(n^2), correct) completion get
    the verdicts and reward order they get locally; references measured once, each judgement one Ray task."""
    shipped: list[tuple[str, bool, int]] = []
    real_call = RayExecutor.call

    def counting(self: RayExecutor, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        shipped.append((fn.__name__, arg.reference is None, len(arg.samples)))
        return real_call(self, fn, arg)

    monkeypatch.setattr(RayExecutor, "call", counting)
    completions = [STANDARD, WRONG, NAIVE]
    settings: dict[str, Any] = {"suite": "effilab", "workers": 2, "seed": 5, "repetitions": 1}
    with EfficiencyReward(**settings) as local:
        expected = local.score_detailed([TASK] * 3, completions)
    with EfficiencyReward(**settings, executor=cluster) as remote:
        got = remote.score_detailed([TASK] * 3, completions)
        # Another program of the same problem: judged against the references measured for the batch above.
        later = remote.score_detailed([TASK], [_fenced((PROBLEM / "naive.py").read_text() + "# again\n")])
        copy = pickle.loads(pickle.dumps(remote))  # the executor's name travels, not the connection
        assert (copy.executor_name, copy.remote) == (cluster, True)
        copy.close()
    assert [(r.outcome, r.verdict) for r in got] == [(r.outcome, r.verdict) for r in expected]
    for results in (expected, got):
        standard, wrong, naive = results
        assert (standard.outcome, wrong.outcome, naive.outcome) == (Outcome.CORRECT, Outcome.FAILED,
                                                                     Outcome.CORRECT)  # fmt: skip
        assert standard.reward > naive.reward >= 1.0 > wrong.reward == 0.0
        assert standard.eff > naive.eff
    assert later[0].outcome is Outcome.CORRECT
    assert not later[0].cached
    # One task measured the references (no samples), then one task per program, with those references.
    assert shipped == [("evaluate_unit", True, 0)] + [("evaluate_unit", False, 1)] * 4
