"""Inputs for the dedupe examples: `size` integers with many repeats."""

import random


def generate(size: int, rng: random.Random) -> tuple[list[int]]:
    return ([rng.randrange(size // 2 + 1) for _ in range(size)],)
