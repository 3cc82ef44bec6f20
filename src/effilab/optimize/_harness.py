"""Runs INSIDE the sandbox: installs one version of the user's module and exposes entry points for it.

effilab never imports this file. :mod:`effilab.optimize.project` reads its text, appends one line that
calls :func:`_setup` with a JSON configuration, and loads the result as the sandboxed program. The user's
module (the original, or a candidate's rewrite of it) is executed under its real dotted name with the
project's import root on ``sys.path``, so relative imports, sibling modules and the user's own tests see
this version of it and nothing else changes.

Entry points (the parent picks one per worker):

* ``__effilab_target__(*args)``: the target itself (measurement).
* ``__effilab_observe__(*args)``: ``(result, args)``: the result and the arguments *after* the call, so a
  rewrite that mutates its input differently from the original is caught.
* ``__effilab_peak__(*args)``: peak Python heap bytes (tracemalloc) during one call.
* ``__effilab_profile__(calls)``: per-line hits and time of the target over ``calls`` (line_profiler).
* ``__effilab_pytest__(paths, record_limit)``: runs the user's tests against this version; returns each
  test's outcome and up to ``record_limit`` argument tuples the tests passed to the target.

Only builtin-typed values cross back to the parent (as tagged JSON, by the sandbox codec).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import importlib.abc
import importlib.machinery
import inspect
import io
import json
import linecache
import site
import sys
import time
import tracemalloc
import types
from collections.abc import Callable
from typing import Any

_PLAIN_ATOMS = (int, float, complex, str, bytes, bool, type(None))
_STATE: dict[str, Any] = {}


class _VersionFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves this version's text for the target's module name, ahead of the files on disk.

    Installed before anything of the project is imported, so every way of reaching the module (its
    package's ``__init__`` re-exporting the function, a test's ``from pkg.mod import f``) sees this
    version and nothing else.
    """

    def __init__(self, name: str, filename: str, code_name: str, source: str) -> None:
        self.name, self.filename, self.code_name, self.source = name, filename, code_name, source

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=self.filename)
        spec.has_location = True
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.__file__ = self.filename
        exec(compile(self.source, self.code_name, "exec", dont_inherit=True), module.__dict__)


def _setup(config_json: str) -> None:
    config = json.loads(config_json)
    sys.dont_write_bytecode = True
    sys.path.insert(0, config["import_root"])
    # The user's environment comes after effilab's own packages (and its .pth files, e.g. an editable
    # install of the project, are honoured), so the project's dependencies import as they do for the user.
    for folder in config.get("site_packages", ()):
        site.addsitedir(folder)
    module_name: str = config["module"]
    filename: str = config["filename"]
    source: str = config["source"].removeprefix("\ufeff")
    # A rewrite's code objects name a file that does not exist, so whatever reads source lines (tracebacks,
    # numba's messages, which look files up by relative path) gets this text or none, never the original
    # file's lines under a rewrite's line numbers. ``__file__`` stays the real path.
    code_name: str = config["code_name"]
    lines = [line + "\n" for line in source.split("\n")]
    linecache.cache[code_name] = (len(source), None, lines, code_name)
    sys.meta_path.insert(0, _VersionFinder(module_name, filename, code_name, source))
    module = importlib.import_module(module_name)
    _STATE.update(config=config, module=module)
    target = _resolve(module, config["qualname"], config["method_kind"])
    globals()["__effilab_target__"] = target


def _resolve(module: types.ModuleType, qualname: str, kind: str) -> Callable[..., Any]:
    if "." not in qualname:
        function: Callable[..., Any] = getattr(module, qualname)
        return function
    class_name, name = qualname.split(".")
    cls = getattr(module, class_name)
    # Instance methods are called on an instance made with no arguments, as for LeetCode-style classes.
    owner = cls() if kind == "method" else cls
    method: Callable[..., Any] = getattr(owner, name)
    return method


def _target() -> Callable[..., Any]:
    target: Callable[..., Any] = globals()["__effilab_target__"]
    return target


def __effilab_observe__(*args: Any) -> tuple[Any, tuple[Any, ...]]:
    result = _target()(*args)
    return result, args


