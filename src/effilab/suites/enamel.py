"""ENAMEL's ``enamel.csv`` (github q-rz/enamel) as an effilab :class:`~effilab.suites.model.Suite`.

The adapter reproduces what ENAMEL's evaluator does with each row, so that the generated inputs, the expected
outputs and the verdicts are the benchmark's own:

* 142 of the 164 HumanEval tasks are scored; the 22 whose reference runs in constant time are left out
  (:data:`EXCLUDED`), but every task id is kept in :attr:`Suite.task_order`, because ENAMEL's sample files
  are lists indexed by csv row.
* Four levels per problem, sizes from ``input_levels``; 8/4/4/4 tests weighted 0/3/3/4 (:data:`LEVEL_TESTS`,
  :data:`LEVEL_WEIGHTS`).
* Test ``k`` of level ``j`` of row ``i`` seeds the module-level ``random`` with
  ``998244353 ^ i ^ (offset_j + k)`` (``offset_j``: tests of the earlier levels) and then calls
  ``generate_input(size=..., lid=j, cid=k)``, with the prompt and ENAMEL's helpers in the same namespace.
  The seed depends on the csv row, not on the task id, so the row index is baked into each wrapper.
* Programs (the reference and every sample) run as ``prompt + "\\n" + code``; the reference is a function
  *body* that completes the prompt's last ``def``.
* The usual checker (type and ``==``) becomes :class:`PythonEqRule`, evaluated in the parent; any other
  checker is suite code and runs sandboxed as a :class:`CheckerRule`.

Nothing from the csv is executed here: generators, references and checkers are only wrapped into sources.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import re
from pathlib import Path

from effilab.check.rules import CheckerRule, PythonEqRule, Rule
from effilab.errors import InvalidArgument
from effilab.measure.program import Program
from effilab.suites.cases import DISTINCT_CASE_BASE
from effilab.suites.model import (
    CHECKER_ENTRY,
    GENERATOR_ENTRY,
    Level,
    Problem,
    Reference,
    Suite,
    SuiteSettings,
    fingerprint,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_CHECKER",
    "ENAMEL_SEED",
    "EXCLUDED",
    "LEVEL_TESTS",
    "LEVEL_WEIGHTS",
    "REFERENCE_NAME",
    "generator_source",
    "helpers_source",
    "load_enamel",
]

COLUMNS = (
    "task_id",
    "prompt",
    "input_generator",
    "input_levels",
    "reference_solution",
    "checker",
    "entry_point",
)
ENAMEL_SEED = 998244353
EXCLUDED = frozenset(
    {2, 23, 41, 45, 53, 60, 71, 92, 97, 99, 102, 123, 124, 135, 137, 138, 144, 148, 156, 157, 159, 160}
)
"""HumanEval numbers ENAMEL does not score (their reference solutions are already constant-time)."""
LEVEL_TESTS = (8, 4, 4, 4)
LEVEL_WEIGHTS = (0.0, 3.0, 3.0, 4.0)
REFERENCE_NAME = "expert"
DEFAULT_CHECKER = (
    "def __check(input, answer, output):\n    return type(output) == type(answer) and output == answer"
)
"""The checker of most rows (compared after ``strip()``): exactly what :class:`PythonEqRule` does."""

_LEVEL_OFFSETS = tuple(sum(LEVEL_TESTS[:j]) for j in range(len(LEVEL_TESTS)))
_TASK_NUMBER = re.compile(r"HumanEval/(\d+)")

# ENAMEL's generator namespace also holds ``time``; the helpers file may import only random and string,
# so the wrapper adds it. ``random`` is looked up as a module global on purpose: ENAMEL seeds whatever the
# name ``random`` means after the prompt and the generator have run, and so does this wrapper.
_GENERATOR_HEAD = "import time\n"
_GENERATOR_TAIL = """

def {entry}(size, level, case, seed):
    # ENAMEL's own tests get ENAMEL's seed: it depends on the csv row ({row}) and on the case's index among
    # all the problem's tests (level offsets {offsets}). Case numbers from {extra} on are further inputs
    # effilab draws to time short calls on inputs nobody has seen, like case (number - {extra}) but seeded
    # with effilab's seed, secret per run (ENAMEL's generators use the case number as data: keep it small).
    if case >= {extra}:
        case -= {extra}
        random.seed(seed)
    else:
        random.seed({base} ^ {row} ^ ({offsets}[level] + case))
    return generate_input(size=size, lid=level, cid=case)
"""
# ENAMEL runs ``prompt + "\\n    pass\\n" + checker``: the ``pass`` gives the prompt's last def a body even if
# its docstring is missing. ``__check`` is a module-level name, so it is not mangled.
_CHECKER_TAIL = f"""

def {CHECKER_ENTRY}(args, expected, output):
    return __check(args, expected, output)
