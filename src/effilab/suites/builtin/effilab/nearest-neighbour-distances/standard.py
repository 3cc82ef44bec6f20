import math


def nearest_distances(points: list[list[float]]) -> list[float]:
    n = len(points)
    best = [math.inf] * n
    for i in range(n):
        p = points[i]
        for j in range(i + 1, n):
            d = math.dist(p, points[j])  # each unordered pair once
            if d < best[i]:
                best[i] = d
            if d < best[j]:
                best[j] = d
    return best
