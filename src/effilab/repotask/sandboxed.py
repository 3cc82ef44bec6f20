"""Runs of a repository version in effilab's program boxes: the workload, its guarding tests, a null run.

Each run is a fresh box (:mod:`effilab.programs.box`): bubblewrap namespaces without network, seccomp with
``execve`` denied, a private empty ``/tmp``, and the version's copy of the repository mounted read-only. A
small trusted driver placed in the box's ``/box`` reads its orders from stdin (which folders go on
``sys.path``, the seed), then runs the workload script as ``__main__`` (or pytest on the guarding tests).
The parent observes the cost (the kernel's CPU account of the box's cgroup, or wait4 of the tree) and
judges the output; nothing the run reports about itself is trusted, except the test outcomes, which can
only come from inside the process that runs the tests (as with ``optimize``'s project tests).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

from effilab.programs.box import BoxPool, Profile
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import ProgramRun, run_program
from effilab.sandbox.verdict import Verdict

__all__ = ["RUNNERS", "TestOutcome", "Version", "null_run", "run_tests", "run_workload"]

_SEED_VARIABLE = "EFFILAB_WORKLOAD_SEED"

_WORKLOAD_DRIVER = b"""\
import json, os, runpy, sys
_order = json.loads(sys.stdin.read())
sys.path[:0] = _order["path"]
os.environ["EFFILAB_WORKLOAD_SEED"] = str(_order["seed"])
_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workload.py")
sys.argv = [_script, str(_order["seed"])]
del _order
runpy.run_path(_script, run_name="__main__")
"""

# pytest's own report goes to stderr's tail; the outcomes follow a marker line on stdout.
_TESTS_MARKER = "@@effilab-test-outcomes@@"
_PYTEST_DRIVER = b"""\
import json, os, sys
_order = json.loads(sys.stdin.read())
sys.path[:0] = _order["path"]
os.chdir(_order["root"])
if not _order["plugins"]:  # third-party plugins of effilab's environment are not the repository's
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
import pytest

class _Outcomes:
    def __init__(self):
        self.tests = {}
        self.errors = []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.tests[report.nodeid] = "failed"
        elif report.when == "call" or (report.skipped and report.nodeid not in self.tests):
            self.tests.setdefault(report.nodeid, report.outcome)
            if report.when == "call":
                self.tests[report.nodeid] = report.outcome

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(report.nodeid or "(collection)")

_plugin = _Outcomes()
_code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", _order["root"], *_order["args"],
                     *_order["tests"]], plugins=[_plugin])
sys.stdout.flush()
sys.stdout.write("\\n" + _order["marker"] + json.dumps(
    {"exit": int(_code), "tests": _plugin.tests, "errors": _plugin.errors}) + "\\n")
"""

# The ``script`` runner: each test file runs as ``__main__`` (how a unittest module ending in a bare
# ``unittest.main()`` is meant to run; pytest cannot even import such a file); it passes when it exits 0.
_SCRIPT_DRIVER = b"""\
import json, os, runpy, sys
_order = json.loads(sys.stdin.read())
sys.path[:0] = _order["path"]
os.chdir(_order["root"])
_tests = {}
for _path in _order["tests"]:
    sys.argv = [_path, *_order["args"]]
    try:
        runpy.run_path(_path, run_name="__main__")
        _code = 0
    except SystemExit as _exit:
        _code = _exit.code if isinstance(_exit.code, int) else (0 if _exit.code is None else 1)
    except BaseException:
        _code = 1
    _tests[os.path.relpath(_path, _order["root"])] = "passed" if _code == 0 else "failed"
sys.stdout.flush()
sys.stdout.write("\\n" + _order["marker"] + json.dumps(
    {"exit": int(any(v != "passed" for v in _tests.values())), "tests": _tests, "errors": []}) + "\\n")
