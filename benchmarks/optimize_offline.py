"""What the offline optimizer achieves on the shipped example project, and what it costs in time.

    .venv/bin/python benchmarks/optimize_offline.py [--include-text] [--functions a,b]
                                                    [--measure-budget 20] [--no-tests] [--json]

Runs ``effilab optimize FILE::FUNC --strategy numba`` (no model: compile it with ``numba.njit``, verify
the result against the original, measure it) on every public top-level function of
examples/optimize/analytics/analytics/series.py — and, with ``--include-text``, of text.py, whose string
code numba cannot compile (expected: nothing accepted, and reported as such). By default the project's
tests run first, as they would for a user: against the original (their calls become example inputs) and
against each candidate.

One row per function:
  * verdict: ``accepted``, or the outcome of the attempt that got furthest (e.g. ``not_faster``,
    ``runtime_error``, ``unsupported``); ``refused`` if effilab declined the target with an error of its
    own (e.g. no usable inputs; the message is printed below the table);
  * speedup with its 95% CI (the best accepted attempt, otherwise the furthest attempt's if it was measured);
  * the workload it was measured on; complexity class and peak memory (Python heap, KiB) before → after,
    which effilab only estimates for an accepted candidate;
  * the wall time the whole optimization took.
Then the total wall time and how many were accepted. Progress goes to stderr; ``--json`` prints one JSON
document on stdout instead of the table. The exit status is 0 whatever the verdicts (refusals included);
only a crash (an unexpected exception, with its traceback) exits non-zero.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from pathlib import Path
from typing import Any

from effilab.errors import EffilabError
from effilab.optimize.attempt import Attempt, Outcome
from effilab.optimize.session import OptimizeConfig, OptimizeResult, optimize

PACKAGE = Path(__file__).resolve().parents[1] / "examples" / "optimize" / "analytics" / "analytics"
SERIES = PACKAGE / "series.py"
TEXT = PACKAGE / "text.py"

# How far an attempt got through the pipeline: the verdict reported for a function nothing was accepted for.
_PROGRESS = {outcome: rank for rank, outcome in enumerate(Outcome)}
_PROGRESS[Outcome.DUPLICATE] = -1  # a duplicate's verdict is its earlier twin's
_PROGRESS[Outcome.NOT_FASTER] = len(_PROGRESS)
_PROGRESS[Outcome.ACCEPTED] = len(_PROGRESS) + 1
_DETAIL_CHARS = 200


def public_functions(path: Path) -> list[str]:
    """The names of ``path``'s top-level functions that do not start with an underscore, in file order."""
    module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.name
        for node in module.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def furthest_attempt(result: OptimizeResult) -> Attempt | None:
    """The best accepted attempt, else the one that got furthest (the faster one among equals)."""
    if result.best is not None:
        return result.best
    judged = [a for a in result.attempts if a.outcome is not None]
    if not judged:
        return None
    return max(judged, key=lambda a: (_PROGRESS[a.outcome] if a.outcome else -2, a.speedup or 0.0))


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _DETAIL_CHARS else line[: _DETAIL_CHARS - 1] + "…"


def run_one(path: Path, name: str, config: OptimizeConfig) -> dict[str, Any]:
    """Optimize ``path::name``; a row of figures (or the reason effilab refused)."""

    def log(message: str) -> None:
        print(f"  {name}: {message}", file=sys.stderr, flush=True)

    row: dict[str, Any] = {"function": name, "module": path.name}
    started = time.perf_counter()
    try:
        result = optimize(f"{path}::{name}", config, db=None, log=log)
    except EffilabError as exc:
        row.update(verdict="refused", accepted=False, error=str(exc), elapsed_s=time.perf_counter() - started)
        log(f"refused: {exc}")
        return row
    shown = furthest_attempt(result)
    row.update(
        verdict="accepted" if result.accepted else (shown.outcome.value if shown and shown.outcome else "?"),
        accepted=result.accepted,
        speedup=shown.speedup if shown else None,
        ci=list(shown.ci) if shown and shown.ci else None,
        detail=shown.detail if shown else "",
        workload=result.original.workload,
        complexity_before=(result.original.complexity or {}).get("class"),
        complexity_after=(result.candidate.complexity or {}).get("class"),
        complexity_sizes=(result.original.complexity or {}).get("sizes"),
        peak_bytes_before=result.original.peak_bytes,
        peak_bytes_after=result.candidate.peak_bytes,
        elapsed_s=result.elapsed_s,
        inputs=result.inputs,
        notes=list(result.notes),
        attempts=[
            {
                "index": a.index,
                "verdict": a.outcome.value if a.outcome else None,
                "detail": a.detail,
                "speedup": a.speedup,
                "ci": list(a.ci) if a.ci else None,
            }
            for a in result.attempts
        ],
    )
    log(f"{row['verdict']} in {result.elapsed_s:.1f} s")
    return row


