"""EvalPlus HumanEval+/MBPP+ files as suites, and EvalPlus's output comparison re-implemented."""

from __future__ import annotations

import copy
import gzip
import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from effilab.check.rules import CheckerRule
from effilab.errors import InvalidArgument
from effilab.sandbox import Limits, OutputDigest, Verdict, Worker
from effilab.suites.evalplus import (
    WRAPPER_ENTRY,
    EvalPlusRule,
    completion_program,
    load_evalplus,
    outputs_match,
)
from effilab.suites.model import CHECKER_ENTRY, Level, Problem

try:  # only the differential test needs numpy (EvalPlus's own dependency)
    import numpy
except ImportError:  # pragma: no cover - numpy is optional
    numpy = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared" / "data" / "evalplus"
HUMANEVAL_PLUS = SHARED / "HumanEvalPlus.jsonl.gz"
MBPP_PLUS = SHARED / "MbppPlus.jsonl.gz"
needs_real_data = pytest.mark.skipif(not HUMANEVAL_PLUS.is_file(), reason=f"no EvalPlus data in {SHARED}")

HUMANEVAL_RECORDS: list[dict[str, Any]] = [
    {
        "task_id": "HumanEval/0",
        "prompt": "def add(a, b):\n    '''Sum.'''\n",
        "entry_point": "add",
        "canonical_solution": "    return a + b\n",
        "test": "def check(candidate):\n    assert candidate(1, 2) == 3\n",
        "contract": "",
        "base_input": [[1, 2], [[1], [2]]],
        "atol": 0,
        "plus_input": [[0.5, 0.25]],
    },
    {
        "task_id": "HumanEval/32",
        "prompt": (
            "import math\n\n\ndef poly(xs, x):\n"
            "    return sum([coeff * math.pow(x, i) for i, coeff in enumerate(xs)])\n\n\n"
            "def find_zero(xs):\n    '''A zero of the polynomial.'''\n"
        ),
        "entry_point": "find_zero",
        "canonical_solution": "    return -xs[0] / xs[1]\n",
        "base_input": [[[1, 2]]],
        "atol": 0.0001,
        "plus_input": [[[-3, 1]]],
    },
]

MBPP_RECORDS: list[dict[str, Any]] = [
    {
        "task_id": "Mbpp/2",
        "prompt": '"""\nWrite a function to find the shared elements from the given two lists.\n"""\n',
        "entry_point": "similar_elements",
        "canonical_solution": "\ndef similar_elements(a, b):\n  return tuple(set(a) & set(b))\n",
        "base_input": [[[3, 4, 5, 6], [5, 7, 4, 10]]],
        "atol": 0,
        "plus_input": [[[], []]],
        "contract": "",
        "assertion": "",
    },
    {
        "task_id": "Mbpp/124",
        "prompt": '"""\nAngle of a complex number.\n"""\n',
        "entry_point": "angle_complex",
        "canonical_solution": "\nimport cmath\ndef angle_complex(a, b):\n  return cmath.phase(a + b)\n",
        "base_input": [[0, "1j"]],
        "atol": 0.0001,
        "plus_input": {},
    },
    {
        "task_id": "Mbpp/580",
        "prompt": '"""\nEven elements of a nested tuple.\n"""\n',
        "entry_point": "extract_even",
        "canonical_solution": "\ndef extract_even(t):\n  return t\n",
        "base_input": [[[4, [5, 7, [6, 2]], 6, 8]]],
        "atol": 0,
        "plus_input": [],
    },
    {
        "task_id": "Mbpp/737",
        "prompt": '"""\nDoes the string start with a vowel?\n"""\n',
        "entry_point": "check_str",
        "canonical_solution": "\nimport re\ndef check_str(s):\n  return re.search('^[aeiou]', s)\n",
        "base_input": [["apple"], ["dog"]],
        "atol": 0,
        "plus_input": [],
    },
]


