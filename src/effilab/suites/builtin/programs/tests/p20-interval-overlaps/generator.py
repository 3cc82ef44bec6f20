import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_intervals(size: int, rng: random.Random) -> str:
    lines = []
    for _ in range(size):
        start = rng.randint(0, 10 * size)
        lines.append(f"{start} {start + rng.randint(1, 20)}")
    return f"{size}\n" + "\n".join(lines) + "\n"


SIZES = (5, 100, 600, 1500)


def generate(level, rng):
    return gen_intervals(SIZES[level], rng)
