import math


def nearest_distances(points: list[list[float]]) -> list[float]:
    result = []
    for i in range(len(points)):
        best = math.inf
        for j in range(len(points)):
            if i == j:
                continue
            total = 0.0
            for t in range(len(points[i])):
                diff = points[i][t] - points[j][t]
                total += diff * diff
            d = math.sqrt(total)
            if d < best:
                best = d
        result.append(best)
    return result
