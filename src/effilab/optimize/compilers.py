"""Offline strategies: compile the target instead of asking a model. The result is still just a candidate.

numba's nopython mode compiles plain numeric loops to machine code. Applying it is a source edit: add
``import numba`` and ``@numba.njit(cache=False)`` on the target (and, in a second variant, on the
module-level functions it calls, which nopython code cannot call otherwise). Whether the compiled version
is right (integer overflow at 64 bits, float semantics) and faster is decided by the same verification
and measurement as every other candidate; numba not being installed is a plain, explained rejection.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util

from effilab.optimize.target import Target, replace_function

__all__ = ["COMPILERS", "CompiledVariant", "compiler_variants"]

COMPILERS = ("numba",)
_DECORATOR = "@numba.njit(cache=False)"
_IMPORT = "import numba"


@dataclasses.dataclass(frozen=True, slots=True)
class CompiledVariant:
    label: str
    function_source: str
    module_source: str


class CompilerUnavailable(Exception):
    """The compiler cannot be applied to this target (not installed, or the target's kind)."""


def compiler_variants(target: Target, compiler: str = "numba") -> list[CompiledVariant]:
    """The candidate modules for ``compiler``, cheapest change first; raises :class:`CompilerUnavailable`."""
    if compiler not in COMPILERS:
        raise CompilerUnavailable(f"unknown compiler {compiler!r}; choose from {', '.join(COMPILERS)}")
    if importlib.util.find_spec("numba") is None:
        raise CompilerUnavailable("numba is not installed: pip install 'effilab[numba]'")
    if target.method_kind != "function":
        raise CompilerUnavailable("numba compiles module-level functions, not methods")
    function = f"{_DECORATOR}\n{target.function_source}"
    imports = () if _imports_numba(target) else (_IMPORT,)
    variants = [
        CompiledVariant("numba.njit", function, replace_function(target, function, new_imports=imports))
    ]
    helpers = _called_helpers(target)
    if helpers:
        module = _decorate_functions(variants[0].module_source, helpers)
        variants.append(CompiledVariant(f"numba.njit + helpers {', '.join(helpers)}", function, module))
    return variants


def _imports_numba(target: Target) -> bool:
    return any(line.strip() == _IMPORT for line in target.imports)


def _called_helpers(target: Target) -> list[str]:
    """Module-level functions the target calls by name."""
    module = ast.parse(target.module_source)
    functions = {node.name for node in module.body if isinstance(node, ast.FunctionDef)} - {target.name}
    tree = ast.parse(target.function_source)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions
    }
    return sorted(called)


def _decorate_functions(source: str, names: list[str]) -> str:
    """``source`` with the njit decorator added above each module-level function in ``names``."""
    module = ast.parse(source)
    lines = source.splitlines(keepends=True)
    starts = sorted(
        (
            min([node.lineno, *(d.lineno for d in node.decorator_list)])
            for node in module.body
            if isinstance(node, ast.FunctionDef) and node.name in names
        ),
        reverse=True,
    )
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    for start in starts:
        lines.insert(start - 1, _DECORATOR + newline)
    return "".join(lines)
