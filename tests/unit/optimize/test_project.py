"""The user's project around a target, sandboxed programs over it, and the user's tests run against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.optimize.project import Project, locate_project, program, run_tests
from effilab.optimize.project import TestRun as UserTestRun
from effilab.optimize.target import Target, parse_target, replace_function
from effilab.sandbox import Limits, Verdict, Worker

LIMITS = Limits(timeout_s=20.0, load_timeout_s=30.0, memory_mb=1024)

MODULE = '''\
"""A user module."""

from .helpers import K


def add_k(xs):
    for i in range(len(xs)):
        xs[i] += K
    return sum(xs)


class Box:
    def __init__(self):
        self.base = 100

    def shift(self, k):
        self.base += k
        return self.base

    @staticmethod
    def area(w, h):
        return w * h

    @classmethod
    def label(cls, n):
        return cls.__name__ * n


def touch(name):
    import pathlib

    pathlib.Path(__file__).with_name(name).write_text("written")
    return name
'''

USER_TESTS = """\
import array

from pkg.mod import add_k


def test_mutates_its_argument():
    xs = [1, 2]
    assert add_k(xs) == 23
    assert xs == [11, 12]


def test_same_call_again():
    assert add_k([1, 2]) == 23


def test_keyword_call():
    assert add_k(xs=[3]) == 13


def test_not_plain_argument():
    assert add_k(array.array("i", [5])) == 15


def test_wrong_expectation():
    assert add_k([0]) == 0
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_project(root: Path, *, tests: str | None = USER_TESTS) -> Path:
    write(root / "pyproject.toml", "")
    write(root / "pkg" / "__init__.py", "")
    write(root / "pkg" / "helpers.py", "K = 10\n")
    write(root / "pkg" / "mod.py", MODULE)
    if tests is not None:
        write(root / "tests" / "test_mod.py", tests)
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("project") / "proj")


def target_in(root: Path, qualname: str) -> Target:
    return parse_target(f"{root / 'pkg' / 'mod.py'}::{qualname}")


def call(root: Path, qualname: str, args: list[object], *, entry: str = "target") -> object:
    """One call of ``entry`` of the original module's program, in a fresh worker."""
    target = target_in(root, qualname)
    prog = program(locate_project(target), target, target.module_source, entry=entry)
    with Worker(limits=LIMITS, read_paths=prog.read_paths) as worker:
        load = worker.load(prog.source, entry=prog.entry, filename=prog.filename)
        assert load.verdict is Verdict.OK, load.error
        result = worker.call(args)
    assert result.verdict is Verdict.OK, result.error
    return result.value


# --------------------------------------------------------------------------------------------------------
# locate_project


def test_module_name_comes_from_the_package_folders(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "")
    write(tmp_path / "src" / "outer" / "__init__.py", "")
    write(tmp_path / "src" / "outer" / "inner" / "__init__.py", "")
    path = write(tmp_path / "src" / "outer" / "inner" / "mod.py", "def f():\n    return 1\n")
    project = locate_project(parse_target(f"{path}::f"))
    assert project.module == "outer.inner.mod"
    assert project.import_root == tmp_path.resolve() / "src"
    assert project.root == tmp_path.resolve()


