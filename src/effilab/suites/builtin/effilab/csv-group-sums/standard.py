def sum_by_group(csv_text: str, group_by: str, columns: list[str]) -> dict[str, list[int]]:
    lines = csv_text.split("\n")
    header = lines[0].split(",")
    group_index = header.index(group_by)
    indexes = [header.index(column) for column in columns]
    totals: dict[str, list[int]] = {}
    for line in lines[1:]:
        if not line:
            continue
        fields = line.split(",")
        sums = totals.get(fields[group_index])
        if sums is None:
            sums = totals[fields[group_index]] = [0] * len(indexes)
        for i, index in enumerate(indexes):
            sums[i] += int(fields[index])
    return totals
