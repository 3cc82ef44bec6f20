"""The function the user wants faster: where it is in their file, and how a replacement is spliced back in.

This is the parent side only. The file is parsed with :mod:`ast`, never imported or executed, so pointing
effilab at a module with side effects at import time is harmless. Everything here works on the text exactly
as read (line endings, byte order mark and all), so :func:`replace_function` can leave every byte outside
the function untouched and a later patch can check that the file did not change meanwhile.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from effilab.errors import InvalidArgument

__all__ = [
    "MethodKind",
    "Param",
    "ParamKind",
    "Target",
    "bound_names",
    "describe_binding",
    "find_binding",
    "format_params",
    "method_kind_of",
    "params_of",
    "parse_target",
    "referenced_names",
    "replace_function",
    "signature_of",
    "split_lines",
    "statement_source",
]

ParamKind = Literal[
    "positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"
]
MethodKind = Literal["function", "method", "staticmethod", "classmethod"]

_BOM = "\ufeff"
# Physical lines as Python's tokenizer counts them: \r\n, \r and \n all end a line (form feeds do not,
# which is why str.splitlines cannot be used: it would shift every line number after a \f or \x1c).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# Lines that must stay first in a file: a shebang and a PEP 263 encoding declaration.
_SHEBANG_OR_CODING = re.compile(r"^(?:#!|[ \t\f]*#.*?coding[:=])")
_MAX_LISTED = 5


@dataclass(frozen=True)
class Param:
    """One parameter of the target, as written in the source."""

    name: str
    kind: ParamKind
    annotation: str | None
    has_default: bool
    default: str | None = None
    """``ast.unparse`` text of the default value, so defaults can be compared across rewrites."""


@dataclass(frozen=True)
class Target:
    """A function or method in a user's file, located and described from the file's text alone."""

    path: Path
    qualname: str
    name: str
    class_name: str | None
    module_source: str
    start_line: int
    """1-based first line of the function, its first decorator if decorated."""
    end_line: int
    """1-based last line of the function, inclusive."""
    indent: str
    function_source: str
    signature: str
    params: tuple[Param, ...]
    method_kind: MethodKind
    imports: tuple[str, ...]
    context: str
    statement_line: int
    """1-based first line of the enclosing top-level statement: the function itself, or its class."""

    @property
    def call_params(self) -> tuple[Param, ...]:
        """The parameters a caller passes: without the ``self``/``cls`` that Python binds itself."""
        bound_first = self.method_kind in ("method", "classmethod")
        if (
            bound_first
            and self.params
            and self.params[0].kind in ("positional_only", "positional_or_keyword")
        ):
            return self.params[1:]
        return self.params


# --------------------------------------------------------------------------------------------------------
# Locating the target


def parse_target(spec: str) -> Target:
    """The function named by ``spec`` (``PATH::name`` or ``PATH::Class.name``), read without importing it."""
    path_text, separator, qualname = spec.rpartition("::")
    if not separator or not path_text or not qualname:
        raise InvalidArgument(f"{spec}: expected PATH::FUNCTION or PATH::Class.method")
    parts = qualname.split(".")
    if not all(part.isidentifier() for part in parts):
        raise InvalidArgument(f"{spec}: {qualname!r} is not a function name or Class.method")
    if len(parts) > 2:
        raise InvalidArgument(f"{spec}: only functions and methods of top-level classes are supported")
    path = Path(path_text).expanduser().resolve()
    source = _read_source(spec, path)
    tree = _parse(spec, path, source)
    node, class_node = _locate(spec, tree, parts)
    return _describe_target(path, qualname, source, tree, node, class_node)


def _read_source(spec: str, path: Path) -> str:
    if not path.exists():
        raise InvalidArgument(f"{spec}: {path} does not exist")
    if not path.is_file():
        raise InvalidArgument(f"{spec}: {path} is not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidArgument(f"{spec}: cannot read {path}: {exc.strerror}") from None
    try:
        # Bytes are decoded as-is (no newline translation) so the text round-trips to the same bytes.
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidArgument(f"{spec}: {path} is not UTF-8 (invalid byte at offset {exc.start})") from None


def _parse(spec: str, path: Path, source: str) -> ast.Module:
    try:
        return ast.parse(source.removeprefix(_BOM), filename=str(path))
    except SyntaxError as exc:
        raise InvalidArgument(f"{spec}: {path}:{exc.lineno}: {exc.msg}") from None
    except ValueError as exc:  # null bytes, on Python versions that do not report them as SyntaxError
        raise InvalidArgument(f"{spec}: {path}: {exc}") from None


def _locate(spec: str, tree: ast.Module, parts: list[str]) -> tuple[ast.FunctionDef, ast.ClassDef | None]:
    if len(parts) == 1:
        return _locate_function(spec, tree, parts[0]), None
    class_node = _locate_class(spec, tree, parts[0], parts[1])
    return _locate_method(spec, class_node, parts[1]), class_node


def _locate_function(spec: str, tree: ast.Module, name: str) -> ast.FunctionDef:
    binding = find_binding(tree.body, name)
    if isinstance(binding, ast.FunctionDef):
        return binding
    if binding is not None:
        raise InvalidArgument(_not_a_function_message(spec, name, binding))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and isinstance(find_binding(node.body, name), ast.FunctionDef):
            raise InvalidArgument(f"{spec}: {name} is a method of {node.name}; use ::{node.name}.{name}")
    if _defined_nested(tree, name):
        raise InvalidArgument(f"{spec}: {name} is a nested function; nested functions are not supported")
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    raise InvalidArgument(f"{spec}: no top-level function {name} ({_available('functions', functions)})")


def _locate_class(spec: str, tree: ast.Module, class_name: str, name: str) -> ast.ClassDef:
    binding = find_binding(tree.body, class_name)
    if isinstance(binding, ast.ClassDef):
        return binding
    if isinstance(binding, ast.FunctionDef | ast.AsyncFunctionDef) and _defined_nested(binding, name):
        message = f"{name} is nested in function {class_name}; nested functions are not supported"
        raise InvalidArgument(f"{spec}: {message}")
    if binding is not None:
        raise InvalidArgument(f"{spec}: {class_name} is {describe_binding(binding)}, not a class")
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    raise InvalidArgument(f"{spec}: no top-level class {class_name} ({_available('classes', classes)})")


def _locate_method(spec: str, class_node: ast.ClassDef, name: str) -> ast.FunctionDef:
    binding = find_binding(class_node.body, name)
    if isinstance(binding, ast.FunctionDef):
        return binding
    if binding is not None:
        raise InvalidArgument(_not_a_function_message(spec, name, binding))
    if _defined_nested(class_node, name):
        raise InvalidArgument(f"{spec}: {name} is a nested function; nested functions are not supported")
    methods = [n.name for n in class_node.body if isinstance(n, ast.FunctionDef)]
    available = _available("methods", methods)
    raise InvalidArgument(f"{spec}: class {class_node.name} has no method {name} ({available})")


def _not_a_function_message(spec: str, name: str, binding: ast.stmt) -> str:
    if isinstance(binding, ast.AsyncFunctionDef):
        return f"{spec}: {name} is an async function; async functions are not supported"
    return f"{spec}: {name} is {describe_binding(binding)}, not a function"


def _defined_nested(scope: ast.AST, name: str) -> bool:
    """Whether a function ``name`` is defined inside a function body somewhere under ``scope``."""
    for node in ast.walk(scope):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = (n for child in node.body for n in ast.walk(child))
            if any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name for n in inner):
                return True
    return False


def _available(what: str, names: Sequence[str]) -> str:
    if not names:
        return f"the file defines no {what}" if what != "methods" else "it defines no methods"
    shown = ", ".join(names[:_MAX_LISTED])
    return f"{what}: {shown}, …" if len(names) > _MAX_LISTED else f"{what}: {shown}"


def find_binding(body: Sequence[ast.stmt], name: str) -> ast.stmt | None:
    """The statement of ``body`` binding ``name``: the last ``def`` of it, else the last binding of any kind.

    A ``def`` is preferred because ``def f`` followed by ``f = wrap(f)`` still has a function to rewrite.
    """
    bindings = [stmt for stmt in body if name in bound_names(stmt)]
    defs = [stmt for stmt in bindings if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)]
    if defs:
        return defs[-1]
    return bindings[-1] if bindings else None


def bound_names(stmt: ast.stmt) -> tuple[str, ...]:
    """The names a simple top-level statement binds (defs, classes, assignments, imports)."""
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return (stmt.name,)
    if isinstance(stmt, ast.Assign):
        return tuple(name for target in stmt.targets for name in _target_names(target))
    if isinstance(stmt, ast.AnnAssign | ast.AugAssign):
        return _target_names(stmt.target)
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return tuple((alias.asname or alias.name).split(".")[0] for alias in stmt.names if alias.name != "*")
    return ()


def _target_names(target: ast.expr) -> tuple[str, ...]:
    if isinstance(target, ast.Name):
        return (target.id,)
    if isinstance(target, ast.Tuple | ast.List):
        return tuple(name for element in target.elts for name in _target_names(element))
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return ()


def describe_binding(stmt: ast.stmt) -> str:
    """What a binding statement makes of a name, for error messages ("a class", "a variable", …)."""
    if isinstance(stmt, ast.AsyncFunctionDef):
        return "an async function"
    if isinstance(stmt, ast.FunctionDef):
        return "a function"
    if isinstance(stmt, ast.ClassDef):
        return "a class"
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return "an imported name"
    return "a variable"


# --------------------------------------------------------------------------------------------------------
# Describing the target


def _describe_target(
    path: Path,
    qualname: str,
    source: str,
    tree: ast.Module,
    node: ast.FunctionDef,
    class_node: ast.ClassDef | None,
) -> Target:
    text = source.removeprefix(_BOM)
    lines = split_lines(text)
    start, end = _first_line(node), _last_line(node)
    statement = class_node if class_node is not None else node
    return Target(
        path=path,
        qualname=qualname,
        name=node.name,
        class_name=class_node.name if class_node is not None else None,
        module_source=source,
        start_line=start,
        end_line=end,
        indent=_leading_whitespace(lines[start - 1]),
        function_source=statement_source(text, node),
        signature=signature_of(node),
        params=params_of(node.args),
        method_kind=method_kind_of(node, in_class=class_node is not None),
        imports=tuple(
            statement_source(text, stmt).rstrip("\n")
            for stmt in tree.body
            if isinstance(stmt, ast.Import | ast.ImportFrom)
        ),
        context=_context(text, tree, statement),
        statement_line=_first_line(statement),
    )


def params_of(args: ast.arguments) -> tuple[Param, ...]:
    """The parameters of an ``arguments`` node, in declaration order."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults.extend(args.defaults)
    params = [
        _param(arg, "positional_only" if index < len(args.posonlyargs) else "positional_or_keyword", default)
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True))
    ]
    if args.vararg is not None:
        params.append(_param(args.vararg, "var_positional", None))
    params.extend(
        _param(arg, "keyword_only", default)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    )
    if args.kwarg is not None:
        params.append(_param(args.kwarg, "var_keyword", None))
    return tuple(params)


