"""Program problems in the suite-folder format (``kind = "program"``): loading and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.errors import InvalidArgument
from effilab.suites.folder import load_folder
from effilab.suites.pie import ProgramSuite, load_generations
from effilab.suites.program_folder import load_program_folder, program_suite_folder
from effilab.suites.registry import BUILTIN_ROOT

TOML = """kind = "program"
prompt = "Read n; print n * 100."
compare = "tokens"
levels = [
    { files = [0, 1] },
    { size = 50, tests = 2, weight = 3, files = [2] },
]
references = [
    { name = "slow", file = "slow.cpp" },
    { name = "middle", file = "middle.cpp" },
    { name = "fast", file = "fast.cpp" },
    { name = "slow", file = "slow.py" },
    { name = "fast", file = "fast.py" },
]
"""
GENERATOR = "def generate(size, level, case, rng):\n    return f'{rng.randint(1, size)}\\n'\n"


def make_suite(root: Path, toml: str = TOML, name: str = "hundreds") -> Path:
    problem = root / name
    (problem / "tests").mkdir(parents=True)
    (problem / "problem.toml").write_text(toml)
    for file in ("slow.cpp", "middle.cpp", "fast.cpp"):
        (problem / file).write_text("int main() { return 0; }\n")
    for file in ("slow.py", "fast.py"):
        (problem / file).write_text("print(int(input()) * 100)\n")
    (problem / "generator.py").write_text(GENERATOR)
    for i, n in enumerate((1, 2, 30)):
        (problem / "tests" / f"input.{i}.txt").write_text(f"{n}\n")
        (problem / "tests" / f"output.{i}.txt").write_text(f"{n * 100}\n")
    return root


def load(root: Path) -> ProgramSuite:
    return load_program_folder(root)


def test_a_problem_gives_one_pair_per_language(tmp_path: Path) -> None:
    suite = load(make_suite(tmp_path))
    assert [p.key for p in suite] == ["hundreds/cpp", "hundreds/python"]
    cpp, py = suite.pairs
    assert cpp.meta["references"] == ["slow", "middle", "fast"]
    assert [name for name, _ in cpp.references] == ["middle"]
    assert py.references == ()
    assert cpp.target is not None
    assert py.target == b"print(int(input()) * 100)\n"
    assert [(t.index, t.level) for t in cpp.tests] == [(0, 0), (1, 0), (2, 1)]
    assert cpp.tests[2].output == b"3000\n"
    assert cpp.rule.name == "tokens"
    assert cpp.generator is not None
    assert cpp.generator.counts == {1: 2}
    assert cpp.generator.sizes == {0: 0, 1: 50}
    assert cpp.weights == {1: 3.0}
    assert suite.settings is not None
    assert suite.settings.repetitions == 3


def test_rules_float_and_checker(tmp_path: Path) -> None:
    make_suite(tmp_path, TOML.replace('compare = "tokens"', 'compare = { rule = "float", rel = 1e-3 }'))
    pair = load(tmp_path).pairs[0]
    assert (pair.rule.name, pair.rule.rel, pair.rule.abs) == ("float", 1e-3, 1e-6)
    other = tmp_path / "other"
    make_suite(other, TOML.replace('compare = "tokens"', 'compare = { rule = "checker" }'))
    (other / "hundreds" / "checker.py").write_text("raise SystemExit(0)\n")
    assert load(other).pairs[0].rule.checker == b"raise SystemExit(0)\n"


def test_a_single_language_problem_is_keyed_by_its_id(tmp_path: Path) -> None:
    toml = TOML.replace(
        '    { name = "slow", file = "slow.py" },\n    { name = "fast", file = "fast.py" },\n', ""
    )
    suite = load(make_suite(tmp_path, toml))
    assert [p.key for p in suite] == ["hundreds"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "program"\n', ""), "field 'kind' must be 'program'"),
        (('compare = "tokens"', 'compare = "fuzzy"'), "compare.rule='fuzzy'"),
        (('compare = "tokens"', 'compare = { rule = "float", rel = -1 }'), "'rel' and 'abs' must be >= 0"),
        (("files = [2] }", "files = [7] }"), "no "),
        (("files = [2] }", "files = [1] }"), "test 1 is already in levels[0]"),
        (("tests = 2,", "tests = -1,"), "field 'tests' must be an integer"),
        (("weight = 3,", "weight = 3, speed = 2,"), "no field 'speed'"),
        (('file = "fast.py"', 'file = "fast.rb"'), "no language uses the suffix '.rb'"),
        (('file = "fast.py"', 'file = "gone.py"'), "gone.py: missing"),
        (('file = "fast.py" }', 'file = "fast.py", language = "cobol" }'), "language='cobol': unknown"),
        (('{ name = "fast", file = "fast.py" }', '{ name = "slow", file = "fast.py" }'), "a second python"),
        (('prompt = "Read n; print n * 100."\n', ""), "field 'prompt' is missing"),
    ],
)
def test_errors_name_the_file_and_field(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in TOML
    make_suite(tmp_path, TOML.replace(old, new))
    with pytest.raises(InvalidArgument, match=r"problem\.toml|fast|gone") as caught:
        load(tmp_path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_tests_and_generator_are_errors(tmp_path: Path) -> None:
    make_suite(tmp_path)
    (tmp_path / "hundreds" / "generator.py").unlink()
    with pytest.raises(InvalidArgument, match="ask for generated inputs"):
        load(tmp_path)
    (tmp_path / "hundreds" / "tests" / "output.1.txt").unlink()
    (tmp_path / "hundreds" / "generator.py").write_text(GENERATOR)
    with pytest.raises(InvalidArgument, match=r"input\.1\.txt: no matching output\.1\.txt"):
        load(tmp_path)


def test_kinds_do_not_mix_and_the_function_loader_refuses_programs(tmp_path: Path) -> None:
    make_suite(tmp_path)
    assert program_suite_folder(str(tmp_path)) == tmp_path
    with pytest.raises(InvalidArgument, match="kind = 'program'"):
        load_folder(tmp_path)
    shutil_copy = BUILTIN_ROOT / "effilab" / "pair-sum-count"
    function = tmp_path / "pair-sum-count"
    function.mkdir()
    for file in shutil_copy.iterdir():
        if file.is_file():
            (function / file.name).write_bytes(file.read_bytes())
    with pytest.raises(InvalidArgument, match="mixes function and program problems"):
        program_suite_folder(str(tmp_path))
    assert program_suite_folder("effilab") is None
    assert program_suite_folder("programs-mini") == BUILTIN_ROOT / "programs-mini"


def test_samples_match_pairs_by_task_id_and_language(tmp_path: Path) -> None:
    suite = load(make_suite(tmp_path))
    samples = tmp_path / "samples.jsonl"
    rows = [
        {"task_id": "hundreds", "language": "c++", "solution": "A"},
        {"task_id": "hundreds/python", "completion": "B"},
        {"task_id": "hundreds", "language": "python", "solution": ["C", "D"]},
    ]
    samples.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert load_generations(samples, suite) == {"hundreds/cpp": [b"A"], "hundreds/python": [b"B", b"C", b"D"]}
    samples.write_text(json.dumps({"task_id": "hundreds", "solution": "E"}) + "\n")
    with pytest.raises(InvalidArgument, match="give 'language'"):
        load_generations(samples, suite)
    assert load_generations(samples, suite, language="cpp") == {"hundreds/cpp": [b"E"]}
    samples.write_text(json.dumps({"task_id": "hundreds", "language": "c", "solution": "F"}) + "\n")
    with pytest.raises(InvalidArgument, match="has no c references"):
        load_generations(samples, suite)


def test_the_cli_reports_a_bad_program_suite_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_suite(tmp_path, TOML.replace('compare = "tokens"', 'compare = "fuzzy"'))
    samples = tmp_path / "s.jsonl"
    samples.write_text(json.dumps({"task_id": "hundreds", "solution": "x"}) + "\n")
    evaluate = [
        "evaluate",
        "--suite",
        str(tmp_path),
        "--samples",
        str(samples),
        "--db",
        str(tmp_path / "r.db"),
    ]
    for argv in (["suite", "validate", str(tmp_path)], evaluate):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "compare.rule='fuzzy'" in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_suite_list_shows_program_suites(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suite", "list", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["suites"]}
    assert rows["effilab"]["kind"] == "function"
    mini = rows["programs-mini"]
    assert (mini["kind"], mini["problems"], mini["languages"]) == ("program", 3, ["cpp", "python"])
