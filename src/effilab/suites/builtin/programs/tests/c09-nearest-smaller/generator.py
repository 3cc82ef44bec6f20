import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_nearest_smaller(size: int, rng: random.Random) -> str:
    # Mostly increasing: a naive backwards scan walks far, as on real judge data.
    values = [i * 3 + rng.randint(0, 5) for i in range(size)]
    return f"{size}\n{' '.join(map(str, values))}\n"


SIZES = (8, 300, 5000, 20000)


def generate(level, rng):
    return gen_nearest_smaller(SIZES[level], rng)
