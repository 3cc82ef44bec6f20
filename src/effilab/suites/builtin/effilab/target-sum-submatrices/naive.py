def count_target_submatrices(grid: list[list[int]], target: int) -> int:
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    count = 0
    for r1 in range(rows):
        strip = [0] * cols  # column sums of rows r1..r2
        for r2 in range(r1, rows):
            for c in range(cols):
                strip[c] += grid[r2][c]
            for c1 in range(cols):
                total = 0
                for c2 in range(c1, cols):
                    total += strip[c2]
                    if total == target:
                        count += 1
    return count
