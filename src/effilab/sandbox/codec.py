"""Tagged-JSON codec for values crossing the sandbox boundary.

Values travel between the sandboxed child process (which runs untrusted code) and the trusted parent as
*tagged JSON*, never pickle.  Plain JSON types stand for themselves; everything else is a JSON object with
exactly one key starting with ``"$"``:

===================  =============================================  ==========================================
Python value         Encoding                                       Notes
===================  =============================================  ==========================================
``None``/bool/str    itself
``int``              JSON number, or ``{"$int": "-0x1f"}``          tag outside ``[-2**63, 2**63)``; hex
                                                                    avoids the int/str digit limit
``float``            JSON number, or ``{"$float": "nan"}``          also ``"inf"`` / ``"-inf"``; ``-0.0`` kept
``complex``          ``{"$complex": [re, im]}``                     parts encoded like floats
``bytes``            ``{"$bytes": "<base64>"}``
``list``             JSON array
``tuple``            ``{"$tuple": [...]}``
``set``              ``{"$set": [...]}``                            deterministic member order
``frozenset``        ``{"$frozenset": [...]}``                      deterministic member order
``dict``             JSON object, or ``{"$dict": [[k, v], ...]}``   tag unless every key is a str not starting
                                                                    with ``"$"``
===================  =============================================  ==========================================

Only *exact* types are accepted: subclasses of builtins (``IntEnum`` members, ``str``/``list`` subclasses,
objects with a forged ``__eq__``...) raise :class:`Unserializable`, so nothing but genuine builtins ever
crosses the boundary.  Encoding runs no code of the value being encoded.

Decoding treats its input as hostile: it only ever builds builtin values, never executes code, rejects any
malformed input with :class:`CodecError` and never recurses on the data (both directions are iterative,
with an explicit ``max_depth`` bound on container nesting).

This module is imported by file path inside the sandbox child, so it must only import the standard library.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import sys

__all__ = ["CodecError", "Unserializable", "decode", "dumps", "encode", "loads", "to_plain_json"]

_I64_MIN = -(2**63)
_I64_MAX = 2**63 - 1
_ROOT = "result"
_HEX_INT = re.compile(r"-?0x[0-9a-f]+")
_FLOAT_NAMES = ("nan", "inf", "-inf")
_SEQUENCE_TAGS = {"$tuple": "tuple", "$set": "set", "$frozenset": "frozenset"}
_JSON_SEPARATORS = (",", ":")
# Characters that str.splitlines() treats as line breaks but json.dumps(ensure_ascii=False) leaves raw.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_NOT_LEAF = object()  # sentinel: "this value is a container, open a frame for it"


class CodecError(ValueError):
    """Malformed tagged JSON (raised by :func:`decode` and :func:`loads`)."""


class Unserializable(TypeError):
    """A value that cannot be encoded; the message names the offending type and where it was found."""


def _check_max_depth(max_depth: int) -> None:
    if type(max_depth) is not int or max_depth < 0:
        raise ValueError(f"max_depth must be a non-negative int, got {max_depth!r}")


def _type_name(tp: type) -> str:
    try:
        module, qualname = str(tp.__module__), str(tp.__qualname__)
    except Exception:  # a hostile metaclass may do anything here
        return "<unknown type>"
    return qualname if module == "builtins" else f"{module}.{qualname}"


def _short_repr(value: object) -> str:
    """A short, side-effect-free description of a dict key, for error paths."""
    if value is None or type(value) is bool or type(value) is float:
        return repr(value)
    if type(value) is int:
        return repr(value) if value.bit_length() <= 128 else "<int>"
    if type(value) is str or type(value) is bytes:
        text = repr(value)
        return text if len(text) <= 60 else text[:56] + "...'"
    return f"<{_type_name(type(value))}>"


def _natural_order(items: list[object]) -> list[int] | None:
    """Indices of ``items`` in sorted order when they are all numbers, all str or all bytes, else None.

    Only called on exact builtin values, so no user-defined comparison ever runs.
    """
    types = {type(item) for item in items}
    if types <= {int, float, bool}:
        # nan compares false with everything: put nans last, in their original order.
        numbers: list[float] = items  # type: ignore[assignment]
        return sorted(range(len(items)), key=lambda i: (numbers[i] != numbers[i], numbers[i]))
    if types in ({str}, {bytes}):
        texts: list[str] = items  # type: ignore[assignment]
        return sorted(range(len(items)), key=texts.__getitem__)
    return None


# --------------------------------------------------------------------------------------------------------
# encode


def _encode_float(value: float) -> object:
    if math.isnan(value):
        return {"$float": "nan"}
    if value == math.inf:
        return {"$float": "inf"}
    if value == -math.inf:
        return {"$float": "-inf"}
    return value


def _encode_leaf(value: object) -> object:
    """The encoding of a non-container value, or ``_NOT_LEAF`` (containers and unsupported types)."""
    if value is None or type(value) is bool or type(value) is str:
        return value
    if type(value) is int:
        return value if _I64_MIN <= value <= _I64_MAX else {"$int": hex(value)}
    if type(value) is float:
        return _encode_float(value)
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if type(value) is complex:
        return {"$complex": [_encode_float(value.real), _encode_float(value.imag)]}
    return _NOT_LEAF


_PLAIN_ATOMS = frozenset({str, bool, type(None)})
"""Types that stand for themselves in any position, whatever their value."""


def _flat_items(items: list[object] | tuple[object, ...]) -> bool:
    """Whether every item is a scalar that encodes as itself, checked at C speed.

    Output lists of numbers or strings are the common case, and walking them one item at a time in Python
    costs far more than the call that produced them. ``map(type, ...)`` sees exact types, so a subclass
    (an ``IntEnum`` member, a ``str`` subclass) makes the check fail and the careful path take over.
    """
    kinds = set(map(type, items))
    if kinds <= _PLAIN_ATOMS:
        return True
    numbers: list[float] = items  # type: ignore[assignment]  # the kinds are checked just below
    if kinds <= {int, bool}:
        return min(numbers) >= _I64_MIN and max(numbers) <= _I64_MAX
    if kinds == {float}:
        return all(map(math.isfinite, numbers))
    return False


def _flat_encoding(value: object) -> object:
    """The encoding of a list or tuple of plain scalars, built without a per-item Python step; or
    ``_NOT_LEAF``."""
    if type(value) is list:
        return list(value) if _flat_items(value) else _NOT_LEAF
    if type(value) is tuple:
        return {"$tuple": list(value)} if _flat_items(value) else _NOT_LEAF
    return _NOT_LEAF


class _EncodeFrame:
    """A container being encoded: its children, their encodings so far, and the next child to encode."""

    __slots__ = ("ident", "items", "keys", "kind", "next", "out")

    def __init__(self, kind: str, ident: int, items: list[object], keys: list[str] | None = None) -> None:
        self.kind = kind
        self.ident = ident
        self.items = items
        self.keys = keys
        self.out: list[object] = []
        self.next = 0

    def segment(self) -> str:
        """Path segment of the child currently being encoded (``[2]``, ``['k']``, ``<member 0>``...)."""
        index = self.next - 1
        if self.kind in ("list", "tuple"):
            return f"[{index}]"
        if self.kind in ("set", "frozenset"):
            return f"<member {index}>"
        if self.kind == "dict":
            assert self.keys is not None
            return f"[{_short_repr(self.keys[index])}]"
        # "pairs": items are [key0, value0, key1, value1, ...]
        if index % 2 == 0:
            return f"<key {index // 2}>"
        return f"[{_short_repr(self.items[index - 1])}]"


def _path(stack: list[_EncodeFrame]) -> str:
    return _ROOT + "".join(frame.segment() for frame in stack)


def _open_encode_frame(value: object, stack: list[_EncodeFrame], active: set[int], max_depth: int) -> None:
    """Push a frame for container ``value``, or raise Unserializable (bad type, cycle, too deep)."""
    tp = type(value)
    frame: _EncodeFrame
    if type(value) is list or type(value) is tuple or type(value) is set or type(value) is frozenset:
        frame = _EncodeFrame(tp.__name__, id(value), list(value))
    elif type(value) is dict:
        str_keys = [key for key in value if type(key) is str and not key.startswith("$")]
        if len(str_keys) == len(value):
            frame = _EncodeFrame("dict", id(value), list(value.values()), str_keys)
        else:
            flat: list[object] = []
            for key, item in value.items():
                flat.append(key)
                flat.append(item)
            frame = _EncodeFrame("pairs", id(value), flat)
    else:
        raise Unserializable(f"cannot serialize object of type {_type_name(tp)} at {_path(stack)}")
    if frame.ident in active:
        raise Unserializable(f"cannot serialize cyclic reference to a {tp.__name__} at {_path(stack)}")
    if len(stack) >= max_depth:
        raise Unserializable(f"{tp.__name__} nested deeper than max_depth={max_depth} at {_path(stack)}")
    active.add(frame.ident)
    stack.append(frame)


def _canonical_order(encoded: list[object]) -> list[int]:
    """Deterministic member order for sets whose members are not naturally sortable."""
    try:
        texts = [json.dumps(item, sort_keys=True, separators=_JSON_SEPARATORS) for item in encoded]
    except (RecursionError, ValueError):
        return list(range(len(encoded)))
    return sorted(range(len(encoded)), key=texts.__getitem__)


def _finish_encode(frame: _EncodeFrame) -> object:
    out = frame.out
    kind = frame.kind
    if kind == "list":
        return out
    if kind == "dict":
        assert frame.keys is not None
        return dict(zip(frame.keys, out, strict=True))
    if kind == "pairs":
        return {"$dict": [[out[i], out[i + 1]] for i in range(0, len(out), 2)]}
    if kind == "tuple":
        return {"$tuple": out}
    # set / frozenset: members are verified builtins by now, so sorting them runs no foreign code.
    order = _natural_order(frame.items)
    if order is None:
        order = _canonical_order(out)
    return {f"${kind}": [out[i] for i in order]}


def encode(value: object, *, max_depth: int = 1000) -> object:
    """Encode ``value`` as a tree of plain JSON types (see the module docstring for the format).

    Raises :class:`Unserializable` for unsupported types (including subclasses of supported builtins),
    cycles, and containers nested more than ``max_depth`` deep; the message names the type and a path
    such as ``result[2]['k']``.
    """
    _check_max_depth(max_depth)
    leaf = _encode_leaf(value)
    if leaf is not _NOT_LEAF:
        return leaf
    flat = _flat_encoding(value) if max_depth > 0 else _NOT_LEAF
    if flat is not _NOT_LEAF:
        return flat
    stack: list[_EncodeFrame] = []
    active: set[int] = set()
    _open_encode_frame(value, stack, active, max_depth)
    while True:
        frame = stack[-1]
        items, out = frame.items, frame.out
        while frame.next < len(items):
            child = items[frame.next]
            frame.next += 1
            encoded = _encode_leaf(child)
            if encoded is _NOT_LEAF and len(stack) < max_depth:
                encoded = _flat_encoding(child)
            if encoded is _NOT_LEAF:  # a container: its own frame (which also raises for a bad type)
                _open_encode_frame(child, stack, active, max_depth)
                break
            out.append(encoded)
        else:
            stack.pop()
            active.discard(frame.ident)
            result = _finish_encode(frame)
            if not stack:
                return result
            stack[-1].out.append(result)


# --------------------------------------------------------------------------------------------------------
# decode


def _describe(node: object) -> str:
    if node is None or type(node) in (str, int, float, bool):
        return _short_repr(node)
    return f"a {type(node).__name__}"


def _decode_float_tag(payload: object) -> float:
    if type(payload) is not str or payload not in _FLOAT_NAMES:
        raise CodecError(f'"$float" payload must be "nan", "inf" or "-inf", got {_describe(payload)}')
    return float(payload)  # a fresh object each time: distinct nans must stay distinct in sets


def _decode_complex_part(node: object) -> float:
    if type(node) is float:
        return node
    if type(node) is dict and len(node) == 1 and "$float" in node:
        return _decode_float_tag(node["$float"])
    raise CodecError(f'"$complex" parts must be floats, got {_describe(node)}')


def _decode_tagged_leaf(tag: str, payload: object) -> object:
    if tag == "$int":
        if type(payload) is not str or not _HEX_INT.fullmatch(payload):
            raise CodecError(f'"$int" payload must be a hex string like "-0x1f", got {_describe(payload)}')
        return int(payload, 16)
    if tag == "$float":
        return _decode_float_tag(payload)
    if tag == "$bytes":
        if type(payload) is not str:
            raise CodecError(f'"$bytes" payload must be a base64 string, got {_describe(payload)}')
        try:
            return base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise CodecError('"$bytes" payload is not valid base64') from None
    if tag == "$complex":
        if type(payload) is not list or len(payload) != 2:
            raise CodecError('"$complex" payload must be a list [re, im]')
        return complex(_decode_complex_part(payload[0]), _decode_complex_part(payload[1]))
    return _NOT_LEAF


def _decode_leaf(node: object) -> object:
    """The decoding of a non-container node, or ``_NOT_LEAF`` for arrays/objects that hold values."""
    tp = type(node)
    if node is None or tp is bool or tp is str or tp is int or tp is float:
        return node
    if type(node) is dict:
        if len(node) == 1:
            ((tag, payload),) = node.items()
            if type(tag) is str and tag.startswith("$"):
                return _decode_tagged_leaf(tag, payload)
        return _NOT_LEAF
    if tp is list:
        return _NOT_LEAF
    raise CodecError(f"unexpected {_type_name(tp)} in tagged JSON")


class _DecodeFrame:
    """A container being decoded: its child nodes, their decodings so far, and the next child."""

    __slots__ = ("items", "keys", "kind", "next", "out")

    def __init__(self, kind: str, items: list[object], keys: list[str] | None = None) -> None:
        self.kind = kind
        self.items = items
        self.keys = keys
        self.out: list[object] = []
        self.next = 0


def _open_decode_frame(node: object, stack: list[_DecodeFrame], max_depth: int) -> None:
    """Push a frame for an array/object node (validating its shape), or raise CodecError."""
    if len(stack) >= max_depth:
        raise CodecError(f"containers nested deeper than max_depth={max_depth}")
    if type(node) is list:
        stack.append(_DecodeFrame("list", node))
        return
    if type(node) is not dict:  # pragma: no cover - _decode_leaf lets only lists and dicts through
        raise CodecError(f"unexpected {_type_name(type(node))} in tagged JSON")
    mapping: dict[object, object] = node
    if len(mapping) == 1:
        ((tag, payload),) = mapping.items()
        if type(tag) is str and tag.startswith("$"):
            if tag in _SEQUENCE_TAGS:
                if type(payload) is not list:
                    raise CodecError(f"{tag!r} payload must be a list, got {_describe(payload)}")
                stack.append(_DecodeFrame(_SEQUENCE_TAGS[tag], payload))
                return
            if tag == "$dict":
                stack.append(_DecodeFrame("pairs", _flatten_pairs(payload)))
                return
            raise CodecError(f"unknown tag {_short_repr(tag)}")
    keys: list[str] = []
    for key in mapping:
        if type(key) is not str:
            raise CodecError(f"object keys must be str, got {_describe(key)}")
        if key.startswith("$"):
            raise CodecError(f"object with several keys has reserved key {_short_repr(key)}")
        keys.append(key)
    stack.append(_DecodeFrame("dict", list(mapping.values()), keys))


def _flatten_pairs(payload: object) -> list[object]:
    if type(payload) is not list:
        raise CodecError(f'"$dict" payload must be a list of [key, value] pairs, got {_describe(payload)}')
    flat: list[object] = []
    for pair in payload:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError('"$dict" payload items must be [key, value] lists')
        flat.append(pair[0])
        flat.append(pair[1])
    return flat


def _finish_decode(frame: _DecodeFrame) -> object:
    out = frame.out
    kind = frame.kind
    if kind == "list":
        return out
    if kind == "dict":
        assert frame.keys is not None
        return dict(zip(frame.keys, out, strict=True))
    if kind == "tuple":
        return tuple(out)
    try:
        if kind == "set":
            return set(out)
        if kind == "frozenset":
            return frozenset(out)
        result: dict[object, object] = {}
        for i in range(0, len(out), 2):
            result[out[i]] = out[i + 1]
        return result
    except TypeError:
        what = "dict key" if kind == "pairs" else f"{kind} member"
        raise CodecError(f"unhashable {what} in tagged JSON") from None


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _flat_decoding(node: object) -> object:
    """The decoding of an array (or a ``$tuple``) of JSON scalars, built at C speed; or ``_NOT_LEAF``.

    JSON scalars decode to themselves, so such an array needs no per-item step (the careful path would
    accept each of them unchanged too)."""
    if type(node) is list:
        return list(node) if set(map(type, node)) <= _JSON_SCALARS else _NOT_LEAF
    if type(node) is dict and len(node) == 1:
        payload = node.get("$tuple")
        if type(payload) is list and set(map(type, payload)) <= _JSON_SCALARS:
            return tuple(payload)
    return _NOT_LEAF


def _decode(node: object, max_depth: int) -> object:
    leaf = _decode_leaf(node)
    if leaf is not _NOT_LEAF:
        return leaf
    flat = _flat_decoding(node) if max_depth > 0 else _NOT_LEAF
    if flat is not _NOT_LEAF:
        return flat
    stack: list[_DecodeFrame] = []
    _open_decode_frame(node, stack, max_depth)
    while True:
        frame = stack[-1]
        items, out = frame.items, frame.out
        while frame.next < len(items):
            child = items[frame.next]
            frame.next += 1
            decoded = _decode_leaf(child)
            if decoded is _NOT_LEAF and len(stack) < max_depth:
                decoded = _flat_decoding(child)
            if decoded is _NOT_LEAF:
                _open_decode_frame(child, stack, max_depth)
                break
            out.append(decoded)
        else:
            stack.pop()
            result = _finish_decode(frame)
            if not stack:
                return result
            stack[-1].out.append(result)


def decode(node: object, *, max_depth: int = 1000) -> object:
    """Inverse of :func:`encode`: rebuild a value from a tree of plain JSON types.

    ``node`` is treated as hostile: only builtin values are ever built and no code is executed.  Unknown
    tags, malformed payloads, unhashable set members or dict keys, non-JSON node types and containers
    nested more than ``max_depth`` deep raise :class:`CodecError`.
    """
    _check_max_depth(max_depth)
    try:
        return _decode(node, max_depth)
    except RecursionError:  # hashing deeply nested tuples/frozensets recurses in C
        raise CodecError("tagged JSON nested too deeply") from None


# --------------------------------------------------------------------------------------------------------
# text form


def _reject_constant(name: str) -> object:
    raise CodecError(f"non-standard JSON constant {name}")


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise CodecError("duplicate key in JSON object")
    return result


def dumps(value: object) -> str:
    """``encode(value)`` as compact, strict, single-line JSON text.

    The text contains no raw line breaks (not even the ones only ``str.splitlines`` knows) and is always
    UTF-8 encodable (strings with lone surrogates are written with ASCII escapes).  Raises
    :class:`Unserializable` like :func:`encode`, and also when the value is nested too deeply for the
    ``json`` module to write.
    """
    node = encode(value)
    try:
        text = json.dumps(node, ensure_ascii=False, allow_nan=False, separators=_JSON_SEPARATORS)
    except RecursionError:
        raise Unserializable("value is nested too deeply to be written as JSON") from None
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: fall back to \\uXXXX escapes everywhere
        return json.dumps(node, ensure_ascii=True, allow_nan=False, separators=_JSON_SEPARATORS)
    return text.translate(_LINE_BREAKS)


def loads(text: str | bytes) -> object:
    """``decode(json.loads(text))``, with every kind of malformed input reported as :class:`CodecError`.

    Strict JSON only: ``NaN``/``Infinity`` literals and duplicate object keys are rejected, and input nested
    too deeply for the ``json`` module raises :class:`CodecError` rather than ``RecursionError``.
    """
    if not isinstance(text, str | bytes):
        raise CodecError(f"expected str or bytes, got {_type_name(type(text))}")
    try:
        node = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_pairs)
    except CodecError:
        raise
    except RecursionError:
        raise CodecError("JSON nested too deeply") from None
    except (ValueError, TypeError) as exc:  # JSONDecodeError, UnicodeDecodeError, int digit limit, ...
        raise CodecError(f"invalid JSON: {exc}") from None
    return decode(node)


# --------------------------------------------------------------------------------------------------------
# plain JSON view


def _int_is_printable(value: int) -> bool:
    """Whether ``str(value)`` (hence json.dumps) works under the interpreter's int/str digit limit."""
    limit = sys.get_int_max_str_digits()
    if limit == 0 or value.bit_length() <= 3 * limit:  # 3 bits < 1 decimal digit
        return True
    try:
        str(value)
    except ValueError:
        return False
    return True


