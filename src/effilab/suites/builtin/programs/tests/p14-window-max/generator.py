import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_window_max(size: int, rng: random.Random) -> str:
    return f"{size} {max(1, size // 5)}\n{_ints(rng, size, 0, 10**6)}\n"


SIZES = (6, 200, 4000, 12000)


def generate(level, rng):
    return gen_window_max(SIZES[level], rng)
