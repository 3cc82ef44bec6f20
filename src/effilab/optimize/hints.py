"""Example and stress inputs for a user's function, derived from its type hints given as *source text*.

``effilab optimize`` needs inputs for a function when the user has neither tests nor an input generator.
The user's code is never imported or executed in this process, so annotations arrive as the text
``ast.unparse`` made of them (``"list[int]"``, ``"Optional[dict[str, float]]"``, ``"int | None"``...). They
are parsed with :mod:`ast` into a small tree of frozen dataclasses and nothing is ever evaluated.

Supported: ``int``, ``float``, ``bool``, ``str``, ``bytes``, ``None``; ``list[X]`` (also ``List``,
``Sequence``, ``MutableSequence``, ``Iterable``, ``Collection``: all become lists); ``tuple[X, ...]`` and
``tuple[X, Y]`` (also ``Tuple``; ``tuple[()]`` is the empty tuple); ``dict[K, V]`` (also ``Dict``,
``Mapping``, ``MutableMapping``); ``set[X]`` (also ``Set``, ``AbstractSet``, ``MutableSet``);
``frozenset[X]`` (also ``FrozenSet``); ``Optional[X]``, ``Union[X, Y]``, ``X | Y``; the ``typing.`` and
``collections.abc.`` prefixes; string (forward-reference) annotations such as ``"list[int]"``.

Values stay within what the sandbox codec carries and what is easy to read in a report: dict keys are
str/int/float/bool/None or tuples of those, set members are hashable, floats are finite.

Three consumers:

* :func:`hint_strategy` / :func:`hint_examples`: small, edge-case-rich example inputs (Hypothesis), used to
  compare a rewrite's behaviour with the original's. Deterministic for a given seed, across processes.
* :func:`sized_generator`: large inputs of a given size (stdlib :mod:`random` only) for measuring scaling.
* :func:`describe`: a short human description for messages.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import importlib
import itertools
import math
import random
import string
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeAlias

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from effilab.errors import EffilabError, InvalidArgument

__all__ = [
    "DictOf",
    "Hint",
    "ListOf",
    "Scalar",
    "SetOf",
    "TupleFixed",
    "TupleOf",
    "UnionOf",
    "UnsupportedHint",
    "describe",
    "hint_examples",
    "hint_strategy",
    "parse_hint",
    "sized_generator",
]

ScalarKind: TypeAlias = Literal["int", "float", "bool", "str", "bytes", "None"]
Params: TypeAlias = Sequence[tuple[str, str | None]]


class UnsupportedHint(EffilabError):
    """No inputs can be derived for a parameter; the message names the parameter and its annotation."""

    def __init__(self, parameter: str, annotation: str | None, reason: str = "") -> None:
        self.parameter = parameter
        self.annotation = annotation
        self.reason = reason
        if annotation is None:
            message = f"parameter {parameter!r}: cannot derive inputs: no annotation"
        else:
            message = f"parameter {parameter!r}: cannot derive inputs from annotation {annotation!r}"
            if reason:
                message += f" ({reason})"
        super().__init__(message)


# ---------------------------------------------------------------------------------------------------------
# The type tree


@dataclasses.dataclass(frozen=True)
class Scalar:
    """``int``, ``float``, ``bool``, ``str``, ``bytes`` or ``None``."""

    kind: ScalarKind


@dataclasses.dataclass(frozen=True)
class ListOf:
    """A list (also what ``Sequence``, ``Iterable``... annotations receive)."""

    item: Hint


@dataclasses.dataclass(frozen=True)
class TupleOf:
    """A variable-length tuple, ``tuple[X, ...]``."""

    item: Hint


@dataclasses.dataclass(frozen=True)
class TupleFixed:
    """A fixed-length tuple, ``tuple[X, Y]`` (``tuple[()]`` has no items)."""

    items: tuple[Hint, ...]


@dataclasses.dataclass(frozen=True)
class DictOf:
    key: Hint
    value: Hint


@dataclasses.dataclass(frozen=True)
class SetOf:
    item: Hint
    frozen: bool = False


@dataclasses.dataclass(frozen=True)
class UnionOf:
    """At least two distinct options, flattened (no option is itself a union), in source order."""

    options: tuple[Hint, ...]


Hint: TypeAlias = Scalar | ListOf | TupleOf | TupleFixed | DictOf | SetOf | UnionOf

INT = Scalar("int")
FLOAT = Scalar("float")
BOOL = Scalar("bool")
STR = Scalar("str")
BYTES = Scalar("bytes")
NONE = Scalar("None")

# ---------------------------------------------------------------------------------------------------------
# Parsing

_MAX_DEPTH = 32
"""Nesting bound: keeps the recursive parser and generators far from Python's recursion limit."""
_MAX_TEXT = 2000
"""Longer annotation text is surely not something we support; refusing early bounds the parsing work."""

