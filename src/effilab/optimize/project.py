"""Where the target lives: the user's project, its import root and tests, and sandboxed programs over it.

A *version* of the target is the whole module text (the original, or the original with one function
replaced). :func:`program` turns a version into a sandboxed :class:`~effilab.measure.Program`: the
in-sandbox harness (``_harness.py``) installs that text under the module's real dotted name, with the
project readable (never writable) and its import root on ``sys.path``. Measurement, verification,
profiling and the user's tests all run through it, so every stage sees exactly the same code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.measure import Program
from effilab.optimize.target import Target
from effilab.sandbox import ErrorInfo, Limits, LoadResult, Verdict, Worker
from effilab.sandbox.lifecycle import loaded_worker

__all__ = ["ENTRIES", "Project", "TestRun", "loaded", "locate_project", "program", "run_tests"]

_HARNESS = (Path(__file__).with_name("_harness.py")).read_text(encoding="utf-8")
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

ENTRIES = {
    "target": "__effilab_target__",
    "observe": "__effilab_observe__",
    "peak": "__effilab_peak__",
    "profile": "__effilab_profile__",
    "pytest": "__effilab_pytest__",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Project:
    root: Path
    """Readable inside the sandbox; pytest's rootdir."""
    import_root: Path
    """The directory on ``sys.path`` from which ``module`` is importable."""
    module: str
    """The target file's dotted module name."""
    tests: tuple[Path, ...]
    """Test files or folders to run (empty: the project has none)."""
    site_packages: tuple[Path, ...] = ()
    """The user's environment (site-packages folders), readable and importable after effilab's own."""


def locate_project(
    target: Target,
    *,
    root: Path | None = None,
    tests: Sequence[Path] | None = None,
    site_packages: Sequence[Path] | None = None,
) -> Project:
    """The project around ``target``: the nearest folder with a project marker, unless ``root`` is given.

    The module name comes from the package folders (those with ``__init__.py``) above the file; the first
    folder above them is the import root. Tests default to ``ROOT/tests`` (or ``ROOT/test``) if present.
    ``site_packages`` are the user's environment; by default, the project's own virtual environment
    (``ROOT/.venv``, ``ROOT/venv`` or ``ROOT/env``) when it was made for this Python version.
    """
    path = target.path
    package_dirs: list[str] = []
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        package_dirs.append(folder.name)
        folder = folder.parent
    import_root = folder
    module = ".".join([*reversed(package_dirs), path.stem])
    if not all(part.isidentifier() for part in module.split(".")):
        raise InvalidArgument(f"{path}: {module!r} is not an importable module name")
    if root is None:
        root = _find_root(import_root)
    root = root.resolve()
    if not root.is_dir():
        raise InvalidArgument(f"--project {root}: not a directory")
    if not import_root.is_relative_to(root):
        # The sandbox can read only the project: it must hold the folder the module is imported from.
        raise InvalidArgument(
            f"--project {root}: does not contain {import_root}, where {module} is imported from"
        )
    if tests is None:
        found = [root / name for name in ("tests", "test") if (root / name).is_dir()]
        chosen = tuple(found[:1])
    else:
        chosen = tuple(t.resolve() for t in tests)
        for test in chosen:
            if not test.exists():
                raise InvalidArgument(f"--tests {test}: does not exist")
            if not test.is_relative_to(root):
                raise InvalidArgument(f"--tests {test}: outside the project {root}")
    if site_packages is None:
        environments = project_environments(root)
    else:
        environments = tuple(p.resolve() for p in site_packages)
        for folder in environments:
            if not folder.is_dir():
                raise InvalidArgument(f"--site-packages {folder}: not a directory")
    return Project(root, import_root, module, chosen, environments)


def project_environments(root: Path) -> tuple[Path, ...]:
    """site-packages of a virtual environment inside the project, if made for this interpreter's version.

    Another Python version's packages are not used: their compiled extensions would not load here.
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    found: list[Path] = []
    for name in (".venv", "venv", "env"):
        folder = root / name / "lib" / version / "site-packages"
        if (root / name / "pyvenv.cfg").is_file() and folder.is_dir():
            found.append(folder.resolve())
    return tuple(found)


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    return start


def program(project: Project, target: Target, module_source: str, *, entry: str = "target") -> Program:
    """A sandboxed program that installs ``module_source`` as the target's module and exposes ``entry``."""
    config = {
        "import_root": str(project.import_root),
        "project_root": str(project.root),
        "module": project.module,
        "filename": str(target.path),
        "code_name": str(target.path)
        if module_source == target.module_source
        else f"<effilab candidate for {target.path.name}>",
        "source": module_source,
        "qualname": target.qualname,
        "method_kind": target.method_kind,
        "site_packages": [str(p) for p in project.site_packages],
    }
    source = f"{_HARNESS}\n_setup({json.dumps(json.dumps(config))})\n"
    return Program(
        source.encode("utf-8"),
        ENTRIES[entry],
        f"<effilab harness for {target.path.name}>",
        read_paths=(str(project.root), *(str(p) for p in project.site_packages)),
    )


