def maze_distance(grid: list[str]) -> int:
    h, w = len(grid), len(grid[0])
    if grid[0][0] == "#" or grid[h - 1][w - 1] == "#":
        return -1
    inf = h * w + 1
    dist = [[inf] * w for _ in range(h)]
    dist[0][0] = 0
    changed = True
    while changed:
        changed = False
        for r in range(h):
            for c in range(w):
                if grid[r][c] == "#":
                    continue
                for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                    nr, nc = r + dr, c + dc
                    if 0 <= nr < h and 0 <= nc < w and dist[nr][nc] + 1 < dist[r][c]:
                        dist[r][c] = dist[nr][nc] + 1
                        changed = True
    d = dist[h - 1][w - 1]
    return d if d < inf else -1
