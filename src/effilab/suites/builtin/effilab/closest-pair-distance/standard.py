import math


def _solve(px: list[tuple[int, int]]) -> int:
    """Smallest squared distance among points sorted by x (classic divide and conquer)."""
    n = len(px)
    if n <= 3:
        best = math.inf
        for i in range(n):
            for j in range(i + 1, n):
                dx = px[i][0] - px[j][0]
                dy = px[i][1] - px[j][1]
                best = min(best, dx * dx + dy * dy)
        return best
    mid = n // 2
    mid_x = px[mid][0]
    best = min(_solve(px[:mid]), _solve(px[mid:]))
    strip = sorted((p for p in px if (p[0] - mid_x) ** 2 < best), key=lambda p: p[1])
    for i in range(len(strip)):
        for j in range(i + 1, len(strip)):
            dy = strip[j][1] - strip[i][1]
            if dy * dy >= best:
                break
            dx = strip[j][0] - strip[i][0]
            best = min(best, dx * dx + dy * dy)
    return best


def closest_pair_distance(points: list[tuple[int, int]]) -> float:
    return math.sqrt(_solve(sorted(points)))
