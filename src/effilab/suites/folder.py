"""The on-disk suite format: a folder of problem folders (see docs/suite.md).

::

    my-suite/
      suite.toml                  # optional: name, alpha, seed, repetitions
      pair-sum/
        problem.toml              # id, entry, prompt or prompt_file, [compare], [[levels]], [[references]]
        generator.py              # generate(size: int, level: int, case: int, rng: random.Random) -> tuple
        naive.py  standard.py  expert.py     # reference solutions, listed slowest first in problem.toml
        tests.jsonl               # optional fixed tests: {"args": [...], "expected": ..., "level": 0}
        checker.py                # only for compare.rule = "checker": check(args, expected, output) -> bool

Every error names the file and the field, so a suite author can fix it without reading this code.
"""

from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path
from typing import Any

from effilab.check.rules import CheckerRule, ExactRule, FloatRule, PythonEqRule, Rule, UnorderedRule
from effilab.errors import InvalidArgument
from effilab.measure.program import Program
from effilab.sandbox import codec
from effilab.sandbox.limits import MAX_MEMORY_MB, MAX_TIME_S
from effilab.suites.model import (
    CHECKER_ENTRY,
    GENERATOR_ENTRY,
    Level,
    Problem,
    Reference,
    Suite,
    SuiteSettings,
    TestCase,
    fingerprint,
)
from effilab.util import safejson

__all__ = ["PROBLEM_FILE", "SUITE_FILE", "load_folder", "load_problem"]

PROBLEM_FILE = "problem.toml"
SUITE_FILE = "suite.toml"

# Appended to the suite's generator: the Random is built in the child (it cannot cross as JSON).
GENERATOR_WRAPPER = f"""

def {GENERATOR_ENTRY}(size, level, case, seed):
    import random as _effilab_random
    return generate(size, level, case, _effilab_random.Random(seed))
"""

CHECKER_WRAPPER = f"""

def {CHECKER_ENTRY}(args, expected, output):
    return check(args, expected, output)
"""

_RULES: dict[str, type[Rule]] = {
    "exact": ExactRule,
    "python-eq": PythonEqRule,
    "unordered": UnorderedRule,
}


def load_folder(path: str | Path, *, name: str | None = None) -> Suite:
    """Load every problem folder under ``path`` (sorted by folder name)."""
    root = Path(path)
    if not root.is_dir():
        raise InvalidArgument(f"--suite {str(path)!r}: not a folder")
    settings_table = _read_toml(root / SUITE_FILE) if (root / SUITE_FILE).is_file() else {}
    settings = _settings(settings_table, root / SUITE_FILE)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / PROBLEM_FILE).is_file())
    if not folders:
        raise InvalidArgument(f"--suite {str(path)!r}: no problem folders (subfolders with {PROBLEM_FILE})")
    problems = tuple(load_problem(folder) for folder in folders)
    suite_name = name or str(settings_table.get("name") or root.name)
    digest = fingerprint(
        repr(settings),
        *(fingerprint(*_files_of(folder)) for folder in folders),
    )
    return Suite(suite_name, str(root), problems, settings, digest)


