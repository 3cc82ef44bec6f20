"""Cutting a rewritten function out of the many shapes of model replies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from effilab.optimize.extract import Candidate, ExtractionError, extract_candidate
from effilab.optimize.target import Target, parse_target, replace_function

MODULE = '''\
"""User module."""

import math
from collections import Counter

SCALE = 3


def helper(x):
    return x * SCALE


def slow_sum(items, start=0):
    total = start
    for item in items:
        total += helper(item)
    return total


class Grid:
    def __init__(self, cells):
        self.cells = cells

    def count(self, value):
        return sum(1 for c in self.cells if c == value)

    @staticmethod
    def norm(x, y):
        return math.sqrt(x * x + y * y)
'''

FAST = "def slow_sum(items, start=0):\n    return start + SCALE * sum(items)\n"


@pytest.fixture
def module(tmp_path: Path) -> Path:
    path = tmp_path / "user.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


@pytest.fixture
def function(module: Path) -> Target:
    return parse_target(f"{module}::slow_sum")


@pytest.fixture
def method(module: Path) -> Target:
    return parse_target(f"{module}::Grid.count")


def fenced(code: str, tag: str = "python", fence: str = "```") -> str:
    return f"{fence}{tag}\n{code}{fence}\n"


def run(source: str) -> dict[str, Any]:
    """Execute module text built by these tests (never user code) and return its namespace."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace


def error_of(reply: str, target: Target) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract_candidate(reply, target)
    assert "\n" not in str(info.value)
    return info.value


# ----------------------------------------------------------------------------------------- reply shapes


@pytest.mark.parametrize("tag", ["python", "py", ""])
@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_function_only_block(function: Target, tag: str, fence: str) -> None:
    reply = f"Here you go:\n\n{fenced(FAST, tag, fence)}\nThis is O(n) with a smaller constant."
    assert extract_candidate(reply, function) == Candidate(FAST, (), (), ())


def test_unfenced_reply_is_taken_as_code(function: Target) -> None:
    assert extract_candidate(FAST, function).function_source == FAST


def test_last_defining_block_wins_over_draft_and_usage(function: Target) -> None:
    draft = "def slow_sum(items, start=0):\n    return start + sum(helper(i) for i in items)\n"
    usage = "print(slow_sum([1, 2, 3]))\n"
    reply = f"Draft:\n{fenced(draft)}\nBetter:\n{fenced(FAST)}\nUsage:\n{fenced(usage)}"
    assert extract_candidate(reply, function).function_source == FAST


def test_think_sections_are_ignored(function: Target) -> None:
    reply = f"<think>\nMaybe:\n{fenced(FAST)}\n</think>\n{fenced(FAST.replace('SCALE *', '3 *'))}"
    assert "3 * sum(items)" in extract_candidate(reply, function).function_source


def test_python_block_preferred_over_mislabelled_one(function: Target) -> None:
    reply = fenced(FAST) + fenced(FAST.replace("SCALE", "4"), tag="text")
    assert extract_candidate(reply, function).function_source == FAST


def test_mislabelled_block_used_when_nothing_else_defines(function: Target) -> None:
    reply = fenced(FAST, tag="python3 title=fast.py") + fenced("x = 1\n")
    assert extract_candidate(reply, function).function_source == FAST


def test_whole_module_reply(function: Target) -> None:
    reply = fenced(
        "import math\n"
        "import itertools\n"
        "from collections import Counter\n\n"
        "SCALE = 3\n\n"
        "def helper(x):\n    return x * SCALE\n\n"
        "def _accumulate(items):\n    return sum(itertools.chain(items, _EXTRA))\n\n"
        "_EXTRA = ()\n\n"
        "UNRELATED = 42\n\n"
        "def slow_sum(items, start=0):\n    return start + helper(_accumulate(items))\n\n"
        "if __name__ == '__main__':\n    print(slow_sum([1]))\n"
    )
    candidate = extract_candidate(reply, function)

    assert candidate.function_source.startswith("def slow_sum(items, start=0):\n")
    assert candidate.imports == ("import itertools",)
    assert candidate.helpers == (
        "def _accumulate(items):\n    return sum(itertools.chain(items, _EXTRA))\n",
        "_EXTRA = ()\n",
    )
    assert candidate.ignored == ("helper",)


def test_candidate_carried_into_module_runs(function: Target) -> None:
    reply = fenced(
        "import functools\n\n"
        "@functools.cache\n"
        "def _weight():\n    return SCALE\n\n"
        "def slow_sum(items, start=0):\n    return start + _weight() * sum(items)\n"
    )
    candidate = extract_candidate(reply, function)

    new_module = replace_function(
        function, candidate.function_source, new_imports=candidate.imports, new_helpers=candidate.helpers
    )

    namespace = run(new_module)
    assert namespace["slow_sum"]([1, 2, 3], 1) == 19
    assert "_weight" in namespace


