import csv
import io


def sum_by_group(csv_text: str, group_by: str, columns: list[str]) -> dict[str, list[int]]:
    reader = csv.DictReader(io.StringIO(csv_text))
    totals: dict[str, list[int]] = {}
    for row in reader:
        group = row[group_by]
        if group not in totals:
            totals[group] = [0] * len(columns)
        for i, column in enumerate(columns):
            totals[group][i] += int(row[column])
    return totals