def test_a_file_outside_any_package_is_a_top_level_module(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    path = write(tmp_path / "scripts" / "tool.py", "def f():\n    return 1\n")
    project = locate_project(parse_target(f"{path}::f"))
    assert project.module == "tool"
    assert project.import_root == tmp_path.resolve() / "scripts"
    assert project.root == tmp_path.resolve()


def test_a_module_name_that_cannot_be_imported_is_rejected(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    path = write(tmp_path / "my-tool.py", "def f():\n    return 1\n")
    with pytest.raises(InvalidArgument, match="not an importable module name"):
        locate_project(parse_target(f"{path}::f"))


@pytest.mark.parametrize("marker", ["pyproject.toml", "setup.py", "setup.cfg", ".git"])
def test_the_nearest_folder_with_a_project_marker_is_the_root(tmp_path: Path, marker: str) -> None:
    outer = tmp_path / "outer"
    write(outer / "pyproject.toml", "")  # a farther marker: the nearer one wins
    root = outer / "proj"
    if marker == ".git":
        (root / ".git").mkdir(parents=True)
    else:
        write(root / marker, "")
    write(root / "lib" / "pkg" / "__init__.py", "")
    path = write(root / "lib" / "pkg" / "mod.py", "def f():\n    return 1\n")
    project = locate_project(parse_target(f"{path}::f"))
    assert project.root == root.resolve()
    assert project.import_root == root.resolve() / "lib"
    assert project.module == "pkg.mod"


def test_without_any_marker_the_import_root_is_the_root(tmp_path: Path) -> None:
    base = tmp_path.resolve()
    markers = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
    if any((folder / marker).exists() for folder in (base, *base.parents) for marker in markers):
        pytest.skip("a folder above tmp_path carries a project marker")
    write(base / "code" / "pkg" / "__init__.py", "")
    path = write(base / "code" / "pkg" / "mod.py", "def f():\n    return 1\n")
    project = locate_project(parse_target(f"{path}::f"))
    assert project.root == base / "code"
    assert project.import_root == base / "code"


def test_project_option_must_contain_the_target(root: Path, tmp_path: Path) -> None:
    target = target_in(root, "add_k")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(InvalidArgument, match="does not contain"):
        locate_project(target, root=elsewhere)
    with pytest.raises(InvalidArgument, match="not a directory"):
        locate_project(target, root=tmp_path / "missing")
    with pytest.raises(InvalidArgument, match="not a directory"):
        locate_project(target, root=root / "pyproject.toml")


def test_project_option_inside_the_marker_folder_is_used_as_given(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")  # the marker folder: --project overrides it
    inner = make_project(tmp_path / "inner")
    (inner / "pyproject.toml").unlink()
    target = target_in(inner, "add_k")
    assert locate_project(target).root == tmp_path.resolve()
    project = locate_project(target, root=inner)
    assert project.root == inner.resolve()
    assert project.import_root == inner.resolve()
    assert project.module == "pkg.mod"
    assert project.tests == ((inner / "tests").resolve(),)


def test_tests_default_to_the_tests_folder(root: Path) -> None:
    project = locate_project(target_in(root, "add_k"))
    assert project.tests == ((root / "tests").resolve(),)


def test_tests_folder_is_preferred_over_test_and_test_is_used_alone(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", tests=None)
    target = target_in(root, "add_k")
    assert locate_project(target).tests == ()
    (root / "test").mkdir()
    assert locate_project(target).tests == ((root / "test").resolve(),)
    (root / "tests").mkdir()
    assert locate_project(target).tests == ((root / "tests").resolve(),)


def test_explicit_tests_are_checked(root: Path, tmp_path: Path) -> None:
    target = target_in(root, "add_k")
    chosen = locate_project(target, tests=[root / "tests" / "test_mod.py"])
    assert chosen.tests == ((root / "tests" / "test_mod.py").resolve(),)
    outside = write(tmp_path / "test_other.py", "def test_x():\n    pass\n")
    with pytest.raises(InvalidArgument, match="outside the project"):
        locate_project(target, tests=[outside])
    with pytest.raises(InvalidArgument, match="does not exist"):
        locate_project(target, tests=[root / "tests" / "test_missing.py"])
    assert locate_project(target, tests=[]).tests == ()


# --------------------------------------------------------------------------------------------------------
# program(): the module under its real name, in the sandbox


def test_relative_imports_work_and_observe_returns_the_arguments_after_the_call(root: Path) -> None:
    value = call(root, "add_k", [[1, 2]], entry="observe")
    # K comes from `from .helpers import K`; the list is shown as the call left it.
    assert value == (23, ([11, 12],))


def test_the_target_entry_returns_the_result_only(root: Path) -> None:
    assert call(root, "add_k", [[1, 2, 3]]) == 36


def test_an_instance_method_is_called_on_a_fresh_instance(root: Path) -> None:
    assert target_in(root, "Box.shift").method_kind == "method"
    assert call(root, "Box.shift", [5]) == 105  # __init__ ran with no arguments


def test_staticmethods_and_classmethods_are_called_on_the_class(root: Path) -> None:
    assert target_in(root, "Box.area").method_kind == "staticmethod"
    assert target_in(root, "Box.label").method_kind == "classmethod"
    assert call(root, "Box.area", [3, 4]) == 12
    assert call(root, "Box.label", [2]) == "BoxBox"


def test_the_candidate_text_is_what_runs_not_the_file(root: Path) -> None:
    target = target_in(root, "add_k")
    text = replace_function(target, "def add_k(xs):\n    return -K\n")
    prog = program(locate_project(target), target, text)
    with Worker(limits=LIMITS, read_paths=prog.read_paths) as worker:
        assert worker.load(prog.source, entry=prog.entry, filename=prog.filename).verdict is Verdict.OK
        assert worker.call([[1]]).value == -10


def test_the_project_is_readable_but_not_writable(root: Path) -> None:
    target = target_in(root, "touch")
    prog = program(locate_project(target), target, target.module_source)
    assert prog.read_paths == (str(root.resolve()),)
    with Worker(limits=LIMITS, read_paths=prog.read_paths) as worker:
        assert worker.load(prog.source, entry=prog.entry, filename=prog.filename).verdict is Verdict.OK
        result = worker.call(["planted.txt"])
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert result.error is not None
    assert result.error.type in ("OSError", "PermissionError")
    assert not (root / "pkg" / "planted.txt").exists()


# --------------------------------------------------------------------------------------------------------
# run_tests()


@pytest.fixture(scope="module")
def recorded(root: Path) -> UserTestRun:
    target = target_in(root, "add_k")
    return run_tests(locate_project(target), target, target.module_source, record_limit=50)


def test_outcomes_are_reported_per_test_node(recorded: UserTestRun) -> None:
    assert recorded.verdict is Verdict.OK
    assert recorded.exit_code == 1  # one test fails with the original too
    assert recorded.outcomes == {
        "tests/test_mod.py::test_mutates_its_argument": "passed",
        "tests/test_mod.py::test_same_call_again": "passed",
        "tests/test_mod.py::test_keyword_call": "passed",
        "tests/test_mod.py::test_not_plain_argument": "passed",
        "tests/test_mod.py::test_wrong_expectation": "failed",
    }
    assert "tests/test_mod.py::test_wrong_expectation" not in recorded.passed
    assert len(recorded.passed) == 4
    assert recorded.to_json()["failed"] == ["tests/test_mod.py::test_wrong_expectation"]


def test_calls_are_recorded_once_each_as_they_were_before_the_call(recorded: UserTestRun) -> None:
    # [1, 2] is called twice (once recorded), mutated to [11, 12] by the first call (the copy is taken
    # before); the keyword call is bound to its position; array.array is not a plain value.
    assert recorded.calls == (([1, 2],), ([3],), ([0],))
    assert recorded.unrecordable == 1


def test_a_candidate_that_breaks_a_test_makes_that_test_fail(root: Path, recorded: UserTestRun) -> None:
    target = target_in(root, "add_k")
    candidate = replace_function(target, "def add_k(xs):\n    return sum(x + K for x in xs)\n")
    run = run_tests(locate_project(target), target, candidate)  # record_limit 0: nothing recorded
    assert run.verdict is Verdict.OK
    assert run.outcomes["tests/test_mod.py::test_mutates_its_argument"] == "failed"
    assert recorded.passed - run.passed == {"tests/test_mod.py::test_mutates_its_argument"}
    assert run.calls == ()
    assert run.unrecordable == 0


def test_a_project_without_tests_runs_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", tests=None)
    target = target_in(root, "add_k")
    project = locate_project(target)
    assert project.tests == ()
    run = run_tests(project, target, target.module_source, record_limit=10)
    assert run.verdict is Verdict.OK
    assert run.outcomes == {}
    assert run.calls == ()
    assert run.passed == frozenset()


def test_project_is_plain_data(root: Path) -> None:
    project = locate_project(target_in(root, "add_k"))
    assert project == Project(root.resolve(), root.resolve(), "pkg.mod", ((root / "tests").resolve(),))


# --------------------------------------------------------------------------------------------------------


def test_a_module_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfdef f(x):\n    return x + 1\n")
    target = parse_target(f"{path}::f")
    prog = program(locate_project(target), target, target.module_source)
    with Worker(limits=LIMITS, read_paths=prog.read_paths) as worker:
        load = worker.load(prog.source, entry=prog.entry, filename=prog.filename)
        assert load.verdict is Verdict.OK, load.error
        assert worker.call([1]).value == 2


def test_tests_importing_the_target_through_its_package_see_the_candidate(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", tests=None)
    write(root / "pkg" / "__init__.py", "from .mod import add_k\n")
    write(
        root / "tests" / "test_reexport.py",
        "from pkg import add_k\n\n\ndef test_a():\n    assert add_k([1]) == 11\n",
    )
    target = target_in(root, "add_k")
    candidate = replace_function(target, "def add_k(xs):\n    return -1\n")
    run = run_tests(locate_project(target), target, candidate)
    assert run.outcomes == {"tests/test_reexport.py::test_a": "failed"}
