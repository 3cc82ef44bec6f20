from collections import Counter


def status_summary(lines: list[str]) -> list[tuple[int, int, int]]:
    # The text between the 2nd and 3rd double quote of a line is " STATUS BYTES ". Cut it out with one
    # bounded split per line and count the distinct pieces in C: most responses repeat (static files,
    # redirects, errors), so each distinct piece is parsed only once.
    pieces = Counter([line.split('"', 3)[2] for line in lines])
    counts: dict[int, int] = {}
    totals: dict[int, int] = {}
    for piece, n in pieces.items():
        status_text, size_text = piece.split()
        status = int(status_text)
        counts[status] = counts.get(status, 0) + n
        if size_text != "-":
            totals[status] = totals.get(status, 0) + n * int(size_text)
    return [(status, counts[status], totals.get(status, 0)) for status in sorted(counts)]
