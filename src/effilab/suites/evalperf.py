"""EvalPerf files (``evalperf:PATH``): HumanEval+/MBPP+ tasks with performance-exercising inputs.

One JSONL record per task (optionally gzip-compressed), as in the ``evalplus/evalperf`` dataset that
``evalplus/evalperf.py`` loads (``evalplus/data/__init__.py``, ``get_evalperf_data``):

``task_id``
    ``HumanEval/<n>`` or ``Mbpp/<n>``.
``entry_point``, ``prompt``
    As in HumanEval+/MBPP+.
``reference``
    Solution programs (whole programs), one per performance cluster, slowest first.
``scores``
    The cumulative score of each reference's cluster (percent of sampled solutions at least that slow).
``pe_input``
    The performance-exercising input(s): a list of inputs, each a list of positional arguments. The dataset
    stores it as a JSON *string* that EvalPlus ``json.loads``; an already-decoded list is accepted too. MBPP
    inputs get EvalPlus's type restoration (``mbpp_deserialize_inputs``). EvalPlus profiles ``pe_input[0]``;
    every entry becomes a test here.

Each task becomes a :class:`~effilab.suites.model.Problem` whose timed level 1 holds the pe inputs as fixed
tests, references ``ref0``..``refN`` (the last, fastest, is the oracle) and ``reference_scores``. Correctness
is judged on those same inputs against the oracle's outputs with EvalPlus's rule; EvalPlus itself checks
EvalPerf samples on the HumanEval+/MBPP+ base and plus tests, which an EvalPerf file does not carry.
"""

from __future__ import annotations

import math

from effilab.errors import InvalidArgument
from effilab.suites.evalplus import (
    JsonlRecord,
    atol_field,
    dataset_of,
    read_jsonl,
    string_field,
    task_id_field,
    task_inputs,
    task_oracle,
)
from effilab.suites.model import Level, Problem, Reference, Suite, TestCase, fingerprint
from effilab.util import safejson

__all__ = ["TIMED_LEVEL", "load_evalperf"]

TIMED_LEVEL = 1
"""Index of the level holding the performance-exercising inputs."""

_FORMAT = "evalperf-v1"
"""Bumped whenever the interpretation of the files changes, so run identities change with it."""


def load_evalperf(path: str) -> Suite:
    """Load an EvalPerf JSONL file (optionally gzip-compressed)."""
    raw, records = read_jsonl(path)
    seen: dict[str, int] = {}
    ids = [task_id_field(record, seen) for record in records]
    problems = tuple(_problem(record, task_id) for record, task_id in zip(records, ids, strict=True))
    return Suite(
        name="evalperf",
        source=f"evalperf:{path}",
        problems=problems,
        fingerprint=fingerprint(_FORMAT, raw),
        task_order=tuple(ids),
    )


def _problem(record: JsonlRecord, task_id: str) -> Problem:
    entry_point = string_field(record, "entry_point", identifier=True)
    prompt = string_field(record, "prompt", empty=True)
    # EvalPerf records carry no atol; EvalPlus's own check then uses the HumanEval+/MBPP+ task's.
    atol = atol_field(record, default=0.0)
    references = _references(record, task_id)
    scores = _scores(record, len(references))
    inputs = task_inputs(task_id, _pe_input(record), record.where, "pe_input")
    if not inputs:
        raise InvalidArgument(f"{record.where}: field 'pe_input' holds no input")
    oracle = task_oracle(task_id, entry_point, atol)
    metadata: dict[str, object] = {
        "dataset": (dataset_of(task_id) or ("", ""))[0],
        "entry_point": entry_point,
        "atol": atol,
        "line": record.line,
    }
    try:
        return Problem(
            id=task_id,
            entry=oracle.entry,
            prompt=prompt,
            levels=(Level(size=0, tests=0, weight=0.0), Level(size=0, tests=0, weight=1.0)),
            references=references,
            rule=oracle.rule,
            fixed=tuple(TestCase(TIMED_LEVEL, case, args) for case, args in enumerate(inputs)),
            program_prefix=oracle.program_prefix,
            metadata=metadata,
            reference_scores=scores,
        )
    except InvalidArgument as exc:
        raise InvalidArgument(f"{record.where}: {exc}") from None


def _references(record: JsonlRecord, task_id: str) -> tuple[Reference, ...]:
    raw = record.data.get("reference")
    if not isinstance(raw, list) or not raw:
        raise InvalidArgument(f"{record.where}: field 'reference' must be a non-empty list of programs")
    stem = task_id.replace("/", "_")
    references = []
    for index, source in enumerate(raw):
        if not isinstance(source, str) or not source.strip():
            raise InvalidArgument(f"{record.where}: field 'reference'[{index}] must be a non-empty string")
        references.append(Reference(f"ref{index}", source.encode(), f"{stem}_ref{index}.py"))
    return tuple(references)


def _scores(record: JsonlRecord, count: int) -> tuple[float, ...]:
    raw = record.data.get("scores")
    if not isinstance(raw, list):
        raise InvalidArgument(f"{record.where}: field 'scores' must be a list of numbers")
    if len(raw) != count:
        raise InvalidArgument(f"{record.where}: field 'scores' has {len(raw)} entries for {count} references")
    for index, value in enumerate(raw):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidArgument(f"{record.where}: field 'scores'[{index}] must be a finite number")
    return tuple(float(value) for value in raw)


def _pe_input(record: JsonlRecord) -> object:
    raw = record.data.get("pe_input")
    if raw is None:
        raise InvalidArgument(f"{record.where}: field 'pe_input' is missing")
    if isinstance(raw, str):
        try:
            return safejson.loads(raw)
        except safejson.JSONInputError as exc:
            reason = exc.reason
            raise InvalidArgument(f"{record.where}: field 'pe_input' is not valid JSON: {reason}") from None
    return raw