def write_jsonl(path: Path, records: list[dict[str, Any]], *, compress: bool = False) -> Path:
    data = "".join(json.dumps(record) + "\n" for record in records).encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def run_program(problem: Problem, source: str) -> Callable[..., Any]:
    """The entry of ``problem.program(source)``, executed here (test code only: these programs are ours)."""
    program = problem.program(source)
    namespace: dict[str, Any] = {}
    exec(compile(program.source, program.filename, "exec"), namespace)
    function: Callable[..., Any] = namespace[program.entry]
    return function


def checker_function(rule: object) -> Callable[[tuple[object, ...], object, object], bool]:
    assert isinstance(rule, CheckerRule)
    namespace: dict[str, Any] = {}
    exec(compile(rule.program.source, rule.program.filename, "exec"), namespace)
    function: Callable[[tuple[object, ...], object, object], bool] = namespace[CHECKER_ENTRY]
    return function


# ------------------------------------------------------------------------------------------------- loading


@pytest.mark.parametrize("compress", [False, True])
def test_a_humaneval_file_becomes_correctness_only_problems(tmp_path: Path, compress: bool) -> None:
    path = write_jsonl(tmp_path / "he.jsonl", HUMANEVAL_RECORDS, compress=compress)
    suite = load_evalplus(str(path))
    assert suite.name == "humaneval+"
    assert suite.source == f"evalplus:{path}"
    assert suite.task_order == ("HumanEval/0", "HumanEval/32")
    problem = suite.problems[0]
    assert problem.id == "HumanEval/0"
    assert problem.entry == "add"
    assert problem.levels == (Level(size=0, tests=0, weight=0.0),)
    assert not problem.timed
    assert problem.time_limit_s is None
    assert problem.program_prefix == ""
    assert [ref.name for ref in problem.references] == ["canonical"]
    assert problem.oracle.source == (HUMANEVAL_RECORDS[0]["prompt"] + "    return a + b\n").encode()
    # base inputs first, then plus inputs; nested JSON lists stay lists, as EvalPlus passes them
    assert [(case.level, case.case, case.args) for case in problem.fixed] == [
        (0, 0, (1, 2)),
        (0, 1, ([1], [2])),
        (0, 2, (0.5, 0.25)),
    ]
    assert not any(case.has_expected for case in problem.fixed)
    assert problem.rule == EvalPlusRule(0.0)
    assert problem.metadata["base_tests"] == 2
    assert problem.metadata["plus_tests"] == 1
    assert run_program(problem, completion_program(problem, "    return a + b\n"))(2, 3) == 5


def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(tmp_path: Path) -> None:
    hidden = write_jsonl(tmp_path / "plain-name.jsonl", HUMANEVAL_RECORDS, compress=True)
    misnamed = write_jsonl(tmp_path / "not-really.jsonl.gz", HUMANEVAL_RECORDS)
    assert len(load_evalplus(str(hidden))) == len(load_evalplus(str(misnamed))) == 2


def test_the_fingerprint_follows_the_file_bytes(tmp_path: Path) -> None:
    first = load_evalplus(str(write_jsonl(tmp_path / "a.jsonl", HUMANEVAL_RECORDS)))
    again = load_evalplus(str(write_jsonl(tmp_path / "b.jsonl", HUMANEVAL_RECORDS)))
    changed = [dict(HUMANEVAL_RECORDS[0], atol=1e-6), HUMANEVAL_RECORDS[1]]
    other = load_evalplus(str(write_jsonl(tmp_path / "c.jsonl", changed)))
    assert first.fingerprint == again.fingerprint != other.fingerprint


