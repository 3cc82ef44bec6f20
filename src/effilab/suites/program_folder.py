"""Whole-program problems in effilab's suite-folder format: ``kind = "program"`` in ``problem.toml``.

::

    my-programs/
      suite.toml                    # optional: name, alpha, seed, repetitions (as for function suites)
      pair-sum/
        problem.toml                # kind = "program", id, prompt(_file), compare, [[levels]], [[references]]
        naive.cpp  sorted.cpp  hashed.cpp  naive.py  hashed.py   # references, slowest first per language
        tests/input.1.txt  tests/output.1.txt  ...               # stdin / expected stdout pairs
        generator.py                # optional: generate(size, level, case, rng) -> str (one stdin)
        checker.py                  # only for compare.rule = "checker"

A problem yields one :class:`~effilab.suites.pie.ProgramPair` per language of its references: the slowest
reference is the pair's *slow* program (the speedup baseline, and the judge of generated inputs), the
fastest its *target* (eff@k's reference), the others are measured too. The pair's key is the problem id, or
``id/language`` when the problem has references in several languages. Everything is then evaluated by
:mod:`effilab.programs.evaluate`, as PIE's pairs are.

Every error names the file and the field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.programs.languages import Language, get_language, language_for_path
from effilab.programs.outputs import OutputRule
from effilab.suites.folder import (
    PROBLEM_FILE,
    SUITE_FILE,
    _number,
    _prompt,
    _read_text,
    _read_toml,
    _settings,
    _string,
)
from effilab.suites.pie import Generator, ProgramPair, ProgramSuite, ProgramTest

__all__ = ["KINDS", "PROGRAM_KIND", "load_program_folder", "load_program_problem", "program_suite_folder"]

PROGRAM_KIND = "program"
KINDS = ("function", PROGRAM_KIND)
TESTS_FOLDER = "tests"
_TEST_FILE = re.compile(r"input\.(\d+)\.txt")
_MAX_GENERATED = 1000  # generated inputs per level


def problem_kind(folder: Path) -> str:
    """``function`` or ``program``: the ``kind`` field of the folder's ``problem.toml``."""
    toml_path = folder / PROBLEM_FILE
    kind = _read_toml(toml_path).get("kind", "function")
    if kind not in KINDS:
        raise InvalidArgument(f"{toml_path}: field 'kind' must be one of {', '.join(map(repr, KINDS))}")
    return str(kind)


def _problem_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / PROBLEM_FILE).is_file())


def is_program_folder(root: Path) -> bool:
    """Whether the suite folder ``root`` holds program problems (a mix of kinds is an error)."""
    kinds = {problem_kind(folder) for folder in _problem_folders(root)}
    if len(kinds) > 1:
        raise InvalidArgument(f"{root}: mixes function and program problems (kind = ...): keep them apart")
    return kinds == {PROGRAM_KIND}


def program_suite_folder(spec: str) -> Path | None:
    """The folder of a program suite that ``--suite spec`` names (a folder or a suite name), else None."""
    from effilab.suites.registry import builtin_suites  # noqa: PLC0415 - the registry imports this module

    if ":" in spec and not Path(spec).exists():
        return None
    path = Path(spec)
    if not path.is_dir():
        path = builtin_suites().get(spec, path)
    if not path.is_dir() or not _problem_folders(path):
        return None
    return path if is_program_folder(path) else None


def load_program_folder(path: str | Path, *, name: str | None = None) -> ProgramSuite:
    """Every program problem under ``path`` (sorted by folder name), one pair per problem and language."""
    root = Path(path)
    if not root.is_dir():
        raise InvalidArgument(f"--suite {str(path)!r}: not a folder")
    settings_table = _read_toml(root / SUITE_FILE) if (root / SUITE_FILE).is_file() else {}
    settings = _settings(settings_table, root / SUITE_FILE)
    folders = _problem_folders(root)
    if not folders:
        raise InvalidArgument(f"--suite {str(path)!r}: no problem folders (subfolders with {PROBLEM_FILE})")
    pairs: list[ProgramPair] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        for pair in load_program_problem(folder):
            if pair.key in seen:
                other = seen[pair.key]
                raise InvalidArgument(f"{folder / PROBLEM_FILE}: id {pair.problem_id!r} is also {other}'s")
            seen[pair.key] = folder
            pairs.append(pair)
    suite_name = name or str(settings_table.get("name") or root.name)
    return ProgramSuite(suite_name, tuple(pairs), str(root), settings)


