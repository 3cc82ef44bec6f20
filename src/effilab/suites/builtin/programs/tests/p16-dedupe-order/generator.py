import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_dedupe(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 0, max(2, size // 2))}\n"


SIZES = (6, 200, 2000, 6000)


def generate(level, rng):
    return gen_dedupe(SIZES[level], rng)
