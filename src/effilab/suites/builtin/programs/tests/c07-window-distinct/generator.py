import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_window_distinct(size: int, rng: random.Random) -> str:
    k = max(1, size // 4)
    return f"{size} {k}\n{_ints(rng, size, 1, max(2, size // 3))}\n"


SIZES = (8, 200, 2000, 5000)


def generate(level, rng):
    return gen_window_distinct(SIZES[level], rng)