def load_program_problem(folder: Path) -> list[ProgramPair]:
    """One program problem folder: a pair per language of its references."""
    toml_path = folder / PROBLEM_FILE
    table = _read_toml(toml_path)
    where = str(toml_path)
    if table.get("kind") != PROGRAM_KIND:
        raise InvalidArgument(f"{where}: field 'kind' must be {PROGRAM_KIND!r} for a program problem")
    problem_id = _string(table, "id", where, default=folder.name)
    if "/" in problem_id:
        raise InvalidArgument(f"{where}: field 'id' must not contain '/'")
    prompt = _prompt(table, folder, where)
    rule = _rule(table, folder, where)
    levels, sizes, counts, weights = _levels(table, where)
    tests = _tests(folder / TESTS_FOLDER, levels, where)
    generator = None
    if any(counts.values()):
        if not (folder / "generator.py").is_file():
            raise InvalidArgument(f"{where}: [[levels]] ask for generated inputs (tests > 0) but there is no "
                                  f"{folder / 'generator.py'}")  # fmt: skip
        source = _read_text(folder / "generator.py").encode()
        generator = Generator(source, {lv: n for lv, n in counts.items() if n}, sizes)
    by_language = _references(table, folder, where)
    known = {"kind", "id", "prompt", "prompt_file", "levels", "references", "compare"}
    metadata = {k: v for k, v in table.items() if k not in known}
    pairs = []
    for language, refs in by_language.values():
        key = problem_id if len(by_language) == 1 else f"{problem_id}/{language.name}"
        names = [name for name, _ in refs]
        meta = {"problem_id": problem_id, "language": language.name, "prompt": prompt, "references": names,
                **metadata}  # fmt: skip
        slow, target = refs[0][1], (refs[-1][1] if len(refs) > 1 else None)
        middle = tuple(refs[1:-1])
        pairs.append(ProgramPair(key, problem_id, language, slow, target, tests, rule, meta, generator,
                                 middle, weights))  # fmt: skip
    return pairs


# ----------------------------------------------------------------------------------------------- pieces


def _rule(table: dict[str, Any], folder: Path, where: str) -> OutputRule:
    raw = table.get("compare", "tokens")
    spec: dict[str, Any] = {"rule": raw} if isinstance(raw, str) else raw
    if not isinstance(spec, dict):
        raise InvalidArgument(f"{where}: field 'compare' must be a rule name or a table")
    rule = spec.get("rule", "tokens")
    choices = "exact, tokens, float, checker"
    if rule in ("exact", "tokens"):
        return OutputRule(rule)
    if rule == "float":
        rel = _number(spec, "rel", f"{where}: compare", 1e-6)
        abs_ = _number(spec, "abs", f"{where}: compare", 1e-6)
        if rel < 0 or abs_ < 0:
            raise InvalidArgument(f"{where}: compare: 'rel' and 'abs' must be >= 0")
        return OutputRule("float", rel=rel, abs=abs_)
    if rule == "checker":
        file = folder / _string(spec, "checker", f"{where}: compare", default="checker.py")
        return OutputRule("checker", checker=_read_text(file).encode())
    raise InvalidArgument(f"{where}: compare.rule={rule!r}: choose one of {choices}")


def _int(item: dict[str, Any], key: str, where: str, default: int, low: int, high: int) -> int:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgument(f"{where}: field '{key}' must be an integer from {low} to {high}: {value!r}")
    return value


