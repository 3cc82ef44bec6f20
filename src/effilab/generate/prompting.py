"""What a model is asked for a problem, and how the program is cut out of its answer.

The request is the same for every endpoint so that samples from different models are comparable: a
system message fixing the *form* of the answer (one complete program, standard library only, no test
code) and a user message carrying the problem. Only metadata that belongs to the task statement goes
into the prompt; hints a suite keeps for reports (the intended optimisation, category, tags) are left
out on purpose, because telling the model the trick would measure the suite, not the model.
"""

from __future__ import annotations

import re
import textwrap

from openai.types.chat import (
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)

from effilab.suites.model import Problem

__all__ = ["PROMPT_METADATA", "SYSTEM_PROMPT", "build_messages", "extract_code"]

SYSTEM_PROMPT = (
    "You are an expert Python programmer who writes correct and efficient code.\n"
    "Answer with one complete, self-contained Python 3 program in a single ```python code block.\n"
    "- The program must define the requested function with exactly the given name and signature.\n"
    "- Include every import and helper it needs; use only the Python standard library.\n"
    "- Do not read input, print, or run tests or examples at module level.\n"
    "- Be correct on every valid input first; then choose the algorithm and data structures with the best "
    "time complexity, then reduce constant factors."
)
"""Fixes the shape of the answer so :func:`extract_code` finds one runnable program."""

PROMPT_METADATA = ("signature", "constraints")
"""Metadata keys shown to the model: they are part of the task statement, not hints about the solution."""


def build_messages(problem: Problem) -> list[ChatCompletionMessageParam]:
    """The chat messages asking for an efficient program that defines ``problem.entry``."""
    parts = [f"Write an efficient Python implementation of `{problem.entry}`."]
    prompt = problem.prompt.strip("\n")
    if prompt.strip():
        parts.append(f"```python\n{prompt}\n```")
    for key in PROMPT_METADATA:
        value = problem.metadata.get(key)
        if value is None or value == "":
            continue
        text = "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{key.capitalize()}:\n{text.strip()}")
    parts.append(f"Reply with the complete program defining `{problem.entry}` in one ```python code block.")
    system: ChatCompletionSystemMessageParam = {"role": "system", "content": SYSTEM_PROMPT}
    user: ChatCompletionUserMessageParam = {"role": "user", "content": "\n\n".join(parts)}
    return [system, user]


# An opening fence (``` or ~~~, optionally indented, with an info string), the body, then the matching
# closing fence, or the end of the reply: a reply cut off by max_tokens still yields its (partial) code.
_FENCE = re.compile(
    r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)(?:^[ \t]*(?P=fence)[ \t]*$|\Z)",
    re.DOTALL | re.MULTILINE,
)
_PYTHON_TAGS = {"", "python", "python3", "py", "py3"}
# Reasoning models (DeepSeek-R1, Qwen, …) may put drafts inside <think>; only the final answer counts.
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def extract_code(reply: str, entry: str) -> str:
    """The program in a model's ``reply``: the fenced Python block that defines ``entry``.

    Preference order, because models often show a naive version before the improved one and follow the
    solution with a usage example: the *last* Python block defining ``entry`` at top level, then the last
    one defining it at any indentation, then the last block of any language defining it (mislabelled
    fences), then the first Python block, and with no fence at all the whole reply.
    """
    answer = _THINK.sub("", reply)
    if not answer.strip():
        answer = reply
    matches = list(_FENCE.finditer(answer))
    if not matches:
        return _tidy(answer)
    name = re.escape(entry)
    top_level = re.compile(rf"^(?:async[ \t]+def|def|class)[ \t]+{name}\b", re.MULTILINE)
    anywhere = re.compile(rf"^[ \t]*(?:async[ \t]+def|def|class)[ \t]+{name}\b", re.MULTILINE)
    # Fences inside list items are indented; dedent so "top level" means top level of the program.
    bodies = [textwrap.dedent(m["body"]) for m in matches]
    tags = [(m["info"].split(maxsplit=1) or [""])[0].lower() for m in matches]
    python = [body for tag, body in zip(tags, bodies, strict=True) if tag in _PYTHON_TAGS]
    for candidates, pattern in ((python, top_level), (python, anywhere), (bodies, anywhere)):
        defining = [body for body in candidates if pattern.search(body)]
        if defining:
            return _tidy(defining[-1])
    return _tidy(python[0] if python else answer)


def _tidy(code: str) -> str:
    """Drop surrounding blank lines, end with one newline (a file-like program)."""
    stripped = _LEADING_BLANK_LINES.sub("", code).rstrip()
    return stripped + "\n" if stripped else ""
