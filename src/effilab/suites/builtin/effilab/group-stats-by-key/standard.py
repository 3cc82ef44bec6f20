def group_stats(
    records: list[dict[str, object]], key: str, value: str
) -> list[tuple[str, int, int, int, int, int]]:
    groups: dict[str, list[int]] = {}
    for record in records:
        groups.setdefault(record[key], []).append(record[value])
    result = []
    for group in sorted(groups):
        values = sorted(groups[group])
        count = len(values)
        result.append((group, count, sum(values), values[0], values[-1], values[(count - 1) // 2]))
    return result
