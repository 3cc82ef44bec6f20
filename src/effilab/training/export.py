"""``effilab export``: SFT, DPO or RRHF records from a results file, as JSONL or Parquet.

Both formats load with Hugging Face ``datasets``: ``load_dataset("json", data_files=FILE)`` or
``load_dataset("parquet", data_files=FILE)``. Parquet needs ``pyarrow`` (``pip install 'effilab[parquet]'``).
The file is written to a temporary name beside ``out`` and renamed when complete, so an interrupted export
never leaves half a dataset under the final name.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.suites.model import Suite
from effilab.training.collect import Collected, collect
from effilab.training.records import (
    SignificanceRule,
    best_candidate,
    dpo_records,
    rrhf_record,
    sft_record,
)

__all__ = ["FORMATS", "ExportReport", "build_records", "export_records", "write_records"]

FORMATS = ("sft", "dpo", "rrhf")


@dataclasses.dataclass(frozen=True, slots=True)
class ExportReport:
    """What ``effilab export`` wrote (``to_dict()`` is its ``--json`` object)."""

    out: str
    format: str
    records: int
    problems: int
    """Problems with at least one candidate in the runs read."""
    runs: tuple[str, ...]
    kinds: dict[str, int]
    """DPO: pairs by kind (correctness, efficiency, optimization); SFT: records by source."""
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "format": self.format,
            "records": self.records,
            "problems": self.problems,
            "runs": list(self.runs),
            "kinds": dict(self.kinds),
            "notes": list(self.notes),
        }


def build_records(
    collected: Collected,
    fmt: str,
    *,
    rule: SignificanceRule | None = None,
    pairs_per_problem: int | None = None,
) -> list[dict[str, Any]]:
    """The records of format ``fmt`` for every problem collected, in a stable order."""
    rule = rule or SignificanceRule()
    records: list[dict[str, Any]] = []
    for group in sorted(collected.problems, key=lambda g: (g.prompt.suite, g.prompt.task_id)):
        if fmt == "sft":
            best = best_candidate(group.candidates)
            if best is not None:
                records.append(sft_record(group.prompt, best))
        elif fmt == "dpo":
            records += dpo_records(group.prompt, group.candidates, rule, limit=pairs_per_problem)
        elif fmt == "rrhf":
            record = rrhf_record(group.prompt, group.candidates)
            if record is not None:
                records.append(record)
        else:
            raise InvalidArgument(f"format={fmt!r}: choose one of {', '.join(FORMATS)}")
    return records


def write_records(records: Sequence[dict[str, Any]], out: str | Path) -> None:
    """JSONL, or Parquet when ``out`` ends in ``.parquet``; atomically (temporary file, then rename)."""
    path = Path(out)
    parquet = path.suffix.lower() == ".parquet"
    if parquet:
        try:
            import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 (optional dependency)
            import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415
        except ImportError:
            raise InvalidArgument(
                f"--out {str(out)!r}: Parquet needs pyarrow: pip install 'effilab[parquet]' (or write .jsonl)"
            ) from None
    if not path.parent.is_dir():
        raise InvalidArgument(f"--out {str(out)!r}: folder {str(path.parent)!r} does not exist")
    if path.exists() and not path.is_file():
        raise InvalidArgument(f"--out {str(out)!r}: not a regular file")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if parquet:
            os.close(handle)
            table = pa.Table.from_pylist(list(records))
            pq.write_table(table, temporary)
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as sink:
                for record in records:
                    sink.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
                sink.flush()
                os.fsync(sink.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_records(
    db: str | Path,
    out: str | Path,
    fmt: str,
    *,
    runs: Sequence[str] | None = None,
    suite: Suite | None = None,
    rule: SignificanceRule | None = None,
    pairs_per_problem: int | None = None,
    system: bool = False,
) -> ExportReport:
    """Read the runs, build the records, write them; see :func:`effilab.api.export`."""
    if fmt not in FORMATS:
        raise InvalidArgument(f"format={fmt!r}: choose one of {', '.join(FORMATS)}")
    collected = collect(db, runs=runs, suite=suite, system=system)
    records = build_records(collected, fmt, rule=rule, pairs_per_problem=pairs_per_problem)
    write_records(records, out)
    if fmt == "dpo":
        kinds = Counter(str(r["kind"]) for r in records)
    elif fmt == "sft":
        kinds = Counter(str(r["source"]) for r in records)
    else:
        kinds = Counter({"responses": sum(len(r["responses"]) for r in records)})
    return ExportReport(
        out=str(out),
        format=fmt,
        records=len(records),
        problems=len(collected.problems),
        runs=collected.runs,
        kinds=dict(sorted(kinds.items())),
        notes=collected.notes,
    )
