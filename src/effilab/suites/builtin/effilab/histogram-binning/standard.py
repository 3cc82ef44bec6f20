from bisect import bisect_right


def histogram(values: list[float], edges: list[float]) -> list[int]:
    n_bins = len(edges) - 1
    counts = [0] * n_bins
    low, high = edges[0], edges[-1]
    for value in values:
        if low <= value <= high:
            i = bisect_right(edges, value) - 1
            counts[min(i, n_bins - 1)] += 1  # value == high belongs to the last bin
    return counts