def _plain_leaf(value: object) -> object:
    """Plain JSON for a non-container, None when it has none, or ``_NOT_LEAF`` for convertible containers."""
    tp = type(value)
    if value is None or tp is bool or tp is str:
        return value
    if type(value) is int:
        return value if _int_is_printable(value) else None
    if type(value) is float:
        return value if math.isfinite(value) else None
    if tp is list or tp is tuple or tp is set or tp is frozenset:
        return _NOT_LEAF
    if type(value) is dict:
        return _NOT_LEAF if all(type(key) is str for key in value) else None
    return None


class _PlainFrame:
    __slots__ = ("ident", "items", "keys", "next", "out")

    def __init__(self, ident: int, items: list[object], keys: list[str] | None) -> None:
        self.ident = ident
        self.items = items
        self.keys = keys
        self.out: list[object] = []
        self.next = 0


def _open_plain_frame(value: object) -> _PlainFrame:
    if type(value) is dict:
        return _PlainFrame(id(value), list(value.values()), list(value))
    if not (type(value) is list or type(value) is tuple or type(value) is set or type(value) is frozenset):
        raise TypeError(f"not a container: {_type_name(type(value))}")  # pragma: no cover - see _plain_leaf
    items: list[object] = list(value)
    if type(value) is set or type(value) is frozenset:
        order = _natural_order(items)
        if order is not None:
            items = [items[i] for i in order]
    return _PlainFrame(id(value), items, None)


def to_plain_json(value: object) -> object:
    """Best-effort plain JSON view of a *decoded* value, for human/CLI output.

    None, bools, strs, ints and finite floats stay as they are; lists and tuples become lists; sets and
    frozensets become lists (sorted when the members are all numbers, all strs or all bytes); dicts with
    only str keys become dicts.  Anything else -- nan/inf, bytes, complex, dicts with non-str keys, ints
    too long to print, unknown types, cyclic references -- becomes None at its own position only.
    """
    leaf = _plain_leaf(value)
    if leaf is not _NOT_LEAF:
        return leaf
    stack = [_open_plain_frame(value)]
    active = {stack[0].ident}
    while True:
        frame = stack[-1]
        items, out = frame.items, frame.out
        while frame.next < len(items):
            child = items[frame.next]
            frame.next += 1
            plain = _plain_leaf(child)
            if plain is _NOT_LEAF:
                if id(child) in active:
                    out.append(None)
                    continue
                stack.append(_open_plain_frame(child))
                active.add(id(child))
                break
            out.append(plain)
        else:
            stack.pop()
            active.discard(frame.ident)
            result: object = out if frame.keys is None else dict(zip(frame.keys, out, strict=True))
            if not stack:
                return result
            stack[-1].out.append(result)
