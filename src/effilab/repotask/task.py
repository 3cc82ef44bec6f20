"""The repository optimization task: what to make faster, where, and what guards it.

A task file (TOML or JSON, see docs/repotasks.md) names a repository (a local folder, a git URL, or a
package pinned as ``name==version`` on the package index), its base commit or version, a workload script
(the thing to make faster; it prints JSON-able results and reads its seed from ``EFFILAB_WORKLOAD_SEED``),
the repository's own tests that exercise the code, and optionally an expert patch. Every field is checked
here, once, with one error line naming the file and the field.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument

__all__ = ["COMPARES", "TEST_RUNNERS", "RepoSource", "RepoTask", "load_task"]

COMPARES = ("json", "text")
TEST_RUNNERS = ("pytest", "script")
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9][A-Za-z0-9.+!_-]*)$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


@dataclasses.dataclass(frozen=True, slots=True)
class RepoSource:
    """Where the repository comes from: exactly one of ``path``, ``url``, ``package``."""

    kind: str
    """``path``, ``git`` or ``package``."""
    location: str
    """The folder (absolute), the git URL, or the package's name."""
    base: str | None
    """The base commit (git; a local folder that is a git repository), or the package's version."""

    def describe(self) -> str:
        if self.kind == "package":
            return f"{self.location}=={self.base}"
        return self.location + (f"@{self.base}" if self.base else "")


@dataclasses.dataclass(frozen=True, slots=True)
class RepoTask:
    """One repository optimization task, validated."""

    id: str
    """The task's name; predictions refer to it as ``instance_id``."""
    file: Path
    repo: RepoSource
    workload: Path
    """The workload script (outside the repository: a patch cannot change it)."""
    seeds: tuple[int, int]
    """The primary seed and a second one: a patch must be equivalent and faster on both."""
    tests: tuple[str, ...]
    """Test files or folders, relative to the repository root."""
    python_path: tuple[str, ...] | None = None
    """Folders of the repository put on ``sys.path`` (None: ``src`` if it exists, else the root)."""
    test_args: tuple[str, ...] = ()
    test_runner: str = "pytest"
    """``pytest``, or ``script``: each test file runs as ``__main__`` and passes when it exits 0."""
    test_plugins: bool = False
    """Let pytest load the third-party plugins installed beside effilab (off: only pytest's own)."""
    expert: str | None = None
    """The expert patch's text."""
    allow: tuple[str, ...] = ()
    """Glob patterns of the files a patch may change (empty: any Python source outside the tests)."""
    compare: str = "json"
    float_tol: float = 0.0
    rounds: int = 5
    timeout_s: float = 120.0
    memory_mb: int = 2048
    description: str = ""


def _fail(file: Path, message: str) -> InvalidArgument:
    return InvalidArgument(f"{file}: {message}")


def _table(data: Mapping[str, Any], key: str, file: Path) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise _fail(file, f"[{key}] must be a table")
    return value


def _str(table: Mapping[str, Any], key: str, file: Path, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, f"{where}.{key} must be a non-empty string, not {value!r}")
    return value


