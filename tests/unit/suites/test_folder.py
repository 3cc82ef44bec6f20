"""The suite folder format: loading the mini test suite, and one-line errors naming the file and the field
for every kind of broken suite; the registry that turns ``--suite`` text into a suite."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from effilab.check.rules import CheckerRule, ExactRule, FloatRule, PythonEqRule, UnorderedRule
from effilab.errors import InvalidArgument
from effilab.suites.folder import load_folder, load_problem
from effilab.suites.model import CHECKER_ENTRY, GENERATOR_ENTRY, Suite
from effilab.suites.registry import SUITES_PATH_ENV, builtin_suites, load_suite

MINI = Path(__file__).parents[2] / "data" / "suites" / "mini"


@pytest.fixture
def suite_copy(tmp_path: Path) -> Path:
    """A private copy of the mini suite that a test may break."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _error(path: Path) -> str:
    with pytest.raises(InvalidArgument) as info:
        load_folder(path)
    message = str(info.value)
    assert "\n" not in message, "errors are one line"
    return message


# ------------------------------------------------------------------------------------------ the mini suite


def test_mini_suite_loads_with_its_problems_in_folder_order() -> None:
    suite = load_folder(MINI)
    assert isinstance(suite, Suite)
    assert suite.name == "mini"
    assert suite.source == str(MINI)
    assert [p.id for p in suite] == ["count-distinct", "topo-order"]
    assert len(suite.fingerprint) == 64
    assert suite.task_order == ()


def test_exact_problem_has_levels_references_and_fixed_tests() -> None:
    problem = load_folder(MINI).get("count-distinct")
    assert problem is not None
    assert problem.entry == "count_distinct"
    assert "def count_distinct" in problem.prompt
    assert isinstance(problem.rule, ExactRule)
    assert [(lv.size, lv.tests, lv.weight) for lv in problem.levels] == [
        (3, 3, 0),
        (40, 2, 1),
        (80, 2, 1),
        (150, 2, 2),
    ]
    assert problem.timed
    assert [r.name for r in problem.references] == ["naive", "standard", "expert"]
    assert problem.oracle.name == "expert"
    assert problem.oracle.filename.endswith("expert.py")
    assert b"len(set(nums))" in problem.oracle.source
    assert problem.generator is not None
    assert problem.generator.entry == GENERATOR_ENTRY
    assert f"def {GENERATOR_ENTRY}(" in problem.generator.source.decode()
    fixed = [(case.level, case.case, case.args, case.expected, case.has_expected) for case in problem.fixed]
    assert fixed == [(0, 0, ([1, 1, 2],), 2, True), (0, 1, ([],), 0, True)]
    assert problem.metadata["category"] == "hashing"


def test_checker_problem_wraps_the_checker_module() -> None:
    problem = load_folder(MINI).get("topo-order")
    assert problem is not None
    assert isinstance(problem.rule, CheckerRule)
    assert problem.rule.program.filename.endswith("checker.py")
    assert problem.rule.program.entry == CHECKER_ENTRY
    assert f"def {CHECKER_ENTRY}(" in problem.rule.program.source.decode()
    assert problem.rule.describe().startswith("checker (")
    assert [r.name for r in problem.references] == ["naive", "kahn"]
    assert problem.fixed == ()


def test_fingerprint_is_stable_and_follows_every_file(suite_copy: Path) -> None:
    first = load_folder(suite_copy).fingerprint
    assert load_folder(suite_copy).fingerprint == first
    (suite_copy / "topo-order" / "naive.py").write_text(
        (suite_copy / "topo-order" / "naive.py").read_text() + "\n# a comment\n"
    )
    assert load_folder(suite_copy).fingerprint != first


def test_suite_toml_sets_name_and_scoring(suite_copy: Path) -> None:
    (suite_copy / "suite.toml").write_text('name = "tiny"\nalpha = 3.0\nseed = 7\nrepetitions = 2\n')
    suite = load_folder(suite_copy)
    assert suite.name == "tiny"
    assert (suite.settings.alpha, suite.settings.seed, suite.settings.repetitions) == (3.0, 7, 2)
    assert load_folder(suite_copy, name="given").name == "given"


def test_prompt_file_is_read(suite_copy: Path) -> None:
    folder = suite_copy / "count-distinct"
    toml = folder / "problem.toml"
    text = toml.read_text()
    toml.write_text(re.sub(r"prompt = '''.*?'''", 'prompt_file = "prompt.md"', text, flags=re.S))
    (folder / "prompt.md").write_text("def count_distinct(nums):\n    '''From a file.'''\n")
    assert load_problem(folder).prompt == "def count_distinct(nums):\n    '''From a file.'''\n"


