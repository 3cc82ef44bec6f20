def gray_to_binary(codes: list[int]) -> list[int]:
    result = []
    for g in codes:
        n = g
        shifted = g >> 1
        while shifted:
            n ^= shifted
            shifted >>= 1
        result.append(n)
    return result
