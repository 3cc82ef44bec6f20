"""``--report FILE`` on the commands: the report of what the command just computed, --json untouched."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.report import html as report_html

pytest.importorskip("plotly", reason="the report extra (plotly) is not installed")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMPARE = [
    "compare", str(EXAMPLES / "dedupe_slow.py"), str(EXAMPLES / "dedupe_fast.py"), "--entry", "dedupe",
    "--inputs", str(EXAMPLES / "dedupe_gen.py"), "--size", "300", "--cases", "1", "--budget", "3",
]  # fmt: skip


def test_compare_writes_its_report_and_json_stays_one_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "compare.html"
    assert main([*COMPARE, "--json", "--report", str(out)]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)  # stdout: exactly the --json object
    assert result["verdict"] != "incorrect"  # any measured verdict (a loaded machine may say "unstable")
    assert f"wrote {out} (" in captured.err
    assert "1 figure, 1 compare result" in captured.err
    page = out.read_text(encoding="utf-8")
    assert 'id="fig-compare-0"' in page
    assert f"{len(result['b']['samples'])} samples" in page


def test_report_is_refused_before_the_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    assert main([*COMPARE, "--report", str(tmp_path / "absent" / "r.html")]) == 2
    assert "--report" in capsys.readouterr().err
    monkeypatch.setattr(report_html.importlib.util, "find_spec", lambda name: None)
    assert main([*COMPARE, "--report", str(tmp_path / "r.html")]) == 2
    assert "pip install 'effilab[report]'" in capsys.readouterr().err
    assert time.monotonic() - started < 2.0  # nothing was measured
