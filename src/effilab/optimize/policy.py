"""What a rewrite may bring into the user's code that the original did not have.

A faster function that needs a new third-party dependency, or that starts reading files or evaluating
strings, is not a drop-in replacement even if it passes every check: the user has to opt in. This is a
review policy on the *text* of the candidate, not a security boundary (the sandbox is); it catches the
honest cases a model produces, not deliberately obfuscated ones.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from effilab.optimize.extract import Candidate
from effilab.optimize.target import Target

__all__ = ["SAFE_MODULES", "import_violations"]

SAFE_MODULES: frozenset[str] = frozenset(
    {
        "__future__",
        "abc",
        "array",
        "bisect",
        "cmath",
        "collections",
        "contextlib",
        "copy",
        "dataclasses",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "math",
        "numbers",
        "operator",
        "re",
        "statistics",
        "string",
        "struct",
        "textwrap",
        "typing",
        "unicodedata",
    }
)
"""Pure, deterministic standard-library modules a rewrite may import without asking.

``sys`` (interpreter state, recursion limit), ``random`` (nondeterminism) and anything touching the
outside world are deliberately absent.
"""

# Calls that run code from strings, import by name at run time, or touch files. Keyed by the called name;
# the value is how the violation names it.
_RISKY_CALLS = {
    "__import__": "__import__",
    "import_module": "importlib.import_module",
    "exec": "exec",
    "eval": "eval",
    "open": "open",
}


def import_violations(candidate: Candidate, target: Target, *, allow_deps: bool) -> list[str]:
    """Why ``candidate`` cannot silently replace ``target`` (empty when it can); one short message each.

    ``allow_deps`` lifts the import restriction only: calls such as ``exec`` or ``open`` that the original
    function does not make are reported regardless, since they are not dependencies.
    """
    trees = list(_candidate_trees(candidate))
    violations = [] if allow_deps else _import_messages(trees, target)
    return violations + _call_messages(trees, target)


def _candidate_trees(candidate: Candidate) -> Iterator[ast.Module]:
    for code in (*candidate.imports, candidate.function_source, *candidate.helpers):
        try:
            yield ast.parse(code)
        except SyntaxError:
            continue  # extract_candidate only returns parsed code; anything else has nothing to import


def _import_messages(trees: Iterable[ast.Module], target: Target) -> list[str]:
    original = set(_imported_modules(ast.parse(target.module_source.removeprefix("\ufeff"))))
    messages: list[str] = []
    for tree in trees:
        for module in _imported_modules(tree):
            message = f"imports {module} (not imported by the original; pass --allow-deps to allow)"
            if module not in original and module not in SAFE_MODULES and message not in messages:
                messages.append(message)
    return messages


def _imported_modules(tree: ast.AST) -> Iterator[str]:
    """Top-level package of every import under ``tree``; relative imports keep their leading dots."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "").split(".")[0]


def _call_messages(trees: Iterable[ast.Module], target: Target) -> list[str]:
    allowed = set(_risky_calls(ast.parse(target.function_source)))
    messages: list[str] = []
    for tree in trees:
        for call in _risky_calls(tree):
            message = f"calls {call} (the original function does not)"
            if call not in allowed and message not in messages:
                messages.append(message)
    return messages


def _risky_calls(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in _RISKY_CALLS:
            yield _RISKY_CALLS[node.func.id]
        elif isinstance(node.func, ast.Attribute) and _is_risky_attribute(node.func):
            yield _RISKY_CALLS[node.func.attr]


def _is_risky_attribute(func: ast.Attribute) -> bool:
    """``importlib.import_module(...)`` or ``builtins.exec(...)`` and the like, but not ``re.compile``."""
    if func.attr == "import_module":
        return True
    return func.attr in _RISKY_CALLS and isinstance(func.value, ast.Name) and func.value.id == "builtins"