def _levels(
    table: dict[str, Any], where: str
) -> tuple[dict[int, int], dict[int, int], dict[int, int], dict[int, float] | None]:
    """(test file index → level, level → size, level → generated count, level → weight or None)."""
    raw = table.get("levels", [])
    if not isinstance(raw, list):
        raise InvalidArgument(f"{where}: field 'levels' must be an array of tables ([[levels]])")
    files: dict[int, int] = {}
    sizes: dict[int, int] = {}
    counts: dict[int, int] = {}
    weights: dict[int, float] = {}
    any_weight = False
    for level, item in enumerate(raw):
        here = f"{where}: levels[{level}]"
        if not isinstance(item, dict):
            raise InvalidArgument(f"{here} must be a table")
        unknown = set(item) - {"size", "tests", "weight", "files"}
        if unknown:
            raise InvalidArgument(f"{here}: no field {sorted(unknown)[0]!r} (size, tests, weight, files)")
        sizes[level] = _int(item, "size", here, 0, 0, 2**62)
        counts[level] = _int(item, "tests", here, 0, 0, _MAX_GENERATED)
        if "weight" in item:
            any_weight = True
            weight = _number(item, "weight", here, 0.0)
            if weight < 0:
                raise InvalidArgument(f"{here}: field 'weight' must be >= 0")
            weights[level] = weight
        listed = item.get("files", [])
        if not isinstance(listed, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in listed):
            raise InvalidArgument(f"{here}: field 'files' must be a list of test numbers (input.<i>.txt)")
        for index in listed:
            if index in files:
                raise InvalidArgument(f"{here}: test {index} is already in levels[{files[index]}]")
            files[index] = level
    return files, sizes, counts, (weights if any_weight else None)


def _tests(folder: Path, levels: dict[int, int], where: str) -> tuple[ProgramTest, ...]:
    if not folder.is_dir():
        raise InvalidArgument(f"{where}: no {folder} folder (input.<i>.txt / output.<i>.txt pairs)")
    tests: list[ProgramTest] = []
    for path in folder.iterdir():
        match = _TEST_FILE.fullmatch(path.name)
        if match is None:
            continue
        index = int(match.group(1))
        expected = folder / f"output.{index}.txt"
        if not expected.is_file():
            raise InvalidArgument(f"{path}: no matching {expected.name}")
        tests.append(ProgramTest(index, path.read_bytes(), expected.read_bytes(), levels.get(index, 0)))
    if not tests:
        raise InvalidArgument(f"{folder}: no input.<i>.txt / output.<i>.txt pairs")
    missing = sorted(set(levels) - {t.index for t in tests})
    if missing:
        raise InvalidArgument(f"{where}: [[levels]] files name test {missing[0]}, but there is no "
                              f"{folder / f'input.{missing[0]}.txt'}")  # fmt: skip
    return tuple(sorted(tests, key=lambda t: t.index))


def _references(
    table: dict[str, Any], folder: Path, where: str
) -> dict[str, tuple[Language, list[tuple[str, bytes]]]]:
    raw = table.get("references")
    if not isinstance(raw, list) or not raw:
        raise InvalidArgument(
            f"{where}: field 'references' must be a non-empty array of tables ([[references]] name, file)"
        )
    by_language: dict[str, tuple[Language, list[tuple[str, bytes]]]] = {}
    names: set[tuple[str, str]] = set()
    for index, item in enumerate(raw):
        here = f"{where}: references[{index}]"
        if not isinstance(item, dict):
            raise InvalidArgument(f"{here} must be a table")
        name = _string(item, "name", here)
        file = folder / _string(item, "file", here)
        try:
            if "language" in item:
                language = get_language(_string(item, "language", here))
            else:
                language = language_for_path(file)
        except InvalidArgument as exc:
            raise InvalidArgument(f"{here}: {exc} (give 'language')") from None
        if (language.name, name) in names:
            raise InvalidArgument(f"{here}: a second {language.name} reference named {name!r}")
        names.add((language.name, name))
        by_language.setdefault(language.name, (language, []))[1].append((name, _read_text(file).encode()))
    return by_language


def describe(suite: ProgramSuite) -> dict[str, Any]:
    """Counts for ``effilab suite list``: problems, pairs and languages."""
    return {
        "problems": len({pair.problem_id for pair in suite}),
        "pairs": len(suite),
        "languages": sorted({pair.language.name for pair in suite}),
    }
