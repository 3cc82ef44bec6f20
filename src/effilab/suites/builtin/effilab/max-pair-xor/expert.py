def max_pair_xor(nums: list[int]) -> int:
    if len(nums) < 2:
        return 0
    top = max(nums).bit_length()
    answer = 0
    # Fix the answer's bits from the top. With prefixes p = x >> bit, the candidate answer
    # (answer << 1) | 1 is reachable iff some two prefixes differ by it: p ^ cand in prefixes.
    # A candidate is odd, so the two prefixes are different numbers, hence different positions.
    for bit in range(top - 1, -1, -1):
        answer <<= 1
        prefixes = {x >> bit for x in nums}
        cand = answer | 1
        for p in prefixes:
            if p ^ cand in prefixes:
                answer = cand
                break
    return answer
