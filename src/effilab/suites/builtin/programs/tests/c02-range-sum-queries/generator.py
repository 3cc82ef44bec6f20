import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_range_sum(size: int, rng: random.Random) -> str:
    lines = [f"{size} {size}", _ints(rng, size, -1000, 1000)]
    for _ in range(size):
        left = rng.randint(1, size)
        lines.append(f"{left} {rng.randint(left, size)}")
    return "\n".join(lines) + "\n"


SIZES = (5, 100, 2000, 6000)


def generate(level, rng):
    return gen_range_sum(SIZES[level], rng)
