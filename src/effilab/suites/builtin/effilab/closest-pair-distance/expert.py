from bisect import bisect_left, insort
from math import isqrt, sqrt


def closest_pair_distance(points: list[tuple[int, int]]) -> float:
    # Sweep left to right; `active` holds (y, x) of the points within r = isqrt(best) in x,
    # ordered by y, so each new point only looks at the few active points within r in y.
    # All arithmetic is on exact integers (squared distances).
    pts = sorted(points)
    n = len(pts)
    for i in range(1, n):
        if pts[i] == pts[i - 1]:
            return 0.0
    x0, y0 = pts[0]
    x1, y1 = pts[1]
    best = (x1 - x0) ** 2 + (y1 - y0) ** 2
    r = isqrt(best)
    active = [(y0, x0)]
    left = 0
    for i in range(1, n):
        x, y = pts[i]
        while x - pts[left][0] > r:
            lx, ly = pts[left]
            del active[bisect_left(active, (ly, lx))]
            left += 1
        k = bisect_left(active, (y - r,))
        top = y + r
        for k in range(k, len(active)):
            ay, ax = active[k]
            if ay > top:
                break
            d = (ax - x) ** 2 + (ay - y) ** 2
            if d < best:
                best = d
                r = isqrt(d)
                top = y + r
        insort(active, (y, x))
    return sqrt(best)
