from bisect import bisect_left, bisect_right


def histogram(values: list[float], edges: list[float]) -> list[int]:
    ordered = sorted(values)  # C-level sort; then every bin boundary is one bisect
    cuts = [bisect_left(ordered, edge) for edge in edges]
    cuts[-1] = bisect_right(ordered, edges[-1])  # the last bin is closed on the right
    return [b - a for a, b in zip(cuts, cuts[1:])]
