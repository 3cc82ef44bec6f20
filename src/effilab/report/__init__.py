"""The HTML report (``effilab report``): one self-contained file of figures linked to their samples.

Jobs, one module each: :mod:`~effilab.report.data` reads the results file and ``--json`` outputs,
:mod:`~effilab.report.figures` turns them into plotly.js figure specifications, :mod:`~effilab.report.html`
assembles the page, and :mod:`~effilab.report.build` chooses what goes in and writes the file. Plotly is
the optional ``report`` extra, needed only for its JavaScript bundle, and imported only when a report is
written.
"""

from __future__ import annotations

from effilab.report.build import ReportFile, Source, build_report
from effilab.report.data import CompareData, OptimizeRun, ScaleData, json_source

__all__ = ["CompareData", "OptimizeRun", "ReportFile", "ScaleData", "Source", "build_report", "json_source"]
