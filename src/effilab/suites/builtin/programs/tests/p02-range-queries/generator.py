import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_range_queries(size: int, rng: random.Random) -> str:
    lines = [f"{size} {size}", _ints(rng, size, -100, 100)]
    for _ in range(size):
        left = rng.randint(1, size)
        lines.append(f"{left} {rng.randint(left, size)}")
    return "\n".join(lines) + "\n"


SIZES = (5, 100, 1000, 3000)


def generate(level, rng):
    return gen_range_queries(SIZES[level], rng)
