"""Structured verification inputs: the values where plausible-but-wrong rewrites break.

Random inputs of a realistic size rarely hit the values a wrong rewrite mishandles: an element equal to
the threshold, a pair summing exactly to the target, duplicates of ``target / 2``, the empty list, a
negative number, a tie. Hand-written tests hit them because people write them on purpose. This module
writes them on purpose too, from nothing but example argument tuples (recorded test calls, generator or
type-hint examples), so it needs no knowledge of the function. Three families, all deterministic for a
given seed and all plain data:

* :func:`boundary_inputs`: each argument of a few small examples replaced in turn by its boundary values
  (empty, one element, duplicates, all equal, sorted, reversed; 0, ±1, negated, ±1 around it, extremes;
  the empty string, one repeated character; and so on).
* :func:`small_domain_inputs`: the examples re-filled from a tiny pool of values with short containers,
  and every scalar number set to a value the other arguments make special (an element, the sum of two
  elements, twice an element, one off). In such inputs duplicates, ties and exact coincidences are the
  rule rather than the exception.
* :func:`mutations`: EvalPlus-style type-aware mutation (1–3 edits: an int nudged or negated, a list
  element dropped, duplicated or swapped, a character inserted or removed, ...) of the examples.

:func:`structured_inputs` mixes the three; :func:`rare_output_inputs` mutates the inputs whose *result*
was rare under the original, so a rewrite wrong only on the rare branch is still exercised often.
How many of each, and why that is enough, is in docs/optimize.md ("How many inputs verify a rewrite").
"""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from collections.abc import Callable, Sequence

__all__ = [
    "boundary_inputs",
    "mutations",
    "rare_output_inputs",
    "small_domain_inputs",
    "structured_inputs",
]

Args = tuple[object, ...]

# Where fixed-width and floating-point arithmetic part from Python's exact integers: 2**53 + 1 is the first
# int a float cannot hold, 10**18 - 1 rounds up to 10**18 as a float, 2**63 - 1 is int64's largest.
_BIG_INTS = (2**53 + 1, 10**18 - 1, 2**63 - 1, -(10**18))
_INT_EXTREMES = (0, 1, -1, 2, -2, 2**31 - 1, -(2**31), *_BIG_INTS)
_FLOAT_EXTREMES = (0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 1e-12, 0.1 + 0.2, 1e300, -1e300)
_BASES = 6
"""How many of the smallest examples the boundary family starts from."""
_EXTREME_BASES = 2
"""How many of those also get extreme values (huge ints and floats)."""
_MAX_CONTAINER = 6
"""Longest container the small-domain family builds (short: readable failures, cheap oracle calls)."""


