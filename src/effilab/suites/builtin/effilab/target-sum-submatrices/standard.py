def count_target_submatrices(grid: list[list[int]], target: int) -> int:
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    count = 0
    for r1 in range(rows):
        strip = [0] * cols
        for r2 in range(r1, rows):
            row = grid[r2]
            for c in range(cols):
                strip[c] += row[c]
            # 1-D problem on the strip: subarrays summing to target via prefix-sum counts.
            seen = {0: 1}
            prefix = 0
            for value in strip:
                prefix += value
                count += seen.get(prefix - target, 0)
                seen[prefix] = seen.get(prefix, 0) + 1
    return count