def test_find_zero_is_judged_by_a_checker_on_the_polynomial(tmp_path: Path) -> None:
    suite = load_evalplus(str(write_jsonl(tmp_path / "he.jsonl", HUMANEVAL_RECORDS)))
    problem = suite.problems[1]
    check = checker_function(problem.rule)
    assert check(([1, 2],), 123.0, -0.5) is True  # the expected output plays no part
    assert check(([1, 2],), -0.5, -0.50001) is True  # |poly| = 2e-5 <= atol 1e-4
    assert check(([1, 2],), -0.5, -0.51) is False
    assert check(([1, 2],), -0.5, math.nan) is False
    assert check(([1, 2],), -0.5, "x") is False
    assert check(([1, 2],), -0.5, [0.5]) is False


def test_mbpp_inputs_get_evalplus_type_restoration(tmp_path: Path) -> None:
    suite = load_evalplus(str(write_jsonl(tmp_path / "mbpp.jsonl.gz", MBPP_RECORDS, compress=True)))
    assert suite.name == "mbpp+"
    similar, angle, nested, vowel = suite.problems
    assert similar.fixed[0].args == ((3, 4, 5, 6), (5, 7, 4, 10))
    assert type(similar.fixed[0].args[0]) is tuple
    assert similar.rule == EvalPlusRule(0.0, "set")
    assert [case.args for case in angle.fixed] == [(0.0, 1j)]  # plus_input {} means no plus tests
    assert type(angle.fixed[0].args[0]) is float
    assert nested.fixed[0].args == ((4, (5, 7, (6, 2)), 6, 8),)
    # MBPP+ references are prompt (a docstring) + a whole program, as EvalPlus runs them
    assert similar.oracle.source.decode().startswith('"""\nWrite a function')
    assert vowel.entry == WRAPPER_ENTRY
    assert vowel.metadata["entry_point"] == "check_str"


def test_mbpp_outputs_that_cannot_leave_the_sandbox_are_mapped_like_evalplus(tmp_path: Path) -> None:
    suite = load_evalplus(str(write_jsonl(tmp_path / "mbpp.jsonl", MBPP_RECORDS)))
    vowel = suite.problems[3]
    reference = run_program(vowel, vowel.oracle.source.decode())
    assert [reference(*case.args) for case in vowel.fixed] == [True, False]  # re.Match / None -> not None
    as_bool = run_program(vowel, "def check_str(s):\n    return s[0] in 'aeiou'\n")
    assert as_bool("dog") is False  # a bool is compared as it is
    counter = dict(MBPP_RECORDS[0], task_id="Mbpp/88", entry_point="freq_count", plus_input=[])
    counter["canonical_solution"] = (
        "\nimport collections\ndef freq_count(xs):\n  return collections.Counter(xs)\n"
    )
    counter["base_input"] = [[[1, 1, 2]]]
    problem = load_evalplus(str(write_jsonl(tmp_path / "counter.jsonl", [counter]))).problems[0]
    value = run_program(problem, problem.oracle.source.decode())([1, 1, 2])
    assert type(value) is dict
    assert value == {1: 2, 2: 1}


def test_mbpp_special_oracles_with_helper_code_are_checkers(tmp_path: Path) -> None:
    base = {**MBPP_RECORDS[0], "plus_input": [], "atol": 0}
    records = [
        {**base, "task_id": "Mbpp/581", "entry_point": "surface_Area", "base_input": [[3, 4]]},
        {**base, "task_id": "Mbpp/558", "entry_point": "digit_distance_nums", "base_input": [[1, 23]]},
    ]
    area, digits = load_evalplus(str(write_jsonl(tmp_path / "mbpp.jsonl", records))).problems
    check_area = checker_function(area.rule)
    # canonical 2*b*s + b**2 = 33; the alternative reading (s is the height) rounds to 35
    assert check_area((3, 4), 33, 33) is True
    assert check_area((3, 4), 33, 35) is True
    assert check_area((3, 4), 33, 34) is False
    assert check_area((3, 4), 33, None) is False
    check_digits = checker_function(digits.rule)
    # canonical zips '1' with '23' -> 1; zero-padded '01' vs '23' -> 4
    assert check_digits((1, 23), 1, 1) is True
    assert check_digits((1, 23), 1, 4) is True
    assert check_digits((1, 23), 1, 2) is False
    assert check_digits((-1, 23), 5, 4) is False  # the alternative raises on '-': a failure, not an error


