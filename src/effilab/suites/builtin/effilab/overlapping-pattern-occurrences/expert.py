def find_occurrences(text: str, pattern: str) -> list[int]:
    if not pattern:
        return []
    result = []
    append = result.append
    find = text.find
    i = find(pattern)
    while i >= 0:
        append(i)
        i = find(pattern, i + 1)
    return result
