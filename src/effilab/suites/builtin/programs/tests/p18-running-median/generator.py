import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_running_median(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 0, 10**6)}\n"


SIZES = (6, 200, 3000, 10000)


def generate(level, rng):
    return gen_running_median(SIZES[level], rng)
