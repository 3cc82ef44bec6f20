def status_summary(lines: list[str]) -> list[tuple[int, int, int]]:
    counts: dict[int, int] = {}
    totals: dict[int, int] = {}
    for line in lines:
        # The text between the 2nd and 3rd double quote is ' STATUS BYTES '.
        status_text, size_text = line.split('"', 3)[2].split()
        status = int(status_text)
        counts[status] = counts.get(status, 0) + 1
        totals[status] = totals.get(status, 0) + (0 if size_text == "-" else int(size_text))
    return [(status, counts[status], totals[status]) for status in sorted(counts)]
