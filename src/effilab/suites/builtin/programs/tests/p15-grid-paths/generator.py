import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_grid_paths(size: int, rng: random.Random) -> str:
    rows = [
        "".join("#" if rng.random() < 0.1 and (r, c) != (0, 0) else "." for c in range(size))
        for r in range(size)
    ]
    rows[-1] = rows[-1][:-1] + "."
    return f"{size} {size}\n" + "\n".join(rows) + "\n"


SIZES = (3, 20, 150, 400)


def generate(level, rng):
    return gen_grid_paths(SIZES[level], rng)
