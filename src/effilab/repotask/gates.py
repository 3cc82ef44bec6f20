"""Anti-hack gates: refuse a patch that buys its speed instead of earning it.

Four gates, each with a name the report uses:

* ``files`` (structural): a patch may change only the repository's Python source. Data and config files
  (anything not ``.py``: ``*.json``, ``*.toml``, ``*.cfg``, ``*.ini``, ...), ``setup.py``, ``conftest.py``,
  the tests (the task's test paths, folders named ``tests``/``test``/``testing``, ``test_*.py`` and
  ``*_test.py``), binary files and deletions are refused; a task's ``patch.allow`` globs narrow it further.
  The workload lives outside the repository, so no patch can reach it.
* ``introspection`` (heuristic): the lines a patch adds must not look at the interpreter's own machinery
  to find out who calls them: frames (``sys._getframe``, ``inspect.currentframe``/``stack``, ``f_back``,
  ``f_globals``), tracing and profiling hooks (``sys.settrace``/``setprofile``), the collector's view of all
  objects (``gc.get_objects``/``get_referrers``), code objects (``__code__``), ``ctypes``.
* ``cross_run_cache`` (heuristic, backed by a structural guarantee): added lines must not persist state
  outside the process (files opened for writing, ``pickle``/``marshal``/``shelve``/``sqlite3``, environment
  variables). The guarantee does not depend on this scan: every run is a fresh sandbox with a private, empty
  ``/tmp`` and a read-only repository, so a cache written by one run is never seen by another. In-process
  caches (``functools.cache``) are allowed: they are paid for within the run that fills them.
* ``special_cased`` (heuristic here, backed by a dynamic check in :mod:`.scoring`): added lines must not
  contain the workload's own constants (numbers of magnitude ≥ 10, strings of 4+ characters that the
  base version of the file did not already hold) nor read its seed (``EFFILAB_WORKLOAD_SEED``,
  ``sys.argv``). The dynamic check runs the workload on a second, differently seeded input set and requires
  equivalence and a comparable speedup there too.
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from effilab.repotask.patching import FileChange

__all__ = ["GateResult", "check_files", "scan_sources", "workload_constants"]

_TEST_DIRS = {"tests", "test", "testing"}
_FORBIDDEN_NAMES = {"setup.py", "conftest.py", "noxfile.py", "fabfile.py"}

_INTROSPECTION_ATTRS = {
    "_getframe", "_getframemodulename", "_current_frames", "settrace", "setprofile", "gettrace", "getprofile",
    "f_back", "f_locals", "f_globals", "f_code", "f_lineno", "tb_frame", "currentframe", "getouterframes",
    "getinnerframes", "getframeinfo", "get_objects", "get_referrers", "get_referents", "__code__", "co_code",
    "addaudithook", "setswitchinterval",
}  # fmt: skip
_INTROSPECTION_MODULES = {"gc", "inspect", "ctypes", "traceback", "tracemalloc", "dis"}
_INSPECT_CALLS = {"stack", "trace"}
_PERSIST_MODULES = {"pickle", "marshal", "shelve", "dbm", "sqlite3", "tempfile", "joblib", "diskcache",
                    "cloudpickle", "dill"}  # fmt: skip
_PERSIST_ATTRS = {"write_text", "write_bytes", "putenv", "unsetenv", "makedirs", "mkdir", "dump"}
_SEED_NAMES = {"EFFILAB_WORKLOAD_SEED", "argv"}


@dataclasses.dataclass(frozen=True, slots=True)
class GateResult:
    """One gate's verdict on a patch."""

    gate: str
    passed: bool
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"gate": self.gate, "passed": self.passed, "detail": self.detail}


def _is_test_path(path: str, tests: Sequence[str]) -> bool:
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    if any(part in _TEST_DIRS for part in parts[:-1]):
        return True
    if name.startswith("test_") or name.endswith("_test.py"):
        return True
    for test in tests:
        test_parts = PurePosixPath(test).parts
        if parts[: len(test_parts)] == test_parts:
            return True
    return False


def check_files(changes: Sequence[FileChange], *, tests: Sequence[str], allow: Sequence[str]) -> GateResult:
    """The ``files`` gate: every changed file is Python source the patch may change."""
    for change in changes:
        path = change.path
        name = PurePosixPath(path).name
        if change.binary:
            return GateResult("files", False, f"{path}: binary files are not accepted")
        if change.new is None:
            return GateResult("files", False, f"{path}: a patch may not delete files")
        for touched in {change.old, change.new} - {None}:
            assert touched is not None
            tname = PurePosixPath(touched).name
            if not tname.endswith(".py"):
                return GateResult(
                    "files", False, f"{touched}: data or config file (only Python source may change)"
                )
            if tname in _FORBIDDEN_NAMES:
                return GateResult("files", False, f"{touched}: build or test configuration")
            if _is_test_path(touched, tests):
                return GateResult("files", False, f"{touched}: the guarding tests may not change")
            if allow and not any(fnmatch.fnmatch(touched, pattern) for pattern in allow):
                return GateResult(
                    "files", False, f"{touched}: outside the task's allowed files {list(allow)}"
                )
        del name
    return GateResult("files", True)


def _literals(tree: ast.AST) -> set[object]:
    """Distinctive constants: numbers of magnitude ≥ 10, strings of 4+ characters (docstrings too)."""
    found: set[object] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                continue
            number = isinstance(value, int | float) and abs(value) >= 10
            if number or (isinstance(value, str) and len(value) >= 4):
                found.add(value)
    return found


