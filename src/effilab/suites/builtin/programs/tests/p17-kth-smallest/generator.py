import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_kth(size: int, rng: random.Random) -> str:
    qs = " ".join(str(rng.randint(1, size)) for _ in range(size))
    return f"{size} {size}\n{_ints(rng, size, -(10**6), 10**6)}\n{qs}\n"


SIZES = (5, 100, 1000, 2500)


def generate(level, rng):
    return gen_kth(SIZES[level], rng)
