def hull_area(points: list[tuple[int, int]]) -> float:
    # Gift wrapping (Jarvis march): from the current hull vertex, pick the point that leaves
    # every other point on its left (the farthest one when several are collinear).
    pts = list(set(points))
    if len(pts) < 3:
        return 0.0
    start = min(pts)
    hull = []
    p = start
    while True:
        hull.append(p)
        q = pts[0] if pts[0] != p else pts[1]
        for r in pts:
            if r == p:
                continue
            cross = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
            if cross < 0:
                q = r
            elif cross == 0:
                if (r[0] - p[0]) ** 2 + (r[1] - p[1]) ** 2 > (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2:
                    q = r
        p = q
        if p == start:
            break
    twice = 0
    for i in range(len(hull)):
        x1, y1 = hull[i]
        x2, y2 = hull[(i + 1) % len(hull)]
        twice += x1 * y2 - x2 * y1
    return abs(twice) / 2
