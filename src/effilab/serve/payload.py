"""The two request shapes the server accepts, read into one list of :class:`Item`.

Everything here is pure: JSON values in, items or a :class:`BadRequest` (status and one-line message)
out. Nothing is scored and nothing runs.

* **effilab's own** (``POST /v1/reward``)::

      {"items": [{"task_id": "two-sum", "completion": "```python\\n...```"}, ...]}

  ``completion`` is the model's reply, a string or a list of chat messages
  (``[{"role": "assistant", "content": "..."}]``).

* **OpenRLHF's remote reward model** (``POST /get_reward``, what ``--remote_rm_url`` posts)::

      {"query": [prompt + response, ...], "prompts": [prompt, ...], "labels": [label, ...]}

  ``query`` is the prompt and the response decoded together (special tokens kept), so the completion is
  the query with its prompt cut off (:func:`completion_from_query`). A label carries the task id: either
  the id itself (``"two-sum"``), or a JSON object with a ``task_id`` key (as an object or as its JSON text,
  for datasets whose label column holds more than the id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any

from effilab.serve.protocol import Completion

__all__ = [
    "MAX_TASK_ID_CHARS",
    "BadRequest",
    "Item",
    "OpenRLHFBatch",
    "completion_from_query",
    "parse_openrlhf_request",
    "parse_reward_request",
]

MAX_TASK_ID_CHARS = 1000
"""Longest task id read: ids are short names; a longer one is a wrong column, not a task."""

_TRAILING_SPECIAL = re.compile(
    r"(?:\s*(?:<\|[A-Za-z0-9_.:\-]{1,40}\|>|</s>|<eos>|<end_of_turn>|\[/INST\]))+\s*\Z"
)
"""End-of-turn tokens a tokenizer leaves when decoding with ``skip_special_tokens=False`` (OpenRLHF does):
``<|im_end|>``, ``<|endoftext|>``, ``<|eot_id|>``, ``</s>``, ``<eos>``, ``<end_of_turn>``. Fenced code is
found without this, but an unfenced reply would otherwise end in a token that is not Python."""
_ANCHOR_CHARS = 200
"""How much of the prompt's end is searched for when the prompt is not a prefix of the query (a tokenizer
round trip that changed its beginning, e.g. a BOS token or normalised whitespace)."""


class BadRequest(Exception):
    """A request the server refuses; ``status`` is the HTTP status, the message one line for the client."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = " ".join(message.split())
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class Item:
    """One completion to score, for one task of the served suite."""

    task_id: str
    completion: Completion


@dataclass(frozen=True, slots=True)
class OpenRLHFBatch:
    """An OpenRLHF request read: the items, and for each whether its prompt was found in its query."""

    items: list[Item]
    prompt_found: list[bool]


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def _check_task_id(where: str, value: object, known: Container[str] | None) -> str:
    if not isinstance(value, str):
        raise BadRequest(400, f"{where}: the task id must be a string, not {_kind(value)}")
    if not value or len(value) > MAX_TASK_ID_CHARS:
        raise BadRequest(400, f"{where}: the task id must have 1 to {MAX_TASK_ID_CHARS} characters")
    if known is not None and value not in known:
        shown = value if len(value) <= 80 else value[:60] + "…"
        raise BadRequest(400, f"{where}: unknown task {shown!r} (GET /v1/info lists the served tasks)")
    return value


def _check_completion(where: str, value: object) -> Completion:
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise BadRequest(400, f"{where}: must be a string or a list of chat messages, not {_kind(value)}")
    messages: list[dict[str, Any]] = []
    for number, message in enumerate(value):
        at = f"{where}[{number}]"
        if not isinstance(message, dict):
            raise BadRequest(400, f"{at}: a chat message must be an object, not {_kind(message)}")
        content = message.get("content")
        if not isinstance(content, str) and not (
            isinstance(content, list) and all(isinstance(part, dict) for part in content)
        ):
            raise BadRequest(400, f"{at}.content: must be a string or a list of content parts (objects)")
        if "role" in message and not isinstance(message["role"], str):
            raise BadRequest(400, f"{at}.role: must be a string")
        messages.append(message)
    return messages