"""
RUNNERS = {"pytest": _PYTEST_DRIVER, "script": _SCRIPT_DRIVER}

_WORKLOAD_PROFILE_SOURCE = "main.py"


@dataclasses.dataclass(frozen=True, slots=True)
class Version:
    """One version of the repository on disk: the base or a patched copy."""

    name: str
    root: Path
    python_path: tuple[str, ...]
    """Absolute folders put on ``sys.path`` (inside ``root``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class TestOutcome:
    """The guarding tests run against one version."""

    ran: bool
    """pytest ran to the end (whatever the outcomes)."""
    exit_code: int | None
    outcomes: dict[str, str]
    errors: tuple[str, ...]
    detail: str

    @property
    def passed(self) -> frozenset[str]:
        return frozenset(t for t, o in self.outcomes.items() if o == "passed")

    @property
    def failed(self) -> list[str]:
        return sorted(t for t, o in self.outcomes.items() if o == "failed")


def _profile(version: Version, name: str) -> Profile:
    return Profile(f"repotask-{name}", (), mode="python", source=_WORKLOAD_PROFILE_SOURCE,
                   read_paths=(str(version.root),))  # fmt: skip


def run_workload(
    pool: BoxPool, version: Version, workload: Path, seed: int, limits: ProgramLimits
) -> ProgramRun:
    """One run of the workload script against ``version`` with ``seed``, in a fresh box."""
    order = {"path": list(version.python_path), "seed": seed}
    files: dict[str, bytes | Path] = {_WORKLOAD_PROFILE_SOURCE: _WORKLOAD_DRIVER, "workload.py": workload}
    return run_program(pool, _profile(version, "workload"), files=files,
                       stdin=json.dumps(order).encode(), limits=limits)  # fmt: skip


def null_run(pool: BoxPool, version: Version, limits: ProgramLimits) -> ProgramRun:
    """A run of an empty program in the same kind of box: the launcher's and interpreter's own cost."""
    files: dict[str, bytes | Path] = {_WORKLOAD_PROFILE_SOURCE: b"import sys\nsys.stdin.read()\n"}
    return run_program(pool, _profile(version, "null"), files=files, stdin=b"{}", limits=limits)


def run_tests(
    pool: BoxPool,
    version: Version,
    tests: Sequence[str],
    args: Sequence[str],
    limits: ProgramLimits,
    *,
    plugins: bool = False,
    runner: str = "pytest",
) -> TestOutcome:
    """The guarding tests (paths relative to the repository) against ``version``, in a fresh box."""
    order = {
        "path": list(version.python_path),
        "root": str(version.root),
        "tests": [str(version.root / t) for t in tests],
        "args": list(args),
        "marker": _TESTS_MARKER,
        "plugins": plugins,
    }
    files: dict[str, bytes | Path] = {_WORKLOAD_PROFILE_SOURCE: RUNNERS[runner]}
    run = run_program(pool, _profile(version, "tests"), files=files, stdin=json.dumps(order).encode(),
                      limits=limits.replace(output_bytes=8 << 20))  # fmt: skip
    stdout = run.stdout.decode("utf-8", errors="replace")
    report_tail = " ".join(stdout.split(_TESTS_MARKER)[0].split()[-30:])
    if _TESTS_MARKER not in stdout:
        why = run.detail or run.verdict.value
        tail = " ".join(run.stderr_tail.decode(errors="replace").split()[-25:])
        return TestOutcome(
            False, run.exit_code, {}, (), f"pytest did not finish ({why}): {tail or report_tail}"
        )
    try:
        found = json.loads(stdout.rsplit(_TESTS_MARKER, 1)[1].strip().splitlines()[0])
        outcomes = {str(k): str(v) for k, v in dict(found["tests"]).items()}
        errors = tuple(str(e) for e in found.get("errors", ()))
        code = int(found["exit"])
    except (ValueError, KeyError, TypeError, IndexError):
        return TestOutcome(False, run.exit_code, {}, (), "pytest's outcomes could not be read")
    if run.verdict is not Verdict.OK and run.verdict is not Verdict.RUNTIME_ERROR:
        return TestOutcome(False, run.exit_code, outcomes, errors, f"pytest ended with {run.verdict.value}")
    return TestOutcome(True, code, outcomes, errors, report_tail)
