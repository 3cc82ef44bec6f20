"""The report's figures, as plotly.js figure specifications (plain ``data`` and ``layout`` dicts).

Built as JSON-ready dicts rather than with plotly's Python objects: the report needs plotly only for its
JavaScript bundle, the specs stay small (no template copied into every figure) and are easy to test.
Every point that stands for a sample, an attempt or a measurement carries the id of the section that
shows it in ``customdata``; the page's script jumps there on a click, and :attr:`Figure.links` lists
the same sections under the figure for readers who do not click on plots.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from effilab.evaluate import metrics
from effilab.measure.complexity import Fit
from effilab.report.anchors import (
    Slugs,
    attempt_anchor,
    compare_anchor,
    optimize_anchor,
    problem_anchor,
    sample_anchor,
    samples_anchor,
    scale_anchor,
)
from effilab.report.data import CompareData, EvalRun, OptimizeRun, ScaleData

__all__ = [
    "Figure",
    "RunView",
    "compare_figure",
    "evaluation_figures",
    "optimize_figure",
    "scale_figure",
]

VERDICT_COLORS = {
    "accepted": "#2ca02c",
    "ok": "#2ca02c",
    "not_faster": "#ff7f0e",
    "wrong_answer": "#d62728",
    "special_cased": "#d62728",
    "stateful": "#d62728",
    "tests_failed": "#d62728",
}
"""Green for success, red for a wrong candidate, orange for correct but not faster; others grey."""
_OTHER = "#7f7f7f"
_RUN_COLORS = ("#1f77b4", "#ff7f0e")


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    id: str
    """The element id of the plot (``fig-…``)."""
    title: str
    caption: str
    """What is plotted and how to read it."""
    data: list[dict[str, Any]]
    layout: dict[str, Any]
    links: tuple[tuple[str, str], ...]
    """(text, section id) of what lies behind the figure."""


@dataclasses.dataclass(frozen=True, slots=True)
class RunView:
    """An evaluation run as shown: its tag in section ids (``""`` for the main run) and legend name."""

    run: EvalRun
    tag: str
    name: str
    slugs: Slugs
    shown: frozenset[tuple[str, int]]
    """(task, sample) of the samples that have a section; a point of another links to its problem."""

    def sample(self, task_id: str, sample: int) -> str:
        if (task_id, sample) not in self.shown:
            return self.problem(task_id)
        return sample_anchor(self.tag, self.slugs(task_id), sample)

    def problem(self, task_id: str) -> str:
        return problem_anchor(self.tag, self.slugs(task_id))


def _layout(title: str, *, x: str, y: str, log_y: bool = False, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "y": 0.97, "yanchor": "top"},
        "xaxis": {"title": {"text": x}, "automargin": True},
        "yaxis": {"title": {"text": y}, "automargin": True, **({"type": "log"} if log_y else {})},
        "height": 430,
        "margin": {"l": 60, "r": 20, "t": 90, "b": 60},
        "hovermode": "closest",
        # above the plot: rotated problem names below it would run into a legend there
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
    }
    layout.update(extra)
    return layout


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


# ------------------------------------------------------------------------------------------ evaluation


def evaluation_figures(views: Sequence[RunView]) -> list[Figure]:
    """Summary metrics, per-problem scores, cost by problem and by level, speedups: one run or two."""
    figures = [_summary(views), _per_problem(views), _cost_by_problem(views), _cost_by_level(views)]
    figures.append(_speedups(views))
    return figures


def _run_links(views: Sequence[RunView]) -> tuple[tuple[str, str], ...]:
    return tuple((f"samples of {v.name}", samples_anchor(v.tag)) for v in views)


def _summary(views: Sequence[RunView]) -> Figure:
    data = []
    for i, view in enumerate(views):
        values = view.run.summary.metric_values()
        keys = [
            k for k in values if k.split("@")[0] in ("pass", "eff", "efficient") and values[k] is not None
        ]
        data.append(
            {
                "type": "bar",
                "name": view.name,
                "x": keys,
                "y": [values[k] for k in keys],
                "marker": {"color": _RUN_COLORS[i % 2]},
                "text": [f"{values[k]:.3f}" for k in keys if values[k] is not None],
                "textposition": "outside",
                "customdata": [samples_anchor(view.tag)] * len(keys),
                "hovertemplate": "%{x}: %{y:.4f}<extra>%{fullData.name}</extra>",
            }
        )
    layout = _layout(
        "pass@k, eff@k and efficient@k",
        x="metric",
        y="value (mean over problems)",
        barmode="group",
        yaxis={"range": [0, 1.1], "title": {"text": "mean over problems"}},
    )
    caption = (
        "Unbiased estimators over the problems with at least k samples (eff@k and efficient@k: timed "
        "problems only). Click a bar to go to the samples of that run."
    )
    return Figure("fig-summary", "Summary", caption, data, layout, _run_links(views))


def _per_problem(views: Sequence[RunView]) -> Figure:
    k = min(views[0].run.summary.ks)
    data = []
    for i, view in enumerate(views):
        problems = view.run.summary.problems
        tasks = [p.task_id for p in problems]
        anchors = [view.problem(p.task_id) for p in problems]
        passes = [metrics.pass_at_k(p.n, p.correct, k) if p.n >= k else None for p in problems]
        effs = [metrics.eff_at_k(p.scores, k) if p.timed and p.n >= k else None for p in problems]
        color = _RUN_COLORS[i % 2]
        data.append(
            {
                "type": "bar",
                "name": f"pass@{k} · {view.name}",
                "x": tasks,
                "y": passes,
                "customdata": anchors,
                "marker": {"color": color, "opacity": 0.45},
                "hovertemplate": f"%{{x}}<br>pass@{k} %{{y:.3f}}<extra>{view.name}</extra>",
            }
        )
        data.append(
            {
                "type": "bar",
                "name": f"eff@{k} · {view.name}",
                "x": tasks,
                "y": effs,
                "customdata": anchors,
                "marker": {"color": color},
                "hovertemplate": f"%{{x}}<br>eff@{k} %{{y:.3f}}<extra>{view.name}</extra>",
            }
        )
    layout = _layout(f"pass@{k} and eff@{k} per problem", x="problem", y="score", barmode="group")
    caption = f"Per problem, pass@{k} (light) and eff@{k} (dark). Click a bar to see the problem's samples."
    return Figure("fig-per-problem", "Per problem", caption, data, layout, _run_links(views))


def _cost_by_problem(views: Sequence[RunView]) -> Figure:
    data: list[dict[str, Any]] = []
    censored = 0
    for i, view in enumerate(views):
        xs, ys, anchors, texts = [], [], [], []
        for item in view.run.samples:
            ratio = item.timed_ratio
            if ratio is None or not item.row.passed:
                continue
            if not math.isfinite(ratio):
                censored += 1
                continue
            xs.append(item.row.task_id)
            ys.append(ratio)
            anchors.append(view.sample(item.row.task_id, item.row.sample))
            texts.append(f"sample {item.row.sample} · {item.row.verdict}")
        data.append(
            {
                "type": "box",
                "name": view.name,
                "x": xs,
                "y": ys,
                "customdata": anchors,
                "text": texts,
                "boxpoints": "all",
                "jitter": 0.4,
                "pointpos": 0,
                "marker": {"color": _RUN_COLORS[i % 2]},
                "hovertemplate": "%{x}<br>%{text}<br>%{y:.3g}× the fastest reference<extra></extra>",
            }
        )
    unit = "instructions" if views[0].run.unit == "instructions" else "CPU time"
    layout = _layout(
        "Cost per problem, relative to the fastest reference",
        x="problem",
        y=f"{unit} / fastest reference's (log)",
        log_y=True,
        boxmode="group",
        shapes=[_hline(1.0)],
    )
    caption = (
        "Each point is a correct sample: its worst-case cost summed over the timed levels, divided by the "
        "fastest reference's (below 1: faster than the reference)."
        + (f" {censored} censored sample(s) (over the time limit) are not plotted." if censored else "")
        + " Click a point to see the sample."
    )
    return Figure("fig-cost-problem", "Cost per problem", caption, data, layout, _run_links(views))


def _cost_by_level(views: Sequence[RunView]) -> Figure:
    data: list[dict[str, Any]] = []
    for i, view in enumerate(views):
        xs, ys, anchors, texts = [], [], [], []
        for item in view.run.samples:
            if not item.row.passed:
                continue
            for lv in item.row.levels:
                if lv.cost is None or lv.reference_cost is None or not _finite(lv.cost / lv.reference_cost):
                    continue
                xs.append(f"level {lv.level}")
                ys.append(lv.cost / lv.reference_cost)
                anchors.append(view.sample(item.row.task_id, item.row.sample))
                texts.append(f"{item.row.task_id} · sample {item.row.sample}")
        data.append(
            {
                "type": "box",
                "name": view.name,
                "x": xs,
                "y": ys,
                "customdata": anchors,
                "text": texts,
                "boxpoints": "all",
                "jitter": 0.5,
                "pointpos": 0,
                "marker": {"color": _RUN_COLORS[i % 2]},
                "hovertemplate": "%{x}<br>%{text}<br>%{y:.3g}× the reference<extra></extra>",
            }
        )
    layout = _layout(
        "Cost per level, relative to the fastest reference",
        x="level",
        y="worst-case cost / reference's (log)",
        log_y=True,
        boxmode="group",
        shapes=[_hline(1.0)],
    )
    caption = (
        "Each point is one correct sample on one timed level: its worst case over the level's tests divided "
        "by the fastest reference's worst case there (the t_l / t*_l of eff@k). Click a point to see the "
        "sample."
    )
    return Figure("fig-cost-level", "Cost per level", caption, data, layout, _run_links(views))


def _speedups(views: Sequence[RunView]) -> Figure:
    data: list[dict[str, Any]] = []
    for i, view in enumerate(views):
        items = sorted(
            (s for s in view.run.samples if s.row.passed and _finite(s.row.speedup)),
            key=lambda s: s.row.speedup or 0.0,
        )
        n = len(items)
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": view.name,
                "x": [(j + 0.5) / n for j in range(n)],
                "y": [s.row.speedup for s in items],
                "customdata": [view.sample(s.row.task_id, s.row.sample) for s in items],
                "text": [f"{s.row.task_id} · sample {s.row.sample}" for s in items],
                "line": {"shape": "hv", "color": _RUN_COLORS[i % 2]},
                "hovertemplate": "%{text}<br>%{y:.3g}× faster than the baseline<extra></extra>",
            }
        )
    baseline = views[0].run.summary.baseline
    layout = _layout(
        f"Speedup against the baseline ({baseline})",
        x="share of correct samples",
        y="speedup (log)",
        log_y=True,
        shapes=[_hline(1.0)],
    )
    caption = (
        f"Correct samples sorted by speedup: the baseline's cost ({baseline}) over the sample's, on the "
        "timed tests (PIE's speedup). Above 1: faster than the baseline. Click a point to see the sample."
    )
    return Figure("fig-speedup", "Speedup against the reference", caption, data, layout, _run_links(views))


def _hline(y: float) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": "#444", "width": 1, "dash": "dot"},
    }


# ------------------------------------------------------------------------------------------- optimize


def optimize_figure(run: OptimizeRun, index: int) -> Figure:
    """Speedup per attempt with its interval, coloured by verdict; unmeasured attempts sit at 1 as ×."""
    by_verdict: dict[str, list[Any]] = {}
    for attempt in run.attempts:
        by_verdict.setdefault(attempt.verdict, []).append(attempt)
    data: list[dict[str, Any]] = []
    for verdict, attempts in by_verdict.items():
        measured = [a.speedup is not None for a in attempts]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": verdict,
                "x": [a.index for a in attempts],
                "y": [a.speedup if a.speedup is not None else 1.0 for a in attempts],
                "customdata": [attempt_anchor(index, a.index) for a in attempts],
                "text": [f"#{a.index} {verdict}: {a.detail[:120]}" for a in attempts],
                "marker": {
                    "size": 11,
                    "color": VERDICT_COLORS.get(verdict, _OTHER),
                    "symbol": ["circle" if m else "x" for m in measured],
                },
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [a.ci[1] - a.speedup if a.ci and a.speedup else 0 for a in attempts],
                    "arrayminus": [a.speedup - a.ci[0] if a.ci and a.speedup else 0 for a in attempts],
                },
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    outcome = "not finished" if run.accepted is None else "accepted" if run.accepted else "nothing accepted"
    layout = _layout(
        f"{run.target}: {outcome}",
        x="attempt",
        y="speedup (log; × = not measured)",
        log_y=True,
        shapes=[_hline(1.0)],
        xaxis={"title": {"text": "attempt"}, "dtick": 1},
    )
    caption = (
        "Each attempt's measured speedup over the original with its confidence interval, coloured by "
        "verdict; attempts rejected before measurement are drawn at 1 as ×. Click a point to see the attempt."
    )
    links = ((f"attempts of optimize run {run.run_id}", optimize_anchor(index)),)
    return Figure(f"fig-optimize-{index}", f"Optimize: {run.target}", caption, data, layout, links)


# ------------------------------------------------------------------------------------ scale and compare


def scale_figure(scale: ScaleData, index: int) -> Figure:
    """Every sample per size, the medians with their MAD, and the fitted complexity curve."""
    points = [p for p in scale.data.get("points", []) if isinstance(p, dict)]
    unit = str(scale.data.get("unit", ""))
    xs, ys, anchors = [], [], []
    for point in points:
        for value in point.get("samples", []):
            if isinstance(value, int | float) and math.isfinite(value):
                xs.append(point["size"])
                ys.append(value)
                anchors.append(scale_anchor(index, int(point["size"])))
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "samples",
            "x": xs,
            "y": ys,
            "customdata": anchors,
            "marker": {"size": 6, "opacity": 0.5, "color": "#1f77b4"},
            "hovertemplate": "size %{x}<br>%{y:.4g} " + unit + "<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "median ± MAD",
            "x": [p["size"] for p in points],
            "y": [p.get("median") for p in points],
            "customdata": [scale_anchor(index, int(p["size"])) for p in points],
            "error_y": {"type": "data", "array": [p.get("mad") or 0 for p in points]},
            "line": {"color": "#1f77b4"},
            "hovertemplate": "size %{x}<br>median %{y:.4g}<extra></extra>",
        },
    ]
    fit = scale.data.get("fit")
    if isinstance(fit, dict) and points:
        try:
            model = Fit(**fit)
            low, high = min(p["size"] for p in points), max(p["size"] for p in points)
            grid = [low * (high / low) ** (j / 49) for j in range(50)] if high > low else [low]
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"fit {model.label}",
                    "x": grid,
                    "y": [model.predict(n) for n in grid],
                    "line": {"dash": "dash", "color": "#d62728"},
                    "hovertemplate": f"{model.label}<br>size %{{x:.0f}}: %{{y:.4g}}<extra></extra>",
                }
            )
        except (TypeError, ValueError):
            pass  # a hand-edited or older file: show the measurements without the curve
    best = scale.data.get("class") or "no fit"
    layout = _layout(
        f"{scale.label}: cost by input size (best fit {best})",
        x="input size (log)",
        y=f"cost ({unit}, log)",
        log_y=True,
        xaxis={"type": "log", "title": {"text": "input size"}},
    )
    caption = (
        "Every sample per size, the median with its MAD, and the fitted class. Click a point for its size."
    )
    return Figure(
        f"fig-scale-{index}",
        f"Scaling: {scale.label}",
        caption,
        data,
        layout,
        ((f"measurements of {scale.label}", scale_anchor(index)),),
    )


def compare_figure(compare: CompareData, index: int) -> Figure:
    """A's and B's samples side by side, with the speedup's interval in the title."""
    unit = str(compare.data.get("unit", ""))
    data = []
    for side, color in (("a", "#7f7f7f"), ("b", "#1f77b4")):
        measurement = compare.data.get(side) or {}
        samples = [
            v for v in measurement.get("samples", []) if isinstance(v, int | float) and math.isfinite(v)
        ]
        data.append(
            {
                "type": "box",
                "name": side.upper(),
                "y": samples,
                "boxpoints": "all",
                "jitter": 0.4,
                "pointpos": 0,
                "marker": {"color": color},
                "customdata": [compare_anchor(index, side)] * len(samples),
                "hovertemplate": f"{side.upper()}: %{{y:.4g}} {unit}<extra></extra>",
            }
        )
    speedup, ci = compare.data.get("speedup"), compare.data.get("ci")
    claim = str(compare.data.get("verdict", "?"))
    if isinstance(speedup, int | float) and isinstance(ci, list) and len(ci) == 2:
        claim = f"B {speedup:.3g}× A's speed (CI {ci[0]:.3g} – {ci[1]:.3g}): {claim}"
    layout = _layout(f"{compare.label}: {claim}", x="program", y=f"cost ({unit}, log)", log_y=True)
    caption = "Every sample of A (the oracle) and B, measured interleaved. Click a point for the raw values."
    return Figure(
        f"fig-compare-{index}",
        f"Compare: {compare.label}",
        caption,
        data,
        layout,
        ((f"measurements of {compare.label}", compare_anchor(index)),),
    )
