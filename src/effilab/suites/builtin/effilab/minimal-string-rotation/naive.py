def least_rotation(s: str) -> int:
    best = 0
    best_rotation = s
    for i in range(1, len(s)):
        rotation = s[i:] + s[:i]
        if rotation < best_rotation:
            best, best_rotation = i, rotation
    return best