def test_blocks_indented_in_a_list_are_dedented(function: Target) -> None:
    indented = "".join(f"   {line}\n" for line in fenced(FAST).splitlines())
    assert extract_candidate(f"1. The code:\n{indented}", function).function_source == FAST


# --------------------------------------------------------------------------------------------- methods


def test_method_inside_class(method: Target) -> None:
    reply = fenced(
        "from collections import Counter\n\n"
        "class Grid:\n"
        "    def __init__(self, cells):\n        self.cells = cells\n\n"
        "    def count(self, value):\n        return self.cells.count(value)\n"
    )
    candidate = extract_candidate(reply, method)
    assert candidate.function_source == "def count(self, value):\n    return self.cells.count(value)\n"
    assert candidate.imports == ()
    assert candidate.helpers == ()


def test_bare_method(method: Target) -> None:
    code = "def count(self, value):\n    return self.cells.count(value)\n"
    assert extract_candidate(fenced(code), method).function_source == code


def test_staticmethod_must_stay_static(module: Path) -> None:
    target = parse_target(f"{module}::Grid.norm")
    good = "@staticmethod\ndef norm(x, y):\n    return math.hypot(x, y)\n"
    assert extract_candidate(fenced(f"class Grid:\n{_indent(good)}"), target).function_source == good

    error = error_of(fenced("def norm(x, y):\n    return math.hypot(x, y)\n"), target)
    assert error.kind == "signature_changed"
    assert "expected a staticmethod, got a method" in str(error)


def _indent(code: str) -> str:
    return "".join(f"    {line}\n" for line in code.splitlines())


# ----------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("reply", ["", "I cannot help with that.", "<think>hmm</think>\n\nSorry, no."])
def test_no_code(function: Target, reply: str) -> None:
    error = error_of(reply, function)
    assert error.kind == "no_code"
    assert str(error).startswith("no Python code in the reply")


def test_missing_function(function: Target) -> None:
    error = error_of(fenced("def other(items):\n    return 0\n"), function)
    assert error.kind == "missing_function"
    assert "slow_sum" in error.detail


def test_syntax_error_reports_reply_line(function: Target) -> None:
    reply = "Here:\n\n```python\ndef slow_sum(items, start=0):\n    return (start +\n```\n"
    error = error_of(reply, function)
    assert error.kind == "syntax_error"
    assert error.detail == "code block at reply line 5: '(' was never closed"
    assert str(error).startswith("the code in the reply does not parse: code block at reply line")


def test_syntax_error_line_counts_think_sections(function: Target) -> None:
    broken = "def slow_sum(items, start=0):\n    return start +\n"
    reply = f"<think>\nfirst\nsecond\n</think>\n{fenced(broken)}"
    assert error_of(reply, function).detail.startswith("code block at reply line 7:")


def test_broken_final_version_is_not_replaced_by_earlier_draft(function: Target) -> None:
    reply = fenced(FAST) + fenced("def slow_sum(items, start=0)\n    return 0\n")
    assert error_of(reply, function).kind == "syntax_error"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "def slow_sum(items, start=0, extra=None):\n    pass\n",
            "expected (items, start=0), got (items, start=0, extra=None)",
        ),
        ("def slow_sum(items, start=1):\n    pass\n", "got (items, start=1)"),
        ("def slow_sum(values, start=0):\n    pass\n", "got (values, start=0)"),
        ("def slow_sum(items, *, start=0):\n    pass\n", "got (items, *, start=0)"),
    ],
)
def test_signature_changed(function: Target, code: str, expected: str) -> None:
    error = error_of(fenced(code), function)
    assert error.kind == "signature_changed"
    assert expected in error.detail


def test_annotations_may_differ(function: Target) -> None:
    code = "def slow_sum(items: list[int], start: int = 0) -> int:\n    return start + SCALE * sum(items)\n"
    assert extract_candidate(fenced(code), function).function_source == code


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("async def slow_sum(items, start=0):\n    return 0\n", "an async function"),
        ("class slow_sum:\n    pass\n", "a class"),
        ("slow_sum = sum\n", "a variable"),
    ],
)
def test_not_a_function(function: Target, code: str, what: str) -> None:
    error = error_of(fenced(code), function)
    assert error.kind == "not_a_function"
    assert error.detail == f"slow_sum is {what}"
