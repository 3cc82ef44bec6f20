def count_primes_in_ranges(queries: list[list[int]]) -> list[int]:
    if not queries:
        return []
    limit = max(hi for _, hi in queries)
    is_prime = [True] * (limit + 1)
    is_prime[0] = False
    if limit >= 1:
        is_prime[1] = False
    p = 2
    while p * p <= limit:
        if is_prime[p]:
            for multiple in range(p * p, limit + 1, p):
                is_prime[multiple] = False
        p += 1
    upto = [0] * (limit + 1)  # upto[x]: primes <= x
    count = 0
    for x in range(limit + 1):
        if is_prime[x]:
            count += 1
        upto[x] = count
    return [upto[hi] - (upto[lo - 1] if lo else 0) for lo, hi in queries]
