"""Cutting the rewritten function out of a model's reply, and checking it still fits its callers.

Replies come in every shape: one fenced block or several (a naive version first, a usage example after),
drafts inside ``<think>``, whole modules or only the def, a method inside ``class X:`` or bare. The rule is
the one :func:`effilab.generate.prompting.extract_code` uses for whole programs, applied to one function:
the *last* block defining it wins. What is returned is only text; nothing here runs the code.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from typing import Literal

# The fence and <think> patterns are shared with `effilab generate` so both read replies the same way.
from effilab.generate.prompting import _FENCE, _PYTHON_TAGS, _THINK
from effilab.optimize.target import (
    Target,
    bound_names,
    describe_binding,
    find_binding,
    format_params,
    method_kind_of,
    params_of,
    referenced_names,
    statement_source,
)

__all__ = ["Candidate", "ExtractionError", "ExtractionKind", "extract_candidate"]

ExtractionKind = Literal["no_code", "syntax_error", "missing_function", "signature_changed", "not_a_function"]

_SUMMARY: dict[ExtractionKind, str] = {
    "no_code": "no Python code in the reply",
    "syntax_error": "the code in the reply does not parse",
    "missing_function": "the reply does not define the function",
    "signature_changed": "the reply changes the function's signature",
    "not_a_function": "the reply does not define the name as a function",
}


class ExtractionError(Exception):
    """A reply from which no usable rewrite of the target can be taken; ``kind`` says why."""

    def __init__(self, kind: ExtractionKind, detail: str) -> None:
        self.kind: ExtractionKind = kind
        self.detail = " ".join(detail.split())  # one line, whatever the model wrote
        super().__init__(f"{_SUMMARY[kind]}: {self.detail}")


@dataclass(frozen=True)
class Candidate:
    """The rewritten function and what it brings along that the original module lacks."""

    function_source: str
    """The def with its decorators, dedented to column 0, ending with a newline."""
    imports: tuple[str, ...]
    """Top-level import statements of the reply not already in the module (``ast.unparse`` text)."""
    helpers: tuple[str, ...]
    """Top-level definitions the new function needs (transitively) that the module does not have."""
    ignored: tuple[str, ...]
    """Names the reply redefines although the module already defines them: the module's versions stay."""


@dataclass(frozen=True)
class _Block:
    code: str
    line: int  # line of the reply where the code starts, for error messages
    python: bool  # tagged python (or untagged), as opposed to another language
    fenced: bool  # False when the whole reply is taken as code for want of fences


@dataclass(frozen=True)
class _Parsed:
    block: _Block
    tree: ast.Module | None
    error: SyntaxError | None


def extract_candidate(reply: str, target: Target) -> Candidate:
    """The rewrite of ``target`` in ``reply``; raises :class:`ExtractionError` when there is none usable."""
    parsed = [_parse(block) for block in _blocks(reply)]
    chosen = _choose(parsed, target)
    if chosen.tree is None:
        error = chosen.error
        line = chosen.block.line + (error.lineno or 1) - 1 if error is not None else chosen.block.line
        message = error.msg if error is not None else "invalid syntax"
        raise ExtractionError("syntax_error", f"code block at reply line {line}: {message}")
    node = _function_node(chosen.tree, target)
    _check_signature(node, target)
    return _candidate(chosen.block.code, chosen.tree, node, target)


def _blocks(reply: str) -> list[_Block]:
    # Think sections become blank lines rather than vanishing, so reply line numbers stay right.
    answer = _THINK.sub(lambda match: "\n" * match.group().count("\n"), reply)
    if not answer.strip():
        answer = reply  # everything was "thinking": the code, if any, is in there
    matches = list(_FENCE.finditer(answer))
    if not matches:
        return [_Block(answer, 1, python=True, fenced=False)]
    return [
        _Block(
            # Fences inside list items are indented; dedent so "top level" means top level of the code.
            code=textwrap.dedent(match["body"]),
            line=answer.count("\n", 0, match.start("body")) + 1,
            python=(match["info"].split(maxsplit=1) or [""])[0].lower() in _PYTHON_TAGS,
            fenced=True,
        )
        for match in matches
    ]


def _parse(block: _Block) -> _Parsed:
    try:
        return _Parsed(block, ast.parse(block.code), None)
    except SyntaxError as exc:
        return _Parsed(block, None, exc)
    except ValueError:  # null bytes on Python versions that do not report them as SyntaxError
        return _Parsed(block, None, SyntaxError("source code cannot contain null bytes"))


