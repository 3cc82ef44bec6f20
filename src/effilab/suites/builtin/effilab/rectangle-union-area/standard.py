def union_area(rects: list[tuple[int, int, int, int]]) -> int:
    # Vertical slabs between consecutive x coordinates; in each slab merge the y-intervals
    # of the rectangles spanning it.
    xs = sorted({r[0] for r in rects} | {r[2] for r in rects})
    total = 0
    for left, right in zip(xs, xs[1:]):
        spans = sorted((y1, y2) for x1, y1, x2, y2 in rects if x1 <= left and right <= x2 and y1 < y2)
        covered = 0
        cur_lo = cur_hi = None
        for lo, hi in spans:
            if cur_hi is None or lo > cur_hi:
                if cur_hi is not None:
                    covered += cur_hi - cur_lo
                cur_lo, cur_hi = lo, hi
            elif hi > cur_hi:
                cur_hi = hi
        if cur_hi is not None:
            covered += cur_hi - cur_lo
        total += covered * (right - left)
    return total
