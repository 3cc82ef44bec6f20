"""``effilab report DB [--run ID] [--compare RUN2] -o report.html``: one self-contained HTML report.

Also home of ``--report FILE``, the option ``evaluate``, ``compare``, ``scale`` and ``optimize`` share to
write a report of the result they just computed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from effilab import api
from effilab.errors import InvalidArgument
from effilab.report import ReportFile
from effilab.report.html import require_plotly

__all__ = ["add_report_option", "check_report_option", "register", "reported", "write_report"]


def _ks(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give comma-separated integers, e.g. 1,10") from None


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="one self-contained HTML report (figures linked to their samples) of results",
        description="Writes one HTML file that opens with no network: pass@k / eff@k, cost per problem and "
        "per level, speedups, a second run beside the first (--compare), optimize trajectories, and "
        "scale / compare results. Every point links to the sample, attempt or measurement behind it. "
        "SOURCE: a results file (--db of evaluate or optimize) and/or the --json output of scale, compare "
        "or optimize. Needs the extra 'report' (plotly).",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="results file and/or --json files")
    parser.add_argument("-o", "--out", required=True, metavar="FILE", help="the HTML file to write")
    parser.add_argument(
        "--run", default=None, metavar="ID", help="evaluation run (id or unique prefix; default: the latest)"
    )
    parser.add_argument(
        "--compare",
        default=None,
        metavar="RUN|FILE[:RUN]",
        help="a second evaluation run shown beside the first: a run of the same file, or "
        "another results file (its latest run, or RUN)",
    )
    parser.add_argument(
        "--optimize-run",
        action="append",
        default=None,
        metavar="N",
        help="only this optimize run (repeatable; default: the latest 20)",
    )
    parser.add_argument("--k", type=_ks, default=None, metavar="K,K", help="pass@k / eff@k (1,10)")
    parser.add_argument(
        "--max-samples",
        type=int,
        default=2000,
        metavar="N",
        help="samples per run with a section of their own (2000; the rest are counted)",
    )
    parser.add_argument("--title", default=None, help="page title (effilab report)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    written = api.report(
        *args.sources,
        out=args.out,
        run=args.run,
        compare=args.compare,
        optimize_run=args.optimize_run,
        k=args.k,
        max_samples=args.max_samples,
        title=args.title,
    )
    if args.json:
        print(json.dumps(written.to_dict()))
    else:
        print(describe(written))
    return 0


def describe(written: ReportFile) -> str:
    """One line: what was written where."""
    parts = [f"{written.figures} figure{'s' if written.figures != 1 else ''}"]
    if written.evaluation_runs:
        parts.append(" beside ".join(f"evaluation run {r[:12]}" for r in written.evaluation_runs))
        shown = f"{written.samples_shown} samples"
        parts.append(
            shown + (f" ({written.samples_left_out} more counted only)" if written.samples_left_out else "")
        )
    for count, what in (
        (len(written.optimize_runs), "optimize run"),
        (written.scales, "scale result"),
        (written.compares, "compare result"),
    ):
        if count:
            parts.append(f"{count} {what}{'s' if count > 1 else ''}")
    size = f"{written.bytes / 1e6:.1f} MB"
    notes = "".join(f"\nnote: {note}" for note in written.notes)
    return f"wrote {written.path} ({size}): {', '.join(parts)}{notes}"


def add_report_option(parser: Any) -> None:
    """``--report FILE`` on a command whose result can be shown in a report."""
    parser.add_argument(
        "--report",
        default=None,
        metavar="FILE",
        help="also write an HTML report of the result (needs the extra 'report')",
    )


def check_report_option(path: str | None) -> None:
    """Refuse ``--report`` before the command's work, not after: plotly missing, no such folder."""
    if path is None:
        return
    require_plotly()
    folder = Path(path).parent
    if not folder.is_dir():
        raise InvalidArgument(f"--report {path!r}: folder {str(folder)!r} does not exist")


def write_report(result: Any, args: argparse.Namespace) -> None:
    """Write ``--report`` (when given) of a command's result; the line goes to stderr so that ``--json``
    output stays one object."""
    if args.report is None:
        return
    written = api.report(result, out=args.report)
    args.report_written = True
    print(describe(written), file=sys.stderr)


def reported(route: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``route`` with a note when it took a path that writes no report (whole-program runs, whose
    results have a store and shape of their own that the report does not read yet)."""

    def run(args: argparse.Namespace) -> int:
        status = route(args)
        if args.report is not None and not getattr(args, "report_written", False):
            print(
                f"note: --report {args.report}: not written (whole-program results are not in reports yet)",
                file=sys.stderr,
            )
        return status

    return run
