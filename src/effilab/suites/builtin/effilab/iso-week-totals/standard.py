from datetime import date


def weekly_totals(events: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    weeks: dict[str, list[int]] = {}
    for timestamp, amount in events:
        year, week, _ = date.fromisoformat(timestamp[:10]).isocalendar()
        label = f"{year:04d}-W{week:02d}"
        bucket = weeks.get(label)
        if bucket is None:
            weeks[label] = [1, amount]
        else:
            bucket[0] += 1
            bucket[1] += amount
    return [(label, c, t) for label, (c, t) in sorted(weeks.items())]
