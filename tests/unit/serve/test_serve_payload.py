"""Reading the two request shapes of effilab serve: items out, or a 4xx naming what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from effilab.serve.payload import (
    BadRequest,
    Item,
    completion_from_query,
    parse_openrlhf_request,
    parse_reward_request,
)

KNOWN = frozenset({"two-sum", "pair-sum-count"})
FENCED = "```python\ndef f():\n    return 1\n```"


def _refused(call: Any, *args: Any, **kwargs: Any) -> BadRequest:
    with pytest.raises(BadRequest) as info:
        call(*args, **kwargs)
    assert "\n" not in info.value.message
    return info.value


def test_own_schema_reads_strings_and_chat_messages() -> None:
    chat = [{"role": "user", "content": "q"}, {"role": "assistant", "content": FENCED}]
    body = {
        "items": [
            {"task_id": "two-sum", "completion": FENCED},
            {"task_id": "pair-sum-count", "completion": chat},
        ]
    }
    assert parse_reward_request(body, known_tasks=KNOWN) == [
        Item("two-sum", FENCED),
        Item("pair-sum-count", chat),
    ]
    assert parse_reward_request({"items": []}) == []


def test_own_schema_takes_typed_content_parts() -> None:
    chat = [{"role": "assistant", "content": [{"type": "text", "text": FENCED}]}]
    assert parse_reward_request({"items": [{"task_id": "x", "completion": chat}]})[0].completion == chat


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ([1, 2], "JSON object"),
        ({}, 'missing key "items"'),
        ({"items": {}}, '"items" must be a list'),
        ({"items": [], "extra": 1}, "unknown key 'extra'"),
        ({"items": ["x"]}, "items[0]: must be an object"),
        ({"items": [{"task_id": "two-sum"}]}, "items[0]: missing key 'completion'"),
        ({"items": [{"completion": "c"}]}, "items[0]: missing key 'task_id'"),
        ({"items": [{"task_id": 3, "completion": "c"}]}, "items[0].task_id: the task id must be a string"),
        ({"items": [{"task_id": "", "completion": "c"}]}, "items[0].task_id: the task id must have 1 to"),
        (
            {"items": [{"task_id": "two-sum", "completion": 5}]},
            "items[0].completion: must be a string or a list",
        ),
        ({"items": [{"task_id": "two-sum", "completion": [3]}]}, "items[0].completion[0]: a chat message"),
        ({"items": [{"task_id": "two-sum", "completion": [{"role": "x"}]}]}, "completion[0].content"),
        (
            {"items": [{"task_id": "two-sum", "completion": [{"role": 1, "content": ""}]}]},
            "completion[0].role",
        ),
        ({"items": [{"task_id": "two-sum", "completion": "c", "x": 1}]}, "items[0]: unknown key 'x'"),
        ({"items": [{"task_id": "nope", "completion": "c"}]}, "items[0].task_id: unknown task 'nope'"),
    ],
)
def test_own_schema_refusals_name_the_place(body: object, named: str) -> None:
    error = _refused(parse_reward_request, body, known_tasks=KNOWN)
    assert error.status == 400
    assert named in error.message


def test_openrlhf_shape_cuts_the_prompt_and_reads_labels() -> None:
    body = {
        "query": ["<prompt>" + FENCED + "<|im_end|>", "P2 reply"],
        "prompts": ["<prompt>", "P2 "],
        "labels": ["two-sum", '{"task_id": "pair-sum-count", "source": "x"}'],
    }
    batch = parse_openrlhf_request(body, known_tasks=KNOWN)
    assert batch.items == [Item("two-sum", FENCED), Item("pair-sum-count", "reply")]
    assert batch.prompt_found == [True, True]


def test_openrlhf_labels_may_be_objects_and_prompts_absent() -> None:
    batch = parse_openrlhf_request({"query": ["whole"], "labels": [{"task_id": "two-sum"}], "extra": 1})
    assert batch.items == [Item("two-sum", "whole")]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("text", "JSON object"),
        ({"labels": []}, 'missing key "query"'),
        ({"query": []}, 'missing key "labels"'),
        ({"query": "q", "labels": []}, '"query" must be a list'),
        ({"query": ["q"], "labels": []}, '"labels" has 0 entries but "query" has 1'),
        ({"query": ["q"], "labels": ["two-sum"], "prompts": []}, '"prompts" has 0 entries'),
        ({"query": [1], "labels": ["two-sum"]}, "query[0]: must be a string"),
        ({"query": ["q"], "labels": ["two-sum"], "prompts": [2]}, "prompts[0]: must be a string"),
        ({"query": ["q"], "labels": [7]}, "labels[0]: the task id must be a string"),
        ({"query": ["q"], "labels": [{"id": "two-sum"}]}, 'labels[0]: an object label must have a "task_id"'),
        ({"query": ["q"], "labels": ["{not json"]}, "labels[0]: starts with '{' but is not a JSON object"),
        ({"query": ["q"], "labels": ['{"task_id": 1}']}, "labels[0].task_id: the task id must be a string"),
        ({"query": ["q"], "labels": ["other"]}, "labels[0]: unknown task 'other'"),
    ],
)
def test_openrlhf_refusals_name_the_place(body: object, named: str) -> None:
    error = _refused(parse_openrlhf_request, body, known_tasks=KNOWN)
    assert error.status == 400
    assert named in error.message


@pytest.mark.parametrize(
    ("query", "prompt", "completion", "found"),
    [
        ("PROMPT\nreply", "PROMPT\n", "reply", True),
        ("<s>PROMPT reply</s>", "PROMPT", " reply", True),  # a BOS token before the prompt
        ("xx PROMPT  \nreply", "PROMPT", "  \nreply", True),
        (
            "PROMPT  reply",
            "PROMPT \n\n",
            "  reply",
            True,
        ),  # trailing whitespace normalised: the anchor matches
        ("something else", "PROMPT", "something else", False),
        ("no prompt", None, "no prompt", True),
        ("P reply<|im_end|>\n<|endoftext|>", "P", " reply", True),
        ("P reply<eos>", "P", " reply", True),
        ("P code <|not a token", "P", " code <|not a token", True),
    ],
)
def test_completion_from_query(query: str, prompt: str | None, completion: str, found: bool) -> None:
    assert completion_from_query(query, prompt) == (completion, found)


def test_a_fence_in_the_prompt_is_not_taken_for_the_reply() -> None:
    prompt = "Make it faster:\n```python\ndef slow(): ...\n```\n"
    reply, found = completion_from_query(prompt + "Here:\n" + FENCED, prompt)
    assert found
    assert reply == "Here:\n" + FENCED
