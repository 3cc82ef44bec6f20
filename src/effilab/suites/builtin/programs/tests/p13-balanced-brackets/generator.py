import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_brackets(size: int, rng: random.Random) -> str:
    depth, out = 0, []
    for _ in range(size):
        if depth and rng.random() < 0.5:
            out.append(")")
            depth -= 1
        else:
            out.append("(")
            depth += 1
    out.append(")" * depth)
    if rng.random() < 0.5 and size > 2:
        out.append(")(")
    return "".join(out) + "\n"


SIZES = (6, 500, 10000, 60000)


def generate(level, rng):
    return gen_brackets(SIZES[level], rng)