_SCALAR_KINDS: tuple[ScalarKind, ...] = ("int", "float", "bool", "str", "bytes")
_SCALARS: dict[str, ScalarKind] = {kind: kind for kind in _SCALAR_KINDS}
_TYPING_NAMES = {
    "List": "list",
    "Sequence": "list",
    "MutableSequence": "list",
    "Iterable": "list",
    "Collection": "list",
    "Tuple": "tuple",
    "Dict": "dict",
    "Mapping": "dict",
    "MutableMapping": "dict",
    "Set": "set",
    "AbstractSet": "set",
    "MutableSet": "set",
    "FrozenSet": "frozenset",
    "Optional": "optional",
    "Union": "union",
}
_ABC_NAMES = {
    "Sequence": "list",
    "MutableSequence": "list",
    "Iterable": "list",
    "Collection": "list",
    "Mapping": "dict",
    "MutableMapping": "dict",
    "Set": "set",  # collections.abc.Set is the abstract set (typing.AbstractSet)
    "MutableSet": "set",
}
_BUILTIN_NAMES = {**dict.fromkeys(_SCALARS, "scalar"), "list": "list", "tuple": "tuple", "dict": "dict"}
_BUILTIN_NAMES |= {"set": "set", "frozenset": "frozenset"}
# Bare names: builtins, plus whatever `from typing import ...` / `from collections.abc import ...` bring in.
_BARE_NAMES = {**_ABC_NAMES, **_TYPING_NAMES, **_BUILTIN_NAMES}
_ARITY = {"list": 1, "set": 1, "frozenset": 1, "dict": 2, "optional": 1}


class _Reject(Exception):
    """Internal: why an annotation is not supported (wrapped into UnsupportedHint with the parameter)."""


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _kind_of(node: ast.expr) -> tuple[str, str]:
    """``(kind, shown name)`` of a type name: kind is a scalar kind or list/tuple/dict/set/... ."""
    name = _dotted(node)
    if name is None:
        raise _Reject(f"unsupported expression {ast.unparse(node)!r}")
    head, _, last = name.rpartition(".")
    table = {"": _BARE_NAMES, "typing": _TYPING_NAMES, "collections.abc": _ABC_NAMES}.get(head)
    kind = None if table is None else table.get(last)
    if kind is None:
        raise _Reject(f"unsupported type {name!r}")
    return (last if kind == "scalar" else kind), name


def _union(options: Sequence[Hint]) -> Hint:
    flat: list[Hint] = []
    for option in options:
        for member in option.options if isinstance(option, UnionOf) else (option,):
            if member not in flat:  # Union[int, int] and Optional[Optional[X]] collapse like typing does
                flat.append(member)
    return flat[0] if len(flat) == 1 else UnionOf(tuple(flat))


def _is_hashable(hint: Hint) -> bool:
    if isinstance(hint, Scalar):
        return True
    if isinstance(hint, TupleFixed):
        return all(_is_hashable(item) for item in hint.items)
    if isinstance(hint, TupleOf):
        return _is_hashable(hint.item)
    if isinstance(hint, SetOf):
        return hint.frozen  # members were checked when the frozenset was parsed
    if isinstance(hint, UnionOf):
        return all(_is_hashable(option) for option in hint.options)
    return False


