"""Reading sample files without holding them in memory.

Accepted layouts:

* **JSONL** (optionally gzip-compressed): one object per line with ``task_id`` and either ``solution`` (a
  full program) or ``completion`` (a body appended to the problem's prompt, as EvalPlus does). This is also
  what ``effilab generate`` writes.
* **ENAMEL's layout**: one JSON list holding, for every task of the benchmark in its own order, a list of
  full programs.

A first pass indexes the file: for each task, where its samples are (byte offsets for plain JSONL), so the
evaluator can later read one problem's samples at a time. Memory stays proportional to the number of
samples times a few integers, never to the size of the code.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from effilab.errors import InvalidArgument
from effilab.suites.model import Suite
from effilab.util import safejson

__all__ = ["SampleFile", "SampleRef", "open_samples"]

_GZIP_MAGIC = b"\x1f\x8b"


@dataclasses.dataclass(frozen=True, slots=True)
class SampleRef:
    """Where one sample lives: its task, its number within the task, and how to read it back."""

    task_id: str
    index: int
    """0-based position among the task's samples, in file order (the sample's identity in a run)."""
    line: int
    """1-based line in the file (JSONL) or position in the task's list (ENAMEL layout), for messages."""
    offset: int = -1
    """Byte offset of the line in a plain JSONL file; -1 when the sample is kept in memory."""
    inline: str | None = None
    completion: bool = False
    """The record held a ``completion`` (a body to append to the prompt) rather than a full program."""


@dataclasses.dataclass(slots=True)
class SampleFile:
    path: Path
    digest: str
    """SHA-256 of the file's bytes: part of the run identity, so a changed file starts a new run."""
    by_task: dict[str, list[SampleRef]]
    skipped: list[str]
    """One message per line skipped with ``skip_bad``."""

    @property
    def count(self) -> int:
        return sum(len(refs) for refs in self.by_task.values())

    def program_text(self, ref: SampleRef, prompt_of: Callable[[str], str]) -> str:
        """The full program of a sample (``completion`` records get the prompt in front)."""
        if ref.inline is not None and not ref.completion:
            return ref.inline
        if ref.inline is not None:
            return prompt_of(ref.task_id) + ref.inline
        with self.path.open("rb") as handle:
            handle.seek(ref.offset)
            record = safejson.loads(handle.readline())
        if isinstance(record.get("solution"), str):
            return str(record["solution"])
        return prompt_of(ref.task_id) + str(record["completion"])


def open_samples(path: str | Path, suite: Suite, *, skip_bad: bool = False) -> SampleFile:
    """Index ``path``; unknown task ids, malformed lines and empty files are one-line errors."""
    file = Path(path)
    if not file.is_file():
        raise InvalidArgument(f"--samples {str(path)!r}: no such file")
    digest = _digest(file)
    with file.open("rb") as handle:
        compressed = handle.read(2) == _GZIP_MAGIC
    with _open_binary(file, compressed) as handle:
        first = _first_byte(handle, file)
    if first is None:
        raise InvalidArgument(f"{file}: the sample file is empty")
    if first == b"[":
        data = gzip.decompress(file.read_bytes()) if compressed else file.read_bytes()
        sample_file = SampleFile(file, digest, _index_enamel_layout(file, data, suite), [])
    else:
        with _open_binary(file, compressed) as handle:
            try:
                by_task, skipped = _index_jsonl(file, handle, suite, skip_bad, keep_inline=compressed)
            except (OSError, EOFError) as exc:
                raise InvalidArgument(f"{file}: cannot read: {exc}") from None
        sample_file = SampleFile(file, digest, by_task, skipped)
    if not sample_file.count:
        raise InvalidArgument(f"{file}: no usable samples")
    return sample_file


def _open_binary(file: Path, compressed: bool) -> IO[bytes]:
    return gzip.open(file, "rb") if compressed else file.open("rb")  # type: ignore[return-value]


