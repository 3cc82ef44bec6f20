def group_stats(
    records: list[dict[str, object]], key: str, value: str
) -> list[tuple[str, int, int, int, int, int]]:
    groups = sorted(set(record[key] for record in records))
    result = []
    for group in groups:
        values = [record[value] for record in records if record[key] == group]
        values.sort()
        count = len(values)
        result.append((group, count, sum(values), min(values), max(values), values[(count - 1) // 2]))
    return result