def test_completion_records_are_prompt_plus_completion(tmp_path: Path) -> None:
    problem = load_evalplus(str(write_jsonl(tmp_path / "he.jsonl", HUMANEVAL_RECORDS))).problems[0]
    assert completion_program(problem, "    return 0\n") == HUMANEVAL_RECORDS[0]["prompt"] + "    return 0\n"


# ------------------------------------------------------------------------------------------------- errors


def test_malformed_lines_name_the_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps(HUMANEVAL_RECORDS[0])
    path.write_text(good + "\n\n{not json\n")
    with pytest.raises(InvalidArgument, match=rf"{path}:3: not valid JSON"):
        load_evalplus(str(path))

    cases: list[tuple[dict[str, Any], str]] = [
        ({"entry_point": None}, "field 'entry_point' is missing"),
        ({"entry_point": "not an identifier"}, "field 'entry_point'"),
        ({"canonical_solution": 3}, "field 'canonical_solution'"),
        ({"atol": -1}, "field 'atol'"),
        ({"atol": "0"}, "field 'atol'"),
        ({"base_input": "[[1, 2]]"}, "field 'base_input'"),
        ({"plus_input": [[1, 2], 3]}, r"field 'plus_input'\[1\]"),
        ({"task_id": "Other/1"}, "field 'task_id'"),
        ({"task_id": ""}, "field 'task_id'"),
    ]
    for change, message in cases:
        record = {
            key: value for key, value in {**HUMANEVAL_RECORDS[0], **change}.items() if value is not None
        }
        write_jsonl(path, [HUMANEVAL_RECORDS[1], record])
        with pytest.raises(InvalidArgument, match=rf"{path}:2: {message}"):
            load_evalplus(str(path))


def test_suite_level_mistakes_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, [HUMANEVAL_RECORDS[0], HUMANEVAL_RECORDS[0]])
    with pytest.raises(InvalidArgument, match=r":2: field 'task_id'='HumanEval/0' repeats line 1"):
        load_evalplus(str(path))
    write_jsonl(path, [HUMANEVAL_RECORDS[0], MBPP_RECORDS[0]])
    with pytest.raises(InvalidArgument, match=r":2: .*HumanEval and MBPP"):
        load_evalplus(str(path))
    path.write_text("\n \n")
    with pytest.raises(InvalidArgument, match="no records"):
        load_evalplus(str(path))
    path.write_text("[1, 2]\n")
    with pytest.raises(InvalidArgument, match=r":1: each line must be a JSON object"):
        load_evalplus(str(path))
    bad_mbpp = {**MBPP_RECORDS[1], "base_input": [[0, "not a complex"]]}
    write_jsonl(path, [bad_mbpp])
    with pytest.raises(InvalidArgument, match=r":1: field 'base_input'\[0\]: not the shape EvalPlus expects"):
        load_evalplus(str(path))


def test_undecodable_files_are_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps(HUMANEVAL_RECORDS[0]).encode().replace(b"Sum", b"S\xfcm"))
    with pytest.raises(InvalidArgument, match="not UTF-8"):
        load_evalplus(str(latin))
    latin_gz = tmp_path / "latin.jsonl.gz"
    latin_gz.write_bytes(gzip.compress(latin.read_bytes()))
    with pytest.raises(InvalidArgument, match=r"not UTF-8.*after decompression"):
        load_evalplus(str(latin_gz))
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(gzip.compress(b'{"task_id": "HumanEval/0"}\n' * 50)[:30])
    with pytest.raises(InvalidArgument, match="does not decompress"):
        load_evalplus(str(truncated))
    with pytest.raises(InvalidArgument, match="missing"):
        load_evalplus(str(tmp_path / "absent.jsonl"))


