import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_fib(size: int, rng: random.Random) -> str:
    return f"{size}\n"


SIZES = (5, 15, 23, 29)


def generate(level, rng):
    return gen_fib(SIZES[level], rng)
