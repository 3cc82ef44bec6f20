"""Locating a function in a user's file and splicing a replacement back in, from the text alone."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

import pytest

from effilab.errors import InvalidArgument
from effilab.optimize.target import Param, Target, format_params, parse_target, replace_function

MODULE = '''\
#!/usr/bin/env python
"""A user module."""

import os
from typing import (
    Any,
)

LIMIT = 10
UNUSED = 3


def helper(x):
    return x + LIMIT


def other():
    return 0


# Adds things up.
@decorate
def total(a: int, /, b=2, *args: int, c: int = 3, **kw: Any) -> int:
    """Sum.
  (odd indentation inside the docstring)"""
    return helper(a) + b + c


class Shape:
    scale = 2

    @staticmethod
    def area(w, h):
        return w * h

    @classmethod
    def unit(cls, n=1):
        return cls()

    def grow(self, k):
        def inner():
            return k
        return inner() * self.scale

    async def fetch(self):
        return None


async def download(url):
    return url
'''


def write(tmp_path: Path, text: str, name: str = "mod.py") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def run(source: str) -> dict[str, Any]:
    """Execute module text written by these tests (never user code) and return its namespace."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return write(tmp_path, MODULE)


# ---------------------------------------------------------------------------------------------- parsing


def test_decorated_function_is_described(module: Path) -> None:
    target = parse_target(f"{module}::total")

    assert target.path == module.resolve()
    assert (target.qualname, target.name, target.class_name) == ("total", "total", None)
    assert target.module_source == MODULE
    lines = MODULE.splitlines()
    assert lines[target.start_line - 1] == "@decorate"
    assert lines[target.end_line - 1] == "    return helper(a) + b + c"
    assert target.statement_line == target.start_line
    assert target.indent == ""
    assert target.function_source.startswith("@decorate\ndef total(")
    assert "\n  (odd indentation inside the docstring)" in target.function_source
    assert target.function_source.endswith("return helper(a) + b + c\n")
    assert target.signature == "(a: int, /, b=2, *args: int, c: int=3, **kw: Any) -> int"
    assert target.method_kind == "function"
    assert target.call_params == target.params
    assert target.imports == ("import os", "from typing import (\n    Any,\n)")


def test_params_record_kinds_annotations_and_defaults(module: Path) -> None:
    target = parse_target(f"{module}::total")

    assert target.params == (
        Param("a", "positional_only", "int", has_default=False),
        Param("b", "positional_or_keyword", None, has_default=True, default="2"),
        Param("args", "var_positional", "int", has_default=False),
        Param("c", "keyword_only", "int", has_default=True, default="3"),
        Param("kw", "var_keyword", "Any", has_default=False),
    )
    assert format_params(target.params) == "(a, /, b=2, *args, c=3, **kw)"


def test_format_params_marks_keyword_only_without_varargs() -> None:
    params = (Param("a", "positional_or_keyword", None, False), Param("b", "keyword_only", None, True, "1"))
    assert format_params(params) == "(a, *, b=1)"


def test_context_holds_referenced_definitions_transitively(module: Path) -> None:
    context = parse_target(f"{module}::total").context

    assert "def helper(x):" in context
    assert "LIMIT = 10" in context  # referenced by helper, one level down
    assert "other" not in context
    assert "UNUSED" not in context
    assert "def total" not in context
    assert "import" not in context


def test_method(module: Path) -> None:
    target = parse_target(f"{module}::Shape.grow")

    assert (target.name, target.class_name, target.method_kind) == ("grow", "Shape", "method")
    assert target.indent == "    "
    assert target.function_source.startswith("def grow(self, k):\n    def inner():\n")
    assert MODULE.splitlines()[target.statement_line - 1] == "class Shape:"
    assert [p.name for p in target.params] == ["self", "k"]
    assert [p.name for p in target.call_params] == ["k"]


def test_staticmethod_keeps_all_params(module: Path) -> None:
    target = parse_target(f"{module}::Shape.area")

    assert target.method_kind == "staticmethod"
    assert target.function_source == "@staticmethod\ndef area(w, h):\n    return w * h\n"
    assert [p.name for p in target.call_params] == ["w", "h"]