def _is_plain_key(hint: Hint) -> bool:
    # Keys that read well in a report and in JSON: no bytes, no frozensets.
    if isinstance(hint, Scalar):
        return hint.kind != "bytes"
    if isinstance(hint, TupleFixed):
        return all(_is_plain_key(item) for item in hint.items)
    if isinstance(hint, TupleOf):
        return _is_plain_key(hint.item)
    if isinstance(hint, UnionOf):
        return all(_is_plain_key(option) for option in hint.options)
    return False


def _subscript(node: ast.Subscript, depth: int) -> Hint:
    kind, name = _kind_of(node.value)
    if kind in _SCALARS:
        raise _Reject(f"{name!r} takes no type arguments")
    arg_nodes = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    if kind == "tuple":
        if not arg_nodes:  # tuple[()]
            return TupleFixed(())
        if len(arg_nodes) == 2 and isinstance(arg_nodes[1], ast.Constant) and arg_nodes[1].value is ...:
            return TupleOf(_convert(arg_nodes[0], depth + 1))
        return TupleFixed(tuple(_convert(arg, depth + 1) for arg in arg_nodes))
    expected = _ARITY.get(kind)
    if expected is not None and len(arg_nodes) != expected:
        plural = "s" if expected > 1 else ""
        raise _Reject(f"{name!r} takes {expected} type argument{plural}, got {len(arg_nodes)}")
    args = [_convert(arg, depth + 1) for arg in arg_nodes]
    if kind == "list":
        return ListOf(args[0])
    if kind in ("set", "frozenset"):
        if not _is_hashable(args[0]):
            raise _Reject(f"members of {name!r} must be hashable")
        return SetOf(args[0], frozen=kind == "frozenset")
    if kind == "dict":
        if not _is_plain_key(args[0]):
            raise _Reject("dict keys must be str, int, float, bool, None or tuples of those")
        return DictOf(args[0], args[1])
    if kind == "optional":
        return _union([args[0], NONE])
    if not args:  # Union[()]
        raise _Reject("empty Union")
    return _union(args)


def _convert(node: ast.expr, depth: int) -> Hint:
    if depth > _MAX_DEPTH:
        raise _Reject("nested too deeply")
    if isinstance(node, ast.Constant):
        if node.value is None:
            return NONE
        if isinstance(node.value, str):  # a forward reference: def f(xs: "list[int]")
            return _convert(_parse_text(node.value), depth + 1)
        raise _Reject(f"unsupported constant {node.value!r}")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([_convert(node.left, depth + 1), _convert(node.right, depth + 1)])
    if isinstance(node, ast.Subscript):
        return _subscript(node, depth)
    if isinstance(node, ast.Name | ast.Attribute):
        kind, name = _kind_of(node)
        if kind in _SCALARS:
            return Scalar(_SCALARS[kind])
        raise _Reject(f"{name!r} needs type arguments, e.g. list[int]")
    raise _Reject(f"unsupported expression {ast.unparse(node)!r}")


def _parse_text(text: str) -> ast.expr:
    if len(text) > _MAX_TEXT:
        raise _Reject("annotation too long")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # ValueError: NUL bytes
        raise _Reject("not a valid expression") from exc


def parse_hint(parameter: str, annotation: str | None) -> Hint:
    """The type tree of one parameter's annotation text; :class:`UnsupportedHint` if none can be made."""
    if not isinstance(parameter, str):
        raise InvalidArgument(f"parameter name {parameter!r}: must be a str")
    if annotation is None:
        raise UnsupportedHint(parameter, None)
    if not isinstance(annotation, str):
        raise InvalidArgument(f"parameter {parameter!r}: annotation {annotation!r} must be a str or None")
    try:
        return _convert(_parse_text(annotation), 0)
    except _Reject as exc:
        raise UnsupportedHint(parameter, annotation, str(exc)) from None
    except RecursionError:  # ast.unparse in a message on a pathological tree; depth is bounded otherwise
        raise UnsupportedHint(parameter, annotation, "nested too deeply") from None


