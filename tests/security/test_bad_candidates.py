"""Broken (not hostile) candidates get the right verdict and never reach a call."""

from __future__ import annotations

import pytest

from effilab.sandbox import Verdict

INLINE_SOURCES = {
    # Kept inline: as files they would not even parse for the linters.
    "not_utf8": b"def f():\n    return '\xff\xfe\xfa'\n",
    "syntax_error": b"def f(:\n    return 1\n",
    "null_byte": b"def f():\n    return 1\x00\n",
}


@pytest.mark.parametrize("name", sorted(INLINE_SOURCES))
def test_unparseable_source_is_a_syntax_error(tier, run_candidate, name):
    result = run_candidate(name, tier, source=INLINE_SOURCES[name])
    assert result.load.verdict == Verdict.SYNTAX_ERROR, result.load
    assert result.verdict == Verdict.SYNTAX_ERROR
    assert result.calls == ()


@pytest.mark.parametrize(
    ("name", "verdict", "error_type"),
    [
        ("missing_entry", Verdict.MISSING_ENTRY, "LookupError"),
        ("entry_not_callable", Verdict.MISSING_ENTRY, "TypeError"),
        ("import_raises", Verdict.IMPORT_ERROR, "RuntimeError"),
        ("import_exits", Verdict.IMPORT_ERROR, "SystemExit"),
    ],
)
def test_broken_module_is_reported_at_load(tier, run_candidate, name, verdict, error_type):
    result = run_candidate(name, tier)
    assert result.load.verdict == verdict, result.load
    assert result.load.error is not None
    assert result.load.error.type == error_type, result.load.error
    assert result.verdict == verdict
    assert result.calls == ()