def _speedup(row: dict[str, Any]) -> str:
    speedup, ci = row.get("speedup"), row.get("ci")
    if speedup is None:
        return "—"
    return f"{speedup:.3g}× [{ci[0]:.3g}, {ci[1]:.3g}]" if ci else f"{speedup:.3g}×"


def _change(before: object, after: object, fmt: str = "{}") -> str:
    if before is None and after is None:
        return "—"
    show = ["?" if v is None else fmt.format(v) for v in (before, after)]
    return f"{show[0]} → {show[1]}"


def print_table(rows: list[dict[str, Any]], total_s: float) -> None:
    header = ("function", "verdict", "speedup [95% CI]", "workload", "complexity", "peak KiB", "time s")
    body = [
        (
            row["function"],
            row["verdict"],
            _speedup(row),
            row.get("workload") or "—",
            _change(row.get("complexity_before"), row.get("complexity_after")),
            _change(
                None if row.get("peak_bytes_before") is None else row["peak_bytes_before"] / 1024,
                None if row.get("peak_bytes_after") is None else row["peak_bytes_after"] / 1024,
                "{:.1f}",
            ),
            f"{row['elapsed_s']:.1f}",
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in (header, *body)) for i in range(len(header))]
    right = {len(header) - 1}
    for cells in (header, *body):
        padded = (
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        print("  ".join(padded).rstrip())
    accepted = sum(1 for row in rows if row["accepted"])
    print(f"total {total_s:.1f} s wall; {accepted} of {len(rows)} accepted")
    remarks = [
        f"  {row['function']}: {_one_line(row.get('error') or row.get('detail') or '')}"
        for row in rows
        if not row["accepted"]
    ]
    remarks += [f"  {row['function']}: note: {_one_line(n)}" for row in rows for n in row.get("notes", ())]
    if remarks:
        print("details:")
        print("\n".join(remarks))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--functions", help="comma-separated function names to run (default: all)")
    parser.add_argument("--include-text", action="store_true", help="also text.py's functions")
    parser.add_argument(
        "--measure-budget", type=float, default=20.0, metavar="SEC", help="measurement budget per candidate"
    )
    parser.add_argument("--no-tests", action="store_true", help="do not run the project's tests")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    args = parser.parse_args()

    targets = [(SERIES, name) for name in public_functions(SERIES)]
    if args.include_text:
        targets += [(TEXT, name) for name in public_functions(TEXT)]
    if args.functions:
        wanted = [w.strip() for w in args.functions.split(",") if w.strip()]
        known = {name for _, name in targets}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            parser.error(
                f"--functions: unknown {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
                + ("" if args.include_text else " (text.py's need --include-text)")
            )
        targets = [(path, name) for path, name in targets if name in wanted]

    config = OptimizeConfig(
        strategy="numba", measure_budget_s=args.measure_budget, run_tests=not args.no_tests
    )
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for index, (path, name) in enumerate(targets, 1):
        print(f"[{index}/{len(targets)}] {path.name}::{name}", file=sys.stderr, flush=True)
        rows.append(run_one(path, name, config))
    total_s = time.perf_counter() - started

    if args.json:
        document = {
            "config": config.to_json(),
            "functions": rows,
            "total_s": round(total_s, 2),
            "accepted": sum(1 for row in rows if row["accepted"]),
        }
        print(json.dumps(document, indent=2))
    else:
        print_table(rows, total_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
