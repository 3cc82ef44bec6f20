import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_membership(size: int, rng: random.Random) -> str:
    values = sorted(rng.sample(range(1, 10 * size + 10), size))
    queries = [rng.randint(1, 10 * size + 10) for _ in range(size)]
    return f"{size} {size}\n{' '.join(map(str, values))}\n{' '.join(map(str, queries))}\n"


SIZES = (6, 300, 5000, 15000)


def generate(level, rng):
    return gen_membership(SIZES[level], rng)
