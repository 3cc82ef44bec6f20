import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


_WORDS = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "lam", "mu"]


def gen_words(size: int, rng: random.Random) -> str:
    vocab = [f"{rng.choice(_WORDS)}{rng.randint(0, max(1, size // 8))}" for _ in range(max(4, size // 3))]
    return f"{size}\n{' '.join(rng.choice(vocab) for _ in range(size))}\n"


SIZES = (8, 200, 1500, 4000)


def generate(level, rng):
    return gen_words(SIZES[level], rng)
