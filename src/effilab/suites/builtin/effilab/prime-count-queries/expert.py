from itertools import accumulate


def count_primes_in_ranges(queries: list[list[int]]) -> list[int]:
    if not queries:
        return []
    limit = max(hi for _, hi in queries)
    sieve = bytearray([1]) * (limit + 1)
    sieve[:2] = bytes(min(2, limit + 1))
    for p in range(2, int(limit**0.5) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytes(len(range(p * p, limit + 1, p)))  # cross out in C
    if len(queries) * 64 < limit:
        # Few queries: counting bytes of each slice in C is cheaper than a full prefix table.
        return [sieve.count(1, lo, hi + 1) for lo, hi in queries]
    upto = [0, *accumulate(sieve)]  # upto[x]: primes < x
    return [upto[hi + 1] - upto[lo] for lo, hi in queries]
