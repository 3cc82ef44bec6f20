import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_pair_sum(size: int, rng: random.Random) -> str:
    k = rng.randint(0, 200)
    return f"{size} {k}\n{_ints(rng, size, 0, 200)}\n"


SIZES = (6, 200, 4000, 16000)


def generate(level, rng):
    return gen_pair_sum(SIZES[level], rng)
