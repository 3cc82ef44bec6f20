def anagram_positions(text: str, pattern: str) -> list[int]:
    # Sliding window: delta[c] = count of c in the window - count of c in pattern;
    # the window is an anagram exactly when no character has a non-zero delta.
    n, m = len(text), len(pattern)
    if m == 0 or m > n:
        return []
    delta: dict[str, int] = {}
    for c in pattern:
        delta[c] = delta.get(c, 0) - 1
    nonzero = len(delta)

    def bump(c: str, step: int) -> None:
        nonlocal nonzero
        d = delta.get(c, 0)
        if d == 0:
            nonzero += 1
        d += step
        if d == 0:
            nonzero -= 1
        delta[c] = d

    for c in text[:m]:
        bump(c, 1)
    result = [0] if nonzero == 0 else []
    for i in range(m, n):
        bump(text[i], 1)
        bump(text[i - m], -1)
        if nonzero == 0:
            result.append(i - m + 1)
    return result