@pytest.mark.parametrize(
    ("compare", "rule_type"),
    [
        ('"python-eq"', PythonEqRule),
        ('"unordered"', UnorderedRule),
        ('{ rule = "exact" }', ExactRule),
        ('{ rule = "float", rel_tol = 1e-6, abs_tol = 1e-9 }', FloatRule),
    ],
)
def test_compare_rules(suite_copy: Path, compare: str, rule_type: type) -> None:
    folder = suite_copy / "count-distinct"
    _edit(folder / "problem.toml", 'compare = "exact"', f"compare = {compare}")
    rule = load_problem(folder).rule
    assert type(rule) is rule_type
    if isinstance(rule, FloatRule):
        assert (rule.rel_tol, rule.abs_tol) == (1e-6, 1e-9)


# ------------------------------------------------------------------------------------------- broken suites


@pytest.mark.parametrize("field", ["entry", "levels", "references"])
def test_missing_problem_field_names_file_and_field(suite_copy: Path, field: str) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    if field == "entry":
        _edit(toml, 'entry = "count_distinct"\n', "")
    else:
        # Drop every [[field]] table (each runs until the next blank line).
        text = toml.read_text()
        toml.write_text(re.sub(rf"\[\[{field}\]\]\n(?:[^\n]+\n)*", "", text))
        assert f"[[{field}]]" not in toml.read_text()
    message = _error(suite_copy)
    assert str(toml) in message
    assert f"'{field}'" in message


def test_entry_that_is_not_an_identifier(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'entry = "count_distinct"', 'entry = "count distinct"')
    message = _error(suite_copy)
    assert str(toml) in message
    assert "entry='count distinct'" in message


def test_entry_of_the_wrong_type(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'entry = "count_distinct"', "entry = 3")
    message = _error(suite_copy)
    assert str(toml) in message
    assert "'entry' must be a non-empty string" in message


def test_missing_reference_file_is_named(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'file = "standard.py"', 'file = "gone.py"')
    message = _error(suite_copy)
    assert str(suite_copy / "count-distinct" / "gone.py") in message
    assert "missing" in message


def test_reference_without_a_file_field(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'file = "standard.py"\n', "")
    message = _error(suite_copy)
    assert str(toml) in message
    assert "references[1]" in message
    assert "'file'" in message


def test_prompt_and_prompt_file_both_given(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'compare = "exact"', 'compare = "exact"\nprompt_file = "prompt.md"')
    message = _error(suite_copy)
    assert str(toml) in message
    assert "'prompt'" in message
    assert "'prompt_file'" in message


def test_prompt_file_that_does_not_exist(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    text = toml.read_text()
    toml.write_text(re.sub(r"prompt = '''.*?'''", 'prompt_file = "nowhere.md"', text, flags=re.S))
    message = _error(suite_copy)
    assert "nowhere.md" in message
    assert "missing" in message


@pytest.mark.parametrize(
    ("compare", "fragment"),
    [
        ('"fuzzy"', "compare.rule='fuzzy'"),
        ('{ rule = "sloppy" }', "compare.rule='sloppy'"),
        ("3", "'compare' must be a rule name or a table"),
        ('{ rule = "float", rel_tol = "small" }', "'rel_tol' must be a number"),
        ('{ rule = "float", rel_tol = -1.0 }', "compare.rel_tol=-1.0"),
    ],
)
def test_bad_compare_rule(suite_copy: Path, compare: str, fragment: str) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'compare = "exact"', f"compare = {compare}")
    message = _error(suite_copy)
    assert str(toml) in message
    assert fragment in message


def test_checker_file_that_does_not_exist(suite_copy: Path) -> None:
    toml = suite_copy / "topo-order" / "problem.toml"
    _edit(toml, 'checker = "checker.py"', 'checker = "judge.py"')
    message = _error(suite_copy)
    assert str(suite_copy / "topo-order" / "judge.py") in message
    assert "missing" in message


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("size = 40", "size = -1", "levels[1]: level size=-1"),
        ("size = 40", "size = 4.5", "levels[1]: level size=4.5"),
        ("tests = 2\nweight = 1", 'tests = "two"\nweight = 1', "levels[1]: level tests='two'"),
        ("weight = 2", "weight = -2", "levels[3]: level weight=-2"),
        ("weight = 2", 'weight = "heavy"', "levels[3]: level weight='heavy'"),
        ("size = 3\n", "", "levels[0]: level size=None"),
    ],
)
def test_bad_level_values(suite_copy: Path, old: str, new: str, fragment: str) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, old, new)
    message = _error(suite_copy)
    assert str(toml) in message
    assert fragment in message


