def _ones_up_to(n: int) -> int:
    """Number of 1 bits over all integers 0..n (0 for n < 0)."""
    if n < 0:
        return 0
    total = 0
    bit = 0
    while (1 << bit) <= n:
        period = 1 << (bit + 1)
        full, rest = divmod(n + 1, period)
        total += full * (1 << bit) + max(0, rest - (1 << bit))
        bit += 1
    return total


def range_popcount_sums(queries: list[list[int]]) -> list[int]:
    return [_ones_up_to(hi) - _ones_up_to(lo - 1) for lo, hi in queries]
