import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_anagrams(size: int, rng: random.Random) -> str:
    bases = ["".join(rng.choice("abcde") for _ in range(5)) for _ in range(max(2, size // 5))]
    words = ["".join(rng.sample(b, len(b))) for b in (rng.choice(bases) for _ in range(size))]
    return f"{size}\n{' '.join(words)}\n"


SIZES = (6, 60, 250, 500)


def generate(level, rng):
    return gen_anagrams(SIZES[level], rng)
