"""Inputs derived from type-hint text: parsing, Hypothesis examples, sized stress inputs, descriptions."""

from __future__ import annotations

import importlib
import json
import math
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings

from effilab.errors import InvalidArgument
from effilab.optimize.hints import (
    DictOf,
    Hint,
    ListOf,
    Scalar,
    SetOf,
    TupleFixed,
    TupleOf,
    UnionOf,
    UnsupportedHint,
    describe,
    hint_examples,
    hint_strategy,
    parse_hint,
    sized_generator,
)

INT, FLOAT, BOOL = Scalar("int"), Scalar("float"), Scalar("bool")
STR, BYTES, NONE = Scalar("str"), Scalar("bytes"), Scalar("None")
NON_ASCII = set("éüßñøπλЖ")


# ---------------------------------------------------------------------------------------------------------
# Parsing

SUPPORTED: list[tuple[str, Hint]] = [
    ("int", INT),
    ("float", FLOAT),
    ("bool", BOOL),
    ("str", STR),
    ("bytes", BYTES),
    ("None", NONE),
    ("list[int]", ListOf(INT)),
    ("List[int]", ListOf(INT)),
    ("typing.List[int]", ListOf(INT)),
    ("Sequence[float]", ListOf(FLOAT)),
    ("typing.Sequence[float]", ListOf(FLOAT)),
    ("collections.abc.Sequence[float]", ListOf(FLOAT)),
    ("MutableSequence[str]", ListOf(STR)),
    ("Iterable[int]", ListOf(INT)),
    ("collections.abc.Iterable[int]", ListOf(INT)),
    ("Collection[bytes]", ListOf(BYTES)),
    ("list[list[int]]", ListOf(ListOf(INT))),
    ("List[Tuple[int, str]]", ListOf(TupleFixed((INT, STR)))),
    ("tuple[int, ...]", TupleOf(INT)),
    ("Tuple[float, ...]", TupleOf(FLOAT)),
    ("tuple[int, str]", TupleFixed((INT, STR))),
    ("Tuple[int]", TupleFixed((INT,))),
    ("tuple[()]", TupleFixed(())),
    ("dict[str, int]", DictOf(STR, INT)),
    ("Dict[str, List[int]]", DictOf(STR, ListOf(INT))),
    ("Mapping[int, float]", DictOf(INT, FLOAT)),
    ("typing.Mapping[str, int]", DictOf(STR, INT)),
    ("collections.abc.Mapping[str, int]", DictOf(STR, INT)),
    ("dict[tuple[int, int], bool]", DictOf(TupleFixed((INT, INT)), BOOL)),
    ("dict[Optional[str], int]", DictOf(UnionOf((STR, NONE)), INT)),
    ("set[int]", SetOf(INT)),
    ("Set[str]", SetOf(STR)),
    ("AbstractSet[int]", SetOf(INT)),
    ("collections.abc.Set[int]", SetOf(INT)),
    ("set[tuple[int, ...]]", SetOf(TupleOf(INT))),
    ("set[frozenset[int]]", SetOf(SetOf(INT, frozen=True))),
    ("frozenset[int]", SetOf(INT, frozen=True)),
    ("FrozenSet[bytes]", SetOf(BYTES, frozen=True)),
    ("Optional[int]", UnionOf((INT, NONE))),
    ("typing.Optional[int]", UnionOf((INT, NONE))),
    ("Optional[dict[str, float]]", UnionOf((DictOf(STR, FLOAT), NONE))),
    ("Optional[Optional[int]]", UnionOf((INT, NONE))),
    ("Union[int, str]", UnionOf((INT, STR))),
    ("Union[int]", INT),
    ("Union[int, int]", INT),
    ("Union[int, Union[str, None]]", UnionOf((INT, STR, NONE))),
    ("int | None", UnionOf((INT, NONE))),
    ("None | int", UnionOf((NONE, INT))),
    ("int | str | None", UnionOf((INT, STR, NONE))),
    ("list[int | None]", ListOf(UnionOf((INT, NONE)))),
    ("'list[int]'", ListOf(INT)),
    ("'\"list[int]\"'", ListOf(INT)),
    ("list['int']", ListOf(INT)),
    ("  list[int]  ", ListOf(INT)),
]