def _parse_params(params: Params) -> list[tuple[str, Hint]]:
    if isinstance(params, str | bytes) or not isinstance(params, Sequence):
        raise InvalidArgument(f"params={params!r}: must be a sequence of (name, annotation) pairs")
    parsed: list[tuple[str, Hint]] = []
    seen: set[str] = set()
    for entry in params:
        if not isinstance(entry, tuple | list) or len(entry) != 2:
            raise InvalidArgument(f"params entry {entry!r}: must be a (name, annotation) pair")
        name, annotation = entry
        if not isinstance(name, str) or not name:
            raise InvalidArgument(f"params entry {entry!r}: the name must be a non-empty str")
        if name in seen:
            raise InvalidArgument(f"params: parameter {name!r} appears twice")
        seen.add(name)
        parsed.append((name, parse_hint(name, annotation)))
    return parsed


# ---------------------------------------------------------------------------------------------------------
# Hypothesis: small, edge-case-rich examples

_NON_ASCII_LETTERS = "éüßñøπλЖ"
# Printable ASCII (including the whitespace a tokenizer may trip on) plus a few non-ASCII letters, so that
# byte-length vs character-length confusions and .isalpha()/.lower() differences show up.
_TEXT_ALPHABET = string.ascii_letters + string.digits + string.punctuation + " \t\n" + _NON_ASCII_LETTERS
_MAX_SEQUENCE = 20
_MAX_MAPPING = 10
_SMALL_INT = 10
_INT_BOUND = 1000
_SMALL_FLOAT = 1000.0


def _strategy(hint: Hint) -> st.SearchStrategy[object]:
    if isinstance(hint, Scalar):
        if hint.kind == "int":
            # Hypothesis already favours bounds and 0; the small-range branch adds -1, 1, 2... (off-by-one).
            return st.one_of(st.integers(-_SMALL_INT, _SMALL_INT), st.integers(-_INT_BOUND, _INT_BOUND))
        if hint.kind == "float":
            # Mostly moderate magnitudes (user arithmetic rarely expects 1e308), but any finite value may
            # come; -0.0 and subnormals are allowed on purpose: they are legitimate inputs.
            return st.one_of(
                st.floats(-_SMALL_FLOAT, _SMALL_FLOAT, width=64),
                st.floats(allow_nan=False, allow_infinity=False, width=64),
            )
        if hint.kind == "bool":
            return st.booleans()
        if hint.kind == "str":
            # Not st.text(alphabet=...): that loads Hypothesis's Unicode tables, cached under ./.hypothesis.
            return st.lists(st.sampled_from(_TEXT_ALPHABET), max_size=_MAX_SEQUENCE).map("".join)
        if hint.kind == "bytes":
            return st.binary(max_size=_MAX_SEQUENCE)
        return st.none()
    if isinstance(hint, ListOf):
        return st.lists(_strategy(hint.item), max_size=_MAX_SEQUENCE)
    if isinstance(hint, TupleOf):
        return st.lists(_strategy(hint.item), max_size=_MAX_SEQUENCE).map(tuple)
    if isinstance(hint, TupleFixed):
        return st.tuples(*(_strategy(item) for item in hint.items))
    if isinstance(hint, DictOf):
        return st.dictionaries(_strategy(hint.key), _strategy(hint.value), max_size=_MAX_MAPPING)
    if isinstance(hint, SetOf):
        if hint.frozen:
            return st.frozensets(_strategy(hint.item), max_size=_MAX_MAPPING)
        return st.sets(_strategy(hint.item), max_size=_MAX_MAPPING)
    return st.one_of(*(_strategy(option) for option in hint.options))


def hint_strategy(params: Params) -> st.SearchStrategy[tuple[object, ...]]:
    """One argument tuple per draw, one element per ``(name, annotation text)`` in ``params``."""
    return st.tuples(*(_strategy(hint) for _, hint in _parse_params(params)))