def _choose(parsed: list[_Parsed], target: Target) -> _Parsed:
    """The last block defining the target, preferring blocks tagged Python over mislabelled ones."""
    python = [p for p in parsed if p.block.python and _defines(p, target)]
    defining = python or [p for p in parsed if _defines(p, target)]
    if defining:
        return defining[-1]
    if any(_has_code(p) for p in parsed):
        raise ExtractionError("missing_function", f"no code block defines {target.name}")
    raise ExtractionError("no_code", "expected a ```python block defining the function")


def _has_code(parsed: _Parsed) -> bool:
    """Whether a block looks like code: any fenced content; unfenced text only if it parses as code.

    Unfenced prose such as "Sorry" parses as an expression, so it needs a def, class or import to count.
    """
    if parsed.block.fenced:
        return bool(parsed.block.code.strip())
    code_nodes = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom
    return parsed.tree is not None and any(isinstance(n, code_nodes) for n in ast.walk(parsed.tree))


def _defines(parsed: _Parsed, target: Target) -> bool:
    if parsed.tree is not None:
        return _binding(parsed.tree, target) is not None
    # A block that does not parse still counts if it visibly defines the function, so that a broken final
    # version is reported as broken instead of silently falling back to an earlier draft.
    pattern = rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{re.escape(target.name)}\b"
    return re.search(pattern, parsed.block.code, re.MULTILINE) is not None


def _binding(tree: ast.Module, target: Target) -> ast.stmt | None:
    """Where the reply binds the target: in a class of the target's class name, else at top level."""
    if target.class_name is not None:
        for stmt in reversed(tree.body):
            if isinstance(stmt, ast.ClassDef) and stmt.name == target.class_name:
                binding = find_binding(stmt.body, target.name)
                if binding is not None:
                    return binding
    return find_binding(tree.body, target.name)


def _function_node(tree: ast.Module, target: Target) -> ast.FunctionDef:
    binding = _binding(tree, target)
    if isinstance(binding, ast.FunctionDef):
        return binding
    what = describe_binding(binding) if binding is not None else "not defined"
    raise ExtractionError("not_a_function", f"{target.name} is {what}")


def _check_signature(node: ast.FunctionDef, target: Target) -> None:
    """Callers must not notice: same parameter names, kinds and defaults (annotations may differ)."""
    params = params_of(node.args)
    expected = [(p.name, p.kind, p.default) for p in target.params]
    if [(p.name, p.kind, p.default) for p in params] != expected:
        detail = f"expected {format_params(target.params)}, got {format_params(params)}"
        raise ExtractionError("signature_changed", detail)
    kind = method_kind_of(node, in_class=target.class_name is not None)
    if kind != target.method_kind:
        raise ExtractionError("signature_changed", f"expected a {target.method_kind}, got a {kind}")


def _candidate(code: str, tree: ast.Module, node: ast.FunctionDef, target: Target) -> Candidate:
    helpers, ignored = _helpers(code, tree, node, target)
    return Candidate(
        function_source=statement_source(code, node),
        imports=_new_imports(tree, target),
        helpers=helpers,
        ignored=ignored,
    )


def _new_imports(tree: ast.Module, target: Target) -> tuple[str, ...]:
    existing = {_normalized(text) for text in target.imports}
    new: list[str] = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        # A __future__ import is only legal at the top of a module, where a patch cannot safely put it.
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            continue
        text = ast.unparse(stmt)
        if text not in existing and text not in new:
            new.append(text)
    return tuple(new)


def _normalized(import_text: str) -> str:
    try:
        return ast.unparse(ast.parse(import_text))
    except SyntaxError:
        return import_text


def _helpers(
    code: str, tree: ast.Module, node: ast.FunctionDef, target: Target
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Definitions the new function reaches by name, split into new ones and redefinitions of the module's."""
    module = ast.parse(target.module_source.removeprefix("\ufeff"))
    module_names = {name for stmt in module.body for name in bound_names(stmt)}
    # The target's own statement (the def, or for a method its class) is not a helper of itself.
    own_name = target.class_name if target.class_name is not None else target.name
    definitions: dict[str, list[ast.stmt]] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom) or stmt is node:
            continue
        names = bound_names(stmt)
        if own_name in names or target.name in names:
            continue
        for name in names:
            definitions.setdefault(name, []).append(stmt)

    helpers: dict[int, ast.stmt] = {}
    ignored: set[str] = set()
    pending = list(referenced_names(node))
    while pending:
        for stmt in definitions.get(pending.pop(), []):
            clashes = [name for name in bound_names(stmt) if name in module_names]
            if clashes:
                ignored.update(clashes)
            elif id(stmt) not in helpers:
                helpers[id(stmt)] = stmt
                pending.extend(referenced_names(stmt))
    ordered = sorted(helpers.values(), key=lambda stmt: stmt.lineno)
    return tuple(statement_source(code, stmt) for stmt in ordered), tuple(sorted(ignored))
