def range_popcount_sums(queries: list[list[int]]) -> list[int]:
    def ones_below(n: int) -> int:
        # 1 bits over 0..n-1, walking the set bits of n from the top: for a set bit at position b
        # with `higher` set bits above it, the block of 2**b numbers below it contributes
        # b * 2**(b-1) (the low bits cycle through all patterns) + higher * 2**b.
        total = 0
        higher = 0
        while n:
            b = n.bit_length() - 1
            block = 1 << b
            total += (b * block >> 1) + higher * block
            higher += 1
            n ^= block
        return total

    return [ones_below(hi + 1) - ones_below(lo) for lo, hi in queries]