@pytest.mark.parametrize(("text", "expected"), SUPPORTED, ids=[text for text, _ in SUPPORTED])
def test_parse_supported_forms(text: str, expected: Hint) -> None:
    assert parse_hint("x", text) == expected


UNSUPPORTED: list[tuple[str, str]] = [
    ("Graph", "unsupported type 'Graph'"),
    ("Any", "unsupported type 'Any'"),
    ("typing.Any", "unsupported type 'typing.Any'"),
    ("object", "unsupported type 'object'"),
    ("np.ndarray", "unsupported type 'np.ndarray'"),
    ("typing.int", "unsupported type 'typing.int'"),
    ("collections.abc.List[int]", "unsupported type 'collections.abc.List'"),
    ("os.path.List[int]", "unsupported type 'os.path.List'"),
    ("Callable[[int], int]", "unsupported type 'Callable'"),
    ("Literal[1, 2]", "unsupported type 'Literal'"),
    ("list", "'list' needs type arguments"),
    ("Dict", "'Dict' needs type arguments"),
    ("Optional", "'Optional' needs type arguments"),
    ("list[int, str]", "'list' takes 1 type argument, got 2"),
    ("dict[str]", "'dict' takes 2 type arguments, got 1"),
    ("Optional[int, str]", "'Optional' takes 1 type argument, got 2"),
    ("int[str]", "'int' takes no type arguments"),
    ("tuple[..., int]", "unsupported constant Ellipsis"),
    ("dict[list[int], int]", "dict keys must be str, int, float, bool, None or tuples of those"),
    ("dict[bytes, int]", "dict keys must be"),
    ("dict[frozenset[int], int]", "dict keys must be"),
    ("set[list[int]]", "members of 'set' must be hashable"),
    ("frozenset[dict[str, int]]", "members of 'frozenset' must be hashable"),
    ("set[tuple[int, list[int]]]", "must be hashable"),
    ("set[int | list[int]]", "must be hashable"),
    ("1", "unsupported constant 1"),
    ("list[int][str]", "unsupported expression"),
    ("lambda: 0", "unsupported expression"),
    ("int + str", "unsupported expression"),
    ("list[int", "not a valid expression"),
    ("", "not a valid expression"),
    ("x\0", "not a valid expression"),
    ("list[" * 40 + "int" + "]" * 40, "nested too deeply"),
    ("int | " * 2000 + "int", "annotation too long"),
]


@pytest.mark.parametrize(("text", "reason"), UNSUPPORTED, ids=[text[:40] for text, _ in UNSUPPORTED])
def test_parse_unsupported_forms(text: str, reason: str) -> None:
    with pytest.raises(UnsupportedHint) as info:
        parse_hint("g", text)
    message = str(info.value)
    assert message.startswith(f"parameter 'g': cannot derive inputs from annotation {text!r}")
    assert reason in message
    assert info.value.parameter == "g"
    assert info.value.annotation == text


def test_unsupported_message_matches_the_documented_form() -> None:
    with pytest.raises(
        UnsupportedHint, match=r"^parameter 'g': cannot derive inputs from annotation 'Graph'"
    ):
        parse_hint("g", "Graph")


def test_missing_annotation() -> None:
    with pytest.raises(UnsupportedHint) as info:
        parse_hint("x", None)
    assert str(info.value) == "parameter 'x': cannot derive inputs: no annotation"
    assert info.value.annotation is None


@pytest.mark.parametrize("function", [hint_strategy, describe, sized_generator])
def test_public_functions_name_the_offending_parameter(function: object) -> None:
    assert callable(function)
    with pytest.raises(UnsupportedHint, match=r"parameter 'g': cannot derive inputs from annotation 'Graph'"):
        function([("xs", "list[int]"), ("g", "Graph")])
    with pytest.raises(UnsupportedHint, match=r"parameter 'k': cannot derive inputs: no annotation"):
        function([("xs", "list[int]"), ("k", None)])


