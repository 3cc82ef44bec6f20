from itertools import repeat
from math import isqrt


def _period(k: int, m: int, count: int) -> list[int]:
    """[r**k % m for r in range(count)], count <= m."""
    if k.bit_length() <= 16 or count < 64:
        return list(map(pow, range(count), repeat(k), repeat(m)))
    # Large exponents: r -> r**k mod m is completely multiplicative, so only primes need pow();
    # a composite r = p * q (p its smallest prime factor) gets f(p) * f(q) % m.
    spf = list(range(count))
    for p in range(2, isqrt(count - 1) + 1):
        if spf[p] == p:
            for j in range(p * p, count, p):
                if spf[j] == j:
                    spf[j] = p
    f = [0] * count
    f[0] = pow(0, k, m)
    if count > 1:
        f[1] = 1 % m
    for r in range(2, count):
        p = spf[r]
        f[r] = pow(r, k, m) if p == r else f[p] * f[r // p] % m
    return f


def power_sum_mod(n: int, k: int, m: int) -> int:
    full, rest = divmod(n, m)
    if not full:  # fewer than one period: sum 1..n directly
        return sum(_period(k, m, n + 1)[1:]) % m
    values = _period(k, m, m)  # one period of residues
    return (full * sum(values) + sum(values[1 : rest + 1])) % m
