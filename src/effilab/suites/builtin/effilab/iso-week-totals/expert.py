from datetime import date


def weekly_totals(events: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    # Aggregate per calendar day using only the string prefix, then convert each distinct day once.
    counts: dict[str, int] = {}
    totals: dict[str, int] = {}
    cget = counts.get
    tget = totals.get
    for timestamp, amount in events:
        day = timestamp[:10]
        counts[day] = cget(day, 0) + 1
        totals[day] = tget(day, 0) + amount
    weeks: dict[str, list[int]] = {}
    fromiso = date.fromisoformat
    for day, count in counts.items():
        year, week, _ = fromiso(day).isocalendar()
        label = "%04d-W%02d" % (year, week)
        bucket = weeks.get(label)
        if bucket is None:
            weeks[label] = [count, totals[day]]
        else:
            bucket[0] += count
            bucket[1] += totals[day]
    return [(label, c, t) for label, (c, t) in sorted(weeks.items())]