# ------------------------------------------------------------------------------------------------- the rule

NAN = math.nan
INF = math.inf

RULE_CASES: list[tuple[float, object, object, bool]] = [
    # (atol, expected, output, passes)
    (0, 1, 1, True),
    (0, 1, 1.0, True),  # Python ==: ints and floats
    (0, 1.0, 1, True),
    (0, 1.5, 1, False),  # not ==, and the allclose path needs the same type
    (0, 1, True, True),  # True == 1
    (0, 2.0, True, False),
    (0, [1, 2], (1, 2), False),  # a tuple is not a list, at any depth
    (0, [(1, 2)], [[1, 2]], False),
    (0, [[1, 2]], [[1, 2.0]], True),
    (0, 0.1 + 0.2, 0.3, True),  # float expected: atol 1e-6 is enforced
    (0, 1.0, 1.000001, True),  # |d| = 1e-6 <= 1e-6 + 1e-7
    (0, 1.0, 1.00001, False),
    (0, 1e20, 1e20 * (1 + 5e-8), True),  # rtol 1e-7 of the expected
    (0, [1.0, 2.0], [1.0000001, 2.0], True),  # a list of floats
    (0, (1.0, 2.0), (1.0000001, 2.0), True),
    (0, (1.0, 2.0), [1.0, 2.0], False),
    (0, [1.0, 2], [1.0000001, 2], False),  # not *all* floats: exact comparison
    (0, [[1.0]], [[1.0000001]], False),  # nested floats are not "floats" either
    (0, NAN, float("nan"), False),  # nan never matches (decoded values are distinct objects)
    (0, [NAN], [float("nan")], False),
    (0, INF, INF, True),
    (0, INF, -INF, False),
    (0, INF, 1e308, False),
    (0, "a", "a", True),
    (0, "a", "b", False),
    (0, None, None, True),
    (0, {1: 2.0}, {1: 2.0000001}, False),
    (0, [], [], True),
    (0, 1 + 1j, 1 + 1j, True),
    (1e-4, 3, 3.00001, False),  # types differ
    (1e-4, 3, 4, False),
    (1e-4, [1, 2], [1, 2.00001], True),  # a task atol makes any list allclose-comparable
    (1e-4, [1, 2], [1, 2.001], False),
    (1e-4, [[1.0, 2.0]], [[1.00001, 2.0]], True),
    (1e-4, [[2.0, 2.0]], [[2.00001]], True),  # numpy broadcasting, as EvalPlus gets it
    (1e-4, [[1.0, 2.0]], [[1.00001]], False),
    (1e-4, [[1.0, 2.0]], [[1.0, 2.0, 3.0]], False),  # shapes do not broadcast
    (1e-4, [[1.0], [2.0, 3.0]], [[1.0], [2.0, 3.00001]], False),  # ragged: numpy raises
    (1e-4, (1.0, "a"), (1.00001, "a"), False),  # text: numpy raises
    (1e-4, {1: 2.0}, {1: 2.00001}, False),
    (1e-4, 1 + 1j, 1.00001 + 1j, True),
    (1e-4, [1.0, NAN], [1.0, float("nan")], False),
    (1e-4, [INF, 1.0], [INF, 1.00001], True),
    (1e-4, 10**400, 10**400 + 1, False),  # beyond float64: numpy raises
]


@pytest.mark.parametrize(("atol", "expected", "output", "passes"), RULE_CASES)
def test_the_rule_compares_like_evalplus(atol: float, expected: object, output: object, passes: bool) -> None:
    assert EvalPlusRule(atol).check((), expected, output) is passes
    assert outputs_match(expected, output, atol) is passes


