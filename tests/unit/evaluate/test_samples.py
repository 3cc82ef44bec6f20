"""Sample files: JSONL (plain or gzip) indexed by offset, ENAMEL's list layout, and one-line errors."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from effilab.check.rules import ExactRule
from effilab.errors import InvalidArgument
from effilab.evaluate.samples import SampleFile, open_samples
from effilab.suites.model import Level, Problem, Reference, Suite

PROMPTS = {"add": "def add(a, b):\n    '''Sum.'''\n", "neg": "def neg(x):\n    '''Minus x.'''\n"}


def _problem(task_id: str, entry: str) -> Problem:
    return Problem(
        id=task_id,
        entry=entry,
        prompt=PROMPTS[task_id],
        levels=(Level(size=1, tests=0, weight=0.0),),
        references=(Reference("ref", f"def {entry}(*a):\n    return 0\n".encode(), "ref.py"),),
        rule=ExactRule(),
    )


@pytest.fixture
def suite() -> Suite:
    return Suite("tiny", "test", (_problem("add", "add"), _problem("neg", "neg")))


@pytest.fixture
def enamel_suite() -> Suite:
    """Like ENAMEL: the benchmark lists a task ("const") the suite does not score."""
    return Suite("tiny", "test", (_problem("add", "add"), _problem("neg", "neg")),
                 task_order=("add", "const", "neg"))  # fmt: skip


def _line(task_id: str, **fields: object) -> str:
    return json.dumps({"task_id": task_id, **fields}) + "\n"


def _write(path: Path, *lines: str) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


ADD_1 = "def add(a, b):\n    return a + b\n"
ADD_2 = "def add(a, b):\n    return sum((a, b))\n"
NEG_1 = "def neg(x):\n    return -x  # ünïcode\n"


def _prompt_of(task_id: str) -> str:
    return PROMPTS[task_id]


def _texts(samples: SampleFile, task_id: str) -> list[str]:
    return [samples.program_text(ref, _prompt_of) for ref in samples.by_task[task_id]]


# ---------------------------------------------------------------------------------------------- JSONL


def test_jsonl_is_indexed_by_task_in_file_order(tmp_path: Path, suite: Suite) -> None:
    path = _write(
        tmp_path / "s.jsonl",
        _line("add", solution=ADD_1),
        _line("neg", solution=NEG_1),
        "\n",
        _line("add", solution=ADD_2),
    )
    samples = open_samples(path, suite)
    assert samples.path == path
    assert samples.count == 3
    assert samples.skipped == []
    assert sorted(samples.by_task) == ["add", "neg"]
    adds = samples.by_task["add"]
    assert [(r.task_id, r.index, r.line) for r in adds] == [("add", 0, 1), ("add", 1, 4)]
    assert [(r.index, r.line) for r in samples.by_task["neg"]] == [(0, 2)]
    # Plain files keep offsets, not programs.
    raw = path.read_bytes()
    assert all(r.inline is None for r in adds)
    assert [r.offset for r in adds] == [
        0,
        raw.index(b'{"task_id": "add", "solution": "def add(a, b):\\n    return sum'),
    ]
    assert not any(r.completion for r in adds)


def test_samples_read_back_by_offset(tmp_path: Path, suite: Suite) -> None:
    path = _write(
        tmp_path / "s.jsonl",
        _line("add", solution=ADD_1),
        _line("neg", solution=NEG_1),
        _line("add", solution=ADD_2),
    )
    samples = open_samples(path, suite)
    assert _texts(samples, "add") == [ADD_1, ADD_2]
    assert _texts(samples, "neg") == [NEG_1]  # multi-byte characters do not shift later offsets


def test_digest_is_the_sha256_of_the_file(tmp_path: Path, suite: Suite) -> None:
    path = _write(tmp_path / "s.jsonl", _line("add", solution=ADD_1))
    first = open_samples(path, suite).digest
    assert first == hashlib.sha256(path.read_bytes()).hexdigest()
    _write(path, _line("add", solution=ADD_2))
    assert open_samples(path, suite).digest != first


def test_completion_records_get_the_prompt_prepended(tmp_path: Path, suite: Suite) -> None:
    body = "    return a + b\n"
    path = _write(tmp_path / "s.jsonl", _line("add", completion=body), _line("add", solution=ADD_2))
    samples = open_samples(path, suite)
    refs = samples.by_task["add"]
    assert [r.completion for r in refs] == [True, False]
    assert _texts(samples, "add") == [PROMPTS["add"] + body, ADD_2]


def test_solution_wins_over_completion_in_one_record(tmp_path: Path, suite: Suite) -> None:
    path = _write(tmp_path / "s.jsonl", _line("add", solution=ADD_1, completion="    return 0\n"))
    samples = open_samples(path, suite)
    assert not samples.by_task["add"][0].completion
    assert _texts(samples, "add") == [ADD_1]


def test_gzip_jsonl_is_read_in_memory(tmp_path: Path, suite: Suite) -> None:
    body = "    return a + b\n"
    content = _line("add", solution=ADD_1) + _line("neg", solution=NEG_1) + _line("add", completion=body)
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(gzip.compress(content.encode()))
    samples = open_samples(path, suite)
    assert samples.count == 3
    assert samples.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert all(r.inline is not None for refs in samples.by_task.values() for r in refs)
    assert [(r.index, r.line, r.completion) for r in samples.by_task["add"]] == [(0, 1, False), (1, 3, True)]
    assert _texts(samples, "add") == [ADD_1, PROMPTS["add"] + body]
    assert _texts(samples, "neg") == [NEG_1]


def test_gzip_by_content_not_by_name(tmp_path: Path, suite: Suite) -> None:
    path = tmp_path / "plain-name.jsonl"
    path.write_bytes(gzip.compress(_line("add", solution=ADD_1).encode()))
    assert _texts(open_samples(path, suite), "add") == [ADD_1]


def test_corrupt_gzip_is_an_error(tmp_path: Path, suite: Suite) -> None:
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(gzip.compress(_line("add", solution=ADD_1).encode())[:12])
    with pytest.raises(InvalidArgument, match=re.escape(str(path))):
        open_samples(path, suite)


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("{not json\n", "not valid JSON"),
        ("[1, 2]\n", "must be a JSON object"),
        ('{"solution": "x"}\n', "'task_id'"),
        ('{"task_id": 3, "solution": "x"}\n', "'task_id'"),
        ('{"task_id": "add"}\n', "'solution'"),
        ('{"task_id": "add", "solution": 5}\n', "'solution'"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, suite: Suite, bad: str, fragment: str) -> None:
    path = _write(tmp_path / "s.jsonl", _line("add", solution=ADD_1), bad, _line("neg", solution=NEG_1))
    with pytest.raises(InvalidArgument) as info:
        open_samples(path, suite)
    message = str(info.value)
    assert message.startswith(f"{path}:2: ")
    assert fragment in message
    assert "--skip-bad" in message
    assert "\n" not in message


def test_skip_bad_skips_the_line_and_records_why(tmp_path: Path, suite: Suite) -> None:
    path = _write(
        tmp_path / "s.jsonl",
        _line("add", solution=ADD_1),
        "{not json\n",
        _line("nope", solution=ADD_1),
        _line("add", solution=ADD_2),
    )
    samples = open_samples(path, suite, skip_bad=True)
    assert samples.count == 2
    assert [(r.index, r.line) for r in samples.by_task["add"]] == [(0, 1), (1, 4)]
    assert _texts(samples, "add") == [ADD_1, ADD_2]
    assert len(samples.skipped) == 2
    assert samples.skipped[0].startswith(f"{path}:2: not valid JSON")
    assert samples.skipped[1].startswith(f"{path}:3: unknown task_id 'nope'")


def test_only_bad_lines_with_skip_bad_leaves_no_usable_samples(tmp_path: Path, suite: Suite) -> None:
    path = _write(tmp_path / "s.jsonl", "{not json\n", "nor this\n")
    with pytest.raises(InvalidArgument, match="no usable samples"):
        open_samples(path, suite, skip_bad=True)


def test_unknown_task_id_is_an_error(tmp_path: Path, suite: Suite) -> None:
    path = _write(tmp_path / "s.jsonl", _line("add", solution=ADD_1), _line("HumanEval/0", solution="x"))
    with pytest.raises(InvalidArgument) as info:
        open_samples(path, suite)
    assert str(info.value).startswith(f"{path}:2: unknown task_id 'HumanEval/0'")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path: Path, suite: Suite, content: bytes) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(content)
    with pytest.raises(InvalidArgument, match="the sample file is empty"):
        open_samples(path, suite)


def test_empty_gzip_file_is_an_error(tmp_path: Path, suite: Suite) -> None:
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(gzip.compress(b""))
    with pytest.raises(InvalidArgument, match="the sample file is empty"):
        open_samples(path, suite)


def test_missing_file_is_an_error(tmp_path: Path, suite: Suite) -> None:
    with pytest.raises(InvalidArgument, match="no such file"):
        open_samples(tmp_path / "absent.jsonl", suite)


def test_non_utf8_line_names_file_and_line(tmp_path: Path, suite: Suite) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(_line("add", solution=ADD_1).encode() + b'{"task_id": "add", "solution": "\xff"}\n')
    with pytest.raises(InvalidArgument) as info:
        open_samples(path, suite)
    assert str(info.value).startswith(f"{path}:2: not UTF-8")
    samples = open_samples(path, suite, skip_bad=True)
    assert samples.count == 1
    assert samples.skipped[0].startswith(f"{path}:2: not UTF-8")


def test_jsonl_task_of_the_benchmark_that_the_suite_does_not_score_is_ignored(
    tmp_path: Path, enamel_suite: Suite
) -> None:
    path = _write(tmp_path / "s.jsonl", _line("const", solution="x"), _line("add", solution=ADD_1))
    samples = open_samples(path, enamel_suite)
    assert list(samples.by_task) == ["add"]
    assert samples.skipped == []
    assert samples.by_task["add"][0].line == 2


# ----------------------------------------------------------------------------------------- ENAMEL layout


def test_enamel_layout_follows_the_task_order(tmp_path: Path, enamel_suite: Suite) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps([[ADD_1, ADD_2], ["def const(): return 1\n"], [NEG_1]]))
    samples = open_samples(path, enamel_suite)
    assert sorted(samples.by_task) == ["add", "neg"]  # "const" is in the benchmark, not in the suite
    assert samples.count == 3
    assert [(r.task_id, r.index, r.line, r.completion) for r in samples.by_task["add"]] == [
        ("add", 0, 1, False),
        ("add", 1, 2, False),
    ]
    assert _texts(samples, "add") == [ADD_1, ADD_2]
    assert _texts(samples, "neg") == [NEG_1]


def test_enamel_layout_gzip_and_leading_whitespace(tmp_path: Path, enamel_suite: Suite) -> None:
    path = tmp_path / "samples.json.gz"
    path.write_bytes(gzip.compress(b"\n  " + json.dumps([[ADD_1], [], [NEG_1]]).encode()))
    samples = open_samples(path, enamel_suite)
    assert _texts(samples, "add") == [ADD_1]
    assert _texts(samples, "neg") == [NEG_1]


def test_enamel_layout_task_with_no_programs_is_absent(tmp_path: Path, enamel_suite: Suite) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps([[ADD_1], [], []]))
    samples = open_samples(path, enamel_suite)
    assert list(samples.by_task) == ["add"]


@pytest.mark.parametrize("lists", [[[ADD_1], [NEG_1]], [[ADD_1], [], [NEG_1], []], []])
def test_enamel_layout_of_the_wrong_length(tmp_path: Path, enamel_suite: Suite, lists: list[object]) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(lists))
    with pytest.raises(InvalidArgument) as info:
        open_samples(path, enamel_suite)
    assert str(path) in str(info.value)
    assert f"a list of 3 per-task lists, got {len(lists)}" in str(info.value)


def test_enamel_layout_item_that_is_not_a_list_of_strings(tmp_path: Path, enamel_suite: Suite) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps([[ADD_1], [], [1, 2]]))
    with pytest.raises(InvalidArgument, match=r"item 2 \(neg\) must be a list of program strings"):
        open_samples(path, enamel_suite)


def test_enamel_layout_that_is_not_json(tmp_path: Path, enamel_suite: Suite) -> None:
    path = tmp_path / "samples.json"
    path.write_text('[["x"],\n [}')
    with pytest.raises(InvalidArgument, match=re.escape(f"{path}:2: not valid JSON")):
        open_samples(path, enamel_suite)


def test_enamel_layout_needs_a_task_order(tmp_path: Path, suite: Suite) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps([[ADD_1], [NEG_1]]))
    with pytest.raises(InvalidArgument, match="needs a suite with a task order"):
        open_samples(path, suite)
