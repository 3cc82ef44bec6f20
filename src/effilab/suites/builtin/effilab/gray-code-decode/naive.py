def gray_to_binary(codes: list[int]) -> list[int]:
    result = []
    for g in codes:
        bits = bin(g)[2:]
        decoded = ""
        current = "0"
        for b in bits:  # each binary digit is the XOR of all Gray digits up to it
            current = "1" if current != b else "0"
            decoded += current
        result.append(int(decoded, 2))
    return result