def test_classmethod_drops_cls(module: Path) -> None:
    target = parse_target(f"{module}::Shape.unit")

    assert target.method_kind == "classmethod"
    assert [p.name for p in target.call_params] == ["n"]


def test_relative_path_is_resolved(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(module.parent)
    assert parse_target("mod.py::other").path == module.resolve()


def test_crlf_file(tmp_path: Path) -> None:
    path = write(tmp_path, "import math\r\n\r\ndef f(x):\r\n    return x\r\n")
    target = parse_target(f"{path}::f")

    assert (target.start_line, target.end_line) == (3, 4)
    assert target.function_source == "def f(x):\n    return x\n"
    assert target.imports == ("import math",)


# ----------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("qualname", "message"),
    [
        ("missing", "no top-level function missing (functions: helper, other, total)"),
        ("Shape", "Shape is a class, not a function"),
        ("LIMIT", "LIMIT is a variable, not a function"),
        ("os", "os is an imported name, not a function"),
        ("download", "download is an async function; async functions are not supported"),
        ("Shape.fetch", "fetch is an async function; async functions are not supported"),
        ("inner", "nested functions are not supported"),
        ("Shape.inner", "nested functions are not supported"),
        ("area", "area is a method of Shape; use ::Shape.area"),
        ("Shape.scale", "scale is a variable, not a function"),
        ("Shape.nope", "class Shape has no method nope (methods: area, unit, grow)"),
        ("Nope.area", "no top-level class Nope (classes: Shape)"),
        ("total.x", "total is a function, not a class"),
        ("Shape.area.x", "only functions and methods of top-level classes are supported"),
        ("9bad", "is not a function name"),
    ],
)
def test_lookup_errors(module: Path, qualname: str, message: str) -> None:
    spec = f"{module}::{qualname}"
    with pytest.raises(InvalidArgument) as info:
        parse_target(spec)
    text = str(info.value)
    assert text.startswith(spec)
    assert message in text
    assert "\n" not in text


def test_available_functions_are_capped_at_five(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"def f{i}():\n    pass\n" for i in range(7)))
    with pytest.raises(InvalidArgument, match=r"\(functions: f0, f1, f2, f3, f4, …\)$"):
        parse_target(f"{path}::g")


@pytest.mark.parametrize("spec", ["mod.py", "::f", "mod.py::"])
def test_malformed_spec(spec: str) -> None:
    with pytest.raises(InvalidArgument, match="expected PATH::FUNCTION"):
        parse_target(spec)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="does not exist"):
        parse_target(f"{tmp_path / 'nope.py'}::f")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="is not a regular file"):
        parse_target(f"{tmp_path}::f")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"s = '\xe9'\n")
    with pytest.raises(InvalidArgument, match="is not UTF-8"):
        parse_target(f"{path}::f")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "def f():\n    return 1\n\ndef g(:\n    pass\n")
    with pytest.raises(InvalidArgument) as info:
        parse_target(f"{path}::f")
    assert f"{path.resolve()}:4: " in str(info.value)


# ------------------------------------------------------------------------------------------- replacement


def test_replace_keeps_everything_else_byte_identical(module: Path) -> None:
    target = parse_target(f"{module}::total")
    new_def = "@decorate\ndef total(a, /, b=2, *args, c=3, **kw):\n    return a + b + c\n"

    result = replace_function(target, new_def)

    before, after = MODULE.split("@decorate\ndef total")
    assert result.startswith(before)
    assert result.endswith(after[after.index("\n\n\nclass Shape") :])
    assert new_def in result
    ast.parse(result)


def test_roundtrip_of_own_source_is_identity(module: Path) -> None:
    for qualname in ("total", "Shape.grow", "Shape.area"):
        target = parse_target(f"{module}::{qualname}")
        assert replace_function(target, target.function_source) == MODULE