def _digest(file: Path) -> str:
    h = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _first_byte(handle: IO[bytes], file: Path) -> bytes | None:
    try:
        for block in iter(lambda: handle.read(1 << 16), b""):
            stripped = block.lstrip()
            if stripped:
                return stripped[:1]
    except (OSError, EOFError) as exc:
        raise InvalidArgument(f"{file}: not a valid gzip file: {exc}") from None
    return None


def _index_jsonl(
    file: Path, handle: IO[bytes], suite: Suite, skip_bad: bool, *, keep_inline: bool
) -> tuple[dict[str, list[SampleRef]], list[str]]:
    known = {problem.id for problem in suite}
    benchmark_ids = set(suite.task_order)
    by_task: dict[str, list[SampleRef]] = {}
    skipped: list[str] = []
    offset = 0
    for number, raw in enumerate(handle, start=1):
        line_offset, offset = offset, offset + len(raw)
        if not raw.strip():
            continue
        try:
            record = _parse_record(raw, known, benchmark_ids)
        except ValueError as exc:
            message = f"{file}:{number}: {exc}"
            if not skip_bad:
                raise InvalidArgument(f"{message} (use --skip-bad to skip such lines)") from None
            skipped.append(message)
            continue
        if record is None:  # a task the benchmark has but does not score (e.g. ENAMEL's constant-time ones)
            continue
        task_id, text, is_completion = record
        refs = by_task.setdefault(task_id, [])
        # gzip files cannot be seeked cheaply: keep their programs in memory instead of offsets.
        inline = text if keep_inline else None
        refs.append(SampleRef(task_id, len(refs), number, line_offset, inline, completion=is_completion))
    return by_task, skipped


def _parse_record(raw: bytes, known: set[str], benchmark_ids: set[str]) -> tuple[str, str, bool] | None:
    try:
        record = safejson.loads(raw)
    except safejson.JSONInputError as exc:
        where = f" at column {exc.column}" if exc.column is not None else ""
        prefix = "" if exc.reason.startswith("not UTF-8") else "not valid JSON: "
        raise ValueError(f"{prefix}{exc.reason}{where}") from None
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    task_id = record.get("task_id")
    if not isinstance(task_id, str):
        raise ValueError("field 'task_id' is missing or not a string")
    has_solution = isinstance(record.get("solution"), str)
    if not has_solution and not isinstance(record.get("completion"), str):
        raise ValueError("needs a string field 'solution' (a full program) or 'completion' (a body)")
    if task_id not in known:
        if task_id in benchmark_ids:
            return None
        raise ValueError(f"unknown task_id {task_id!r}")
    return task_id, record["solution"] if has_solution else record["completion"], not has_solution


def _index_enamel_layout(file: Path, data: bytes, suite: Suite) -> dict[str, list[SampleRef]]:
    if not suite.task_order:
        raise InvalidArgument(
            f"{file}: a JSON list of per-task program lists needs a suite with a task order (ENAMEL); "
            "use JSONL records with task_id for this suite"
        )
    try:
        lists = safejson.loads(data)
    except safejson.JSONInputError as exc:
        if exc.reason.startswith("not UTF-8"):
            raise InvalidArgument(f"{file}: {exc.reason}") from None
        line = f":{exc.line}" if exc.line is not None else ""
        raise InvalidArgument(f"{file}{line}: not valid JSON: {exc.reason}") from None
    if not isinstance(lists, list) or len(lists) != len(suite.task_order):
        count = len(lists) if isinstance(lists, list) else 0
        raise InvalidArgument(
            f"{file}: ENAMEL's layout is a list of {len(suite.task_order)} per-task lists, got {count}"
        )
    known = {problem.id for problem in suite}
    by_task: dict[str, list[SampleRef]] = {}
    for position, (task_id, programs) in enumerate(zip(suite.task_order, lists, strict=True)):
        if not isinstance(programs, list) or not all(isinstance(p, str) for p in programs):
            raise InvalidArgument(f"{file}: item {position} ({task_id}) must be a list of program strings")
        if task_id in known and programs:
            by_task[task_id] = [SampleRef(task_id, i, i + 1, -1, p) for i, p in enumerate(programs)]
    return by_task
