def _maze(h, w, rng, extra):
    # Randomised depth-first carving on the odd cells, then `extra` random walls knocked out.
    cells = [["#"] * w for _ in range(h)]
    cells[0][0] = "."
    stack = [(0, 0)]
    while stack:
        r, c = stack[-1]
        options = [
            (r + dr, c + dc, r + dr // 2, c + dc // 2)
            for dr, dc in ((2, 0), (-2, 0), (0, 2), (0, -2))
            if 0 <= r + dr < h and 0 <= c + dc < w and cells[r + dr][c + dc] == "#"
        ]
        if not options:
            stack.pop()
            continue
        nr, nc, mr, mc = rng.choice(options)
        cells[mr][mc] = "."
        cells[nr][nc] = "."
        stack.append((nr, nc))
    for _ in range(extra):
        cells[rng.randrange(h)][rng.randrange(w)] = "."
    return ["".join(row) for row in cells]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ["."],
            ["#"],
            [".#", "#."],
            ["..#", "#..", "#.."],
            ["...."],
            [".", ".", "."],
            ["..", ".#"],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    side = size if size % 2 else size + 1
    kind = case % 4
    if kind < 2:
        # open field with random walls (often many equally short paths)
        density = [0.22, 0.3][kind]
        rows = ["".join("#" if rng.random() < density else "." for _ in range(side)) for _ in range(side)]
        # open 3x3 blocks at both corners so they are not walled in
        for r in range(min(3, side)):
            rows[r] = "..." + rows[r][3:]
            rows[-1 - r] = rows[-1 - r][:-3] + "..."
        return (rows,)
    # a carved maze with many extra openings (loops, so several routes compete)
    h = side if kind == 2 else max(3, side // 2 | 1)
    w = side if kind == 2 else side * 2 + 1
    return (_maze(h, w, rng, h * w // 3),)
