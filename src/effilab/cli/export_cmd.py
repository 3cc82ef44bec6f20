"""``effilab export --db DB --format sft|dpo|rrhf --out FILE``: training records from a results file."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from effilab import api
from effilab.training.export import FORMATS

__all__ = ["register"]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "export",
        help="training data (SFT, DPO, RRHF) from a results file, as JSONL or Parquet",
        description="Reads the evaluation runs of a results file (code from each run's samples file, "
        "verdicts and costs from the store) and writes SFT records (problem -> its most efficient verified "
        "solution), DPO pairs (only significant ones: correct vs wrong, or a faster sample by a sign test "
        "over the paired timed tests and --min-ratio, or an optimized version whose speedup interval "
        "excludes 1) or RRHF records (responses and scores). FILE ending in .parquet is written as "
        "Parquet (needs pyarrow); anything else as JSONL. Both load with datasets.load_dataset.",
    )
    parser.add_argument("--db", default=api.DEFAULT_DB, metavar="DB", help=f"results file ({api.DEFAULT_DB})")
    parser.add_argument("--format", required=True, choices=FORMATS, help="record layout")
    parser.add_argument("--out", required=True, metavar="FILE", help="output: .jsonl, or .parquet")
    parser.add_argument("--run", action="append", default=None, metavar="ID",
                        help="only this evaluation run (repeatable; default: every run)")  # fmt: skip
    parser.add_argument("--suite", default=None, metavar="PATH_OR_NAME",
                        help="only runs of this suite (also where to read it if it moved)")  # fmt: skip
    parser.add_argument("--min-ratio", type=float, default=1.5, metavar="R",
                        help="DPO: a faster correct sample costs R times less in total (1.5)")  # fmt: skip
    parser.add_argument("--alpha", type=float, default=0.05, metavar="A",
                        help="DPO: level of the one-sided sign test on paired tests (0.05)")  # fmt: skip
    parser.add_argument("--pairs-per-problem", type=int, default=16, metavar="N",
                        help="DPO: at most N pairs per problem, strongest first (16; 0: all)")  # fmt: skip
    parser.add_argument("--system", action="store_true", help="include generate's system message in prompts")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    report = api.export(
        db=args.db,
        format=args.format,
        out=args.out,
        run=args.run,
        suite=args.suite,
        min_ratio=args.min_ratio,
        alpha=args.alpha,
        pairs_per_problem=None if args.pairs_per_problem == 0 else args.pairs_per_problem,
        system=args.system,
    )
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        kinds = ", ".join(f"{n} {kind}" for kind, n in report.kinds.items())
        print(
            f"wrote {report.records} {report.format} records ({kinds or 'none'}) for {report.problems} "
            f"problems from {len(report.runs)} run(s) to {report.out}"
        )
    return 0
