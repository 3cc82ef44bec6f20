"""EvalPerf files as suites: performance-exercising inputs at the timed level, references slowest first."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from effilab.errors import InvalidArgument
from effilab.sandbox import Limits, Verdict, Worker
from effilab.suites.evalperf import TIMED_LEVEL, load_evalperf
from effilab.suites.evalplus import EvalPlusRule
from effilab.suites.model import Level

# The records of the evalplus/evalperf dataset: pe_input is a JSON *string* holding a list of inputs.
RECORDS: list[dict[str, Any]] = [
    {
        "task_id": "HumanEval/53",
        "entry_point": "add",
        "prompt": "def add(x: int, y: int):\n    '''Add two numbers x and y.'''\n",
        "reference": [
            "def add(x, y):\n    total = x\n    for _ in range(y):\n        total += 1\n    return total\n",
            "def add(x, y):\n    return sum([x, y])\n",
            "def add(x, y):\n    return x + y\n",
        ],
        "scores": [25.0, 60.0, 100.0],
        "pe_input": json.dumps([[3, 20000]]),
    },
    {
        "task_id": "Mbpp/2",
        "entry_point": "similar_elements",
        "prompt": '"""\nWrite a function to find the shared elements from the given two lists.\n"""\n',
        "reference": [
            "def similar_elements(a, b):\n    return tuple(x for x in set(a) if x in list(b))\n",
            "def similar_elements(a, b):\n    return tuple(set(a) & set(b))\n",
        ],
        "scores": [40.5, 100.0],
        "pe_input": json.dumps([[list(range(0, 3000, 3)), list(range(0, 3000, 2))]]),
    },
]


def write_jsonl(path: Path, records: list[dict[str, Any]], *, compress: bool = False) -> Path:
    data = "".join(json.dumps(record) + "\n" for record in records).encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_an_evalperf_file_becomes_timed_problems(tmp_path: Path, compress: bool) -> None:
    path = write_jsonl(tmp_path / "evalperf.jsonl", RECORDS, compress=compress)
    suite = load_evalperf(str(path))
    assert suite.name == "evalperf"
    assert suite.source == f"evalperf:{path}"
    assert suite.task_order == ("HumanEval/53", "Mbpp/2")
    add = suite.problems[0]
    assert add.levels == (Level(size=0, tests=0, weight=0.0), Level(size=0, tests=0, weight=1.0))
    assert [(case.level, case.case, case.args) for case in add.fixed] == [(TIMED_LEVEL, 0, (3, 20000))]
    assert [ref.name for ref in add.references] == ["ref0", "ref1", "ref2"]
    assert add.oracle.source == RECORDS[0]["reference"][2].encode()  # the fastest is the oracle
    assert add.reference_scores == (25.0, 60.0, 100.0)
    assert add.rule == EvalPlusRule(0.0)
    assert add.entry == "add"
    assert add.program_prefix == ""
    assert add.prompt == RECORDS[0]["prompt"]


def test_pe_input_may_be_a_json_string_or_a_list(tmp_path: Path) -> None:
    decoded = [{**RECORDS[0], "pe_input": [[1, 2], [3, 4]]}]
    problem = load_evalperf(str(write_jsonl(tmp_path / "list.jsonl", decoded))).problems[0]
    assert [case.args for case in problem.fixed] == [(1, 2), (3, 4)]
    assert [case.case for case in problem.fixed] == [0, 1]


def test_mbpp_pe_inputs_get_evalplus_type_restoration(tmp_path: Path) -> None:
    problem = load_evalperf(str(write_jsonl(tmp_path / "perf.jsonl", RECORDS))).problems[1]
    first, second = problem.fixed[0].args
    assert type(first) is tuple
    assert type(second) is tuple
    assert problem.rule == EvalPlusRule(0.0, "set")  # Mbpp/2 keeps EvalPlus's set oracle


def test_the_fingerprint_follows_the_file_bytes(tmp_path: Path) -> None:
    one = load_evalperf(str(write_jsonl(tmp_path / "a.jsonl", RECORDS)))
    same = load_evalperf(str(write_jsonl(tmp_path / "b.jsonl", RECORDS)))
    other = load_evalperf(str(write_jsonl(tmp_path / "c.jsonl", RECORDS[:1])))
    assert one.fingerprint == same.fingerprint != other.fingerprint


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scores": [1.0, 2.0]}, "field 'scores' has 2 entries for 3 references"),
        ({"scores": [1.0, "2", 3.0]}, r"field 'scores'\[1\]"),
        ({"reference": []}, "field 'reference'"),
        ({"reference": ["def add(x, y): ...", 3, ""]}, r"field 'reference'\[1\]"),
        ({"pe_input": "[[1, 2]"}, "field 'pe_input' is not valid JSON"),
        ({"pe_input": "[]"}, "field 'pe_input' holds no input"),
        ({"pe_input": "[1, 2]"}, r"field 'pe_input'\[0\]"),
        ({"pe_input": None}, "field 'pe_input' is missing"),
        ({"entry_point": "add two"}, "field 'entry_point'"),
        ({"task_id": "Perf/1"}, "field 'task_id'"),
        ({"atol": -0.5}, "field 'atol'"),
    ],
)
def test_malformed_records_name_the_file_line_and_field(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    record = {key: value for key, value in {**RECORDS[0], **change}.items() if value is not None}
    path = write_jsonl(tmp_path / "bad.jsonl", [RECORDS[1], record])
    with pytest.raises(InvalidArgument, match=rf"{path}:2: {message}"):
        load_evalperf(str(path))


def test_undecodable_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"task_id": "HumanEval/53\xff"}\n')
    with pytest.raises(InvalidArgument, match="not UTF-8"):
        load_evalperf(str(path))


def test_every_reference_agrees_with_the_oracle_in_the_sandbox(tmp_path: Path) -> None:
    suite = load_evalperf(str(write_jsonl(tmp_path / "perf.jsonl", RECORDS)))
    for problem in suite:
        outputs: dict[str, list[object]] = {}
        for reference in problem.references:
            program = problem.reference_program(reference)
            with Worker(limits=Limits(timeout_s=20.0)) as worker:
                load = worker.load(program.source, entry=program.entry, filename=program.filename)
                assert load.verdict is Verdict.OK, load
                results = [worker.call(list(case.args)) for case in problem.fixed]
            assert all(result.verdict is Verdict.OK for result in results), results
            outputs[reference.name] = [result.value for result in results]
        expected = outputs[problem.oracle.name]
        for name, values in outputs.items():
            for case, value, wanted in zip(problem.fixed, values, expected, strict=True):
                assert problem.rule.check(case.args, wanted, value), (problem.id, name)
