def histogram(values: list[float], edges: list[float]) -> list[int]:
    counts = [0] * (len(edges) - 1)
    for value in values:
        for i in range(len(edges) - 1):
            is_last = i == len(edges) - 2
            if edges[i] <= value < edges[i + 1] or (is_last and value == edges[i + 1]):
                counts[i] += 1
                break
    return counts