"""


def helpers_source() -> str:
    """The text of :mod:`effilab.suites.enamel_helpers`, as pasted into every wrapped generator."""
    return (
        importlib.resources.files("effilab.suites").joinpath("enamel_helpers.py").read_text(encoding="utf-8")
    )


def generator_source(helpers: str, prompt: str, input_generator: str, row: int) -> str:
    """The sandboxed generator module of csv row ``row`` (0-based, header excluded)."""
    tail = _GENERATOR_TAIL.format(
        entry=GENERATOR_ENTRY, base=ENAMEL_SEED, row=row, offsets=_LEVEL_OFFSETS, extra=DISTINCT_CASE_BASE
    )
    return helpers + "\n" + _GENERATOR_HEAD + prompt + "\n" + input_generator + tail


def load_enamel(path: str | Path) -> Suite:
    """Load ENAMEL's csv; :class:`InvalidArgument` names the file, the csv line and the field at fault."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InvalidArgument(f"{file}: missing") from None
    except OSError as exc:
        raise InvalidArgument(f"{file}: cannot read: {exc.strerror}") from None
    text = _decode(data, file)
    helpers = helpers_source()
    rows = _read_rows(text, file)
    problems: list[Problem] = []
    order: list[str] = []
    seen: dict[str, int] = {}
    for index, (line, record) in enumerate(rows):
        task_id = record["task_id"].strip()
        if task_id in seen:
            raise InvalidArgument(
                f"{file}: line {line}: field 'task_id': {task_id!r} repeats (first on line {seen[task_id]})"
            )
        seen[task_id] = line
        order.append(task_id)
        problem = _problem(index, line, task_id, record, helpers=helpers, file=file)
        if problem is not None:
            problems.append(problem)
    return Suite(
        name="enamel",
        source=f"enamel:{path}",
        problems=tuple(problems),
        settings=SuiteSettings(alpha=2.0, seed=ENAMEL_SEED, check_after_censor=False),
        fingerprint=fingerprint(data, helpers),
        task_order=tuple(order),
    )


# ----------------------------------------------------------------------------------------------- pieces


def _decode(data: bytes, file: Path) -> str:
    if not data.strip():
        raise InvalidArgument(
            f"{file}: line 1: the file is empty (expected a header with {', '.join(COLUMNS)})"
        )
    try:
        return data.decode("utf-8-sig")  # a BOM (spreadsheet export) is still UTF-8
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidArgument(f"{file}: line {line}: not UTF-8 text (byte {exc.start})") from None


def _read_rows(text: str, file: Path) -> list[tuple[int, dict[str, str]]]:
    """``(first csv line, record)`` per data row; multi-line fields make csv lines differ from row numbers."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise InvalidArgument(
                f"{file}: line 1: missing column(s) {', '.join(missing)} (the header has {', '.join(header)})"
            )
        positions = {name: header.index(name) for name in COLUMNS}
        rows: list[tuple[int, dict[str, str]]] = []
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if not any(field.strip() for field in fields):
                continue  # a blank line, e.g. at the end of the file
            if len(fields) != len(header):
                raise InvalidArgument(
                    f"{file}: line {line}: {len(fields)} fields, the header has {len(header)}"
                )
            rows.append((line, {name: fields[pos] for name, pos in positions.items()}))
    except csv.Error as exc:
        raise InvalidArgument(f"{file}: line {reader.line_num}: not valid CSV: {exc}") from None
    if not rows:
        raise InvalidArgument(f"{file}: line 2: no rows after the header")
    return rows


def _problem(
    index: int, line: int, task_id: str, record: dict[str, str], *, helpers: str, file: Path
) -> Problem | None:
    """Row ``index`` as a scored problem, or None when ENAMEL leaves it out (the row is validated anyway)."""
    where = f"{file}: line {line}"
    for name in ("task_id", "prompt", "input_generator", "reference_solution", "checker", "entry_point"):
        if not record[name].strip():
            raise InvalidArgument(f"{where}: field '{name}' is empty")
    levels = _levels(record["input_levels"], where)
    number = _TASK_NUMBER.fullmatch(task_id)
    if number is not None and int(number.group(1)) in EXCLUDED:
        return None
    prompt = record["prompt"]
    entry = record["entry_point"].strip()
    origin = f"{file.name}:{task_id}"
    generator = Program(
        generator_source(helpers, prompt, record["input_generator"], index).encode(),
        GENERATOR_ENTRY,
        f"{origin}:input_generator",
    )
    reference = Reference(
        REFERENCE_NAME, record["reference_solution"].encode(), f"{origin}:reference_solution"
    )
    try:
        return Problem(
            id=task_id,
            entry=entry,
            prompt=prompt,
            levels=levels,
            references=(reference,),
            rule=_rule(prompt, record["checker"], f"{origin}:checker"),
            generator=generator,
            program_prefix=prompt,
            metadata={"index": index, "source": "ENAMEL"},
        )
    except InvalidArgument as exc:
        raise InvalidArgument(f"{where}: {exc}") from None


def _levels(raw: str, where: str) -> tuple[Level, ...]:
    parts = raw.split()
    try:
        sizes = [int(part) for part in parts]
    except ValueError:
        sizes = []
    if len(sizes) != len(LEVEL_TESTS) or any(size < 0 for size in sizes):
        raise InvalidArgument(
            f"{where}: field 'input_levels' must be {len(LEVEL_TESTS)} non-negative integers separated by "
            f"spaces, got {raw!r}"
        )
    return tuple(
        Level(size=size, tests=tests, weight=weight)
        for size, tests, weight in zip(sizes, LEVEL_TESTS, LEVEL_WEIGHTS, strict=True)
    )


def _rule(prompt: str, checker: str, filename: str) -> Rule:
    if checker.strip() == DEFAULT_CHECKER:
        return PythonEqRule()
    source = prompt + "\n    pass\n" + checker + _CHECKER_TAIL
    return CheckerRule(Program(source.encode(), CHECKER_ENTRY, filename))
