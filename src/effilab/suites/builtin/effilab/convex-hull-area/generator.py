import math


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [(3, 3)],
            [(0, 0), (1, 1), (2, 2)],
            [(0, 0), (4, 0), (4, 3), (0, 3), (2, 1)],
            [(1, 1), (1, 1), (1, 1), (2, 5)],
            [(0, 0), (2, 0), (4, 0), (4, 2), (4, 4), (2, 4), (0, 4), (0, 2), (2, 2)],
            [(-7, 2), (3, -9), (5, 5), (-7, 2), (0, 0)],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    r = 10**6
    pts = []
    if kind == 0:  # uniform in a disk
        while len(pts) < n:
            x, y = rng.randint(-r, r), rng.randint(-r, r)
            if x * x + y * y <= r * r:
                pts.append((x, y))
    elif kind == 1:  # thin annulus: a large share of the points are hull vertices
        for _ in range(n):
            a = rng.random() * 2 * math.pi
            rad = r * (1 - rng.random() * 0.1)
            pts.append((round(rad * math.cos(a)), round(rad * math.sin(a))))
    elif kind == 2:  # squashed, rotated elliptic ring
        for _ in range(n):
            a = rng.random() * 2 * math.pi
            rad = r * (1 - rng.random() * 0.3)
            u, v = rad * math.cos(a), rad * math.sin(a) / 3
            pts.append((round(0.8 * u - 0.6 * v), round(0.6 * u + 0.8 * v)))
    elif level > 0:  # uniform in a disk, with some points repeated
        while len(pts) < n:
            x, y = rng.randint(-r, r), rng.randint(-r, r)
            if x * x + y * y <= r * r:
                pts.append((x, y))
                if rng.random() < 0.05:
                    pts.append((x, y))
        pts = pts[:n]
    else:  # small lattice: many collinear hull points and duplicates
        side = max(3, int(n**0.5))
        pts = [(rng.randint(0, side), rng.randint(0, side)) for _ in range(n)]
    return (pts,)
