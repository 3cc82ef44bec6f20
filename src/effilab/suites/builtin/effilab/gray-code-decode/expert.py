def gray_to_binary(codes: list[int]) -> list[int]:
    # n is the prefix XOR of the bits of g from the top: for 64-bit words it is computed with
    # six shift-XOR steps of doubling width, applied to the whole list one step at a time.
    v = [g ^ (g >> 32) for g in codes]
    v = [g ^ (g >> 16) for g in v]
    v = [g ^ (g >> 8) for g in v]
    v = [g ^ (g >> 4) for g in v]
    v = [g ^ (g >> 2) for g in v]
    return [g ^ (g >> 1) for g in v]