def load_problem(folder: Path) -> Problem:
    """One problem folder; raises :class:`InvalidArgument` naming the file and field that is wrong."""
    toml_path = folder / PROBLEM_FILE
    table = _read_toml(toml_path)
    where = str(toml_path)
    kind = table.get("kind", "function")
    if kind == "program":
        raise InvalidArgument(
            f"{where}: kind = 'program': a whole-program suite, which only `effilab evaluate` and `effilab "
            "suite list/validate` take (docs/programs.md)"
        )
    if kind != "function":
        raise InvalidArgument(f"{where}: field 'kind' must be 'function' (the default) or 'program'")
    problem_id = _string(table, "id", where, default=folder.name)
    entry = _string(table, "entry", where)
    prompt = _prompt(table, folder, where)
    levels = _levels(table, where)
    references = _references(table, folder, where)
    rule = _rule(table, folder, where)
    generator_file = folder / "generator.py"
    generator = None
    if generator_file.is_file():
        source = _read_text(generator_file) + GENERATOR_WRAPPER
        generator = Program(source.encode(), GENERATOR_ENTRY, str(generator_file))
    fixed = _fixed_tests(folder / "tests.jsonl", len(levels))
    metadata = {
        key: value
        for key, value in table.items()
        if key not in {"kind", "id", "entry", "prompt", "prompt_file", "levels", "references", "compare"}
    }
    try:
        return Problem(
            id=problem_id,
            entry=entry,
            prompt=prompt,
            levels=levels,
            references=references,
            rule=rule,
            generator=generator,
            fixed=fixed,
            metadata=metadata,
            read_paths=(),
        )
    except InvalidArgument as exc:
        raise InvalidArgument(f"{where}: {exc}") from None


# ----------------------------------------------------------------------------------------------- pieces


