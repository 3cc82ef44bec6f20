def union_area(rects: list[tuple[int, int, int, int]]) -> int:
    # Sweep a vertical line left to right. A segment tree over the elementary y-intervals keeps,
    # per node, how many rectangles cover the whole node (cover) and the covered length below it.
    rects = [r for r in rects if r[0] < r[2] and r[1] < r[3]]
    if not rects:
        return 0
    ys = sorted({r[1] for r in rects} | {r[3] for r in rects})
    index = {y: i for i, y in enumerate(ys)}
    events = []
    for x1, y1, x2, y2 in rects:
        lo, hi = index[y1], index[y2]
        events.append((x1, 1, lo, hi))
        events.append((x2, -1, lo, hi))
    events.sort()
    m = len(ys) - 1  # elementary intervals [ys[i], ys[i+1]]
    size = 1
    while size < m:
        size *= 2
    cover = [0] * (2 * size)
    length = [0] * (2 * size)

    def update(node: int, lo: int, hi: int, l: int, r: int, v: int) -> None:
        if l <= lo and hi <= r:
            cover[node] += v
        else:
            mid = (lo + hi) >> 1
            if l < mid:
                update(2 * node, lo, mid, l, r, v)
            if r > mid:
                update(2 * node + 1, mid, hi, l, r, v)
        if cover[node]:
            length[node] = ys[hi] - ys[lo]
        elif hi - lo == 1:
            length[node] = 0
        else:
            length[node] = length[2 * node] + length[2 * node + 1]

    total = 0
    prev_x = events[0][0]
    for x, v, lo, hi in events:
        if x != prev_x:
            total += length[1] * (x - prev_x)
            prev_x = x
        update(1, 0, m, lo, hi, v)
    return total
