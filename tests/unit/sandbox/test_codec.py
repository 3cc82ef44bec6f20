"""Tests for the tagged-JSON sandbox codec (effilab/sandbox/codec.py).

The module is loaded by file path, standalone, exactly as the sandbox child loads it.
"""

from __future__ import annotations

import ast
import contextlib
import enum
import importlib.util
import json
import math
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

CODEC_PATH = Path(__file__).resolve().parents[3] / "src" / "effilab" / "sandbox" / "codec.py"


def _load_standalone() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_effilab_codec_under_test", CODEC_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclass/annotation machinery may look the module up
    spec.loader.exec_module(module)
    return module


codec: Any = _load_standalone()


# ----------------------------------------------------------------------------------------------------------
# helpers


def assert_same(a: object, b: object, path: str = "v") -> None:
    """Equality with exact types all the way down; nan equals nan; -0.0 differs from 0.0."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, float):
        assert isinstance(b, float)
        if math.isnan(a):
            assert math.isnan(b), f"{path}: {case_id(a)} != {case_id(b)}"
        else:
            assert a == b, f"{path}: {case_id(a)} != {case_id(b)}"
            assert math.copysign(1.0, a) == math.copysign(1.0, b), (
                f"{path}: sign of {case_id(a)} vs {case_id(b)}"
            )
    elif isinstance(a, complex):
        assert isinstance(b, complex)
        assert_same(a.real, b.real, path + ".real")
        assert_same(a.imag, b.imag, path + ".imag")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple)
        assert len(a) == len(b), f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict)
        assert len(a) == len(b), f"{path}: size {len(a)} != {len(b)}"
        for i, ((ka, va), (kb, vb)) in enumerate(zip(a.items(), b.items(), strict=True)):  # order kept
            assert_same(ka, kb, f"{path}<key {i}>")
            assert_same(va, vb, f"{path}[{case_id(ka)}]")
    elif isinstance(a, set | frozenset):
        assert isinstance(b, set | frozenset)
        assert len(a) == len(b), f"{path}: size {len(a)} != {len(b)}"
        remaining = list(b)
        for x in a:
            for j, y in enumerate(remaining):
                try:
                    assert_same(x, y, path)
                except AssertionError:
                    continue
                del remaining[j]
                break
            else:
                raise AssertionError(f"{path}: member {case_id(x)} not found in {case_id(b)}")
    else:
        assert a == b, f"{path}: {case_id(a)} != {case_id(b)}"


def nested_lists(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def case_id(value: object) -> str:
    """A short, stable test id (no memory addresses, no 5000-digit reprs)."""
    if type(value) is int and value.bit_length() > 200:
        return f"int<{value.bit_length()} bits>"
    try:
        text = repr(value)
    except ValueError:
        return type(value).__name__
    if " at 0x" in text:
        return type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def strict_json(text: str) -> object:
    def reject(name: str) -> object:
        raise AssertionError(f"non-standard constant {name} in {text!r}")

    return json.loads(text, parse_constant=reject)


BIG = 10**5000

floats = st.floats(allow_nan=True, allow_infinity=True)
hashable_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64])
    | st.builds(  # 10**5000-scale ints, beyond the int/str digit limit
        lambda exponent, sign, offset: sign * 10**exponent + offset,
        st.sampled_from([5000, 12_000]),
        st.sampled_from([1, -1]),
        st.integers(-3, 3),
    )
    | floats
    | st.text()
    | st.binary(max_size=20)
    | st.complex_numbers(allow_nan=True, allow_infinity=True)
)
hashables = st.recursive(
    hashable_scalars,
    lambda inner: (
        st.tuples(inner, inner) | st.lists(inner, max_size=3).map(tuple) | st.frozensets(inner, max_size=3)
    ),
    max_leaves=6,
)
values = st.recursive(
    hashables,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.sets(hashables, max_size=4)
        | st.frozensets(hashables, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.text(max_size=5).map(lambda s: "$" + s), inner, max_size=3)
        | st.dictionaries(hashables, inner, max_size=4)
    ),
    max_leaves=15,
)


# ----------------------------------------------------------------------------------------------------------
# round trip


@settings(max_examples=200, deadline=None)
@given(values)
def test_round_trip_property(value: object) -> None:
    encoded = codec.encode(value)
    assert_same(codec.decode(encoded), value)
    text = codec.dumps(value)
    assert "\n" not in text
    assert "\r" not in text
    assert len(text.splitlines()) == 1
    text.encode("utf-8")  # always transportable
    assert strict_json(text) == json.loads(json.dumps(encoded))  # dumps is exactly json of encode()
    assert_same(codec.loads(text), value)
    assert_same(codec.loads(text.encode("utf-8")), value)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -1,
        2**63 - 1,
        -(2**63),
        2**63,
        -(2**63) - 1,
        BIG,
        -BIG,
        1.0,
        1e16,
        -1e300,
        5e-324,
        0.0,
        -0.0,
        math.inf,
        -math.inf,
        math.nan,
        "",
        "$int",
        "line\nbreak\u2028\u2029\x85\x00",
        "\ud800 lone surrogate",
        b"",
        b"\x00\xff" * 10,
        1 + 2j,
        complex(-0.0, math.nan),
        [],
        (),
        (1,),
        set(),
        frozenset(),
        {},
        {"$tuple": [1, 2]},
        {"$": 1, "a": 2},
        {1: "a", "b": 2, (1, (2, 3)): [], frozenset({1, 2}): {}, None: None, b"k": 1.5, 2.5: True},
        {math.nan: 1, math.inf: 2},
        {frozenset({frozenset({1}), frozenset()}), (1, "a", b"b", None)},
        {float("nan"), float("nan"), 1},
        [[[[[]]]], ((((),),),), {"a": {"b": {"c": ()}}}],
    ],
    ids=case_id,
)
def test_round_trip_examples(value: object) -> None:
    assert_same(codec.decode(codec.encode(value)), value)
    assert_same(codec.loads(codec.dumps(value)), value)


def test_distinct_nans_in_a_set_stay_distinct() -> None:
    value = {float("nan"), float("nan")}
    assert len(value) == 2
    decoded = codec.loads(codec.dumps(value))
    assert len(decoded) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (2**63 - 1, str(2**63 - 1)),
        (-(2**63), str(-(2**63))),
        (2**63, '{"$int":"0x8000000000000000"}'),
        (-31 - 2**64, '{"$int":"-0x1000000000000001f"}'),
        (1.0, "1.0"),
        (-0.0, "-0.0"),
        (math.nan, '{"$float":"nan"}'),
        (math.inf, '{"$float":"inf"}'),
        (-math.inf, '{"$float":"-inf"}'),
        (b"hi", '{"$bytes":"aGk="}'),
        (1 + 2j, '{"$complex":[1.0,2.0]}'),
        (complex(math.inf, -0.0), '{"$complex":[{"$float":"inf"},-0.0]}'),
        ((1, [2]), '{"$tuple":[1,[2]]}'),
        ({3, 1, 2}, '{"$set":[1,2,3]}'),
        ({10, 9, 2.5}, '{"$set":[2.5,9,10]}'),
        (frozenset({"b", "a", "c"}), '{"$frozenset":["a","b","c"]}'),
        ({"a": 1, "b": [None]}, '{"a":1,"b":[null]}'),
        ({"b": 1, "a": 2}, '{"b":1,"a":2}'),
        ({"$a": 1}, '{"$dict":[["$a",1]]}'),
        ({2: 1, 1: 2}, '{"$dict":[[2,1],[1,2]]}'),
        ("é\n", '"é\\n"'),
    ],
    ids=case_id,
)
def test_exact_encodings(value: object, expected: str) -> None:
    assert codec.dumps(value) == expected


def test_floats_that_look_integral_decode_as_float() -> None:
    for value in (1.0, 1e16, 1e22, -0.0, 2.0**63, 123456789012345680.0):
        decoded = codec.loads(codec.dumps(value))
        assert type(decoded) is float
        assert_same(decoded, value)


def test_huge_ints_use_hex_and_are_fast() -> None:
    value = 7 * 10**100_000 + 1  # far beyond the 4300-digit int/str conversion limit
    start = time.perf_counter()
    encoded = codec.encode(value)
    assert isinstance(encoded, dict)
    assert encoded["$int"].startswith("0x")
    assert codec.loads(codec.dumps([value, -value])) == [value, -value]
    assert time.perf_counter() - start < 1.0


def test_set_order_is_deterministic_for_unsortable_members() -> None:
    # Only members with process-independent hashes; 1 and 9 collide in the hash table.
    members = [1, 9, (1, 2), frozenset({1})]
    one, other = set(members), set(reversed(members))
    assert list(one) != list(other)  # precondition: same members, different iteration order
    first = codec.dumps(one)
    assert first == codec.dumps(other)
    assert codec.dumps(frozenset(one)) == codec.dumps(frozenset(other))
    assert codec.loads(first) == one


def test_dumps_escapes_all_line_breaks_and_lone_surrogates() -> None:
    text = codec.dumps({"k": "a\nb\rc\u2028d\u2029e\x85f\x1cg", "s": "\udc80"})
    assert len(text.splitlines()) == 1
    text.encode("utf-8")
    assert codec.loads(text) == {"k": "a\nb\rc\u2028d\u2029e\x85f\x1cg", "s": "\udc80"}
    assert "é" in codec.dumps("é")  # ensure_ascii=False when nothing forces escapes


# ----------------------------------------------------------------------------------------------------------
# Unserializable


class Custom:
    pass


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class Color(enum.IntEnum):
    RED = 1


class MyStr(str):
    __slots__ = ()


class MyList(list[int]):
    pass


class MyDict(dict[str, int]):
    pass


class MyFloat(float):
    pass


def _generator() -> Any:
    yield 1


@pytest.mark.parametrize(
    ("value", "type_name", "path"),
    [
        (Custom(), "Custom", "result"),
        ([1, 2, {"k": AlwaysEqual()}], "AlwaysEqual", "result[2]['k']"),
        ({"a": Color.RED}, "Color", "result['a']"),
        ((1, MyStr("x")), "MyStr", "result[1]"),
        ([MyList([1])], "MyList", "result[0]"),
        ({"d": MyDict(a=1)}, "MyDict", "result['d']"),
        ([MyFloat(1.5)], "MyFloat", "result[0]"),
        ([bytearray(b"x")], "bytearray", "result[0]"),
        ([range(3)], "range", "result[0]"),
        ([len], "builtin_function_or_method", "result[0]"),
        ([lambda: 1], "function", "result[0]"),
        ([_generator()], "generator", "result[0]"),
        ({1: [AlwaysEqual()]}, "AlwaysEqual", "result[1][0]"),
        ({(1, Custom()): 1}, "Custom", "result<key 0>[1]"),
        ({MyStr("k"): 1}, "MyStr", "result<key 0>"),
        ({frozenset({Color.RED})}, "Color", "result<member 0><member 0>"),
        ([{"x": (0, [type])}], "type", "result[0]['x'][1][0]"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else v,
)
def test_unserializable(value: object, type_name: str, path: str) -> None:
    with pytest.raises(codec.Unserializable) as info:
        codec.encode(value)
    message = str(info.value)
    assert type_name in message
    assert message.endswith(f" at {path}")
    with pytest.raises(codec.Unserializable):
        codec.dumps(value)


def test_unserializable_is_a_type_error_and_codec_error_a_value_error() -> None:
    assert issubclass(codec.Unserializable, TypeError)
    assert issubclass(codec.CodecError, ValueError)


def test_cycles_are_unserializable() -> None:
    cyclic: list[object] = [1]
    cyclic.append(cyclic)
    with pytest.raises(codec.Unserializable, match=r"cyclic.*result\[1\]"):
        codec.encode(cyclic)
    d: dict[str, object] = {}
    d["self"] = [d]
    with pytest.raises(codec.Unserializable, match=r"cyclic.*result\['self'\]\[0\]"):
        codec.encode(d)
    shared = [1, 2]
    assert codec.decode(codec.encode([shared, shared])) == [[1, 2], [1, 2]]  # sharing is not a cycle


def test_max_depth_is_enforced_on_encode() -> None:
    assert codec.encode(nested_lists(5), max_depth=5) == nested_lists(5)
    with pytest.raises(codec.Unserializable, match="max_depth=5"):
        codec.encode(nested_lists(6), max_depth=5)
    assert codec.encode(7, max_depth=0) == 7
    with pytest.raises(codec.Unserializable):
        codec.encode([], max_depth=0)
    with pytest.raises(codec.Unserializable, match="max_depth=1000"):
        codec.encode(nested_lists(100_000))  # no RecursionError
    with pytest.raises(ValueError, match="max_depth"):
        codec.encode(1, max_depth=-1)


def test_max_depth_is_enforced_on_decode_consistently() -> None:
    for value in (nested_lists(5), ((((1,),),),), {"a": {"b": {"c": {"d": {}}}}}):
        node = codec.encode(value, max_depth=5)
        assert_same(codec.decode(node, max_depth=5), value)
    deeper = codec.encode(nested_lists(6))
    with pytest.raises(codec.CodecError, match="max_depth"):
        codec.decode(deeper, max_depth=5)
    with pytest.raises(codec.CodecError):
        codec.decode(nested_lists(100_000))  # no RecursionError


def test_dumps_too_deep_for_json_never_leaks_recursion_error() -> None:
    value: object = ()
    for _ in range(900):  # within max_depth, but ~1800 JSON levels
        value = (value,)
    try:
        text = codec.dumps(value)
    except codec.Unserializable as exc:  # json's recursion limit (CPython 3.11: the interpreter's limit)
        message = str(exc)
    else:  # interpreters with a larger C recursion budget
        with contextlib.suppress(codec.CodecError):
            assert_same(codec.loads(text), value)
        return
    assert "deeply" in message


def test_encode_runs_no_code_of_the_value() -> None:
    calls: list[str] = []

    class Spy:
        def __lt__(self, other: object) -> bool:
            calls.append("lt")
            return True

        def __eq__(self, other: object) -> bool:
            calls.append("eq")
            return False

        def __hash__(self) -> int:
            return 1

        def __repr__(self) -> str:
            calls.append("repr")
            return "Spy"

    cases = [{Spy(), Spy()}, {Spy(): 1}, [Spy()], {1, 2, Spy()}, {(1, Spy()), (1, Spy())}]
    calls.clear()  # building the sets compared members
    for value in cases:
        with pytest.raises(codec.Unserializable):
            codec.encode(value)
    assert calls == []


# ----------------------------------------------------------------------------------------------------------
# CodecError


MALFORMED_NODES = [
    {"$int": 5},
    {"$int": "5"},
    {"$int": "0xZZ"},
    {"$int": " 0x1"},
    {"$int": "0x1_0"},
    {"$float": "NaN"},
    {"$float": 1.0},
    {"$bytes": "!!"},
    {"$bytes": "abc"},
    {"$bytes": 5},
    {"$complex": [1, 2]},
    {"$complex": [1.0]},
    {"$complex": [1.0, {"$int": "0x1"}]},
    {"$complex": "1+2j"},
    {"$tuple": 5},
    {"$set": [[1]]},
    {"$set": {"a": 1}},
    {"$frozenset": [{"a": 1}]},
    {"$set": [{"$set": []}]},
    {"$dict": [[[1], 2]]},
    {"$dict": [[{"$dict": []}, 2]]},
    {"$dict": [[1]]},
    {"$dict": [[1, 2, 3]]},
    {"$dict": {"a": 1}},
    {"$dict": [5]},
    {"$unknown": 1},
    {"$": 1},
    {"$int": "0x1", "a": 1},
    {"a": 1, "$b": 2},
    [1, {"$nope": []}],
    {"a": [{"b": {"$bytes": None}}]},
    {1: 2},
    (1, 2),
    {1, 2},
    b"bytes",
    object(),
    [Custom()],
]


@pytest.mark.parametrize("node", MALFORMED_NODES, ids=case_id)
def test_decode_rejects_malformed_nodes(node: object) -> None:
    with pytest.raises(codec.CodecError):
        codec.decode(node)


MALFORMED_TEXTS: list[str | bytes] = [
    "",
    "not json",
    "[1,",
    "{'a': 1}",
    "NaN",
    "[Infinity]",
    "-Infinity",
    '{"a": 1, "a": 2}',
    '{"$int": 5}',
    '{"$bytes": "!!"}',
    '{"$set": [[1]]}',
    '{"$dict": [[[1], 2]]}',
    '{"$tuple": [1], "x": 2}',
    "1" * 5000,  # int literal beyond the int/str digit limit
    b"\x80\x81",
    b'"\xff"',
    "[" * 100_000,
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
]


@pytest.mark.parametrize("text", MALFORMED_TEXTS, ids=lambda t: case_id(t[:30]) + f"<{len(t)}>")
def test_loads_rejects_malformed_text(text: str | bytes) -> None:
    with pytest.raises(codec.CodecError):
        codec.loads(text)


def test_loads_rejects_non_text() -> None:
    with pytest.raises(codec.CodecError):
        codec.loads(123)


def test_decoded_plain_objects_are_str_keyed_dicts() -> None:
    assert_same(codec.loads('{"a": [1, 2.0, "x", null, true]}'), {"a": [1, 2.0, "x", None, True]})


# ----------------------------------------------------------------------------------------------------------
# to_plain_json


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        ("s", "s"),
        (3, 3),
        (BIG, None),  # json.dumps cannot print it
        (2**100, 2**100),
        (1.5, 1.5),
        (math.nan, None),
        (math.inf, None),
        (-math.inf, None),
        ([1, (2, 3)], [1, [2, 3]]),
        ({3, 1, 2}, [1, 2, 3]),
        (frozenset({"b", "a"}), ["a", "b"]),
        ({"a": (1, math.nan)}, {"a": [1, None]}),
        ({1: 2}, None),
        ([{1: 2}, {"a": {"$b": b"x"}}], [None, {"a": {"$b": None}}]),
        (b"x", None),
        (1j, None),
        ([Custom], [None]),
    ],
    ids=case_id,
)
def test_to_plain_json(value: object, expected: object) -> None:
    result = codec.to_plain_json(value)
    assert_same(result, expected)
    json.dumps(result, allow_nan=False)


def test_to_plain_json_mixed_set_keeps_members() -> None:
    result = codec.to_plain_json({1, "a", (2,)})
    assert isinstance(result, list)
    assert sorted(map(repr, result)) == sorted(map(repr, [1, "a", [2]]))


def test_to_plain_json_is_iterative_and_cycle_safe() -> None:
    deep = codec.to_plain_json(tuple(nested_lists(50_000)))
    assert isinstance(deep, list)
    cyclic: list[object] = [1]
    cyclic.append(cyclic)
    assert codec.to_plain_json(cyclic) == [1, None]


# ----------------------------------------------------------------------------------------------------------
# standalone import


def test_codec_imports_only_the_standard_library() -> None:
    tree = ast.parse(CODEC_PATH.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top == "__future__" or top in sys.stdlib_module_names, name


def test_public_api() -> None:
    assert sorted(codec.__all__) == sorted(
        ["CodecError", "Unserializable", "encode", "decode", "dumps", "loads", "to_plain_json"]
    )


# ---------------------------------------------------------------------------------------------- fast paths


class _Color(enum.IntEnum):
    RED = 1


class _Text(str):
    pass


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1, 2, 3], [1, 2, 3]),
        ([True, 0, -5], [True, 0, -5]),
        (["a", None, False], ["a", None, False]),
        ([0.5, -0.0], [0.5, -0.0]),
        ([1, 2**63], [1, {"$int": hex(2**63)}]),  # out of int64: tagged, item by item
        ([1.0, math.inf], [1.0, {"$float": "inf"}]),
        ([1, 1.5], [1, 1.5]),  # mixed numbers take the careful path, same encoding
        ((1, "a"), {"$tuple": [1, "a"]}),
        ([[1, 2], (3,)], [[1, 2], {"$tuple": [3]}]),
    ],
)
def test_flat_containers_encode_as_the_careful_path_does(value: object, expected: object) -> None:
    assert codec.encode(value) == expected
    assert codec.decode(codec.encode(value)) == value


def test_flat_fast_path_still_refuses_subclasses() -> None:
    with pytest.raises(codec.Unserializable, match="_Color"):
        codec.encode([1, _Color.RED])
    with pytest.raises(codec.Unserializable, match="_Text"):
        codec.encode(("a", _Text("b")))


def test_flat_fast_path_keeps_the_depth_limit() -> None:
    with pytest.raises(codec.Unserializable, match="max_depth=1"):
        codec.encode([[1]], max_depth=1)
    assert codec.encode([1], max_depth=1) == [1]
    with pytest.raises(codec.CodecError, match="max_depth=1"):
        codec.decode([[1]], max_depth=1)
    with pytest.raises(codec.CodecError, match="max_depth=0"):
        codec.decode([1], max_depth=0)


def test_flat_decoding_copies_and_rebuilds_tuples() -> None:
    node = [1, "a", None]
    decoded = codec.decode(node)
    assert decoded == node
    assert decoded is not node
    assert codec.decode({"$tuple": [1, 2]}) == (1, 2)
    assert codec.decode([{"$tuple": ["x"]}]) == [("x",)]
