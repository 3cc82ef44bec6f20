"""From a trainer's completion to a program, or the reason it is malformed (decided in the parent).

Completions arrive as plain strings or as conversational message lists (TRL's conversational datasets:
``[{"role": "assistant", "content": ...}]``, the content a string or a list of typed parts). The program is
cut out of the text by :func:`effilab.generate.extract_code`, the same rule ``effilab generate`` uses.

The parent only *parses* the candidate's code (``ast.parse`` never runs it): it decides "malformed" (no
code, a syntax error, the entry point never bound at module level) so that form errors get their own,
lower reward. Anything the parse cannot decide (a module that binds names dynamically) is given the benefit
of the doubt and left to the sandbox, where a missing entry point is an ordinary failure.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
from collections.abc import Mapping, Sequence

from effilab.generate.prompting import extract_code

__all__ = ["MAX_COMPLETION_CHARS", "Prepared", "completion_text", "prepare"]

MAX_COMPLETION_CHARS = 1 << 20
"""A completion longer than this (1 Mi characters) is malformed: no honest answer to a suite's problem is
that long, and parsing megabytes of generated text in the trainer's process is not free."""

_DYNAMIC = frozenset({"globals", "exec", "eval", "setattr", "__import__", "vars", "locals", "__getattr__"})
"""Names whose use may bind the entry point in ways a parse cannot see."""


@dataclasses.dataclass(frozen=True, slots=True)
class Prepared:
    """A completion made ready for the evaluator: its code and digest, or why it is malformed."""

    code: str
    digest: str
    """SHA-256 of the code (the cache key with the task id)."""
    malformed: str | None = None
    """Why the completion cannot be run (no code, syntax error, no entry point); None when it can."""


def completion_text(completion: object) -> str:
    """The text of a completion: a string as is; of a message list, the last assistant message's text.

    Anything else (None, a number, a list without an assistant message) is the empty text, which
    :func:`prepare` calls malformed: a trainer's odd value is the candidate's problem, not a crash.
    """
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Mapping):
        return _content_text(completion.get("content"))
    if isinstance(completion, Sequence) and not isinstance(completion, bytes | bytearray):
        messages = [m for m in completion if isinstance(m, Mapping)]
        replies = [m for m in messages if m.get("role", "assistant") == "assistant"]
        if replies:
            return _content_text(replies[-1].get("content"))
    return ""


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence) and not isinstance(content, bytes | bytearray):
        # Multimodal-style content: [{"type": "text", "text": ...}, ...]
        parts = [p.get("text") for p in content if isinstance(p, Mapping) and p.get("type", "text") == "text"]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def prepare(completion: object, entry: str) -> Prepared:
    """The program of ``completion`` for a problem whose entry point is ``entry``."""
    text = completion_text(completion)
    if len(text) > MAX_COMPLETION_CHARS:
        return _malformed(text[:MAX_COMPLETION_CHARS], f"longer than {MAX_COMPLETION_CHARS} characters")
    code = extract_code(text, entry)
    if not code.strip():
        return _malformed(code, "no code in the completion")
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return _malformed(code, f"syntax error: {exc.msg} (line {exc.lineno})")
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes; nesting too deep to parse
        return _malformed(code, f"cannot be parsed: {type(exc).__name__}")
    if entry not in _module_bindings(tree.body) and not _dynamic(tree):
        return _malformed(code, f"does not define {entry}")
    return Prepared(code, _digest(code))


def _malformed(code: str, reason: str) -> Prepared:
    return Prepared(code, _digest(code), reason)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()


def _module_bindings(body: list[ast.stmt]) -> set[str]:
    """Names bound at module level, through compound statements (if, try, with, for...) but not into the
    bodies of functions and classes, whose names are bound but whose insides are not module level."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
            continue
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(child.name)
            elif isinstance(child, ast.alias):
                names.add(child.asname or child.name.split(".")[0])
    return names


def _dynamic(tree: ast.Module) -> bool:
    """Whether the module may bind names in ways a parse cannot see (``globals()[...] = ...``, ``exec``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DYNAMIC:
            return True
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return True
    return False
