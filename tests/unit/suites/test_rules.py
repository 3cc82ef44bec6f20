"""Comparison rules: what each accepts and rejects, on the builtin values the codec can produce."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from effilab.check.rules import CheckerRule, ExactRule, FloatRule, PythonEqRule, UnorderedRule
from effilab.errors import InvalidArgument
from effilab.measure.program import Program
from effilab.sandbox import OutputDigest, codec

NO_ARGS: tuple[object, ...] = ()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.binary(max_size=8),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=4), children, max_size=4),
    ),
    max_leaves=12,
)


# ---------------------------------------------------------------------------------------------- ExactRule


@settings(max_examples=100, deadline=None)
@given(values)
def test_exact_accepts_an_equal_copy(value: object) -> None:
    assert ExactRule().check(NO_ARGS, value, codec.loads(codec.dumps(value)))


@pytest.mark.parametrize(
    ("expected", "output"),
    [
        (1, 1.0),
        (1, True),
        (1.0, True),
        (0, False),
        ([1], (1,)),
        ([1, 2], [1, 2.0]),
        ({"a": 1}, {"a": 1.0}),
        ((1, [2]), (1, (2,))),
        ("1", 1),
        (b"x", "x"),
        (None, 0),
        ([1, 2], [2, 1]),
        ({1, 2}, [1, 2]),
    ],
)
def test_exact_distinguishes_types_at_every_depth(expected: object, output: object) -> None:
    rule = ExactRule()
    assert not rule.check(NO_ARGS, expected, output)
    assert not rule.check(NO_ARGS, output, expected)
    assert rule.check(NO_ARGS, expected, expected)


@given(st.integers(), st.integers())
def test_exact_on_integers_is_equality(a: int, b: int) -> None:
    assert ExactRule().check(NO_ARGS, a, b) is (a == b)


def test_exact_treats_nan_as_equal_to_nan() -> None:
    assert ExactRule().check(NO_ARGS, [math.nan], [math.nan])
    assert not ExactRule().check(NO_ARGS, [math.nan], [0.0])


# ------------------------------------------------------------------------------------------- PythonEqRule


@pytest.mark.parametrize(
    ("expected", "output", "accepted"),
    [
        (1, 1, True),
        (1, 1.0, False),  # the top-level type must match
        (1, True, False),
        ([1, 2], [1.0, 2.0], True),  # nested values compare with ==, as ENAMEL's checker does
        ([1], [True], True),
        ({"a": 1}, {"a": 1.0}, True),
        ([1], (1,), False),
        ((1, 2), (1, 2), True),
        ([1, 2], [2, 1], False),
        ("abc", "abc", True),
        (None, None, True),
    ],
)
def test_python_eq(expected: object, output: object, accepted: bool) -> None:
    assert PythonEqRule().check(NO_ARGS, expected, output) is accepted


@settings(max_examples=100, deadline=None)
@given(values)
def test_python_eq_accepts_an_equal_copy(value: object) -> None:
    assert PythonEqRule().check(NO_ARGS, value, codec.loads(codec.dumps(value)))


# ---------------------------------------------------------------------------------------------- FloatRule

magnitudes = st.floats(min_value=1e-6, max_value=1e12) | st.floats(min_value=-1e12, max_value=-1e-6)


@settings(max_examples=100, deadline=None)
@given(
    magnitudes,
    st.floats(min_value=-0.5, max_value=0.5),
    st.sampled_from([1e-9, 1e-6, 1e-3]),
)
def test_float_within_tolerance_is_accepted(x: float, fraction: float, rel_tol: float) -> None:
    rule = FloatRule(rel_tol=rel_tol)
    near = x * (1 + fraction * rel_tol)
    assert rule.check(NO_ARGS, x, near)
    assert rule.check(NO_ARGS, [x, "label"], [near, "label"])
    assert rule.check(NO_ARGS, {"v": (x,)}, {"v": (near,)})


@settings(max_examples=100, deadline=None)
@given(
    magnitudes,
    st.floats(min_value=1.5, max_value=1000.0),
    st.booleans(),
    st.sampled_from([1e-9, 1e-6, 1e-3]),
)
def test_float_outside_tolerance_is_rejected(x: float, factor: float, up: bool, rel_tol: float) -> None:
    rule = FloatRule(rel_tol=rel_tol)
    far = x * (1 + factor * rel_tol) if up else x * (1 - factor * rel_tol)
    assume(far != x)
    assert not rule.check(NO_ARGS, x, far)
    assert not rule.check(NO_ARGS, [x], [far])


def test_float_absolute_tolerance_matters_near_zero() -> None:
    assert not FloatRule(rel_tol=1e-9).check(NO_ARGS, 0.0, 1e-12)
    assert FloatRule(rel_tol=1e-9, abs_tol=1e-10).check(NO_ARGS, 0.0, 1e-12)
    assert not FloatRule(rel_tol=1e-9, abs_tol=1e-10).check(NO_ARGS, 0.0, 1e-9)


@pytest.mark.parametrize(
    ("expected", "output", "accepted"),
    [
        (1, 1.0, True),  # an int standing for a float
        (1.0, 1, True),
        (2, 2, True),
        (2, 3, False),
        (1.0, True, False),  # a bool is not a number here
        (1.0, "1.0", False),
        ([1.0], (1.0,), False),  # containers keep their type
        ([1.0, 2.0], [1.0], False),
        ({"a": 1.0}, {"b": 1.0}, False),
        (math.nan, math.nan, True),
        (math.nan, 1.0, False),
        (math.inf, math.inf, True),
        (math.inf, -math.inf, False),
        (complex(1.0, 2.0), complex(1.0, 2.0 + 1e-12), True),
        (complex(1.0, 2.0), complex(1.0, 2.1), False),
        ("abc", "abc", True),
        ("abc", "abd", False),
    ],
)
def test_float_rule_cases(expected: object, output: object, accepted: bool) -> None:
    assert FloatRule(rel_tol=1e-9).check(NO_ARGS, expected, output) is accepted


@pytest.mark.parametrize(
    "kwargs",
    [{"rel_tol": -1.0}, {"abs_tol": -1e-9}, {"rel_tol": math.inf}, {"rel_tol": math.nan}, {"abs_tol": "0"}],
)
def test_float_rule_rejects_bad_tolerances(kwargs: dict[str, object]) -> None:
    field = next(iter(kwargs))
    with pytest.raises(InvalidArgument, match=field):
        FloatRule(**kwargs)  # type: ignore[arg-type]


def test_float_rule_describes_its_tolerances() -> None:
    assert FloatRule(rel_tol=1e-6, abs_tol=0.5).describe() == "float (rel_tol=1e-06, abs_tol=0.5)"


# ------------------------------------------------------------------------------------------ UnorderedRule

elements = st.one_of(st.integers(-5, 5), st.text(max_size=2), st.booleans(), st.floats(-2, 2, width=16))


@settings(max_examples=100, deadline=None)
@given(st.data(), st.lists(elements, max_size=10), st.booleans())
def test_unordered_accepts_any_permutation(data: st.DataObject, items: list[object], as_tuple: bool) -> None:
    shuffled = data.draw(st.permutations(items))
    expected: object = tuple(items) if as_tuple else items
    output: object = tuple(shuffled) if as_tuple else list(shuffled)
    assert UnorderedRule().check(NO_ARGS, expected, output)


@settings(max_examples=100, deadline=None)
@given(st.data(), st.lists(elements, min_size=1, max_size=10))
def test_unordered_rejects_a_changed_multiset(data: st.DataObject, items: list[object]) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    replacement = data.draw(elements)
    assume(codec.dumps(replacement) != codec.dumps(items[index]))
    changed = [*items]
    changed[index] = replacement
    shuffled = data.draw(st.permutations(changed))
    rule = UnorderedRule()
    assert not rule.check(NO_ARGS, items, list(shuffled))
    assert not rule.check(NO_ARGS, items, [*items, items[0]])  # one element too many
    assert not rule.check(NO_ARGS, items, items[1:])  # one too few


@pytest.mark.parametrize(
    ("expected", "output", "accepted"),
    [
        ([1, 1, 2], [1, 2, 1], True),
        ([1, 1, 2], [1, 2, 2], False),  # same set, different counts
        ([1], [1.0], False),  # elements compare exactly
        ([1], [True], False),
        ([[1, 2], [3]], [[3], [1, 2]], True),
        ([[1, 2]], [[2, 1]], False),  # only the outer level is unordered
        ([1, 2], (2, 1), False),  # the container type must match
        ({1, 2}, {2, 1}, False),  # only lists and tuples
        (5, 5, False),
        ([], [], True),
    ],
)
def test_unordered_cases(expected: object, output: object, accepted: bool) -> None:
    assert UnorderedRule().check(NO_ARGS, expected, output) is accepted


# -------------------------------------------------------------------------------------------- CheckerRule


def test_checker_rule_never_runs_in_the_parent() -> None:
    rule = CheckerRule(Program(b"def __effilab_check__(a, e, o):\n    return True\n", "__effilab_check__",
                               "judge.py"))  # fmt: skip
    assert rule.sandboxed
    assert rule.describe() == "checker (judge.py)"
    with pytest.raises(RuntimeError, match="sandboxed"):
        rule.check(NO_ARGS, 1, 1)


def test_rule_names() -> None:
    assert [r.name for r in (ExactRule(), PythonEqRule(), FloatRule(), UnorderedRule())] == [
        "exact",
        "python-eq",
        "float",
        "unordered",
    ]
    assert not ExactRule().sandboxed


# ---------------------------------------------------------------------------------------- streamed outputs

DIGEST = OutputDigest("ab" * 32, 10_000_000)
OTHER = OutputDigest("cd" * 32, 10_000_000)


@pytest.mark.parametrize("rule", [ExactRule(), PythonEqRule()], ids=lambda r: r.name)
def test_equality_rules_judge_streamed_outputs_by_digest(rule: ExactRule | PythonEqRule) -> None:
    assert rule.check_digests(DIGEST, OutputDigest(DIGEST.sha256, DIGEST.size)) is True
    assert rule.check_digests(DIGEST, OTHER) is False
    assert rule.check_digests(DIGEST, [1, 2]) is False  # a small output is never a streamed one


@pytest.mark.parametrize("rule", [FloatRule(), UnorderedRule()], ids=lambda r: r.name)
def test_rules_that_accept_other_values_need_the_decoded_output(rule: FloatRule | UnorderedRule) -> None:
    assert rule.check_digests(DIGEST, DIGEST) is None
