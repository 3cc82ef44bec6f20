def max_pair_xor(nums: list[int]) -> int:
    best = 0
    n = len(nums)
    for i in range(n):
        for j in range(i + 1, n):
            x = nums[i] ^ nums[j]
            if x > best:
                best = x
    return best
