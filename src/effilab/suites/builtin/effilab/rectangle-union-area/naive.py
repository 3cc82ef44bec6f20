def union_area(rects: list[tuple[int, int, int, int]]) -> int:
    xs = sorted(set([r[0] for r in rects] + [r[2] for r in rects]))
    ys = sorted(set([r[1] for r in rects] + [r[3] for r in rects]))
    total = 0
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            for x1, y1, x2, y2 in rects:
                if x1 <= xs[i] and xs[i + 1] <= x2 and y1 <= ys[j] and ys[j + 1] <= y2:
                    total += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j])
                    break
    return total
