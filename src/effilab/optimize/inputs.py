"""Inputs for the differential tests and the measurements: where they come from and how fresh ones are made.

Sources, in the order the issue names them: calls recorded while the user's tests ran, a ``--inputs``
generator (``generate(size, rng)``, run sandboxed), and the target's type hints (Hypothesis examples for
edge cases, a sized generator for stress). The original function is the oracle for all of them.

*Fresh* inputs are made after a candidate exists, from seeds no prompt ever showed, so a rewrite that
special-cases the inputs it was shown fails on them. Without a sized source they are perturbed copies of
the recorded calls (same types and shapes, other values).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence

from effilab.measure.inputs import generate_inputs
from effilab.optimize.hints import UnsupportedHint, hint_examples, sized_generator
from effilab.optimize.target import Target

__all__ = ["InputPlan", "perturb", "plan_inputs"]

SizedSource = Callable[[int, Sequence[int]], list[tuple[object, ...]]]
"""``(size, seeds) -> one argument tuple per seed``."""

EXAMPLE_SIZE = 12
"""Size of generated examples for the differential tests: small, so failures are readable."""


@dataclasses.dataclass(frozen=True, slots=True)
class InputPlan:
    examples: tuple[tuple[object, ...], ...]
    """Differential test inputs known before any candidate exists (some are shown to the model)."""
    sized: SizedSource | None
    """Stress inputs of a given size, or None when neither a generator nor usable type hints exist."""
    sources: tuple[str, ...]
    """Where the inputs came from, for the report (e.g. "12 calls recorded from tests")."""
    notes: tuple[str, ...] = ()
    """Why a source was not used (unsupported hints, unrecordable calls)."""

    def fresh(self, count: int, seed: int, size: int = EXAMPLE_SIZE) -> list[tuple[object, ...]]:
        """``count`` inputs made from ``seed``: from the sized source, else perturbed examples."""
        if self.sized is not None:
            return self.sized(size, [seed + i for i in range(count)])
        rng = random.Random(seed)
        if not self.examples:
            return []
        return [tuple(perturb(arg, rng) for arg in rng.choice(self.examples)) for _ in range(count)]


def plan_inputs(
    target: Target,
    *,
    recorded: Sequence[tuple[object, ...]] = (),
    generator: str | None = None,
    hint_count: int = 40,
    isolation: str = "auto",
    seed: int = 0,
) -> InputPlan:
    """Gather example inputs and a sized source for ``target`` from everything available.

    ``seed`` chooses the generated examples (a run's secret seed, so they are not known in advance).
    """
    examples: list[tuple[object, ...]] = list(recorded)
    sources: list[str] = []
    notes: list[str] = []
    if recorded:
        sources.append(f"{len(recorded)} calls recorded from the tests")
    sized: SizedSource | None = None
    if generator is not None:
        path = generator

        def from_file(size: int, seeds: Sequence[int]) -> list[tuple[object, ...]]:
            return generate_inputs(path, size=size, seeds=seeds, isolation=isolation)

        sized = from_file
        generated = from_file(EXAMPLE_SIZE, [seed + i for i in range(8)])
        examples += generated
        sources.append(f"{len(generated)} inputs from {generator}")
    params = [(p.name, p.annotation) for p in target.call_params]
    try:
        hinted = sized_generator(params)
    except UnsupportedHint as exc:
        notes.append(f"type hints: {exc}")
    else:
        if sized is None:

            def from_hints(size: int, seeds: Sequence[int]) -> list[tuple[object, ...]]:
                return [hinted(size, random.Random(seed)) for seed in seeds]

            sized = from_hints
        if not examples or generator is None:
            drawn = hint_examples(params, count=hint_count, seed=seed % 2**32)
            examples += drawn
            sources.append(f"{len(drawn)} inputs drawn from the type hints")
    unique: dict[str, tuple[object, ...]] = {}
    for example in examples:
        unique.setdefault(repr(example), example)
    return InputPlan(tuple(unique.values()), sized, tuple(sources), tuple(notes))


def perturb(value: object, rng: random.Random) -> object:
    """A value of the same type and shape as ``value`` with other contents (ints nudged, lists shuffled)."""
    kind = type(value)
    if kind is bool:
        return rng.random() < 0.5
    if kind is int:
        assert isinstance(value, int)
        return value + rng.randint(-3, 3)
    if kind is float:
        assert isinstance(value, float)
        return value * (1 + rng.uniform(-0.1, 0.1)) + rng.uniform(-1, 1)
    if kind is str:
        assert isinstance(value, str)
        chars = list(value)
        rng.shuffle(chars)
        return "".join(chars)
    if kind is list:
        assert isinstance(value, list)
        items = [perturb(item, rng) for item in value]
        rng.shuffle(items)
        return items
    if kind is tuple:
        assert isinstance(value, tuple)
        return tuple(perturb(item, rng) for item in value)
    if kind is dict:
        assert isinstance(value, dict)
        return {key: perturb(item, rng) for key, item in value.items()}
    return value
