def _half(pts):
    """Monotone chain: the convex chain of points given in sweep order (turning left only)."""
    hull = []
    push = hull.append
    pop = hull.pop
    for p in pts:
        x, y = p
        while len(hull) >= 2:
            ox, oy = hull[-2]
            ax, ay = hull[-1]
            if (ax - ox) * (y - oy) - (ay - oy) * (x - ox) <= 0:
                pop()
            else:
                break
        push(p)
    return hull


def hull_area(points: list[tuple[int, int]]) -> float:
    # Sort once (C), split the points by the line through the leftmost and rightmost points,
    # then run each monotone chain on its own half only (half the Python-level work of
    # Andrew's algorithm); the area comes from a C-level shoelace sum.
    pts = sorted(set(points))
    if len(pts) < 3:
        return 0.0
    a = pts[0]
    b = pts[-1]
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    below = [p for p in pts if dx * (p[1] - ay) - dy * (p[0] - ax) < 0]
    above = [p for p in pts if dx * (p[1] - ay) - dy * (p[0] - ax) > 0]
    if not below and not above:
        return 0.0  # all points on one line
    below.insert(0, a)
    below.append(b)
    above.insert(0, a)
    above.append(b)
    above.reverse()
    hull = _half(below)[:-1] + _half(above)[:-1]
    xs = [p[0] for p in hull]
    ys = [p[1] for p in hull]
    twice = sum(map(int.__mul__, xs, ys[1:] + ys[:1])) - sum(map(int.__mul__, ys, xs[1:] + xs[:1]))
    return abs(twice) / 2