def test_replacement_with_helpers_and_imports_runs(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        \"\"\"Doc.\"\"\"

        import os


        # Slow on purpose.
        def total(n):
            return sum(i for i in range(n + 1))
        """
    )
    target = parse_target(f"{write(tmp_path, source)}::total")
    new_def = "def total(n):\n    return _triangle(n)\n"
    helper = "@functools.cache\ndef _triangle(n):\n    return n * (n + 1) // 2\n"

    result = replace_function(target, new_def, new_imports=["import functools"], new_helpers=[helper])

    assert result.index("import os\nimport functools\n") < result.index("def _triangle")
    assert result.index("def _triangle") < result.index("# Slow on purpose.\ndef total")
    assert run(result)["total"](100) == 5050


def test_method_replacement_puts_helpers_before_class(module: Path) -> None:
    target = parse_target(f"{module}::Shape.area")
    new_def = "@staticmethod\ndef area(w, h):\n    return _mul(w, h)\n"

    result = replace_function(
        target, new_def, new_helpers=["_mul = operator.mul"], new_imports=["import operator"]
    )

    assert "    @staticmethod\n    def area(w, h):\n        return _mul(w, h)\n" in result
    assert result.index("_mul = operator.mul\n\n\nclass Shape:") > 0
    assert result.index("import operator") < result.index("LIMIT = 10")
    namespace = run(result.replace("@decorate\n", ""))
    assert namespace["Shape"].area(3, 4) == 12


def test_imports_go_after_docstring_when_module_has_none(tmp_path: Path) -> None:
    path = write(tmp_path, '"""Doc."""\n\ndef f(x):\n    return x\n')
    target = parse_target(f"{path}::f")
    result = replace_function(target, "def f(x):\n    return math.floor(x)\n", new_imports=["import math"])
    assert result.startswith('"""Doc."""\n\nimport math\n\ndef f(x):')
    assert run(result)["f"](2.5) == 2


def test_imports_go_after_shebang_when_module_has_no_docstring(tmp_path: Path) -> None:
    path = write(tmp_path, "#!/usr/bin/env python\ndef f(x):\n    return x\n")
    target = parse_target(f"{path}::f")
    result = replace_function(target, "def f(x):\n    return math.floor(x)\n", new_imports=["import math"])
    assert result.startswith("#!/usr/bin/env python\nimport math\n\ndef f(x):")


def test_crlf_file_stays_crlf(tmp_path: Path) -> None:
    source = "import os\r\n\r\n\r\nclass A:\r\n    def m(self, x):\r\n        return x\r\n"
    target = parse_target(f"{write(tmp_path, source)}::A.m")
    new_def = 'def m(self, x):\n    """Two\n    lines."""\n    return _twice(x)\n'

    result = replace_function(
        target, new_def, new_imports=["import math"], new_helpers=["def _twice(x):\n    return 2 * x\n"]
    )

    assert "\n" not in result.replace("\r\n", "")
    assert result.startswith("import os\r\nimport math\r\n\r\n\r\ndef _twice(x):\r\n    return 2 * x\r\n")
    assert result.endswith(
        '    def m(self, x):\r\n        """Two\r\n    lines."""\r\n        return _twice(x)\r\n'
    )
    assert run(result)["A"]().m(4) == 8


def test_missing_final_newline_is_not_added(tmp_path: Path) -> None:
    path = write(tmp_path, "X = 1\n\ndef f():\n    return X")
    target = parse_target(f"{path}::f")
    assert replace_function(target, "def f():\n    return 2\n") == "X = 1\n\ndef f():\n    return 2"


def test_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffdef f():\n    return 1\n")
    target = parse_target(f"{path}::f")
    assert replace_function(target, "def f():\n    return 2\n") == "\ufeffdef f():\n    return 2\n"


def test_replacement_that_does_not_parse_is_rejected(module: Path) -> None:
    target: Target = parse_target(f"{module}::Shape.area")
    with pytest.raises(InvalidArgument, match="does not parse"):
        replace_function(target, "def area(w, h):\nreturn w\n")
