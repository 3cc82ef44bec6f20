"""Structured probes: deterministic, well-typed, and rich in the values wrong rewrites mishandle."""

from __future__ import annotations

import random

from effilab.optimize.probes import (
    boundary_inputs,
    mutations,
    rare_output_inputs,
    small_domain_inputs,
    structured_inputs,
)

EXAMPLES = [([3, -1, 4, 1, 5], 6), ([10, 20], 30), ([7], 0)]


def test_the_same_seed_gives_the_same_probes_and_another_seed_others() -> None:
    first = structured_inputs(EXAMPLES, count=200, seed=42)
    assert first == structured_inputs(EXAMPLES, count=200, seed=42)
    assert first != structured_inputs(EXAMPLES, count=200, seed=43)
    assert len(first) == 200
    assert len({repr(p) for p in first}) == 200


def test_probes_keep_the_arity_and_the_types_of_each_argument() -> None:
    for args in structured_inputs(EXAMPLES, count=300, seed=1):
        assert len(args) == 2
        xs, target = args
        assert isinstance(xs, list)
        assert all(type(x) is int for x in xs)
        assert type(target) is int


def test_boundaries_cover_empty_single_duplicates_all_equal_negatives_and_extremes() -> None:
    probes = boundary_inputs(EXAMPLES)
    lists = [xs for xs, _ in probes]
    targets = {t for _, t in probes}
    assert [] in lists
    assert any(len(xs) == 1 for xs in lists)
    assert any(len(xs) >= 3 and len(set(xs)) == 1 for xs in lists)  # all equal
    assert any(len(xs) != len(set(xs)) for xs in lists)  # duplicates
    assert any(xs and all(x <= 0 for x in xs) and any(x < 0 for x in xs) for xs in lists)
    assert {0, 1, -1, 2**53 + 1, 10**18 - 1} <= targets
    assert any(max(xs, default=0) > 2**60 for xs in lists)
    # Thresholds equal to an element of the other argument: the classic off-by-one.
    assert any(t in xs for xs, t in probes)


def test_small_domains_make_duplicates_and_exact_coincidences_common() -> None:
    probes = small_domain_inputs(EXAMPLES, 400, random.Random(0))
    with_duplicates = sum(len(xs) != len(set(xs)) for xs, _ in probes)
    pair_hits = sum(
        any(xs[i] + xs[j] == t for i in range(len(xs)) for j in range(i + 1, len(xs))) for xs, t in probes
    )
    half_twice = sum(t % 2 == 0 and xs.count(t // 2) >= 2 for xs, t in probes)
    assert with_duplicates > 0.3 * len(probes)
    assert pair_hits > 0.3 * len(probes)
    assert half_twice > 0.05 * len(probes)  # the bug: target / 2 present twice


def test_mutations_edit_strings_dicts_and_nested_values_without_changing_the_argument_count() -> None:
    examples = [("hello world", {"a": 1, "b": [1, 2]}, (1.5, True))]
    out = mutations(examples, 200, random.Random(3))
    assert all(len(args) == 3 for args in out)
    assert {type(a[0]) for a in out} == {str}
    assert {type(a[1]) for a in out} == {dict}
    assert any(a[0] != "hello world" for a in out)
    assert any(a[1] != examples[0][1] for a in out)
    assert any(a[2] != examples[0][2] for a in out)


def test_rare_outputs_draw_mutations_near_the_inputs_that_produced_them() -> None:
    observed = [(([i, i + 1],), False) for i in range(40)] + [(([5, 5],), True)]
    near = rare_output_inputs(observed, count=50, seed=0)
    assert len(near) == 50
    assert all(len(args[0]) <= 3 for args in near)  # mutations of [5, 5], not of the common inputs
    assert sum(5 in args[0] for args in near) > 25
    # Nothing is rare when every output is the same.
    assert rare_output_inputs([(([i],), 0) for i in range(10)], count=5, seed=0) == []


def test_no_examples_give_no_probes() -> None:
    assert structured_inputs([], count=10, seed=0) == []
    assert structured_inputs([()], count=10, seed=0) == [()]
