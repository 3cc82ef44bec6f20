import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_pair_sum(size: int, rng: random.Random) -> str:
    k = rng.randint(0, 200)
    return f"{size} {k}\n{_ints(rng, size, 0, 200)}\n"


def generate(size: int, level: int, case: int, rng: random.Random) -> str:
    """One stdin of the given size (problem.toml's [[levels]] size)."""
    return gen_pair_sum(size, rng)
