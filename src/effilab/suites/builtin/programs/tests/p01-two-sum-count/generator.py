import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_two_sum(size: int, rng: random.Random) -> str:
    return f"{size} {rng.randint(0, 100)}\n{_ints(rng, size, 0, 100)}\n"


SIZES = (6, 100, 600, 1500)


def generate(level, rng):
    return gen_two_sum(SIZES[level], rng)
