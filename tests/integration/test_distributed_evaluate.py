"""The distributed evaluation path (units shipped as plain data, rows committed by the parent) on this
machine's threads, without Ray: the same verdicts as the runner's own path, references measured once per
problem although a problem is cut into several units, each sample stored once with its host."""

from __future__ import annotations

import contextlib
import io
import socket
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest

from effilab.cli.main import main
from effilab.evaluate import runner
from effilab.evaluate.distributed import UnitTask, evaluate_unit
from effilab.evaluate.engine import EvalConfig
from effilab.evaluate.samples import open_samples
from effilab.evaluate.store import ResultStore
from effilab.executors import LocalExecutor, ray_executor
from effilab.suites.registry import load_suite

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "suites" / "mini"
SAMPLES = DATA / "samples" / "mini.jsonl"
A = TypeVar("A")
R = TypeVar("R")


class _Hosts(LocalExecutor):
    """This machine's threads, named as a remote executor so that the runner ships units; records them."""

    name = "test-hosts"

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.tasks: list[UnitTask] = []
        self._lock = threading.Lock()

    def call(self, fn: Callable[[A], R], arg: A) -> Future[R]:
        assert fn is evaluate_unit
        with self._lock:
            self.tasks.append(arg)  # type: ignore[arg-type]
        return super().call(fn, arg)


class _Quiet:
    def start(self, total: int, done: int, resumed: bool) -> None: ...
    def advance(self, row: Any) -> None: ...
    def note(self, text: str) -> None: ...
    def close(self) -> None: ...


def test_units_of_one_problem_wait_for_its_references_and_match_the_local_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "CHUNK", 3)  # count-distinct's 8 samples become 3 units, topo-order's 4 two
    suite = load_suite(str(MINI))
    config = EvalConfig(seed=5)
    local_db, hosts_db = tmp_path / "local.sqlite", tmp_path / "hosts.sqlite"
    with ResultStore(local_db) as store:
        runner.evaluate(
            suite, open_samples(SAMPLES, suite), store, config, ks=(1,), workers=2, reporter=_Quiet()
        )
    executor = _Hosts()
    with ResultStore(hosts_db) as store, executor:
        info = runner.evaluate(suite, open_samples(SAMPLES, suite), store, config, ks=(1,), workers=2,
                               reporter=_Quiet(), executor=executor)  # fmt: skip
    assert info.evaluated == 12
    measuring = [t.problem.id for t in executor.tasks if t.reference is None]
    assert sorted(measuring) == ["count-distinct", "topo-order"]  # once per problem, not once per unit
    assert len(executor.tasks) == 5
    assert all(len(t.samples) <= 3 for t in executor.tasks)

    def rows(db: Path, query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(db) as conn:
            return sorted(conn.execute(query).fetchall())

    verdicts = "SELECT task_id, sample, verdict, passed FROM samples"
    assert rows(hosts_db, verdicts) == rows(local_db, verdicts)
    assert len(rows(hosts_db, "SELECT task_id FROM problems")) == 2
    placed = rows(hosts_db, "SELECT task_id, sample, host FROM sample_hosts")
    assert [(t, s) for t, s, _ in placed] == [(t, s) for t, s, _, _ in rows(hosts_db, verdicts)]
    assert {h for _, _, h in placed} == {socket.gethostname()}
    assert info.summary.to_json()["hosts"][0]["samples"] == 12


def test_a_unit_result_is_plain_data() -> None:
    """What crosses back from a host holds only builtin values (no candidate objects, no effilab types)."""
    suite = load_suite(str(MINI))
    problem = next(p for p in suite if p.id == "count-distinct")
    program = "def count_distinct(nums):\n    return len(set(nums))\n"
    # Seeds as the runner draws them (distinct_seed: the lead's change in progress adds it to EvalConfig).
    seeds = {"seed": 5}
    if "distinct_seed" in EvalConfig.__dataclass_fields__:
        seeds["distinct_seed"] = 6
    config = EvalConfig(**seeds)
    result = evaluate_unit(UnitTask("r", problem, config, None, ((0, 1, program),)))

    def builtin(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and builtin(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return all(builtin(v) for v in value)
        return value is None or type(value) in (str, int, float, bool)

    assert builtin(result)
    assert result["rows"][0]["verdict"] == "ok"
    assert result["reference"] is not None
    assert "cold_s" in result["reference"]


def test_without_ray_the_executor_option_is_one_line_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def missing(name: str) -> Any:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(ray_executor.importlib, "import_module", missing)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["evaluate", "--suite", str(MINI), "--samples", str(SAMPLES), "--db",
                     str(tmp_path / "r.sqlite"), "--executor", "ray"])  # fmt: skip
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1, err.getvalue()
    assert "pip install 'effilab[ray]'" in lines[0]
    assert not (tmp_path / "r.sqlite").exists()  # refused before the results file was opened
