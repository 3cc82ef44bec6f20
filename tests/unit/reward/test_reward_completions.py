"""From a trainer's completion to a program or a malformed reason, in the parent (nothing runs)."""

from __future__ import annotations

import pytest

from effilab.reward.completions import MAX_COMPLETION_CHARS, completion_text, prepare

GOOD = "def count_pairs(nums, target):\n    return 0\n"


def test_text_of_strings_and_messages() -> None:
    assert completion_text("abc") == "abc"
    assert completion_text([{"role": "assistant", "content": "x"}]) == "x"
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a1"},
        {"role": "assistant", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "2"}]},
    ]
    assert completion_text(messages) == "a2"
    assert completion_text({"role": "assistant", "content": "y"}) == "y"
    for odd in (None, 3, [], [{"role": "user", "content": "q"}], b"bytes"):
        assert completion_text(odd) == ""


def test_code_is_taken_from_the_fence_defining_the_entry() -> None:
    reply = f"First a naive one:\n```python\ndef helper():\n    pass\n```\nThen:\n```python\n{GOOD}```\nDone."
    prepared = prepare(reply, "count_pairs")
    assert prepared.malformed is None
    assert prepared.code == GOOD
    assert prepared.digest == prepare(f"```py\n{GOOD}```", "count_pairs").digest  # same code, same key


def test_conversational_completion() -> None:
    prepared = prepare([{"role": "assistant", "content": f"```python\n{GOOD}```"}], "count_pairs")
    assert prepared.malformed is None
    assert prepared.code == GOOD


@pytest.mark.parametrize(
    ("completion", "reason"),
    [
        ("", "no code"),
        ("```python\n```", "no code"),
        ("```python\ndef count_pairs(:\n```", "syntax error"),
        ("I am sorry, I cannot help.", "syntax error"),
        ("```python\ndef other(nums, target):\n    return 0\n```", "does not define count_pairs"),
        ("```python\nclass A:\n    def count_pairs(self):\n        return 0\n```", "does not define"),
        ("```python\n" + "(" * 1000 + ")" * 1000 + "\n```", ""),
        (None, "no code"),
        ("x" * (MAX_COMPLETION_CHARS + 1), "longer than"),
    ],
)
def test_malformed_completions(completion: object, reason: str) -> None:
    prepared = prepare(completion, "count_pairs")
    assert prepared.malformed is not None
    assert reason in prepared.malformed


@pytest.mark.parametrize(
    "code",
    [
        "def count_pairs(nums, target):\n    return 0\n",
        "async def count_pairs(nums, target):\n    return 0\n",
        "import functools\n\n@functools.cache\ndef count_pairs(n, t):\n    return 0\n",
        "count_pairs = lambda nums, target: 0\n",
        "try:\n    from math import comb as count_pairs\nexcept ImportError:\n    pass\n",
        "if True:\n    def count_pairs(nums, target):\n        return 0\n",
        "class count_pairs:\n    pass\n",
        "globals()['count_pairs'] = len\n",  # dynamic: left to the sandbox, not called malformed
        "from os.path import *\n",
    ],
)
def test_every_way_of_binding_the_entry_is_accepted(code: str) -> None:
    assert prepare(f"```python\n{code}```", "count_pairs").malformed is None
