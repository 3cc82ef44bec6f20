def kth_smallest_gap(values: list[int], k: int) -> int:
    gaps = []
    n = len(values)
    for i in range(n):
        for j in range(i + 1, n):
            gaps.append(abs(values[i] - values[j]))
    gaps.sort()
    return gaps[k - 1]
