import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_count_primes(size: int, rng: random.Random) -> str:
    return f"{rng.randint(size // 2, size)}\n"


SIZES = (20, 1000, 8000, 25000)


def generate(level, rng):
    return gen_count_primes(SIZES[level], rng)
