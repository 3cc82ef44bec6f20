import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_palindromes(size: int, rng: random.Random) -> str:
    return "".join(rng.choice("ab") for _ in range(size)) + "\n"


SIZES = (5, 60, 300, 700)


def generate(level, rng):
    return gen_palindromes(SIZES[level], rng)
