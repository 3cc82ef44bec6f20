import math


def closest_pair_distance(points: list[tuple[int, int]]) -> float:
    best = math.inf
    n = len(points)
    for i in range(n):
        for j in range(i + 1, n):
            dx = points[i][0] - points[j][0]
            dy = points[i][1] - points[j][1]
            d = math.sqrt(dx * dx + dy * dy)
            if d < best:
                best = d
    return best
