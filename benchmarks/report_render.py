"""How big a report gets and how long it takes to write and to draw, and a screenshot for the docs.

    .venv/bin/python benchmarks/report_render.py                        # synthetic runs, three sizes
    .venv/bin/python benchmarks/report_render.py SOURCE... [--run ID] [--compare RUN] [--screenshot PNG]

Without sources, results files of growing size are written directly (no sandbox: 12 problems × n
samples, levels with costs, like evaluate's) and a report of each is built and loaded in headless
Chromium. With sources, the report of those is measured (and photographed with --screenshot). Printed per
report: build time, file size, figures, sample sections, and in Chromium the time from navigation to the
last figure drawn, plots drawn, points drawn and console errors.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import effilab
from effilab.evaluate.store import LevelRow, ResultStore, SampleRow
from effilab.report.browser import check_page, find_chromium


def synthetic(path: Path, samples_per_problem: int, problems: int = 12, seed: int = 1) -> Path:
    """A results file with one evaluation run (no samples file: the report shows no code)."""
    rng = random.Random(seed)
    with ResultStore(path) as store:
        store.open_run("synthetic", {"suite": "synthetic", "metric": "time", "baseline": None}, {})
        for p in range(problems):
            task = f"problem-{p:03d}"
            store.save_reference("synthetic", task, {"timed": [1, 2, 3]})
            for i in range(samples_per_problem):
                passed = rng.random() < 0.7
                ratio = rng.lognormvariate(0.3, 0.8)
                timed = [
                    LevelRow(lv, "ok", 1e-4 * lv * ratio * rng.uniform(0.8, 1.2), 1e-4 * lv)
                    for lv in (1, 2, 3)
                ]
                levels = (LevelRow(0, "ok", None, None), *(timed if passed else []))
                row = SampleRow(
                    task_id=task,
                    sample=i,
                    line=i + 1,
                    verdict="ok" if passed else "wrong_answer",
                    passed=passed,
                    score=max(0.0, 1.5 - ratio) if passed else 0.0,
                    speedup=3.0 / ratio if passed else None,
                    beats_best=passed and ratio < 0.9,
                    dpe=None,
                    detail="",
                    seconds=0.1,
                    levels=levels,
                )
                store.add_sample("synthetic", row)
    return path


def measure(
    sources: list[str], out: Path, *, run: str | None = None, compare: str | None, screenshot: str | None
) -> None:
    started = time.perf_counter()
    written = effilab.report(*sources, out=out, run=run, compare=compare)
    built = time.perf_counter() - started
    line = (
        f"  build {built:6.2f} s   {written.bytes / 1e6:6.2f} MB   {written.figures} figures   "
        f"{written.samples_shown} sample sections ({written.samples_left_out} counted only)"
    )
    if find_chromium() is None:
        print(line + "   (no chromium: not drawn)")
        return
    check = check_page(out, screenshot=screenshot, click=False, height=2200 if screenshot else 1600)
    print(
        line
        + f"   drawn in {check.seconds:5.2f} s: {check.plots}/{check.figures} plots, {check.points} points, "
        f"{len(check.errors)} errors, {len(check.requests)} request(s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sources", nargs="*")
    parser.add_argument("--run", default=None)
    parser.add_argument("--compare", default=None)
    parser.add_argument("--screenshot", default=None, metavar="PNG")
    parser.add_argument("--sizes", default="10,100,1000", help="samples per problem (synthetic runs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.sources:
            print(f"report of {', '.join(args.sources)}")
            measure(
                args.sources,
                Path(folder) / "report.html",
                run=args.run,
                compare=args.compare,
                screenshot=args.screenshot,
            )
            return
        for n in (int(s) for s in args.sizes.split(",")):
            path = synthetic(Path(folder) / f"r{n}.sqlite", n)
            print(f"12 problems × {n} samples:")
            measure([str(path)], Path(folder) / f"r{n}.html", compare=None, screenshot=None)


if __name__ == "__main__":
    main()