def test_levels_that_need_a_generator_without_one(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    (suite_copy / "count-distinct" / "generator.py").unlink()
    message = _error(suite_copy)
    assert str(toml) in message
    assert "no generator" in message


@pytest.mark.parametrize("name", ["problem.toml", "standard.py", "generator.py", "tests.jsonl", "checker.py"])
def test_non_utf8_file(suite_copy: Path, name: str) -> None:
    folder = suite_copy / ("topo-order" if name == "checker.py" else "count-distinct")
    path = folder / name
    data = path.read_bytes()
    path.write_bytes(b"# caf\xe9\n" + data)
    message = _error(suite_copy)
    assert str(path) in message
    assert "not UTF-8" in message
    assert "byte 5" in message


def test_bad_toml(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'entry = "count_distinct"', "entry = count_distinct")
    message = _error(suite_copy)
    assert str(toml) in message
    assert "not valid TOML" in message


def test_bad_suite_toml(suite_copy: Path) -> None:
    path = suite_copy / "suite.toml"
    path.write_text("alpha = 1.0\n")
    message = _error(suite_copy)
    assert str(path) in message
    assert "'alpha'" in message
    path.write_text("repetitions = 0\n")
    assert "'repetitions'" in _error(suite_copy)
    path.write_text("seed = [\n")
    assert "not valid TOML" in _error(suite_copy)


def test_tests_jsonl_line_that_is_not_json(suite_copy: Path) -> None:
    path = suite_copy / "count-distinct" / "tests.jsonl"
    path.write_text(path.read_text() + "\n{oops}\n")
    message = _error(suite_copy)
    assert f"{path}:4:" in message  # line 3 is blank and skipped, but still counted
    assert "not valid JSON" in message


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('{"expected": 1}', "'args'"),
        ('{"args": 5, "expected": 1}', "'args'"),
        ("[1, 2]", "'args'"),
        ('{"args": [[1]], "expected": 1, "level": 9}', "'level'"),
        ('{"args": [[1]], "expected": 1, "level": true}', "'level'"),
        ('{"args": [{"$nonsense": 1}], "expected": 1}', "cannot decode"),
    ],
)
def test_tests_jsonl_bad_records(suite_copy: Path, line: str, fragment: str) -> None:
    path = suite_copy / "count-distinct" / "tests.jsonl"
    path.write_text(line + "\n")
    message = _error(suite_copy)
    assert f"{path}:1:" in message
    assert fragment in message


def test_duplicate_reference_names(suite_copy: Path) -> None:
    toml = suite_copy / "count-distinct" / "problem.toml"
    _edit(toml, 'name = "standard"', 'name = "naive"')
    message = _error(suite_copy)
    assert str(toml) in message
    assert "reference names repeat" in message
    assert "naive" in message


def test_folder_without_problems(tmp_path: Path) -> None:
    (tmp_path / "empty-suite" / "not-a-problem").mkdir(parents=True)
    (tmp_path / "empty-suite" / "not-a-problem" / "README").write_text("nothing here")
    message = _error(tmp_path / "empty-suite")
    assert "empty-suite" in message
    assert "no problem folders" in message


def test_suite_path_that_is_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "suite.txt"
    file.write_text("")
    assert "not a folder" in _error(file)


def test_duplicate_problem_ids(suite_copy: Path) -> None:
    _edit(suite_copy / "topo-order" / "problem.toml", 'id = "topo-order"', 'id = "count-distinct"')
    message = _error(suite_copy)
    assert "problem ids repeat" in message
    assert "count-distinct" in message


# ------------------------------------------------------------------------------------------------ registry


def test_load_suite_from_a_folder() -> None:
    suite = load_suite(str(MINI))
    assert suite.name == "mini"
    assert [p.id for p in suite] == ["count-distinct", "topo-order"]


def test_load_suite_builtin_name() -> None:
    assert "effilab" in builtin_suites()
    suite = load_suite("effilab")
    assert suite.name == "effilab"
    assert len(suite) > 0
    assert suite.get("pair-sum-count") is not None


def test_load_suite_name_from_the_search_path(suite_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SUITES_PATH_ENV, str(suite_copy.parent))
    assert builtin_suites()["mini"] == suite_copy
    assert load_suite("mini").source == str(suite_copy)


def test_load_suite_unknown_name() -> None:
    with pytest.raises(InvalidArgument) as info:
        load_suite("no-such-suite-anywhere")
    message = str(info.value)
    assert "'no-such-suite-anywhere'" in message
    assert "no such folder or suite name" in message
    assert "effilab" in message  # lists the names it knows
    assert "enamel:PATH" in message


@pytest.mark.parametrize("spec", ["enamel:/nonexistent/enamel.csv", "evalplus:/nonexistent/plus.jsonl"])
def test_load_suite_format_with_a_missing_file(spec: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        load_suite(spec)
    assert spec.partition(":")[2] in str(info.value)
    assert "not a file" in str(info.value)


def test_load_suite_format_without_a_path() -> None:
    with pytest.raises(InvalidArgument, match="give the file after 'enamel:'"):
        load_suite("enamel:")


def test_load_suite_plain_file_hints_at_formats(tmp_path: Path) -> None:
    file = tmp_path / "enamel.csv"
    file.write_text("task_id\n")
    with pytest.raises(InvalidArgument, match=r"a file, not a suite folder.*'enamel:'"):
        load_suite(str(file))


def test_load_suite_empty_spec() -> None:
    with pytest.raises(InvalidArgument, match="must not be empty"):
        load_suite("")
