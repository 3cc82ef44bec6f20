def max_concurrent(intervals: list[list[int]]) -> int:
    events = []
    for s, e in intervals:
        events.append((s, 1))
        events.append((e, -1))
    events.sort()  # at equal times, ends (-1) come before starts (+1)
    best = active = 0
    for _, delta in events:
        active += delta
        if active > best:
            best = active
    return best
