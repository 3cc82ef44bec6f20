"""Where the differential and stress inputs come from, and how fresh ones are made from seeds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from effilab.optimize.inputs import EXAMPLE_SIZE, InputPlan, perturb, plan_inputs
from effilab.optimize.target import Target, parse_target

MODULE = """\
class Point:
    pass


def plain(xs, word, flag, ratio, table, pair):
    return len(xs)


def hinted(xs: list[int], k: int) -> int:
    return sum(xs) + k


def odd(p: Point) -> int:
    return 0
"""

GENERATOR = """\
def generate(size, rng):
    return ([rng.randint(0, 9) for _ in range(size)], size)
"""

RECORDED: list[tuple[object, ...]] = [
    ([3, 1, 4, 1, 5], "hello", True, 2.5, {"a": 1, "b": [2, 3]}, (7, [8, 9])),
    ([10, 20, 30], "world", False, -1.0, {"c": 4}, (1, [2])),
]


@pytest.fixture(scope="module")
def module_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "mod.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


def target(path: Path, name: str) -> Target:
    return parse_target(f"{path}::{name}")


def shape(value: object) -> str:
    """The types and container lengths of ``value`` without its contents (list order ignored: lists are
    shuffled when perturbed; tuple positions and dict keys kept)."""
    if isinstance(value, list):
        return "[" + ",".join(sorted(shape(item) for item in value)) + "]"
    if isinstance(value, tuple):
        return "(" + ",".join(shape(item) for item in value) + ")"
    if isinstance(value, dict):
        return "{" + ",".join(f"{key!r}:{shape(item)}" for key, item in value.items()) + "}"
    return type(value).__name__


# --------------------------------------------------------------------------------------------------------
# Recorded calls only


def test_recorded_calls_without_hints_have_no_sized_source(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "plain"), recorded=RECORDED)
    assert plan.sized is None
    assert plan.examples == tuple(RECORDED)
    assert plan.sources == ("2 calls recorded from the tests",)
    assert len(plan.notes) == 1
    assert plan.notes[0].startswith("type hints: ")
    assert "no annotation" in plan.notes[0]


def test_unsupported_hints_are_noted_and_leave_no_sized_source(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "odd"), recorded=[(None,)])
    assert plan.sized is None
    assert plan.examples == ((None,),)
    assert any("'p'" in note and "Point" in note for note in plan.notes)


def test_fresh_inputs_are_perturbed_copies_of_the_recorded_calls(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "plain"), recorded=RECORDED)
    fresh = plan.fresh(20, seed=5)
    assert len(fresh) == 20
    known = {shape(example) for example in RECORDED}
    assert len(known) == 2
    for args in fresh:
        assert type(args) is tuple
        # Same argument order, types and shapes as one of the recorded calls (lists may be reordered).
        assert shape(args) in known
    assert any(args not in RECORDED for args in fresh)
    # Each kind of value is changed somewhere: ints nudged, floats scaled, strings shuffled.
    assert any(args[3] not in (2.5, -1.0) for args in fresh)
    assert any(args[1] not in ("hello", "world") for args in fresh)
    assert any(args[5][0] not in (7, 1) for args in fresh)


def test_fresh_inputs_are_deterministic_per_seed(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "plain"), recorded=RECORDED)
    assert plan.fresh(10, seed=3) == plan.fresh(10, seed=3)
    assert plan.fresh(10, seed=3) != plan.fresh(10, seed=4)
    assert plan.fresh(0, seed=3) == []


def test_fresh_inputs_without_any_example_are_empty() -> None:
    assert InputPlan(examples=(), sized=None, sources=()).fresh(5, seed=1) == []


def test_examples_are_deduplicated_in_first_seen_order(module_path: Path) -> None:
    calls: list[tuple[object, ...]] = [([1],), ([2],), ([1],), ([2],), ([3],)]
    plan = plan_inputs(target(module_path, "plain"), recorded=calls)
    assert plan.examples == (([1],), ([2],), ([3],))


# --------------------------------------------------------------------------------------------------------
# Type hints


def test_type_hints_give_a_sized_source_and_examples(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "hinted"), hint_count=10)
    assert plan.sized is not None
    assert plan.notes == ()
    assert plan.sources == (f"{len(plan.examples)} inputs drawn from the type hints",)
    assert 1 <= len(plan.examples) <= 10
    for xs, k in plan.examples:
        assert isinstance(xs, list)
        assert all(type(x) is int for x in xs)
        assert type(k) is int
    stress = plan.sized(100, [1, 2])
    assert len(stress) == 2
    for xs, k in stress:
        assert len(xs) == 100
        assert type(k) is int
    assert plan.sized(100, [1]) == plan.sized(100, [1])
    assert stress[0] != stress[1]


def test_recorded_calls_come_first_then_hint_examples(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "hinted"), recorded=[([1, 2], 3)], hint_count=5)
    assert plan.examples[0] == ([1, 2], 3)
    assert len(plan.examples) > 1
    assert plan.sources[0] == "1 calls recorded from the tests"
    assert "type hints" in plan.sources[1]


def test_fresh_inputs_come_from_the_sized_source_when_there_is_one(module_path: Path) -> None:
    plan = plan_inputs(target(module_path, "hinted"), hint_count=3)
    fresh = plan.fresh(4, seed=11)
    assert plan.sized is not None
    assert fresh == plan.sized(EXAMPLE_SIZE, [11, 12, 13, 14])
    assert all(len(xs) == EXAMPLE_SIZE for xs, _ in fresh)
    assert [len(xs) for xs, _ in plan.fresh(2, seed=11, size=30)] == [30, 30]


# --------------------------------------------------------------------------------------------------------
# A --inputs generator


def expected_generated(size: int, seed: int) -> tuple[object, ...]:
    rng = random.Random(seed)
    return ([rng.randint(0, 9) for _ in range(size)], size)


def test_a_generator_file_is_the_sized_source(module_path: Path, tmp_path: Path) -> None:
    generator = tmp_path / "gen.py"
    generator.write_text(GENERATOR, encoding="utf-8")
    plan = plan_inputs(target(module_path, "hinted"), generator=str(generator), hint_count=5)
    # Eight examples of the example size, from seeds 0..7; no hint examples once a generator exists.
    assert plan.examples == tuple(expected_generated(EXAMPLE_SIZE, seed) for seed in range(8))
    assert plan.sources == (f"8 inputs from {generator}",)
    assert plan.sized is not None
    assert plan.sized(5, [40, 41]) == [expected_generated(5, 40), expected_generated(5, 41)]


def test_a_generator_without_hints_still_gives_a_sized_source(module_path: Path, tmp_path: Path) -> None:
    generator = tmp_path / "gen.py"
    generator.write_text(GENERATOR, encoding="utf-8")
    plan = plan_inputs(target(module_path, "plain"), recorded=[([1], 1)], generator=str(generator))
    assert plan.sized is not None
    assert plan.examples[0] == ([1], 1)
    assert len(plan.examples) == 9
    assert plan.fresh(1, seed=9) == [expected_generated(EXAMPLE_SIZE, 9)]
    assert any("no annotation" in note for note in plan.notes)


# --------------------------------------------------------------------------------------------------------
# perturb


def test_perturb_keeps_bools_bool_and_numbers_their_type() -> None:
    rng = random.Random(0)
    bools = [perturb(True, rng) for _ in range(50)]
    assert all(type(b) is bool for b in bools)
    assert set(bools) == {True, False}
    ints = [perturb(100, rng) for _ in range(50)]
    assert all(type(i) is int and 97 <= i <= 103 for i in ints)
    assert len(set(ints)) > 1
    floats = [perturb(10.0, rng) for _ in range(50)]
    assert all(type(f) is float and 8.0 <= f <= 12.0 for f in floats)


def test_perturb_keeps_nested_shapes_and_tuple_order() -> None:
    value = ({"k": [1, (2.5, "ab")], "flag": False}, [[1, 2], [3]], ("x", 4, True))
    rng = random.Random(1)
    for _ in range(20):
        out = perturb(value, rng)
        assert type(out) is tuple
        assert len(out) == 3
        table, nested, fixed = out  # type: ignore[misc]
        assert type(table) is dict
        assert list(table) == ["k", "flag"]
        assert type(table["flag"]) is bool
        assert type(table["k"]) is list
        assert sorted(type(item).__name__ for item in table["k"]) == ["int", "tuple"]
        inner = next(item for item in table["k"] if type(item) is tuple)
        assert type(inner[0]) is float
        assert sorted(inner[1]) == ["a", "b"]
        assert type(nested) is list
        assert sorted(len(row) for row in nested) == [1, 2]
        # A tuple keeps its order: position 0 is still the str, 1 the int, 2 the bool.
        assert [type(item) for item in fixed] == [str, int, bool]


def test_perturb_leaves_other_types_alone() -> None:
    rng = random.Random(2)
    for value in (None, b"bytes", frozenset({1, 2}), {3, 4}, 1 + 2j):
        assert perturb(value, rng) == value
