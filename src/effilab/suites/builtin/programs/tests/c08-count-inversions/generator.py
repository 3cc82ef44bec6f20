import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_inversions(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 1, 10**6)}\n"


SIZES = (8, 300, 5000, 20000)


def generate(level, rng):
    return gen_inversions(SIZES[level], rng)