def test_special_oracles_in_the_rule() -> None:
    set_rule = EvalPlusRule(0, "set")
    assert set_rule.check((), (4, 5), [5, 4, 4])
    assert not set_rule.check((), (4, 5), [4])
    assert not set_rule.check((), (4, 5), [[4]])  # unhashable: an error, so a failure
    assert not set_rule.check((), (4, 5), None)
    assert EvalPlusRule(0, "always").check((), True, "anything")
    zero = EvalPlusRule(0, "or-zero")
    assert zero.check((), 5, 0)
    assert zero.check((), 5, 5)
    assert not zero.check((), 5, 1)
    assert EvalPlusRule(1e-4, "set").describe() == "evalplus (atol=0.0001, oracle=set)"


def test_the_rule_validates_its_fields() -> None:
    for atol in (-1.0, math.nan, math.inf, True):
        with pytest.raises(InvalidArgument, match="atol"):
            EvalPlusRule(atol)
    with pytest.raises(InvalidArgument, match="oracle"):
        EvalPlusRule(0, "fuzzy")


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
atols = st.sampled_from([0.0, 1e-6, 1e-4, 0.01])
leaves = st.one_of(st.integers(), finite, st.text(max_size=3), st.booleans(), st.none())
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=2), inner, max_size=3),
    ),
    max_leaves=12,
)


@given(values, atols)
def test_every_nan_free_value_matches_a_copy_of_itself(value: object, atol: float) -> None:
    assert EvalPlusRule(atol).check((), value, copy.deepcopy(value))


@given(finite, atols, st.floats(min_value=-0.5, max_value=0.5))
def test_floats_within_the_tolerance_match(expected: float, atol: float, fraction: float) -> None:
    tolerance = max(atol, 1e-6)  # float expected: 1e-6 is enforced when the task has none
    assert EvalPlusRule(atol).check((), expected, expected + fraction * tolerance)
    assert EvalPlusRule(atol).check((), [expected, 1.0], [expected + fraction * tolerance, 1.0])


@given(finite, atols, st.floats(min_value=2.0, max_value=1e3), st.sampled_from([-1.0, 1.0]))
def test_floats_beyond_the_tolerance_do_not_match(
    expected: float, atol: float, factor: float, sign: float
) -> None:
    tolerance = max(atol, 1e-6) + 1e-7 * abs(expected)
    assert not EvalPlusRule(atol).check((), expected, expected + sign * factor * tolerance)


@given(st.integers(min_value=-(2**50), max_value=2**50), atols)  # where x + 0.5 is exact
def test_an_int_matches_its_float_but_not_a_nearby_float(number: int, atol: float) -> None:
    assert EvalPlusRule(atol).check((), number, float(number)) is (float(number) == number)
    assert not EvalPlusRule(atol).check((), number, number + 0.5)


@given(st.lists(finite, min_size=1, max_size=4), atols, st.integers(min_value=0, max_value=3))
def test_nan_anywhere_in_the_expected_floats_never_matches(floats: list[float], atol: float, at: int) -> None:
    output = list(floats)
    floats[at % len(floats)] = math.nan
    output[at % len(floats)] = float("nan")  # a distinct object, as decoded values always are
    assert not EvalPlusRule(atol).check((), floats, output)
    assert not EvalPlusRule(atol).check((), math.nan, float("nan"))


def _evalplus_with_numpy(expected: object, output: object, atol: float) -> bool:
    """EvalPlus's check as it runs there, with numpy: the reference for the re-implementation."""
    try:
        exact_match = output == expected
        floats = isinstance(expected, float) or (
            isinstance(expected, list | tuple)
            and bool(expected)
            and all(isinstance(x, float) for x in expected)
        )
        if atol == 0 and floats:
            atol = 1e-6
        if not exact_match and atol != 0:
            assert type(output) is type(expected)
            if isinstance(expected, list | tuple):
                assert len(output) == len(expected)  # type: ignore[arg-type]
            assert numpy.allclose(output, expected, rtol=1e-07, atol=atol)  # type: ignore[arg-type]
        else:
            assert exact_match
        return True
    except BaseException:
        return False


