def max_concurrent(intervals: list[list[int]]) -> int:
    # The maximum is reached at the start of some interval: count the intervals covering each start.
    best = 0
    for s, _ in intervals:
        active = 0
        for a, b in intervals:
            if a <= s < b:
                active += 1
        if active > best:
            best = active
    return best