def _strings(table: Mapping[str, Any], key: str, file: Path, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(file, f"{where}.{key} must be a list of strings, not {value!r}")
    return tuple(value)


def _number(table: Mapping[str, Any], key: str, default: float, file: Path, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise _fail(file, f"{where}.{key} must be a non-negative number, not {value!r}")
    return float(value)


def _read(file: Path) -> Mapping[str, Any]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidArgument(f"{file}: no such task file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgument(f"{file}: cannot read the task file ({exc})") from None
    try:
        data: object = json.loads(text) if file.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if file.suffix == ".json" else "TOML"
        raise InvalidArgument(f"{file}: not valid {kind} ({' '.join(str(exc).split())})") from None
    if not isinstance(data, Mapping):
        raise _fail(file, "a task file holds one table (object)")
    return data


def _repo(data: Mapping[str, Any], folder: Path, file: Path) -> RepoSource:
    table = _table(data, "repo", file)
    given = [key for key in ("path", "url", "package") if key in table]
    if len(given) != 1:
        raise _fail(file, "[repo] needs exactly one of path, url, package")
    base = _str(table, "base", file, "repo")
    if "package" in table:
        spec = _str(table, "package", file, "repo") or ""
        match = _PINNED.match(spec.strip())
        if match is None:
            raise _fail(file, f"repo.package={spec!r}: pin it as name==version")
        if base is not None and base != match.group(2):
            raise _fail(file, f"repo.base={base!r}: a package's base is its pinned version {match.group(2)}")
        return RepoSource("package", match.group(1), match.group(2))
    if "url" in table:
        url = _str(table, "url", file, "repo") or ""
        if base is None:
            raise _fail(file, "repo.base: a git URL needs the base commit (a fixed revision)")
        return RepoSource("git", url, base)
    path = Path(_str(table, "path", file, "repo") or "")
    path = (folder / path).resolve()
    if not path.is_dir():
        raise _fail(file, f"repo.path: {path} is not a directory")
    if base is not None and not (path / ".git").exists():
        raise _fail(
            file, f"repo.base={base!r}: {path} is not a git repository (omit base to copy the folder)"
        )
    return RepoSource("path", str(path), base)


def _patch_text(folder: Path, name: str, file: Path) -> str:
    path = (folder / name).resolve()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(file, f"patch.expert: cannot read {path} ({exc.__class__.__name__})") from None


def load_task(path: str | Path) -> RepoTask:
    """The task in ``path`` (``.toml`` or ``.json``), validated; relative paths are from its folder."""
    file = Path(path)
    data = _read(file)
    folder = file.resolve().parent
    known = {"id", "description", "repo", "workload", "tests", "patch", "measure"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise _fail(file, f"unknown key(s) {unknown}; expected {sorted(known)}")
    task_id = data.get("id")
    if not isinstance(task_id, str) or not _ID.match(task_id):
        raise _fail(file, f"id={task_id!r}: a name of letters, digits, '.', '_', '-', '/'")
    repo = _repo(data, folder, file)
    workload_table = _table(data, "workload", file)
    script = _str(workload_table, "script", file, "workload")
    if script is None:
        raise _fail(file, "workload.script is required")
    workload = (folder / script).resolve()
    if not workload.is_file():
        raise _fail(file, f"workload.script: {workload} is not a file")
    seeds = workload_table.get("seeds", [1, 2])
    if (
        not isinstance(seeds, list)
        or len(seeds) != 2
        or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)
        or seeds[0] == seeds[1]
    ):
        raise _fail(file, f"workload.seeds={seeds!r}: two different integers")
    compare = _str(workload_table, "compare", file, "workload") or "json"
    if compare not in COMPARES:
        raise _fail(file, f"workload.compare={compare!r}: choose one of {', '.join(COMPARES)}")
    tests_table = _table(data, "tests", file)
    tests = _strings(tests_table, "paths", file, "tests")
    if not tests:
        raise _fail(file, "tests.paths: name the repository's tests that exercise the code (at least one)")
    for test in tests:
        if Path(test).is_absolute() or ".." in Path(test).parts:
            raise _fail(file, f"tests.paths: {test!r} must be relative to the repository, inside it")
    runner = _str(tests_table, "runner", file, "tests") or "pytest"
    if runner not in TEST_RUNNERS:
        raise _fail(file, f"tests.runner={runner!r}: choose one of {', '.join(TEST_RUNNERS)}")
    plugins = tests_table.get("plugins", False)
    if not isinstance(plugins, bool):
        raise _fail(file, f"tests.plugins={plugins!r}: true or false")
    patch_table = _table(data, "patch", file)
    expert_name = _str(patch_table, "expert", file, "patch")
    measure = _table(data, "measure", file)
    rounds = measure.get("rounds", 5)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 3 <= rounds <= 100:
        raise _fail(file, f"measure.rounds={rounds!r}: an integer from 3 to 100")
    memory = measure.get("memory_mb", 2048)
    if isinstance(memory, bool) or not isinstance(memory, int) or memory < 64:
        raise _fail(file, f"measure.memory_mb={memory!r}: an integer of at least 64")
    timeout = _number(measure, "timeout_s", 120.0, file, "measure")
    if timeout <= 0:
        raise _fail(file, "measure.timeout_s must be positive")
    python_path = _strings(_table(data, "repo", file), "python_path", file, "repo") or None
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(file, "description must be a string")
    return RepoTask(
        id=task_id,
        file=file.resolve(),
        repo=repo,
        workload=workload,
        seeds=(int(seeds[0]), int(seeds[1])),
        tests=tests,
        python_path=python_path,
        test_args=_strings(tests_table, "args", file, "tests"),
        test_runner=runner,
        test_plugins=plugins,
        expert=None if expert_name is None else _patch_text(folder, expert_name, file),
        allow=_strings(patch_table, "allow", file, "patch"),
        compare=compare,
        float_tol=_number(workload_table, "float_tol", 0.0, file, "workload"),
        rounds=rounds,
        timeout_s=timeout,
        memory_mb=memory,
        description=description,
    )
