def anagram_positions(text: str, pattern: str) -> list[int]:
    m = len(pattern)
    result = []
    if m == 0:
        return result
    target = sorted(pattern)
    for i in range(len(text) - m + 1):
        if sorted(text[i : i + m]) == target:
            result.append(i)
    return result