def _object(body: object, keys: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest(400, f"the body must be a JSON object with {keys}, not {_kind(body)}")
    return body


def parse_reward_request(body: object, *, known_tasks: Container[str] | None = None) -> list[Item]:
    """Read effilab's own shape, ``{"items": [{"task_id": ..., "completion": ...}, ...]}``."""
    data = _object(body, '"items"')
    unknown = sorted(set(data) - {"items"})
    if unknown:
        raise BadRequest(400, f'unknown key {unknown[0]!r}: the body holds only "items"')
    if "items" not in data:
        raise BadRequest(400, 'missing key "items" (a list of {"task_id": ..., "completion": ...})')
    raw = data["items"]
    if not isinstance(raw, list):
        raise BadRequest(400, f'"items" must be a list, not {_kind(raw)}')
    items: list[Item] = []
    for index, entry in enumerate(raw):
        where = f"items[{index}]"
        if not isinstance(entry, dict):
            raise BadRequest(
                400, f"{where}: must be an object with task_id and completion, not {_kind(entry)}"
            )
        extra = sorted(set(entry) - {"task_id", "completion"})
        if extra:
            raise BadRequest(400, f"{where}: unknown key {extra[0]!r} (an item holds task_id and completion)")
        for key in ("task_id", "completion"):
            if key not in entry:
                raise BadRequest(400, f"{where}: missing key {key!r}")
        task_id = _check_task_id(f"{where}.task_id", entry["task_id"], known_tasks)
        items.append(Item(task_id, _check_completion(f"{where}.completion", entry["completion"])))
    return items


def task_id_from_label(where: str, label: object, known: Container[str] | None) -> str:
    """The task id a label carries: the label itself, or the ``task_id`` of an object (or its JSON text)."""
    if isinstance(label, str) and label.lstrip().startswith("{"):
        try:
            label = json.loads(label)
        except (ValueError, RecursionError):
            raise BadRequest(400, f"{where}: starts with '{{' but is not a JSON object") from None
    if isinstance(label, dict):
        if "task_id" not in label:
            raise BadRequest(400, f'{where}: an object label must have a "task_id" key')
        return _check_task_id(f"{where}.task_id", label["task_id"], known)
    return _check_task_id(where, label, known)


def completion_from_query(query: str, prompt: str | None) -> tuple[str, bool]:
    """The response part of an OpenRLHF ``query`` (prompt and response decoded together).

    The prompt is cut off where it is found: as a prefix (the usual case), else its last occurrence, else
    the last occurrence of its final :data:`_ANCHOR_CHARS` characters (a tokenizer round trip may change a
    prompt's start). If it is not found, the whole query is the completion, and the second value is
    ``False`` (reported per item in ``extra_logs``): the reward then takes the last fenced block, which is
    the response's if it has one. Trailing end-of-turn tokens are removed.
    """
    found = True
    if not prompt:
        rest = query
    elif query.startswith(prompt):
        rest = query[len(prompt) :]
    else:
        anchor = prompt.rstrip()[-_ANCHOR_CHARS:]
        at = query.rfind(prompt)
        if at >= 0:
            rest = query[at + len(prompt) :]
        elif anchor and (at := query.rfind(anchor)) >= 0:
            rest = query[at + len(anchor) :]
        else:
            rest, found = query, False
    return _TRAILING_SPECIAL.sub("", rest), found


def _list_of(data: dict[str, Any], key: str, size: int | None) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise BadRequest(400, f'"{key}" must be a list, not {_kind(value)}')
    if size is not None and len(value) != size:
        raise BadRequest(400, f'"{key}" has {len(value)} entries but "query" has {size}')
    return value


def parse_openrlhf_request(body: object, *, known_tasks: Container[str] | None = None) -> OpenRLHFBatch:
    """Read OpenRLHF's shape, ``{"query": [...], "prompts": [...], "labels": [...]}``.

    ``query`` and ``labels`` are required, ``prompts`` optional (without it each query is the
    completion); other keys are ignored, as OpenRLHF may add some.
    """
    data = _object(body, '"query", "prompts" and "labels"')
    for key in ("query", "labels"):
        if key not in data:
            raise BadRequest(400, f'missing key "{key}" (OpenRLHF sends "query", "prompts" and "labels")')
    queries = _list_of(data, "query", None)
    labels = _list_of(data, "labels", len(queries))
    prompts: Sequence[Any] = (
        _list_of(data, "prompts", len(queries)) if "prompts" in data else [None] * len(queries)
    )
    items: list[Item] = []
    found: list[bool] = []
    for index, (query, prompt, label) in enumerate(zip(queries, prompts, labels, strict=True)):
        if not isinstance(query, str):
            raise BadRequest(400, f"query[{index}]: must be a string, not {_kind(query)}")
        if prompt is not None and not isinstance(prompt, str):
            raise BadRequest(400, f"prompts[{index}]: must be a string, not {_kind(prompt)}")
        task_id = task_id_from_label(f"labels[{index}]", label, known_tasks)
        completion, prompt_found = completion_from_query(query, prompt)
        items.append(Item(task_id, completion))
        found.append(prompt_found)
    return OpenRLHFBatch(items, found)
