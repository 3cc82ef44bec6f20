from collections import defaultdict
from itertools import accumulate
from operator import add


def count_target_submatrices(grid: list[list[int]], target: int) -> int:
    if not grid or not grid[0]:
        return 0
    # Pair up the shorter dimension (O(short² · long) work): transpose when there are more rows.
    if len(grid) > len(grid[0]):
        grid = [list(col) for col in zip(*grid)]
    rows = len(grid)
    width = len(grid[0])
    count = 0
    for r1 in range(rows):
        strip = [0] * width
        for r2 in range(r1, rows):
            strip = list(map(add, strip, grid[r2]))  # column sums of rows r1..r2, in C
            seen = defaultdict(int)
            seen[0] = 1
            for prefix in accumulate(strip):
                count += seen[prefix - target]
                seen[prefix] += 1
    return count
