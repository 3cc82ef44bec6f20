"""The report as one self-contained HTML file: plotly.js inlined once, figures as JSON, no URL to load.

Nothing in the file refers to the network: the plotly.js bundle is embedded (it is the ``report`` extra's
only use), styles are inline, and a Content-Security-Policy forbids the page any fetch, so a report opened
offline looks as it does online, and opening a report of untrusted programs cannot call out. Everything
that came from a store or a program (task ids, details, code) is HTML-escaped, and the figures' JSON is
escaped for a ``<script>`` element, so a sample's text cannot end an element or run as script.
"""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import json
import math
import time
from collections.abc import Iterable, Sequence
from typing import Any

from effilab import __version__
from effilab.errors import InvalidArgument
from effilab.evaluate import metrics
from effilab.report.anchors import (
    attempt_anchor,
    compare_anchor,
    optimize_anchor,
    samples_anchor,
    scale_anchor,
)
from effilab.report.data import MAX_CODE_CHARS, CompareData, OptimizeRun, SampleDetail, ScaleData
from effilab.report.figures import Figure, RunView

__all__ = ["CSP", "PageParts", "plotly_js", "render", "require_plotly"]

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)
"""No fetch of any kind: scripts and styles only from the page itself."""

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1200px;
padding:0 1.5em 4em;color:#222;line-height:1.4}
h1{margin-top:1em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .5em;
text-align:right}th{background:#f5f5f5}td.l,th.l{text-align:left}
.wide{overflow-x:auto}
.figure{margin:1.5em 0}.plot{min-height:430px}.caption{color:#555;font-size:.9em;margin:.3em 0}
.links{font-size:.85em}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em;margin:.5em 0}
.sample,.attempt{border:1px solid #e3e3e3;border-radius:4px;padding:.4em .8em;margin:.5em 0}
:target{outline:3px solid #1f77b4;background:#f0f7ff}
.ok,.accepted{color:#2a7d2a}.bad{color:#c0392b}pre{background:#f7f7f7;padding:.6em;overflow:auto;font-size:.85em}
details summary{cursor:pointer}nav a{margin-right:1em}
"""

_SCRIPT = """
(function () {
  var specs = JSON.parse(document.getElementById('effilab-figures').textContent);
  var rendered = 0;
  document.body.setAttribute('data-figures', String(specs.length));
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (!el) return;
    var shown = el.querySelectorAll('details');
    for (var i = 0; i < shown.length; i++) shown[i].open = true;
  }
  window.addEventListener('hashchange', openTarget);
  specs.forEach(function (spec) {
    var div = document.getElementById(spec.id);
    Plotly.newPlot(div, spec.data, spec.layout, {responsive: true, displaylogo: false}).then(function () {
      rendered += 1;
      document.body.setAttribute('data-rendered', String(rendered));
      div.on('plotly_click', function (event) {
        var point = event && event.points && event.points[0];
        if (point && point.customdata) location.hash = String(point.customdata);
      });
    });
  });
  openTarget();
})();
"""


_NO_PLOTLY = "effilab report needs plotly: pip install 'effilab[report]' (or: pip install 'plotly>=5')"


def require_plotly() -> None:
    """:class:`InvalidArgument` with the install line when the ``report`` extra is missing (cheap: the
    bundle is not loaded)."""
    if importlib.util.find_spec("plotly") is None:
        raise InvalidArgument(_NO_PLOTLY)


def plotly_js() -> str:
    """The plotly.js bundle from the ``report`` extra; one clear line when it is not installed."""
    require_plotly()
    try:
        from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]  # noqa: PLC0415 - extra
    except ImportError:
        raise InvalidArgument(_NO_PLOTLY) from None
    bundle: str = get_plotlyjs()
    return bundle


def script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive unescaped."""
    text = json.dumps(value, allow_nan=False, separators=(",", ":"), default=_jsonable)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _jsonable(value: object) -> object:
    raise TypeError(f"not JSON: {type(value).__name__}")


def _clean(value: Any) -> Any:
    """NaN and infinities become null (JSON has neither; plotly leaves a null point out)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class PageParts:
    """Everything the page shows, already chosen (which runs, which samples get a section)."""

    title: str
    sources: tuple[str, ...]
    views: tuple[RunView, ...]
    shown: dict[str, tuple[SampleDetail, ...]]
    """Run tag → the samples that get a section (the others are counted in a note)."""
    optimize: tuple[OptimizeRun, ...]
    scales: tuple[ScaleData, ...]
    compares: tuple[CompareData, ...]
    figures: tuple[Figure, ...]
    notes: tuple[str, ...]


def render(parts: PageParts, *, bundle: str) -> str:
    """The whole HTML document."""
    e = html.escape
    body: list[str] = [f"<h1>{e(parts.title)}</h1>"]
    generated = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    body.append(
        f"<p class=caption>effilab {e(__version__)} · generated {e(generated)} · from "
        f"{', '.join(e(s) for s in parts.sources)}</p>"
    )
    body.append(_nav(parts))
    body.extend(f"<p class=note>{e(note)}</p>" for note in parts.notes)
    figures = {f.id: f for f in parts.figures}
    if parts.views:
        body.append('<section id="evaluation"><h2>Evaluation</h2>')
        body.append(_run_table(parts.views))
        body.extend(_figure(f) for f in parts.figures if f.id in _EVAL_FIGURES)
        body.append(_problem_table(parts.views))
        body.append("</section>")
    for i, run in enumerate(parts.optimize):
        body.append(f"<section><h2>Optimize run {e(run.run_id)}: {e(run.target)}</h2>")
        body.append(_figure(figures[f"fig-optimize-{i}"]))
        body.append(_attempts(run, i))
        body.append("</section>")
    for i, scale in enumerate(parts.scales):
        body.append(f"<section><h2>Scaling: {e(scale.label)}</h2>")
        body.append(_figure(figures[f"fig-scale-{i}"]))
        body.append(_scale_table(scale, i))
        body.append("</section>")
    for i, compare in enumerate(parts.compares):
        body.append(f"<section><h2>Compare: {e(compare.label)}</h2>")
        body.append(_figure(figures[f"fig-compare-{i}"]))
        body.append(_compare_tables(compare, i))
        body.append("</section>")
    for view in parts.views:
        body.append(_samples_section(view, parts.shown.get(view.tag, ())))
    specs = [{"id": f.id, "data": _clean(f.data), "layout": _clean(f.layout)} for f in parts.figures]
    return "".join(
        [
            "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>",
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name=viewport content="width=device-width, initial-scale=1">',
            f"<title>{e(parts.title)}</title><style>{_STYLE}</style></head><body>\n",
            "\n".join(body),
            f'\n<script type="application/json" id="effilab-figures">{script_json(specs)}</script>\n',
            f"<script>{bundle}</script>\n<script>{_SCRIPT}</script>\n</body></html>\n",
        ]
    )


_EVAL_FIGURES = ("fig-summary", "fig-per-problem", "fig-cost-problem", "fig-cost-level", "fig-speedup")


def _nav(parts: PageParts) -> str:
    links = []
    if parts.views:
        links.append(("evaluation", "Evaluation"))
        links.extend((samples_anchor(v.tag), f"Samples of {v.name}") for v in parts.views)
    links.extend((optimize_anchor(i), f"Optimize {run.run_id}") for i, run in enumerate(parts.optimize))
    links.extend((scale_anchor(i), f"Scaling {s.label}") for i, s in enumerate(parts.scales))
    links.extend((compare_anchor(i), f"Compare {c.label}") for i, c in enumerate(parts.compares))
    return "<nav>" + "".join(f'<a href="#{html.escape(a)}">{html.escape(t)}</a>' for a, t in links) + "</nav>"


def _figure(figure: Figure) -> str:
    e = html.escape
    links = " · ".join(f'<a href="#{e(anchor)}">{e(text)}</a>' for text, anchor in figure.links)
    return (
        f'<div class=figure><div class=plot id="{e(figure.id)}"></div>'
        f"<p class=caption>{e(figure.caption)}</p><p class=links>Behind this figure: {links}</p></div>"
    )


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "censored"
    return f"{value:.{digits}g}" if abs(value) >= 1000 or abs(value) < 0.001 else f"{value:.{digits}f}"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], left: int = 1) -> str:
    """Cells are HTML already; the first ``left`` columns are left-aligned."""
    cls = [" class=l" if i < left else "" for i in range(len(head))]
    out = [
        "<div class=wide><table><tr>",
        *(f"<th{c}>{html.escape(h)}</th>" for c, h in zip(cls, head, strict=True)),
        "</tr>",
    ]
    for row in rows:
        out.append(
            "<tr>" + "".join(f"<td{c}>{cell}</td>" for c, cell in zip(cls, row, strict=True)) + "</tr>"
        )
    out.append("</table></div>")
    return "".join(out)


def _short(suite: str) -> str:
    """A suite's name: a folder path's last part (``…/builtin/effilab`` → ``effilab``), else as given."""
    prefix, colon, rest = suite.partition(":")
    if colon and "/" not in prefix:
        return f"{prefix}:{rest.rsplit('/', 1)[-1]}"
    return suite.rstrip("/").rsplit("/", 1)[-1]


def _run_table(views: Sequence[RunView]) -> str:
    e = html.escape
    keys: list[str] = []
    values = [v.run.summary.metric_values() for v in views]
    for found in values:
        keys.extend(k for k, value in found.items() if value is not None and k not in keys)
    head = ["run", "suite", "samples file", "metric", "problems", "samples", *keys]
    rows = []
    for view, found in zip(views, values, strict=True):
        config, summary = view.run.config, view.run.summary
        rows.append(
            [
                f'<a href="#{e(samples_anchor(view.tag))}">{e(view.name)}</a>'
                f"<br><small>{e(view.run.run_id)}</small>",
                e(_short(str(config.get("suite", "?")))),
                e(str(config.get("samples", "?"))),
                e(summary.metric),
                str(len(summary.problems)),
                str(sum(p.n for p in summary.problems)),
                *(_fmt(found.get(k)) for k in keys),
            ]
        )
    notes = [f"<p class=note>{e(view.name)}: {e(n)}</p>" for view in views for n in view.run.notes]
    for view in views:
        for task, reason in sorted(view.run.summary.broken.items()):
            notes.append(f"<p class=note>{e(view.name)}: problem {e(task)} is broken: {e(reason)}</p>")
        if view.run.summary.dropped:
            count = len(view.run.summary.dropped)
            notes.append(
                f"<p class=note>{e(view.name)}: {count} case(s) dropped (the oracle could not answer)</p>"
            )
    return _table(head, rows, left=4) + "".join(notes)


def _problem_table(views: Sequence[RunView]) -> str:
    e = html.escape
    out = []
    for view in views:
        k = min(view.run.summary.ks)
        rows = []
        for p in view.run.summary.problems:
            verdicts = ", ".join(f"{e(v)} {n}" for v, n in sorted(p.verdicts.items()))
            rows.append(
                [
                    f'<a href="#{e(view.problem(p.task_id))}">{e(p.task_id)}</a>',
                    str(p.n),
                    str(p.correct),
                    _fmt(metrics.pass_at_k(p.n, p.correct, k) if p.n >= k else None),
                    _fmt(metrics.eff_at_k(p.scores, k) if p.timed and p.n >= k else None),
                    _fmt(p.best_speedup),
                    verdicts,
                ]
            )
        out.append(f"<h3>Per problem: {e(view.name)}</h3>")
        head = ["problem", "n", "correct", f"pass@{k}", f"eff@{k}", "best speedup", "verdicts"]
        out.append(_table(head, rows))
    return "".join(out)


def _samples_section(view: RunView, shown: Sequence[SampleDetail]) -> str:
    e = html.escape
    run = view.run
    out = [f'<section id="{e(samples_anchor(view.tag))}"><h2>Samples of {e(view.name)}</h2>']
    left_out = len(run.samples) - len(shown)
    if left_out:
        out.append(
            f"<p class=note>{left_out} of {len(run.samples)} samples are left out of this section "
            "(--max-samples); their points link to their problem.</p>"
        )
    by_task: dict[str, list[SampleDetail]] = {}
    for item in shown:
        by_task.setdefault(item.row.task_id, []).append(item)
    unit = run.unit
    for problem in run.summary.problems:
        items = by_task.get(problem.task_id, [])
        out.append(f'<div id="{e(view.problem(problem.task_id))}"><h3>{e(problem.task_id)}</h3>')
        if len(items) < problem.n:
            out.append(f"<p class=caption>{problem.n - len(items)} sample(s) not shown.</p>")
        out.extend(_sample(view, item, unit) for item in items)
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def _sample(view: RunView, item: SampleDetail, unit: str) -> str:
    e = html.escape
    row = item.row
    status = "ok" if row.passed else "bad"
    head = (
        f'<div class=sample id="{e(view.sample(row.task_id, row.sample))}"><b>{e(row.task_id)} · sample '
        f"{row.sample}</b> (line {row.line}) · <span class={status}>{e(row.verdict)}</span> · eff "
        f"{_fmt(row.score)} · speedup {_fmt(row.speedup)} · DPE {_fmt(row.dpe)}"
    )
    parts = [head]
    if row.detail:
        parts.append(f"<div class=caption>{e(row.detail)}</div>")
    levels = [lv for lv in row.levels if lv.cost is not None or lv.reference_cost is not None]
    if levels:
        rows = [
            [
                str(lv.level),
                e(lv.verdict),
                _cost(lv.cost, unit),
                _cost(lv.reference_cost, unit),
                _fmt(lv.cost / lv.reference_cost) if lv.cost is not None and lv.reference_cost else "–",
            ]
            for lv in levels
        ]
        parts.append(_table(["level", "verdict", "worst case", "fastest reference", "ratio"], rows))
    parts.append(_code(item.code))
    parts.append("</div>")
    return "".join(parts)


def _cost(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "≥ limit (censored)"
    if unit == "instructions":
        return f"{value:.4g} instr"
    for scale, name in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if value >= scale:
            return f"{value / scale:.4g} {name}"
    return f"{value / 1e-9:.4g} ns"


def _code(code: str | None, what: str = "program") -> str:
    if code is None:
        return f"<div class=caption>{what} not available</div>"
    cut = ""
    if len(code) > MAX_CODE_CHARS:
        cut = f" (first {MAX_CODE_CHARS} of {len(code)} characters)"
        code = code[:MAX_CODE_CHARS]
    return f"<details><summary>{what}{cut}</summary><pre><code>{html.escape(code)}</code></pre></details>"


def _attempts(run: OptimizeRun, index: int) -> str:
    e = html.escape
    outcome = "not finished" if run.accepted is None else "accepted" if run.accepted else "nothing accepted"
    speed = f", {_fmt(run.speedup)}× faster" if run.accepted and run.speedup else ""
    out = [f'<div id="{e(optimize_anchor(index))}"><p>{e(outcome)}{speed}; {len(run.attempts)} attempts</p>']
    for a in run.attempts:
        cls = "accepted" if a.verdict == "accepted" else "bad"
        ci = f" (CI {_fmt(a.ci[0])} – {_fmt(a.ci[1])})" if a.ci else ""
        lines = [
            f'<div class=attempt id="{e(attempt_anchor(index, a.index))}"><b>#{a.index}</b> '
            f"{e(a.strategy)}{'' if a.round is None else f', round {a.round}'} · "
            f"<span class={cls}>{e(a.verdict)}</span> · speedup {_fmt(a.speedup)}{ci}"
            f" · checked on {a.checked if a.checked is not None else '–'} inputs"
        ]
        if a.detail:
            lines.append(f"<div class=caption>{e(a.detail)}</div>")
        for label, value in (("input", a.failing_input), ("expected", a.expected), ("got", a.actual)):
            if value is not None:
                lines.append(f"<div class=caption>{label}: <code>{e(value[:2000])}</code></div>")
        lines.append(_code(a.code, "candidate"))
        lines.append("</div>")
        out.append("".join(lines))
    out.append("</div>")
    return "".join(out)


def _scale_table(scale: ScaleData, index: int) -> str:
    e = html.escape
    unit = str(scale.data.get("unit", ""))
    out = [f'<div id="{e(scale_anchor(index))}">']
    rows = []
    for point in scale.data.get("points", []):
        if not isinstance(point, dict):
            continue
        samples = ", ".join(_fmt(v, 4) for v in point.get("samples", []))
        size = int(point["size"])
        rows.append(
            [
                f'<span id="{e(scale_anchor(index, size))}">{size}</span>',
                _fmt(point.get("median"), 4),
                _fmt(point.get("mad"), 4),
                f"<small>{e(samples)}</small>",
            ]
        )
    out.append(_table(["size", f"median ({unit})", "MAD", "samples"], rows))
    for label in ("stopped",):
        if scale.data.get(label):
            out.append(f"<p class=note>{label}: {e(str(scale.data[label]))}</p>")
    out.extend(f"<p class=note>warning: {e(str(w))}</p>" for w in scale.data.get("warnings", []))
    out.append("</div>")
    return "".join(out)


def _compare_tables(compare: CompareData, index: int) -> str:
    e = html.escape
    out = [
        f'<div id="{e(compare_anchor(index))}"><p>verdict: <b>{e(str(compare.data.get("verdict")))}</b>'
        f" ({e(str(compare.data.get('reason', '')))})</p>"
    ]
    unit = str(compare.data.get("unit", ""))
    for side in ("a", "b"):
        m = compare.data.get(side) or {}
        samples = ", ".join(_fmt(v, 4) for v in m.get("samples", []))
        out.append(
            f'<p id="{e(compare_anchor(index, side))}"><b>{side.upper()}</b>: median '
            f"{_fmt(m.get('median'), 4)} {e(unit)}, MAD {_fmt(m.get('mad'), 4)}, {m.get('n', 0)} samples: "
            f"<small>{e(samples)}</small></p>"
        )
    out.extend(f"<p class=note>warning: {e(str(w))}</p>" for w in compare.data.get("warnings", []))
    out.append("</div>")
    return "".join(out)


def anchors_in(page: str) -> set[str]:
    """Every ``id="…"`` of a rendered page (for tests and the link check)."""
    found: set[str] = set()
    for chunk in page.split(' id="')[1:]:
        found.add(html.unescape(chunk.split('"', 1)[0]))
    return found
