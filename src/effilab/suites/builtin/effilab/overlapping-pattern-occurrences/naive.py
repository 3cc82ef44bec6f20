def find_occurrences(text: str, pattern: str) -> list[int]:
    result = []
    n, m = len(text), len(pattern)
    if m == 0:
        return result
    for i in range(n - m + 1):
        matched = True
        for j in range(m):
            if text[i + j] != pattern[j]:
                matched = False
                break
        if matched:
            result.append(i)
    return result