def _canonical(value: object) -> str:
    """``repr`` with set members sorted: a set's iteration order follows str hashes, which vary by process."""
    if isinstance(value, set | frozenset):
        members = ", ".join(sorted(_canonical(member) for member in value))
        return f"{type(value).__name__}({{{members}}})"
    if isinstance(value, list):
        return "[" + ", ".join(_canonical(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(_canonical(item) + ", " for item in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_canonical(k)}: {_canonical(v)}" for k, v in value.items()) + "}"
    return repr(value)


try:  # private Hypothesis internals, used only to switch one feature off (see _without_local_constants)
    _PROVIDERS: types.ModuleType | None = importlib.import_module("hypothesis.internal.conjecture.providers")
except ImportError:  # pragma: no cover - a Hypothesis that moved or never had them
    _PROVIDERS = None
_LOCAL_CONSTANTS_HOOK = "_get_local_constants"


@contextlib.contextmanager
def _without_local_constants() -> Iterator[None]:
    """Stop Hypothesis from mixing literals of local source files into the values it draws.

    Recent Hypothesis versions sometimes draw literals found in every imported module outside site-packages
    and the stdlib (here: effilab itself when installed editable). The values drawn for a seed would then
    depend on what this process happened to import, even changing within one process, and Hypothesis would
    cache those literals under ./.hypothesis in the user's directory. Without the hook, or with the private
    names gone in a future version, this does nothing. Not safe alongside Hypothesis runs in other threads.
    """
    hook = getattr(_PROVIDERS, _LOCAL_CONSTANTS_HOOK, None)
    make_constants = getattr(_PROVIDERS, "Constants", None)
    clear_cache = getattr(getattr(getattr(_PROVIDERS, "CONSTANTS_CACHE", None), "cache", None), "clear", None)
    if hook is None or make_constants is None or clear_cache is None:
        yield
        return
    empty = make_constants()
    # The cache holds per-type tuples of local constants already filtered: clear it on the way in (entries
    # computed by earlier runs hold literals) and on the way out (ours would hide them from later runs).
    clear_cache()
    setattr(_PROVIDERS, _LOCAL_CONSTANTS_HOOK, lambda: empty)
    try:
        yield
    finally:
        setattr(_PROVIDERS, _LOCAL_CONSTANTS_HOOK, hook)
        clear_cache()


def hint_examples(params: Params, *, count: int, seed: int) -> list[tuple[object, ...]]:
    """Up to ``count`` distinct argument tuples drawn by Hypothesis; the same ``seed`` gives the same list.

    Fewer than ``count`` come back when Hypothesis finds fewer distinct values (``(b: bool)`` has two).
    """
    strategy = hint_strategy(params)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidArgument(f"count={count!r}: must be a non-negative integer")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgument(f"seed={seed!r}: must be an integer")
    if count == 0:
        return []
    examples: list[tuple[object, ...]] = []
    seen: set[str] = set()

    def collect(example: tuple[object, ...]) -> None:
        key = _canonical(example)
        if key not in seen:
            seen.add(key)
            examples.append(example)

    # A @given test is the supported way to draw many values (.example() warns and ignores seeds). Settings
    # derive from the built-in "default" profile, not the loaded one, so that a caller's profile (another
    # backend, say) cannot change the result; derandomize must stay False, since it would replace @seed by a
    # hash of this function.
    run = settings(
        parent=settings.get_profile("default"),
        max_examples=count,
        database=None,
        derandomize=False,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
        verbosity=Verbosity.quiet,
        print_blob=False,
    )(hypothesis_seed(seed)(given(strategy)(collect)))
    with _without_local_constants():
        run()
    return examples[:count]


# ---------------------------------------------------------------------------------------------------------
# Stress inputs of a given size (stdlib random only: fast and independent of Hypothesis)

_STRESS_INT = 10**6
_STRESS_FLOAT = 1e3
# Lowercase letters only: many string routines index a 26-slot table, and a stress input should exercise
# the fast path, not make the original raise.
_STRESS_ALPHABET = string.ascii_lowercase
_BOOLS = (False, True)
_KEY_ROUNDS = 64
"""Bound on rounds of drawing fresh dict keys (small key spaces such as bool stop earlier, when stale)."""


@dataclasses.dataclass(frozen=True)
class _Context:
    top: bool
    """The value is a parameter itself (or an item of a fixed tuple that is one), not a container member."""
    scale: bool
    """No parameter carries size (container, str, bytes): top-level numbers *are* the size."""
    spread: int
    """Container ints are drawn in [-spread, spread]."""


def _stress(hint: Hint) -> Hint:
    """The hint with every union replaced by the branch a stress input takes: the first non-None one."""
    if isinstance(hint, UnionOf):
        branches = [option for option in hint.options if option != NONE]
        return _stress(branches[0]) if branches else NONE
    if isinstance(hint, ListOf):
        return ListOf(_stress(hint.item))
    if isinstance(hint, TupleOf):
        return TupleOf(_stress(hint.item))
    if isinstance(hint, TupleFixed):
        return TupleFixed(tuple(_stress(item) for item in hint.items))
    if isinstance(hint, DictOf):
        return DictOf(_stress(hint.key), _stress(hint.value))
    if isinstance(hint, SetOf):
        return SetOf(_stress(hint.item), hint.frozen)
    return hint


def _is_sized(hint: Hint) -> bool:
    """Whether the value's volume grows with ``size`` (for a stress hint: unions already resolved)."""
    if isinstance(hint, Scalar):
        return hint.kind in ("str", "bytes")
    if isinstance(hint, TupleFixed):
        return any(_is_sized(item) for item in hint.items)
    return not isinstance(hint, UnionOf)


def _shape(members: Sequence[Hint], size: int) -> tuple[int, int]:
    """``(length, member size)`` of a container of ``size`` whose members are ``members``.

    Flat containers get ``size`` members. When members are sized too, they get size ``isqrt(size) + 1``
    and the container ``ceil(size / that)`` of them, so the total volume stays about ``size`` at any depth.
    """
    if not any(_is_sized(member) for member in members):
        return size, size
    inner = math.isqrt(size) + 1
    return -(-size // inner), inner


def _chunks(flat: list[object], count: int, length: int) -> list[list[object]]:
    if count == 1:
        return [flat]
    return [flat[i * length : (i + 1) * length] for i in range(count)]


def _floats(rng: random.Random, count: int) -> list[object]:
    draw = rng.random  # local binding: this comprehension is the hot loop for float lists
    width = 2 * _STRESS_FLOAT
    return [draw() * width - _STRESS_FLOAT for _ in range(count)]


def _scalars(hint: Scalar, count: int, size: int, rng: random.Random, ctx: _Context) -> list[object]:
    kind = hint.kind
    if kind == "int":
        if ctx.top:
            return [size] * count if ctx.scale else [rng.randint(0, size) for _ in range(count)]
        # choices() over a range indexes it: several times faster than randint() per element.
        return list(rng.choices(range(-ctx.spread, ctx.spread + 1), k=count))
    if kind == "float":
        return [float(size)] * count if ctx.top and ctx.scale else _floats(rng, count)
    if kind == "bool":
        return list(rng.choices(_BOOLS, k=count))
    if kind == "str":
        text = "".join(rng.choices(_STRESS_ALPHABET, k=count * size))
        return [text[i * size : (i + 1) * size] for i in range(count)]
    if kind == "bytes":
        blob = rng.randbytes(count * size)
        return [blob[i * size : (i + 1) * size] for i in range(count)]
    return [None] * count


def _key_space(hint: Hint) -> int | None:
    """How many distinct keys ``hint`` has, when that is few enough to cap a dict's length; else None."""
    if hint == BOOL:
        return 2
    if hint == NONE:
        return 1
    if isinstance(hint, TupleFixed):
        total = 1
        for item in hint.items:
            space = _key_space(item)
            if space is None:
                return None
            total *= space
        return total
    return None  # ints (spread widened for keys), floats, non-empty strs: plenty


def _distinct_keys(hint: Hint, length: int, size: int, rng: random.Random, ctx: _Context) -> list[object]:
    space = _key_space(hint)
    if space is not None:
        length = min(length, space)
    keys: dict[object, None] = {}  # a dict, not a set: insertion order keeps the result process-independent
    stale = 0
    for _ in range(_KEY_ROUNDS):
        missing = length - len(keys)
        if missing <= 0 or stale >= 3:
            break
        before = len(keys)
        keys.update(dict.fromkeys(_batch(hint, missing + missing // 8 + 8, size, rng, ctx)))
        stale = stale + 1 if len(keys) == before else 0
    return list(itertools.islice(keys, length))


def _batch(hint: Hint, count: int, size: int, rng: random.Random, ctx: _Context) -> list[object]:
    """``count`` independent values of ``hint`` at ``size``, generated column-wise for speed."""
    if isinstance(hint, Scalar):
        return _scalars(hint, count, size, rng, ctx)
    if isinstance(hint, TupleFixed):
        # Items of a fixed tuple keep the tuple's context: `p: tuple[int, int]` is two top-level ints.
        columns = [_batch(item, count, size, rng, ctx) for item in hint.items]
        return list(zip(*columns, strict=True)) if columns else [()] * count
    inner_ctx = dataclasses.replace(ctx, top=False)
    if isinstance(hint, DictOf):
        length, inner = _shape((hint.key, hint.value), size)
        # Int keys get room to be distinct in about one round of draws, beyond 250 000 keys too.
        key_ctx = dataclasses.replace(inner_ctx, spread=max(ctx.spread, 4 * length))
        key_lists = [_distinct_keys(hint.key, length, inner, rng, key_ctx) for _ in range(count)]
        values = _batch(hint.value, sum(map(len, key_lists)), inner, rng, inner_ctx)
        dicts: list[object] = []
        start = 0
        for keys in key_lists:
            dicts.append(dict(zip(keys, values[start : start + len(keys)], strict=True)))
            start += len(keys)
        return dicts
    if isinstance(hint, ListOf | TupleOf | SetOf):
        length, inner = _shape((hint.item,), size)
        chunks = _chunks(_batch(hint.item, count * length, inner, rng, inner_ctx), count, length)
        if isinstance(hint, ListOf):
            return list(chunks)
        if isinstance(hint, TupleOf):
            return [tuple(chunk) for chunk in chunks]
        return [frozenset(chunk) if hint.frozen else set(chunk) for chunk in chunks]
    raise AssertionError(f"unions are resolved before generation: {hint!r}")


def sized_generator(params: Params) -> Callable[[int, random.Random], tuple[object, ...]]:
    """``generate(size, rng)``: one argument tuple of stress inputs whose volume grows linearly with size.

    Containers, str and bytes parameters have length ``size`` (nested ones share that budget, see
    :func:`_shape`); sets may be shorter (duplicates collapse), dicts too when the key type has fewer than
    ``size`` values. Container members: ints uniform in [-10**6, 10**6], floats in [-1e3, 1e3], random
    bools, lowercase ASCII strings. Top-level ints are ``size`` itself when no parameter carries size
    (``count_primes(n: int)``), else uniform in [0, size]; top-level floats likewise ``float(size)``, else
    uniform in [-1e3, 1e3]. Optional and unions take their first non-None branch.
    """
    stress = [_stress(hint) for _, hint in _parse_params(params)]
    scale = not any(_is_sized(hint) for hint in stress)
    ctx = _Context(top=True, scale=scale, spread=_STRESS_INT)

    def generate(size: int, rng: random.Random) -> tuple[object, ...]:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise InvalidArgument(f"size={size!r}: must be a non-negative integer")
        if not isinstance(rng, random.Random):
            raise InvalidArgument(f"rng={rng!r}: must be a random.Random")
        return tuple(_batch(hint, 1, size, rng, ctx)[0] for hint in stress)

    return generate


# ---------------------------------------------------------------------------------------------------------
# Description


def _describe(hint: Hint, nested: bool) -> str:
    if isinstance(hint, Scalar):
        return hint.kind
    if isinstance(hint, ListOf):
        return f"list of {_describe(hint.item, True)}"
    if isinstance(hint, TupleOf):
        return f"tuple of {_describe(hint.item, True)}"
    if isinstance(hint, TupleFixed):
        if not hint.items:
            return "empty tuple"
        return "tuple (" + ", ".join(_describe(item, False) for item in hint.items) + ")"
    if isinstance(hint, DictOf):
        return f"dict of {_describe(hint.key, True)} to {_describe(hint.value, True)}"
    if isinstance(hint, SetOf):
        return f"{'frozenset' if hint.frozen else 'set'} of {_describe(hint.item, True)}"
    text = " or ".join(_describe(option, True) for option in hint.options)
    return f"({text})" if nested else text


def describe(params: Params) -> str:
    """A short description such as ``"xs: list of int, k: int"``."""
    parsed = _parse_params(params)
    if not parsed:
        return "no parameters"
    return ", ".join(f"{name}: {_describe(hint, False)}" for name, hint in parsed)