def test_examples_reject_unsupported_hints() -> None:
    with pytest.raises(UnsupportedHint, match="'g'"):
        hint_examples([("g", "Graph")], count=3, seed=0)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ("xs", "must be a sequence"),
        (b"xs", "must be a sequence"),
        (None, "must be a sequence"),
        ([("xs",)], "must be a (name, annotation) pair"),
        (["xs"], "must be a (name, annotation) pair"),
        ([("", "int")], "non-empty str"),
        ([(3, "int")], "non-empty str"),
        ([("x", "int"), ("x", "str")], "appears twice"),
        ([("x", 3)], "must be a str or None"),
    ],
)
def test_bad_params_are_invalid_arguments(params: object, fragment: str) -> None:
    for function in (hint_strategy, describe, sized_generator):
        with pytest.raises(InvalidArgument) as info:
            function(params)  # type: ignore[arg-type]
        assert fragment in str(info.value)


def test_bad_parameter_name_for_parse_hint() -> None:
    with pytest.raises(InvalidArgument):
        parse_hint(3, "int")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Conformance checks shared by the Hypothesis and the sized tests


def conforms(value: object, hint: Hint) -> bool:
    """Exact builtin types all the way down (as the sandbox codec requires)."""
    if isinstance(hint, Scalar):
        expected = {"int": int, "float": float, "bool": bool, "str": str, "bytes": bytes, "None": type(None)}
        return type(value) is expected[hint.kind]
    if isinstance(hint, ListOf):
        return type(value) is list and all(conforms(item, hint.item) for item in value)
    if isinstance(hint, TupleOf):
        return type(value) is tuple and all(conforms(item, hint.item) for item in value)
    if isinstance(hint, TupleFixed):
        return (
            type(value) is tuple
            and len(value) == len(hint.items)
            and all(conforms(item, sub) for item, sub in zip(value, hint.items, strict=True))
        )
    if isinstance(hint, DictOf):
        return type(value) is dict and all(
            conforms(k, hint.key) and conforms(v, hint.value) for k, v in value.items()
        )
    if isinstance(hint, SetOf):
        return type(value) is (frozenset if hint.frozen else set) and all(
            conforms(item, hint.item) for item in value
        )
    return any(conforms(value, option) for option in hint.options)


def small(value: object) -> bool:
    """Within the bounds promised for examples."""
    if type(value) is int:
        return -1000 <= value <= 1000
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is str:
        return len(value) <= 20 and all(
            (ch.isascii() and ch.isprintable()) or ch in "\t\n" or ch in NON_ASCII for ch in value
        )
    if type(value) is bytes:
        return len(value) <= 20
    if type(value) in (list, tuple):
        return len(value) <= 20 and all(small(item) for item in value)  # type: ignore[attr-defined]
    if type(value) in (set, frozenset):
        return len(value) <= 10 and all(small(item) for item in value)  # type: ignore[attr-defined]
    if type(value) is dict:
        return len(value) <= 10 and all(small(k) and small(v) for k, v in value.items())
    return value is None or type(value) is bool


PARAM_SETS: list[list[tuple[str, str | None]]] = [
    [("xs", "list[int]"), ("k", "int")],
    [("s", "str"), ("b", "bytes"), ("flag", "bool"), ("nothing", "None")],
    [("x", "float"), ("ys", "Sequence[float]"), ("t", "tuple[int, ...]")],
    [("d", "Optional[dict[str, float]]"), ("m", "Mapping[tuple[int, str], list[int]]")],
    [("s", "set[str]"), ("f", "frozenset[tuple[int, bool]]"), ("u", "int | str | None")],
    [("grid", "List[List[int]]"), ("p", "Tuple[int, str]"), ("e", "tuple[()]")],
    [("k", "dict[Union[int, None], bool]"), ("w", "list[Optional[str]]")],
]


@pytest.mark.parametrize("params", PARAM_SETS, ids=describe)
def test_examples_conform_to_their_hints(params: list[tuple[str, str | None]]) -> None:
    hints = [parse_hint(name, text) for name, text in params]
    examples = hint_examples(params, count=200, seed=11)
    assert len(examples) > 100  # these hints have plenty of distinct values
    for example in examples:
        assert type(example) is tuple
        assert len(example) == len(params)
        for value, hint in zip(example, hints, strict=True):
            assert conforms(value, hint), (value, hint)
            assert small(value), value


