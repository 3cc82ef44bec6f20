"""The written page: self-contained, escaped, every figure and every link backed by an element."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import effilab
from effilab.cli.main import main
from effilab.errors import InvalidArgument
from effilab.report import html as report_html
from effilab.report.html import anchors_in
from fakes import report_store

pytest.importorskip("plotly", reason="the report extra (plotly) is not installed")

_FIGURES = re.compile(r'<script type="application/json" id="effilab-figures">(.*?)</script>', re.S)


def _figures(page: str) -> list[dict[str, object]]:
    match = _FIGURES.search(page)
    assert match is not None
    specs: list[dict[str, object]] = json.loads(match.group(1))
    return specs


def _without_bundle(page: str) -> str:
    """The page less the plotly.js bundle (which holds URL strings of map styles it never loads here)."""
    start = page.index("<script>")
    end = page.index("</script>", start)
    return page[:start] + page[end:]


@pytest.fixture
def results(tmp_path: Path) -> Path:
    return report_store.build(tmp_path)


def _write(tmp_path: Path, *sources: object, **options: object) -> tuple[str, effilab.ReportFile]:
    out = tmp_path / "report.html"
    written = effilab.report(*sources, out=out, **options)  # type: ignore[arg-type]
    return out.read_text(encoding="utf-8"), written


def test_every_figure_has_its_element_and_every_point_its_section(results: Path, tmp_path: Path) -> None:
    scale = tmp_path / "scale.json"
    scale.write_text(json.dumps(report_store.SCALE_JSON))
    compare = tmp_path / "compare.json"
    compare.write_text(json.dumps(report_store.COMPARE_JSON))
    page, written = _write(tmp_path, results, scale, compare, run="run-a", compare="run-b")
    specs = _figures(page)
    # 5 evaluation figures, 1 optimize run, 1 scale, 1 compare
    assert written.figures == len(specs) == 8
    ids = anchors_in(page)
    for spec in specs:
        assert spec["id"] in ids
        for trace in spec["data"]:  # type: ignore[attr-defined]
            for target in trace.get("customdata", []):
                assert target in ids, f"{spec['id']}: {target} has no element"
    assert "sample-anagram-pair-count-1" in ids  # main run
    assert "sample-b-anagram-pair-count-1" in ids  # the run beside it
    assert written.evaluation_runs == ("run-a", "run-b")
    assert written.samples_shown == 8 + 6


def test_the_page_loads_nothing_from_elsewhere(results: Path, tmp_path: Path) -> None:
    page, _ = _write(tmp_path, results)
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    rest = _without_bundle(page)
    assert not re.search(r"https?://", rest), "a URL outside the plotly.js bundle"
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)
    assert page.count("<script>") == 2  # the bundle once, the page's script once


def test_program_text_is_escaped(results: Path, tmp_path: Path) -> None:
    page, _ = _write(tmp_path, results)
    assert report_store.HOSTILE not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(" in page


def test_figure_json_cannot_end_its_script_element() -> None:
    text = report_html.script_json({"x": "</script><!-- & -->"})
    assert "<" not in text
    assert ">" not in text
    assert json.loads(text) == {"x": "</script><!-- & -->"}


def test_a_big_run_keeps_a_capped_sample_section(tmp_path: Path) -> None:
    results = report_store.build(tmp_path, n_per_task=30)
    page, written = _write(tmp_path, results, run="run-a", max_samples=10)
    assert written.samples_shown == 10
    assert written.samples_left_out == 50
    assert "50 of 60 samples are left out of this section" in page
    ids = anchors_in(page)
    # each problem keeps some samples (round-robin), and points of the others link to their problem
    assert {"sample-anagram-pair-count-0", "sample-coin-change-ways-0"} <= ids
    targets = {t for spec in _figures(page) for tr in spec["data"] for t in tr.get("customdata", [])}  # type: ignore[attr-defined]
    assert "problem-anagram-pair-count" in targets
    assert targets <= ids


def test_sources_without_evaluation_and_bad_options(results: Path, tmp_path: Path) -> None:
    scale = tmp_path / "scale.json"
    scale.write_text(json.dumps(report_store.SCALE_JSON))
    _, written = _write(tmp_path, scale)
    assert (written.figures, written.scales, written.evaluation_runs) == (1, 1, ())
    with pytest.raises(InvalidArgument, match="need a results file"):
        _write(tmp_path, scale, run="x")
    with pytest.raises(InvalidArgument, match="2 results files"):
        _write(tmp_path, results, results)
    with pytest.raises(InvalidArgument, match="max_samples"):
        _write(tmp_path, results, max_samples=-1)
    with pytest.raises(InvalidArgument, match="optimize_run"):
        _write(tmp_path, results, optimize_run=["x"])


def test_compare_with_another_results_file(results: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    second = report_store.build(other)
    _, written = _write(tmp_path, results, run="run-a", compare=f"{second}:run-b")
    assert written.evaluation_runs == ("run-a", "run-b")
    _, written = _write(tmp_path, results, run="run-a", compare=str(second))
    assert written.evaluation_runs == ("run-a", "run-b")  # that file's latest run


def test_command_line(results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(results), "--run", "run-a", "--compare", "run-b", "-o", str(out)]) == 0
    line = capsys.readouterr().out
    assert line.startswith(f"wrote {out} (")
    assert "5 figures" not in line  # 5 evaluation figures + 1 optimize run
    assert "6 figures" in line
    assert main(["report", str(results), "-o", str(out), "--run", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--run 'nope'" in err


def test_without_plotly_one_line_says_how_to_install(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(report_html.importlib.util, "find_spec", lambda name: None)
    assert main(["report", str(results), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "error: effilab report needs plotly: pip install 'effilab[report]' (or: pip install 'plotly>=5')\n"
    )
    assert not (tmp_path / "r.html").exists()
