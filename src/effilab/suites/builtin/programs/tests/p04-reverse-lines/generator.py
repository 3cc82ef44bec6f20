import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_reverse(size: int, rng: random.Random) -> str:
    return f"{size}\n" + "\n".join(str(rng.randint(0, 10**9)) for _ in range(size)) + "\n"


SIZES = (5, 1000, 5000, 20000)


def generate(level, rng):
    return gen_reverse(SIZES[level], rng)
