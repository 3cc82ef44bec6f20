def find_occurrences(text: str, pattern: str) -> list[int]:
    m = len(pattern)
    if m == 0:
        return []
    return [i for i in range(len(text) - m + 1) if text.startswith(pattern, i)]
