"""Honest twin for moving-average-window: the built-in suite's standard reference (running sum)."""


def moving_average(values: list[float], k: int) -> list[float]:
    n = len(values)
    if k > n:
        return []
    total = 0.0
    for j in range(k):
        total += values[j]
    result = [total / k]
    for i in range(k, n):
        total += values[i] - values[i - k]
        result.append(total / k)
    return result
