"""PIE's formats: whole-program problems (stdin → stdout) with slow/fast pairs, and model generations.

* **Problems**: PIE's JSONL, one slow/fast pair per line: ``problem_id``, ``language``, ``input`` (the slow
  program), ``target`` (the human-improved one), ``submission_id_v0``/``submission_id_v1``,
  ``cpu_time_v0``/``cpu_time_v1`` and more (kept as metadata). A problem id may appear on several lines
  (several pairs); a pair's key is ``problem_id/submission_id_v0`` (or the problem id when there is no
  submission id).
* **Tests**, laid out as PIE's evaluator reads them: ``<tests_dir>/<problem_id>/input.<i>.txt`` with a
  matching ``output.<i>.txt``. effilab also reads, when present, ``levels.json`` (``{"<i>": level}``:
  test size classes, level 0 the smallest), ``rule.json`` (``{"rule": "float", "rel": 1e-6}``, see
  :mod:`effilab.programs.outputs`) and ``checker.py`` (a custom checker) in the same folder.
* **Generations**: a JSONL (or JSON list) of records holding a column with one candidate program or a
  list of them; a record is matched to its pair by ``submission_id_v0`` + ``problem_id``, else by
  ``problem_id`` alone when that names a single pair.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from effilab.errors import InvalidArgument
from effilab.programs.languages import Language, get_language
from effilab.programs.outputs import OutputRule, make_rule

if TYPE_CHECKING:
    from effilab.suites.model import SuiteSettings

__all__ = [
    "GENERATION_COLUMNS",
    "Generator",
    "ProgramPair",
    "ProgramSuite",
    "ProgramTest",
    "load_generations",
    "load_generator",
    "load_pie",
]

GENERATION_COLUMNS = ("generated_answers", "generated_answer", "generations", "generation", "candidates",
                      "candidate", "solution", "completion")  # fmt: skip
"""Columns tried, in order, when ``--column`` is not given."""
_TEST_FILE = re.compile(r"input\.(\d+)\.txt")


@dataclasses.dataclass(frozen=True, slots=True)
class ProgramTest:
    index: int
    input: bytes
    output: bytes | None
    """None for a generated input: the slow program's output is the expected one."""
    level: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class Generator:
    """``generator.py`` of a problem's tests folder: more inputs per level, from a seed, at evaluation time.

    The file defines ``generate(level, rng) -> str`` (``rng``: a ``random.Random``); ``generate.json`` says
    how many inputs per level (``{"3": 2}``). It runs in a box like any program.
    """

    source: bytes
    counts: dict[int, int]
    sizes: dict[int, int] | None = None
    """Set for effilab's suite-folder format: the generator is then ``generate(size, level, case, rng)``,
    called with each level's ``size`` (PIE's layout: ``generate(level, rng)``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class ProgramPair:
    """One PIE record: a slow program, usually a human-improved one, and the problem's tests."""

    key: str
    problem_id: str
    language: Language
    slow: bytes
    target: bytes | None
    tests: tuple[ProgramTest, ...]
    rule: OutputRule
    meta: dict[str, Any]
    """The record's other fields (submission ids, cpu_time_v0/v1, ...), for reports."""
    generator: Generator | None = None
    references: tuple[tuple[str, bytes], ...] = ()
    """Further reference programs between the slow one and the target, named, slowest first (suite folders
    with more than two references); measured like the target, for reports."""
    weights: dict[int, float] | None = None
    """eff@k weight of each test level (suite folders' ``[[levels]]``); None: ENAMEL's 0/3/3/4."""


