def distinct_per_window(values: list[int], k: int) -> list[int]:
    n = len(values)
    if k > n:
        return []
    counts: dict[int, int] = {}
    for x in values[:k]:
        counts[x] = counts.get(x, 0) + 1
    result = [len(counts)]
    for i in range(k, n):
        incoming, outgoing = values[i], values[i - k]
        counts[incoming] = counts.get(incoming, 0) + 1
        if counts[outgoing] == 1:
            del counts[outgoing]
        else:
            counts[outgoing] -= 1
        result.append(len(counts))
    return result
