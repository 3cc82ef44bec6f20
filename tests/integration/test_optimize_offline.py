"""`effilab optimize` offline (numba) on the shipped example project, and its answers to bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from effilab.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "optimize" / "analytics"

pytest.importorskip("numba")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project, so --apply cannot touch the repository."""
    root = tmp_path / "analytics"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return root


def test_offline_strategy_gives_a_verified_speedup_and_a_patch_that_applies(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = project / "analytics" / "series.py"
    before = series.read_text()
    status = main(
        [
            "optimize",
            f"{series}::max_drawdown",
            "--json",
            "--apply",
            "--measure-budget",
            "10",
            "--db",
            str(tmp_path / "r.sqlite"),
        ]
    )
    out = json.loads(capsys.readouterr().out)
    tried = [(a.get("strategy"), a.get("verdict"), a.get("detail")) for a in out.get("attempts", [])]
    assert status == 0, tried  # on failure: what each attempt came to
    assert out["strategy"] == "numba"
    assert out["accepted"] is True
    assert out["ci"][0] > 1.5  # a compiled O(n²) loop is far faster, not marginally
    assert "@numba.njit" in out["patch"] or "numba.njit(cache=False)" in out["patch"]
    assert out["inputs"]["tests"]["passed_with_original"] > 0  # re-run against the candidate
    assert any("recorded" in source for source in out["inputs"]["sources"])
    assert out["attempts"][-1]["verdict"] == "accepted"
    assert Path(out["applied"]).read_text() == before
    # The patched project still passes its own tests, run the ordinary way.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_uncompilable_function_gets_an_honest_no(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = project / "analytics" / "text.py"
    before = text.read_text()
    status = main(
        [
            "optimize",
            f"{text}::dedupe_preserving_order",
            "--json",
            "--no-tests",
            "--apply",
            "--db",
            ":memory:",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert status == 1
    assert out["accepted"] is False
    assert out["patch"] == ""
    assert out["speedup"] is None
    assert all(a["verdict"] != "accepted" for a in out["attempts"])
    assert out["attempts"]
    assert text.read_text() == before


@pytest.mark.parametrize(
    ("make", "target", "message"),
    [
        (
            lambda p: p.write_text("def f(x: int) -> int:\n    return x\n"),
            "mod.py::g",
            "no top-level function g",
        ),
        (lambda p: p.write_text("g = 3\n"), "mod.py::g", "not a function"),
        (lambda p: p.write_text("def f(x:\n"), "mod.py::f", "mod.py:1"),
        (lambda p: p.write_text("def f(x: int) -> int:\n    return x\n"), "mod.py", "::"),
        (lambda p: None, "missing.py::f", "does not exist"),
    ],
)
def test_bad_targets_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, target: str, message: str
) -> None:
    module = tmp_path / "mod.py"
    make(module)  # type: ignore[operator]
    before = module.read_text() if module.exists() else None
    status = main(["optimize", str(tmp_path / target), "--db", str(tmp_path / "r.sqlite")])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1
    assert err.startswith("error:")
    assert message in err
    assert (module.read_text() if module.exists() else None) == before


def test_llm_strategy_without_a_model_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = tmp_path / "mod.py"
    module.write_text("def f(x: int) -> int:\n    return x\n")
    status = main(["optimize", f"{module}::f", "--strategy", "refine"])
    assert status == 2
    assert "--model" in capsys.readouterr().err