@dataclasses.dataclass(frozen=True, slots=True)
class ProgramSuite:
    name: str
    pairs: tuple[ProgramPair, ...]
    source: str = ""
    """Where it was loaded from (a suite folder, or PIE's JSONL)."""
    settings: SuiteSettings | None = None
    """A suite folder's ``suite.toml`` settings (alpha, seed, repetitions); None for PIE's files."""

    def __iter__(self) -> Iterator[ProgramPair]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def _read_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode()
    except UnicodeDecodeError as exc:
        raise InvalidArgument(f"{path}: not UTF-8 ({exc})") from exc
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidArgument(f"{path}: invalid JSON ({exc})") from exc
        return [(i + 1, item) for i, item in enumerate(items) if isinstance(item, dict)]
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidArgument(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InvalidArgument(f"{path}:{number}: expected a JSON object")
        records.append((number, record))
    if not records:
        raise InvalidArgument(f"{path}: no records")
    return records


def _key(record: dict[str, Any]) -> str:
    sub = record.get("submission_id_v0")
    return f"{record['problem_id']}/{sub}" if sub not in (None, "") else str(record["problem_id"])


def load_generator(folder: Path) -> Generator | None:
    """The folder's ``generator.py`` and its ``generate.json`` counts (default: one per level 1-3)."""
    if not (folder / "generator.py").is_file():
        return None
    counts = {1: 1, 2: 1, 3: 1}
    if (folder / "generate.json").is_file():
        try:
            counts = {int(k): int(v) for k, v in json.loads((folder / "generate.json").read_text()).items()}
        except (ValueError, AttributeError) as exc:
            raise InvalidArgument(f"{folder}/generate.json: expected {{level: count}} ({exc})") from None
    return Generator((folder / "generator.py").read_bytes(), counts)


def load_tests(folder: Path) -> tuple[tuple[ProgramTest, ...], OutputRule]:
    """The tests of one problem folder, in index order, and its comparison rule."""
    if not folder.is_dir():
        raise InvalidArgument(f"{folder}: no tests folder for this problem")
    levels: dict[str, int] = {}
    if (folder / "levels.json").is_file():
        levels = {str(k): int(v) for k, v in json.loads((folder / "levels.json").read_text()).items()}
    tests: list[ProgramTest] = []
    for path in folder.iterdir():
        match = _TEST_FILE.fullmatch(path.name)
        if match is None:
            continue
        index = int(match.group(1))
        expected = folder / f"output.{index}.txt"
        if not expected.is_file():
            raise InvalidArgument(f"{path}: no matching {expected.name}")
        tests.append(ProgramTest(index, path.read_bytes(), expected.read_bytes(), levels.get(str(index), 0)))
    if not tests:
        raise InvalidArgument(f"{folder}: no input.<i>.txt / output.<i>.txt pairs")
    tests.sort(key=lambda t: t.index)
    spec = json.loads((folder / "rule.json").read_text()) if (folder / "rule.json").is_file() else None
    checker = (folder / "checker.py").read_bytes() if (folder / "checker.py").is_file() else None
    return tuple(tests), make_rule(spec, checker=checker)


def load_pie(path: str | Path, tests_dir: str | Path, *, language: str | None = None) -> ProgramSuite:
    """Load PIE's JSONL (``path``) with its tests (``tests_dir``); ``language`` when records lack one."""
    path, tests_dir = Path(path), Path(tests_dir)
    if not path.is_file():
        raise InvalidArgument(f"--suite pie:{path}: not a file")
    if not tests_dir.is_dir():
        raise InvalidArgument(f"--tests {tests_dir}: not a folder")
    tests_cache: dict[str, tuple[tuple[ProgramTest, ...], OutputRule]] = {}
    pairs: list[ProgramPair] = []
    seen: set[str] = set()
    for number, record in _read_records(path):
        where = f"{path}:{number}"
        for field in ("problem_id", "input"):
            if not isinstance(record.get(field), str):
                raise InvalidArgument(f"{where}: field {field!r} must be a string")
        lang_name = record.get("language") or language
        if not isinstance(lang_name, str):
            raise InvalidArgument(f"{where}: no 'language' field (pass --language)")
        pid = record["problem_id"]
        key = _key(record)
        if key in seen:
            raise InvalidArgument(f"{where}: pair {key!r} appears twice")
        seen.add(key)
        if pid not in tests_cache:
            tests_cache[pid] = load_tests(tests_dir / pid)
        tests, rule = tests_cache[pid]
        generator = load_generator(tests_dir / pid)
        target = record.get("target")
        meta = {k: v for k, v in record.items() if k not in ("input", "target")}
        fast = target.encode() if isinstance(target, str) else None
        lang = get_language(lang_name)
        slow = record["input"].encode()
        pairs.append(ProgramPair(key, pid, lang, slow, fast, tests, rule, meta, generator))
    return ProgramSuite(path.stem, tuple(pairs), str(path))


def load_generations(
    path: str | Path, suite: ProgramSuite, *, column: str | None = None, language: str | None = None
) -> dict[str, list[bytes]]:
    """Candidates per pair key, from a generations file (one program or a list per record).

    ``language``: of records without a ``language`` field, for problems with a pair per language.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidArgument(f"--samples {path}: not a file")
    by_key = {pair.key: pair for pair in suite}
    by_problem: dict[str, list[str]] = {}
    for pair in suite:
        by_problem.setdefault(pair.problem_id, []).append(pair.key)
    out: dict[str, list[bytes]] = {}
    found_column = False
    for number, record in _read_records(path):
        where = f"{path}:{number}"
        name = column or next((c for c in GENERATION_COLUMNS if c in record), None)
        if name is None or record.get(name) is None:
            continue  # no candidate for this record (a pair without a human target, say)
        found_column = True
        value = record[name]
        programs: Sequence[object] = value if isinstance(value, list) else [value]
        if not all(isinstance(p, str) for p in programs):
            raise InvalidArgument(f"{where}: column {name!r} must hold a program or a list of programs")
        key = None
        lang = record.get("language") or language
        if "problem_id" in record and _key(record) in by_key:
            key = _key(record)
        elif "task_id" in record and str(record["task_id"]) in by_key:
            key = str(record["task_id"])
        elif "task_id" in record and isinstance(lang, str) and lang.strip():
            # A suite folder's problem with references in several languages: one pair per language.
            key = f"{record['task_id']}/{get_language(lang).name}"
            if key not in by_key:
                raise InvalidArgument(f"{where}: problem {record['task_id']!r} has no {lang} references")
        else:
            pid = str(record.get("problem_id", record.get("task_id", "")))
            if len(by_problem.get(pid, [])) == 1:
                key = by_problem[pid][0]
            elif "task_id" in record and len(by_problem.get(pid, [])) > 1:
                choices = ", ".join(sorted(by_problem[pid]))
                raise InvalidArgument(
                    f"{where}: {pid!r} matches several pairs ({choices}): give 'language' or a pair's key"
                )
        if key is None:
            raise InvalidArgument(f"{where}: matches no pair of the suite")
        out.setdefault(key, []).extend(p.encode() for p in programs if isinstance(p, str))
    if not found_column:
        raise InvalidArgument(f"{path}: no record has a column {column or ' / '.join(GENERATION_COLUMNS)!r}")
    return out
