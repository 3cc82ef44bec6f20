"""`effilab export` from a store made by a real evaluation of the mini suite (sandboxed), in JSONL and
Parquet, read back with `datasets.load_dataset` when it is installed."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from effilab import api
from effilab.cli.main import main
from effilab.errors import InvalidArgument

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "suites" / "mini"
SAMPLES = DATA / "samples" / "mini.jsonl"
HAS_DATASETS = importlib.util.find_spec("datasets") is not None
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(results file, samples file, run id) of one evaluation of the mini suite's 12 samples."""
    root = tmp_path_factory.mktemp("export")
    samples = root / "samples.jsonl"
    shutil.copy(SAMPLES, samples)
    db = root / "results.sqlite"
    report = api.evaluate(suite=MINI, samples=samples, db=db, workers=2)
    return db, samples, report.info.run_id


def _main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _rows(db: Path, run_id: str) -> dict[tuple[str, int], tuple[str, float | None]]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT task_id, sample, verdict, speedup FROM samples WHERE run_id = ?", (run_id,)
        )
        return {(t, s): (v, sp) for t, s, v, sp in rows}


def test_sft_teaches_the_fastest_correct_sample_of_each_problem(
    evaluated: tuple[Path, Path, str], tmp_path: Path
) -> None:
    db, _samples, run_id = evaluated
    out = tmp_path / "sft.jsonl"
    status, stdout, stderr = _main(
        ["export", "--db", str(db), "--format", "sft", "--out", str(out), "--json"]
    )
    assert status == 0, stderr
    summary = json.loads(stdout)
    assert (summary["records"], summary["runs"]) == (2, [run_id])
    records = _jsonl(out)
    rows = _rows(db, run_id)
    for record in records:
        task = record["task_id"]
        best = max(sp for (t, _), (v, sp) in rows.items() if t == task and v == "ok" and sp is not None)
        assert record["speedup"] == pytest.approx(best)
        assert record["verdict"] == "ok"
        user, assistant = record["messages"]
        assert user["role"] == "user"
        assert f"`{'count_distinct' if task == 'count-distinct' else 'topo_order'}`" in user["content"]
        assert assistant["role"] == "assistant"
        assert assistant["content"].startswith("```python\n")
        assert assistant["content"].endswith("\n```")
    with_system = api.export(db=db, format="sft", out=tmp_path / "s2.jsonl", system=True)
    assert with_system.records == 2
    assert _jsonl(tmp_path / "s2.jsonl")[0]["messages"][0]["role"] == "system"


def test_dpo_pairs_are_significant_and_rrhf_ranks_every_response(
    evaluated: tuple[Path, Path, str], tmp_path: Path
) -> None:
    db, _samples, _run_id = evaluated
    report = api.export(db=db, format="dpo", out=tmp_path / "dpo.jsonl", pairs_per_problem=None)
    records = _jsonl(tmp_path / "dpo.jsonl")
    assert report.records == len(records) > 0
    assert set(report.kinds) <= {"correctness", "efficiency"}
    assert report.kinds.get("correctness", 0) > 0
    for record in records:
        assert record["chosen_verdict"] == "ok"
        assert record["chosen"] != record["rejected"]
        if record["kind"] == "correctness":
            assert record["rejected_verdict"] != "ok"
            assert record["margin"] is None
        else:
            assert record["rejected_verdict"] == "ok"
            assert record["p_value"] <= 0.05
            assert record["margin"] is None or record["margin"] >= 1.5
            assert record["chosen_speedup"] > record["rejected_speedup"]
    # A stricter rule keeps a subset of the efficiency pairs and every correctness pair.
    strict = api.export(
        db=db, format="dpo", out=tmp_path / "strict.jsonl", min_ratio=1000.0, pairs_per_problem=None
    )
    assert strict.kinds.get("efficiency", 0) <= report.kinds.get("efficiency", 0)
    assert strict.kinds["correctness"] == report.kinds["correctness"]
    capped = api.export(db=db, format="dpo", out=tmp_path / "capped.jsonl", pairs_per_problem=1)
    assert capped.records == 2  # one per problem

    rrhf = api.export(db=db, format="rrhf", out=tmp_path / "rrhf.jsonl")
    assert rrhf.records == 2
    for record in _jsonl(tmp_path / "rrhf.jsonl"):
        scores = record["scores"]
        assert scores == sorted(scores, reverse=True)
        assert len(record["responses"]) == len(scores) == len(record["verdicts"])
        assert all(s == 0.0 for s, v in zip(scores, record["verdicts"], strict=True) if v != "ok")
        assert all(s > 0.0 for s, v in zip(scores, record["verdicts"], strict=True) if v == "ok")


@pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow is not installed (pip install 'effilab[parquet]')")
def test_parquet_and_jsonl_hold_the_same_records(evaluated: tuple[Path, Path, str], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    db, _samples, _run = evaluated
    for fmt in ("sft", "dpo", "rrhf"):
        api.export(db=db, format=fmt, out=tmp_path / f"{fmt}.jsonl")
        api.export(db=db, format=fmt, out=tmp_path / f"{fmt}.parquet")
        assert pq.read_table(tmp_path / f"{fmt}.parquet").to_pylist() == _jsonl(tmp_path / f"{fmt}.jsonl")


@pytest.mark.skipif(not HAS_DATASETS, reason="datasets is not installed (pip install 'effilab[train]')")
def test_load_dataset_reads_both_formats(evaluated: tuple[Path, Path, str], tmp_path: Path) -> None:
    from datasets import load_dataset

    db, _samples, _run = evaluated
    for fmt, columns in (("sft", {"messages"}), ("dpo", {"prompt", "chosen", "rejected", "margin"}),
                         ("rrhf", {"prompt", "responses", "scores"})):  # fmt: skip
        for suffix, loader in ((".jsonl", "json"), (".parquet", "parquet")):
            out = tmp_path / f"{fmt}{suffix}"
            report = api.export(db=db, format=fmt, out=out)
            dataset = load_dataset(
                loader, data_files=str(out), split="train", cache_dir=str(tmp_path / "cache")
            )
            assert dataset.num_rows == report.records
            assert columns <= set(dataset.column_names)
            if fmt == "dpo":
                assert dataset[0]["chosen"][0]["role"] == "assistant"


def test_a_changed_or_missing_samples_file_is_reported_not_guessed(
    evaluated: tuple[Path, Path, str], tmp_path: Path
) -> None:
    db, samples, run_id = evaluated
    copy = tmp_path / "results.sqlite"
    shutil.copy(db, copy)
    moved = samples.with_suffix(".moved")
    samples.rename(moved)
    try:
        status, _out, err = _main(
            ["export", "--db", str(copy), "--format", "sft", "--out", str(tmp_path / "x.jsonl")]
        )
        assert status == 2
        assert err.startswith("error: ")
        assert "samples file" in err
        assert "is gone" in err
        assert len(err.strip().splitlines()) == 1
        with pytest.raises(InvalidArgument, match="is gone"):
            api.export(db=copy, format="dpo", out=tmp_path / "y.jsonl", run=run_id)
        samples.write_text(moved.read_text() + "\n")  # other bytes than the run read
        with pytest.raises(InvalidArgument, match="has changed since it was evaluated"):
            api.export(db=copy, format="dpo", out=tmp_path / "y.jsonl", run=run_id)
    finally:
        samples.unlink(missing_ok=True)
        moved.rename(samples)
    assert not (tmp_path / "x.jsonl").exists()


def test_bad_arguments_are_one_line_errors(evaluated: tuple[Path, Path, str], tmp_path: Path) -> None:
    db, _samples, _run = evaluated
    out = str(tmp_path / "x.jsonl")
    cases = [
        (["--format", "sft", "--db", str(tmp_path / "none.sqlite")], "no such file"),
        (["--format", "sft", "--run", "nope"], "no evaluation run with that id"),
        (["--format", "dpo", "--min-ratio", "0.5"], "--min-ratio=0.5"),
        (["--format", "dpo", "--alpha", "1"], "--alpha=1"),
        (["--format", "sft", "--suite", "effilab"], "nothing to export"),
    ]
    for extra, message in cases:
        argv = ["export", "--db", str(db), "--out", out, *extra]
        if "--db" in extra:
            argv = ["export", "--out", out, *extra]
        status, stdout, err = _main(argv)
        assert (status, stdout) == (2, ""), (extra, err)
        assert message in err, (extra, err)
        assert len(err.strip().splitlines()) == 1
    status, _out, err = _main(["export", "--db", str(db), "--out", out, "--format", "kto"])
    assert status == 2
    assert "invalid choice" in err
