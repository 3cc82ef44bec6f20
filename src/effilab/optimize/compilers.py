"""Offline strategies: compile the target instead of asking a model. The result is still just a candidate.

numba's nopython mode compiles plain numeric loops to machine code. Applying it is a source edit, tried
in two variants, simplest first:

1. ``import numba`` and ``@numba.njit(cache=False)`` on the target;
2. *guarded*: the original body kept as ``_<name>_py``, compiled as ``_<name>_jit``, and the public
   function calling the compiled one, falling back to the original Python for inputs numba cannot type
   (an empty or mixed-type list, an int beyond 64 bits). The compiled body calls compiled *copies* of
   the module-level functions the target calls (nopython code cannot call plain Python functions); the
   fallback is the original text calling the original helpers, so it behaves as the original does.

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
        source, helpers = guarded
        label = "numba.njit, guarded (falls back to Python for inputs numba cannot type)"
        if helpers:
            label += f", compiled copies of {', '.join(helpers)}"
        variants.append(CompiledVariant(label, source, replace_function(target, source, new_imports=imports)))
    return variants


def _guarded(target: Target) -> tuple[str, list[str]] | None:
    """The guarded variant's source and the helpers it compiles copies of; None for one-line definitions.

    The fallback ``_<name>_py`` is the original text and calls the original Python helpers; only the
    compiled body ``_<name>_nb`` calls compiled copies ``_<helper>_jit``, so a fallback behaves exactly as
    the original does.
    """
    node = ast.parse(target.function_source).body[0]
    assert isinstance(node, ast.FunctionDef)
    lines = target.function_source.splitlines(keepends=True)
    body_start = node.body[0].lineno - 1
    if body_start <= node.lineno - 1:
        return None
    header = "".join(lines[node.lineno - 1 : body_start])
    decorators = "".join(lines[: node.lineno - 1])
    name = target.name
    python, compiled = f"_{name}_py", f"_{name}_jit"
    renamed = header.replace(f"def {name}", f"def {python}", 1) + "".join(lines[body_start:])
    helpers = _called_helpers(target)
    jit_source = f"{compiled} = numba.njit(cache=False)({python})\n"
    if helpers:
        copies = "".join(f"_{h}_jit = numba.njit(cache=False)({h})\n" for h in helpers)
        body = _renamed_copy(node, f"_{name}_nb", helpers)
        jit_source = f"{copies}\n\n{body}\n\n{compiled} = numba.njit(cache=False)(_{name}_nb)\n"
    call = ", ".join(_forward(p.name, p.kind) for p in target.params)
    docstring = ast.get_docstring(node, clean=False)
    doc = f'    """{docstring}"""\n' if docstring and '"""' not in docstring and "\\" not in docstring else ""
    return (
        f"{renamed}\n\n{jit_source}\n\n"
        f"{decorators}{header}{doc}"
        f"    try:\n        return {compiled}({call})\n"
        "    except (TypeError, ValueError, OverflowError, SystemError, numba.core.errors.NumbaError):\n"
        "        # An input numba cannot type (empty or mixed list, int beyond 64 bits): the original code.\n"
        "        # (Its dispatcher reports an empty list as ValueError, or as SystemError when typing fails\n"
        "        # inside a C call.)\n"
        f"        return {python}({call})\n"
    ), helpers


def _renamed_copy(node: ast.FunctionDef, name: str, helpers: list[str]) -> str:
    """``node`` as ``name``, undecorated, without docstring, calling ``_<helper>_jit`` for each helper."""

    class _Rename(ast.NodeTransformer):
        def visit_Name(self, child: ast.Name) -> ast.Name:
            if child.id in helpers:
                return ast.copy_location(ast.Name(id=f"_{child.id}_jit", ctx=child.ctx), child)
            return child

    copy = _Rename().visit(ast.parse(ast.unparse(node)).body[0])
    assert isinstance(copy, ast.FunctionDef)
    copy.name = name
    copy.decorator_list = []
    if ast.get_docstring(copy) is not None and len(copy.body) > 1:
        copy.body = copy.body[1:]
    return ast.unparse(ast.fix_missing_locations(copy)) + "\n"


def _forward(name: str, kind: str) -> str:
    """How the dispatcher passes parameter ``name`` on."""
    forms = {"var_positional": f"*{name}", "var_keyword": f"**{name}", "keyword_only": f"{name}={name}"}
    return forms.get(kind, name)


def _imports_numba(target: Target) -> bool:
    return any(line.strip() == _IMPORT for line in target.imports)


def _called_helpers(target: Target) -> list[str]:
    """Module-level functions defined above the target that it calls by name.

    Only those above it: their compiled copies are made when the module runs the target's definition.
    """
    module = ast.parse(target.module_source.removeprefix("\ufeff"))
    functions = {
        node.name
        for node in module.body
        if isinstance(node, ast.FunctionDef) and node.lineno < target.start_line
    } - {target.name}
    tree = ast.parse(target.function_source)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions
    }
    return sorted(called)
