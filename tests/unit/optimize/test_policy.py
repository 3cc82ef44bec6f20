"""What a rewrite may import or call without the user opting in."""

from __future__ import annotations

from pathlib import Path

import pytest

from effilab.optimize.extract import Candidate
from effilab.optimize.policy import SAFE_MODULES, import_violations
from effilab.optimize.target import Target, parse_target

MODULE = """\
import json
from os import path as osp

try:
    import numpy
except ImportError:
    numpy = None


def load(name):
    return json.loads(open(name).read())


def work(xs):
    return sorted(xs)
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    path = tmp_path / "user.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


@pytest.fixture
def work(module: Path) -> Target:
    return parse_target(f"{module}::work")


def candidate(body: str, *, imports: tuple[str, ...] = (), helpers: tuple[str, ...] = ()) -> Candidate:
    return Candidate(f"def work(xs):\n{body}", imports, helpers, ())


def test_safe_modules_exclude_nondeterminism_and_interpreter_state() -> None:
    assert {"math", "itertools", "functools", "heapq", "collections", "__future__"} <= SAFE_MODULES
    assert not {"sys", "random", "os", "subprocess", "numpy"} & SAFE_MODULES


def test_safe_and_already_imported_modules_pass(work: Target) -> None:
    code = candidate(
        "    import heapq\n    return heapq.nsmallest(len(xs), xs)\n",
        imports=("import itertools", "from collections.abc import Iterable", "import json", "import os.path"),
        helpers=("import numpy as np",),
    )
    assert import_violations(code, work, allow_deps=False) == []


def test_new_dependency_is_reported_once(work: Target) -> None:
    code = candidate(
        "    import sortedcontainers\n    return list(sortedcontainers.SortedList(xs))\n",
        imports=("import sortedcontainers", "from random import shuffle", "import sys"),
    )
    assert import_violations(code, work, allow_deps=False) == [
        "imports sortedcontainers (not imported by the original; pass --allow-deps to allow)",
        "imports random (not imported by the original; pass --allow-deps to allow)",
        "imports sys (not imported by the original; pass --allow-deps to allow)",
    ]


def test_relative_import_is_a_new_dependency(work: Target) -> None:
    code = candidate("    return xs\n", imports=("from .fastpath import work2",))
    assert import_violations(code, work, allow_deps=False) == [
        "imports .fastpath (not imported by the original; pass --allow-deps to allow)"
    ]


def test_allow_deps_lifts_import_restriction(work: Target) -> None:
    code = candidate("    return xs\n", imports=("import sortedcontainers",))
    assert import_violations(code, work, allow_deps=True) == []


@pytest.mark.parametrize(
    ("body", "call"),
    [
        ("    return eval(repr(sorted(xs)))\n", "eval"),
        ("    exec('pass')\n    return sorted(xs)\n", "exec"),
        ("    open('/tmp/log', 'w')\n    return sorted(xs)\n", "open"),
        ("    return __import__('heapq').nsmallest(len(xs), xs)\n", "__import__"),
        ("    import importlib\n    return importlib.import_module('heapq')\n", "importlib.import_module"),
        ("    import builtins\n    return builtins.eval('xs')\n", "eval"),
    ],
)
def test_risky_calls_are_reported_even_with_allow_deps(work: Target, body: str, call: str) -> None:
    message = f"calls {call} (the original function does not)"
    assert message in import_violations(candidate(body), work, allow_deps=False)
    assert message in import_violations(candidate(body), work, allow_deps=True)


def test_risky_call_in_helper_is_reported(work: Target) -> None:
    code = candidate("    return _go(xs)\n", helpers=("def _go(xs):\n    return eval('sorted(xs)')\n",))
    assert import_violations(code, work, allow_deps=False) == ["calls eval (the original function does not)"]


def test_method_named_like_a_builtin_is_not_a_risky_call(work: Target) -> None:
    code = candidate("    import re\n    return re.compile('x').findall(str(xs))\n")
    assert import_violations(code, work, allow_deps=False) == []


def test_call_the_original_makes_is_allowed(module: Path) -> None:
    target = parse_target(f"{module}::load")
    code = Candidate("def load(name):\n    with open(name) as f:\n        return json.load(f)\n", (), (), ())
    assert import_violations(code, target, allow_deps=False) == []
