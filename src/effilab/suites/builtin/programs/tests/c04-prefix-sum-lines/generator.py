import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_prefix_lines(size: int, rng: random.Random) -> str:
    return f"{size}\n" + "\n".join(str(rng.randint(-(10**6), 10**6)) for _ in range(size)) + "\n"


SIZES = (5, 1000, 10000, 40000)


def generate(level, rng):
    return gen_prefix_lines(SIZES[level], rng)
