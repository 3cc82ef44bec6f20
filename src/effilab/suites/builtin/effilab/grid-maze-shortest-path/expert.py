_OPEN = bytes.maketrans(b".#", b"\x01\x00")


def maze_distance(grid: list[str]) -> int:
    h, w = len(grid), len(grid[0])
    if grid[0][0] == "#" or grid[h - 1][w - 1] == "#":
        return -1
    # Flatten into one bytearray of rows of width w + 1: the extra wall column separates rows
    # (no left/right wrap-around), and a wall row above and below removes all bounds checks.
    stride = w + 1
    text = "#" * stride + "".join(row + "#" for row in grid) + "#" * stride
    free = bytearray(text.encode("ascii").translate(_OPEN))
    start = stride
    target = stride * h + w - 1
    if start == target:
        return 0
    free[start] = 0
    frontier = [start]
    steps = 0
    while frontier:
        steps += 1
        nxt = []
        push = nxt.append
        for p in frontier:
            for q in (p - 1, p + 1, p - stride, p + stride):
                if free[q]:
                    if q == target:
                        return steps
                    free[q] = 0
                    push(q)
        frontier = nxt
    return -1