def _read_toml(path: Path) -> dict[str, Any]:
    text = _read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidArgument(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib's parser recurses once per nested array or inline table
        raise InvalidArgument(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError:  # tomllib lets int()'s digit limit escape as a bare ValueError
        limit = sys.get_int_max_str_digits()
        raise InvalidArgument(f"{path}: not valid TOML: an integer longer than {limit} digits") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidArgument(f"{path}: missing") from None
    except UnicodeDecodeError as exc:
        raise InvalidArgument(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InvalidArgument(f"{path}: cannot read: {exc.strerror}") from None


def _files_of(folder: Path) -> list[bytes]:
    parts: list[bytes] = []
    for file in sorted(folder.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            parts.append(str(file.relative_to(folder)).encode())
            parts.append(file.read_bytes())
    return parts


def _string(table: dict[str, Any], key: str, where: str, *, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise InvalidArgument(f"{where}: field '{key}' is missing")
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{where}: field '{key}' must be a non-empty string")
    return value


def _number(table: dict[str, Any], key: str, where: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidArgument(f"{where}: field '{key}' must be a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InvalidArgument(f"{where}: field '{key}' must be a finite number")
    return number


def _settings(table: dict[str, Any], path: Path) -> SuiteSettings:
    where = str(path)
    # Upper bounds as for the same options on the command line (see effilab.api): beyond them the
    # derived time limits overflowed deep inside a run.
    alpha = _number(table, "alpha", where, 2.0)
    if not 1 < alpha <= 1000:
        raise InvalidArgument(f"{where}: field 'alpha' must be > 1 and ≤ 1000, got {alpha}")
    seed = table.get("seed")
    repetitions = table.get("repetitions", 3)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63):
        raise InvalidArgument(f"{where}: field 'seed' must be an integer in [0, 2**63)")
    if isinstance(repetitions, bool) or not isinstance(repetitions, int) or not 1 <= repetitions <= 1000:
        raise InvalidArgument(f"{where}: field 'repetitions' must be an integer from 1 to 1000")
    limits: dict[str, Any] = {}
    for key in ("memory_mb", "oracle_memory_mb"):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or not 64 <= value <= MAX_MEMORY_MB:
                raise InvalidArgument(
                    f"{where}: field '{key}' must be an integer number of MiB (≥ 64, ≤ {MAX_MEMORY_MB})"
                )
            limits[key] = value
    if "oracle_timeout_s" in table:
        timeout = _number(table, "oracle_timeout_s", where, 60.0)
        if not 0 < timeout <= MAX_TIME_S:
            raise InvalidArgument(f"{where}: field 'oracle_timeout_s' must be > 0 and ≤ {MAX_TIME_S:.0f}")
        limits["oracle_timeout_s"] = timeout
    return SuiteSettings(alpha=alpha, seed=seed, repetitions=repetitions, **limits)


def _prompt(table: dict[str, Any], folder: Path, where: str) -> str:
    if "prompt" in table and "prompt_file" in table:
        raise InvalidArgument(f"{where}: give 'prompt' or 'prompt_file', not both")
    if "prompt_file" in table:
        return _read_text(folder / _string(table, "prompt_file", where))
    return _string(table, "prompt", where)


def _levels(table: dict[str, Any], where: str) -> tuple[Level, ...]:
    raw = table.get("levels")
    if not isinstance(raw, list) or not raw:
        raise InvalidArgument(f"{where}: field 'levels' must be a non-empty array of tables ([[levels]])")
    levels = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidArgument(f"{where}: levels[{index}] must be a table")
        try:
            levels.append(Level(size=item.get("size"), tests=item.get("tests"), weight=item.get("weight", 0)))  # type: ignore[arg-type]
        except InvalidArgument as exc:
            raise InvalidArgument(f"{where}: levels[{index}]: {exc}") from None
    return tuple(levels)


def _references(table: dict[str, Any], folder: Path, where: str) -> tuple[Reference, ...]:
    raw = table.get("references")
    if not isinstance(raw, list) or not raw:
        raise InvalidArgument(
            f"{where}: field 'references' must be a non-empty array of tables ([[references]] name, file)"
        )
    references = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidArgument(f"{where}: references[{index}] must be a table")
        name = _string(item, "name", f"{where}: references[{index}]")
        file = folder / _string(item, "file", f"{where}: references[{index}]")
        references.append(Reference(name, _read_text(file).encode(), str(file)))
    return tuple(references)


def _rule(table: dict[str, Any], folder: Path, where: str) -> Rule:
    raw = table.get("compare", "exact")
    spec: dict[str, Any] = {"rule": raw} if isinstance(raw, str) else raw
    if not isinstance(spec, dict):
        raise InvalidArgument(f"{where}: field 'compare' must be a rule name or a table")
    rule = spec.get("rule", "exact")
    if rule in _RULES:
        return _RULES[rule]()
    if rule == "float":
        try:
            return FloatRule(
                rel_tol=_number(spec, "rel_tol", f"{where}: compare", 1e-9),
                abs_tol=_number(spec, "abs_tol", f"{where}: compare", 0.0),
            )
        except InvalidArgument as exc:
            message = str(exc)
            prefixed = message if message.startswith(where) else f"{where}: compare.{message}"
            raise InvalidArgument(prefixed) from None
    if rule == "checker":
        file = folder / _string(spec, "checker", f"{where}: compare", default="checker.py")
        source = _read_text(file) + CHECKER_WRAPPER
        return CheckerRule(Program(source.encode(), CHECKER_ENTRY, str(file)))
    choices = ", ".join([*_RULES, "float", "checker"])
    raise InvalidArgument(f"{where}: compare.rule={rule!r}: choose one of {choices}")


def _fixed_tests(path: Path, n_levels: int) -> tuple[TestCase, ...]:
    if not path.is_file():
        return ()
    cases: list[TestCase] = []
    counters = [0] * max(n_levels, 1)
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = safejson.loads(line)
        except safejson.JSONInputError as exc:
            raise InvalidArgument(f"{where}: not valid JSON: {exc.reason}") from None
        if not isinstance(record, dict) or not isinstance(record.get("args"), list):
            raise InvalidArgument(f"{where}: field 'args' must be a JSON list of positional arguments")
        level = record.get("level", 0)
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level < len(counters):
            raise InvalidArgument(f"{where}: field 'level' must be an index into [[levels]]")
        try:
            args = tuple(codec.decode(arg) for arg in record["args"])
            expected = codec.decode(record["expected"]) if "expected" in record else None
        except codec.CodecError as exc:
            raise InvalidArgument(f"{where}: cannot decode: {exc}") from None
        cases.append(TestCase(level, counters[level], args, expected, "expected" in record))
        counters[level] += 1
    return tuple(cases)
