"""Offline strategies: compile the target instead of asking a model. The result is still just a candidate.

numba's nopython mode compiles plain numeric loops to machine code. Applying it is a source edit, tried
in two variants, simplest first:

1. ``import numba`` and ``@numba.njit(cache=False)`` on the target;
2. *guarded*: the original body kept as ``_<name>_py``, compiled as ``_<name>_jit``, and the public
   function calling the compiled one, falling back to the original Python for inputs numba cannot type
   (an empty or mixed-type list, an int beyond 64 bits). Module-level functions the target calls are
   compiled too, since nopython code cannot call plain Python functions. On a fallback the original code
   runs, so the result is the original's by construction.

Whether the compiled version
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
    guarded = _guarded(target)
    if guarded is not None:
        module = replace_function(target, guarded, new_imports=imports)
        helpers = _called_helpers(target)
        label = "numba.njit, guarded (falls back to Python for inputs numba cannot type)"
        if helpers:
            module = _decorate_functions(module, helpers)
            label += f", helpers compiled: {', '.join(helpers)}"
        variants.append(CompiledVariant(label, guarded, module))
    return variants


def _guarded(target: Target) -> str | None:
    """The guarded variant's source (see the module docstring), or None for one-line definitions."""
    node = ast.parse(target.function_source).body[0]
    assert isinstance(node, ast.FunctionDef)
    lines = target.function_source.splitlines(keepends=True)
    body_start = node.body[0].lineno - 1
    if body_start <= node.lineno - 1:
        return None
    header = "".join(lines[node.lineno - 1 : body_start])
    decorators = "".join(lines[: node.lineno - 1])
    python, compiled = f"_{target.name}_py", f"_{target.name}_jit"
    renamed = header.replace(f"def {target.name}", f"def {python}", 1) + "".join(lines[body_start:])
    call = ", ".join(_forward(p.name, p.kind) for p in target.params)
    docstring = ast.get_docstring(node, clean=False)
    doc = f'    """{docstring}"""\n' if docstring and '"""' not in docstring and "\\" not in docstring else ""
    return (
        f"{renamed}\n\n{compiled} = numba.njit(cache=False)({python})\n\n\n"
        f"{decorators}{header}{doc}"
        f"    try:\n        return {compiled}({call})\n"
        "    except (TypeError, ValueError, OverflowError, numba.core.errors.NumbaError):\n"
        "        # An input numba cannot type (empty or mixed list, int beyond 64 bits): the original code.\n"
        f"        return {python}({call})\n"
    )


def _forward(name: str, kind: str) -> str:
    """How the dispatcher passes parameter ``name`` on."""
    forms = {"var_positional": f"*{name}", "var_keyword": f"**{name}", "keyword_only": f"{name}={name}"}
    return forms.get(kind, name)


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