def _param(arg: ast.arg, kind: ParamKind, default: ast.expr | None) -> Param:
    return Param(
        name=arg.arg,
        kind=kind,
        annotation=ast.unparse(arg.annotation) if arg.annotation is not None else None,
        has_default=default is not None,
        default=ast.unparse(default) if default is not None else None,
    )


def signature_of(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Canonical text of a def's parameter list and return annotation, e.g. ``(a: int, b=2) -> int``."""
    returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
    return f"({ast.unparse(node.args)}){returns}"


def format_params(params: Iterable[Param]) -> str:
    """A parameter list without annotations, e.g. ``(a, /, b=2, *, c)``: what matters to callers."""
    parts: list[str] = []
    previous: ParamKind | None = None
    for param in params:
        if previous == "positional_only" and param.kind != "positional_only":
            parts.append("/")
        if param.kind == "keyword_only" and previous not in ("keyword_only", "var_positional"):
            parts.append("*")
        prefix = {"var_positional": "*", "var_keyword": "**"}.get(param.kind, "")
        parts.append(f"{prefix}{param.name}" + (f"={param.default}" if param.default is not None else ""))
        previous = param.kind
    if previous == "positional_only":
        parts.append("/")
    return f"({', '.join(parts)})"


def method_kind_of(node: ast.FunctionDef | ast.AsyncFunctionDef, *, in_class: bool) -> MethodKind:
    """How Python binds the def: plain function, or (inside a class) method, staticmethod, classmethod."""
    if not in_class:
        return "function"
    for decorator in node.decorator_list:
        name = _decorator_name(decorator)
        if name == "staticmethod":
            return "staticmethod"
        if name == "classmethod":
            return "classmethod"
    return "method"


def _decorator_name(decorator: ast.expr) -> str | None:
    if isinstance(decorator, ast.Name):
        return decorator.id
    if isinstance(decorator, ast.Attribute):
        return decorator.attr
    return None


def _context(text: str, tree: ast.Module, target_statement: ast.stmt) -> str:
    """Module-level definitions the target refers to by name, plus what those refer to (one more level).

    Imports are left out (they are listed separately) and so is the target's own statement; two levels
    give the model the helpers and constants it needs without pasting the whole module into the prompt.
    """
    definitions: dict[str, list[ast.stmt]] = {}
    for stmt in tree.body:
        if stmt is target_statement or isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        for name in bound_names(stmt):
            definitions.setdefault(name, []).append(stmt)
    chosen: dict[int, ast.stmt] = {}
    frontier = referenced_names(target_statement)
    for _ in range(2):
        found = [stmt for name in frontier for stmt in definitions.get(name, []) if id(stmt) not in chosen]
        chosen.update((id(stmt), stmt) for stmt in found)
        frontier = {name for stmt in found for name in referenced_names(stmt)}
    ordered = sorted(chosen.values(), key=_first_line)
    return "\n\n".join(statement_source(text, stmt) for stmt in ordered)


def referenced_names(node: ast.AST) -> set[str]:
    """Every name read anywhere under ``node`` (decorators and defaults included)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


# --------------------------------------------------------------------------------------------------------
# Source text helpers


def split_lines(text: str) -> list[str]:
    """``text`` as physical lines with their endings, numbered the way :mod:`ast` numbers them."""
    return _LINE.findall(text)


def statement_source(source: str, node: ast.stmt) -> str:
    """The text of ``node`` with its decorators, dedented to column 0, ``\\n`` line endings, final newline.

    Continuation lines of multi-line strings are left alone: dedenting them would change the string.
    """
    lines = split_lines(source.removeprefix(_BOM))
    start, end = _first_line(node), _last_line(node)
    indent = _leading_whitespace(lines[start - 1])
    in_string = _string_rows(source)
    out: list[str] = []
    for row in range(start, end + 1):
        line = lines[row - 1].rstrip("\r\n")
        if row not in in_string and line.startswith(indent):
            line = line[len(indent) :]
        out.append(line + "\n")
    return "".join(out)


def _string_rows(source: str) -> frozenset[int]:
    """1-based rows that start inside a string literal (continuations of multi-line strings)."""
    text = source.removeprefix(_BOM).replace("\r\n", "\n").replace("\r", "\n")
    rows: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            # FSTRING_MIDDLE exists from Python 3.12 on, where f-strings are tokenized piecewise.
            if token.start[0] < token.end[0] and tokenize.tok_name[token.type] in (
                "STRING",
                "FSTRING_MIDDLE",
            ):
                rows.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass  # the caller parsed this text already; losing string protection only affects whitespace
    return frozenset(rows)


def _first_line(node: ast.stmt) -> int:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    return node.lineno


def _last_line(node: ast.stmt) -> int:
    return node.end_lineno if node.end_lineno is not None else node.lineno


def _leading_whitespace(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------------------------------------
# Splicing a replacement in


def replace_function(
    target: Target,
    new_function_source: str,
    *,
    new_imports: Sequence[str] = (),
    new_helpers: Sequence[str] = (),
) -> str:
    """The module text with the target replaced by ``new_function_source`` (a def at column 0).

    ``new_imports`` go after the last top-level import preceding the target, ``new_helpers`` right before
    the target's top-level statement (its class, for a method). Every other byte is kept, and inserted text
    uses the file's line endings. Raises :class:`InvalidArgument` if the result would not parse.
    """
    bom = _BOM if target.module_source.startswith(_BOM) else ""
    text = target.module_source.removeprefix(_BOM)
    lines = split_lines(text)
    tree = ast.parse(text)
    newline = _newline_style(lines, target.start_line)
    in_string = _string_rows(text)

    insertions: dict[int, list[str]] = {}
    import_index = _import_insertion_index(tree, lines, target.statement_line)
    if new_imports:
        insertions.setdefault(import_index, []).append(
            _import_block(tree, lines, import_index, new_imports, newline)
        )
    if new_helpers:
        helper_index = max(import_index, _comment_block_start(lines, in_string, target.statement_line) - 1)
        insertions.setdefault(helper_index, []).append(_helper_block(new_helpers, newline))

    replacement = _reindent(new_function_source, target.indent, newline)
    if not lines[target.end_line - 1].endswith(("\n", "\r")):
        replacement = replacement.removesuffix(newline)  # the function ended the file without a newline
    result = bom + _splice(lines, target.start_line, target.end_line, replacement, insertions)
    _check_parses(target, result)
    return result


def _splice(
    lines: list[str], start: int, end: int, replacement: str, insertions: dict[int, list[str]]
) -> str:
    """``lines`` with rows ``start..end`` replaced and text inserted before the given 0-based indices."""
    out: list[str] = []
    for index, line in enumerate(lines):
        out.extend(insertions.get(index, ()))
        if index == start - 1:
            out.append(replacement)
        if not start - 1 <= index < end:
            out.append(line)
    out.extend(insertions.get(len(lines), ()))
    return "".join(out)


def _newline_style(lines: list[str], row: int) -> str:
    """The line ending to write: the target's own, else the file's first, else ``\\n``."""
    for line in (lines[row - 1], *lines):
        stripped = line.rstrip("\r\n")
        if stripped != line:
            return line[len(stripped) :]
    return "\n"


def _import_insertion_index(tree: ast.Module, lines: list[str], statement_line: int) -> int:
    """0-based index of the line new imports go before.

    After the last top-level import that precedes the target (so helpers inserted before the target can
    use them at definition time), else after the module docstring, else after a shebang/encoding line.
    """
    before = [stmt for stmt in tree.body if _last_line(stmt) < statement_line]
    imports = [stmt for stmt in before if isinstance(stmt, ast.Import | ast.ImportFrom)]
    if imports:
        return _last_line(imports[-1])
    if before and _is_docstring(before[0]):
        return _last_line(before[0])
    index = 0
    while index < min(2, len(lines)) and _SHEBANG_OR_CODING.match(lines[index]):
        index += 1
    return index


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _import_block(
    tree: ast.Module, lines: list[str], index: int, imports: Sequence[str], newline: str
) -> str:
    body = "".join(_normalize_newlines(stmt).strip() + newline for stmt in imports)
    previous = [stmt for stmt in tree.body if _last_line(stmt) == index]
    if previous and _is_docstring(previous[0]):
        return newline + body  # a blank line between the docstring and the imports
    if previous:
        return body  # joins the existing import block
    return body + newline  # at the top of the file: separate from what follows


def _helper_block(helpers: Sequence[str], newline: str) -> str:
    """Helpers as top-level code, each followed by the two blank lines PEP 8 puts between definitions."""
    chunks = []
    for helper in helpers:
        helper_lines = _normalize_newlines(helper).strip("\n").split("\n")
        chunks.append(newline.join(helper_lines) + newline * 3)
    return "".join(chunks)


def _comment_block_start(lines: list[str], in_string: frozenset[int], row: int) -> int:
    """The first row of the comment lines directly above ``row`` (``row`` itself if none).

    Helpers go above those comments so a comment describing the target stays attached to it.
    """
    while row > 1 and row - 1 not in in_string and lines[row - 2].lstrip().startswith("#"):
        row -= 1
    return row


def _reindent(source: str, indent: str, newline: str) -> str:
    """``source`` (at column 0) indented by ``indent``, with ``newline`` endings; strings left untouched."""
    text = _normalize_newlines(source).strip("\n")
    in_string = _string_rows(text)
    out = []
    for row, line in enumerate(text.split("\n"), start=1):
        if row in in_string:
            out.append(line)
        elif line.strip():
            out.append(indent + line)
        else:
            out.append("")
    return newline.join(out) + newline


def _check_parses(target: Target, result: str) -> None:
    try:
        ast.parse(result.removeprefix(_BOM))
    except SyntaxError as exc:
        message = f"{target.path}::{target.qualname}: the rewritten module does not parse"
        raise InvalidArgument(f"{message} (line {exc.lineno}: {exc.msg})") from None
