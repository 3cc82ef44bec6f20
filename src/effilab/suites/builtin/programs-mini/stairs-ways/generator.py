import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_stairs(size: int, rng: random.Random) -> str:
    return f"{size} 3\n1 2 {rng.randint(5, 7)}\n"


def generate(size: int, level: int, case: int, rng: random.Random) -> str:
    """One stdin of the given size (problem.toml's [[levels]] size)."""
    return gen_stairs(size, rng)
