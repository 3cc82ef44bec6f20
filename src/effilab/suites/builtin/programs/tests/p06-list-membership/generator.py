import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_membership(size: int, rng: random.Random) -> str:
    a = _ints(rng, size, 1, 4 * size)
    return f"{size} {size}\n{a}\n{_ints(rng, size, 1, 4 * size)}\n"


SIZES = (6, 200, 1500, 4000)


def generate(level, rng):
    return gen_membership(SIZES[level], rng)
