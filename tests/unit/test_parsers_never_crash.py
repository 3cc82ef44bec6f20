"""Property tests: whatever bytes or values a user gives, effilab's readers and argument parsers either
accept them or raise :class:`InvalidArgument` (a one-line error on the command line) — never anything else.

Covered: sample files (JSONL, gzip, ENAMEL's list layout), suite folders (problem.toml, suite.toml,
tests.jsonl), EvalPlus/EvalPerf JSONL and ENAMEL csv adapters, the command line's own parsers, and the
API's argument checks (which run before any file is opened).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from effilab import api
from effilab.cli import evaluate_cmd, exec_cmd, scale_cmd
from effilab.cli.main import UsageError, build_parser
from effilab.errors import InvalidArgument
from effilab.evaluate.samples import open_samples
from effilab.suites import load_suite
from effilab.suites.model import Suite

MINI = Path(__file__).resolve().parents[1] / "data" / "suites" / "mini"
SUITE: Suite = load_suite(str(MINI))
TASKS = ["count-distinct", "topo-order", "unknown-task", ""]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------------------------- building blocks

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Text that broke parsers before: deep nesting, over-long integers, truncation, junk."""
    kind = draw(st.sampled_from(["deep", "digits", "truncated", "junk", "json"]))
    if kind == "deep":
        depth = draw(st.integers(min_value=900, max_value=20_000))
        opener = draw(st.sampled_from(["[", '{"a":']))
        return opener * depth
    if kind == "digits":
        return "[" + "9" * draw(st.integers(min_value=4000, max_value=6000)) + "]"
    text = json.dumps(draw(json_value))
    if kind == "truncated":
        return text[: draw(st.integers(min_value=0, max_value=len(text)))]
    if kind == "junk":
        return draw(st.text(max_size=60))
    return text


