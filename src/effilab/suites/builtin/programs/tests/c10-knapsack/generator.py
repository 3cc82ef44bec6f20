import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_knapsack(size: int, rng: random.Random) -> str:
    n = max(2, size // 100)
    capacity = size
    items = "\n".join(f"{rng.randint(1, max(2, capacity // 4))} {rng.randint(1, 1000)}" for _ in range(n))
    return f"{n} {capacity}\n{items}\n"


SIZES = (300, 1500, 4000, 8000)


def generate(level, rng):
    return gen_knapsack(SIZES[level], rng)
