"""What the model is asked (templates), where the trajectory is kept (SQLite), and compiler candidates."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sqlite3
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.optimize.attempt import Attempt, Outcome
from effilab.optimize.compilers import CompilerUnavailable, compiler_variants
from effilab.optimize.project import locate_project, program
from effilab.optimize.prompts import DEFAULT_PROMPTS, PromptTemplates, build_messages, load_templates
from effilab.optimize.store import TrajectoryStore
from effilab.optimize.target import Target, parse_target
from effilab.sandbox import Limits, Verdict, Worker

MODULE = '''\
"""Numbers."""

import math

SCALE = 3


def square(x):
    return x * x


def total(n):
    s = 0
    for i in range(n):
        s += square(i) * SCALE
    return s


def lone(n):
    return n + 1


class Grid:
    def cells(self, n):
        return n * n
'''

FIELDS = (
    "module",
    "qualname",
    "signature_note",
    "function",
    "context_block",
    "imports",
    "workload",
    "profile",
    "examples",
    "history",
    "name",
    "context",
    "attempts",
    "speedup",
    "hot_lines",
)
PLACEHOLDER = re.compile(r"\$\{?(?:" + "|".join(FIELDS) + r")\b")


def write_module(folder: Path, text: str = MODULE, name: str = "mod.py") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def module_path(tmp_path: Path) -> Path:
    return write_module(tmp_path)


def target(path: Path, qualname: str) -> Target:
    return parse_target(f"{path}::{qualname}")


# --------------------------------------------------------------------------------------------------------
# Templates


def test_the_default_templates_have_every_field() -> None:
    templates = load_templates()
    assert templates.version == DEFAULT_PROMPTS == "optimize-v1"
    for name in ("system", "propose", "context", "history", "start_from"):
        assert getattr(templates, name).strip(), name
    assert "$function" in templates.propose
    assert load_templates(DEFAULT_PROMPTS) == templates


def test_an_unknown_version_lists_the_shipped_ones() -> None:
    with pytest.raises(InvalidArgument, match=r"'optimize-v0'.*shipped versions: .*optimize-v1"):
        load_templates("optimize-v0")


def user_message(templates: PromptTemplates, tgt: Target, **kwargs: object) -> str:
    defaults: dict[str, object] = {
        "module": "pkg.mod",
        "workload": "3 inputs at size 4096",
        "profile": "line   14   80.0%   4096 hits  s += square(i) * SCALE",
        "examples": "- total(3) -> 15",
    }
    defaults.update(kwargs)
    messages = build_messages(templates, tgt, **defaults)  # type: ignore[arg-type]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[0]["content"] == templates.system
    return messages[1]["content"]


def test_the_prompt_holds_the_function_context_profile_and_examples(module_path: Path) -> None:
    tgt = target(module_path, "total")
    text = user_message(load_templates(), tgt)
    assert tgt.function_source.rstrip() in text
    assert "Module: pkg.mod" in text
    assert "Function: total\n" in text  # no method note for a plain function
    # The context: the helper and the constant it reads, not the unrelated function.
    assert "def square(x):\n    return x * x" in text
    assert "SCALE = 3" in text
    assert "def lone" not in text
    assert "import math" in text
    assert "3 inputs at size 4096" in text
    assert "line   14   80.0%   4096 hits  s += square(i) * SCALE" in text
    assert "- total(3) -> 15" in text
    assert "definition of `total`" in text
    assert "Earlier attempts" not in text
    assert PLACEHOLDER.search(text) is None


def test_without_context_imports_or_profile_the_prompt_says_so(tmp_path: Path) -> None:
    path = write_module(tmp_path, "def alone(n):\n    return n\n", name="bare.py")
    text = user_message(load_templates(), target(path, "alone"), profile="")
    assert "Module-level definitions" not in text
    assert "# (none)" in text
    assert "(no line profile available)" in text
    assert PLACEHOLDER.search(text) is None


def test_a_method_target_is_marked(module_path: Path) -> None:
    text = user_message(load_templates(), target(module_path, "Grid.cells"))
    assert "Function: Grid.cells (a method: keep `self`/`cls` as they are)" in text
    assert "definition of `cells`" in text


def test_history_shows_each_attempts_verdict_evidence_and_code(module_path: Path) -> None:
    wrong = Attempt(
        index=1, strategy="llm", round=1, parent=None, function_source="def total(n):\n    return 1\n"
    )
    wrong.reject(
        Outcome.WRONG_ANSWER, "wrong result on input (3,)", failing_input="(3,)", expected="15", actual="1"
    )
    slow = Attempt(
        index=2, strategy="llm", round=1, parent=None, function_source="def total(n):\n    return 2\n"
    )
    slow.reject(Outcome.NOT_FASTER, "inconclusive: no significant difference")
    slow.hot_lines = "line    3   90.0%   10 hits  return 2"
    text = user_message(load_templates(), target(module_path, "total"), history=[wrong, slow])
    assert "Earlier attempts and what happened to them" in text
    assert "- Attempt 1: #1 (llm) wrong_answer\n" in text
    assert "  Verdict detail: wrong result on input (3,)" in text
    assert "  Expected 15, got 1" in text
    assert "```python\ndef total(n):\n    return 1\n```" in text
    assert "- Attempt 2: #2 (llm) not_faster\n" in text
    assert "inconclusive: no significant difference" in text
    assert "line    3   90.0%   10 hits  return 2" in text
    assert text.count("Expected ") == 1  # the second attempt has no expected/actual
    assert PLACEHOLDER.search(text) is None


def test_very_long_code_in_the_history_is_cut(module_path: Path) -> None:
    code = "def total(n):\n" + "".join(f"    x{i} = {i}\n" for i in range(600)) + "    return 0\n"
    long = Attempt(index=1, strategy="llm", round=1, parent=None, function_source=code)
    long.reject(Outcome.RUNTIME_ERROR, "boom")
    text = user_message(load_templates(), target(module_path, "total"), history=[long])
    assert "# … (cut)" in text
    assert "x599 = 599" not in text
    assert "x10 = 10" in text


def test_start_from_shows_the_parents_code_speedup_and_profile(module_path: Path) -> None:
    parent = Attempt(
        index=4,
        strategy="llm",
        round=2,
        parent=None,
        function_source="def total(n):\n    return sum(3 * i * i for i in range(n))\n",
        speedup=2.345,
        hot_lines="line   12   70.0%   1 hits  return sum(...)",
    )
    parent.outcome = Outcome.ACCEPTED
    text = user_message(load_templates(), target(module_path, "total"), start_from=parent)
    assert "Improve on this verified version, which measured 2.35× faster than the original" in text
    assert "return sum(3 * i * i for i in range(n))" in text
    assert "Its profile:\n```\nline   12   70.0%   1 hits  return sum(...)\n```" in text
    assert PLACEHOLDER.search(text) is None


def test_inserted_values_are_not_scanned_for_placeholders(module_path: Path) -> None:
    text = user_message(load_templates(), target(module_path, "total"), examples="- total('$name') -> 1")
    assert "- total('$name') -> 1" in text


# --------------------------------------------------------------------------------------------------------
# TrajectoryStore


def attempt(index: int, outcome: Outcome | None = None, speedup: float | None = None) -> Attempt:
    made = Attempt(index=index, strategy="llm", round=1, parent=None, function_source=f"# v{index}\n")
    made.outcome = outcome
    made.speedup = speedup
    return made


def test_attempts_are_recorded_one_row_each(tmp_path: Path) -> None:
    db = tmp_path / "results.db"
    with TrajectoryStore(db, target="mod.py::total", config={"rounds": 2}) as store:
        first = attempt(1)
        store.record(first)  # pending
        first.outcome, first.speedup = Outcome.ACCEPTED, 1.5
        store.record(first)  # its verdict: replaces the pending row
        store.record(attempt(2, Outcome.WRONG_ANSWER))
        records = store.attempts()
        assert [(r["index"], r["verdict"], r["speedup"]) for r in records] == [
            (1, "accepted", 1.5),
            (2, "wrong_answer", None),
        ]
        assert records[0]["function"] == "# v1\n"
        run_id = store.run_id
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT attempt, verdict, speedup FROM optimize_attempts WHERE run_id = ? ORDER BY attempt",
            (run_id,),
        ).fetchall()
        config = con.execute(
            "SELECT target, config FROM optimize_runs WHERE run_id = ?", (run_id,)
        ).fetchone()
    assert rows == [(1, "accepted", 1.5), (2, "wrong_answer", None)]
    assert config == ("mod.py::total", json.dumps({"rounds": 2}))


def test_finish_stores_the_result(tmp_path: Path) -> None:
    db = tmp_path / "results.db"
    with TrajectoryStore(db, target="t", config={}) as store:
        with sqlite3.connect(db) as con:
            before = con.execute("SELECT finished, result FROM optimize_runs").fetchone()
        store.finish({"best": 1, "speedup": 2.0})
        run_id = store.run_id
    assert before == (None, None)
    with sqlite3.connect(db) as con:
        finished, result = con.execute(
            "SELECT finished, result FROM optimize_runs WHERE run_id = ?", (run_id,)
        ).fetchone()
    assert finished is not None
    assert json.loads(result) == {"best": 1, "speedup": 2.0}


def test_a_second_store_on_the_same_file_is_a_new_run(tmp_path: Path) -> None:
    db = tmp_path / "results.db"
    with TrajectoryStore(db, target="t", config={}) as first:
        first.record(attempt(1, Outcome.ACCEPTED))
    with TrajectoryStore(db, target="t", config={}) as second:
        assert second.run_id != first.run_id
        assert second.attempts() == []  # the first run's attempts are not this run's
        second.record(attempt(1, Outcome.TIMEOUT))
        assert [r["verdict"] for r in second.attempts()] == ["timeout"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM optimize_attempts").fetchone() == (2,)


def test_a_foreign_table_of_the_same_name_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE optimize_runs (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(InvalidArgument, match="'optimize_runs' is not effilab's"):
        TrajectoryStore(db, target="t", config={})
    with sqlite3.connect(db) as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(optimize_runs)")]
        assert columns == ["id", "name"]  # left as it was
        assert con.execute("SELECT COUNT(*) FROM optimize_runs").fetchone() == (0,)


def test_unusable_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="not a file"):
        TrajectoryStore(tmp_path, target="t", config={})
    with pytest.raises(InvalidArgument, match="does not exist"):
        TrajectoryStore(tmp_path / "missing" / "r.db", target="t", config={})
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database file at all, not even close" * 20)
    with pytest.raises(InvalidArgument, match="not a usable SQLite file"):
        TrajectoryStore(garbage, target="t", config={})


def test_a_refused_file_is_left_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE optimize_runs (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(InvalidArgument):
        TrajectoryStore(db, target="t", config={})
    with sqlite3.connect(db) as con:
        tables = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        journal = con.execute("PRAGMA journal_mode").fetchone()[0]
    assert tables == ["optimize_runs"]
    assert journal == "delete"


# --------------------------------------------------------------------------------------------------------
# compiler_variants

DECORATOR = "@numba.njit(cache=False)"
needs_numba = pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba not installed")


def line_above(source: str, line: str) -> str:
    lines = source.splitlines()
    return lines[lines.index(line) - 1]


@needs_numba
def test_the_first_variant_decorates_the_target_and_imports_numba(module_path: Path) -> None:
    tgt = target(module_path, "lone")
    variants = compiler_variants(tgt)
    assert variants[0].label == "numba.njit"
    assert variants[0].function_source == f"{DECORATOR}\n{tgt.function_source}"
    module = variants[0].module_source
    assert module.count("import numba\n") == 1
    assert line_above(module, "import numba") == "import math"  # joins the module's imports
    assert line_above(module, "def lone(n):") == DECORATOR
    assert module.count(DECORATOR) == 1
    assert module == MODULE.replace("import math\n", "import math\nimport numba\n").replace(
        "def lone(n):", f"{DECORATOR}\ndef lone(n):"
    )


@needs_numba
def test_the_second_variant_without_helpers_is_guarded_only(module_path: Path) -> None:
    _, second = compiler_variants(target(module_path, "lone"))
    assert second.label.startswith("numba.njit, guarded")
    assert "helpers" not in second.label
    module = second.module_source
    assert module.count("import numba\n") == 1
    assert "def _lone_py(n):\n    return n + 1\n" in module
    assert "_lone_jit = numba.njit(cache=False)(_lone_py)" in module
    assert "        return _lone_jit(n)\n" in module
    assert "        return _lone_py(n)\n" in module
    assert DECORATOR not in module  # nothing else is compiled
    ast.parse(module)


@needs_numba
def test_called_module_level_helpers_are_compiled_in_the_second_variant(module_path: Path) -> None:
    first, second = compiler_variants(target(module_path, "total"))
    assert line_above(first.module_source, "def total(n):") == DECORATOR
    assert line_above(first.module_source, "def square(x):") != DECORATOR
    assert second.label.endswith("compiled copies of square")
    module = second.module_source
    assert line_above(module, "def square(x):") != DECORATOR  # the helper itself stays Python
    assert "_square_jit = numba.njit(cache=False)(square)" in module
    assert "lone" not in module.split("def lone(n):")[0]  # not called by the target: no copy
    assert "_total_jit = numba.njit(cache=False)(_total_nb)" in module
    assert "_square_jit(" in module.split("def _total_nb")[1].split("_total_jit =")[0]
    assert module.count("import numba\n") == 1
    ast.parse(module)


@needs_numba
def test_a_one_line_definition_gets_only_the_plain_variant(tmp_path: Path) -> None:
    path = write_module(tmp_path, "def f(n): return n * 2\n", name="one.py")
    (variant,) = compiler_variants(target(path, "f"))
    assert variant.module_source == f"import numba\n\n{DECORATOR}\ndef f(n): return n * 2\n"


@needs_numba
def test_a_module_that_imports_numba_is_not_given_a_second_import(tmp_path: Path) -> None:
    path = write_module(tmp_path, "import numba\n\n\ndef f(n):\n    return n * 2\n", name="jit.py")
    for variant in compiler_variants(target(path, "f")):
        assert variant.module_source.count("import numba") == 1
    assert compiler_variants(target(path, "f"))[0].module_source == (
        f"import numba\n\n\n{DECORATOR}\ndef f(n):\n    return n * 2\n"
    )


@needs_numba
def test_the_guarded_variant_runs_and_falls_back_on_inputs_numba_cannot_type(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    path = write_module(
        root / "pkg", "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
    )
    tgt = target(path, "total")
    guarded = compiler_variants(tgt)[1]
    prog = program(locate_project(tgt), tgt, guarded.module_source)
    limits = Limits(timeout_s=60.0, load_timeout_s=60.0, memory_mb=2048)
    with Worker(limits=limits, read_paths=prog.read_paths) as worker:
        assert worker.load(prog.source, entry=prog.entry, filename=prog.filename).verdict is Verdict.OK
        assert worker.call([[1, 2, 3]]).value == 6  # compiled
        assert worker.call([[]]).value == 0  # an empty list cannot be typed: the Python original
        assert worker.call([[1.5, 2]]).value == 3.5  # a mixed list: the Python original


@needs_numba
def test_methods_cannot_be_compiled(module_path: Path) -> None:
    with pytest.raises(CompilerUnavailable, match="not methods"):
        compiler_variants(target(module_path, "Grid.cells"))


def test_an_unknown_compiler_is_unavailable(module_path: Path) -> None:
    with pytest.raises(CompilerUnavailable, match="unknown compiler 'cython'"):
        compiler_variants(target(module_path, "lone"), "cython")


def test_without_numba_the_strategy_explains_how_to_install_it(
    module_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from effilab.optimize import compilers

    real = compilers.importlib.util.find_spec
    monkeypatch.setattr(
        compilers.importlib.util, "find_spec", lambda name, *a: None if name == "numba" else real(name, *a)
    )
    with pytest.raises(CompilerUnavailable, match=re.escape("effilab[numba]")):
        compiler_variants(target(module_path, "lone"))


@needs_numba
def test_the_guarded_fallback_runs_the_original_python_even_with_helpers(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    source = (
        "def square(x):\n    return x * x\n\n\n"
        "def total(xs):\n    s = 0\n    for x in xs:\n        s += square(x)\n    return s\n"
    )
    tgt = target(write_module(root / "pkg", source), "total")
    guarded = compiler_variants(tgt)[1]
    assert guarded.label.endswith("compiled copies of square")
    prog = program(locate_project(tgt), tgt, guarded.module_source)
    limits = Limits(timeout_s=60.0, load_timeout_s=60.0, memory_mb=2048)
    with Worker(limits=limits, read_paths=prog.read_paths) as worker:
        assert worker.load(prog.source, entry=prog.entry, filename=prog.filename).verdict is Verdict.OK
        big = worker.call([[10**20]])  # beyond 64 bits: numba cannot type it, the fallback runs
    assert big.verdict is Verdict.OK, big.error
    assert big.value == 10**40


@needs_numba
def test_a_module_with_a_byte_order_mark_gets_its_variants(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfdef h(x):\n    return x\n\n\ndef f(n):\n    return h(n) + 1\n")
    variants = compiler_variants(target(path, "f"))
    assert len(variants) == 2
    assert "_h_jit = numba.njit(cache=False)(h)" in variants[1].module_source