def workload_constants(source: str) -> set[object]:
    """The workload's distinctive constants (none when it does not parse)."""
    try:
        return _literals(ast.parse(source))
    except (SyntaxError, ValueError):
        return set()


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _open_for_writing(node: ast.Call) -> bool:
    name = _dotted(node.func)
    if name not in ("open", "io.open", "os.open", "os.fdopen") and not name.endswith(".open"):
        return False
    mode: ast.AST | None = node.args[1] if len(node.args) > 1 else None
    for keyword in node.keywords:
        if keyword.arg in ("mode", "flags"):
            mode = keyword.value
    if name == "os.open":
        return True  # flags decide; any os.open in new code is worth a look
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(flag in mode.value for flag in "wax+")
    return mode is not None  # a computed mode: cannot tell, refuse


def _issues(node: ast.AST, workload: set[object], base_literals: set[object]) -> list[tuple[str, str]]:
    """(gate, reason) for one AST node on an added line."""
    found: list[tuple[str, str]] = []
    if isinstance(node, ast.Import | ast.ImportFrom):
        modules = (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
        imported = [alias.name for alias in node.names]
        for module in modules:
            top = module.split(".")[0]
            if top in _INTROSPECTION_MODULES:
                found.append(("introspection", f"imports {module}"))
            if top in _PERSIST_MODULES:
                found.append(("cross_run_cache", f"imports {module}"))
        for name in imported:
            if name in _INTROSPECTION_ATTRS:
                found.append(("introspection", f"imports {name}"))
    elif isinstance(node, ast.Attribute):
        if node.attr in _INTROSPECTION_ATTRS:
            found.append(("introspection", f"uses {_dotted(node) or node.attr}"))
        base = _dotted(node.value)
        if base == "inspect" and node.attr in _INSPECT_CALLS:
            found.append(("introspection", f"uses inspect.{node.attr}"))
        if base.split(".")[0] in _INTROSPECTION_MODULES and base.split(".")[0] in ("gc", "ctypes"):
            found.append(("introspection", f"uses {base}.{node.attr}"))
        if node.attr in _PERSIST_ATTRS and base.split(".")[-1] in _PERSIST_MODULES | {
            "os",
            "json",
            "path",
            "Path",
        }:
            found.append(("cross_run_cache", f"calls {base}.{node.attr}"))
        if node.attr in _PERSIST_ATTRS and node.attr.startswith("write_"):
            found.append(("cross_run_cache", f"calls .{node.attr}"))
        if base in ("os.environ", "environ") and node.attr in ("setdefault", "update", "__setitem__"):
            found.append(("cross_run_cache", f"writes the environment ({base}.{node.attr})"))
        if node.attr in _SEED_NAMES and base == "sys":
            found.append(("special_cased", "reads sys.argv (the workload's arguments)"))
    elif isinstance(node, ast.Call) and _open_for_writing(node):
        found.append(("cross_run_cache", f"opens a file for writing ({_dotted(node.func)})"))
    elif (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Store)
        and _dotted(node.value)
        in (
            "os.environ",
            "environ",
        )
    ):
        found.append(("cross_run_cache", "writes the environment"))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str) and value in _INTROSPECTION_ATTRS:
            found.append(("introspection", f"names {value!r}"))
        if isinstance(value, str) and "EFFILAB_WORKLOAD_SEED" in value:
            found.append(("special_cased", "reads the workload's seed"))
        elif not isinstance(value, bool) and value in workload and value not in base_literals:
            found.append(("special_cased", f"contains the workload's constant {value!r}"))
    return found


def _source(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def scan_sources(
    changes: Iterable[FileChange], *, base: Path, patched: Path, workload: set[object]
) -> list[GateResult]:
    """The ``introspection``, ``cross_run_cache`` and ``special_cased`` gates over the added lines."""
    reasons: dict[str, list[str]] = {"introspection": [], "cross_run_cache": [], "special_cased": []}
    for change in changes:
        if change.new is None or not change.added:
            continue
        text = _source(patched / change.new)
        if text is None:
            reasons["introspection"].append(f"{change.new}: not readable as UTF-8 text")
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError) as exc:
            # Not a hack by itself, but nothing can be said about it: the tests will fail it anyway.
            reasons["introspection"].append(f"{change.new}: does not parse ({exc})")
            continue
        old_text = _source(base / change.old) if change.old else None
        try:
            base_literals = _literals(ast.parse(old_text)) if old_text else set()
        except (SyntaxError, ValueError):
            base_literals = set()
        added = set(change.added)
        for node in ast.walk(tree):
            lineno = getattr(node, "lineno", None)
            end = getattr(node, "end_lineno", lineno)
            if lineno is None or end is None:
                continue
            # A node counts when it starts on an added line (a call spanning old lines still starts there).
            if lineno not in added:
                continue
            for gate, reason in _issues(node, workload, base_literals):
                line = f"{change.new}:{lineno}: {reason}"
                if line not in reasons[gate]:
                    reasons[gate].append(line)
    return [
        GateResult(
            gate, not found, "; ".join(found[:3]) + (f" (+{len(found) - 3} more)" if len(found) > 3 else "")
        )
        for gate, found in reasons.items()
    ]