numbers = st.one_of(
    st.floats(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.booleans(),
    st.sampled_from([0.0, -0.0, 1.0, 1.0000001, 1e-7, math.inf, 2**63, 2**70, 10**400]),
    st.complex_numbers(max_magnitude=1e6, allow_nan=False),
)
loose_values: st.SearchStrategy[object] = st.recursive(
    st.one_of(numbers, st.text(max_size=2), st.none(), st.just({})),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple)),
    max_leaves=8,
)


def _near(draw: st.DrawFn, value: object) -> object:
    """``value`` with small numeric changes, so outputs often sit near the expected one."""
    if isinstance(value, float):
        changes = [value, value + 1e-9, value * (1 + 1e-8), value + 1e-5]
        return draw(st.sampled_from(changes))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53:
        return draw(st.sampled_from([value, float(value), value + 1]))
    if isinstance(value, list):
        return [_near(draw, item) for item in value]
    if isinstance(value, tuple):
        return tuple(_near(draw, item) for item in value)
    return value


@st.composite
def expected_and_output(draw: st.DrawFn) -> tuple[object, object]:
    expected = draw(loose_values)
    near = _near(draw, expected)
    output = draw(st.one_of(st.just(near), loose_values, st.just([near])))
    return expected, output


@pytest.mark.skipif(numpy is None, reason="numpy is not installed")
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expected_and_output(), atols)
def test_the_rule_agrees_with_evalplus_running_numpy(pair: tuple[object, object], atol: float) -> None:
    expected, output = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's overflow/invalid warnings on extreme values
        reference = _evalplus_with_numpy(expected, output, atol)
    assert EvalPlusRule(atol).check((), expected, output) is reference


@settings(max_examples=200, deadline=None)
@given(expected_and_output(), atols)
def test_checker_modules_carry_the_same_comparison(pair: tuple[object, object], atol: float) -> None:
    record = {**MBPP_RECORDS[0], "task_id": "Mbpp/581", "entry_point": "surface_Area", "atol": atol}
    problem = _load_one(record)
    assert isinstance(problem.rule, CheckerRule)
    namespace: dict[str, Any] = {}
    exec(compile(problem.rule.program.source, "checker.py", "exec"), namespace)
    expected, output = pair
    copied = namespace["_evalplus_match"](expected, output, atol, _equal(expected, output))
    assert copied is EvalPlusRule(atol).check((), expected, output)