MIXED = PARAM_SETS[3] + PARAM_SETS[4]
MIXED_HINTS = [parse_hint(name, text) for name, text in MIXED]


@settings(max_examples=100, deadline=None)
@given(hint_strategy(MIXED))
def test_strategy_draws_conform(example: tuple[object, ...]) -> None:
    assert len(example) == len(MIXED)
    for value, hint in zip(example, MIXED_HINTS, strict=True):
        assert conforms(value, hint)
        assert small(value)


def test_examples_include_edge_cases() -> None:
    examples = hint_examples([("xs", "list[int]"), ("k", "int")], count=50, seed=0)
    assert any(xs == [] for xs, _ in examples)
    assert any(k == 0 for _, k in examples)
    assert any(xs and 0 in xs for xs, _ in examples)  # type: ignore[operator]
    assert any(k < 0 for _, k in examples)  # type: ignore[operator]
    texts = hint_examples([("s", "str")], count=50, seed=0)
    assert ("",) in texts


def test_examples_are_distinct_and_at_most_count() -> None:
    examples = hint_examples([("xs", "list[int]")], count=30, seed=5)
    assert 0 < len(examples) <= 30
    assert len({repr(example) for example in examples}) == len(examples)
    assert sorted(hint_examples([("b", "bool")], count=10, seed=0)) == [(False,), (True,)]
    assert hint_examples([("n", "None")], count=10, seed=0) == [(None,)]
    assert hint_examples([], count=10, seed=0) == [()]
    assert hint_examples([("x", "int")], count=0, seed=0) == []


def test_examples_same_seed_same_list() -> None:
    params = [("xs", "list[int]"), ("d", "dict[str, float]"), ("s", "set[str]")]
    first = hint_examples(params, count=40, seed=123)
    assert hint_examples(params, count=40, seed=123) == first
    assert hint_examples(params, count=40, seed=124) != first


