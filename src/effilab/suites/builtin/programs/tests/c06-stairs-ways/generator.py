import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_stairs(size: int, rng: random.Random) -> str:
    return f"{size} 3\n1 2 {rng.randint(5, 7)}\n"


SIZES = (5, 15, 26, 32)


def generate(level, rng):
    return gen_stairs(SIZES[level], rng)
