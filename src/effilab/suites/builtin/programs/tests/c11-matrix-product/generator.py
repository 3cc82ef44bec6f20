import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_matmul(size: int, rng: random.Random) -> str:
    rows = [_ints(rng, size, 0, 99) for _ in range(2 * size)]
    return f"{size}\n" + "\n".join(rows) + "\n"


SIZES = (3, 30, 120, 250)


def generate(level, rng):
    return gen_matmul(SIZES[level], rng)