def __effilab_peak__(*args: Any) -> int:
    # One call first: one-off costs (a JIT compiling, lazy imports) are not the function's memory use.
    _target()(*copy.deepcopy(args))
    tracemalloc.start()
    try:
        _target()(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def __effilab_profile__(calls: list[list[Any]]) -> dict[str, Any]:
    """Per-line hits and nanoseconds over the calls, for the target's own lines."""
    target = _target()
    function = inspect.unwrap(getattr(target, "__func__", target))
    try:
        import line_profiler  # noqa: PLC0415
    except ImportError:
        return {"available": False, "lines": [], "total_ns": 0}
    profiler = line_profiler.LineProfiler()
    profiler.add_function(function)
    started = time.perf_counter_ns()
    wrapped = profiler(function)
    owner = getattr(target, "__self__", None)
    owner_args: tuple[Any, ...] = () if owner is None else (owner,)
    for args in calls:
        wrapped(*owner_args, *args)
    total = time.perf_counter_ns() - started
    stats = profiler.get_stats()
    lines: list[list[int]] = []
    for timings in stats.timings.values():
        for lineno, hits, elapsed in timings:
            lines.append([int(lineno), int(hits), int(elapsed * stats.unit * 1e9)])
    return {"available": True, "lines": sorted(lines), "total_ns": total}


def _plain(value: object, depth: int = 0) -> bool:
    """Whether ``value`` holds only builtin types the sandbox codec can carry back."""
    if depth > 50:
        return False
    kind = type(value)
    if kind in _PLAIN_ATOMS:
        return True
    if kind in (list, tuple, set, frozenset):
        return all(_plain(item, depth + 1) for item in value)  # type: ignore[attr-defined]
    if kind is dict:
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())  # type: ignore[attr-defined]
    return False


class _Recorder:
    """Wraps the target in the module so calls made by the user's tests are recorded, then forwarded."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.calls: list[tuple[Any, ...]] = []
        self.seen: set[str] = set()
        self.unrecordable = 0

    def note(
        self, signature: inspect.Signature | None, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        if len(self.calls) >= self.limit:
            return
        if kwargs:
            if signature is None:
                self.unrecordable += 1
                return
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return
            if bound.kwargs:
                self.unrecordable += 1
                return
            args = bound.args
        if not _plain(args):
            self.unrecordable += 1
            return
        key = repr(args)
        if key not in self.seen:
            self.seen.add(key)
            # A copy taken before the call: the target may mutate its arguments.
            self.calls.append(copy.deepcopy(args))

    def install(self, module: types.ModuleType, qualname: str, kind: str) -> None:
        owner: Any = module
        name = qualname
        if "." in qualname:
            class_name, name = qualname.split(".")
            owner = getattr(module, class_name)
        raw = owner.__dict__[name]
        function = raw.__func__ if isinstance(raw, staticmethod | classmethod) else raw
        skip = 1 if kind in ("method", "classmethod") else 0
        try:
            signature: inspect.Signature | None = inspect.signature(function)
            if skip and signature is not None:
                params = list(signature.parameters.values())[skip:]
                signature = signature.replace(parameters=params)
        except (TypeError, ValueError):
            signature = None

        @functools.wraps(function)
        def recording(*args: Any, **kwargs: Any) -> Any:
            self.note(signature, args[skip:], kwargs)
            return function(*args, **kwargs)

        replacement: Any = recording
        if isinstance(raw, staticmethod):
            replacement = staticmethod(recording)
        elif isinstance(raw, classmethod):
            replacement = classmethod(recording)
        setattr(owner, name, replacement)
        if owner is module:
            # Re-exports (``from .mod import f`` in a package's __init__) hold the function itself.
            for other in list(sys.modules.values()):
                namespace = getattr(other, "__dict__", None)
                if other is module or not isinstance(namespace, dict):
                    continue
                for key, value in list(namespace.items()):
                    if value is raw:
                        setattr(other, key, replacement)


class _Outcomes:
    """A pytest plugin noting each test's outcome (setup and teardown errors count as failures)."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped:
            self.outcomes.setdefault(report.nodeid, "skipped")
        elif report.when == "call" and self.outcomes.get(report.nodeid) != "failed":
            self.outcomes[report.nodeid] = "passed"


def __effilab_pytest__(paths: list[str], record_limit: int) -> dict[str, Any]:
    import pytest  # noqa: PLC0415

    config = _STATE["config"]
    recorder = _Recorder(record_limit)
    if record_limit > 0:
        recorder.install(_STATE["module"], config["qualname"], config["method_kind"])
    outcomes = _Outcomes()
    report = io.StringIO()
    arguments = [
        *paths,
        "-q",
        "-p",
        "no:cacheprovider",
        "--capture=sys",
        "--rootdir",
        config["project_root"],
        "-o",
        "addopts=",
    ]
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        exit_code = pytest.main(arguments, plugins=[outcomes])
    text = report.getvalue()
    return {
        "exit": int(exit_code),
        "outcomes": outcomes.outcomes,
        "calls": recorder.calls,
        "unrecordable": recorder.unrecordable,
        "report": text[-4000:],
    }
