def distinct_per_window(values: list[int], k: int) -> list[int]:
    n = len(values)
    if k > n:
        return []
    last: dict[int, int] = {}  # value -> index of its latest occurrence so far
    for i, x in enumerate(values[:k]):
        last[x] = i
    distinct = len(last)
    result = [distinct]
    append = result.append
    get = last.get
    for i, x, y in zip(range(k, n), values[k:], values):
        # y = values[i - k] leaves; it is gone from the window if it has not recurred since.
        old = i - k
        if last[y] == old:
            distinct -= 1
        if get(x, -1) <= old:  # x was not in values[i-k+1 : i]
            distinct += 1
        last[x] = i
        append(distinct)
    return result