def structured_inputs(examples: Sequence[Args], *, count: int, seed: int) -> list[Args]:
    """About ``count`` distinct structured inputs: boundary ones first, then small-domain and mutated ones."""
    if not examples or count <= 0:
        return []
    rng = random.Random(seed)
    chosen: dict[str, Args] = {}
    for args in boundary_inputs(examples):
        if len(chosen) >= count // 2:
            break
        chosen.setdefault(repr(args), args)
    # The rest alternates the two random families, so neither starves the other.
    families: list[Callable[[Sequence[Args], int, random.Random], list[Args]]] = [
        small_domain_inputs,
        mutations,
    ]
    misses = 0
    while len(chosen) < count and misses < 8:
        before = len(chosen)
        for family in families:
            for args in family(examples, max(1, (count - len(chosen)) // 2), rng):
                chosen.setdefault(repr(args), args)
        misses = misses + 1 if len(chosen) == before else 0
    return list(chosen.values())[:count]


def rare_output_inputs(
    observed: Sequence[tuple[Args, object]], *, count: int, seed: int, rare_share: float = 0.2
) -> list[Args]:
    """Mutations of the inputs whose result under the original is rare (an output seen in < 20 % of cases).

    A predicate that is true on one input in twenty gets the same attention as the common branch: the
    inputs near its few true cases are exactly where a rewrite with a wrong condition differs.
    """
    if not observed or count <= 0:
        return []
    classes = Counter(_output_class(result) for _, result in observed)
    limit = rare_share * len(observed)
    rare = [args for args, result in observed if classes[_output_class(result)] <= limit]
    if not rare or len(classes) < 2:
        return []
    return mutations(rare, count, random.Random(seed))


def _output_class(result: object) -> str:
    """Results grouped coarsely: booleans and small values by value, others by type and size."""
    if isinstance(result, bool | type(None)) or (isinstance(result, int) and abs(result) <= 2):
        return repr(result)
    if isinstance(result, list | tuple | set | frozenset | dict | str | bytes):
        return f"{type(result).__name__}:{min(len(result), 2)}"
    return type(result).__name__


# ------------------------------------------------------------------------------------------- boundary


def boundary_inputs(examples: Sequence[Args]) -> list[Args]:
    """Each argument of the smallest examples replaced, one at a time, by each of its boundary values."""
    bases = sorted(examples, key=lambda args: len(repr(args)))[:_BASES]
    found: dict[str, Args] = {}
    for index, args in enumerate(bases):
        # Extremes once or twice are enough; where a scalar drives a loop the original may not finish on
        # them, and each such probe costs the oracle its time limit.
        extremes = index < _EXTREME_BASES
        for position, value in enumerate(args):
            for variant in _boundary_values(value, args, extremes=extremes):
                changed = (*args[:position], variant, *args[position + 1 :])
                found.setdefault(repr(changed), changed)
    return list(found.values())


def _boundary_values(value: object, args: Args, *, extremes: bool = True) -> list[object]:
    kind = type(value)
    if kind is bool:
        return [not value]
    if kind is int:
        assert isinstance(value, int)
        near = [value - 1, value + 1, -value, value * 2, value // 2]
        # Another argument's elements: thresholds and targets equal to an element are classic off-by-ones.
        elements = [n for n in _numbers(args) if isinstance(n, int)][:4]
        return [*(_INT_EXTREMES if extremes else _INT_EXTREMES[:5]), *near, *elements]
    if kind is float:
        assert isinstance(value, float)
        floats = _FLOAT_EXTREMES if extremes else _FLOAT_EXTREMES[:-2]
        return [*floats, -value, round(value) + 0.5, value * (1 + 1e-9)]
    if kind is str:
        assert isinstance(value, str)
        first = value[:1] or "a"
        return ["", first, first * 4, value.upper(), value[::-1], f" {value} ", value + "é", value + value]
    if kind is bytes:
        assert isinstance(value, bytes)
        return [b"", value[:1], value * 2]
    if kind is list:
        assert isinstance(value, list)
        return _sequence_variants(value, extremes=extremes)
    if kind is tuple:
        assert isinstance(value, tuple)
        # A fixed-length tuple is a record: keep its length, vary one field at a time.
        return [
            (*value[:i], variant, *value[i + 1 :])
            for i, item in enumerate(value)
            for variant in _boundary_values(item, value, extremes=extremes)[:6]
        ]
    if kind is dict:
        assert isinstance(value, dict)
        items = list(value.items())
        return [{}, dict(items[:1]), dict(reversed(items))]
    if kind in (set, frozenset):
        assert isinstance(value, set | frozenset)
        members = sorted(value, key=repr)
        return [kind(), kind(members[:1])]
    return []


def _sequence_variants(items: list[object], *, extremes: bool) -> list[object]:
    variants: list[object] = [[], items[:1], items[:2]]
    if items:
        first = items[0]
        variants += [[first, first], [first] * max(3, len(items)), items + items[:2], items[::-1]]
        variants.append([_negate(item) for item in items])
        variants.append([_zeroed(item) for item in items])
        if extremes and type(first) is int:
            # Extremes as elements: exact in Python, lossy through floats or fixed-width integers.
            variants += [[big, *items[1:]] for big in _BIG_INTS]
        with contextlib.suppress(TypeError):
            variants.append(sorted(items))  # type: ignore[type-var]
    return variants


def _negate(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return -value
    return value


def _zeroed(value: object) -> object:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0
    if isinstance(value, float):
        return 0.0
    return value


def _numbers(value: object) -> list[int | float]:
    """Every int and float inside ``value`` (not bools), depth first."""
    found: list[int | float] = []

    def walk(item: object, depth: int) -> None:
        if depth > 20 or len(found) > 256:
            return
        if isinstance(item, bool):
            return
        if isinstance(item, int | float):
            found.append(item)
        elif isinstance(item, list | tuple | set | frozenset):
            for member in item:
                walk(member, depth + 1)
        elif isinstance(item, dict):
            for key, member in item.items():
                walk(key, depth + 1)
                walk(member, depth + 1)

    walk(value, 0)
    return found


# ----------------------------------------------------------------------------------------- small domain


def small_domain_inputs(examples: Sequence[Args], count: int, rng: random.Random) -> list[Args]:
    """Examples re-filled from a pool of 2–4 small values, scalars set to values the rest makes special."""
    out: list[Args] = []
    for _ in range(count):
        args = rng.choice(list(examples))
        ints = [rng.randint(-3, 3) for _ in range(rng.randint(2, 4))]
        floats = [rng.choice((-1.5, -0.5, 0.0, 0.5, 1.0, 2.5)) for _ in range(rng.randint(2, 3))]
        chars = rng.sample("aAb b,.é", rng.randint(1, 3))
        filled = tuple(_refill(value, ints, floats, chars, rng, top=True) for value in args)
        out.append(_coincide(filled, rng))
    return out


def _refill(
    value: object, ints: list[int], floats: list[float], chars: list[str], rng: random.Random, *, top: bool
) -> object:
    kind = type(value)
    if kind is bool:
        return rng.random() < 0.5
    if kind is int:
        # Scalar arguments keep their magnitude (they may be sizes or counts); elements come from the pool.
        return value if top else rng.choice(ints)
    if kind is float:
        return value if top else rng.choice(floats)
    if kind is str:
        assert isinstance(value, str)
        return "".join(rng.choice(chars) for _ in range(rng.randint(0, _MAX_CONTAINER)))
    if kind is list:
        assert isinstance(value, list)
        if not value:
            return []
        template = value
        return [
            _refill(rng.choice(template), ints, floats, chars, rng, top=False)
            for _ in range(rng.randint(0, _MAX_CONTAINER))
        ]
    if kind is tuple:
        assert isinstance(value, tuple)
        return tuple(_refill(item, ints, floats, chars, rng, top=False) for item in value)
    if kind is dict:
        assert isinstance(value, dict)
        items = list(value.items())
        if not items:
            return {}
        refilled = {}
        for _ in range(rng.randint(0, _MAX_CONTAINER)):
            key, item = rng.choice(items)
            new_key = _refill(key, ints, floats, chars, rng, top=False)
            refilled[new_key] = _refill(item, ints, floats, chars, rng, top=False)
        return refilled
    if kind in (set, frozenset):
        assert isinstance(value, set | frozenset)
        members = list(value)
        if not members:
            return kind()
        return kind(
            _refill(rng.choice(members), ints, floats, chars, rng, top=False)
            for _ in range(rng.randint(0, _MAX_CONTAINER))
        )
    return value


def _coincide(args: Args, rng: random.Random) -> Args:
    """Top-level numbers set to an element, a sum of two elements (maybe the same one twice), or ±1 off."""
    elements = [
        n for position, value in enumerate(args) if not _is_scalar(args, position) for n in _numbers(value)
    ]
    if not elements:
        return args
    changed = list(args)
    for position, value in enumerate(args):
        if not _is_scalar(args, position):
            continue
        a, b = rng.choice(elements), rng.choice(elements)
        special = rng.choice((a, a + b, 2 * a, a + 1, a - 1, 0))
        if isinstance(value, int):
            changed[position] = int(special)
        else:
            changed[position] = float(special)
    return tuple(changed)


def _is_scalar(args: Args, position: int) -> bool:
    return type(args[position]) in (int, float)


# --------------------------------------------------------------------------------------------- mutation


def mutations(examples: Sequence[Args], count: int, rng: random.Random) -> list[Args]:
    """``count`` inputs, each an example with 1–3 type-aware edits (as EvalPlus mutates its seeds)."""
    out: list[Args] = []
    pool = list(examples)
    for _ in range(count):
        args: object = rng.choice(pool)
        for _ in range(rng.randint(1, 3)):
            args = _mutate(args, rng, depth=0)
        assert isinstance(args, tuple)
        out.append(args)
    return out


def _mutate(value: object, rng: random.Random, *, depth: int) -> object:
    kind = type(value)
    if depth > 8:
        return value
    if kind is bool:
        return not value
    if kind is int:
        assert isinstance(value, int)
        return rng.choice((value + 1, value - 1, -value, 0, value * 2, value + rng.randint(-10, 10)))
    if kind is float:
        assert isinstance(value, float)
        return rng.choice((-value, value + 1.0, value / 2, 0.0, value + 0.5, round(value)))
    if kind is str:
        assert isinstance(value, str)
        return _mutate_str(value, rng)
    if kind is list:
        assert isinstance(value, list)
        return _mutate_list(value, rng, depth)
    if kind is tuple:
        assert isinstance(value, tuple)
        if not value:
            return value
        # Argument tuples and records keep their length: edit one member.
        i = rng.randrange(len(value))
        return (*value[:i], _mutate(value[i], rng, depth=depth + 1), *value[i + 1 :])
    if kind is dict:
        assert isinstance(value, dict)
        items = list(value.items())
        if not items:
            return value
        key, item = rng.choice(items)
        edited = dict(value)
        choice = rng.randrange(3)
        if choice == 0:
            del edited[key]
        else:
            edited[key] = _mutate(item, rng, depth=depth + 1)
        return edited
    if kind in (set, frozenset):
        assert isinstance(value, set | frozenset)
        members = list(value)
        if not members:
            return value
        edited_set = set(members)
        member = rng.choice(members)
        edited_set.discard(member)
        if rng.random() < 0.5:
            edited_set.add(_mutate(member, rng, depth=depth + 1))
        return kind(edited_set)
    return value


def _mutate_str(value: str, rng: random.Random) -> str:
    if not value:
        return rng.choice(("a", " ", "0"))
    i = rng.randrange(len(value))
    edits = (
        value[:i] + value[i + 1 :],  # drop a character
        value[:i] + value[i] + value[i:],  # double it
        value[:i] + rng.choice("aZ 9_-.,é") + value[i:],  # insert one
        value.swapcase(),
        value[i:] + value[:i],  # rotate
    )
    return rng.choice(edits)


def _mutate_list(value: list[object], rng: random.Random, depth: int) -> list[object]:
    if not value:
        return value
    edited = list(value)
    i, j = rng.randrange(len(edited)), rng.randrange(len(edited))
    choice = rng.randrange(6)
    if choice == 0:
        del edited[i]
    elif choice == 1:
        edited.insert(j, edited[i])  # a duplicate
    elif choice == 2:
        edited[i], edited[j] = edited[j], edited[i]
    elif choice == 3:
        edited[i] = _mutate(edited[i], rng, depth=depth + 1)
    elif choice == 4:
        edited[j] = edited[i]  # two equal elements
    else:
        edited = edited[::-1]
    return edited
