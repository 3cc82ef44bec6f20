"""`effilab compare` and `effilab scale` from the command line: JSON contract and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.measure import backends

PROGRAMS = Path(__file__).parent / "programs"
WORK = str(PROGRAMS / "work.py")
GEN = str(PROGRAMS / "gen_n.py")


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    report: dict[str, object] = json.loads(out)
    return report


def test_compare_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    slow = str(PROGRAMS / "slow_honest.py")
    report = _json(capsys, ["compare", slow, WORK, "--entry", "linear", "--inputs", GEN, "--size", "20000",
                            "--budget", "15", "--json"])  # fmt: skip
    assert report["metric"] == "time"
    for side in ("a", "b"):
        measurement = report[side]
        assert isinstance(measurement, dict)
        assert measurement["median"] > 0
        assert len(measurement["samples"]) >= 8
    assert report["verdict"] == "faster"
    assert report["correct"] is True
    ci = report["ci"]
    assert isinstance(ci, list)
    assert ci[0] <= report["speedup"] <= ci[1]
    assert report["speedup"] > 5


def test_compare_reports_a_wrong_candidate_with_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(capsys, ["compare", WORK, str(PROGRAMS / "wrong.py"), "--entry", "linear", "--inputs", GEN,
                            "--json"])  # fmt: skip
    assert report["verdict"] == "incorrect"
    assert report["correct"] is False
    assert report["speedup"] is None


def test_compare_human_output_states_the_claim(capsys: pytest.CaptureFixture[str]) -> None:
    slow = str(PROGRAMS / "slow_honest.py")
    assert main(["compare", slow, WORK, "--entry", "linear", "--inputs", GEN, "--size", "20000"]) == 0
    out = capsys.readouterr().out
    assert "B is " in out
    assert "× faster than A" in out
    assert "verdict: faster" in out


def test_scale_json_gives_class_fit_and_points(capsys: pytest.CaptureFixture[str]) -> None:
    # A 16× span of sizes whose calls last milliseconds: over 100…800 (sub-millisecond calls) timer and
    # scheduling noise sometimes made O(n^3) fit best.
    sizes = "200,400,800,1600,3200"
    argv = ["scale", WORK, "--entry", "quadratic", "--inputs", GEN, "--sizes", sizes, "--json"]
    report = _json(capsys, argv)
    assert report["class"] == "O(n^2)"
    assert isinstance(report["fit"], dict)
    points = report["points"]
    assert isinstance(points, list)
    assert [p["size"] for p in points] == [200, 400, 800, 1600, 3200]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", WORK, WORK, "--entry", "linear", "--inputs", str(PROGRAMS / "gen_missing.py")],
         "no function generate"),
        (["compare", WORK, WORK, "--entry", "linear", "--inputs", str(PROGRAMS / "gen_raises.py")],
         "generator exploded"),
        (["compare", WORK, WORK, "--entry", "linear", "--inputs", str(PROGRAMS / "gen_bad.py")],
         "must return a tuple"),
        (["compare", str(PROGRAMS / "stalls.py"), WORK, "--entry", "linear", "--inputs",
          str(PROGRAMS / "gen_n.py"), "--timeout", "0.3", "--size", "10"], "no valid oracle"),
        (["compare", WORK, WORK, "--entry", "nope", "--inputs", GEN], "no valid oracle"),
        (["compare", WORK, str(PROGRAMS / "gen_n.py"), "--entry", "linear", "--inputs", GEN], "B:"),
        (["compare", WORK, WORK, "--entry", "linear", "--inputs", GEN, "--metric", "bogus"],
         "invalid choice"),
        (["compare", WORK, WORK, "--entry", "linear", "--inputs", GEN, "--confidence", "1.5"],
         "--confidence"),
        (["compare", WORK, "/nonexistent.py", "--entry", "linear", "--inputs", GEN], "does not exist"),
        (["compare", WORK, WORK, "--entry", "linear", "--inputs", "/nonexistent.py"], "does not exist"),
        (["scale", WORK, "--entry", "linear", "--inputs", GEN, "--sizes", "10,20"], "at least three"),
        (["scale", WORK, "--entry", "linear", "--inputs", GEN, "--sizes", "10,x,30"], "comma-separated"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_non_zero(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(argv)
    err = capsys.readouterr().err
    assert status != 0
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_instruction_counting_unavailable_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for backend in (backends.PerfInstructionsBackend, backends.CallgrindInstructionsBackend):
        monkeypatch.setattr(backend, "unavailable_reason", classmethod(lambda cls: "not on this machine"))
    status = main(["compare", WORK, WORK, "--entry", "linear", "--inputs", GEN, "--metric", "instructions"])
    err = capsys.readouterr().err
    assert status == 3
    assert "instruction counting is unavailable" in err
    assert err.count("\n") == 1