def _equal(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


_LOADED: dict[str, Problem] = {}


def _load_one(record: dict[str, Any]) -> Problem:
    """One problem from one record (cached per atol: hypothesis calls this many times)."""
    key = json.dumps(record, sort_keys=True)
    if key not in _LOADED:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            _LOADED[key] = load_evalplus(str(write_jsonl(Path(folder) / "one.jsonl", [record]))).problems[0]
    return _LOADED[key]


# ------------------------------------------------------------------------------------------------- real files


@needs_real_data
def test_the_real_files_load_with_every_task() -> None:
    humaneval = load_evalplus(str(HUMANEVAL_PLUS))
    mbpp = load_evalplus(str(MBPP_PLUS))
    assert (humaneval.name, len(humaneval), len(humaneval.task_order)) == ("humaneval+", 164, 164)
    assert (mbpp.name, len(mbpp), len(mbpp.task_order)) == ("mbpp+", 378, 378)
    assert humaneval.task_order[:2] == ("HumanEval/0", "HumanEval/1")
    assert all(problem.fixed for problem in humaneval)
    find_zero = humaneval.get("HumanEval/32")
    assert find_zero is not None
    assert isinstance(find_zero.rule, CheckerRule)
    assert humaneval.get("HumanEval/2").rule == EvalPlusRule(1e-6)  # type: ignore[union-attr]


SANDBOX_TASKS = [
    ("HumanEval", "HumanEval/0"),
    ("HumanEval", "HumanEval/2"),  # floats with atol 1e-6
    ("HumanEval", "HumanEval/32"),  # find_zero: a checker
    ("Mbpp", "Mbpp/2"),  # set oracle, tuple inputs
    ("Mbpp", "Mbpp/88"),  # Counter output, mapped to a dict
    ("Mbpp", "Mbpp/124"),  # float and complex inputs
    ("Mbpp", "Mbpp/581"),  # checker with the comparison copied in
    ("Mbpp", "Mbpp/737"),  # re.Match output, mapped to "is not None"
]
_REAL: dict[str, Any] = {}


def _real_suite(dataset: str) -> Any:
    if dataset not in _REAL:
        _REAL[dataset] = load_evalplus(str(HUMANEVAL_PLUS if dataset == "HumanEval" else MBPP_PLUS))
    return _REAL[dataset]


@needs_real_data
@pytest.mark.parametrize(("dataset", "task_id"), SANDBOX_TASKS, ids=[task for _, task in SANDBOX_TASKS])
def test_canonical_solutions_pass_their_own_tests_in_the_sandbox(dataset: str, task_id: str) -> None:
    problem: Problem = _real_suite(dataset).get(task_id)
    program = problem.reference_program(problem.oracle)
    with Worker(limits=Limits(timeout_s=20.0)) as worker:
        load = worker.load(program.source, entry=program.entry, filename=program.filename)
        assert load.verdict is Verdict.OK, load
        outputs = []
        for case in problem.fixed:
            result = worker.call(list(case.args))
            assert result.verdict is Verdict.OK, (case.case, result.error)
            outputs.append(result.value)
    if not isinstance(problem.rule, CheckerRule):
        assert all(
            problem.rule.check(case.args, out, out) for case, out in zip(problem.fixed, outputs, strict=True)
        )
        return
    with Worker(limits=Limits(timeout_s=20.0)) as checker:
        load = checker.load(
            problem.rule.program.source, entry=CHECKER_ENTRY, filename=problem.rule.program.filename
        )
        assert load.verdict is Verdict.OK, load
        for case, out in zip(problem.fixed, outputs, strict=True):
            verdict = checker.call([case.args, out, out])
            assert verdict.verdict is Verdict.OK, verdict.error
            assert verdict.value is True, (case.case, out)
        if task_id == "HumanEval/32":  # and a wrong root is caught
            wrong_root = float(outputs[0]) + 1.0  # type: ignore[arg-type]
            wrong = checker.call([problem.fixed[0].args, outputs[0], wrong_root])
            assert wrong.value is False


# ------------------------------------------------------------------------------------------- streamed outputs

_DIGEST = OutputDigest("ab" * 32, 10_000_000)


def test_the_rule_judges_a_streamed_output_by_digest_where_evalplus_compares_with_eq() -> None:
    same = OutputDigest(_DIGEST.sha256, _DIGEST.size)
    other = OutputDigest("cd" * 32, _DIGEST.size)
    assert EvalPlusRule(0.0).check_digests(_DIGEST, same) is True
    assert EvalPlusRule(0.0).check_digests(_DIGEST, other) is False
    assert EvalPlusRule(0.0).check_digests(_DIGEST, None) is False
    assert EvalPlusRule(0.0, "always").check_digests(_DIGEST, other) is True
    assert EvalPlusRule(0.0, "or-zero").check_digests(_DIGEST, 0) is True
    assert EvalPlusRule(0.0, "or-zero").check_digests(_DIGEST, 1) is False
    # A tolerance or the set oracle accept other values than the expected one: digests cannot tell.
    assert EvalPlusRule(1e-6).check_digests(_DIGEST, same) is None
    assert EvalPlusRule(0.0, "set").check_digests(_DIGEST, same) is None
