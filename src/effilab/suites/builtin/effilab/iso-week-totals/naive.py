from datetime import datetime


def weekly_totals(events: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    weeks = {}
    for timestamp, amount in events:
        dt = datetime.strptime(timestamp, "%Y-%m-%d %H:%M:%S")
        year, week, _ = dt.isocalendar()
        label = f"{year:04d}-W{week:02d}"
        if label not in weeks:
            weeks[label] = [0, 0]
        weeks[label][0] += 1
        weeks[label][1] += amount
    return [(label, count, total) for label, (count, total) in sorted(weeks.items())]
