"""Input helpers that ENAMEL's generators call by name: ``rand_parens``, ``miller_rabin``,
``rand_probably_prime`` and ``rand_primality`` (plus the ``random`` and ``string`` modules).

The *source text* of this file is pasted at the top of every wrapped ENAMEL generator module, which runs in
the sandbox; the parent never runs it on benchmark data. Therefore this file must stay self-contained: only
``random`` and ``string`` imports, no ``from __future__`` (it would have to be the module's first statement),
and nothing that is not valid at the top of an arbitrary module.

Every helper draws from the module-level ``random`` exactly as ENAMEL's own helpers do (same calls, same
arguments, same short-circuits, same order), because the benchmark's inputs are defined by that stream: one
extra or missing draw would change every later input of the test case.
"""

import random
import string

__all__ = ["miller_rabin", "rand_parens", "rand_primality", "rand_probably_prime", "random", "string"]


def rand_parens(size: int, valid: bool = True, par: str = "()", sep: str | None = "") -> str | list[str]:
    """A random bracket string of ``size`` characters (``size`` rounded up to even when ``valid``).

    Valid strings are sequences of balanced groups, joined by ``sep`` (a list of the groups when ``sep`` is
    None). An invalid string is two valid halves with ``par[1] + par[0]`` between them, so it always has a
    closing bracket with nothing open before it.
    """
    opening, closing = par[0], par[1]
    if not valid:
        if sep != "":
            raise ValueError("rand_parens: an invalid sequence can only be built with sep=''")
        half = (size + 1) // 2 - 1
        left = rand_parens(half, True, par)
        right = rand_parens(half, True, par)
        assert isinstance(left, str)
        assert isinstance(right, str)
        return left + closing + opening + right
    if size % 2:
        size += 1
    groups: list[list[str]] = []
    depth = 0
    for position in range(size):
        # Open when nothing is open; otherwise flip a coin, but only while there is room to close every
        # open bracket afterwards. The coin is drawn only in that case (``and`` short-circuits in ENAMEL too).
        must_open = depth == 0
        if must_open or (depth < size - position and random.randint(0, 1)):
            if must_open:
                groups.append([])
            groups[-1].append(opening)
            depth += 1
        else:
            groups[-1].append(closing)
            depth -= 1
    texts = ["".join(group) for group in groups]
    return texts if sep is None else sep.join(texts)


def miller_rabin(n: int, k: int = 5) -> bool:
    """Probabilistic primality test with ``k`` random bases in ``[2, n - 2]``."""
    if n in (2, 3):
        return True
    if n == 1 or n % 2 == 0:
        return False
    # n - 1 == 2**r * d with d odd.
    d = n - 1
    r = 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(k):
        x = pow(random.randint(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        squarings = 0
        while squarings < r - 1:
            x = pow(x, 2, n)
            squarings += 1
            if x == n - 1:
                break
        if x != n - 1:
            return False  # a witness: n is composite
    return True


def rand_probably_prime(lb: int, ub: int | None = None) -> int:
    """A random probable prime in ``[lb, ub]``; with one bound, in ``[lb // 2, lb]`` (Bertrand's postulate).

    ``ub`` is widened to at least ``max(2 * lb, 3)`` so the range always holds a prime.
    """
    if ub is None:
        high = max(lb, 3)
        low = high // 2
    else:
        low = max(lb, 0)
        high = max(low * 2, ub, 3)
    while True:
        candidate = random.randint(low, high)
        if miller_rabin(candidate):
            return candidate


def rand_primality(size: int, lid: int, cid: int) -> int:
    """A number for primality-style problems: fixed tricky cases first, then primes, squares, semiprimes."""
    size = max(size, 4)
    if lid == 0 and 0 <= cid < 4:
        # 30031 == 59 * 509 (looks prime), 561 (Carmichael number), 2 (smallest prime), 125 (a cube).
        return (2 * 3 * 5 * 7 * 11 * 13 + 1, 561, 2, 125)[cid]
    root = int(size**0.5 + 1)
    kind = cid % 3
    if kind == 0:
        return rand_probably_prime(size)
    if kind == 1:
        return rand_probably_prime(root) ** 2
    return rand_probably_prime(root) * rand_probably_prime(root)