def test_examples_do_not_depend_on_what_was_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Hypothesis harvests literals from newly imported local modules and may draw them; that must not leak.
    params = [("s", "str"), ("xs", "list[int]"), ("b", "bytes"), ("x", "float")]
    before = hint_examples(params, count=60, seed=9)
    literals = ", ".join(f"'sentinel{i}', {7770 + i}, {i}.125, b'raw{i}'" for i in range(50))
    (tmp_path / "hints_literals_module.py").write_text(f"LITERALS = [{literals}]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        importlib.import_module("hints_literals_module")
        assert hint_examples(params, count=60, seed=9) == before
    finally:
        sys.modules.pop("hints_literals_module", None)


@pytest.mark.parametrize(("count", "seed"), [(-1, 0), (True, 0), (1.5, 0), (3, 1.5), (3, None), (3, False)])
def test_examples_bad_count_or_seed(count: object, seed: object) -> None:
    with pytest.raises(InvalidArgument):
        hint_examples([("x", "int")], count=count, seed=seed)  # type: ignore[arg-type]


_DETERMINISM_SCRIPT = textwrap.dedent(
    """
    import json, sys
    if sys.argv[1] == "more":  # other local modules loaded first must not change anything
        import effilab.cli.main, effilab.measure.complexity, effilab.sandbox.codec
    from effilab.optimize.hints import hint_examples

    def normal(value):  # set iteration order follows str hashes, which differ between these processes
        if isinstance(value, (set, frozenset)):
            return [type(value).__name__, sorted(repr(normal(v)) for v in value)]
        if isinstance(value, (list, tuple)):
            return [type(value).__name__, [repr(normal(v)) for v in value]]
        if isinstance(value, dict):
            return ["dict", [[repr(normal(k)), repr(normal(v))] for k, v in value.items()]]
        return repr(value)

    params = json.loads(sys.argv[2])
    print(json.dumps([repr(normal(example)) for example in hint_examples(params, count=60, seed=2024)]))
    """
)


def test_examples_are_deterministic_across_processes(tmp_path: Path) -> None:
    params = [("xs", "list[int]"), ("s", "str"), ("d", "dict[str, float]"), ("t", "set[str]"), ("b", "bytes")]
    outputs = []
    for hash_seed, imports in (("1", "plain"), ("2", "more")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
        proc = subprocess.run(
            [sys.executable, "-c", _DETERMINISM_SCRIPT, imports, json.dumps(params)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(json.loads(proc.stdout))
    assert len(outputs[0]) > 40
    assert outputs[0] == outputs[1]
    # Nothing was cached in the working directory (no Unicode tables, no harvested constants).
    assert not (tmp_path / ".hypothesis").exists()


# ---------------------------------------------------------------------------------------------------------
# Sized stress inputs


def generate(params: Sequence[tuple[str, str | None]], size: int, seed: int = 0) -> tuple[object, ...]:
    return sized_generator(params)(size, random.Random(seed))


@pytest.mark.parametrize("size", [0, 1, 7, 1000])
def test_sized_flat_lengths(size: int) -> None:
    params = [
        ("xs", "list[int]"),
        ("s", "str"),
        ("b", "bytes"),
        ("t", "tuple[float, ...]"),
        ("d", "dict[int, int]"),
        ("fs", "Sequence[float]"),
        ("flags", "list[bool]"),
        ("u", "set[int]"),
        ("fz", "frozenset[int]"),
    ]
    xs, s, b, t, d, fs, flags, u, fz = generate(params, size)
    for value in (xs, s, b, t, d, fs, flags):
        assert len(value) == size  # type: ignore[arg-type]
    assert 0 < len(u) <= size or size == 0  # type: ignore[arg-type]
    assert 0 < len(fz) <= size or size == 0  # type: ignore[arg-type]
    for value, (name, text) in zip((xs, s, b, t, d, fs, flags, u, fz), params, strict=True):
        assert conforms(value, parse_hint(name, text))


def test_sized_ranges() -> None:
    size = 5000
    xs, k, x, fs, s = generate(
        [("xs", "list[int]"), ("k", "int"), ("x", "float"), ("fs", "list[float]"), ("s", "str")], size
    )
    assert all(-(10**6) <= v <= 10**6 for v in xs)  # type: ignore[attr-defined]
    assert max(xs) - min(xs) > 10**6  # type: ignore[call-overload]  # uniform over the whole range, not small
    assert 0 <= k <= size  # type: ignore[operator]
    assert type(k) is int
    assert type(x) is float
    assert -1e3 <= x <= 1e3  # type: ignore[operator]
    assert all(-1e3 <= v <= 1e3 for v in fs)  # type: ignore[attr-defined]
    assert max(fs) - min(fs) > 1e3  # type: ignore[call-overload]
    assert set(s) <= set("abcdefghijklmnopqrstuvwxyz")  # type: ignore[arg-type]
    ks = {generate([("xs", "list[int]"), ("k", "int")], 100, seed)[1] for seed in range(50)}
    assert len(ks) > 10  # drawn, not fixed, when a sized parameter exists


def test_sized_dict_keys_distinct_and_small_key_spaces() -> None:
    (d,) = generate([("d", "dict[int, float]")], 3000)
    assert len(d) == 3000  # type: ignore[arg-type]
    (d,) = generate([("d", "dict[bool, int]")], 10_000)
    assert set(d) == {False, True}  # type: ignore[call-overload]
    (d,) = generate([("d", "dict[None, int]")], 50)
    assert list(d) == [None]  # type: ignore[call-overload]
    (d,) = generate([("d", "dict[tuple[bool, bool], int]")], 50)
    assert len(d) == 4  # type: ignore[arg-type]
    (d,) = generate([("d", "dict[tuple[int, str], int]")], 400)
    assert len(d) > 0
    assert all(type(key) is tuple for key in d)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ([("n", "int")], (37,)),
        ([("x", "float")], (37.0,)),
        ([("a", "int"), ("b", "int"), ("x", "float")], (37, 37, 37.0)),
        ([("n", "Optional[int]")], (37,)),
        ([("p", "tuple[int, float]")], ((37, 37.0),)),
    ],
)
def test_sized_all_scalar_parameters_are_the_size(
    params: list[tuple[str, str | None]], expected: tuple[object, ...]
) -> None:
    assert generate(params, 37) == expected
    assert generate(params, 37, seed=99) == expected


def test_sized_scalar_int_with_a_bool_still_scales() -> None:
    n, flag = generate([("n", "int"), ("verbose", "bool")], 12)
    assert n == 12
    assert type(flag) is bool


def _total(value: object) -> int:
    """Leaf count (characters and bytes included)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(_total(k) + _total(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return sum(_total(item) for item in value)
    return 1


@pytest.mark.parametrize(
    "text",
    [
        "list[list[int]]",
        "list[str]",
        "list[bytes]",
        "list[list[list[int]]]",
        "dict[str, list[int]]",
        "list[tuple[int, str]]",
        "set[frozenset[int]]",
        "list[dict[int, set[int]]]",
        "tuple[tuple[float, ...], ...]",
    ],
)
@pytest.mark.parametrize("size", [1, 10, 100, 2500, 10_000])
def test_sized_nested_total_stays_linear(text: str, size: int) -> None:
    (value,) = generate([("x", text)], size)
    assert conforms(value, parse_hint("x", text))
    assert 0 < _total(value) <= 3 * size + 8


def test_sized_nested_shape() -> None:
    (grid,) = generate([("grid", "list[list[int]]")], 10_000)
    assert len(grid) == 100  # type: ignore[arg-type]
    assert {len(row) for row in grid} == {101}  # type: ignore[attr-defined]
    (words,) = generate([("words", "list[str]")], 10_000)
    assert len(words) == 100  # type: ignore[arg-type]
    assert {len(word) for word in words} == {101}  # type: ignore[attr-defined]
    (pairs,) = generate([("pairs", "list[tuple[int, int]]")], 10_000)
    assert len(pairs) == 10_000  # type: ignore[arg-type]  # fixed tuples of scalars do not nest


def test_sized_unions_take_a_stress_branch() -> None:
    a, b, c, d, e = generate(
        [
            ("a", "Optional[list[int]]"),
            ("b", "None | str"),
            ("c", "Union[str, int]"),
            ("d", "list[Optional[int]]"),
            ("e", "Union[None, bytes, int]"),
        ],
        50,
    )
    assert type(a) is list
    assert len(a) == 50
    assert type(b) is str
    assert type(c) is str
    assert all(type(v) is int for v in d)  # type: ignore[attr-defined]
    assert type(e) is bytes


def test_sized_only_none() -> None:
    assert generate([("x", "None"), ("y", "Optional[None]")], 10) == (None, None)


def test_sized_is_deterministic_for_a_seeded_rng() -> None:
    params = [("xs", "list[int]"), ("d", "dict[str, list[float]]"), ("s", "set[int]"), ("k", "int")]
    gen = sized_generator(params)
    assert gen(500, random.Random(3)) == gen(500, random.Random(3))
    assert gen(500, random.Random(3)) != gen(500, random.Random(4))


def test_sized_large_inputs() -> None:
    # Sizes used for scaling measurements: no timing assertion, just that it completes and is right.
    xs, text = generate([("xs", "list[int]"), ("text", "str")], 10**6)
    assert len(xs) == 10**6  # type: ignore[arg-type]
    assert len(text) == 10**6  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "rng"),
    [(-1, random.Random(0)), (True, random.Random(0)), (2.0, random.Random(0)), (3, 7), (3, None)],
)
def test_sized_bad_arguments(size: object, rng: object) -> None:
    gen = sized_generator([("xs", "list[int]")])
    with pytest.raises(InvalidArgument):
        gen(size, rng)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Descriptions


def test_describe() -> None:
    assert describe([("xs", "list[int]"), ("k", "int")]) == "xs: list of int, k: int"
    assert describe([]) == "no parameters"
    assert describe(
        [
            ("a", "List[Optional[int]]"),
            ("b", "int | None"),
            ("c", "Dict[str, Tuple[int, ...]]"),
            ("d", "tuple[int, str]"),
            ("e", "frozenset[bytes]"),
            ("f", "set[float]"),
            ("g", "tuple[()]"),
            ("h", "Sequence[list[bool]]"),
        ]
    ) == (
        "a: list of (int or None), b: int or None, c: dict of str to tuple of int, d: tuple (int, str), "
        "e: frozenset of bytes, f: set of float, g: empty tuple, h: list of list of bool"
    )
