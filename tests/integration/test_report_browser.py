"""The report in a real browser: headless Chromium loads it; every plot draws, nothing errs, nothing loads.

Chromium is Debian's package (scripts/install.sh installs it as root). The test is skipped, with the
reason, only where it cannot be installed (not root, or no apt-get); a root machine with apt-get that lacks
it fails, so CI (root) always runs it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import effilab
from effilab.report.browser import check_page, find_chromium
from fakes import report_store

pytestmark = pytest.mark.browser
pytest.importorskip("plotly", reason="the report extra (plotly) is not installed")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is not None:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        pytest.fail(
            "chromium is missing but installable here: run scripts/install.sh (apt-get install chromium)"
        )
    pytest.skip("chromium is not installed and cannot be installed here (not root or no apt-get)")


def _report(tmp_path: Path) -> tuple[Path, effilab.ReportFile]:
    results = report_store.build(tmp_path)
    scale = tmp_path / "scale.json"
    scale.write_text(json.dumps(report_store.SCALE_JSON))
    compare = tmp_path / "compare.json"
    compare.write_text(json.dumps(report_store.COMPARE_JSON))
    out = tmp_path / "report.html"
    written = effilab.report(results, scale, compare, out=out, run="run-a", compare="run-b")
    return out, written


def test_every_plot_renders_without_errors_or_requests(chromium: str, tmp_path: Path) -> None:
    out, written = _report(tmp_path)
    check = check_page(out, chromium=chromium, timeout=90)
    assert check.errors == ()
    assert check.figures == written.figures == 8
    assert check.rendered == check.figures
    assert check.plots == check.figures  # each figure's element holds a drawn SVG
    assert check.points > 50
    assert check.broken_links == ()
    # the page's own file is the only request: plotly.js is inlined, the CSP forbids anything else
    assert check.requests == (out.resolve().as_uri(),)


def test_clicking_a_point_goes_to_its_sample(chromium: str, tmp_path: Path) -> None:
    out, _ = _report(tmp_path)
    check = check_page(out, chromium=chromium, timeout=90)
    assert check.clicked is not None
    assert check.clicked.startswith("#sample-"), check.clicked


def test_a_page_error_is_seen(chromium: str, tmp_path: Path) -> None:
    """The check itself: an error thrown by the page is reported, not missed."""
    out, _ = _report(tmp_path)
    page = out.read_text(encoding="utf-8").replace("</body>", "<script>undefinedCall();</script></body>")
    out.write_text(page, encoding="utf-8")
    check = check_page(out, chromium=chromium, timeout=90, click=False)
    assert any("undefinedCall" in error for error in check.errors), check.errors
