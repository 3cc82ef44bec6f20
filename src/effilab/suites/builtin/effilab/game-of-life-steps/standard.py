def life_steps(grid: list[str], steps: int) -> list[str]:
    h = len(grid)
    w = len(grid[0]) if h else 0
    # 0/1 cells with a border of dead cells: no bounds checks in the inner loop.
    cells = [[0] * (w + 2)]
    cells += [[0] + [1 if ch == "#" else 0 for ch in row] + [0] for row in grid]
    cells.append([0] * (w + 2))
    for _ in range(steps):
        nxt = [[0] * (w + 2) for _ in range(h + 2)]
        for r in range(1, h + 1):
            up, mid, down = cells[r - 1], cells[r], cells[r + 1]
            out = nxt[r]
            for c in range(1, w + 1):
                n = (
                    up[c - 1]
                    + up[c]
                    + up[c + 1]
                    + mid[c - 1]
                    + mid[c + 1]
                    + down[c - 1]
                    + down[c]
                    + down[c + 1]
                )
                if n == 3 or (n == 2 and mid[c]):
                    out[c] = 1
        cells = nxt
    return ["".join("#" if v else "." for v in cells[r][1 : w + 1]) for r in range(1, h + 1)]