@contextlib.contextmanager
def loaded(prog: Program, *, limits: Limits, isolation: str) -> Iterator[tuple[Worker, LoadResult]]:
    """A fresh sandboxed worker that can read the project, with ``prog`` loaded (check the LoadResult)."""
    with loaded_worker(prog.source, prog.entry, prog.filename, limits=limits, isolation=isolation,
                       read_paths=prog.read_paths) as pair:  # fmt: skip
        yield pair


_PYTEST_NO_TESTS = 5
_PYTEST_CANNOT_RUN = (2, 3, 4)
"""Interrupted (a collection error), internal error, usage error."""


def _error_line(report: str) -> str | None:
    """The most telling line of a pytest report that could not run the tests."""
    lines = [line.strip() for line in report.splitlines() if line.strip()]
    for prefix in ("E   ", "ERROR ", "ImportError", "ModuleNotFoundError"):
        for line in lines:
            if line.startswith(prefix.strip()):
                return line.removeprefix("E").strip() if prefix == "E   " else line
    return lines[-1] if lines else None


@dataclasses.dataclass(frozen=True, slots=True)
class TestRun:
    """The user's tests run against one version of the module."""

    verdict: Verdict
    """OK when pytest ran (whatever the tests' outcomes); otherwise why it could not run to the end."""
    exit_code: int | None
    outcomes: dict[str, str]
    """Test node id → passed / failed / skipped."""
    calls: tuple[tuple[object, ...], ...]
    """Argument tuples the tests passed to the target (when recording)."""
    unrecordable: int
    report: str
    error: ErrorInfo | None = None

    @property
    def detail(self) -> str:
        """Why the run could not finish, on one line: the error if there is one, else the verdict."""
        return self.error.one_line() if self.error else self.verdict.value

    @property
    def passed(self) -> frozenset[str]:
        return frozenset(node for node, outcome in self.outcomes.items() if outcome == "passed")

    @property
    def failed(self) -> list[str]:
        return sorted(node for node, outcome in self.outcomes.items() if outcome == "failed")

    @property
    def collected_none(self) -> bool:
        """pytest ran and found no test (its exit status 5)."""
        return self.verdict is Verdict.OK and self.exit_code == _PYTEST_NO_TESTS

    @property
    def problem(self) -> str | None:
        """Why the tests could not be run (pytest missing, a collection error, a usage error), or None.

        Tests that ran and failed are not a problem of the run: their outcomes say so.
        """
        if self.verdict is not Verdict.OK:
            return self.detail
        if self.exit_code in _PYTEST_CANNOT_RUN:
            return _error_line(self.report) or f"pytest exited with status {self.exit_code}"
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "exit_code": self.exit_code,
            "ran": len(self.outcomes),
            "passed": len(self.passed),
            "failed": self.failed,
            "recorded_calls": len(self.calls),
        }


def run_tests(
    project: Project,
    target: Target,
    module_source: str,
    *,
    record_limit: int = 0,
    timeout_s: float = 300.0,
    memory_mb: int = 2048,
    isolation: str = "auto",
) -> TestRun:
    """Run the project's tests in the sandbox against ``module_source`` (recording target calls if asked)."""
    if not project.tests:
        return TestRun(Verdict.OK, 0, {}, (), 0, "no tests")
    prog = program(project, target, module_source, entry="pytest")
    limits = Limits(timeout_s=timeout_s, load_timeout_s=60.0, memory_mb=memory_mb, output_bytes=8 << 20)
    with loaded(prog, limits=limits, isolation=isolation) as (worker, load):
        if not load.verdict.is_ok:
            return TestRun(load.verdict, None, {}, (), 0, load.stderr_tail, load.error)
        result = worker.call([[str(t) for t in project.tests], record_limit])
    value = result.value
    if result.verdict is not Verdict.OK or not isinstance(value, dict):
        return TestRun(result.verdict, None, {}, (), 0, result.stderr_tail, result.error)
    calls = tuple(tuple(c) for c in value.get("calls", ()) if isinstance(c, tuple))
    outcomes = {str(k): str(v) for k, v in dict(value.get("outcomes", {})).items()}
    return TestRun(
        Verdict.OK,
        int(value.get("exit", -1)),
        outcomes,
        calls,
        int(value.get("unrecordable", 0)),
        str(value.get("report", "")),
    )
