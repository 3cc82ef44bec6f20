"""Reading JSON effilab did not write: one exception type, whatever the text."""

from __future__ import annotations

import contextlib
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from effilab.util.safejson import JSONInputError, loads


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000, "nested deeper"),
        ("[" + "9" * (sys.get_int_max_str_digits() + 1) + "]", "digits"),
        ('{"a": ', "line 1 column"),
        (b"\xff[]", "not UTF-8"),
    ],
)
def test_every_failure_is_one_error_naming_why(text: str | bytes, words: str) -> None:
    with pytest.raises(JSONInputError, match=words):
        loads(text)


def test_valid_json_is_read() -> None:
    assert loads(b'{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]}


@given(st.one_of(st.text(), st.binary()))
def test_no_other_exception_escapes(data: str | bytes) -> None:
    with contextlib.suppress(JSONInputError):
        loads(data)