@st.composite
def sample_line(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(hostile_text())
    record: dict[str, Any] = {}
    if draw(st.booleans()):
        record["task_id"] = draw(st.one_of(st.sampled_from(TASKS), json_value))
    field = draw(st.sampled_from(["solution", "completion", "other"]))
    record[field] = draw(st.one_of(st.text(max_size=40), json_value))
    if draw(st.booleans()):
        record["extra"] = draw(hostile_text())  # a string holding hostile text is still fine
    if draw(st.booleans()):
        return json.dumps(record)[:-1] + ', "x": ' + draw(hostile_text()) + "}"
    return json.dumps(record)


def _expect_only_invalid_argument(call: Any, *args: Any, **kwargs: Any) -> Any:
    """The call's result, or None when it raised InvalidArgument; any other exception fails the test."""
    try:
        return call(*args, **kwargs)
    except InvalidArgument:
        return None


# ------------------------------------------------------------------------------------------- sample files


@PROPERTY
@given(lines=st.lists(sample_line(), max_size=6), compress=st.booleans(), skip_bad=st.booleans())
def test_sample_files_load_or_are_refused(lines: list[str], compress: bool, skip_bad: bool) -> None:
    data = "\n".join(lines).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "samples.jsonl"
        path.write_bytes(gzip.compress(data) if compress else data)
        loaded = _expect_only_invalid_argument(open_samples, path, SUITE, skip_bad=skip_bad)
        if loaded is not None:
            for refs in loaded.by_task.values():
                for ref in refs:
                    assert isinstance(loaded.program_text(ref, lambda task: "# prompt\n"), str)


@PROPERTY
@given(data=st.binary(max_size=300))
def test_sample_files_of_arbitrary_bytes_load_or_are_refused(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "samples.jsonl"
        path.write_bytes(data)
        _expect_only_invalid_argument(open_samples, path, SUITE, skip_bad=False)


# -------------------------------------------------------------------------------------------- suite files

toml_value = st.one_of(
    st.sampled_from(['"count"', "1", "-1", "0", "1e308", "inf", "nan", "true", '""', "[]", "{}",
                     "9" * 5000, "[" * 3000 + "]" * 3000, "{a=" * 2000 + "1" + "}" * 2000,
                     '[{size = 10, tests = 2, weight = 1}]', '[{size = -1}]',
                     '[{size = 10, tests = 1000000000000, weight = 1}]',
                     '[{size = 1, tests = 1, weight = inf}]',
                     '"exact"', '"float"', '"nope"']),
    st.integers().map(str),
)  # fmt: skip
toml_key = st.sampled_from(["id", "entry", "prompt", "prompt_file", "levels", "alpha", "seed", "repetitions",
                            "memory_mb", "oracle_memory_mb", "oracle_timeout_s", "x"])  # fmt: skip


@st.composite
def toml_text(draw: st.DrawFn) -> str:
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return draw(st.text(max_size=80))
    pairs = draw(st.dictionaries(toml_key, toml_value, max_size=6))
    body = "".join(f"{key} = {value}\n" for key, value in pairs.items())
    if draw(st.booleans()):
        body += "[[references]]\nname = " + draw(st.sampled_from(['"naive"', "1", '""'])) + "\n"
        body += "file = " + draw(st.sampled_from(['"naive.py"', '"../../etc/passwd"', '"missing.py"'])) + "\n"
    if draw(st.booleans()):
        body += "[compare]\nrule = " + draw(toml_value) + "\n"
    return body


@PROPERTY
@given(problem=toml_text(), suite=st.one_of(st.none(), toml_text()),
       tests=st.lists(st.one_of(hostile_text(), json_value.map(json.dumps)), max_size=4))  # fmt: skip
def test_suite_folders_load_or_are_refused(problem: str, suite: str | None, tests: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "suite"
        problem_dir = root / "p1"
        problem_dir.mkdir(parents=True)
        (problem_dir / "problem.toml").write_text(problem)
        (problem_dir / "naive.py").write_text("def f(x):\n    return x\n")
        (problem_dir / "tests.jsonl").write_text("\n".join(tests))
        if suite is not None:
            (root / "suite.toml").write_text(suite)
        _expect_only_invalid_argument(load_suite, str(root))


@PROPERTY
@given(lines=st.lists(st.one_of(hostile_text(), json_value.map(json.dumps), st.builds(
    lambda extra: json.dumps({"task_id": "HumanEval/0", "prompt": "def f(x):\n", "entry_point": "f",
                              "canonical_solution": "    return x\n", **extra}),
    st.dictionaries(st.sampled_from(["base_input", "plus_input", "atol", "pe_input", "scores"]), json_value,
                    max_size=3))), max_size=4),
       adapter=st.sampled_from(["evalplus", "evalperf"]))  # fmt: skip
def test_public_benchmark_files_load_or_are_refused(lines: list[str], adapter: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        path.write_text("\n".join(lines))
        _expect_only_invalid_argument(load_suite, f"{adapter}:{path}")


@PROPERTY
@given(text=st.text(max_size=200))
def test_enamel_csv_loads_or_is_refused(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "enamel.csv"
        path.write_text(text)
        _expect_only_invalid_argument(load_suite, f"enamel:{path}")


# ------------------------------------------------------------------------------------ command-line parsers


@PROPERTY
@given(text=st.one_of(hostile_text(), st.text(max_size=40)))
def test_command_line_value_parsers_accept_or_refuse(text: str) -> None:
    _expect_only_invalid_argument(exec_cmd._parse_args_json, text)
    _expect_only_invalid_argument(evaluate_cmd._parse_ks, text)
    _expect_only_invalid_argument(evaluate_cmd._oracle_memory, text)
    with contextlib.suppress(argparse.ArgumentTypeError):  # argparse makes it a one-line usage error
        scale_cmd._sizes(text)


options = st.sampled_from(["--timeout", "--memory-mb", "--k", "--workers", "--alpha", "--seed", "--size",
                           "--sizes", "--budget", "--confidence", "--n", "--args", "--entry", "--suite",
                           "--samples", "--isolation", "--metric", "--json", "--bogus"])  # fmt: skip
verbs = st.sampled_from(["exec", "compare", "scale", "evaluate", "suite", "doctor", "generate", "optimize"])


@PROPERTY
@given(verb=verbs, words=st.lists(st.one_of(options, hostile_text(), st.text(max_size=12)), max_size=8))
def test_the_argument_parser_only_ever_reports_usage(verb: str, words: list[str]) -> None:
    words = [w for w in words if w not in ("-h", "--help", "--version") and not w.startswith("-h")]
    with contextlib.suppress(UsageError):
        build_parser().parse_args([verb, *words])


# -------------------------------------------------------------------- the API's checks, before any file

any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
)
EVALUATE_OPTIONS = ["k", "workers", "metric", "alpha", "repetitions", "seed", "baseline", "memory_mb",
                    "oracle_memory_mb", "oracle_timeout", "isolation"]  # fmt: skip


@PROPERTY
@given(values=st.dictionaries(st.sampled_from(EVALUATE_OPTIONS), any_value, min_size=1, max_size=3))
def test_evaluate_arguments_are_checked_before_the_store_is_opened(values: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "r.sqlite"
        with pytest.raises(InvalidArgument):  # the samples file does not exist: the last check
            api.evaluate(suite=SUITE, samples=Path(folder) / "missing.jsonl", db=db, **values)
        assert not db.exists()


@PROPERTY
@given(
    verb=st.sampled_from(["run", "compare", "scale", "optimize"]),
    values=st.dictionaries(
        st.sampled_from(["timeout", "memory_mb", "size", "cases", "confidence", "budget", "float_tol", "seed",
                         "samples", "n", "rounds", "time_budget", "temperature", "isolation", "metric"]),
        any_value, max_size=3),
)  # fmt: skip
def test_other_api_arguments_are_refused_or_reach_the_missing_file(verb: str, values: dict[str, Any]) -> None:
    missing = "/nonexistent/effilab/x.py"
    allowed = {
        "run": {"timeout", "memory_mb", "isolation"},
        "compare": {"size", "cases", "confidence", "budget", "float_tol", "seed", "timeout", "isolation",
                    "metric"},
        "scale": {"samples", "timeout", "isolation", "metric"},
        "optimize": {"n", "rounds", "time_budget", "temperature", "isolation", "seed", "float_tol",
                     "confidence"},
    }[verb]  # fmt: skip
    kwargs = {key: value for key, value in values.items() if key in allowed}
    calls = {
        "run": lambda: api.run(missing, entry="f", **kwargs),
        "compare": lambda: api.compare(missing, missing, entry="f", inputs=missing, **kwargs),
        "scale": lambda: api.scale(missing, entry="f", inputs=missing, sizes=[1, 2, 3], **kwargs),
        "optimize": lambda: api.optimize(f"{missing}::f", **kwargs),
    }
    with pytest.raises(InvalidArgument):
        calls[verb]()


def test_a_float_beyond_every_bound_is_named() -> None:
    with pytest.raises(InvalidArgument, match="alpha=inf"):
        api.evaluate(suite=SUITE, samples="missing", alpha=math.inf)
